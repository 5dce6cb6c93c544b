import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { postgresInstalled, startPostgres } from '../test/helpers/postgres.ts';
import { api, SCRIPTS, withChildren } from './child.ts';
import { compareLoads, type LoadResult, PlanChanges } from './commands.ts';
import { Audience, type FanoutResult, mapConcurrent, measureFanouts } from './fanout.ts';
import { worstDelay } from './loop-delay.ts';
import { seedStore } from './seed.ts';

export interface ClusterResult {
  lowdb: LoadResult;
  onePg: LoadResult;
  twoPg: LoadResult;
  /** Commits per database round trip (one NOTIFY each) over both PostgreSQL nodes. */
  perGroup: number;
  sameNode: FanoutResult;
  crossNode: FanoutResult;
}

export interface ClusterSettings {
  pool: number;
  slices: number;
  sliceSeconds: number;
  warmupSeconds: number;
  rounds: number;
  clients: number;
}

/**
 * One lowdb node, one PostgreSQL node, and two PostgreSQL nodes on one database with the load
 * split between them, taking turns under the same load; then changes made on node A reaching
 * staff sockets on A (same node) and on B (across nodes). PostgreSQL runs durably (fsync on) on
 * this machine, sharing its cores with the nodes and the load generator.
 */
export async function clusterBench(root: string, settings: ClusterSettings): Promise<ClusterResult | undefined> {
  if (!postgresInstalled()) return undefined;
  const pg = await startPostgres({ durable: true });
  try {
    const shared = {
      STORE: 'postgres',
      DATABASE_URL: await pg.createDatabase(),
      DATA_KEY: randomBytes(32).toString('base64'),
      SESSION_SECRET: randomBytes(32).toString('base64'),
    };
    const dirs = ['lowdb', 'pg-seed', 'pg-a', 'pg-b'].map((d) => join(root, `cluster-${d}`));
    await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
    const lowdbSeed = await seedStore(dirs[0], settings.pool, settings.pool);
    const pgSeed = await seedStore(dirs[1], settings.pool, settings.pool, shared);
    const nodes = [
      { script: SCRIPTS.trustwire, env: { DATA_DIR: dirs[0] } },
      { script: SCRIPTS.trustwire, env: { ...shared, DATA_DIR: dirs[2] } },
      { script: SCRIPTS.trustwire, env: { ...shared, DATA_DIR: dirs[3] } },
    ];
    return await withChildren(nodes, async ([lowdb, a, b]) => {
      // One plan book for both PostgreSQL targets: they change the same seekers in turn.
      const pgPlans = new PlanChanges(pgSeed.pool);
      const [lowdbLoad, onePg, twoPg] = await compareLoads(
        [
          { url: lowdb.url, path: '/v1/commands', bodies: new PlanChanges(lowdbSeed.pool).bodies, cpuMs: lowdb.cpuMs, loopDelay: lowdb.loopDelay },
          { url: a.url, path: '/v1/commands', bodies: pgPlans.bodies, cpuMs: a.cpuMs, loopDelay: a.loopDelay },
          {
            url: [a.url, b.url],
            path: '/v1/commands',
            bodies: pgPlans.bodies,
            cpuMs: async () => (await a.cpuMs()) + (await b.cpuMs()),
            loopDelay: async () => worstDelay(await Promise.all([a.loopDelay(), b.loopDelay()])),
          },
        ],
        settings.slices,
        settings.sliceSeconds,
        settings.warmupSeconds,
      );
      const stats = await Promise.all([a, b].map((node) => node.ask<{ groups: number; commits: number }>('stats')));

      const seeker = await api<{ id: string }>(a.url, '/v1/seekers', { email: 'cross@example.com', plan: 'starter' });
      const tokens = await mapConcurrent(
        Array.from({ length: settings.clients }, (_, i) => `agent-${i}`),
        async (subject) => (await api<{ token: string }>(a.url, '/v1/sessions', { subject, role: 'agent' })).token,
      );
      const onA = await Audience.connect(a.url, tokens);
      const onB = await Audience.connect(b.url, tokens);
      let plan = 'starter';
      const change = () => {
        plan = plan === 'legacy' ? 'starter' : 'legacy';
        return { path: '/v1/commands', body: { actor: seeker.id, event: { type: 'CHANGE_PLAN', plan } } };
      };
      try {
        const [sameNode, crossNode] = await measureFanouts(
          [
            { audience: onA, change },
            { audience: onB, target: a.url, change },
          ],
          10,
          settings.rounds,
        );
        const sum = (key: 'groups' | 'commits') => stats.reduce((total, s) => total + s[key], 0);
        return { lowdb: lowdbLoad, onePg, twoPg, perGroup: sum('commits') / sum('groups'), sameNode, crossNode };
      } finally {
        onA.close();
        onB.close();
      }
    });
  } finally {
    await pg.destroy();
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : n(x)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const check = (ok: boolean) => (ok ? '✓' : '✗');

/** Runs clusterBench and prints its lines and summary table (or why it was skipped). */
export async function reportCluster(root: string, quick: boolean, say: (line: string) => void): Promise<void> {
  const settings = quick
    ? { pool: 1_000, slices: 2, sliceSeconds: 2, warmupSeconds: 1, rounds: 50, clients: 20 }
    : { pool: 1_000, slices: 2, sliceSeconds: 5, warmupSeconds: 2, rounds: 200, clients: 20 };
  say(`\nSeveral nodes on PostgreSQL (one cluster on this machine, fsync on), 1,000 actors each, taking turns:`);
  const r = await clusterBench(root, settings);
  if (!r) {
    say('skipped: PostgreSQL is not installed (apt-get install -y postgresql)');
    return;
  }
  const load = (x: LoadResult) => `${n(x.reqPerSec)} req/s (p50 ${ms(x.p50)}, p99 ${ms(x.p99)})`;
  const cpu = (x: LoadResult) => `${n(x.cpuUsPerRequest)} µs`;
  const spread = (x: FanoutResult) => `p99 ${ms(x.p99FromSend)} from the send (p50 ${ms(x.p50)} after the answer)`;
  say(`lowdb node                         ${load(r.lowdb)}, node CPU ${cpu(r.lowdb)}/req`);
  say(`one PostgreSQL node                ${load(r.onePg)}, node CPU ${cpu(r.onePg)}/req`);
  say(`two PostgreSQL nodes, load split   ${load(r.twoPg)}, nodes' CPU ${cpu(r.twoPg)}/req; ${r.perGroup.toFixed(1)} commits per round trip and NOTIFY`);
  say(`change on A → ${settings.clients} staff sockets on A   ${spread(r.sameNode)}`);
  say(`change on A → ${settings.clients} staff sockets on B   ${spread(r.crossNode)}`);
  say(`
| PostgreSQL (P9) | measured | same-run baseline | ratio | target |
|---|---|---|---|---|
| one PostgreSQL node, \`POST /v1/commands\` | ${load(r.onePg)} | lowdb node: ${load(r.lowdb)} | ${ratio(r.onePg.reqPerSec, r.lowdb.reqPerSec)} | ≥ 0.5× ${check(r.onePg.reqPerSec >= 0.5 * r.lowdb.reqPerSec)} |
| two PostgreSQL nodes, load split | ${load(r.twoPg)} | one PostgreSQL node | ${ratio(r.twoPg.reqPerSec, r.onePg.reqPerSec)} | ≥ 0.9× ${check(r.twoPg.reqPerSec >= 0.9 * r.onePg.reqPerSec)} |
| change on A → staff sockets on B | ${spread(r.crossNode)} | on A: ${spread(r.sameNode)} | p99 ${ratio(r.crossNode.p99FromSend, r.sameNode.p99FromSend)} | ≤ 2× ${check(r.crossNode.p99FromSend <= 2 * r.sameNode.p99FromSend)} |

${n(r.lowdb.requests + r.onePg.requests + r.twoPg.requests)} answers, not 2xx: ${n([r.lowdb, r.onePg, r.twoPg].reduce((a, x) => a + Object.values(x.failed).reduce((b, c) => b + c, 0), 0))}; ${r.perGroup.toFixed(1)} commits per group commit (one database round trip and one NOTIFY each).`);
}
