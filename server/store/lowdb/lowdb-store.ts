import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../../log.ts';
import { MemoryStore } from '../memory.ts';
import { type Commit, StoreUnavailable } from '../store.ts';
import { BodyFiles } from './body-files.ts';
import { journalName, journalNumber } from './files.ts';
import { Journal, readJournal } from './journal.ts';
import { SegmentedHistory } from './segmented-history.ts';
import { Segments } from './segments.ts';
import { readManifest, Shards, sweep } from './shards.ts';

export interface LowdbStoreOptions {
  /** Directory of the store's files, created if missing. One process at a time. */
  dir: string;
  /**
   * Compact the journal into the shards after at least this many commits (and on close). The
   * threshold grows with the store (half as many commits as actors), so the amortised cost of
   * compaction per commit stays the same whatever the number of actors.
   */
  compactEvery?: number;
  /** Told of every journal write: how many commits it carried (group commit) and how long its fdatasync took. */
  onFlush?: (commits: number, syncSeconds: number) => void;
  /**
   * Reads the files and changes none (no journal, sweep or compaction; commits are refused): a
   * command-line reader may so open the store of a running node (`npm run mail`). A compaction
   * of that node meanwhile may delete a file before it is read: the open fails, try again.
   */
  readOnly?: boolean;
}

export interface LowdbStats {
  /** Commits made durable since open (replayed ones not included). */
  commits: number;
  /** Journal write + fdatasync rounds: far fewer than commits under concurrency (group commit). */
  flushes: number;
  journalBytes: number;
  compactions: number;
  shardWrites: number;
  /** Bytes read from the history segments: a history read takes its actor's entries only; compactions fold ranges (segmented-history.ts). */
  historyBytesRead: number;
  /** Bytes read from the body files: reading an actor or record that memory does not hold takes its own bytes (body-files.ts). */
  bodyBytesRead: number;
}

/**
 * The embedded store: the state in memory (MemoryState) but for compacted history entries and the
 * bodies of compacted actors and records (memory keeps their heads), every
 * commit appended to a journal and fsynced in groups, and the journal compacted from time to time
 * into sharded lowdb files (see shards.ts) and history segments (segmented-history.ts). A commit
 * costs one journal line whatever the number of actors.
 *
 * Reads see a commit once it is durable. Versions are checked against commits accepted but not
 * yet durable too, so of two concurrent commits expecting the same version the second fails at
 * once; a caller retrying after a conflict may read the old version until the first commit lands.
 */
export class LowdbStore extends MemoryStore {
  private readonly dir: string;
  private readonly compactEvery: number;
  private readonly shards: Shards;
  private readonly segmented: SegmentedHistory;
  private readonly bodies: BodyFiles;
  private journal?: Journal<Commit>;
  /** Actor versions of accepted commits not yet durable. */
  private readonly pending = new Map<string, number>();
  private opened = false;
  /** Set when close() starts: no commit is accepted after that. */
  private closed = false;
  private commits = 0;
  private compactions = 0;
  private sinceCompaction = 0;
  private compaction?: Promise<void>;

  private readonly onFlush?: LowdbStoreOptions['onFlush'];
  private readonly readOnly: boolean;

  constructor({ dir, compactEvery = 10_000, onFlush, readOnly = false }: LowdbStoreOptions) {
    const history = new SegmentedHistory(new Segments(dir, readOnly));
    const bodies = new BodyFiles(readOnly);
    super(history, bodies);
    this.segmented = history;
    this.bodies = bodies;
    this.onFlush = onFlush;
    this.readOnly = readOnly;
    this.dir = dir;
    this.compactEvery = compactEvery;
    this.shards = new Shards(dir, this.state, history, bodies);
  }

  get stats(): LowdbStats {
    return {
      commits: this.commits,
      flushes: this.journal?.flushes ?? 0,
      journalBytes: this.journal?.bytes ?? 0,
      compactions: this.compactions,
      shardWrites: this.shards.writes,
      historyBytesRead: this.segmented.bytesRead,
      bodyBytesRead: this.bodies.bytesRead,
    };
  }

  /** Opens the history segments, loads the shards, replays the journals after them, and (unless read-only) starts a new journal. */
  override async open(): Promise<void> {
    if (this.opened) throw new Error('store: already opened');
    this.opened = true;
    await mkdir(this.dir, { recursive: true });
    const manifest = await readManifest(this.dir);
    await this.segmented.open(manifest?.segments);
    if (manifest) await this.shards.load(manifest);
    const start = manifest?.journal ?? 1;
    const journals = (await readdir(this.dir))
      .map(journalNumber)
      .filter((n): n is number => n !== undefined && n >= start)
      .sort((a, b) => a - b);
    const replay = await Promise.all(journals.map((n) => readJournal<Commit>(join(this.dir, journalName(n)))));
    for (const commits of replay) this.applyDurable(commits);
    if (this.readOnly) return;
    await sweep(this.dir, manifest);
    // Never append to a replayed journal: its last line may be torn.
    const next = Math.max(start, ...journals.map((n) => n + 1));
    this.journal = await Journal.create<Commit>(this.dir, next, (commits, syncSeconds) => {
      this.onFlush?.(commits.length, syncSeconds);
      this.applyDurable(commits);
      this.commits += commits.length;
      for (const commit of commits) this.committed(commit);
    });
    this.maybeCompact();
  }

  /** Flushes pending commits, compacts, and closes the journal (none when read-only) and the segments. */
  override async close(): Promise<void> {
    const journal = this.journal;
    if (!this.opened || this.closed) return;
    this.closed = true;
    try {
      if (journal) {
        await journal.drain();
        await this.compaction;
        if (this.shards.isDirty) await this.compact();
      }
    } finally {
      await journal?.close();
      await this.segmented.close();
      await this.bodies.close();
    }
  }

  override async ping(): Promise<void> {
    if (!this.journal || this.closed) throw new StoreUnavailable('the store is not open');
    if (this.journal.failed !== undefined) throw new StoreUnavailable(`the journal cannot be written: ${String(this.journal.failed)}`);
  }

  override async commit(commit: Commit): Promise<void> {
    if (!this.journal || this.closed) throw new Error('store: not open');
    this.state.check(commit, this.pending);
    const line = JSON.stringify(commit);
    // Apply the journal's own text: memory then holds exactly what a replay would rebuild.
    const durable = JSON.parse(line) as Commit;
    for (const { actor } of durable.actors) this.pending.set(actor.id, actor.version);
    await this.journal.append(line, durable);
  }

  /**
   * Compacts now: afterwards no journal or shard file holds what later commits replaced (an
   * erased subject's wrapped key, issue 16), as compaction deletes the files it supersedes.
   */
  override async purge(_subject: string): Promise<void> {
    while (this.compaction) await this.compaction;
    this.compaction = this.compact().finally(() => (this.compaction = undefined));
    await this.compaction;
  }

  private applyDurable(commits: Commit[]): void {
    for (const commit of commits) {
      this.state.apply(commit);
      this.shards.track(commit);
      for (const { actor } of commit.actors) {
        if (this.pending.get(actor.id) === actor.version) this.pending.delete(actor.id);
      }
    }
    this.sinceCompaction += commits.length;
    this.maybeCompact();
  }

  private maybeCompact(): void {
    const threshold = Math.max(this.compactEvery, this.state.actors.size / 2);
    if (!this.journal || this.closed || this.compaction || this.sinceCompaction < threshold) return;
    this.compaction = this.compact()
      .catch((err: unknown) => log.error({ err }, 'store: compaction failed; retrying later'))
      .finally(() => (this.compaction = undefined));
  }

  /**
   * Rotates the journal (everything in the older journals is then applied in memory), writes the
   * changed shards and a manifest that starts replay at the new journal. Commits keep appending to
   * the new journal meanwhile.
   */
  private async compact(): Promise<void> {
    this.sinceCompaction = 0;
    const journal = await this.journal!.rotate();
    await this.shards.compact(journal);
    this.compactions++;
  }
}
