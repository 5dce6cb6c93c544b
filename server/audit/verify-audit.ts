/**
 * `npm run verify-audit`: verifies every audit chain and checkpoint of the store the server would
 * open (`DATABASE_URL` with `STORE=postgres` or when set, else the embedded store under
 * `DATA_DIR`, read only: a running node's files are left as they are, and what it commits after
 * the read is not covered). Exit 0 when everything verifies; 1 naming each actor and its first bad entry.
 */
import { join, resolve } from 'node:path';
import { LowdbStore } from '../store/lowdb/lowdb-store.ts';
import { PostgresStore } from '../store/postgres/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { verifyStore } from './verify.ts';

const url = process.env.DATABASE_URL || undefined;
const store: Store =
  process.env.STORE === 'postgres' || (url && process.env.STORE !== 'lowdb')
    ? new PostgresStore({ url: url ?? '', poolSize: 2 })
    : new LowdbStore({ dir: join(resolve(process.env.DATA_DIR || './data'), 'store'), readOnly: true });
try {
  await store.open();
  const result = await verifyStore(store);
  for (const bad of result.invalid) console.log(`verify-audit: actor ${bad.actor}: entry ${bad.seq} ${bad.reason}`);
  for (const bad of result.checkpoint_problems)
    console.log(`verify-audit: checkpoint ${bad.checkpoint} ${bad.reason}${bad.actor ? ` (actor ${bad.actor}, entry ${bad.seq})` : ''}`);
  const ok = result.invalid.length === 0 && result.checkpoint_problems.length === 0;
  console.log(`verify-audit: ${result.actors} chains, ${result.entries} entries, ${result.checkpoints} checkpoints: ${ok ? 'all verify' : 'NOT VALID'}`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(`verify-audit: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await store.close().catch(() => undefined);
}
