import { rateLimit } from 'express-rate-limit';
import { DomainError } from '../runtime/errors.ts';

/**
 * 429 `rate_limited` per caller (a member's or staff member's session subject, or the
 * integrator), per minute. Integrators get their own, larger budget: they relay everyone.
 */
export function rateLimiter(perMinute: { session: number; integrator: number }) {
  return rateLimit({
    windowMs: 60_000,
    limit: (req) => (req.caller.role === 'integrator' ? perMinute.integrator : perMinute.session),
    skip: (req) => (req.caller.role === 'integrator' ? perMinute.integrator : perMinute.session) <= 0,
    keyGenerator: (req) => `${req.caller.role}:${req.caller.subject ?? ''}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new DomainError('rate_limited', 'Too many requests; slow down and retry in a minute.')),
  });
}
