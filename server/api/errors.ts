import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { log } from '../log.ts';
import { CommandError } from '../runtime/errors.ts';
import { StoreUnavailable } from '../store/store.ts';

/** 400 with the schema's complaints, field by field. */
export function invalid(error: z.ZodError, what = 'request'): CommandError {
  const fields = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return new CommandError(400, 'invalid_request', `Invalid ${what}: ${summary}`, { fields });
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, what?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

/** The one error shape of API.md: `{ error, code, details }`. Unknown errors never leak details. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction) {
  const known = asCommandError(error);
  if (!known) log.error({ err: error, method: req.method, path: req.path }, 'request failed');
  const e = known ?? new CommandError(500, 'internal_error', 'Something went wrong on our side; nothing was changed.');
  res.status(e.status).json({ error: e.message, code: e.code, details: e.details });
}

export function asCommandError(error: unknown): CommandError | undefined {
  if (error instanceof CommandError) return error;
  if (error instanceof StoreUnavailable) return new CommandError(503, 'store_unavailable', 'The store cannot be reached right now; retry in a moment.');
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return new CommandError(400, 'invalid_request', 'The body is not valid JSON.');
  if (type === 'entity.too.large') return new CommandError(413, 'payload_too_large', 'The body is larger than the limit.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new CommandError(415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.');
  }
  return undefined;
}
