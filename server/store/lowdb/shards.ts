import { open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { fsyncPath, writeAtomic } from '../../durable-file.ts';
import type { MemoryState, Snapshot } from '../memory.ts';
import { recordKey } from '../memory.ts';
import type { Commit, StoredRecord } from '../store.ts';
import { journalNumber } from './files.ts';
import type { ChainRecord, SegmentedHistory } from './segmented-history.ts';
import { type SegmentLengths, segmentNumber } from './segments.ts';

/**
 * The compacted state: per family, SHARDS lowdb files chosen by a hash of the key, so a compaction
 * rewrites only the shards that changed. Shard files are never overwritten: each compaction writes
 * new files named after its generation and the manifest switches to them, so a crash mid-compaction
 * leaves the previous manifest and every file it names intact. (lowdb's writer replaces files by
 * temp file + rename but does not fsync; we fsync each file and the directory before the manifest
 * names them.) Family 'history' holds each actor's ChainRecord; the entries are in the history
 * segments (segmented-history.ts), which a compaction appends to and fsyncs before its shards.
 */

export const FAMILIES = ['actors', 'history', 'outbox', 'reminders', 'records'] as const;
export type Family = (typeof FAMILIES)[number];
export const SHARDS = 64;

export interface Manifest {
  /** Replay starts at this journal: the shards hold every commit of the journals before it. */
  journal: number;
  shards: number;
  files: Record<Family, (string | null)[]>;
  /** The history segments and their lengths when this manifest was written (absent before segments). */
  segments?: SegmentLengths;
}

interface ShardDoc {
  items: unknown[];
}

const MANIFEST = 'manifest.json';
const SHARD_FILE = /^([a-z]+)-\d+\.\d+\.json$/;

export function shardOf(key: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

const perFamily = <V>(make: () => V): Record<Family, V> => Object.fromEntries(FAMILIES.map((f) => [f, make()])) as Record<Family, V>;

function lowFile(path: string): Low<ShardDoc> {
  return new Low<ShardDoc>(new DataFile<ShardDoc>(path, { parse: JSON.parse, stringify: JSON.stringify }), { items: [] });
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export class Shards {
  /** Keys present in each shard, so a shard is rewritten without scanning the whole state. */
  private readonly keys = perFamily(() => Array.from({ length: SHARDS }, () => new Set<string>()));
  private dirty = perFamily(() => new Set<number>());
  private files = perFamily((): (string | null)[] => Array(SHARDS).fill(null));
  writes = 0;

  constructor(
    private readonly dir: string,
    private readonly state: MemoryState,
    private readonly history: SegmentedHistory,
  ) {}

  /** Loads the shards a manifest names (read in parallel) into the empty state. */
  async load(manifest: Manifest): Promise<void> {
    if (manifest.shards !== SHARDS) throw new Error(`store: manifest has ${manifest.shards} shards, expected ${SHARDS}`);
    this.files = manifest.files;
    const snapshot = perFamily((): unknown[] => []);
    const reads = FAMILIES.flatMap((family) =>
      manifest.files[family].map(async (name, shard) => {
        if (!name) return;
        const low = lowFile(join(this.dir, name));
        const empty = low.data;
        await low.read();
        // lowdb reads a missing file as the default data; a file the manifest names must exist.
        if (low.data === empty) throw new Error(`store: missing shard file ${name}`);
        for (const item of low.data.items) {
          // A shard of whole entries (written before segments) is rewritten at the next compaction, its entries into a segment.
          if (family !== 'history') snapshot[family].push(item);
          else if (this.history.load(item as ChainRecord)) this.dirty.history.add(shard);
          this.keys[family][shard].add(keyOf(family, item));
        }
      }),
    );
    await Promise.all(reads);
    this.state.load(snapshot as Omit<Snapshot, 'history'>);
  }

  /** Notes the shards a commit (already applied to the state) changed. */
  track(commit: Commit): void {
    for (const { actor } of commit.actors) this.touch('actors', actor.id);
    for (const entry of commit.history) this.touch('history', entry.actor);
    for (const entry of commit.outbox) this.touch('outbox', entry.id);
    for (const id of commit.cancel_reminders) this.touch('reminders', id);
    for (const reminder of commit.reminders) this.touch('reminders', reminder.id);
    for (const record of commit.records) this.touch('records', recordKey(record.collection, record.id));
  }

  get isDirty(): boolean {
    return FAMILIES.some((f) => this.dirty[f].size > 0);
  }

  /**
   * Writes the changed shards, then a manifest naming them with replay starting at `journal`,
   * then deletes what the manifest no longer needs. The caller guarantees the state holds every
   * commit of the journals before `journal`; commits applied meanwhile are harmless (replay
   * re-applies them, every operation being an upsert).
   */
  async compact(journal: number): Promise<void> {
    const taken = this.dirty;
    this.dirty = perFamily(() => new Set<number>());
    try {
      await this.history.flush();
      // One shard at a time: each serialises synchronously, and commits run while it is written.
      const written: string[] = [];
      for (const family of FAMILIES) {
        for (const shard of taken[family]) {
          const path = await this.writeShard(family, shard, journal);
          if (path) written.push(path);
        }
      }
      await Promise.all(written.map(fsyncPath));
      await fsyncPath(this.dir);
      const manifest: Manifest = { journal, shards: SHARDS, files: this.files, segments: this.history.recorded() };
      await writeAtomic(join(this.dir, MANIFEST), JSON.stringify(manifest));
      this.history.settle();
      await sweep(this.dir, manifest);
    } catch (err) {
      this.history.abort();
      for (const family of FAMILIES) for (const shard of taken[family]) this.dirty[family].add(shard);
      throw err;
    }
  }

  /** Writes a shard's new file (not yet fsynced) and returns its path, or nothing for an empty shard. */
  private async writeShard(family: Family, shard: number, generation: number): Promise<string | undefined> {
    const keys = this.keys[family][shard];
    if (keys.size === 0) {
      this.files[family][shard] = null;
      return undefined;
    }
    const name = `${family}-${String(shard).padStart(2, '0')}.${generation}.json`;
    const path = join(this.dir, name);
    // Taken in one step, so the shard is one consistent moment: the state replaces items, never edits them.
    const values = [...keys].map((key) => this.value(family, key));
    await writeItems(path, values);
    this.files[family][shard] = name;
    this.writes++;
    return path;
  }

  private touch(family: Family, key: string): void {
    const shard = shardOf(key);
    if (this.value(family, key) === undefined) this.keys[family][shard].delete(key);
    else this.keys[family][shard].add(key);
    this.dirty[family].add(shard);
  }

  private value(family: Family, key: string): unknown {
    switch (family) {
      case 'actors':
        return this.state.actors.get(key);
      case 'history':
        return this.history.record(key);
      case 'outbox':
        return this.state.outbox.get(key);
      case 'reminders':
        return this.state.reminders.get(key);
      case 'records':
        return this.state.records.get(key);
    }
  }
}

/** Items serialised per slice: about a millisecond of JSON.stringify for snapshots of a few KB. */
const SLICE = 100;

/**
 * A shard file as lowdb writes and reads it (`{"items":[…]}`), serialised a slice at a time with
 * a turn of the event loop between slices: a shard of megabytes never holds commands up for more
 * than a slice. A new file (its generation in the name), fsynced by the caller.
 */
async function writeItems(path: string, items: unknown[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.write('{"items":[');
    for (let i = 0; i < items.length; i += SLICE) {
      if (i > 0) await setImmediate();
      const text = items
        .slice(i, i + SLICE)
        .map((item) => JSON.stringify(item))
        .join(',');
      await file.write(i === 0 ? text : `,${text}`);
    }
    await file.write(']}');
  } finally {
    await file.close();
  }
}

function keyOf(family: Family, item: unknown): string {
  switch (family) {
    case 'history':
      return (item as ChainRecord).actor;
    case 'records':
      return recordKey((item as StoredRecord).collection, (item as StoredRecord).id);
    default:
      return (item as { id: string }).id;
  }
}

/**
 * Deletes what `manifest` made obsolete: older journals, shard files and history segments it does
 * not name, and temp files of interrupted writes. Only names this store writes are touched.
 */
export async function sweep(dir: string, manifest: Manifest | undefined): Promise<void> {
  const named = new Set(manifest ? [...FAMILIES.flatMap((f) => manifest.files[f]), ...Object.keys(manifest.segments ?? {})] : []);
  const obsolete = (await readdir(dir)).filter((name) => {
    const n = journalNumber(name);
    if (n !== undefined) return manifest !== undefined && n < manifest.journal;
    if (name.endsWith('.tmp')) return true;
    if (segmentNumber(name) !== undefined) return !named.has(name);
    const m = SHARD_FILE.exec(name);
    return m !== null && (FAMILIES as readonly string[]).includes(m[1]) && !named.has(name);
  });
  await Promise.all(obsolete.map((name) => unlink(join(dir, name))));
}
