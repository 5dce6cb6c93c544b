/**
 * `npm run migrate-store`: copies the embedded store of DATA_DIR into the empty PostgreSQL
 * database of DATABASE_URL (actors, history, outbox, reminders, records), then checks that every
 * count and every actor's version match. Refuses a database that holds anything already. Stop
 * the node first: the embedded store is copied as it is when the command opens it.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LowdbStore } from './lowdb/lowdb-store.ts';
import type { Snapshot } from './memory.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { commitOf } from './store.ts';

/** Actors (with their history) per commit of the copy. */
const CHUNK = 500;

export interface Copied {
  actors: number;
  history: number;
  outbox: number;
  reminders: number;
  records: number;
}

const counted = (s: Snapshot): Copied => ({
  actors: s.actors.length,
  history: s.history.length,
  outbox: s.outbox.length,
  reminders: s.reminders.length,
  records: s.records.length,
});

export async function migrateStore(dataDir: string, databaseUrl: string): Promise<Copied> {
  const source = new LowdbStore({ dir: join(dataDir, 'store') });
  const target = new PostgresStore({ url: databaseUrl, poolSize: 4 });
  await source.open();
  try {
    await target.open();
    try {
      const before = await target.counts();
      if (Object.values(before).some((n) => n > 0))
        throw new Error(`the target database is not empty (${JSON.stringify(before)}); migrate-store copies into an empty one only`);
      const snapshot = await source.snapshot();
      const history = new Map<string, Snapshot['history']>();
      for (const h of snapshot.history) history.set(h.actor, [...(history.get(h.actor) ?? []), h]);
      for (let i = 0; i < snapshot.actors.length; i += CHUNK) {
        const actors = snapshot.actors.slice(i, i + CHUNK);
        await target.commit(
          commitOf({ actors: actors.map((actor) => ({ actor, expected_version: 0 })), history: actors.flatMap((a) => history.get(a.id) ?? []) }),
        );
      }
      const known = new Set(snapshot.actors.map((a) => a.id));
      const orphans = snapshot.history.filter((h) => !known.has(h.actor));
      for (let i = 0; i < Math.max(snapshot.outbox.length, snapshot.reminders.length, snapshot.records.length, orphans.length); i += CHUNK) {
        const part = <T>(items: T[]) => items.slice(i, i + CHUNK);
        await target.commit(
          commitOf({ history: part(orphans), outbox: part(snapshot.outbox), reminders: part(snapshot.reminders), records: part(snapshot.records) }),
        );
      }
      await target.forgetFeed();
      const expected = counted(snapshot);
      const after = await target.counts();
      if (JSON.stringify(after) !== JSON.stringify(expected))
        throw new Error(`counts differ after the copy: expected ${JSON.stringify(expected)}, found ${JSON.stringify(after)}`);
      const versions = await target.versions();
      const wrong = snapshot.actors.filter((a) => versions.get(a.id) !== a.version);
      if (wrong.length) throw new Error(`versions differ after the copy for ${wrong.length} actors, e.g. ${wrong[0].id}`);
      return expected;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  const dataDir = resolve(process.env.DATA_DIR ?? './data');
  if (!url) {
    console.error('migrate-store: set DATABASE_URL to the empty PostgreSQL database to copy into');
    process.exit(1);
  }
  try {
    const copied = await migrateStore(dataDir, url);
    console.log(`migrate-store: copied ${dataDir}/store into PostgreSQL and verified: ${JSON.stringify(copied)}`);
  } catch (error) {
    console.error(`migrate-store: ${(error as Error).message}`);
    process.exit(1);
  }
}
