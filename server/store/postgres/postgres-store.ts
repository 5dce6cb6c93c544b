import type pg from 'pg';
import type { Actor, ActorQuery, ChainHeadEntry, Commit, HistoryEntry, OutboxEntry, Page, Reminder, ReminderGroup, Store } from '../store.ts';
import { VersionConflict } from '../store.ts';
import { CommitFeed } from './commit-feed.ts';
import { migrate } from './migrate.ts';
import { createPool, rethrow, unavailable } from './pool.ts';

export interface PostgresStoreOptions {
  url: string;
  /** Pool size of this node (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** This node's name in leases and the commit feed; unique per process. */
  node?: string;
}

interface Pending {
  text: string;
  stored: Commit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Commits sent to the database in one round trip at most. */
const MAX_GROUP = 256;

const ACTOR_COLUMNS = 'id, kind, status, version, created_at, updated_at, members, snapshot, machine_version, history_head, search';
const OUTBOX_COLUMNS = 'id, kind, actor, recipient, payload, created_at, due_at, attempts, delivered_at, last_error, dead_at';
const PENDING = 'delivered_at IS NULL AND dead_at IS NULL';

/** A row as the contract's item: absent fields are left out, as they were given. */
function present<T>(row: Record<string, unknown>, columns: string): T {
  const item: Record<string, unknown> = {};
  for (const key of columns.split(', ')) if (row[key] !== null) item[key] = row[key];
  return item as T;
}
const outboxOf = (row: Record<string, unknown>) => present<OutboxEntry>(row, OUTBOX_COLUMNS);
const actorOf = (row: Record<string, unknown>) => present<Actor>(row, ACTOR_COLUMNS);

const byDue = (a: { due_at: string; id: string }, b: { due_at: string; id: string }) =>
  a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Keeps the last item of each key (one statement cannot upsert a row twice). */
function lastOf<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/**
 * The PostgreSQL store (P9): several nodes share one database. A row per actor with its version;
 * commits arriving together go in one round trip to `trustwire_commit` (one transaction, one WAL
 * flush, a subtransaction per commit so that a conflict refuses only its own commit). Reads go to
 * the pool directly. Other nodes' commits reach this node's listeners through the commit feed.
 */
export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly node: string;
  private readonly feed: CommitFeed;
  private readonly listeners: ((commit: Commit, remote: boolean) => void)[] = [];
  private queue: Pending[] = [];
  private flushing = false;
  private opened = false;
  /** Group commits sent and commits they carried (the benchmark reports the ratio). */
  readonly stats = { groups: 0, commits: 0 };

  constructor({ url, poolSize = 10, node = `node_${crypto.randomUUID().slice(0, 8)}` }: PostgresStoreOptions) {
    this.pool = createPool({ url, size: poolSize });
    this.node = node;
    this.feed = new CommitFeed(this.pool, node, (commits) => {
      for (const commit of commits) for (const listener of this.listeners) listener(commit, true);
    });
  }

  /** Applies the migrations (under their advisory lock) and starts following other nodes' commits. */
  async open(): Promise<void> {
    if (this.opened) throw new Error('store: already opened');
    await migrate(this.pool);
    await this.feed.start();
    this.opened = true;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.feed.stop();
    await this.pool.end();
  }

  /**
   * The commit feed keeps the last minutes' commits for the other nodes: the subject's key record
   * is cut out of them (the nodes learn the tombstone instead). The records row's old version
   * lasts in the table's pages until vacuum reuses them, never in a dump (README "Erasure").
   */
  async purge(subject: string): Promise<void> {
    await this.pool
      .query(
        `UPDATE commit_feed SET commits = (
           SELECT json_agg(CASE WHEN c ? 'records' THEN jsonb_set(c, '{records}', coalesce((
             SELECT jsonb_agg(r ORDER BY n) FROM jsonb_array_elements(c->'records') WITH ORDINALITY AS e(r, n)
             WHERE NOT (r->>'collection' = 'subject_keys' AND r->>'id' = $1 AND r->'value' ? 'wrapped')), '[]'::jsonb)) ELSE c END ORDER BY i)
           FROM jsonb_array_elements(commits::jsonb) WITH ORDINALITY AS cs(c, i))
         WHERE strpos(commits::text, '"wrapped"') > 0 AND strpos(commits::text, $1) > 0`,
        [subject],
      )
      .catch(rethrow);
  }

  async ping(): Promise<void> {
    if (!this.opened) throw new Error('the store is not open');
    await this.pool.query('SELECT 1').catch(rethrow);
  }

  commit(commit: Commit): Promise<void> {
    if (!this.opened) return Promise.reject(new Error('store: not open'));
    const text = JSON.stringify({
      ...commit,
      history: lastOf(commit.history, (e) => `${e.actor}\u0000${e.seq}`),
      outbox: lastOf(commit.outbox, (e) => e.id),
      reminders: lastOf(commit.reminders, (r) => r.id),
      records: lastOf(commit.records, (r) => `${r.collection}\u0000${r.id}`),
    });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text, stored: JSON.parse(text) as Commit, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** One group in flight at a time, in arrival order: commits chained on unacknowledged versions apply in order. */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      let answers: ({ conflict: { actor: string; expected: number; actual: number } } | null)[];
      try {
        const { rows } = await this.pool.query('SELECT trustwire_commit($1::json, $2) AS answers', [`[${group.map((p) => p.text).join(',')}]`, this.node]);
        answers = rows[0].answers;
        this.stats.groups++;
        this.stats.commits += group.length;
      } catch (error) {
        for (const p of group) p.reject(unavailable(error) ?? error);
        continue;
      }
      for (const [i, p] of group.entries()) {
        const conflict = answers[i]?.conflict;
        if (conflict) {
          p.reject(new VersionConflict(conflict.actor, conflict.expected, conflict.actual));
          continue;
        }
        for (const listener of this.listeners) listener(p.stored, false);
        p.resolve();
      }
    }
    this.flushing = false;
  }

  onCommitted(listener: (commit: Commit, remote: boolean) => void): void {
    this.listeners.push(listener);
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, values).catch(rethrow)).rows;
  }

  /** Rows per table (migrate-store: refuse a non-empty target, verify the copy). */
  async counts(): Promise<{ actors: number; history: number; outbox: number; reminders: number; records: number }> {
    const tables = ['actors', 'history', 'outbox', 'reminders', 'records'] as const;
    const [row] = await this.query<Record<(typeof tables)[number], number>>(
      `SELECT ${tables.map((t) => `(SELECT count(*)::integer FROM ${t}) AS ${t}`).join(', ')}`,
    );
    return { actors: row.actors, history: row.history, outbox: row.outbox, reminders: row.reminders, records: row.records };
  }

  async versions(): Promise<Map<string, number>> {
    return new Map((await this.query<{ id: string; version: number }>('SELECT id, version FROM actors')).map((r) => [r.id, r.version]));
  }

  /** Drops the commit feed's rows: a bulk copy is nothing for other nodes to publish. */
  async forgetFeed(): Promise<void> {
    await this.query('DELETE FROM commit_feed');
  }

  async getActor(id: string): Promise<Actor | undefined> {
    const [row] = await this.query(`SELECT ${ACTOR_COLUMNS} FROM actors WHERE id = $1`, [id]);
    return row && actorOf(row);
  }

  async listActors(q: ActorQuery): Promise<Page<Actor>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q.kind !== undefined) where.push(`kind = $${values.push(q.kind)}`);
    if (q.status !== undefined) where.push(`status = $${values.push(q.status)}`);
    if (q.member !== undefined) where.push(`members @> ARRAY[$${values.push(q.member)}]`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [data, [{ count }]] = await Promise.all([
      this.query(`SELECT ${ACTOR_COLUMNS} FROM actors ${filter} ORDER BY updated_at DESC, id DESC OFFSET $${values.length + 1} LIMIT $${values.length + 2}`, [
        ...values,
        Math.max(0, q.offset),
        Math.max(0, q.limit),
      ]),
      this.query<{ count: number }>(`SELECT count(*)::integer AS count FROM actors ${filter}`, values),
    ]);
    return { data: data.map(actorOf), count };
  }

  async searchActors(terms: string[][], offset: number, limit: number): Promise<Page<Actor>> {
    if (terms.length === 0) return { data: [], count: 0 };
    const values: unknown[] = [];
    const filter = `WHERE ${terms.map((alternatives) => `search && $${values.push(alternatives)}::text[]`).join(' AND ')}`;
    const [data, [{ count }]] = await Promise.all([
      this.query(`SELECT ${ACTOR_COLUMNS} FROM actors ${filter} ORDER BY updated_at DESC, id DESC OFFSET $${values.length + 1} LIMIT $${values.length + 2}`, [
        ...values,
        Math.max(0, offset),
        Math.max(0, limit),
      ]),
      this.query<{ count: number }>(`SELECT count(*)::integer AS count FROM actors ${filter}`, values),
    ]);
    return { data: data.map(actorOf), count };
  }

  async machineVersions(): Promise<Record<string, number[]>> {
    const out: Record<string, number[]> = {};
    for (const r of await this.query<{ kind: string; v: number }>('SELECT DISTINCT kind, coalesce(machine_version, 1) AS v FROM actors ORDER BY kind, v')) {
      out[r.kind] ??= [];
      out[r.kind].push(r.v);
    }
    return out;
  }

  async countActors(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of await this.query<{ kind: string; status: string; n: number }>(
      'SELECT kind, status, count(*)::integer AS n FROM actors GROUP BY kind, status',
    )) {
      out[r.kind] ??= {};
      out[r.kind][r.status] = r.n;
    }
    return out;
  }

  async history(actor: string): Promise<HistoryEntry[]> {
    return (await this.query<{ entry: HistoryEntry }>('SELECT entry FROM history WHERE actor = $1 ORDER BY seq', [actor])).map((r) => r.entry);
  }

  async chainHeads(): Promise<ChainHeadEntry[]> {
    return this.query<ChainHeadEntry>("SELECT DISTINCT ON (actor) actor, seq, entry->>'hash' AS hash FROM history ORDER BY actor, seq DESC");
  }

  async dueReminders(now: string, limit: number): Promise<Reminder[]> {
    return this.query<Reminder>('SELECT id, actor, event, due_at FROM reminders WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2', [now, limit]);
  }

  async nextReminderAt(): Promise<string | undefined> {
    return nextFree(await this.query('SELECT id, due_at, lease_until FROM reminders ORDER BY due_at, id LIMIT 100'));
  }

  async reminderGroups(key: string, by: string): Promise<ReminderGroup[]> {
    return this.query<ReminderGroup>(
      `SELECT event, count(*)::int AS scheduled, (count(*) FILTER (WHERE due_at <= $2))::int AS due_by, min(due_at) AS next_due_at
       FROM reminders WHERE id LIKE $1 GROUP BY event ORDER BY event`,
      [`%:${key.replace(/[\\%_]/g, '\\$&')}`, by],
    );
  }

  async claimReminders(now: string, limit: number, leaseUntil: string): Promise<Reminder[]> {
    const rows = await this.query<Reminder>(
      `UPDATE reminders r SET lease_until = $3, leased_by = $4
       FROM (SELECT id FROM reminders WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
             ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) due
       WHERE r.id = due.id
       RETURNING r.id, r.actor, r.event, r.due_at`,
      [now, limit, leaseUntil, this.node],
    );
    return rows.sort(byDue);
  }

  async dueOutbox(now: string, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.query<Record<string, unknown>>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${PENDING} AND due_at <= $1 ORDER BY due_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map(outboxOf);
  }

  async nextOutboxAt(): Promise<string | undefined> {
    return nextFree(await this.query(`SELECT id, due_at, lease_until FROM outbox WHERE ${PENDING} ORDER BY due_at, id LIMIT 100`));
  }

  async pendingOutbox(actor: string): Promise<OutboxEntry[]> {
    return (await this.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE actor = $1 AND ${PENDING} ORDER BY id`, [actor])).map(outboxOf);
  }

  async claimOutbox(now: string, limit: number, leaseUntil: string): Promise<OutboxEntry[]> {
    const rows = await this.query<Record<string, unknown>>('SELECT * FROM trustwire_claim_outbox($1, $2, $3, $4)', [now, limit, leaseUntil, this.node]);
    return rows.map(outboxOf).sort(byDue);
  }

  async outboxFor(recipient: string, kinds: string[], offset: number, limit: number): Promise<Page<OutboxEntry>> {
    const filter = 'WHERE recipient = $1 AND kind = ANY($2)';
    const [rows, [{ count }]] = await Promise.all([
      this.query<Record<string, unknown>>(`SELECT ${OUTBOX_COLUMNS} FROM outbox ${filter} ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT $4`, [
        recipient,
        kinds,
        Math.max(0, offset),
        Math.max(0, limit),
      ]),
      this.query<{ count: number }>(`SELECT count(*)::integer AS count FROM outbox ${filter}`, [recipient, kinds]),
    ]);
    return { data: rows.map(outboxOf), count };
  }

  async getRecord(collection: string, id: string): Promise<unknown | undefined> {
    return (await this.query<{ value: unknown }>('SELECT value FROM records WHERE collection = $1 AND id = $2', [collection, id]))[0]?.value;
  }

  async listRecords(collection: string, group?: string): Promise<unknown[]> {
    const rows =
      group === undefined
        ? await this.query<{ value: unknown }>('SELECT value FROM records WHERE collection = $1 ORDER BY seq', [collection])
        : await this.query<{ value: unknown }>('SELECT value FROM records WHERE collection = $1 AND grp = $2 ORDER BY seq', [collection, group]);
    return rows.map((r) => r.value);
  }

  async recordGroups(collection: string): Promise<Record<string, number>> {
    const rows = await this.query<{ grp: string; n: number }>(
      "SELECT coalesce(grp, '') AS grp, count(*)::int AS n FROM records WHERE collection = $1 GROUP BY 1",
      [collection],
    );
    return Object.fromEntries(rows.map((r) => [r.grp, r.n]));
  }
}

/** When the earliest item becomes claimable: its due time, or its lease's end (items in due order). */
function nextFree(rows: { due_at: string; lease_until: string | null }[]): string | undefined {
  let earliest: string | undefined;
  for (const { due_at, lease_until } of rows) {
    const free = lease_until !== null && lease_until > due_at ? lease_until : due_at;
    if (earliest === undefined || free < earliest) earliest = free;
    if (lease_until === null) break;
  }
  return earliest;
}
