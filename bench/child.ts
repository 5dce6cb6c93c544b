import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LoopDelay } from './loop-delay.ts';

export const API_KEY = 'bench-api-key';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 120_000;
/** USER_HZ: the unit of /proc/<pid>/stat CPU times on Linux. */
const CLOCK_TICKS = 100;

/** Child entry points: the trustwire server and the bare baselines. */
export const SCRIPTS = {
  trustwire: 'bench/serve.ts',
  bareHttp: 'bench/bare-http.ts',
  bareIo: 'bench/bare-io.ts',
} as const;

export interface Child {
  url: string;
  /** From spawn until /healthz answered 200. */
  startMs: number;
  /** Resident memory of the child now (VmRSS). */
  rssMb(): Promise<number>;
  /** CPU time (user + system) the child has used so far. */
  cpuMs(): Promise<number>;
  /** Event-loop delay since the last call (both bench/serve.ts and bench/bare-http.ts answer). */
  loopDelay(): Promise<LoopDelay>;
  /** Asks the child over IPC (only bench/serve.ts answers: 'stats'). */
  ask<T>(question: string): Promise<T>;
  /** SIGTERM, then waits for the exit (trustwire flushes and compacts its store on the way). */
  stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx <script>` in its own process, so that the load generator (this
 * process) does not share the server's event loop, and waits for its /healthz.
 */
export async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there when it exits (open it in Chrome DevTools or speedscope).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: ROOT,
    // The benchmarks measure throughput, far above Checkr's 1200 requests a minute per key.
    env: { ...process.env, PORT: String(port), API_KEYS: API_KEY, DEMO: '0', LOG_LEVEL: 'silent', INTEGRATOR_RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const early = exited.then((code) => {
    throw new Error(`${script} exited with ${code} before answering /healthz`);
  });
  try {
    await Promise.race([waitHealthy(url, started + START_TIMEOUT_MS), early]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const startMs = performance.now() - started;
  const pid = child.pid!;
  const ask = <T>(question: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (answer) => resolve(answer as T));
      child.send(question);
    });

  return {
    url,
    startMs,
    rssMb: async () => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
    },
    cpuMs: async () => {
      // Fields after the parenthesised command name start at field 3; utime and stime are 14 and 15.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    loopDelay: () => ask<LoopDelay>('loop-delay'),
    ask,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitHealthy(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${url}/healthz did not answer within ${START_TIMEOUT_MS} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Calls a child's JSON API with the integrator key. */
export async function api<T>(url: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs `fn` against children started for it (together), and stops them whatever happens. */
export async function withChildren<R>(specs: { script: string; env?: Record<string, string> }[], fn: (children: Child[]) => Promise<R>): Promise<R> {
  const started = await Promise.allSettled(specs.map(({ script, env }) => startChild(script, env)));
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    return await fn(children);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
