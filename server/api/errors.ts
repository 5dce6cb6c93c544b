import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { log } from '../log.ts';
import { CommandError } from '../runtime/errors.ts';

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

/** The body parsers' and the router's refusals (http-errors with a 4xx status), in words. */
const PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_request', 'The body is not valid JSON.'],
  'entity.too.large': [413, 'payload_too_large', 'The body is larger than the limit.'],
  'parameters.too.many': [413, 'payload_too_large', 'The form body has too many parameters.'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.'],
  'charset.unsupported': [415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.'],
};

function asCommandError(error: unknown): CommandError | undefined {
  if (error instanceof CommandError) return error;
  const { type, status } = (error ?? {}) as { type?: string; status?: unknown };
  const known = type ? PARSER_ERRORS[type] : undefined;
  if (known) return new CommandError(...known);
  // A malformed percent-escape in the path (the router's URIError), a form nested too deep, an aborted body.
  if (error instanceof URIError) return new CommandError(400, 'invalid_request', 'The path has a malformed percent-escape.');
  if (typeof status === 'number' && status >= 400 && status < 500) return new CommandError(status, 'invalid_request', 'The request could not be read.');
  return undefined;
}
