import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { readExactly, writeAll } from './positioned.ts';

/**
 * The history segment files `segment-<n>.jsonl`: append-only, one JSON line per history entry,
 * written by compactions only. A range `[segment, offset, length]` names bytes of one segment.
 * The manifest records every segment's length; bytes past it were written by a compaction that
 * never completed, and open() cuts them off.
 */

export const segmentNumber = (name: string): number | undefined => {
  const m = /^segment-(\d+)\.jsonl$/.exec(name);
  return m ? Number(m[1]) : undefined;
};
const segmentName = (n: number) => `segment-${n}.jsonl`;

/** Segment name → its length in bytes, as the manifest records them. */
export type SegmentLengths = Record<string, number>;

/** Appends go to a new segment once the current one holds this much: a segment stays small enough to copy or check. */
const SEGMENT_BYTES = 64 * 1024 * 1024;

export class Segments {
  private readonly files = new Map<number, FileHandle>();
  private readonly lengths = new Map<number, number>();
  /** Segments appended to since the last sync. */
  private readonly unsynced = new Set<number>();
  private current = 0;
  /** Bytes read since open. */
  bytesRead = 0;

  constructor(
    private readonly dir: string,
    /** Reading the store of a running node: its segments are neither cut nor written. */
    private readonly readOnly = false,
  ) {}

  /**
   * Opens the segments the manifest names, each cut back to the length it recorded (read-only:
   * left as they are, bytes past the length being a compaction the node has not finished).
   */
  async open(recorded: SegmentLengths = {}): Promise<void> {
    try {
      for (const [name, length] of Object.entries(recorded)) {
        const n = segmentNumber(name);
        if (n === undefined) throw new Error(`store: the manifest names ${name}, not a history segment`);
        const file = await open(join(this.dir, name), this.readOnly ? 'r' : 'r+');
        this.files.set(n, file);
        const { size } = await file.stat();
        if (size < length) throw new Error(`store: history segment ${name} holds ${size} bytes, the manifest records ${length}`);
        if (size > length && !this.readOnly) await file.truncate(length);
        this.lengths.set(n, length);
        this.current = Math.max(this.current, n);
      }
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /**
   * Writes `parts` one after another at the end of the current segment (in one write) and returns
   * each part's range. Durable once sync() resolves.
   */
  async append(parts: Buffer[]): Promise<number[][]> {
    if (this.current === 0 || this.lengths.get(this.current)! >= SEGMENT_BYTES) await this.startSegment();
    const n = this.current;
    let offset = this.lengths.get(n)!;
    const ranges = parts.map((part) => {
      const range = [n, offset, part.length];
      offset += part.length;
      return range;
    });
    const data = Buffer.concat(parts);
    await writeAll(this.files.get(n)!, data, this.lengths.get(n)!);
    this.lengths.set(n, offset);
    this.unsynced.add(n);
    return ranges;
  }

  async sync(): Promise<void> {
    const taken = [...this.unsynced];
    this.unsynced.clear();
    await Promise.all(taken.map((n) => this.files.get(n)!.datasync()));
  }

  /** Every segment's length: what the manifest records once sync() resolved. */
  recorded(): SegmentLengths {
    return Object.fromEntries([...this.lengths].map(([n, length]) => [segmentName(n), length]));
  }

  /** The bytes of `ranges` (flat: segment, offset, length, …), concatenated: positioned reads of exactly those bytes. */
  async read(ranges: readonly number[]): Promise<Buffer> {
    const reads: Promise<Buffer>[] = [];
    for (let i = 0; i < ranges.length; i += 3) reads.push(this.readRange(ranges[i], ranges[i + 1], ranges[i + 2]));
    return Buffer.concat(await Promise.all(reads));
  }

  async close(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map((f) => f.close()));
  }

  private async readRange(n: number, offset: number, length: number): Promise<Buffer> {
    const file = this.files.get(n);
    if (!file) throw new Error(`store: history segment ${segmentName(n)} is not open`);
    const buffer = await readExactly(file, offset, length, `history segment ${segmentName(n)}`);
    this.bytesRead += length;
    return buffer;
  }

  private async startSegment(): Promise<void> {
    const n = this.current + 1;
    // 'w+' (not 'a'): positioned writes; a file of that name is left over from a compaction no manifest named.
    this.files.set(n, await open(join(this.dir, segmentName(n)), 'w+'));
    this.lengths.set(n, 0);
    this.current = n;
  }
}
