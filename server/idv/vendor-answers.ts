import type { SeekerContext } from '../../machines/seeker.ts';
import { SYSTEM } from '../runtime/caller.ts';
import { notAccepted } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { StoredRecord } from '../store/store.ts';

/** A vendor call a seeker's machine asked for (machines/effects.ts VendorCall), as the outbox delivers it. */
export interface SeekerCall {
  actor: string;
  attempt: number;
  code?: string;
}

/**
 * The seeker, if it still waits for this attempt in this step. A call retried after the seeker
 * timed out, cancelled or moved on is not made at all.
 */
export async function waitingSeeker(host: ActorHost, call: SeekerCall, step: object): Promise<(Loaded & { context: SeekerContext }) | undefined> {
  const seeker = await host.load(call.actor);
  if (!seeker) return undefined;
  const context = seeker.snapshot.context as SeekerContext;
  if (context.idv.attempt !== call.attempt || !seeker.snapshot.matches({ idv: { in_progress: { step } } })) return undefined;
  return { ...seeker, context };
}

/**
 * Gives the seeker a vendor's answer, with its screening-history attempt in the same commit. An
 * answer the seeker no longer accepts (a replay, an attempt overtaken) changes nothing; `made`
 * says the attempt happened all the same (a call we made) and is recorded anyway.
 */
export async function answer(
  host: ActorHost,
  seekerId: string,
  event: { type: string; [field: string]: unknown },
  attempt?: { record: StoredRecord; made: boolean },
): Promise<void> {
  const records = attempt ? [attempt.record] : [];
  await host.send(seekerId, event, SYSTEM, { records }).catch(async (error: unknown) => {
    if (!notAccepted(error)) throw error;
    if (attempt?.made) await host.record(records);
  });
}
