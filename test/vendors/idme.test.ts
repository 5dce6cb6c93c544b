import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDME_IAL2_SCOPE, IdmeClient, IdmeError, idmeDecision, parseCallback } from '../../server/vendors/idme/adapter.ts';
import { idmeSandbox } from '../../server/vendors/idme/sandbox.ts';

const REDIRECT_URI = 'https://app.example/idme/callback';
const CLIENT = { clientId: 'trustwire-test', clientSecret: 's3cret', redirectUri: REDIRECT_URI };

let server: Server;
let origin: string;

beforeAll(async () => {
  const app = express();
  const clients = { [CLIENT.clientId]: { secret: CLIENT.clientSecret, redirectUris: [REDIRECT_URI] } };
  app.use('/sandbox/idme', idmeSandbox({ clients }));
  // A vendor whose userinfo is signed by a key other than the one its JWKS publishes.
  const signer = idmeSandbox({ clients });
  const otherKeys = idmeSandbox({ clients });
  app.use('/tampered', (req, res, next) => (req.path.startsWith('/oidc/') ? otherKeys : signer)(req, res, next));
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(mount = '/sandbox/idme', overrides: Partial<typeof CLIENT> = {}): IdmeClient {
  return new IdmeClient({ baseUrl: origin + mount, authorizeBaseUrl: mount, ...CLIENT, ...overrides });
}

/** Walks the authorize step as a browser would, returning the callback's query. */
async function authorize(c: IdmeClient, decision: 'verify' | 'deny', state = 'st-1'): Promise<URLSearchParams> {
  const res = await fetch(`${origin}${c.authorizeUrl(state)}&sandbox_decision=${decision}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin + location.pathname).toBe(REDIRECT_URI);
  return location.searchParams;
}

describe('ID.me sandbox', () => {
  it('publishes discovery and an RS256 key set', async () => {
    const config = await (await fetch(`${origin}/sandbox/idme/oidc/.well-known/openid-configuration`)).json();
    expect(config.jwks_uri).toBe(`${origin}/sandbox/idme/oidc/.well-known/jwks`);
    expect(config.token_endpoint).toBe(`${origin}/sandbox/idme/oauth/token`);
    const jwks = await (await fetch(config.jwks_uri)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('serves a self-contained page offering verify and deny', async () => {
    const res = await fetch(origin + client().authorizeUrl('st-1'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<title>ID\.me Sandbox/);
    expect(html).toContain('Verify my identity');
    expect(html).toContain('Deny');
    expect(html).toMatch(/href="\?[^"]*sandbox_decision=verify"/);
    expect(html).toMatch(/href="\?[^"]*sandbox_decision=deny"/);
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('answers token and userinfo in ID.me wire shapes', async () => {
    const code = (await authorize(client(), 'verify')).get('code')!;
    const tokenRes = await fetch(`${origin}/sandbox/idme/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    });
    const token = await tokenRes.json();
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: `openid ${IDME_IAL2_SCOPE}` });
    expect(token.id_token.split('.')).toHaveLength(3);

    const info = await fetch(`${origin}/sandbox/idme/api/public/v3/userinfo`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(info.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await info.text();
    expect(body).toMatch(/^"[\w-]+\.[\w-]+\.[\w-]+"$/);

    const denied = await fetch(`${origin}/sandbox/idme/api/public/v3/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(denied.status).toBe(401);
  });

  it('redirects with invalid_scope for an unknown policy', async () => {
    const url = client().authorizeUrl('st-2').replace(encodeURIComponent(IDME_IAL2_SCOPE), 'military');
    const res = await fetch(`${origin}${url}&sandbox_decision=verify`, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!).searchParams;
    expect(back.get('error')).toBe('invalid_scope');
    expect(back.get('state')).toBe('st-2');
  });

  // Finding 9 of issue 17: the authorize page sent the browser to any redirect_uri it was given.
  it('never redirects to a redirect_uri not registered for the client, nor for an unknown client', async () => {
    for (const overrides of [
      { redirectUri: 'https://attacker.example/steal' },
      { redirectUri: `${REDIRECT_URI}/../../elsewhere` },
      { clientId: 'someone-else' },
    ]) {
      for (const decision of ['', '&sandbox_decision=verify', '&sandbox_decision=deny']) {
        const res = await fetch(`${origin}${client('/sandbox/idme', overrides).authorizeUrl('st-x')}${decision}`, { redirect: 'manual' });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(await res.json()).toMatchObject({ error: 'invalid_client' });
      }
    }
  });

  it('refuses an authorize request missing parameters', async () => {
    const res = await fetch(`${origin}/sandbox/idme/oauth/authorize?client_id=${CLIENT.clientId}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('IdmeClient', () => {
  it('builds the authorize URL with the IAL2 policy', () => {
    const url = new URL(client().authorizeUrl('abc'), 'http://x');
    expect(url.pathname).toBe('/sandbox/idme/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: `openid ${IDME_IAL2_SCOPE}`,
      state: 'abc',
    });
  });

  it('completes a verified identity', async () => {
    const c = client();
    const back = await authorize(c, 'verify', 'st-ok');
    expect(back.get('state')).toBe('st-ok');
    const callback = parseCallback(Object.fromEntries(back));
    expect('code' in callback).toBe(true);
    if (!('code' in callback)) return;
    const result = await c.complete(callback.code);
    expect(result.verified).toBe(true);
    expect(result.reference).toMatch(/^[0-9a-f]{32}$/);
    expect(result.reason).toBeUndefined();
  });

  it('reports a denial through the callback', async () => {
    const back = await authorize(client(), 'deny', 'st-no');
    expect(back.get('state')).toBe('st-no');
    expect(back.get('code')).toBeNull();
    expect(parseCallback(Object.fromEntries(back))).toEqual({
      error: 'access_denied',
      description: expect.any(String),
    });
  });

  it('refuses a reused code', async () => {
    const c = client();
    const code = (await authorize(c, 'verify')).get('code')!;
    await c.complete(code);
    await expect(c.complete(code)).rejects.toThrow(IdmeError);
    await expect(c.complete(code)).rejects.toThrow(/invalid_grant/);
  });

  it('refuses a wrong client secret', async () => {
    const code = (await authorize(client(), 'verify')).get('code')!;
    await expect(client('/sandbox/idme', { clientSecret: 'wrong' }).complete(code)).rejects.toThrow(/HTTP 401 invalid_client/);
  });

  it('rejects userinfo signed by a key outside the JWKS', async () => {
    const c = client('/tampered');
    const code = (await authorize(c, 'verify')).get('code')!;
    await expect(c.complete(code)).rejects.toThrow(/userinfo JWT rejected/);
  });

  it('turns network failures into IdmeError', async () => {
    const closed = express().listen(0);
    await new Promise((resolve) => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const c = new IdmeClient({ baseUrl: `http://127.0.0.1:${port}`, authorizeBaseUrl: '/x', ...CLIENT });
    await expect(c.complete('code')).rejects.toThrow(/token request failed/);
  });
});

describe('idmeDecision', () => {
  const person = { sub: 'u1', fname: 'A', lname: 'B', birth_date: '1990-01-01' };
  const ial2 = `openid ${IDME_IAL2_SCOPE}`;

  it('verifies a full identity under the kept IAL2 scope', () => {
    expect(idmeDecision(ial2, person)).toEqual({ verified: true, reference: 'u1' });
  });

  it('does not verify when the granted scope drops IAL2', () => {
    expect(idmeDecision('openid', person)).toEqual({ verified: false, reference: 'u1', reason: 'ial2_not_granted' });
  });

  it('does not verify an incomplete identity', () => {
    expect(idmeDecision(ial2, { sub: 'u1', fname: 'A', lname: 'B' })).toMatchObject({ verified: false, reason: 'incomplete_identity' });
  });

  it("accepts ID.me's IAL2 markers", () => {
    expect(idmeDecision('openid', { sub: 'u1', credential_ial: 'classic_loa3' }).verified).toBe(true);
    expect(idmeDecision('openid', { sub: 'u1', level_of_assurance: 3 }).verified).toBe(true);
  });

  it('needs a sub', () => {
    expect(() => idmeDecision(ial2, { fname: 'A' })).toThrow(IdmeError);
  });
});

describe('parseCallback', () => {
  it('reads a code, an error, or neither', () => {
    expect(parseCallback({ code: 'c', state: 's' })).toEqual({ code: 'c' });
    expect(parseCallback({ error: 'invalid_scope', error_description: 'bad' })).toEqual({ error: 'invalid_scope', description: 'bad' });
    expect(parseCallback({})).toMatchObject({ error: 'invalid_request' });
  });
});
