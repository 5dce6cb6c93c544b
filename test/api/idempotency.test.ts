import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, createProvider, createSeeker, DISCLOSURE, getActor } from '../helpers/link-flow.ts';
import { API_KEY, command, startTestServer, type TestServer } from '../helpers/server.ts';

const SECOND_KEY = 'second-integrator-key';

/** API.md: `Idempotency-Key` on every POST, and `expected_version` on commands. */
describe('Idempotency-Key and expected_version', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ API_KEYS: `${API_KEY},${SECOND_KEY}` });
  });
  afterAll(() => t.close());

  const key = () => `key-${crypto.randomUUID()}`;
  const seekerCount = async () => (await t.api('GET', '/v1/actors?kind=seeker&per_page=1')).body.count as number;
  const newSeeker = () => ({ email: `idem-${crypto.randomUUID().slice(0, 8)}@example.com`, plan: 'complete' });

  /** A POST with an Idempotency-Key, as the integrator (or with a token / another API key). */
  async function post(path: string, body: unknown, idempotencyKey: string, auth: { token?: string; apiKey?: string } = {}) {
    const headers: Record<string, string> = { 'idempotency-key': idempotencyKey, 'content-type': 'application/json' };
    headers.authorization = auth.token ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.apiKey ?? API_KEY}:`).toString('base64')}`;
    const res = await fetch(t.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') };
  }

  describe('Idempotency-Key', () => {
    it('replays the first answer to a retry and creates the seeker once', async () => {
      const before = await seekerCount();
      const k = key();
      const body = newSeeker();
      const first = await post('/v1/seekers', body, k);
      expect(first.status).toBe(201);
      const retry = await post('/v1/seekers', body, k);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.replayed).toBe('true');
      expect(await seekerCount()).toBe(before + 1);
      expect((await getActor(t, first.body.id)).version).toBe(first.body.version);
    });

    it('creates one actor for concurrent requests with the same key', async () => {
      const before = await seekerCount();
      const k = key();
      const body = newSeeker();
      const answers = await Promise.all(Array.from({ length: 10 }, () => post('/v1/seekers', body, k)));
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const a of created) expect(a.body.id).toBe(created[0].body.id);
      for (const a of answers.filter((x) => x.status !== 201)) {
        expect(a.status).toBe(409);
        expect(a.body.code).toBe('idempotency_in_progress');
      }
      expect(await seekerCount()).toBe(before + 1);
      // Once the first is done, a retry gets its answer.
      const later = await post('/v1/seekers', body, k);
      expect(later).toMatchObject({ status: 201, body: { id: created[0].body.id } });
    });

    it('replays a command instead of applying it twice', async () => {
      const link = await createLink(t, await createSeeker(t), await createProvider(t));
      const k = key();
      const body = { actor: link.id, event: { type: 'CONFIRM_HIRE' } };
      const first = await post('/v1/commands', body, k);
      expect(first.status).toBe(200);
      expect(first.body.actor.data.step).toBe('disclosures');
      const retry = await post('/v1/commands', body, k);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      const history = (await t.api('GET', `/v1/actors/${link.id}/history`)).body.data;
      expect(history.filter((h: any) => h.event.type === 'CONFIRM_HIRE')).toHaveLength(1);
      // Without the key, the same command is a new one, which the state no longer accepts.
      expect((await command(t, link.id, { type: 'CONFIRM_HIRE' })).status).toBe(409);
    });

    it('refuses the same key with another body or on another endpoint', async () => {
      const before = await seekerCount();
      const k = key();
      const first = await post('/v1/seekers', newSeeker(), k);
      expect(first.status).toBe(201);
      const other = await post('/v1/seekers', newSeeker(), k);
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ code: 'idempotency_key_reused', error: expect.any(String) });
      const elsewhere = await post('/v1/providers', { email: 'p@example.com', first_name: 'P', last_name: 'Q' }, k);
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.code).toBe('idempotency_key_reused');
      expect(await seekerCount()).toBe(before + 1);
    });

    it('does not remember refusals: the same key may carry the corrected request', async () => {
      const k = key();
      const bad = await post('/v1/seekers', { email: 'not-an-email', plan: 'complete' }, k);
      expect(bad.status).toBe(400);
      const good = await post('/v1/seekers', newSeeker(), k);
      expect(good.status).toBe(201);
    });

    it('scopes keys to the credentials that sent them', async () => {
      const k = key();
      const body = newSeeker();
      const mine = await post('/v1/seekers', body, k);
      const theirs = await post('/v1/seekers', { ...body, email: `other-${body.email}` }, k, { apiKey: SECOND_KEY });
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.replayed).toBeNull();

      // Two seekers' sessions using the same key each get their own command applied.
      const [a, b] = [await createSeeker(t), await createSeeker(t)];
      const provider = await createProvider(t);
      const [linkA, linkB] = [await createLink(t, a, provider), await createLink(t, b, provider)];
      const [tokenA, tokenB] = [await t.session(a, 'seeker'), await t.session(b, 'seeker')];
      const shared = key();
      const resA = await post('/v1/commands', { actor: linkA.id, event: { type: 'CONFIRM_HIRE' } }, shared, { token: tokenA });
      const resB = await post('/v1/commands', { actor: linkB.id, event: { type: 'CONFIRM_HIRE' } }, shared, { token: tokenB });
      expect(resA.status).toBe(200);
      expect(resB.status).toBe(200);
      expect(resB.body.actor.id).toBe(linkB.id);
      expect((await getActor(t, linkB.id)).data.step).toBe('disclosures');
      // Each retry replays its own caller's answer.
      const retryB = await post('/v1/commands', { actor: linkB.id, event: { type: 'CONFIRM_HIRE' } }, shared, { token: tokenB });
      expect(retryB).toMatchObject({ status: 200, replayed: 'true', body: resB.body });
    });
  });

  describe('expected_version', () => {
    it('refuses a stale version with 409 version_conflict and changes nothing', async () => {
      const link = await createLink(t, await createSeeker(t), await createProvider(t));
      const before = await getActor(t, link.id);
      for (const stale of [before.version - 1, before.version + 1, 0]) {
        const res = await command(t, link.id, { type: 'CONFIRM_HIRE' }, undefined, stale);
        expect(res.status, `expected_version ${stale}`).toBe(409);
        expect(res.body).toMatchObject({ code: 'version_conflict', error: expect.any(String) });
      }
      const after = await getActor(t, link.id);
      expect(after).toMatchObject({ version: before.version, status: 'draft', data: { step: 'confirm_hire' } });
      expect((await t.api('GET', `/v1/actors/${link.id}/history`)).body.count).toBe(1);
    });

    it('applies the command at the current version', async () => {
      const link = await createLink(t, await createSeeker(t), await createProvider(t));
      const res = await command(t, link.id, { type: 'CONFIRM_HIRE' }, undefined, link.version);
      expect(res.status).toBe(200);
      expect(res.body.actor).toMatchObject({ version: link.version + 1, data: { step: 'disclosures' } });
      const next = await command(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, undefined, res.body.actor.version);
      expect(next.status).toBe(200);
      expect(next.body.actor.version).toBe(link.version + 2);
    });

    it('lets exactly one of two concurrent commands at the same version through', async () => {
      const link = await createLink(t, await createSeeker(t), await createProvider(t));
      const [a, b] = await Promise.all([
        command(t, link.id, { type: 'CONFIRM_HIRE' }, undefined, link.version),
        command(t, link.id, { type: 'CANCEL_REQUEST' }, undefined, link.version),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect([a, b].find((r) => r.status === 409)!.body.code).toBe('version_conflict');
      expect((await getActor(t, link.id)).version).toBe(link.version + 1);
    });
  });
});
