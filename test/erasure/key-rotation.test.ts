import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyId } from '../../server/runtime/keyring.ts';
import { Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../../server/runtime/seal.ts';
import { metricValue, parseMetrics } from '../helpers/metrics.ts';
import { testStoreEnv } from '../helpers/postgres.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Rotating DATA_KEY online (issue 16): subjects made under key A; a restart with DATA_KEYS=B,A
 * rewraps their keys in the background while commands go on; once the gauge reads 0, B alone
 * opens every subject's data. A stays needed for the blind indices (README "Key rotation").
 */
describe('key rotation', { timeout: 240_000 }, () => {
  const [a, b] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
  let dataDir: string;
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const toRewrap = async (server: TestServer) =>
    metricValue(parseMetrics(await (await fetch(`${server.url}/metrics`)).text()), 'trustwire_subject_keys_to_rewrap');
  const keyIds = async (server: TestServer) => new Set(((await server.server.store.listRecords(SUBJECT_KEYS)) as { key_id?: string }[]).map((r) => r.key_id));

  async function seeker(server: TestServer, n: string) {
    const res = await server.api('POST', '/v1/seekers', { email: `rota-${n}@example.com`, plan: 'starter', first_name: `Rota${n}`, last_name: 'Tion' });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email: `rota-${n}@example.com` };
  }

  it('rewraps subject keys in the background while commands keep succeeding; then B alone opens every subject, while A still keys the blind indices', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustwire-rotation-'));
    const env = { ...(await testStoreEnv()), DATA_DIR: dataDir };
    t = await startTestServer({ ...env, DATA_KEY: a, DATA_KEYS: '' });
    // Several chunks of the job (100 keys a commit).
    const before = [];
    for (let i = 0; i < 16; i++) before.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => seeker(t!, `a${i}x${j}`)))));
    expect(await keyIds(t)).toEqual(new Set([keyId(Buffer.from(a, 'base64'))]));
    await t.close();

    t = await startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: `${b},${a}` });
    const rotating = t;
    const seen: number[] = [];
    const during: { id: string; email: string }[] = [];
    // Commands go on while the job runs, until the gauge reads 0.
    for (let round = 0; seen.at(-1) !== 0; round++) {
      expect(round, 'the job ends').toBeLessThan(300);
      seen.push(await toRewrap(rotating));
      const old = before.slice(round * 10, round * 10 + 10);
      const [made, ...changed] = await Promise.all([
        seeker(rotating, `b${round}`),
        ...old.map((s) => command(rotating, s.id, { type: 'CHANGE_PLAN', plan: 'legacy' })),
      ]);
      during.push(made);
      for (const res of changed) expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(seen[0], 'the gauge counts the keys left').toBeGreaterThan(0);
    expect(await keyIds(t)).toEqual(new Set([keyId(Buffer.from(b, 'base64'))]));
    const records = (await t.server.store.listRecords(SUBJECT_KEYS)) as SubjectKeyRecord[];
    const snapshots = await Promise.all([...before, ...during].map(async (s) => ({ ...s, snapshot: (await t!.server.store.getActor(s.id))!.snapshot })));
    await t.close();
    t = undefined;

    // Every subject's data, sealed before and during rotation, opens with B alone.
    const onlyB = new Sealer([Buffer.from(b, 'base64')]);
    for (const record of records) onlyB.learn(record);
    for (const s of snapshots) expect(JSON.stringify(onlyB.open(s.snapshot))).toContain(s.email);
    // But A keys the blind indices (search, blocklist), which cannot be recomputed: a start without it is refused, naming it.
    await expect(startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: b })).rejects.toThrow(
      `DATA_KEYS lacks data key ${keyId(Buffer.from(a, 'base64'))}, which keys the blind indices`,
    );
    // With A kept last, search still finds a seeker indexed before rotation.
    t = await startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: `${b},${a}` });
    const agent = await t.session('agt_rotation', 'agent');
    const found = await t.api('GET', `/v1/members?q=${encodeURIComponent(before[0].email)}`, undefined, { token: agent });
    expect(found.status).toBe(200);
    expect(found.body.data.map((actor: { id: string }) => actor.id)).toEqual([before[0].id]);
  });
});
