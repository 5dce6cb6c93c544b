import { randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { escapeHtml } from '../../html.ts';
import { clientCredentialsValid } from '../sandbox-clients.ts';
import { IDME_IAL2_SCOPE } from './adapter.ts';

/**
 * ID.me's OAuth2 / OIDC wire contract (VENDORS.md "ID.me"), served in memory for development and
 * tests. Mount it at `/sandbox/idme`.
 *
 * - `clients` maps each registered client_id to its secret and its registered redirect URIs: as at
 *   ID.me, an unknown client or a `redirect_uri` not registered is refused on the page itself,
 *   never redirected to (no open redirect).
 * - The person behind every sign-in is the same fixed test person, but each authorization gets its
 *   own `sub`, so several seekers verified in one run don't share an ID.me identity.
 * - The authorize page's choice is made by re-GETting the URL with `sandbox_decision=verify|deny`.
 */
export interface IdmeSandboxOptions {
  clients: Record<string, { secret: string; redirectUris: string[] }>;
}

const CODE_TTL_MS = 10 * 60_000;
const TOKEN_TTL_S = 300;

const TEST_PERSON = {
  fname: 'Jordan',
  lname: 'Testperson',
  email: 'jordan.testperson@example.com',
  birth_date: '1985-04-12',
  phone: '+15555550100',
  street: '123 Sandbox Way',
  city: 'Arlington',
  state: 'VA',
  zip: '22201',
  credential_ial: 'classic_loa3',
};

interface Grant {
  clientId: string;
  redirectUri: string;
  scope: string;
  sub: string;
  expiresAt: number;
}

export function idmeSandbox(options: IdmeSandboxOptions): express.Router {
  const router = express.Router();
  // Generated once per sandbox; handlers await it so the router can be returned synchronously.
  const keys = generateKeyPair('RS256').then(async ({ publicKey, privateKey }) => ({
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' },
  }));
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, Grant>();

  const secrets = Object.fromEntries(Object.entries(options.clients).map(([id, client]) => [id, client.secret]));
  const registered = (clientId: string, redirectUri: string) =>
    Object.hasOwn(options.clients, clientId) && options.clients[clientId].redirectUris.includes(redirectUri);

  const sign = async (claims: Record<string, unknown>, req: Request, audience: string) => {
    const { privateKey, jwk } = await keys;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .setIssuer(issuer(req))
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_TTL_S}s`)
      .sign(privateKey);
  };

  router.get('/oidc/.well-known/openid-configuration', (req, res) => {
    const base = baseUrl(req);
    res.json({
      issuer: issuer(req),
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      userinfo_endpoint: `${base}/api/public/v3/userinfo`,
      jwks_uri: `${base}/oidc/.well-known/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', IDME_IAL2_SCOPE],
      id_token_signing_alg_values_supported: ['RS256'],
      userinfo_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });

  router.get('/oidc/.well-known/jwks', async (_req, res) => {
    res.json({ keys: [(await keys).jwk] });
  });

  router.get('/oauth/authorize', (req, res) => {
    const q = stringParams(req.query);
    const missing = ['client_id', 'redirect_uri', 'response_type', 'scope'].filter((k) => !q[k]);
    // Errors are redirected back only to a redirect_uri registered for a known client.
    if (missing.length > 0) {
      res.status(400).json({ error: 'invalid_request', error_description: `missing ${missing.join(', ')}` });
      return;
    }
    if (!registered(q.client_id, q.redirect_uri)) {
      res.status(400).json({ error: 'invalid_client', error_description: 'unknown client_id or a redirect_uri not registered for it' });
      return;
    }
    const back = (params: Record<string, string>) => res.redirect(302, withQuery(q.redirect_uri, { ...params, ...(q.state ? { state: q.state } : {}) }));

    if (q.response_type !== 'code') {
      back({ error: 'unsupported_response_type', error_description: 'only response_type=code is supported' });
      return;
    }
    const scopes = q.scope.split(' ').filter(Boolean);
    const known = scopes.every((s) => s === 'openid' || s === IDME_IAL2_SCOPE);
    if (!known || !scopes.includes('openid') || !scopes.includes(IDME_IAL2_SCOPE)) {
      back({ error: 'invalid_scope', error_description: 'scope must be openid and a known policy' });
      return;
    }

    switch (q.sandbox_decision) {
      case 'verify': {
        const code = randomBytes(24).toString('base64url');
        pruneExpired(codes);
        codes.set(code, {
          clientId: q.client_id,
          redirectUri: q.redirect_uri,
          scope: scopes.join(' '),
          sub: randomBytes(16).toString('hex'),
          expiresAt: Date.now() + CODE_TTL_MS,
        });
        back({ code });
        return;
      }
      case 'deny':
        back({ error: 'access_denied', error_description: 'The user denied the request' });
        return;
      default:
        res.type('html').send(authorizePage(q));
    }
  });

  router.post('/oauth/token', express.urlencoded({ extended: false }), async (req, res) => {
    const f = stringParams(req.body ?? {});
    if (f.grant_type !== 'authorization_code') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    if (!clientCredentialsValid(secrets, f.client_id, f.client_secret)) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const grant = codes.get(f.code);
    codes.delete(f.code); // single use, whatever the outcome
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== f.client_id || grant.redirectUri !== f.redirect_uri) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const accessToken = randomBytes(32).toString('base64url');
    pruneExpired(accessTokens);
    accessTokens.set(accessToken, { ...grant, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
    res.json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_S,
      id_token: await sign({ sub: grant.sub }, req, grant.clientId),
      scope: grant.scope,
    });
  });

  router.get('/api/public/v3/userinfo', async (req, res) => {
    const token = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const grant = token ? accessTokens.get(token) : undefined;
    if (!grant || grant.expiresAt < Date.now()) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"').status(401).json({ error: 'invalid_token' });
      return;
    }
    const jwt = await sign({ sub: grant.sub, ...TEST_PERSON }, req, grant.clientId);
    // ID.me answers with a JSON string holding the JWT, not a JSON object.
    res.type('application/json').send(JSON.stringify(jwt));
  });

  return router;
}

/** The sandbox's absolute URL as seen by the caller (it serves whatever host it is mounted on). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}${req.baseUrl}`;
}

function issuer(req: Request): string {
  return `${baseUrl(req)}/oidc`;
}

/** Query and form values, keeping only single string values (repeated parameters are ignored). */
function stringParams(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (typeof v === 'string') out[k] = v;
  return out;
}

function withQuery(uri: string, params: Record<string, string>): string {
  const at = uri.indexOf('?');
  const path = at < 0 ? uri : uri.slice(0, at);
  const search = new URLSearchParams(at < 0 ? '' : uri.slice(at + 1));
  for (const [k, v] of Object.entries(params)) search.set(k, v);
  return `${path}?${search}`;
}

function pruneExpired(map: Map<string, Grant>): void {
  const now = Date.now();
  for (const [k, g] of map) if (g.expiresAt < now) map.delete(k);
}

function authorizePage(q: Record<string, string>): string {
  const choice = (decision: string) => {
    const search = new URLSearchParams(q);
    search.set('sandbox_decision', decision);
    return escapeHtml(`?${search}`);
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ID.me Sandbox – Verify your identity</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f6f9; margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { background: #fff; border-radius: 8px; box-shadow: 0 2px 12px #0002; padding: 2rem; max-width: 26rem; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  .brand { color: #2e8540; font-weight: 700; }
  .note { color: #555; font-size: .9rem; }
  .actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
  .actions a { flex: 1; text-align: center; padding: .75rem; border-radius: 6px; text-decoration: none; font-weight: 600; }
  .verify { background: #2e8540; color: #fff; }
  .deny { background: #e9ecef; color: #333; }
</style>
</head>
<body>
<main>
  <p class="brand">ID.me <span class="note">Sandbox</span></p>
  <h1>Verify your identity</h1>
  <p><strong>${escapeHtml(q.client_id)}</strong> asks to verify your identity at IAL2.</p>
  <p class="note">Sandbox: no real identity is checked. Verifying signs in as the test person ${escapeHtml(`${TEST_PERSON.fname} ${TEST_PERSON.lname}`)}.</p>
  <div class="actions">
    <a class="verify" href="${choice('verify')}">Verify my identity</a>
    <a class="deny" href="${choice('deny')}">Deny</a>
  </div>
</main>
</body>
</html>`;
}
