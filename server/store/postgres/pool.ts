import pg from 'pg';
import { log } from '../../log.ts';
import { StoreUnavailable } from '../store.ts';

export interface PoolOptions {
  url: string;
  /** Connections this node holds at most (DATABASE_POOL_SIZE). */
  size: number;
}

/**
 * The node's connection pool. Every session commits synchronously (a commit resolves only once
 * its WAL is flushed), and a database that does not answer makes queries fail within seconds
 * rather than hang, so the API can say `store_unavailable`.
 */
export function createPool({ url, size }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    options: '-c synchronous_commit=on',
    application_name: 'trustwire',
  });
  // An idle connection dropped by the server (a restart): the pool replaces it on next use.
  pool.on('error', (err) => log.warn({ err: err.message }, 'database connection lost'));
  // A checked-out connection that breaks emits 'error' too; a holder without a listener (the
  // Socket.IO adapter's LISTEN connection, which reconnects on 'end') would crash the process.
  pool.on('connect', (client) => client.on('error', (err) => log.debug({ err: err.message }, 'database connection broke')));
  return pool;
}

const LOST =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i;

/** The error as StoreUnavailable when it says the database cannot be reached (rather than that a statement is wrong). */
export function unavailable(error: unknown): StoreUnavailable | undefined {
  if (error instanceof StoreUnavailable) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const network = typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('E'));
  if (network || (typeof message === 'string' && LOST.test(message))) return new StoreUnavailable(String(message ?? code), { cause: error });
  return undefined;
}

/** Rethrows a connection failure as StoreUnavailable, anything else as it is. */
export function rethrow(error: unknown): never {
  throw unavailable(error) ?? error;
}
