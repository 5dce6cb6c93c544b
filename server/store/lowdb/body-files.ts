import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { ActorHead, RecordHead, SequencedRecord } from '../heads.ts';
import type { BodyReader } from '../memory.ts';
import { recordKey } from '../memory.ts';
import type { Actor } from '../store.ts';
import { shardOf } from './files.ts';
import { readExactly, writeAll } from './positioned.ts';

/**
 * The body files of the shards whose items memory holds only the heads of (actors and records,
 * heads.ts, issue 14): beside such a shard file `<name>`, the file `<name>l` holds the items
 * whole, one JSON line each, which the heads name by offset and length; reading an item reads
 * exactly its bytes. A compaction rewriting a shard writes both files anew and, once its manifest
 * is durable, installs the new body file; reads in flight on the one it replaced finish on its
 * handle (an unlinked file stays readable), which then closes.
 */

export const bodiesName = (shardFile: string): string => `${shardFile}l`;

/** The families whose shard files hold heads. */
export type BodyFamily = 'actors' | 'records';

/** Ranges closer than this are read in one read: listing a whole collection takes a few reads per shard. */
const GAP = 4096;

export class BodyFile {
  private readers = 0;
  private retired = false;
  private size = 0;

  constructor(private readonly handle: FileHandle) {}

  /**
   * The bytes of each span ([offset, length]), in order. Counts itself a reader synchronously,
   * so a retire() that follows the call waits for it.
   */
  async read(spans: readonly (readonly [number, number])[], counted: (bytes: number) => void): Promise<Buffer[]> {
    this.readers++;
    try {
      const order = spans.map((_, i) => i).sort((a, b) => spans[a][0] - spans[b][0]);
      const out: Buffer[] = [];
      for (let i = 0; i < order.length; ) {
        // A run of spans close enough together, read at once.
        let j = i + 1;
        let end = spans[order[i]][0] + spans[order[i]][1];
        while (j < order.length && spans[order[j]][0] - end < GAP) end = Math.max(end, spans[order[j]][0] + spans[order[j++]][1]);
        const start = spans[order[i]][0];
        const run = await readExactly(this.handle, start, end - start, 'a body file');
        counted(run.length);
        for (; i < j; i++) out[order[i]] = run.subarray(spans[order[i]][0] - start, spans[order[i]][0] - start + spans[order[i]][1]);
      }
      return out;
    } finally {
      if (--this.readers === 0 && this.retired) await this.handle.close();
    }
  }

  /** Appends `data` (a compaction writing the file). */
  async append(data: Buffer): Promise<void> {
    await writeAll(this.handle, data, this.size);
    this.size += data.length;
  }

  /** No longer the shard's file: closes once no read is in flight. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.readers === 0) await this.handle.close();
  }
}

export class BodyFiles implements BodyReader {
  /** The current body file of each shard that has one, by `<family>/<shard>`. */
  private readonly current = new Map<string, BodyFile>();
  /** Bytes read since open (reads of actors and records, and compactions copying unchanged bodies). */
  bytesRead = 0;

  constructor(private readonly readOnly: boolean) {}

  /** Opens a shard's body file as the manifest names it (start-up). */
  async open(family: BodyFamily, shard: number, path: string): Promise<void> {
    this.current.set(`${family}/${shard}`, new BodyFile(await open(path, 'r')));
  }

  /** A new body file, to be written (a compaction). */
  async create(path: string): Promise<BodyFile> {
    if (this.readOnly) throw new Error('store: read only');
    return new BodyFile(await open(path, 'w+'));
  }

  /** Makes `file` the shard's body file (its manifest is durable), or none. */
  install(family: BodyFamily, shard: number, file: BodyFile | undefined): void {
    const key = `${family}/${shard}`;
    void this.current.get(key)?.retire();
    if (file) this.current.set(key, file);
    else this.current.delete(key);
  }

  actors(heads: readonly ActorHead[]): Promise<Actor[]> {
    return this.read('actors', heads, (h) => h.id);
  }

  records(heads: readonly RecordHead[]): Promise<SequencedRecord[]> {
    return this.read('records', heads, (h) => recordKey(h.collection, h.id));
  }

  /** The raw bytes of heads of one shard (a compaction copying the bodies it did not change). */
  bytes(family: BodyFamily, shard: number, heads: readonly (ActorHead | RecordHead)[]): Promise<Buffer[]> {
    return this.file(family, shard).read(
      heads.map((h) => [h.at, h.len]),
      (n) => (this.bytesRead += n),
    );
  }

  async close(): Promise<void> {
    const files = [...this.current.values()];
    this.current.clear();
    await Promise.all(files.map((f) => f.retire()));
  }

  /** Starts every shard's reads before its first await: heads and files are taken at one moment. */
  private async read<H extends ActorHead | RecordHead, B>(family: BodyFamily, heads: readonly H[], key: (head: H) => string): Promise<B[]> {
    const byShard = new Map<number, number[]>();
    heads.forEach((head, i) => {
      const shard = shardOf(key(head));
      const of = byShard.get(shard);
      if (of) of.push(i);
      else byShard.set(shard, [i]);
    });
    const out: B[] = [];
    await Promise.all(
      [...byShard].map(async ([shard, indexes]) => {
        const parts = await this.bytes(
          family,
          shard,
          indexes.map((i) => heads[i]),
        );
        for (const [j, part] of parts.entries()) out[indexes[j]] = JSON.parse(part.toString('utf8')) as B;
      }),
    );
    return out;
  }

  private file(family: BodyFamily, shard: number): BodyFile {
    const file = this.current.get(`${family}/${shard}`);
    if (!file) throw new Error(`store: no body file for ${family} shard ${shard}`);
    return file;
  }
}
