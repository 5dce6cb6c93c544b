import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { log } from './log.ts';

/** One debug line per answered request (LOG_LEVEL=debug): method, path, status, time. Never the query (tokens ride there) or the body. */
export function logAnswer(method: string | undefined, url: string, res: ServerResponse): void {
  // Asked per request: server/main.ts sets the level after the routes are mounted.
  if (!log.isLevelEnabled('debug')) return;
  const started = performance.now();
  // Bound to the request's context, so the line carries its request id.
  const answered = AsyncLocalStorage.bind(() =>
    log.debug({ method, path: url.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) }, 'answered'),
  );
  res.once('finish', answered);
}

export function accessLog(req: Request, res: Response, next: NextFunction) {
  logAnswer(req.method, req.originalUrl, res);
  next();
}
