/**
 * `npm run bench`: every benchmark beside a bare baseline measured in the same run, then a
 * markdown summary. BENCH_QUICK=1 for a shorter run (smaller big store, shorter loads, a one-minute
 * soak); BENCH_ONLY=commands for the command benchmark alone, BENCH_ONLY=soak for it and the soak,
 * BENCH_ONLY=startup for it and start-up with memory per seeker; BENCH_CPU_PROF=<dir> for the
 * servers' CPU profiles.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LowdbStats } from '../server/store/lowdb/lowdb-store.ts';
import { SCRIPTS, withChildren } from './child.ts';
import { reportCluster } from './cluster.ts';
import { CONNECTIONS, compareLoads, type LoadResult, PlanChanges } from './commands.ts';
import { measureCompaction } from './compaction.ts';
import { type FanoutResult, fanoutBench } from './fanout.ts';
import { seedStore } from './seed.ts';
import { type SoakResult, type SoakSample, slope, soak } from './soak.ts';
import { measureStartup, type Startup } from './startup.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = process.env.BENCH_ONLY;
const settings = QUICK
  ? { bigStore: 20_000, slices: 2, sliceSeconds: 2, warmupSeconds: 1, startupRuns: 1, rounds: 50, soakSeconds: 60, sampleSeconds: 5 }
  : { bigStore: 100_000, slices: 2, sliceSeconds: 5, warmupSeconds: 2, startupRuns: 3, rounds: 200, soakSeconds: 600, sampleSeconds: 10 };
const SMALL_STORE = 1_000;
/** Seekers the command benchmark changes, in either store. */
const POOL = 1_000;
const CLIENTS = 1_000;
const FANOUT_WARMUP_ROUNDS = 10;

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : n(x)} ms`;
const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const check = (ok: boolean) => (ok ? '✓' : '✗');
const say = (line: string) => console.log(line);
const machine = `${cpus().length} cores, Node ${process.version}`;

const root = await mkdtemp(join(tmpdir(), 'trustwire-bench-'));
try {
  say(
    `trustwire benchmarks (${machine}${QUICK ? ', BENCH_QUICK=1' : ''}), load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  say('The load generator and the socket clients run in this process and share the cores with the servers (child processes).\n');

  // Stores, seeded in process through the real actor host and lowdb store.
  const smallDir = join(root, 'small');
  const bigDir = join(root, 'big');
  const small = await seedStore(smallDir, SMALL_STORE, POOL);
  say(`seeded ${n(SMALL_STORE)} seekers in ${seconds(small.ms)}`);
  const big = await seedStore(bigDir, settings.bigStore, POOL);
  say(`seeded ${n(settings.bigStore)} seekers in ${seconds(big.ms)} (${n((settings.bigStore / big.ms) * 1000)}/s, compaction on close included)\n`);

  // 1–2. Commands: durable CHANGE_PLANs at 1,000 and at 100,000 actors, and an empty Express handler.
  say(
    `Commands at ${CONNECTIONS} connections, ${settings.slices} × ${settings.sliceSeconds} s per server taking turns, after a ${settings.warmupSeconds} s warm-up each:`,
  );
  const loadServers = [
    { script: SCRIPTS.bareHttp },
    { script: SCRIPTS.trustwire, env: { DATA_DIR: smallDir } },
    { script: SCRIPTS.trustwire, env: { DATA_DIR: bigDir } },
  ];
  // Kept for the soak, whose first change to each seeker must be to the plan it does not have.
  const smallChanges = new PlanChanges(small.pool);
  const { bare, atSmall, atBig, smallStats, bigStats } = await withChildren(loadServers, async ([bareHttp, smallServer, bigServer]) => {
    const [bare, atSmall, atBig] = await compareLoads(
      [
        { url: bareHttp.url, path: '/x', bodies: new PlanChanges(small.pool).bodies, cpuMs: bareHttp.cpuMs, loopDelay: bareHttp.loopDelay },
        { url: smallServer.url, path: '/v1/commands', bodies: smallChanges.bodies, cpuMs: smallServer.cpuMs, loopDelay: smallServer.loopDelay },
        { url: bigServer.url, path: '/v1/commands', bodies: new PlanChanges(big.pool).bodies, cpuMs: bigServer.cpuMs, loopDelay: bigServer.loopDelay },
      ],
      settings.slices,
      settings.sliceSeconds,
      settings.warmupSeconds,
    );
    return { bare, atSmall, atBig, smallStats: await smallServer.ask<LowdbStats>('stats'), bigStats: await bigServer.ask<LowdbStats>('stats') };
  });
  const load = (r: LoadResult) => `${n(r.reqPerSec)} req/s (p50 ${ms(r.p50)}, p99 ${ms(r.p99)})`;
  const bigActors = n(settings.bigStore);
  const notOk = (r: LoadResult) => Object.values(r.failed).reduce((a, b) => a + b, 0);
  const failures = (r: LoadResult) =>
    Object.entries(r.failed)
      .map(([status, count]) => `${n(count)} × ${status}`)
      .join(', ') || 'none';
  const loadLine = (name: string, r: LoadResult) =>
    say(
      `${name.padEnd(34)} ${n(r.reqPerSec).padStart(6)} req/s  p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  server CPU ${n(r.cpuUsPerRequest)} µs/req  event-loop delay p99 ${ms(r.loopDelay.p99)} max ${ms(r.loopDelay.max)}  GC ${(r.loopDelay.gcMs / (r.requests / r.reqPerSec) / 10).toFixed(1)}% of the time, longest ${ms(r.loopDelay.gcMaxMs)} (full ${ms(r.loopDelay.majorGcMaxMs)})  (${n(r.requests)} answers; not 2xx: ${failures(r)})`,
    );
  const groupCommit = (s: LowdbStats) => s.commits / s.flushes;
  const storeLine = (s: LowdbStats) =>
    say(
      `${''.padEnd(34)} store: ${n(s.commits)} commits in ${n(s.flushes)} journal flushes (${groupCommit(s).toFixed(1)} per fdatasync), ${s.compactions} compactions, ${n(s.shardWrites)} shard writes`,
    );
  loadLine('baseline: empty Express 5 handler', bare);
  loadLine(`trustwire, ${n(SMALL_STORE)} actors`, atSmall);
  storeLine(smallStats);
  loadLine(`trustwire, ${n(settings.bigStore)} actors`, atBig);
  storeLine(bigStats);
  const compaction = await measureCompaction(bigDir, big.pool);
  say(
    `compaction of the ${n(settings.bigStore)}-actor store after ${n(POOL)} actors changed: ${n(compaction.shards)} shard files in ${ms(compaction.ms)}, the event loop held up to ${ms(compaction.maxDelayMs)} at a time`,
  );
  const commandRows = `| Commands, ${n(SMALL_STORE)} actors, ${CONNECTIONS} connections | ${load(atSmall)} | ${load(bare)}, empty Express 5 handler | ${ratio(atSmall.reqPerSec, bare.reqPerSec)} | ≥ 0.6× ${check(atSmall.reqPerSec >= 0.6 * bare.reqPerSec)} |
| Server CPU per request, ${n(SMALL_STORE)} actors | ${n(atSmall.cpuUsPerRequest)} µs | ${n(bare.cpuUsPerRequest)} µs, empty Express 5 handler | ${ratio(atSmall.cpuUsPerRequest, bare.cpuUsPerRequest)} | ≤ 1.6× ${check(atSmall.cpuUsPerRequest <= 1.6 * bare.cpuUsPerRequest)} |
| Commands, ${bigActors} actors | ${load(atBig)} | ${n(atSmall.reqPerSec)} req/s at ${n(SMALL_STORE)} actors | ${ratio(atBig.reqPerSec, atSmall.reqPerSec)} | ≥ 0.9× ${check(atBig.reqPerSec >= 0.9 * atSmall.reqPerSec)} |
| p99, ${bigActors} actors | ${ms(atBig.p99)} | ${ms(atSmall.p99)} at ${n(SMALL_STORE)} actors | ${ratio(atBig.p99, atSmall.p99)} | ≤ 2× ${check(atBig.p99 <= 2 * atSmall.p99)} |
| Compaction at ${bigActors} actors, longest event-loop stall | ${ms(compaction.maxDelayMs)} (${n(compaction.shards)} shards in ${ms(compaction.ms)}) | | | a few ms ${check(compaction.maxDelayMs < 10)} |
| Event-loop delay p99 (${n(SMALL_STORE)} / ${bigActors} actors) | ${ms(atSmall.loopDelay.p99)} / ${ms(atBig.loopDelay.p99)} (max ${ms(atSmall.loopDelay.max)} / ${ms(atBig.loopDelay.max)}) | ${ms(bare.loopDelay.p99)}, empty Express 5 handler | | |`;
  if (ONLY === 'commands') {
    say(`\n| ${machine} | trustwire | Same-run baseline | Ratio | Target |\n|---|---|---|---|---|\n${commandRows}`);
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  }

  // 5. Soak: half the measured capacity for ten minutes, memory and event-loop delay sampled.
  const rate = Math.max(1, Math.round(atSmall.reqPerSec / 2));
  async function runSoak(rate: number): Promise<string> {
    say(
      `\nSoak: ${n(rate)} commands/s (half the capacity measured above) for ${seconds(settings.soakSeconds * 1000)} at ${n(SMALL_STORE)} actors, sampled every ${settings.sampleSeconds} s:`,
    );
    const soaked = await withChildren([{ script: SCRIPTS.trustwire, env: { DATA_DIR: smallDir } }], ([server]) =>
      soak(server, smallChanges, rate, settings.soakSeconds, settings.sampleSeconds),
    );
    for (const s of soaked.samples)
      say(
        `  ${String(s.atS).padStart(4)} s  ${n(s.reqPerSec).padStart(5)} req/s  RSS ${n(s.rssMb)} MB  heap after full GC ${s.heapAfterGcMb === undefined ? '(none ran)' : `${n(s.heapAfterGcMb)} MB`}  event-loop delay p99 ${ms(s.loopP99)} max ${ms(s.loopMax)}`,
      );
    return soakSummary(soaked, rate);
  }
  const soakRow = ONLY === 'startup' ? '' : await runSoak(rate);
  if (ONLY === 'soak') {
    say(`\n| ${machine} | trustwire | Same-run baseline | Ratio | Target |\n|---|---|---|---|---|\n${commandRows}\n${soakRow}`);
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  }

  // 4. Start-up and memory, with the big store and with an empty one.
  say(`\nStart-up, spawn until /healthz answers (median of ${settings.startupRuns}); RSS right after:`);
  const emptyStart = await measureStartup(() => mkdtemp(join(root, 'empty-')), settings.startupRuns);
  const bigStart = await measureStartup(async () => bigDir, settings.startupRuns);
  const startLine = (name: string, s: Startup) => say(`${name.padEnd(34)} ${seconds(s.ms)}  RSS ${n(s.rssMb)} MB`);
  startLine('baseline: empty store', emptyStart);
  startLine(`trustwire, ${n(settings.bigStore)} actors`, bigStart);
  const start = (s: Startup) => `${seconds(s.ms)}, RSS ${n(s.rssMb)} MB`;
  // What each stored seeker adds to the resident memory of a server just started on the store.
  const perSeekerKb = ((bigStart.rssMb - emptyStart.rssMb) * 1024) / settings.bigStore;
  const startupRows = `| Start-up, ${bigActors} actors | ${start(bigStart)} | ${start(emptyStart)}, empty store | ${ratio(bigStart.ms, emptyStart.ms)} | < 3 s ${check(bigStart.ms < 3000)} |
| Resident memory per stored seeker, ${bigActors} actors | ${perSeekerKb.toFixed(1)} KB | the empty store's RSS, subtracted | | ≤ 1.5 KB ${check(perSeekerKb <= 1.5)} |`;
  if (ONLY === 'startup') {
    say(`\n| ${machine} | trustwire | Same-run baseline | Ratio | Target |\n|---|---|---|---|---|\n${commandRows}\n${startupRows}`);
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  }

  // 3. Fan-out: changes of one seeker to 1,000 staff sockets, and a bare Socket.IO room as large.
  say(`\nFan-out to ${n(CLIENTS)} Socket.IO clients (websocket), ${settings.rounds} changes one after another, the servers taking turns:`);
  const fanout = await fanoutBench(join(root, 'fanout'), CLIENTS, FANOUT_WARMUP_ROUNDS, settings.rounds);
  const fanoutLine = (name: string, r: FanoutResult) =>
    say(
      `${name.padEnd(34)} after the answer: p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  max ${ms(r.max)} (${(r.beforeAck * 100).toFixed(0)}% before it)` +
        `  after the send: p99 ${ms(r.p99FromSend)}  answered in p50 ${ms(r.ackP50)}`,
    );
  fanoutLine('baseline: bare Socket.IO room', fanout.baseline);
  fanoutLine('trustwire, agent sessions', fanout.trustwire);
  say(
    `payload ${n(fanout.payloadBytes)} bytes; the ${n(CLIENTS)} clients share one event loop here, so the last reads its copy after the other ${n(CLIENTS - 1)}.`,
  );

  const spread = (r: FanoutResult) => `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}`;
  say(`
| ${machine} | trustwire | Same-run baseline | Ratio | Target |
|---|---|---|---|---|
${commandRows}
| Fan-out to ${n(CLIENTS)} sockets, after the ack | ${spread(fanout.trustwire)} | ${spread(fanout.baseline)}, bare Socket.IO room | p99 ${ratio(fanout.trustwire.p99, fanout.baseline.p99)} | p99 < 50 ms ${check(fanout.trustwire.p99 < 50)} |
${startupRows}
${soakRow}

Commands are durable CHANGE_PLANs (${groupCommit(smallStats).toFixed(0)} and ${groupCommit(bigStats).toFixed(0)} commits per fdatasync); ${n(notOk(atSmall) + notOk(atBig))} of ${n(atSmall.requests + atBig.requests)} answers were not 2xx. Seeding ${bigActors} actors took ${seconds(big.ms)}. The load generator and the socket clients share the cores with the servers; the server publishes a change before it answers the command.`);

  await reportCluster(root, QUICK, say);
} finally {
  await rm(root, { recursive: true, force: true });
}

/**
 * The soak's row: the first sample is the warm-up; after it, the heap a full GC leaves and the
 * event-loop delay must not trend up (the last third against the first third of the samples).
 * RSS is shown beside them: between collections it also counts garbage, so it saw-tooths with
 * the GC's own sizing of the heap.
 */
function soakSummary(result: SoakResult, rate: number): string {
  const steady = result.samples.slice(1);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const [early, late] = [steady.slice(0, third), steady.slice(-third)];
  const rss = [mean(early.map((s) => s.rssMb)), mean(late.map((s) => s.rssMb))];
  const heapOf = (samples: SoakSample[]) => mean(samples.flatMap((s) => (s.heapAfterGcMb === undefined ? [] : [s.heapAfterGcMb])));
  const heap = [heapOf(early), heapOf(late)];
  const delay = [mean(early.map((s) => s.loopP99)), mean(late.map((s) => s.loopP99))];
  const perMinute = slope(steady.flatMap((s) => (s.heapAfterGcMb === undefined ? [] : [[s.atS / 60, s.heapAfterGcMb] as [number, number]])));
  const minutes = (result.samples.at(-1)?.atS ?? 0) / 60;
  const flat = heap[1] <= heap[0] * 1.1 && delay[1] <= Math.max(delay[0] * 1.5, delay[0] + 5);
  const failures =
    Object.entries(result.failed)
      .map(([status, count]) => `${n(count)} × ${status}`)
      .join(', ') || 'none';
  return `| Soak, ${minutes.toFixed(0)} min at ${n(rate)} commands/s | heap after full GC ${n(heap[0])} → ${n(heap[1])} MB (${perMinute.toFixed(1)} MB/min), RSS ${n(rss[0])} → ${n(rss[1])} MB, event-loop delay p99 ${ms(delay[0])} → ${ms(delay[1])}; ${n(result.requests)} answers, not 2xx: ${failures} | the first third of the samples | heap ${ratio(heap[1], heap[0])}, RSS ${ratio(rss[1], rss[0])} | no growth ${check(flat && failures === 'none')} |`;
}
