import { MemoryStore } from '../../server/store/memory.ts';
import { claimsContract } from './claims.ts';
import { storeContract } from './contract.ts';

// Not durable: "reopening" keeps the same instance, so the durability case checks close/open only.
storeContract('memory', async () => {
  const store = new MemoryStore();
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      await store.open();
      return store;
    },
    cleanup: () => store.close(),
  };
});

claimsContract('memory', async () => {
  const store = new MemoryStore();
  await store.open();
  return { store, reopen: async () => store, cleanup: () => store.close() };
});
