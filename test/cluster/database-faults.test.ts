/**
 * The database lost and back (SPEC.md P9): nodes on PostgreSQL refuse to start without it (or
 * without the shared keys), and a database restarted under load loses nothing acknowledged while
 * the nodes, never restarted, say they are not ready, answer 503 `store_unavailable`, and recover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEnv, startNodes } from '../helpers/cluster.ts';
import { createSeeker } from '../helpers/link-flow.ts';
import { type PgCluster, postgresAvailable, startPostgres } from '../helpers/postgres.ts';
import { type ChildServer, eventually, freePort, killAllChildren, sleep, startChild } from '../helpers/process.ts';
import { command } from '../helpers/server.ts';

describe.runIf(postgresAvailable())('the database lost and back', { timeout: 180_000 }, () => {
  let cluster: PgCluster;
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = await startPostgres();
    env = await sharedEnv(cluster);
  }, 120_000);

  afterAll(async () => {
    await killAllChildren();
    await cluster?.destroy();
  });

  it('a node whose database cannot be reached exits, naming DATABASE_URL', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/nothing`;
    await expect(startChild({ env: { ...env, DATABASE_URL: url }, readyTimeoutMs: 90_000 })).rejects.toThrow(
      /cannot start: .*DATABASE_URL \(postgres:\/\/postgres@127\.0\.0\.1/,
    );
  });

  it('refuses STORE=postgres without the keys every node must share', async () => {
    const { DATA_KEY: _key, SESSION_SECRET: _secret, ...rest } = env;
    await expect(startChild({ env: rest, readyTimeoutMs: 90_000 })).rejects.toThrow(/STORE=postgres needs DATA_KEY, SESSION_SECRET/);
  });

  it('loses nothing acknowledged when the database restarts under load, and the nodes recover by themselves', async () => {
    const nodes = await startNodes(2, env, { readyTimeoutMs: 90_000 });
    const pids = nodes.map((n) => n.pid);
    const seekers = await Promise.all(Array.from({ length: 6 }, () => createSeeker(nodes[0], 'starter')));
    const acknowledged: { actor: string; version: number }[] = [];
    const unavailable: string[] = [];
    let running = true;

    // One worker per seeker, through alternating nodes: CHANGE_PLAN back and forth, retried on failure.
    const workers = seekers.map(async (actor, w) => {
      let plan: 'starter' | 'legacy' = 'legacy';
      for (let i = 0; running; i++) {
        const node = nodes[(w + i) % 2];
        const answer = await command(node, actor, { type: 'CHANGE_PLAN', plan }).catch(() => undefined);
        if (answer?.status === 200) {
          acknowledged.push({ actor, version: answer.body.actor.version });
          plan = plan === 'legacy' ? 'starter' : 'legacy';
        } else if (answer?.status === 409 && answer.body.code === 'invalid_transition') {
          // The previous attempt failed to answer but committed (the connection dropped after COMMIT).
          plan = plan === 'legacy' ? 'starter' : 'legacy';
        } else if (answer?.status === 503) {
          unavailable.push(answer.body.code);
          await sleep(100);
        } else if (running) throw new Error(`unexpected answer ${answer?.status} ${JSON.stringify(answer?.body)}`);
      }
    });

    const ready = (node: ChildServer) => node.api('GET', '/readyz');
    await eventually(async () => (acknowledged.length >= 30 ? true : undefined), 30_000, 'load before the restart');
    await cluster.stopServer('immediate');
    for (const node of nodes) {
      const answer = await eventually(async () => ((await ready(node)).status === 503 ? ready(node) : undefined), 20_000, 'readyz 503');
      expect(answer.body).toMatchObject({ ok: false, reason: expect.stringMatching(/store unavailable/) });
      expect((await node.api('GET', '/healthz')).status).toBe(200);
      const refused = await command(node, seekers[0], { type: 'CHANGE_PLAN', plan: 'complete' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'store_unavailable', error: expect.any(String) });
    }
    const beforeRestart = acknowledged.length;
    await sleep(1_000);
    await cluster.startServer();
    for (const node of nodes) await eventually(async () => ((await ready(node)).status === 200 ? true : undefined), 30_000, 'readyz 200 after the restart');
    await eventually(async () => (acknowledged.length >= beforeRestart + 30 ? true : undefined), 30_000, 'load after the restart');
    running = false;
    await Promise.all(workers);

    expect(unavailable.every((code) => code === 'store_unavailable')).toBe(true);
    expect(nodes.map((n) => [n.alive, n.pid])).toEqual(pids.map((pid) => [true, pid]));
    for (const actor of seekers) {
      const history = (await nodes[1].api('GET', `/v1/actors/${actor}/history?per_page=100`)).body.data as { version: number }[];
      const versions = history.map((h) => h.version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      for (const a of acknowledged.filter((x) => x.actor === actor)) expect(versions).toContain(a.version);
    }
  });
});
