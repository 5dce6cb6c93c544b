// Mutation testing of the machines and the runtime (`npm run mutation`; not part of `npm test`).
// Only the in-process tests run per mutant: the pure model tests of the machines and the runtime
// tests on a memory store and a simulated clock. The server-driven suites would take hours here.
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['machines/**/*.ts', 'server/runtime/**/*.ts'],
  testFiles: ['test/machines/link.rules.test.ts', 'test/machines/seeker.model.test.ts', 'test/machines/checks.model.test.ts', 'test/runtime/**/*.test.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (machine definitions are built at import) reloads every test file: hours on
  // 2 cores. MUTATION_STATIC=1 includes them; best with --mutate on one file.
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
};
