import type { JWTPayload } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { isRecord } from '../shared.ts';

/** ID.me's IAL2 policy scope: an identifier, not a link (VENDORS.md "ID.me"). */
export const IDME_IAL2_SCOPE = 'http://idmanagement.gov/ns/assurance/ial/2/aal/2';

const TIMEOUT_MS = 10_000;

export interface IdmeConfig {
  /** Absolute; used server-side for token, userinfo and keys. */
  baseUrl: string;
  /** Where browsers are sent; may be relative to this server (e.g. "/sandbox/idme"). */
  authorizeBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface IdmeResult {
  verified: boolean;
  /** ID.me's `sub` for the user. */
  reference: string;
  /** Why the result is not verified: `ial2_not_granted` or `incomplete_identity`. */
  reason?: string;
}

export type IdmeCallback = { code: string } | { error: string; description: string };

/** A failed exchange with ID.me. Messages never carry personal data. */
export class IdmeError extends Error {
  override name = 'IdmeError';
}

export class IdmeClient {
  private readonly config: IdmeConfig;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(config: IdmeConfig) {
    this.config = {
      ...config,
      baseUrl: config.baseUrl.replace(/\/+$/, ''),
      authorizeBaseUrl: config.authorizeBaseUrl.replace(/\/+$/, ''),
    };
    // Created once so the key set is cached across completions.
    this.jwks = createRemoteJWKSet(new URL(`${this.config.baseUrl}/oidc/.well-known/jwks`), {
      timeoutDuration: TIMEOUT_MS,
    });
  }

  authorizeUrl(state: string): string {
    const params = new URLSearchParams({
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      response_type: 'code',
      scope: `openid ${IDME_IAL2_SCOPE}`,
      state,
    });
    return `${this.config.authorizeBaseUrl}/oauth/authorize?${params}`;
  }

  /** Exchanges a callback's code and decides the outcome. Throws IdmeError when ID.me fails us. */
  async complete(code: string): Promise<IdmeResult> {
    const token = await this.exchange(code);
    return idmeDecision(token.scope, await this.userinfo(token.accessToken));
  }

  private async exchange(code: string): Promise<{ accessToken: string; scope: string }> {
    const res = await this.request('token', `${this.config.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.config.redirectUri,
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
      }),
    });
    const body = await readJson(res, 'token');
    if (!isRecord(body) || typeof body.access_token !== 'string' || !/^bearer$/i.test(String(body.token_type))) {
      throw new IdmeError('token response lacks a bearer access_token');
    }
    return { accessToken: body.access_token, scope: typeof body.scope === 'string' ? body.scope : '' };
  }

  private async userinfo(accessToken: string): Promise<JWTPayload> {
    const res = await this.request('userinfo', `${this.config.baseUrl}/api/public/v3/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    // ID.me sends the JWT as a JSON string; tolerate a bare JWT too.
    const text = (await readText(res, 'userinfo')).trim();
    let jwt: unknown = text;
    if (text.startsWith('"')) {
      try {
        jwt = JSON.parse(text);
      } catch {
        throw new IdmeError('userinfo is not a JSON string');
      }
    }
    if (typeof jwt !== 'string') throw new IdmeError('userinfo is not a JWT');
    return verifyUserinfo(jwt, this.jwks);
  }

  private async request(step: string, url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new IdmeError(`${step} request failed: ${(err as Error).name}`, { cause: err });
    }
    if (!res.ok) {
      // The OAuth error code is safe to surface; the rest of the body is not read.
      const body = await res.json().catch(() => undefined);
      const code = isRecord(body) && typeof body.error === 'string' ? ` ${body.error}` : '';
      throw new IdmeError(`${step} failed: HTTP ${res.status}${code}`);
    }
    return res;
  }
}

/**
 * VENDORS.md's rule: no single "verified" flag exists. The IAL2 scope kept in the granted scope
 * with a full identity, or ID.me's own IAL2 markers, is what counts.
 */
export function idmeDecision(grantedScope: string, claims: Record<string, unknown>): IdmeResult {
  if (typeof claims.sub !== 'string' || !claims.sub) throw new IdmeError('userinfo has no sub');
  const marker = claims.credential_ial === 'classic_loa3' || Number(claims.level_of_assurance) === 3;
  const scopeKept = grantedScope.split(' ').includes(IDME_IAL2_SCOPE);
  const complete = ['fname', 'lname', 'birth_date'].every((k) => typeof claims[k] === 'string' && claims[k] !== '');
  if (marker || (scopeKept && complete)) return { verified: true, reference: claims.sub };
  return { verified: false, reference: claims.sub, reason: scopeKept ? 'incomplete_identity' : 'ial2_not_granted' };
}

/** Verifies a userinfo JWT (RS256 only) against ID.me's key set and returns its claims. */
async function verifyUserinfo(jwt: string, jwks: ReturnType<typeof createRemoteJWKSet>): Promise<JWTPayload> {
  try {
    return (await jwtVerify(jwt, jwks, { algorithms: ['RS256'] })).payload;
  } catch (err) {
    // No cause: jose's claim errors hold the payload, which is personal data.
    const code = (err as { code?: unknown }).code;
    throw new IdmeError(`userinfo JWT rejected: ${typeof code === 'string' ? code : (err as Error).name}`);
  }
}

/** Reads the query of a redirect back from ID.me's authorize step. */
export function parseCallback(query: Record<string, unknown>): IdmeCallback {
  if (typeof query.code === 'string' && query.code) return { code: query.code };
  if (typeof query.error === 'string' && query.error) {
    const description = typeof query.error_description === 'string' ? query.error_description : '';
    return { error: query.error, description };
  }
  return { error: 'invalid_request', description: 'the callback carries neither code nor error' };
}

async function readText(res: Response, step: string): Promise<string> {
  try {
    return await res.text();
  } catch (err) {
    throw new IdmeError(`${step} response unreadable: ${(err as Error).name}`, { cause: err });
  }
}

async function readJson(res: Response, step: string): Promise<unknown> {
  const text = await readText(res, step);
  try {
    return JSON.parse(text);
  } catch {
    throw new IdmeError(`${step} response is not JSON`);
  }
}
