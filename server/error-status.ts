import { log } from './log.ts';
import { DomainError } from './runtime/errors.ts';
import { StoreUnavailable } from './store/store.ts';

/** HTTP statuses of the error codes that are not business refusals (API.md "Errors"); every other code is a 422 refusal. */
const STATUS: Record<string, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_transition: 409,
  version_conflict: 409,
  link_exists: 409,
  duplicate_report: 409,
  idempotency_in_progress: 409,
  gone: 410,
  erased: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  vendor_unavailable: 502,
  store_unavailable: 503,
};

/** The error shape both edges answer with: `{ error, code, details }` under its HTTP status. */
export interface ErrorAnswer {
  status: number;
  body: { error: string; code: string; details: Record<string, unknown> };
}

/**
 * The one place a domain error becomes an HTTP status, for REST and the socket alike. Anything
 * else is a bug: logged with its stack, answered 500 without details.
 */
export function errorAnswer(error: unknown, context: Record<string, unknown> = {}): ErrorAnswer {
  if (error instanceof DomainError) return { status: STATUS[error.code] ?? 422, body: { error: error.message, code: error.code, details: error.details } };
  if (error instanceof StoreUnavailable)
    return { status: 503, body: { error: 'The store cannot be reached right now; retry in a moment.', code: 'store_unavailable', details: {} } };
  log.error({ err: error, ...context }, 'request failed');
  return { status: 500, body: { error: 'Something went wrong on our side; nothing was changed.', code: 'internal_error', details: {} } };
}
