import type { NextFunction, Request, Response } from 'express';
import { operations } from '../openapi/operations.ts';
import { DomainError } from '../runtime/errors.ts';

/** The API's routes by path template (`/v1/actors/{id}` as a pattern) with their methods. */
const routes = operations
  .filter((op) => op.path.startsWith('/v1/'))
  .map((op) => ({ method: op.method.toUpperCase(), pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}/?$`) }));

/** Checkr lists no reports either; a client that tries is told where they are. */
const REPORTS_ARE_PER_CANDIDATE =
  'Reports are not listed at /v1/reports (nor in Checkr’s API): each candidate’s `report_ids` lists theirs (GET /v1/candidates/{id}, or GET /v1/candidates to page through candidates), and GET /v1/reports/{id} reads one.';

/**
 * What answers a request under /v1 that no route took: 405 with `Allow` when the path exists for
 * other methods, else 404. Both after authentication, as API.md orders 401 first.
 */
export function unmatchedRoute(req: Request, res: Response, next: NextFunction) {
  const path = req.baseUrl + req.path;
  const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  if (allowed.length === 0) return next(new DomainError('not_found', `There is no route ${req.method} ${path}; the API reference at /docs lists them all.`));
  if (allowed.includes('GET')) allowed.push('HEAD');
  res.set('Allow', allowed.join(', '));
  const message =
    req.method === 'GET' && /^\/v1\/reports\/?$/.test(path) ? REPORTS_ARE_PER_CANDIDATE : `${path} takes ${allowed.join(', ')}, not ${req.method}.`;
  next(new DomainError('method_not_allowed', message, { allowed }));
}
