import type { FileHandle } from 'node:fs/promises';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fsyncPath } from '../../durable-file.ts';
import { log } from '../../log.ts';
import { journalName } from './files.ts';

interface Pending<T> {
  line: string;
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The append-only commit log `journal-<n>.ndjson`, one JSON line per commit, with group commit:
 * while a write + fdatasync is in flight, appends queue and all share the next one. File
 * operations (flush, rotate, close) run one at a time in order.
 *
 * After a failed write or sync the journal refuses every further append: the file may end in a
 * partial batch (which replay skips as a torn line), and a rejected commit may or may not be
 * present after a restart, as with any database that loses its disk mid-write.
 */
export class Journal<T> {
  flushes = 0;
  bytes = 0;
  private queue: Pending<T>[] = [];
  private scheduled = false;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private n: number,
    /** Called in order, once per batch, after the batch is durable and before its appends resolve, with the fdatasync's time. */
    private readonly onDurable: (items: T[], syncSeconds: number) => void,
  ) {}

  static async create<T>(dir: string, n: number, onDurable: (items: T[], syncSeconds: number) => void): Promise<Journal<T>> {
    return new Journal(dir, await createFile(dir, n), n, onDurable);
  }

  get number(): number {
    return this.n;
  }

  /** Why appends are refused (a write or sync failed), if they are. */
  get failed(): unknown {
    return this.failure;
  }

  /** Resolves once `line` is on disk and `item` went through onDurable. */
  append(line: string, item: T): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.queue.push({ line, item, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      void this.serial(() => this.flush());
    }
    return done;
  }

  /** Switches to journal n+1 once everything appended so far is durable; resolves with n+1. */
  rotate(): Promise<number> {
    return this.serial(async () => {
      const fh = await createFile(this.dir, this.n + 1);
      await this.fh.close();
      this.fh = fh;
      return ++this.n;
    });
  }

  /** Resolves once everything appended so far is durable (or failed). */
  drain(): Promise<void> {
    return this.serial(async () => {});
  }

  close(): Promise<void> {
    return this.serial(() => this.fh.close());
  }

  private serial<R>(op: () => Promise<R>): Promise<R> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => {});
    return result;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    try {
      if (this.failure !== undefined) throw this.failure;
      const data = Buffer.from(batch.map((p) => `${p.line}\n`).join(''));
      for (let offset = 0; offset < data.length; ) offset += (await this.fh.write(data, offset)).bytesWritten;
      const syncStarted = performance.now();
      await this.fh.datasync();
      const syncSeconds = (performance.now() - syncStarted) / 1000;
      this.flushes++;
      this.bytes += data.length;
      this.onDurable(
        batch.map((p) => p.item),
        syncSeconds,
      );
    } catch (err) {
      if (this.failure === undefined) log.error({ err, journal: this.n }, 'journal write failed; refusing further commits');
      this.failure ??= err;
      for (const p of batch) p.reject(err);
      return;
    }
    for (const p of batch) p.resolve();
  }
}

/** Creates an empty journal file and makes its directory entry durable before anything relies on it. */
async function createFile(dir: string, n: number): Promise<FileHandle> {
  const fh = await open(join(dir, journalName(n)), 'a');
  await fsyncPath(dir);
  return fh;
}

/**
 * The commits of a journal file, in order. A crash mid-write leaves a torn last line (no trailing
 * newline, or not JSON): it was never acknowledged, so it is skipped.
 */
export async function readJournal<T>(path: string): Promise<T[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  // The text after the last newline: empty unless the last write was torn.
  if (lines.pop()) log.warn({ path }, 'journal: skipping torn last line');
  const out: T[] = [];
  lines.forEach((line, i) => {
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      if (i === lines.length - 1) log.warn({ path }, 'journal: skipping torn last line');
      else log.error({ path, line: i + 1 }, 'journal: skipping unreadable line');
    }
  });
  return out;
}
