import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';

const MIGRATIONS = new URL('./migrations/', import.meta.url);
/** pg_advisory_lock key of schema changes: nodes starting together apply each migration once. */
const MIGRATION_LOCK = 7305823710348111n;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `migrations/NNN_name.sql`, in order. */
export async function migrations(): Promise<Migration[]> {
  const names = (await readdir(MIGRATIONS)).filter((n) => /^\d+_.+\.sql$/.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ version: Number.parseInt(name, 10), name, sql: await readFile(new URL(name, MIGRATIONS), 'utf8') })));
}

/**
 * Brings the schema up to date: under an advisory lock, each migration not yet recorded in
 * `schema_migrations` runs in its own transaction with its record. Returns the applied versions.
 */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of await migrations()) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      done.add(m.version);
    }
    return [...done].sort((a, b) => a - b);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
