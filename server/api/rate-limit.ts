import type { Request, RequestHandler, Response } from 'express';
import { type AugmentedRequest, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Caller } from '../runtime/caller.ts';
import { DomainError } from '../runtime/errors.ts';

/** Requests per window per caller; 0 is no limit. */
export type PerMinute = { session: number; integrator: number; windowMs: number };

/** One budget per caller: a member's or staff member's session subject, or the integrator. */
export const callerKey = (caller: Caller) => `${caller.role}:${caller.subject ?? ''}`;
/** Integrators get their own, larger budget: they relay everyone. 0 is no limit. */
export const limitOf = (caller: Caller, perMinute: PerMinute) => (caller.role === 'integrator' ? perMinute.integrator : perMinute.session);

/** The counts REST and the sockets share (realtime/socket-limits.ts), so a caller has one budget. */
export const rateStore = (): Store => new MemoryStore();

/** Checkr's rate-limit headers (CHECKR.md "Conventions"): the budget, what is left, and when it refills (ISO time). */
function checkrHeaders(req: Request, res: Response) {
  const info = (req as AugmentedRequest).rateLimit;
  if (!info) return;
  // Node's own setHeader: the command endpoint (command-endpoint.ts) runs this limiter on Node's response.
  res.setHeader('X-Ratelimit-Limit', String(info.limit));
  res.setHeader('X-Ratelimit-Remaining', String(info.remaining));
  res.setHeader('X-Ratelimit-Reset', (info.resetTime ?? new Date()).toISOString());
}

/**
 * 429 `rate_limited` per caller, per window (a minute unless configured). Counters live in
 * `store`: this process's, or one shared by the nodes on one database; a shared store that cannot
 * be reached lets requests through. Every answer to a limited caller, the 429 included, carries
 * Checkr's `X-Ratelimit-*` headers.
 */
export function rateLimiter(perWindow: PerMinute, store: Store = rateStore()): RequestHandler {
  const limiter = rateLimit({
    windowMs: perWindow.windowMs,
    store,
    passOnStoreError: true,
    limit: (req) => limitOf(req.caller, perWindow),
    skip: (req) => limitOf(req.caller, perWindow) <= 0,
    keyGenerator: (req) => callerKey(req.caller),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      checkrHeaders(req, res);
      next(new DomainError('rate_limited', 'Too many requests; slow down and retry in a minute.'));
    },
  });
  return (req, res, next) => {
    // No budget, nothing to count or announce: the limiter's store and promises are skipped.
    if (limitOf(req.caller, perWindow) <= 0) return next();
    limiter(req, res, (error?: unknown) => {
      checkrHeaders(req, res);
      next(error);
    });
  };
}
