import type { ActorKind, PersistedSnapshot } from './kind.ts';

/** Why a stored snapshot cannot be brought to its machine's version. */
export function migrationGap(kind: ActorKind, from: number): string | undefined {
  if (from > kind.version) return `${kind.kind} snapshots of machine version ${from} were written by a newer trustwire (this one runs version ${kind.version})`;
  for (let v = from; v < kind.version; v++) {
    if (!kind.migrations?.[v]) return `${kind.kind} snapshots of machine version ${from} have no migration from version ${v} to ${v + 1}`;
  }
  return undefined;
}

/** A persisted snapshot of machine version `from`, migrated step by step to the kind's version. */
export function migrate(kind: ActorKind, persisted: PersistedSnapshot, from: number): PersistedSnapshot {
  const gap = migrationGap(kind, from);
  if (gap) throw new Error(gap);
  let snapshot = persisted;
  for (let v = from; v < kind.version; v++) snapshot = kind.migrations![v](snapshot);
  return snapshot;
}
