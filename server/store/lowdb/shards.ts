import { open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { fsyncPath, writeAtomic } from '../../durable-file.ts';
import {
  type ActorHead,
  type Head,
  headOfActor,
  headOfRecord,
  type RecordHead,
  type SequencedRecord,
  type StoredActorHead,
  type StoredRecordHead,
  storedActorHead,
  storedHead,
  storedRecordHead,
} from '../heads.ts';
import type { Loaded, MemoryState } from '../memory.ts';
import { recordKey } from '../memory.ts';
import type { Actor, Commit, HistoryEntry, OutboxEntry, Reminder } from '../store.ts';
import { type BodyFamily, type BodyFile, type BodyFiles, bodiesName } from './body-files.ts';
import { journalNumber, SHARDS, shardOf } from './files.ts';
import type { ChainRecord, SegmentedHistory } from './segmented-history.ts';
import { type SegmentLengths, segmentNumber } from './segments.ts';
import { Turns } from './turns.ts';

/**
 * The compacted state: per family, SHARDS lowdb files chosen by a hash of the key, so a compaction
 * rewrites only the shards that changed. Shard files are never overwritten: each compaction writes
 * new files named after its generation and the manifest switches to them, so a crash mid-compaction
 * leaves the previous manifest and every file it names intact. (lowdb's writer replaces files by
 * temp file + rename but does not fsync; we fsync each file and the directory before the manifest
 * names them.) Family 'history' holds each actor's ChainRecord; the entries are in the history
 * segments (segmented-history.ts), which a compaction appends to and fsyncs before its shards.
 * Families 'actors' and 'records' hold heads (heads.ts), their bodies in a body file beside each
 * shard file (body-files.ts); shard files of whole items, as stores before bodies wrote them, are
 * read whole and rewritten as heads and bodies by the next compaction.
 */

export const FAMILIES = ['actors', 'history', 'outbox', 'reminders', 'records'] as const;
export type Family = (typeof FAMILIES)[number];
const withBodies = (family: Family): family is BodyFamily => family === 'actors' || family === 'records';

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
const SHARD_FILE = /^([a-z]+)-\d+\.\d+\.jsonl?$/;
const NEWLINE = Buffer.from('\n');

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

/** A head a compaction wrote the body of: where the body is once the manifest is durable. */
interface Placement {
  head: Head<unknown>;
  /** The body memory held when it was written (undefined: it was copied from the old body file). */
  body: unknown;
  at: number;
  len: number;
}

/** What a compaction wrote of one shard with bodies, installed once its manifest is durable. */
interface WrittenBodies {
  family: BodyFamily;
  shard: number;
  file: BodyFile | undefined;
  placements: Placement[];
}

/** Shard files read at a time while loading. */
const READ_AT_ONCE = 2;

/** Runs `tasks`, at most `width` at a time. */
async function inTurns(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: width }, lane));
}

export class Shards {
  private dirty = perFamily(() => new Set<number>());
  private files = perFamily((): (string | null)[] => Array(SHARDS).fill(null));
  writes = 0;

  constructor(
    private readonly dir: string,
    private readonly state: MemoryState,
    private readonly history: SegmentedHistory,
    private readonly bodies: BodyFiles,
  ) {}

  /**
   * Loads the shards a manifest names (a few files at a time) into the empty state, opening their
   * body files: the actors first, so that records and chains take the actors' id strings as they
   * are read and their own copies die young.
   */
  async load(manifest: Manifest): Promise<void> {
    if (manifest.shards !== SHARDS) throw new Error(`store: manifest has ${manifest.shards} shards, expected ${SHARDS}`);
    this.files = manifest.files;
    const actors: ActorHead[] = [];
    await this.read(['actors'], (_, items) => this.loadActors(items, actors));
    this.state.loadActors(actors);
    const loaded: Loaded = { outbox: [], reminders: [], records: [] };
    await this.read(['history', 'outbox', 'reminders', 'records'], (family, items) => this.loadItems(family, items, loaded));
    this.state.load(loaded);
  }

  /**
   * Reads the shard files of `families`, READ_AT_ONCE at a time, each file's items given to
   * `take`, which returns whether they were whole items of a family that now keeps heads, or
   * entries (the shard is then rewritten at the next compaction).
   */
  private async read(families: Family[], take: (family: Family, items: unknown[]) => boolean): Promise<void> {
    const reads = families.flatMap((family) =>
      this.files[family].map((name, shard) => async () => {
        if (!name) return;
        const low = lowFile(join(this.dir, name));
        const empty = low.data;
        await low.read();
        // lowdb reads a missing file as the default data; a file the manifest names must exist.
        if (low.data === empty) throw new Error(`store: missing shard file ${name}`);
        if (take(family, low.data.items)) this.dirty[family].add(shard);
        else if (withBodies(family)) await this.bodies.open(family, shard, join(this.dir, bodiesName(name)));
      }),
    );
    // A few files at a time: each file's parsed items, copied into heads, then die young (in a
    // scavenge) instead of all being held at once and promoted, which left a start of 100,000
    // seekers holding some 250 MB of garbage until a full GC that an idle server never runs.
    await inTurns(reads, READ_AT_ONCE);
  }

  private loadActors(items: unknown[], actors: ActorHead[]): boolean {
    let whole = false;
    for (const item of items) {
      whole = 'snapshot' in (item as object);
      actors.push(whole ? headOfActor(item as Actor) : storedActorHead(item as StoredActorHead));
    }
    return whole;
  }

  private loadItems(family: Family, items: unknown[], loaded: Loaded): boolean {
    let whole = false;
    for (const item of items) {
      switch (family) {
        case 'records': {
          whole = 'value' in (item as object);
          const head = whole ? headOfRecord(item as SequencedRecord) : storedRecordHead(item as StoredRecordHead);
          head.id = this.state.sharedId(head.id);
          loaded.records.push(head);
          break;
        }
        case 'history': {
          const chain = item as ChainRecord | HistoryEntry;
          chain.actor = this.state.sharedId(chain.actor);
          whole = this.history.load(chain) || whole;
          break;
        }
        case 'outbox':
          loaded.outbox.push(item as OutboxEntry);
          break;
        case 'reminders':
          loaded.reminders.push(item as Reminder);
          break;
      }
    }
    return whole;
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
    const bodies: WrittenBodies[] = [];
    try {
      await this.history.flush();
      // One shard at a time: each serialises in slices, and commits run while it is written.
      const written: string[] = [];
      for (const family of FAMILIES) {
        if (taken[family].size === 0) continue;
        const items = await this.itemsOf(family, taken[family]);
        for (const shard of taken[family]) {
          // Chain records are made shard by shard (they name the ranges history.flush() wrote): all at once held up the loop.
          const of = items.get(shard) ?? [];
          const values = family === 'history' ? (of as string[]).map((actor) => this.history.record(actor)!) : of;
          written.push(...(await this.writeShard(family, shard, values, journal, bodies)));
        }
      }
      await Promise.all(written.map(fsyncPath));
      await fsyncPath(this.dir);
      const manifest: Manifest = { journal, shards: SHARDS, files: this.files, segments: this.history.recorded() };
      await writeAtomic(join(this.dir, MANIFEST), JSON.stringify(manifest));
      await this.history.settle();
      const turns = new Turns();
      for (const shard of bodies) {
        if (turns.due()) await turns.next();
        this.install(shard);
      }
      await sweep(this.dir, manifest);
    } catch (err) {
      this.history.abort();
      await Promise.all(bodies.map((b) => b.file?.retire()));
      for (const family of FAMILIES) for (const shard of taken[family]) this.dirty[family].add(shard);
      throw err;
    }
  }

  /** The manifest naming a shard's new files is durable: its heads now point into its new body file. */
  private install({ family, shard, file, placements }: WrittenBodies): void {
    for (const { head, body, at, len } of placements) {
      head.at = at;
      head.len = len;
      // Unless the head took a body since (it cannot: a change replaces the head), memory lets go of it.
      if (head.body === body) head.body = undefined;
    }
    this.bodies.install(family, shard, file);
  }

  /**
   * The items of `shards`, per shard: the family's items taken in one step (one consistent moment:
   * the state replaces items, never edits them), then bucketed by key a slice at a time.
   */
  private async itemsOf(family: Family, shards: Set<number>): Promise<Map<number, unknown[]>> {
    const [items, keyOf] = this.everything(family);
    const out = new Map<number, unknown[]>();
    const turns = new Turns();
    for (const item of items) {
      if (turns.due()) await turns.next();
      const shard = shardOf(keyOf(item as never));
      if (!shards.has(shard)) continue;
      const of = out.get(shard);
      if (of) of.push(item);
      else out.set(shard, [item]);
    }
    return out;
  }

  private everything(family: Family): [unknown[], (item: never) => string] {
    switch (family) {
      case 'actors':
        return [[...this.state.actors.values()], (h: ActorHead) => h.id];
      case 'history':
        return [this.history.actors(), (actor: string) => actor];
      case 'outbox':
        return [[...this.state.outbox.values()], (e: OutboxEntry) => e.id];
      case 'reminders':
        return [[...this.state.reminders.values()], (r: Reminder) => r.id];
      case 'records':
        return [[...this.state.recordHeads()], (h: RecordHead) => recordKey(h.collection, h.id)];
    }
  }

  /** Writes a shard's new files (not yet fsynced) and returns their paths, or none for an empty shard. */
  private async writeShard(family: Family, shard: number, items: unknown[], generation: number, bodies: WrittenBodies[]): Promise<string[]> {
    if (items.length === 0) {
      this.files[family][shard] = null;
      if (withBodies(family)) bodies.push({ family, shard, file: undefined, placements: [] });
      return [];
    }
    const name = `${family}-${String(shard).padStart(2, '0')}.${generation}.json`;
    const path = join(this.dir, name);
    this.writes++;
    this.files[family][shard] = name;
    if (!withBodies(family)) {
      await writeItems(path, items);
      return [path];
    }
    const bodiesPath = join(this.dir, bodiesName(name));
    const written: WrittenBodies = { family, shard, file: await this.bodies.create(bodiesPath), placements: [] };
    bodies.push(written);
    await writeItems(path, await this.writeBodies(family, shard, items as Head<unknown>[], written));
    return [path, bodiesPath];
  }

  /**
   * Writes the bodies of a shard's heads to its new body file, a slice at a time: those memory
   * holds serialised, the others copied from the current body file as they are. Returns what the
   * shard file stores per head.
   */
  private async writeBodies(family: BodyFamily, shard: number, heads: Head<unknown>[], written: WrittenBodies): Promise<unknown[]> {
    const stored: unknown[] = [];
    let offset = 0;
    for (let i = 0; i < heads.length; i += SLICE) {
      if (i > 0) await setImmediate();
      const slice = heads.slice(i, i + SLICE);
      const onDisk = slice.filter((h) => h.body === undefined) as (ActorHead | RecordHead)[];
      const copied = onDisk.length > 0 ? await this.bodies.bytes(family, shard, onDisk) : [];
      let next = 0;
      const parts = slice.map((head) => (head.body === undefined ? copied[next++] : Buffer.from(JSON.stringify(head.body))));
      slice.forEach((head, j) => {
        written.placements.push({ head, body: head.body, at: offset, len: parts[j].length });
        stored.push(storedHead(head, offset, parts[j].length));
        offset += parts[j].length + 1;
      });
      await written.file!.append(Buffer.concat(parts.flatMap((part) => [part, NEWLINE])));
    }
    return stored;
  }

  private touch(family: Family, key: string): void {
    this.dirty[family].add(shardOf(key));
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

/**
 * Deletes what `manifest` made obsolete: older journals, shard files and history segments it does
 * not name, and temp files of interrupted writes. Only names this store writes are touched.
 */
export async function sweep(dir: string, manifest: Manifest | undefined): Promise<void> {
  const shardFiles = manifest ? FAMILIES.flatMap((f) => manifest.files[f].filter((name) => name !== null)) : [];
  const named = new Set([...shardFiles, ...shardFiles.map(bodiesName), ...Object.keys(manifest?.segments ?? {})]);
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
