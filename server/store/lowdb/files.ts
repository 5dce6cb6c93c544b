export const journalName = (n: number): string => `journal-${n}.ndjson`;

export function journalNumber(name: string): number | undefined {
  const m = /^journal-(\d+)\.ndjson$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Shard files per family (shards.ts). */
export const SHARDS = 64;

/** The shard an item's key belongs in. */
export function shardOf(key: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}
