import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { logAnswer } from '../access-log.ts';
import { onBehalfOf, requestIdOf } from '../request-id.ts';
import type { Auth } from './auth.ts';
import type { RunCommand } from './commands.ts';
import { errorResponse } from './errors.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import { limitOf, type PerMinute } from './rate-limit.ts';

export interface CommandEndpointOptions {
  auth: Auth;
  run: RunCommand;
  rateLimit: PerMinute;
  /** The /v1 guard's rate limiter (express-rate-limit, which asks nothing of Express but `res.append`) and JSON body parser (body-parser). */
  rateLimiter: Middleware;
  jsonBody: Middleware;
  idempotencyKeys: IdempotencyKeys;
  setSecurityHeaders: (res: ServerResponse) => void;
  selfUrl: string;
}

type Middleware = (req: Request, res: Response, next: (error?: unknown) => void) => void;

/** The media type a request's Content-Type names, without its parameters. */
const mediaType = (header: string | undefined) => header?.split(';', 1)[0].trim().toLowerCase();

/**
 * `POST /v1/commands` answered on Node's own request and response, not Express's: giving a
 * request Express's prototypes and walking its router costs about 90 µs, as much as the rest of
 * an empty handler, on every command (issue 14). It takes authenticated JSON and leaves every
 * other request to the app (whose commands router answers it the same way) before reading any of
 * it. What it answers is what that router would: the same headers (ETag aside), budget,
 * idempotency, body, errors and log line.
 */
export function commandEndpoint(options: CommandEndpointOptions) {
  const { auth, run, rateLimit, rateLimiter, jsonBody, idempotencyKeys, setSecurityHeaders, selfUrl } = options;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url !== '/v1/commands') return false;
    const { headers } = req;
    if (mediaType(headers['content-type']) !== 'application/json') return false;
    if (headers['content-encoding'] !== undefined && headers['content-encoding'].trim().toLowerCase() !== 'identity') return false;
    const caller = auth.fromHeader(headers.authorization);
    if (!caller) return false;

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
      const request = Object.assign(req, { caller }) as Request;
      const response = res as Response;
      // Node joins a repeated header other than Set-Cookie into one string, as Express's req.get reads it.
      const key = String(headers['idempotency-key'] ?? '');
      const command = async () => {
        if (!key) return answer(200, { actor: await run(caller, request.body) });
        const keyed = await idempotencyKeys.begin(key, headers.authorization, { method: 'POST', url: req.url!, body: request.body });
        if ('replay' in keyed) {
          res.setHeader('Idempotent-Replayed', 'true');
          return answer(keyed.replay.status, keyed.replay.body);
        }
        res.on('close', keyed.done);
        answer(200, { actor: await run(caller, request.body, (actor) => [keyed.remember(200, { actor })]) });
      };
      const parse = () => jsonBody(request, response, (error) => (error ? fail(error) : command().catch(fail)));
      if (limitOf(caller, rateLimit) <= 0) return parse();
      // Express's append, on Node's own response, for the limiter's RateLimit headers.
      response.append = (name: string, value?: string | string[]) => {
        if (value !== undefined) res.appendHeader(name, value);
        return response;
      };
      rateLimiter(request, response, (error) => (error ? fail(error) : parse()));
    });
    return true;
  };
}
