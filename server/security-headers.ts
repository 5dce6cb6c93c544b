import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet): a CSP that the built dashboards pass (scripts only
 * from this origin, never inline; the server-rendered pages keep their inline styles), no
 * framing, `nosniff`, and `Referrer-Policy: no-referrer` so no link a page holds leaks in a
 * `Referer`. Pages with their own policy (the Veriff sandbox's hosted page) set a stricter one.
 *
 * helmet's answer is the same for every request (no per-request nonce), so it is computed once
 * and set in one step: helmet itself runs a dozen middleware on every request.
 */
export function securityHeaders(): RequestHandler {
  const set = securityHeaderSetter();
  return (_req, res, next) => {
    set(res);
    next();
  };
}

/** Sets the security headers on a response (Node's own, as the command endpoint answers on it). */
export function securityHeaderSetter(): (res: ServerResponse) => void {
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const recorder = { setHeader: (name: string, value: string) => headers.set(name, value), removeHeader: (name: string) => removed.push(name) };
  helmetHeaders()({} as never, recorder as never, () => {});
  return (res) => {
    for (const name of removed) res.removeHeader(name);
    res.setHeaders(headers);
  };
}

const helmetHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
