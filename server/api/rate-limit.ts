import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { DomainError } from '../runtime/errors.ts';

/** Checkr's rate-limit headers (CHECKR.md "Conventions"): the budget, what is left, and when it refills (ISO time). */
function checkrHeaders(req: Request, res: Response) {
  const info = (req as AugmentedRequest).rateLimit;
  if (!info) return;
  res.set({
    'X-Ratelimit-Limit': String(info.limit),
    'X-Ratelimit-Remaining': String(info.remaining),
    'X-Ratelimit-Reset': (info.resetTime ?? new Date()).toISOString(),
  });
}

/**
 * 429 `rate_limited` per caller (a member's or staff member's session subject, or the
 * integrator), per window (a minute unless configured). Integrators get their own, larger budget: they relay everyone. Every
 * answer to a limited caller, the 429 included, carries Checkr's `X-Ratelimit-*` headers.
 */
export function rateLimiter(perWindow: { session: number; integrator: number; windowMs: number }): RequestHandler {
  const limitOf = (req: Request) => (req.caller.role === 'integrator' ? perWindow.integrator : perWindow.session);
  const limiter = rateLimit({
    windowMs: perWindow.windowMs,
    limit: limitOf,
    skip: (req) => limitOf(req) <= 0,
    keyGenerator: (req) => `${req.caller.role}:${req.caller.subject ?? ''}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      checkrHeaders(req, res);
      next(new DomainError('rate_limited', 'Too many requests; slow down and retry in a minute.'));
    },
  });
  return (req, res, next) =>
    limiter(req, res, (error?: unknown) => {
      checkrHeaders(req, res);
      next(error);
    });
}
