import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Caller } from '../runtime/caller.ts';
import { DomainError } from '../runtime/errors.ts';

export type PerMinute = { session: number; integrator: number };

export const RATE_WINDOW_MS = 60_000;

/** One budget per caller: a member's or staff member's session subject, or the integrator. */
export const callerKey = (caller: Caller) => `${caller.role}:${caller.subject ?? ''}`;
/** Integrators get their own, larger budget: they relay everyone. 0 is no limit. */
export const limitOf = (caller: Caller, perMinute: PerMinute) => (caller.role === 'integrator' ? perMinute.integrator : perMinute.session);

/** The counts REST and the sockets share (realtime/socket-limits.ts), so a caller has one budget. */
export const rateStore = (): Store => new MemoryStore();

/**
 * 429 `rate_limited` per caller, per minute. Counters live in `store`: this process's, or one
 * shared by the nodes on one database; a shared store that cannot be reached lets requests through.
 */
export function rateLimiter(perMinute: PerMinute, store: Store = rateStore()) {
  return rateLimit({
    windowMs: RATE_WINDOW_MS,
    store,
    passOnStoreError: true,
    limit: (req) => limitOf(req.caller, perMinute),
    skip: (req) => limitOf(req.caller, perMinute) <= 0,
    keyGenerator: (req) => callerKey(req.caller),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new DomainError('rate_limited', 'Too many requests; slow down and retry in a minute.')),
  });
}
