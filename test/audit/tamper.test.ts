import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpoint } from '../../server/audit/checkpoints.ts';
import { verifyActor, verifyStore } from '../../server/audit/verify.ts';
import { chained, GENESIS } from '../../server/runtime/audit-chain.ts';
import { SYSTEM } from '../../server/runtime/caller.ts';
import { ManualClock } from '../../server/runtime/clock.ts';
import { ActorHost } from '../../server/runtime/host.ts';
import { MemberSearch } from '../../server/runtime/member-search.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import type { HistoryEntry, Store } from '../../server/store/store.ts';
import { type PgCluster, postgresAvailable, startPostgres } from '../helpers/postgres.ts';
import { DELAYS, recordingModules } from '../runtime/runtime.ts';

/**
 * Issue 16: the audit history is hash-chained. Someone with write access to the store's files or
 * rows edits an entry, reorders two, deletes one: verification (the API's and `npm run
 * verify-audit`'s) names the actor and its first bad entry; an untouched store verifies; a whole
 * chain rewritten consistently is caught by the checkpoint taken before.
 */

const PLANS = ['starter', 'legacy', 'starter', 'legacy'] as const;

/** A seeker with five history entries (created, four plan changes) and a provider with one, written by the runtime. */
async function fill(store: Store) {
  const key = randomBytes(32);
  const host = new ActorHost({
    store,
    clock: new ManualClock(Date.parse('2026-05-04T10:00:00Z')),
    sealer: new Sealer(key),
    search: new MemberSearch(key),
    delays: DELAYS,
    modules: recordingModules(),
    committed: () => undefined,
  });
  const seeker = (await host.create('seeker', { email: 'alex@example.com', plan: 'complete', first_name: 'Alex', last_name: 'Rivera' }, SYSTEM)).actor.id;
  for (const plan of PLANS) await host.send(seeker, { type: 'CHANGE_PLAN', plan }, SYSTEM);
  const provider = (await host.create('provider', { email: 'pat@example.com', first_name: 'Pat', last_name: 'Provider' }, SYSTEM)).actor.id;
  return { seeker, provider };
}

type Tamper = (entries: HistoryEntry[]) => HistoryEntry[];
const swapSeq =
  (a: number, b: number): Tamper =>
  (entries) =>
    entries.map((e) => (e.seq === a ? { ...e, seq: b, version: b } : e.seq === b ? { ...e, seq: a, version: a } : e));

/** What is done to the seeker's stored entries, and what verification must then say. */
const TAMPERINGS: { name: string; lowdb: Tamper; sql: string[]; first_invalid: { seq: number; reason: string }; in_files?: { seq: number; reason: string } }[] =
  [
    {
      name: 'an entry edited (its status changed)',
      lowdb: (entries) => entries.map((e) => (e.seq === 3 ? { ...e, to: 'closed' } : e)),
      sql: [`UPDATE history SET entry = jsonb_set(entry::jsonb, '{to}', '"closed"')::json WHERE actor = $1 AND seq = 3`],
      first_invalid: { seq: 3, reason: 'altered' },
    },
    {
      name: 'two entries reordered',
      lowdb: swapSeq(2, 3),
      sql: [
        'UPDATE history SET seq = -2 WHERE actor = $1 AND seq = 2',
        'UPDATE history SET seq = 2 WHERE actor = $1 AND seq = 3',
        'UPDATE history SET seq = 3 WHERE actor = $1 AND seq = -2',
      ],
      first_invalid: { seq: 2, reason: 'out_of_order' },
      // In the files each entry keeps its place but takes the other's seq: entry 2 no longer follows entry 1.
      in_files: { seq: 2, reason: 'broken_link' },
    },
    {
      name: 'an entry deleted',
      lowdb: (entries) => entries.filter((e) => e.seq !== 4),
      sql: ['DELETE FROM history WHERE actor = $1 AND seq = 4'],
      first_invalid: { seq: 4, reason: 'missing' },
    },
    {
      name: 'the last entry deleted',
      lowdb: (entries) => entries.filter((e) => e.seq !== 5),
      sql: ['DELETE FROM history WHERE actor = $1 AND seq = 5'],
      first_invalid: { seq: 5, reason: 'missing' },
    },
  ];

/**
 * Rewrites the seeker's entries in the history segments of a closed embedded store, in place: the
 * store names an actor's entries by byte range, so the forged lines take the bytes the originals
 * took, padded with spaces (which JSON allows); a deleted entry leaves blank space.
 */
async function tamperFiles(dir: string, actor: string, tamper: Tamper) {
  for (const name of (await readdir(dir)).filter((n) => /^segment-\d+\.jsonl$/.test(n))) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    const mine = lines.flatMap((line, i) => (line.trim() !== '' && (JSON.parse(line) as HistoryEntry).actor === actor ? [i] : []));
    if (mine.length === 0) continue;
    // The seeker's entries were compacted once: one contiguous run of lines.
    expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => mine[0] + i));
    const original = lines.slice(mine[0], mine[0] + mine.length).join('\n');
    const forged = tamper(mine.map((i) => JSON.parse(lines[i]) as HistoryEntry))
      .map((e) => JSON.stringify(e))
      .join('\n');
    expect(forged.length).toBeLessThanOrEqual(original.length);
    lines.splice(mine[0], mine.length, forged.padEnd(original.length));
    await writeFile(join(dir, name), lines.join('\n'));
  }
}

const verifyAudit = (env: Record<string, string>) =>
  spawnSync('npx', ['tsx', 'server/audit/verify-audit.ts'], { env: { ...process.env, STORE: '', DATABASE_URL: '', DATA_DIR: '', ...env }, encoding: 'utf8' });

describe('the audit chain in the embedded store (lowdb files)', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  /** A filled store under a fresh DATA_DIR, closed (compacted into its shard files and history segments). */
  async function filled() {
    const dataDir = await mkdtemp(join(tmpdir(), 'tw-audit-'));
    dirs.push(dataDir);
    const dir = join(dataDir, 'store');
    const store = new LowdbStore({ dir });
    await store.open();
    const ids = await fill(store);
    await checkpoint(store, Date.parse('2026-05-04T11:00:00Z'), 3_600_000);
    await store.close();
    const reopen = async () => {
      const again = new LowdbStore({ dir });
      await again.open();
      return again;
    };
    return { dataDir, dir, reopen, ...ids };
  }

  it('an untouched store verifies, by the API’s check and by npm run verify-audit (exit 0)', async () => {
    const { dataDir, reopen, seeker } = await filled();
    const store = await reopen();
    expect(await verifyActor(store, seeker)).toEqual({ valid: true, entries: 5, first_invalid: null });
    expect(await verifyStore(store)).toMatchObject({ actors: 2, entries: 6, checkpoints: 1, invalid: [], checkpoint_problems: [] });
    await store.close();
    const run = verifyAudit({ DATA_DIR: dataDir });
    expect(run.stdout).toContain('2 chains, 6 entries, 1 checkpoints: all verify');
    expect(run.status).toBe(0);
  });

  for (const t of TAMPERINGS) {
    it(`${t.name}: verification names the actor and the entry; the other actor verifies`, async () => {
      const { dir, reopen, seeker, provider } = await filled();
      await tamperFiles(dir, seeker, t.lowdb);
      const store = await reopen();
      const first_invalid = t.in_files ?? t.first_invalid;
      expect(await verifyActor(store, seeker)).toMatchObject({ valid: false, first_invalid });
      expect(await verifyActor(store, provider)).toMatchObject({ valid: true });
      expect((await verifyStore(store)).invalid).toEqual([{ actor: seeker, ...first_invalid }]);
      await store.close();
    });
  }

  it('npm run verify-audit exits 1 naming the actor and its first bad entry', async () => {
    const { dataDir, dir, seeker } = await filled();
    await tamperFiles(dir, seeker, TAMPERINGS[0].lowdb);
    const run = verifyAudit({ DATA_DIR: dataDir });
    expect(run.stdout).toContain(`actor ${seeker}: entry 3 altered`);
    expect(run.status).toBe(1);
  });

  it('a chain rewritten whole, every hash recomputed, still differs from the checkpoint taken before', async () => {
    const { dir, reopen, seeker } = await filled();
    await tamperFiles(dir, seeker, (entries) => {
      let prev = GENESIS;
      return entries.map(({ hash: _h, prev_hash: _p, ...e }) => {
        // Entry 2 attributed to an agent: no longer than the original, so it fits the bytes the store names.
        const rewritten = chained(e.seq === 2 ? { ...e, by: { role: 'agent' } } : e, prev);
        prev = rewritten.hash!;
        return rewritten;
      });
    });
    // The head the actor record keeps is rewritten too: the forger had write access to everything.
    const store = await reopen();
    const head = (await store.history(seeker)).at(-1)!.hash;
    const actor = (await store.getActor(seeker))!;
    await store.commit({
      actors: [{ actor: { ...actor, version: actor.version + 1, history_head: head }, expected_version: actor.version }],
      history: [],
      outbox: [],
      reminders: [],
      cancel_reminders: [],
      records: [],
    });
    const result = await verifyStore(store);
    expect(result.checkpoint_problems).toEqual([expect.objectContaining({ reason: 'history_differs', actor: seeker, seq: 5 })]);
    await store.close();
  });

  it('a checkpoint is stored only when some chain moved, and links to the one before', async () => {
    const { reopen } = await filled();
    const store = await reopen();
    expect(await checkpoint(store, Date.parse('2026-05-04T12:00:00Z'), 3_600_000)).toBeUndefined();
    await fill(store);
    const next = await checkpoint(store, Date.parse('2026-05-04T12:00:00Z'), 3_600_000);
    const [first] = (await store.listRecords('audit_checkpoints')) as { hash: string }[];
    expect(next).toMatchObject({ prev: first.hash, chains: 4, at: '2026-05-04T12:00:00.000Z' });
    expect((await verifyStore(store)).checkpoint_problems).toEqual([]);
    await store.close();
  });
});

describe.runIf(postgresAvailable())('the audit chain in PostgreSQL rows', { timeout: 60_000 }, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.destroy());

  async function filled() {
    const url = await cluster.createDatabase();
    const store = new PostgresStore({ url, poolSize: 2 });
    await store.open();
    const ids = await fill(store);
    return { url, store, ...ids };
  }

  it('an untouched database verifies, and npm run verify-audit exits 0', async () => {
    const { url, store, seeker } = await filled();
    expect(await verifyActor(store, seeker)).toEqual({ valid: true, entries: 5, first_invalid: null });
    expect(await verifyStore(store)).toMatchObject({ actors: 2, entries: 6, invalid: [] });
    await store.close();
    const run = verifyAudit({ DATABASE_URL: url, STORE: 'postgres' });
    expect(run.stdout).toContain('2 chains, 6 entries');
    expect(run.status).toBe(0);
  });

  for (const t of TAMPERINGS) {
    it(`${t.name}: verification names the actor and the entry`, async () => {
      const { store, seeker, provider } = await filled();
      for (const sql of t.sql) await store.pool.query(sql, [seeker]);
      expect(await verifyActor(store, seeker)).toMatchObject({ valid: false, first_invalid: t.first_invalid });
      expect(await verifyActor(store, provider)).toMatchObject({ valid: true });
      expect((await verifyStore(store)).invalid).toEqual([{ actor: seeker, ...t.first_invalid }]);
      await store.close();
    });
  }

  it('npm run verify-audit exits 1 naming the actor and its first bad entry', async () => {
    const { url, store, seeker } = await filled();
    await store.pool.query(TAMPERINGS[2].sql[0], [seeker]);
    await store.close();
    const run = verifyAudit({ DATABASE_URL: url });
    expect(run.stdout).toContain(`actor ${seeker}: entry 4 missing`);
    expect(run.status).toBe(1);
  });
});
