import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponse } from './openapi.ts';

/**
 * The real server as a child process (`node --import tsx server/main.ts`), for fault tests that
 * need to kill it with a signal and start it again on the same data directory. In-process servers
 * are in ./server.ts.
 */

export const API_KEY = 'test-api-key';
/** As in ./server.ts: the Veriff key the tests play the hosted page with. */
const VERIFF_API_KEY = 'trustwire-sandbox';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AUTH = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
/** Output kept per child for failure messages (the tail, in characters). */
const OUTPUT_KEPT = 20_000;

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export interface ChildServer {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Calls the API as the integrator (API key), or with `token` as a session. */
  api(method: string, path: string, body?: unknown, options?: { token?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** Sends `signal` (SIGKILL by default) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process exits, however that happens. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  /** The tail of the child's stdout and stderr, interleaved. */
  output(): string;
}

export interface StartOptions {
  /** Reuse a data directory (a restart); a new temp directory otherwise. */
  dataDir?: string;
  /** Extra environment, e.g. PROVIDER_REMINDER_MS; overrides the defaults below. */
  env?: Record<string, string>;
  /** How long to wait for GET /healthz to answer 200. */
  readyTimeoutMs?: number;
}

const children = new Set<ChildProcess>();

// A test process that dies for any reason takes its servers with it.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A TCP port that was free a moment ago (the child may still lose a race for it: see startChild). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const tempDataDir = () => mkdtemp(join(tmpdir(), 'trustwire-fault-'));

/**
 * Starts the server on a free port with its data under `dataDir` and resolves once GET /healthz
 * answers 200. Rejects (with the child's output) if it exits or is not ready in time.
 */
export async function startChild(options: StartOptions = {}): Promise<ChildServer> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dataDir, await freePort(), options);
    } catch (error) {
      // Another process took the port between freePort() and the child's listen(): try another.
      if (attempt < 3 && error instanceof StartError && /EADDRINUSE/.test(error.output)) continue;
      throw error;
    }
  }
}

class StartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- server output ---\n${output}`);
  }
}

async function startOnce(dataDir: string, port: number, options: StartOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...inheritedEnv(),
      DATA_DIR: dataDir,
      PORT: String(port),
      API_KEYS: API_KEY,
      DEMO: '0',
      LOG_LEVEL: 'silent',
      VERIFF_API_KEY,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1',
      // Tests drive the integrator's API harder than Checkr's 1200/min; test/api/rate-limit.test.ts tests the limit.
      INTEGRATOR_RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      children.delete(child);
      resolve({ code, signal });
    });
  });
  // A spawn failure (no such executable) is reported as 'error' without 'exit'.
  child.once('error', (error) => {
    keep(Buffer.from(`spawn error: ${error.message}\n`));
    if (alive) {
      alive = false;
      children.delete(child);
    }
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (!alive) throw new StartError(`server exited before it was ready (${JSON.stringify(await settled(exited))})`, out);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new StartError(`server not healthy within ${options.readyTimeoutMs ?? 30_000} ms`, out);
    }
    const healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      },
      () => false,
    );
    if (healthy) break;
    await sleep(50);
  }

  return {
    url,
    port,
    dataDir,
    pid: child.pid!,
    exited,
    get alive() {
      return alive;
    },
    output: () => out,
    async api(method, path, body, apiOptions = {}) {
      const headers: Record<string, string> = {
        authorization: apiOptions.token ? `Bearer ${apiOptions.token}` : AUTH,
        ...apiOptions.headers,
      };
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (a redirect or an HTML page): keep the text
      }
      checkResponse(method, path, response.status, parsed, response.headers.get('content-type'));
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async kill(signal = 'SIGKILL') {
      if (alive) child.kill(signal);
      return exited;
    },
  };
}

/** SIGKILLs every child still running (for afterEach / afterAll, also after a failed test). */
export async function killAllChildren(): Promise<void> {
  const running = [...children];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * The test runner's environment without what vitest adds (NODE_ENV=test, VITEST*), so the child
 * runs as `node server/main.ts` would outside the tests.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or throws after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(every);
  }
}

async function settled<T>(p: Promise<T>): Promise<T | string> {
  return Promise.race([p, sleep(100).then(() => 'still running')]);
}
