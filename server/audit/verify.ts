import { type InvalidReason, type Verification, verifyChain } from '../runtime/audit-chain.ts';
import type { Store } from '../store/store.ts';
import { type CheckpointProblem, listCheckpoints, verifyCheckpoints } from './checkpoints.ts';

/** One actor's chain as stored, against what its actor record says of it. */
export async function verifyActor(store: Store, id: string): Promise<Verification> {
  const [actor, entries] = await Promise.all([store.getActor(id), store.history(id)]);
  return verifyChain(entries, actor);
}

export interface StoreVerification {
  /** Chains read. */
  actors: number;
  entries: number;
  checkpoints: number;
  /** Each chain that does not verify, with its first bad entry. */
  invalid: { actor: string; seq: number; reason: InvalidReason }[];
  checkpoint_problems: CheckpointProblem[];
}

const PAGE = 1000;

/** Every chain of the store (actors with a history, and actors whose history is gone) and every checkpoint. */
export async function verifyStore(store: Store): Promise<StoreVerification> {
  const ids = new Set((await store.chainHeads()).map((h) => h.actor));
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listActors({ offset, limit: PAGE });
    for (const actor of page.data) ids.add(actor.id);
    if (offset + PAGE >= page.count) break;
  }
  // Each chain's hashes by seq as stored: a checkpoint names the entry that then had that seq.
  const hashes = new Map<string, Map<number, string | undefined>>();
  const result: StoreVerification = { actors: ids.size, entries: 0, checkpoints: 0, invalid: [], checkpoint_problems: [] };
  for (const id of [...ids].sort()) {
    const [actor, entries] = await Promise.all([store.getActor(id), store.history(id)]);
    const verification = verifyChain(entries, actor);
    result.entries += verification.entries;
    if (verification.first_invalid) result.invalid.push({ actor: id, ...verification.first_invalid });
    hashes.set(id, new Map(entries.map((e) => [e.seq, e.hash])));
  }
  const checkpoints = await listCheckpoints(store);
  result.checkpoints = checkpoints.length;
  result.checkpoint_problems = verifyCheckpoints(checkpoints, (actor, seq) => hashes.get(actor)?.get(seq));
  return result;
}
