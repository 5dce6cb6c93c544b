import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYRING, keyId } from '../../server/runtime/keyring.ts';
import { SUBJECT_KEYS } from '../../server/runtime/seal.ts';
import { createLink, createProvider, createSeeker, eventually } from '../helpers/link-flow.ts';
import { metricValue, parseMetrics } from '../helpers/metrics.ts';
import { testStoreEnv } from '../helpers/postgres.ts';
import { command, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Rotating DATA_KEY online (issue 16): subjects made under key A; a restart with DATA_KEYS=B,A
 * rewraps their keys in the background while commands go on; once the gauge reads 0, B alone
 * opens everything made under A: subjects' data through their rewrapped keys, what A sealed
 * directly (a link, a mail) and the blind indices through the keyring, which holds A wrapped by
 * B. Again from B to C: the keyring then yields A and B to C alone (README "Key rotation").
 */
describe('key rotation', { timeout: 240_000 }, () => {
  const [a, b, c] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
  const id = (key: string) => keyId(Buffer.from(key, 'base64'));
  let dataDir: string;
  let env: Record<string, string>;
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const toRewrap = async (server: TestServer) =>
    metricValue(parseMetrics(await (await fetch(`${server.url}/metrics`)).text()), 'trustwire_subject_keys_to_rewrap');
  /** The ids of the keys that wrap the stored keys, subjects' and keyring's. */
  const wrappers = async (server: TestServer) => {
    const records = [...(await server.server.store.listRecords(SUBJECT_KEYS)), ...(await server.server.store.listRecords(KEYRING))];
    return new Set((records as { key_id?: string }[]).map((r) => r.key_id));
  };
  const restart = async (keys: string) => {
    await t?.close();
    t = undefined;
    t = await startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: keys });
    return t;
  };

  async function seeker(server: TestServer, n: string) {
    const res = await server.api('POST', '/v1/seekers', { email: `rota-${n}@example.com`, plan: 'starter', first_name: `Rota${n}`, last_name: 'Tion' });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email: `rota-${n}@example.com` };
  }

  /** Old seekers change to `plan` and new ones are made until the gauge reads 0; returns the gauge's readings and the seekers made. */
  async function rotateUnderLoad(server: TestServer, old: { id: string }[], tag: string, plan: string) {
    const seen: number[] = [];
    const made: { id: string; email: string }[] = [];
    for (let round = 0; seen.at(-1) !== 0; round++) {
      expect(round, 'the job ends').toBeLessThan(300);
      seen.push(await toRewrap(server));
      const changing = old.slice(round * 10, round * 10 + 10);
      const [fresh, ...changed] = await Promise.all([
        seeker(server, `${tag}${round}`),
        ...changing.map((s) => command(server, s.id, { type: 'CHANGE_PLAN', plan })),
      ]);
      made.push(fresh);
      for (const res of changed) expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    return { seen, made };
  }

  // Made under A alone: seekers (subjects' data), and what A seals directly: a link, a mail.
  const seekers: { id: string; email: string }[] = [];
  let link: { id: string; status: string; data: unknown };
  const mailTo = `rota-mail-${crypto.randomUUID().slice(0, 8)}@example.com`;

  /** Every seeker's snapshot, the link and histories made under A, the mail sealed by A, and search, through `server` (and `npm run mail` with `keys`). */
  async function opensEverything(server: TestServer, keys: string) {
    for (let i = 0; i < seekers.length; i += 50) {
      const views = await Promise.all(seekers.slice(i, i + 50).map((s) => server.api('GET', `/v1/actors/${s.id}`)));
      for (const [j, view] of views.entries()) {
        expect(view.status, JSON.stringify(view.body)).toBe(200);
        expect(JSON.stringify(view.body)).toContain(seekers[i + j]!.email);
      }
    }
    const linkView = await server.api('GET', `/v1/actors/${link.id}`);
    expect(linkView.status, JSON.stringify(linkView.body)).toBe(200);
    expect(linkView.body).toMatchObject({ status: link.status, data: link.data });
    for (const actor of [seekers[0]!.id, link.id]) {
      const history = await server.api('GET', `/v1/actors/${actor}/history?verify=true`);
      expect(history.status).toBe(200);
      expect(history.body.data[0].event.type).toBe('CREATED');
      expect(history.body.verification).toMatchObject({ valid: true, first_invalid: null });
    }
    const agent = await server.session('agt_rotation', 'agent');
    const found = await server.api('GET', `/v1/members?q=${encodeURIComponent(seekers[0]!.email)}`, undefined, { token: agent });
    expect(found.status).toBe(200);
    expect(found.body.data.map((actor: { id: string }) => actor.id)).toEqual([seekers[0]!.id]);
    // `npm run mail` with the same DATA_KEYS opens the mail A sealed (it reads the store's keyring).
    const mail = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/read-mail.ts', '1000'], {
      env: { ...process.env, ...env, DATA_KEY: '', DATA_KEYS: keys },
    });
    expect(mail.stdout).toContain(`To: ${mailTo}`);
  }

  it('rewraps subject keys in the background while commands keep succeeding; the keyring keeps A wrapped by B', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustwire-rotation-'));
    env = { ...(await testStoreEnv()), DATA_DIR: dataDir };
    t = await startTestServer({ ...env, DATA_KEY: a, DATA_KEYS: '' });
    // Several chunks of the job (100 keys a commit).
    for (let i = 0; i < 16; i++) seekers.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => seeker(t!, `a${i}x${j}`)))));
    const made = await createLink(t, await createSeeker(t), await createProvider(t));
    link = { id: made.id, status: made.status, data: made.data };
    const candidate = await t.api('POST', '/v1/candidates', { email: mailTo, first_name: 'Morgan', last_name: 'Mailbox' });
    expect((await t.api('POST', '/v1/invitations', { package: 'tasker_standard', candidate_id: candidate.body.id })).status).toBe(201);
    await eventually(
      () => readdir(join(dataDir, 'mail')).catch(() => [] as string[]),
      (names) => names.length > 0,
      15_000,
    );
    expect(await wrappers(t)).toEqual(new Set([id(a)]));

    const rotating = await restart(`${b},${a}`);
    const { seen, made: during } = await rotateUnderLoad(rotating, seekers, 'b', 'legacy');
    seekers.push(...during);
    expect(seen[0], 'the gauge counts the keys left').toBeGreaterThan(0);
    expect(await wrappers(rotating)).toEqual(new Set([id(b)]));
    expect(await rotating.server.store.listRecords(KEYRING)).toEqual([{ data_key: id(a), wrapped: expect.any(String), key_id: id(b) }]);
  });

  it('then starts with B alone, which opens everything made under A (subjects, a link, histories, a mail) and search still matches', async () => {
    const onlyB = await restart(b);
    await opensEverything(onlyB, b);
    expect((await command(onlyB, seekers[1]!.id, { type: 'CHANGE_PLAN', plan: 'starter' })).status).toBe(200);
    seekers.push(await seeker(onlyB, 'only-b'));
  });

  it('rotates again, C,B then C alone: the keyring yields B and A to C, and everything still opens', async () => {
    const rotating = await restart(`${c},${b}`);
    const { seen, made } = await rotateUnderLoad(rotating, seekers, 'c', 'complete');
    seekers.push(...made);
    expect(seen[0], 'the gauge counts the keys left').toBeGreaterThan(0);
    expect(await wrappers(rotating)).toEqual(new Set([id(c)]));

    const onlyC = await restart(c);
    await opensEverything(onlyC, c);
    expect((await command(onlyC, seekers[2]!.id, { type: 'CHANGE_PLAN', plan: 'legacy' })).status).toBe(200);
    await t!.close();
    t = undefined;
  });

  it('refuses a start whose DATA_KEYS opens nothing stored, naming the key it lacks, and stores nothing', async () => {
    const unrelated = `${randomBytes(32).toString('base64')},${randomBytes(32).toString('base64')}`;
    await expect(startTestServer({ ...env, DATA_KEY: '', DATA_KEYS: unrelated })).rejects.toThrow(
      `DATA_KEYS lacks data key ${id(c)}, which wraps older data keys of the keyring`,
    );
    // The refused start left no record wrapped by the unrelated keys: C alone still starts.
    const onlyC = await restart(c);
    expect(await wrappers(onlyC)).toEqual(new Set([id(c)]));
  });
});
