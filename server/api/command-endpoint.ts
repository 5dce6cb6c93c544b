import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { logAnswer } from '../access-log.ts';
import { onBehalfOf, requestIdOf } from '../request-id.ts';
import type { Auth } from './auth.ts';
import type { RunCommand } from './commands.ts';
import { errorResponse } from './errors.ts';
import { limitOf, type PerMinute } from './rate-limit.ts';

export interface CommandEndpointOptions {
  auth: Auth;
  run: RunCommand;
  rateLimit: PerMinute;
  /** The JSON body parser of the /v1 guard (body-parser: limit, depth, charset). */
  jsonBody: (req: Request, res: Response, next: (error?: unknown) => void) => void;
  setSecurityHeaders: (res: ServerResponse) => void;
  selfUrl: string;
}

/** The media type a request's Content-Type names, without its parameters. */
const mediaType = (header: string | undefined) => header?.split(';', 1)[0].trim().toLowerCase();

/**
 * `POST /v1/commands` answered on Node's own request and response, not Express's: giving a
 * request Express's prototypes and walking its router costs about 90 µs, as much as the rest of
 * an empty handler, on every command (issue 14). It takes only what needs nothing of Express —
 * authenticated JSON, no `Idempotency-Key`, a caller without a request budget — and gives every
 * other request to `fallback` (the app, whose commands router answers it the same way) before
 * reading any of it. What it answers is what that router would: the same headers (ETag aside),
 * body, errors and log line.
 */
export function commandEndpoint(options: CommandEndpointOptions) {
  const { auth, run, rateLimit, jsonBody, setSecurityHeaders, selfUrl } = options;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url !== '/v1/commands') return false;
    const { headers } = req;
    if (mediaType(headers['content-type']) !== 'application/json' || headers['idempotency-key'] !== undefined) return false;
    if (headers['content-encoding'] !== undefined && headers['content-encoding'].trim().toLowerCase() !== 'identity') return false;
    const caller = auth.fromHeader(headers.authorization);
    if (!caller || limitOf(caller, rateLimit) > 0) return false;

    const id = requestIdOf(headers['x-request-id']);
    res.setHeader('X-Request-Id', id);
    onBehalfOf(id, () => {
      logAnswer(req.method, req.url!, res);
      setSecurityHeaders(res);
      const answer = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      };
      const fail = (error: unknown) => {
        const { status, body } = errorResponse(error, { method: req.method, path: '/v1/commands' }, selfUrl);
        answer(status, body);
      };
      jsonBody(req as Request, res as Response, (error) => {
        if (error) return fail(error);
        run(caller, (req as Request).body).then((actor) => answer(200, { actor }), fail);
      });
    });
    return true;
  };
}
