import { log } from '../log.ts';
import { GENESIS, selfHash } from '../runtime/audit-chain.ts';
import type { Clock } from '../runtime/clock.ts';
import { iso } from '../runtime/clock.ts';
import { commitOf, type Store } from '../store/store.ts';

/**
 * Audit checkpoints (issue 16): from time to time the heads of every actor's chain, hashed
 * together with the time and the previous checkpoint's hash, are stored (records collection
 * `audit_checkpoints`), logged and served (`GET /v1/audit/checkpoints`), so a copy kept elsewhere
 * proves what the history held at that time even against someone who rewrites whole chains.
 */

export const CHECKPOINTS = 'audit_checkpoints';

export interface Checkpoint {
  id: string;
  object: 'audit_checkpoint';
  at: string;
  /** The hash of the checkpoint before it (64 zeros for the first). */
  prev: string;
  chains: number;
  /** Every chain's head: [actor id, seq, hash of that entry], by actor id. */
  heads: [string, number, string | null][];
  /** sha256 of the canonical encoding of every other field. */
  hash: string;
}

export const listCheckpoints = async (store: Store) => (await store.listRecords(CHECKPOINTS)) as Checkpoint[];

/**
 * Stores a checkpoint of the chains as they are now, unless nothing changed since the last one.
 * Its id is the time bucket of `intervalMs` it falls in, so nodes sharing a store that checkpoint
 * in the same bucket write one record, not a fork.
 */
export async function checkpoint(store: Store, now: number, intervalMs: number): Promise<Checkpoint | undefined> {
  const last = (await listCheckpoints(store)).at(-1);
  const heads = (await store.chainHeads()).map((h): Checkpoint['heads'][number] => [h.actor, h.seq, h.hash]);
  if (last && JSON.stringify(last.heads) === JSON.stringify(heads)) return undefined;
  const bucket = Math.floor(now / Math.max(intervalMs, 1));
  const fields = {
    id: `ckpt_${String(bucket).padStart(16, '0')}`,
    object: 'audit_checkpoint' as const,
    at: iso(now),
    prev: last?.hash ?? GENESIS,
    chains: heads.length,
    heads,
  };
  const made: Checkpoint = { ...fields, hash: selfHash(fields) };
  await store.commit(commitOf({ records: [{ collection: CHECKPOINTS, id: made.id, value: made }] }));
  log.info({ checkpoint: made.id, at: made.at, chains: made.chains, hash: made.hash }, 'audit checkpoint');
  return made;
}

/** Checkpoints every `intervalMs` (0: never) until stopped. */
export function startCheckpoints(store: Store, clock: Clock, intervalMs: number): () => Promise<void> {
  if (intervalMs === 0) return async () => {};
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => checkpoint(store, clock.now(), intervalMs))
      .then(
        () => undefined,
        (err: unknown) => log.warn({ err: (err as Error).message }, 'audit checkpoint failed; trying again at the next one'),
      );
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

export interface CheckpointProblem {
  checkpoint: string;
  reason: 'altered' | 'broken_link' | 'history_differs';
  /** The chain whose entry differs from the checkpoint's head (history_differs). */
  actor?: string;
  seq?: number;
}

/**
 * Checks each checkpoint hashes to itself, follows the one before, and that every head it names
 * is still the entry stored at that seq (`hashAt`).
 */
export function verifyCheckpoints(checkpoints: Checkpoint[], hashAt: (actor: string, seq: number) => string | null | undefined): CheckpointProblem[] {
  const problems: CheckpointProblem[] = [];
  let prev = GENESIS;
  for (const cp of checkpoints) {
    if (selfHash(cp) !== cp.hash) problems.push({ checkpoint: cp.id, reason: 'altered' });
    else if (cp.prev !== prev) problems.push({ checkpoint: cp.id, reason: 'broken_link' });
    const differs = cp.heads.find(([actor, seq, hash]) => (hashAt(actor, seq) ?? null) !== hash);
    if (differs) problems.push({ checkpoint: cp.id, reason: 'history_differs', actor: differs[0], seq: differs[1] });
    prev = cp.hash;
  }
  return problems;
}
