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

/** What a request's Idempotency-Key asks: the answer remembered for it, or a new request, whose answer `remember` records. */
export type KeyedRequest = { replay: { status: number; body: unknown } } | { remember: RememberAnswer; done(): void };

/**
 * `Idempotency-Key` on every POST, scoped to the caller's credentials: the first 2xx answer is
 * stored before it is sent, and a retry gets it back; a key still in flight is 409, a key reused
 * with another request is 422. A command stores the answer in the same commit as its change
 * (rememberAnswer), so no crash can leave a change without its answer; other handlers' answers
 * are stored in a commit of their own before they are sent. Shared by the Express middleware and
 * the command endpoint (command-endpoint.ts).
 */
export class IdempotencyKeys {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
  ) {}

  /** Loads a subject's data key, so that an answer about them can be sealed (`remember`). */
  load(subject: string | undefined): Promise<void> {
    return this.sealer.load(subject);
  }

  /** Looks the key up (throwing 409 or 422); a new request is in flight until `done`. */
  async begin(key: string, authorization: string | undefined, request: { method: string; url: string; body: unknown }): Promise<KeyedRequest> {
    const scope = createHash('sha256').update(`${authorization}\n${key}`).digest('hex');
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    if (this.inFlight.has(scope)) throw new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
    const remembered = (await this.store.getRecord('idempotency', scope)) as Remembered | undefined;
    if (remembered) {
      if (remembered.fingerprint !== fingerprint) throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      return { replay: { status: remembered.status, body: await this.sealer.read(remembered.body) } };
    }
    this.inFlight.add(scope);
    return {
      // An answer about a member or candidate is their data: sealed with their key, if they have one.
      remember: (status, body) => ({
        collection: 'idempotency',
        id: scope,
        value: { fingerprint, status, body: this.sealer.seal(body, subjectOfObject(body)) } satisfies Remembered,
      }),
      done: () => this.inFlight.delete(scope),
    };
  }
}

/** The Express middleware of IdempotencyKeys: replays, or records the handler's answer. */
export function idempotency(keys: IdempotencyKeys, store: Store) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    const keyed = await keys.begin(key, req.get('authorization'), { method: req.method, url: req.originalUrl, body: req.body });
    if ('replay' in keyed) {
      res.set('Idempotent-Replayed', 'true');
      return res.status(keyed.replay.status).json(keyed.replay.body);
    }
    res.on('close', keyed.done);
    let storedWithChange = false;
    res.locals.rememberAnswer = ((status, body) => {
      storedWithChange = true;
      return keyed.remember(status, body);
    }) satisfies RememberAnswer;
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 200 || res.statusCode >= 300 || storedWithChange) return send(body);
      // Sealed with the subject's own key, which may have to be read from the store first.
      keys
        .load(subjectOfObject(body))
        .then(() => store.commit(commitOf({ records: [keyed.remember(res.statusCode, body)] })))
        .then(
          () => send(body),
          (error: unknown) => next(error),
        );
      return res;
    };
    next();
  };
}
