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

/** What body-parser's own errors mean for the client. */
function fromParser(error: unknown): DomainError | undefined {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return new DomainError('invalid_request', 'The body is not valid JSON.');
  if (type === 'entity.too.large') return new DomainError('payload_too_large', 'The body is larger than the limit.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new DomainError('unsupported_media_type', 'Send the body as UTF-8 JSON.');
  }
  return undefined;
}
