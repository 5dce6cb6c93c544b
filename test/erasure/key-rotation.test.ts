import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyId, SUBJECT_KEYS } from '../../server/runtime/seal.ts';
import { metricValue, parseMetrics } from '../helpers/metrics.ts';
import { testStoreEnv } from '../helpers/postgres.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Rotating DATA_KEY online (issue 16): subjects made under key A; a restart with DATA_KEYS=B,A
 * rewraps their keys in the background while commands go on; once the gauge reads 0, B alone
 * opens every subject's data.
 */
describe('key rotation', { timeout: 240_000 }, () => {
  const [a, b] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
  let dataDir: string;
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const toRewrap = async (server: TestServer) => metricValue(parseMetrics(await (await fetch(`${server.url}/metrics`)).text()), 'trustwire_subject_keys_to_rewrap');
  const keyIds = async (server: TestServer) => new Set(((await server.server.store.listRecords(SUBJECT_KEYS)) as { key_id?: string }[]).map((r) => r.key_id));

  async function seeker(server: TestServer, n: string) {
    const res = await server.api('POST', '/v1/seekers', { email: `rota-${n}@example.com`, plan: 'starter', first_name: `Rota${n}`, last_name: 'Tion' });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email: `rota-${n}@example.com` };
  }

  it('rewraps subject keys in the background while commands keep succeeding, and then the old key can go', async () => {
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
      expect(round).toBeLessThan(80);
      seen.push(await toRewrap(rotating));
      const old = before.slice(round * 10, round * 10 + 10);
      const [made, ...changed] = await Promise.all([seeker(rotating, `b${round}`), ...old.map((s) => command(rotating, s.id, { type: 'CHANGE_PLAN', plan: 'legacy' }))]);
      during.push(made);
      for (const res of changed) expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(seen[0], 'the gauge counts the keys left').toBeGreaterThan(0);
    expect(await keyIds(t)).toEqual(new Set([keyId(Buffer.from(b, 'base64'))]));
    await t.close();

    // A dropped: every subject's data, sealed before and during rotation, opens with B alone.
    t = await startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: b });
    expect(await toRewrap(t)).toBe(0);
    for (const s of [...before, ...during]) {
      const res = await t.api('GET', `/v1/seekers/${s.id}/export`);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain(s.email);
    }
    expect((await seeker(t, 'c')).id).toMatch(/^skr_/);
  });
});
