import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Finding 7 of issue 17: `/v1/idme/callback` took any server-signed token as `state`, again and again, with any error text. */
describe('ID.me callback state', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const callback = (query: Record<string, string>) => fetch(`${t.url}/v1/idme/callback?${new URLSearchParams(query)}`, { redirect: 'manual' });

  async function seeker() {
    const created = await t.api('POST', '/v1/seekers', {
      email: `s-${crypto.randomUUID()}@example.com`,
      plan: 'complete',
      first_name: 'Sam',
      last_name: 'Seeker',
    });
    const token = await t.session(created.body.id, 'seeker');
    const start = async () => {
      const started = await t.api('POST', `/v1/seekers/${created.body.id}/idme`, {}, { token });
      expect(started.status).toBe(200);
      return new URL(started.body.authorize_url, t.url).searchParams.get('state')!;
    };
    const history = async () =>
      (await t.api('GET', `/v1/seekers/${created.body.id}/screening_history`)).body.data as { vendor: string; outcome: string; reference: string }[];
    return { id: created.body.id as string, start, history };
  }

  it('takes a state once, for the attempt it started, and stores only a known error code', async () => {
    const s = await seeker();
    const state = await s.start();
    const first = await callback({ state, error: 'x'.repeat(8000), error_description: 'y'.repeat(8000) });
    expect(first.status).toBe(302);
    for (let i = 0; i < 5; i++) expect((await callback({ state, error: 'access_denied' })).status).toBe(400);
    expect(await s.history()).toEqual([expect.objectContaining({ vendor: 'idme', outcome: 'denied', reference: 'invalid_request' })]);
  });

  it('refuses a server-signed token that no attempt started, and the state of an attempt replaced by a newer one', async () => {
    const s = await seeker();
    const forged = t.server.auth.signed({ seeker: s.id }, Date.now() + 60_000);
    expect((await callback({ state: forged, error: 'access_denied' })).status).toBe(400);
    const older = await s.start();
    const newer = await s.start();
    expect((await callback({ state: older, error: 'access_denied' })).status).toBe(400);
    expect((await callback({ state: newer, error: 'access_denied' })).status).toBe(302);
    expect(await s.history()).toEqual([expect.objectContaining({ outcome: 'denied', reference: 'access_denied' })]);
  });
});
