import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * The request a piece of work is done for. Express requests set it; the outbox dispatcher sets it
 * again around each delivery from the entry's `request_id`, so log lines, outbox entries and
 * webhooks caused by a request all carry its id.
 */
const current = new AsyncLocalStorage<string>();

export const currentRequestId = (): string | undefined => current.getStore();

/** Runs `work` on behalf of request `id` (nothing changes without one). */
export function onBehalfOf<T>(id: string | undefined, work: () => T): T {
  return id ? current.run(id, work) : work();
}

/** A client's own id is kept when it is a sane token; otherwise (and without one) a UUID is given. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id a request is answered under: the client's `X-Request-Id`, or a new one. */
export const requestIdOf = (given: string | string[] | undefined): string => (typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID());

/** `X-Request-Id` on every response: the one given, or a new one. */
export function requestId(req: Request, res: Response, next: NextFunction) {
  const id = requestIdOf(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', id);
  current.run(id, next);
}
