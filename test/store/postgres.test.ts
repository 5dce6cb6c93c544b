import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { type PgCluster, postgresAvailable, startPostgres } from '../helpers/postgres.ts';
import { claimsContract } from './claims.ts';
import { storeContract } from './contract.ts';

describe.runIf(postgresAvailable())('PostgreSQL store', { timeout: 60_000 }, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.destroy());

  const make = async () => {
    const url = await cluster.createDatabase();
    const open = async () => {
      const store = new PostgresStore({ url, poolSize: 4 });
      await store.open();
      return store;
    };
    let store = await open();
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await open();
        return store;
      },
      cleanup: () => store.close(),
    };
  };
  storeContract('postgres', make);
  claimsContract('postgres', make);
});
