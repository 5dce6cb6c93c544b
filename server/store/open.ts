import { join } from 'node:path';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { Config } from '../config.ts';
import { log } from '../log.ts';
import { LowdbStore } from './lowdb/lowdb-store.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { PostgresRateLimitStore } from './postgres/rate-limit-store.ts';
import type { Store } from './store.ts';

/** The configured store, opened, with what a node sharing it with others needs besides. */
export interface OpenedStore {
  store: Store;
  /** Socket.IO's adapter across nodes (absent for the embedded store: one node). */
  socketAdapter?: ReturnType<typeof createAdapter>;
  /** Rate-limit counters shared by the nodes (absent: per process). */
  rateLimits?: RateLimitStore;
}

/** A DATABASE_URL fit for a message: without its password. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}

const reason = (error: unknown): string => {
  const e = error as { message?: string; code?: string; errors?: unknown[] };
  return e.message || e.code || (e.errors?.length ? reason(e.errors[0]) : String(error));
};

/** `onFlush` hears of every group commit of the embedded store: how many commits, and the fsync time (metrics). */
export async function openStore(config: Config, onFlush?: (commits: number, syncSeconds: number) => void): Promise<OpenedStore> {
  if (config.store !== 'postgres') {
    const store = new LowdbStore({ dir: join(config.dataDir, 'store'), onFlush });
    await store.open();
    return { store };
  }
  const url = config.databaseUrl!;
  const store = new PostgresStore({ url, poolSize: config.databasePoolSize });
  try {
    await store.open();
  } catch (error) {
    await store.pool.end().catch(() => undefined);
    throw new Error(`cannot open the PostgreSQL store at DATABASE_URL (${redacted(url)}): ${reason(error)}`, { cause: error });
  }
  return {
    store,
    socketAdapter: createAdapter(store.pool, { errorHandler: (err) => log.warn({ err: err.message }, 'socket.io adapter: database unreachable') }),
    rateLimits: new PostgresRateLimitStore(store.pool),
  };
}
