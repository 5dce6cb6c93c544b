import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../runtime/errors.ts';
import { type Sealer, subjectOfObject } from '../runtime/seal.ts';
import { commitOf, type Store, type StoredRecord } from '../store/store.ts';

interface Remembered {
  fingerprint: string;
  status: number;
  /** Sealed: answers carry personal data (P8). */
  body: string;
}

/** The record of a request's answer, for a handler that stores it in the commit of its own change. */
export type RememberAnswer = (status: number, body: unknown) => StoredRecord;

/** The Idempotency-Key's record maker, when the request carries a key (commands store it with their change). */
export const rememberAnswer = (res: Response): RememberAnswer | undefined => res.locals.rememberAnswer as RememberAnswer | undefined;

/**
 * `Idempotency-Key` on every POST, scoped to the caller's credentials: the first 2xx answer is
 * stored before it is sent, and a retry gets it back; a key still in flight is 409, a key reused
 * with another request is 422. A command stores the answer in the same commit as its change
 * (rememberAnswer), so no crash can leave a change without its answer; other handlers' answers
 * are stored in a commit of their own before they are sent.
 */
export function idempotency(store: Store, sealer: Sealer) {
  const inFlight = new Set<string>();
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    const scope = createHash('sha256')
      .update(`${req.get('authorization')}\n${key}`)
      .digest('hex');
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    if (inFlight.has(scope)) return next(new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.'));
    const remembered = (await store.getRecord('idempotency', scope)) as Remembered | undefined;
    if (remembered) {
      if (remembered.fingerprint !== fingerprint) {
        return next(new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with a different request.'));
      }
      res.set('Idempotent-Replayed', 'true');
      return res.status(remembered.status).json(await sealer.read(remembered.body));
    }
    inFlight.add(scope);
    res.on('close', () => inFlight.delete(scope));
    const record = (status: number, body: unknown): StoredRecord => {
      // An answer about a member or candidate is their data: sealed with their key, if they have one.
      const value: Remembered = { fingerprint, status, body: sealer.seal(body, subjectOfObject(body)) };
      return { collection: 'idempotency', id: scope, value };
    };
    let storedWithChange = false;
    res.locals.rememberAnswer = ((status, body) => {
      storedWithChange = true;
      return record(status, body);
    }) satisfies RememberAnswer;
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 200 || res.statusCode >= 300 || storedWithChange) return send(body);
      sealer
        .load(subjectOfObject(body))
        .then(() => store.commit(commitOf({ records: [record(res.statusCode, body)] })))
        .then(
          () => send(body),
          (error: unknown) => next(error),
        );
      return res;
    };
    next();
  };
}
