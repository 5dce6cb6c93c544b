import { lowerBound } from './lower-bound.ts';
import type { ChainHeadEntry, HistoryEntry } from './store.ts';

const bySeq = (a: HistoryEntry, b: HistoryEntry) => a.seq - b.seq;

/**
 * Where a store's state keeps the audit history: all of it in memory (MemoryHistory), or the
 * embedded store's compacted entries on disk (lowdb/segmented-history.ts).
 */
export interface HistoryKeeper {
  put(entry: HistoryEntry): void;
  /** The actor's entries oldest first, as copies. */
  of(actor: string): Promise<HistoryEntry[]>;
  /** The latest entry of every actor that has one, in no particular order. */
  heads(): ChainHeadEntry[];
  /** Every entry, actor by actor (not copies: MemoryStore.snapshot copies what it returns). */
  all(): Promise<HistoryEntry[]>;
}

/**
 * Puts `entry` into `entries` (ordered by seq): appended when it is the newest, else inserted in
 * place, replacing an entry of the same seq, as a commit re-putting an entry replaces it.
 */
export function putInOrder(entries: HistoryEntry[], entry: HistoryEntry): void {
  const last = entries[entries.length - 1];
  if (!last || last.seq < entry.seq) {
    entries.push(entry);
    return;
  }
  const at = lowerBound(entries, entry, bySeq);
  entries.splice(at, entries[at]?.seq === entry.seq ? 1 : 0, entry);
}

/** The whole history in memory: MemoryStore's, for tests and tools. */
export class MemoryHistory implements HistoryKeeper {
  private readonly byActor = new Map<string, HistoryEntry[]>();

  put(entry: HistoryEntry): void {
    const entries = this.byActor.get(entry.actor);
    if (entries) putInOrder(entries, entry);
    else this.byActor.set(entry.actor, [entry]);
  }

  async of(actor: string): Promise<HistoryEntry[]> {
    return structuredClone(this.byActor.get(actor) ?? []);
  }

  heads(): ChainHeadEntry[] {
    return [...this.byActor].map(([actor, entries]) => {
      const last = entries[entries.length - 1];
      return { actor, seq: last.seq, hash: last.hash ?? null };
    });
  }

  async all(): Promise<HistoryEntry[]> {
    return [...this.byActor.values()].flat();
  }
}
