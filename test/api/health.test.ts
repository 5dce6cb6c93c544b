import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('health and authentication', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers /healthz once it accepts commands', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('refuses the API without credentials or with a bad key, in the error shape', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Basic ${Buffer.from('wrong:').toString('base64')}`]) {
      const response = await fetch(`${t.url}/v1/actors`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthorized', error: expect.any(String) });
    }
  });

  it('accepts the API key as Basic user name and as Bearer', async () => {
    const basic = await t.api('GET', '/v1/actors');
    expect(basic.status).toBe(200);
    const bearer = await fetch(`${t.url}/v1/actors`, { headers: { authorization: 'Bearer test-api-key' } });
    expect(bearer.status).toBe(200);
  });
});
