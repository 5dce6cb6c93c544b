/**
 * Child process of the lowdb crash test: commits in a loop from several concurrent writers and
 * prints `<actor id> <version>` once each commit is acknowledged, until it is killed.
 */
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import { actor, at, historyEntry, put, reminder } from './contract.ts';

const [dir, writers = '8'] = process.argv.slice(2);
const store = new LowdbStore({ dir: dir!, compactEvery: 100 });
await store.open();

async function writer(id: string): Promise<never> {
  let version = (await store.getActor(id))?.version ?? 0;
  for (;;) {
    version++;
    await store.commit(
      put(actor(id, { version, updated_at: at(version), snapshot: 'x'.repeat(200) }), {
        history: [historyEntry(id, version)],
        reminders: [reminder(`${id}:tick`, version)],
      }),
    );
    process.stdout.write(`${id} ${version}\n`);
  }
}

await Promise.all(Array.from({ length: Number(writers) }, (_, i) => writer(`w${i}`)));
