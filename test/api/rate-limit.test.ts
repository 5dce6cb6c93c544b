import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, startTestServer, type TestServer } from '../helpers/server.ts';

describe('rate limiting', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_PER_MINUTE: '5', INTEGRATOR_RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('answers 429 rate_limited past a session’s budget, leaving other callers alone', async () => {
    const { seekerId, providerId } = await createMembers(t);
    const seeker = await t.session(seekerId, 'seeker');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.api('GET', `/v1/actors/${seekerId}`, undefined, { token: seeker })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

    const refused = await t.api('GET', `/v1/actors/${seekerId}`, undefined, { token: seeker });
    expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited', error: expect.any(String) } });

    const provider = await t.session(providerId, 'provider');
    expect((await t.api('GET', `/v1/actors/${providerId}`, undefined, { token: provider })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await t.api('GET', `/v1/actors/${seekerId}`)).status).toBe(200);
  });
});
