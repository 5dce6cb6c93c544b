// `npm start` rebuilds the dashboards (Vite, a development tool) only when a source is newer than
// the build, so a production start with a built client/dist needs neither Vite nor the time it
// takes. The check runs inside the server's process (server/main.ts): a process of its own cost
// about 0.4 s of every start.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the dashboards are built from: the client, the machines it draws, the locked dependencies. */
const SOURCES = ['client', 'machines', 'package-lock.json'];
const BUILT = join('client', 'dist', 'index.html');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path)
      .filter((name) => name !== 'dist' && name !== 'node_modules')
      .map((name) => newest(join(path, name))),
  );
}

/** Whether the build under `root` is missing or older than a source. */
export function stale(root: string): boolean {
  const built = join(root, BUILT);
  return !existsSync(built) || statSync(built).mtimeMs < Math.max(...SOURCES.map((source) => newest(join(root, source))));
}

/** Builds the dashboards under `root` unless the build is up to date; false when the build failed. */
export function buildDashboards(root: string): boolean {
  if (!stale(root)) {
    console.log('dashboards: client/dist is up to date');
    return true;
  }
  const { status } = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  return status === 0;
}
