import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { errorAnswer } from '../error-status.ts';
import { DomainError } from '../runtime/errors.ts';

/** 400 with the schema's complaints, field by field. */
export function invalid(error: z.ZodError, what = 'request'): DomainError {
  const fields = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return new DomainError('invalid_request', `Invalid ${what}: ${summary}`, { fields });
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, what?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

/** The one error shape of API.md: `{ error, code, details }`. Unknown errors never leak details. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction) {
  const answer = errorAnswer(fromParser(error) ?? error, { method: req.method, path: req.path });
  res.status(answer.status).json(answer.body);
}

/** The body parsers' and the router's refusals (http-errors with a 4xx status), in words. */
const PARSER_ERRORS: Record<string, [string, string]> = {
  'entity.parse.failed': ['invalid_request', 'The body is not valid JSON.'],
  'entity.too.large': ['payload_too_large', 'The body is larger than the limit.'],
  'parameters.too.many': ['payload_too_large', 'The form body has too many parameters.'],
  'encoding.unsupported': ['unsupported_media_type', 'Send the body as UTF-8 JSON.'],
  'charset.unsupported': ['unsupported_media_type', 'Send the body as UTF-8 JSON.'],
};

/** What body-parser's and the router's own errors mean for the client: none of them is a bug. */
function fromParser(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error; // also one thrown by a parser's `verify`
  const { type, status } = (error ?? {}) as { type?: string; status?: unknown };
  const known = type ? PARSER_ERRORS[type] : undefined;
  if (known) return new DomainError(...known);
  // A malformed percent-escape in the path (the router's URIError), a form nested too deep, an aborted body.
  if (error instanceof URIError) return new DomainError('invalid_request', 'The path has a malformed percent-escape.');
  if (typeof status === 'number' && status >= 400 && status < 500) return new DomainError('invalid_request', 'The request could not be read.');
  return undefined;
}
