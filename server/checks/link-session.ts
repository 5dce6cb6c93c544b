import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { Auth } from '../api/auth.ts';

/** How long a candidate's page stays open after they followed their link. */
const SESSION_TTL_MS = 60 * 60 * 1000;

/**
 * The candidate's pages open from a signed link in an email. So that the link's token never stays
 * in a page's URL (where the Referer header, the history and screenshots would carry it), the
 * token is exchanged once, on arrival, for a short session in an HttpOnly cookie scoped to the
 * page's path, and the browser is sent on to the same path without it (issue 17).
 */
export class LinkSessions {
  /** `basePath`: the path prefix of the public URL (`SELF_URL`), where a proxy publishes the server under one. */
  constructor(
    private readonly auth: Auth,
    private readonly now: () => number,
    private readonly basePath = '',
  ) {}

  /** Sets the session for `claims` on `path` (of the server) and redirects there, token-free, by the public URL. */
  exchange(req: Request, res: Response, name: string, serverPath: string, claims: object) {
    const path = this.basePath + serverPath;
    const expires = this.now() + SESSION_TTL_MS;
    const value = this.auth.signed(claims, expires);
    const secure = req.protocol === 'https';
    res.setHeader('Set-Cookie', serialize(name, value, { httpOnly: true, sameSite: 'lax', secure, path, expires: new Date(expires) }));
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(303, path);
  }

  /** The session's claims, if the request carries a valid one. */
  read<T>(req: Request, name: string): T | undefined {
    const value = parse(req.headers.cookie ?? '')[name];
    return value ? this.auth.verified<T>(value) : undefined;
  }
}
