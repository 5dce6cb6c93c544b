import { setImmediate } from 'node:timers/promises';
import { type HistoryKeeper, putInOrder } from '../history.ts';
import type { ChainHeadEntry, HistoryEntry } from '../store.ts';
import type { SegmentLengths, Segments } from './segments.ts';
import { Turns } from './turns.ts';

/**
 * The embedded store's history (issue 14): compacted entries live in the segment files, and
 * memory keeps per actor only its chain head (what checkpoints hash) and where its entries are.
 * Entries not compacted yet (in the journal only) stay in memory until the next compaction.
 */

/** An actor's chain as memory holds it. */
interface Chain {
  /** The latest entry's seq and hash (packed). */
  seq: number;
  hash: string | null;
  /** Where its compacted entries are, oldest first: [segment, offset, length] per compaction, flat. Replaced, never mutated. */
  ranges: readonly number[];
  /** Entries in the journal only, in seq order. */
  tail: HistoryEntry[] | undefined;
  /** Entries the running compaction is writing: read from memory until the manifest names their range. */
  flushing: HistoryEntry[] | undefined;
}

/** What the shard files of family 'history' hold per actor, so a start reads no segment. */
export interface ChainRecord {
  actor: string;
  seq: number;
  hash: string | null;
  ranges: readonly number[];
}

/** An actor's new range, and how many of its ranges (from the oldest) it follows: the others it rewrote. */
interface Written {
  kept: number;
  range: number[];
}

const NO_RANGES: readonly number[] = Object.freeze([]);

/** A marker no hex digit is: the 32 characters after it are a SHA-256 hash's bytes (48 B in memory instead of 80 as hex). */
const PACKED = '\u0000';
const HEX = /^[0-9a-f]{64}$/;
const pack = (hash: string | null): string | null => (hash !== null && HEX.test(hash) ? PACKED + Buffer.from(hash, 'hex').toString('latin1') : hash);
const unpack = (hash: string | null): string | null => (hash?.startsWith(PACKED) ? Buffer.from(hash.slice(1), 'latin1').toString('hex') : hash);

/**
 * How many of an actor's newest ranges a compaction rewrites together with `bytes` new bytes: the
 * fewest that leave every range longer than all after it together. An actor then has at most
 * log2(its history ÷ its smallest write) ranges, and each byte is rewritten at most as often.
 */
function rangesToFold(ranges: readonly number[], bytes: number): number {
  const count = ranges.length / 3;
  let after = bytes;
  let fold = 0;
  for (let i = count - 1; i >= 0; i--) {
    const length = ranges[3 * i + 2];
    if (length <= after) fold = count - i;
    after += length;
  }
  return fold;
}

/** Actors whose lines one segment write carries: serialising them takes a few ms, then commands get a turn. */
const SLICE = 500;

export class SegmentedHistory implements HistoryKeeper {
  private readonly chains = new Map<string, Chain>();
  /** What the running compaction wrote, by actor, until its manifest is durable. */
  private written = new Map<string, Written>();

  constructor(private readonly segments: Segments) {}

  /** Bytes read from the segments since open. */
  get bytesRead(): number {
    return this.segments.bytesRead;
  }

  open(recorded: SegmentLengths | undefined): Promise<void> {
    return this.segments.open(recorded);
  }

  close(): Promise<void> {
    return this.segments.close();
  }

  /**
   * Takes an item of a 'history' shard file: a ChainRecord, or a whole entry as stores before
   * segments kept them (the first compaction then writes it to a segment). Returns whether it
   * was such an entry.
   */
  load(item: ChainRecord | HistoryEntry): boolean {
    if (!('ranges' in item)) {
      this.put(item);
      return true;
    }
    this.chains.set(item.actor, { seq: item.seq, hash: pack(item.hash), ranges: item.ranges, tail: undefined, flushing: undefined });
    return false;
  }

  put(entry: HistoryEntry): void {
    const chain = this.chains.get(entry.actor);
    if (!chain) {
      this.chains.set(entry.actor, { seq: entry.seq, hash: pack(entry.hash ?? null), ranges: NO_RANGES, tail: [entry], flushing: undefined });
      return;
    }
    if (chain.tail) putInOrder(chain.tail, entry);
    else chain.tail = [entry];
    if (entry.seq >= chain.seq) {
      chain.seq = entry.seq;
      chain.hash = pack(entry.hash ?? null);
    }
  }

  /** Reads the actor's ranges and adds the entries memory holds, as MemoryHistory orders them (by seq, a later copy of a seq replacing it). */
  async of(actor: string): Promise<HistoryEntry[]> {
    const chain = this.chains.get(actor);
    if (!chain) return [];
    // Taken before the read: a compaction settling meanwhile moves entries into ranges not read here.
    const { ranges, flushing = [], tail = [] } = chain;
    const entries: HistoryEntry[] = [];
    for (const line of (await this.segments.read(ranges)).toString('utf8').split('\n')) {
      if (line.trim() !== '') putInOrder(entries, JSON.parse(line) as HistoryEntry);
    }
    for (const entry of [...flushing, ...tail]) putInOrder(entries, structuredClone(entry));
    return entries;
  }

  heads(): ChainHeadEntry[] {
    return [...this.chains].map(([actor, { seq, hash }]) => ({ actor, seq, hash: unpack(hash) }));
  }

  async all(): Promise<HistoryEntry[]> {
    const out: HistoryEntry[] = [];
    for (const actor of this.chains.keys()) out.push(...(await this.of(actor)));
    return out;
  }

  /** The actors that have a chain. */
  actors(): string[] {
    return [...this.chains.keys()];
  }

  /** The actor's shard item, naming the ranges of the running compaction too (the manifest that names them names that shard). */
  record(actor: string): ChainRecord | undefined {
    const chain = this.chains.get(actor);
    if (!chain) return undefined;
    const written = this.written.get(actor);
    return { actor, seq: chain.seq, hash: unpack(chain.hash), ranges: written ? after(chain.ranges, written) : chain.ranges };
  }

  /**
   * Compaction, first step: writes every entry memory holds to the segments, each actor's
   * contiguously (after the bytes of the ranges rangesToFold names, copied as they are), and
   * fsyncs them. Reads still take those entries from memory, and the old ranges stay valid.
   */
  async flush(): Promise<void> {
    const actors: string[] = [];
    const turns = new Turns();
    for (const [actor, chain] of this.chains) {
      if (turns.due()) await turns.next();
      if (!chain.tail) continue;
      chain.flushing = chain.tail;
      chain.tail = undefined;
      actors.push(actor);
    }
    for (let i = 0; i < actors.length; i += SLICE) {
      if (i > 0) await setImmediate();
      const slice = actors.slice(i, i + SLICE);
      const parts = await Promise.all(slice.map((actor) => this.partOf(this.chains.get(actor)!)));
      const ranges = await this.segments.append(parts.map((p) => p.data));
      for (const [j, actor] of slice.entries()) this.written.set(actor, { kept: parts[j].kept, range: ranges[j] });
    }
    await this.segments.sync();
  }

  /** What flush() writes for a chain: its flushing entries as lines, after the bytes of the ranges it folds in. */
  private async partOf(chain: Chain): Promise<{ data: Buffer; kept: number }> {
    const fresh = Buffer.from(`${chain.flushing!.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const kept = chain.ranges.length / 3 - rangesToFold(chain.ranges, fresh.length);
    if (kept === chain.ranges.length / 3) return { data: fresh, kept };
    return { data: Buffer.concat([await this.segments.read(chain.ranges.slice(3 * kept)), fresh]), kept };
  }

  /** The segments' lengths for the manifest, once flush() resolved. */
  recorded(): SegmentLengths {
    return this.segments.recorded();
  }

  /** Compaction, last step (its manifest is durable): the written entries leave memory. */
  async settle(): Promise<void> {
    const turns = new Turns();
    for (const [actor, written] of this.written) {
      if (turns.due()) await turns.next();
      const chain = this.chains.get(actor)!;
      chain.ranges = after(chain.ranges, written);
      chain.flushing = undefined;
    }
    this.written = new Map();
  }

  /** The compaction failed: what it was writing stays in memory for the next one (bytes it wrote are never named). */
  abort(): void {
    for (const chain of this.chains.values()) {
      if (!chain.flushing) continue;
      const tail = chain.flushing;
      for (const entry of chain.tail ?? []) putInOrder(tail, entry);
      chain.tail = tail;
      chain.flushing = undefined;
    }
    this.written = new Map();
  }
}

/** An actor's ranges once what a compaction wrote for it is durable. */
const after = (ranges: readonly number[], { kept, range }: Written): number[] => [...ranges.slice(0, 3 * kept), ...range];
