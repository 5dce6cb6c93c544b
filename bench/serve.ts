/**
 * trustwire as server/main.ts composes it (startServer(await loadConfig())), plus an IPC channel through
 * which the benchmark reads the store's statistics (commits per journal flush or per database
 * round trip = group commit) and its event-loop delay.
 */
import { startServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { LowdbStore } from '../server/store/lowdb/lowdb-store.ts';
import type { PostgresStore } from '../server/store/postgres/postgres-store.ts';
import { answerLoopDelay } from './loop-delay.ts';

answerLoopDelay();

const server = await startServer(await loadConfig());

process.on('message', (question) => {
  if (question === 'stats') process.send!((server.store as LowdbStore | PostgresStore).stats);
});

const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
