import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { errorAnswer } from '../error-status.ts';
import { errorDocs } from '../openapi/error-codes.ts';
import { DomainError } from '../runtime/errors.ts';

const A: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
};
const FORMATS: Record<string, string> = {
  email: 'must be an email address',
  datetime: 'must be an ISO 8601 time with its offset, such as 2026-01-31T09:30:00Z',
  date: 'must be a date in the form YYYY-MM-DD',
  url: 'must be a URL',
  uuid: 'must be a UUID',
};
const unit = (origin: unknown, n: number | bigint) =>
  origin === 'string' ? ` character${n === 1 ? '' : 's'}` : origin === 'array' || origin === 'set' ? ` item${n === 1 ? '' : 's'}` : '';

/**
 * The schemas' complaints in words for people (zod's own read "Invalid input: expected string,
 * received undefined"). A schema's own message wins over these; they start with a verb, so that
 * the field's name reads before them (`actor is required`).
 */
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? 'is required' : `must be ${A[issue.expected] ?? issue.expected}`;
      case 'too_small':
        if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
        return `must be at least ${issue.minimum}${unit(issue.origin, issue.minimum as number)}`;
      case 'too_big':
        return `must be at most ${issue.maximum}${unit(issue.origin, issue.maximum as number)}`;
      case 'invalid_value':
        return issue.values.length === 1
          ? `must be ${JSON.stringify(issue.values[0])}`
          : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      case 'invalid_format':
        return FORMATS[issue.format] ?? 'is not in the expected format';
      case 'unrecognized_keys':
        return `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} this request takes`;
      case 'invalid_union':
        return 'is not one of the accepted forms';
      default:
        return undefined;
    }
  },
});

/** 400 with the schema's complaints, field by field. */
export function invalid(error: z.ZodError, what = 'request'): DomainError {
  const fields = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const said = (f: { path: string; message: string }) =>
    !f.path ? f.message : /^[a-z"]/.test(f.message) ? `${f.path} ${f.message}` : `${f.path}: ${f.message}`;
  return new DomainError('invalid_request', `Invalid ${what}: ${fields.map(said).join('; ')}`, { fields });
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, what?: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

/** The one error shape of API.md, `{ error, code, details }`, with `docs` linking to the code's explanation. Unknown errors never leak details. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction) {
  const { status, body } = errorResponse(error, { method: req.method, path: req.path }, req.app.get('self url'));
  res.status(status).json(body);
}

/** What a request that failed with `error` is answered: its status, and the error shape with its `docs` link. */
export function errorResponse(error: unknown, context: { method?: string; path: string }, selfUrl: string) {
  const answer = errorAnswer(fromParser(error) ?? error, context);
  return { status: answer.status, body: { ...answer.body, docs: errorDocs(selfUrl, answer.body.code) } };
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
