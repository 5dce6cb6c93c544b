import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Caller } from '../runtime/caller.ts';
import { DomainError } from '../runtime/errors.ts';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Credentials: integrator API keys (HTTP Basic with the key as user name, or Bearer) and
 * stateless session tokens for members and staff, signed with HMAC-SHA256.
 */
export class Auth {
  constructor(
    private readonly apiKeys: string[],
    private readonly secret: Buffer,
    private readonly now: () => number,
  ) {}

  issue(caller: Required<Pick<Caller, 'role' | 'subject'>>): { token: string; expires_at: string } {
    const expires = this.now() + SESSION_TTL_MS;
    return { token: this.signed({ sub: caller.subject, role: caller.role }, expires), expires_at: new Date(expires).toISOString() };
  }

  /** A signed, expiring token carrying `claims` (sessions, OAuth `state`). */
  signed(claims: object, expires: number): string {
    const body = Buffer.from(JSON.stringify({ ...claims, exp: expires })).toString('base64url');
    return `tw1.${body}.${this.sign(body)}`;
  }

  /** The claims of a token this server signed and that has not expired. */
  verified<T>(token: string): T | undefined {
    const [prefix, body, signature] = token.split('.');
    if (prefix !== 'tw1' || !body || !signature || !same(this.sign(body), signature)) return undefined;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp: number };
    return claims.exp > this.now() ? claims : undefined;
  }

  /** A session token or an API key → the caller, or undefined. */
  fromToken(token: string): Caller | undefined {
    const key = this.apiKeys.find((k) => same(k, token));
    if (key) return { role: 'integrator', apiKey: key };
    const claims = this.verified<{ sub?: string; role?: Caller['role'] }>(token);
    return claims?.role && claims.sub ? { role: claims.role, subject: claims.sub } : undefined;
  }

  fromHeader(header: string | undefined): Caller | undefined {
    if (!header) return undefined;
    const [scheme, value = ''] = header.split(' ');
    if (/^bearer$/i.test(scheme)) return this.fromToken(value.trim());
    if (/^basic$/i.test(scheme)) return this.fromToken(Buffer.from(value, 'base64').toString('utf8').split(':')[0]);
    return undefined;
  }

  /** Express middleware: 401 without valid credentials (the first check of API.md's order). */
  readonly required = (req: Request, _res: Response, next: NextFunction) => {
    const caller = this.fromHeader(req.headers.authorization);
    if (!caller) return next(new DomainError('unauthorized', 'Missing or bad credentials.'));
    req.caller = caller;
    next();
  };

  private sign(body: string) {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function same(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

declare global {
  namespace Express {
    interface Request {
      caller: Caller;
    }
  }
}
