import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import { migrateStore } from '../../server/store/migrate-store.ts';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { type PgCluster, postgresAvailable, startPostgres } from '../helpers/postgres.ts';
import { actor, at, commit, historyEntry, outboxEntry, put, reminder } from './contract.ts';

describe.runIf(postgresAvailable())('npm run migrate-store', { timeout: 60_000 }, () => {
  let cluster: PgCluster;
  let dataDir: string;
  beforeAll(async () => {
    cluster = await startPostgres();
    dataDir = await mkdtemp(join(tmpdir(), 'trustwire-migrate-'));
    const source = new LowdbStore({ dir: join(dataDir, 'store') });
    await source.open();
    // More actors than one copy commit holds, with history, outbox, reminders and grouped records.
    for (let i = 0; i < 1_200; i++) {
      const id = `a${String(i).padStart(4, '0')}`;
      await source.commit(put(actor(id, { members: [`m${i % 7}`], updated_at: at(i % 50) }), { history: [historyEntry(id, 1)] }));
      if (i % 3 === 0) await source.commit(put(actor(id, { version: 2, status: 'active', updated_at: at(i % 50) }), { history: [historyEntry(id, 2)] }));
    }
    await source.commit(
      commit({
        outbox: [outboxEntry('o1', { recipient: 'm1' }), outboxEntry('o2', { recipient: 'm1', delivered_at: at(1) })],
        reminders: [reminder('a0001:x', 5)],
        records: [
          { collection: 'attempts', id: 'r1', group: 'g', value: { n: 1 } },
          { collection: 'attempts', id: 'r0', group: 'g', value: { n: 0 } },
        ],
      }),
    );
    await source.close();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('copies an embedded store into an empty database, verified, and refuses a database that is not empty', async () => {
    const url = await cluster.createDatabase();
    expect(await migrateStore(dataDir, url)).toEqual({ actors: 1_200, history: 1_600, outbox: 2, reminders: 1, records: 2 });

    const copy = new PostgresStore({ url });
    const source = new LowdbStore({ dir: join(dataDir, 'store') });
    await Promise.all([copy.open(), source.open()]);
    try {
      for (const s of [copy, source] as const) expect(await s.countActors()).toEqual({ link: { pending: 800, active: 400 } });
      expect(await copy.listActors({ member: 'm3', offset: 0, limit: 500 })).toEqual(await source.listActors({ member: 'm3', offset: 0, limit: 500 }));
      expect(await copy.history('a0003')).toEqual(await source.history('a0003'));
      expect(await copy.outboxFor('m1', ['in_app'], 0, 10)).toEqual(await source.outboxFor('m1', ['in_app'], 0, 10));
      expect(await copy.dueReminders(at(9), 10)).toEqual(await source.dueReminders(at(9), 10));
      expect(await copy.listRecords('attempts', 'g')).toEqual([{ n: 1 }, { n: 0 }]);
    } finally {
      await Promise.all([copy.close(), source.close()]);
    }

    await expect(migrateStore(dataDir, url)).rejects.toThrow(/not empty/);
  });
});
