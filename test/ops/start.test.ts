import { spawn } from 'node:child_process';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stale } from '../../server/dashboards-build.ts';
import { eventually, freePort, tempDataDir } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('npm start', () => {
  it('rebuilds the dashboards only when a source is newer than the build', async () => {
    const root = await tempDataDir();
    dirs.push(root);
    const at = (path: string, seconds: number) => utimes(join(root, path), seconds, seconds);
    for (const dir of ['client/src/pages', 'client/dist', 'machines']) await mkdir(join(root, dir), { recursive: true });
    for (const file of ['client/src/pages/seeker.tsx', 'machines/link.ts', 'package-lock.json']) {
      await writeFile(join(root, file), '');
      await at(file, 1_000);
    }
    for (const dir of ['client/src/pages', 'client/src', 'client', 'machines']) await at(dir, 1_000);
    expect(stale(root)).toBe(true); // never built
    await writeFile(join(root, 'client/dist/index.html'), '');
    await at('client/dist/index.html', 2_000);
    expect(stale(root)).toBe(false);
    await at('machines/link.ts', 3_000); // the ops board draws the machines
    expect(stale(root)).toBe(true);
    await at('client/dist/index.html', 4_000);
    await at('client/src/pages/seeker.tsx', 5_000);
    expect(stale(root)).toBe(true);
  });

  it('passes SIGTERM to the server when stopped by its process id, which shuts down and exits 0', async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    const upToDate = !stale(ROOT);
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), DATA_DIR: dataDir, DEMO: '0', API_KEYS: 'start-test-key', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await eventually(
        async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined),
        120_000,
        `npm start answering /healthz\n${output}`,
        200,
      );
      if (upToDate) expect(output).toContain('dashboards: client/dist is up to date');
      process.kill(npm.pid!, 'SIGTERM');
      expect(await exited, output).toEqual({ code: 0, signal: null });
      expect(output).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
      expect(output).toMatch(/"msg":"stopped"/);
      // Nothing is left behind listening.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      npm.kill('SIGKILL');
    }
  }, 180_000);
});
