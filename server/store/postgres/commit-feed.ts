import type pg from 'pg';
import { log } from '../../log.ts';
import type { Commit } from '../store.ts';

const CHANNEL = 'trustwire_commits';
/** The fallback when a notification is missed (the listening connection was down). */
const POLL_MS = 500;
/** A notified commit not yet below the horizon (an older transaction still runs): look again soon. */
const RETRY_MS = 5;
const KEEP = '5 minutes';
const CLEANUP_MS = 60_000;

/**
 * Other nodes' commits, in commit order per node, for this node's commit listeners. Each read
 * takes what committed since the last one: rows whose transaction id is below the oldest
 * transaction still running (the snapshot's xmin), so a commit that takes longer than a later one
 * is read later, never skipped. Woken by NOTIFY (one per group of commits, carrying its node
 * and transaction id), polled as a fallback; nothing relies on the committing node's timers.
 */
export class CommitFeed {
  private cursor = '0';
  private listener?: pg.PoolClient;
  private reading?: Promise<void>;
  private again = false;
  /** Newest notified transaction id not yet read. */
  private awaited = 0n;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly node: string,
    private readonly deliver: (commits: Commit[]) => void,
  ) {}

  /** Starts from now: commits before this moment are not replayed. */
  async start(): Promise<void> {
    const { rows } = await this.pool.query<{ horizon: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
    this.cursor = rows[0].horizon;
    await this.listen().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'commit feed: cannot listen yet; polling'));
    const poll = setInterval(() => this.wake(), POLL_MS);
    const cleanup = setInterval(() => void this.pool.query(`DELETE FROM commit_feed WHERE at < now() - interval '${KEEP}'`).catch(() => undefined), CLEANUP_MS);
    for (const t of [poll, cleanup]) t.unref();
    this.timers.push(poll, cleanup);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.reading;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      listener.release();
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped || this.listener) return;
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      const [node, xid] = (message.payload ?? '').split(' ');
      if (node === this.node || !xid) return;
      if (BigInt(xid) > this.awaited) this.awaited = BigInt(xid);
      this.wake();
    });
    client.on('error', () => {
      // The connection broke (the database restarted): drop it and listen again when possible.
      if (this.listener === client) this.listener = undefined;
      client.release(true);
    });
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readAll().finally(() => (this.reading = undefined));
  }

  private async readAll(): Promise<void> {
    try {
      if (!this.listener) await this.listen();
      do {
        this.again = false;
        await this.read();
        // A notified commit still behind an older running transaction: it lands in a moment.
        if (this.awaited >= BigInt(this.cursor)) {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          this.again = true;
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'commit feed: read failed; retrying');
    }
  }

  private async read(): Promise<void> {
    const { rows } = await this.pool.query<{ horizon: string; node: string | null; commits: Commit[] | null }>(
      `SELECT h.horizon::text AS horizon, f.node, f.commits
       FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
       LEFT JOIN commit_feed f ON f.xid >= $1::xid8 AND f.xid < h.horizon AND f.node <> $2
       ORDER BY f.xid, f.seq`,
      [this.cursor, this.node],
    );
    this.cursor = rows[0].horizon;
    const commits = rows.flatMap((r) => r.commits ?? []);
    if (commits.length > 0) this.deliver(commits);
  }
}
