import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './process.ts';

/**
 * A throwaway PostgreSQL cluster for one test suite: `initdb` into a temporary folder, `pg_ctl`
 * on a free loopback port, stopped and removed at the end. Run as the `postgres` user when the
 * tests run as root (CI), since PostgreSQL refuses to run as root. Debian keeps the binaries in
 * /usr/lib/postgresql/<version>/bin (`apt-get install postgresql`; `.ci/run` does it).
 */
export interface PgCluster {
  port: number;
  /** A new empty database, as a DATABASE_URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (`immediate` is a crash: no checkpoint, recovery from WAL at the next start). */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  startServer(): Promise<void>;
  /** Stops the server and removes the cluster. */
  destroy(): Promise<void>;
}

function binDir(): string | undefined {
  const onPath = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** Whether PostgreSQL's binaries are on this machine. */
export const postgresInstalled = (): boolean => binDir() !== undefined;

/**
 * Whether suites needing PostgreSQL can run. Outside CI a machine without it skips them with a
 * loud message; under CI=true they must run, so a missing PostgreSQL is an error.
 */
export function postgresAvailable(): boolean {
  if (postgresInstalled()) return true;
  if (process.env.CI === 'true') throw new Error("CI=true but PostgreSQL is not installed (initdb not found): .ci/run installs Debian's postgresql");
  console.warn('\n  ⚠ SKIPPING PostgreSQL tests: initdb not found (apt-get install -y postgresql). Under CI=true they run.\n');
  return false;
}

/** `durable`: fsync on, as in production (benchmarks); tests crash processes, never the machine, and go without. */
export async function startPostgres({ durable = false } = {}): Promise<PgCluster> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'trustwire-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) }
    : {};
  if (asRoot) await chown(dir, ids.uid!, ids.gid!);
  const run = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(join(bin, tool), args, { ...ids, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (out += d));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(' ')} exited ${code}:\n${out}`))));
    });
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${durable ? 'on' : 'off'} -c max_connections=200`;
  const startServer = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stopServer = (mode: 'fast' | 'immediate' = 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  await startServer();
  let databases = 0;
  let running = true;
  return {
    port,
    async createDatabase(name = `trustwire_${++databases}`) {
      const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stopServer: async (mode) => {
      await stopServer(mode);
      running = false;
    },
    startServer: async () => {
      await startServer();
      running = true;
    },
    async destroy() {
      if (running) await stopServer('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let forTestServers: PgCluster | undefined;

/**
 * Runs the in-process test servers (server.ts) of this test file on PostgreSQL: each gets a new
 * database of one throwaway cluster, which the caller destroys at the end. Lets a suite written
 * for the embedded store run once against PostgreSQL unchanged.
 */
export async function testServersOnPostgres(): Promise<PgCluster> {
  forTestServers = await startPostgres();
  return forTestServers;
}

/** The settings of a test server's store: PostgreSQL after testServersOnPostgres(), else none (lowdb). */
export async function testStoreEnv(): Promise<Record<string, string>> {
  if (!forTestServers) return {};
  const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
  return { STORE: 'postgres', DATABASE_URL: await forTestServers.createDatabase(), DATA_KEY: key(), SESSION_SECRET: key() };
}

/** The whole database at `url` as `pg_dump` writes it (plain SQL): what a backup of it would hold. */
export function pgDump(url: string): string {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL is not installed');
  // initdb may be a link on PATH to the version's directory, which holds pg_dump.
  const dump = join(dirname(realpathSync(join(bin, 'initdb'))), 'pg_dump');
  return execFileSync(dump, ['--no-owner', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}
