import { fileURLToPath } from 'node:url';
import { startServer } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildDashboards } from './dashboards-build.ts';
import { log } from './log.ts';

const started = Date.now();
// `npm start` serves dashboards built from the sources at hand; run directly (a process manager),
// the server serves the build made at deploy time as it is.
if (process.env.npm_lifecycle_event === 'start' && !buildDashboards(fileURLToPath(new URL('..', import.meta.url)))) {
  console.error('dashboards: the build failed (Vite is a development dependency: build before installing with --omit=dev)');
  process.exit(1);
}
// A node that cannot start says why in one line (a wrong setting, the database unreachable) and
// exits: what a process manager's journal shows.
const { config, server } = await (async () => {
  const config = await loadConfig();
  log.level = config.logLevel;
  return { config, server: await startServer(config) };
})().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `trustwire: ${error.message}` : `trustwire cannot start: ${(error as Error).message}`);
  process.exit(1);
});

log.info({ url: server.url, store: config.store, data_dir: config.dataDir, ms: Date.now() - started }, 'trustwire is listening');
if (server.seeded) log.info('seeded demo members: one seeker per plan and four providers');
if (config.demo) {
  // Anyone who reaches this port may sign in as any member or staff role: say so, every start.
  console.log(
    `\n  DEMO=1: the development sign-in (/login, /demo/sessions) is ON, without credentials, on ${config.host ?? 'every interface'}.\n  Never expose it; NODE_ENV=production refuses it.\n`,
  );
}
if (config.devApiKey) {
  // The development key is printed so a newcomer can call the API at once; production sets API_KEYS.
  console.log(`\n  trustwire  ${server.url}\n  development API key: ${config.apiKeys[0]}\n  try: curl -u ${config.apiKeys[0]}: ${server.url}/v1/actors\n`);
}

// SIGTERM (a deploy, systemd, Kubernetes) and SIGINT (Ctrl-C) shut down gracefully within
// SHUTDOWN_TIMEOUT_MS; a second signal, or a shutdown that overruns, exits at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutting down');
    setTimeout(() => {
      log.error({ timeout_ms: config.shutdownTimeoutMs }, 'shutdown overran its time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    void server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
