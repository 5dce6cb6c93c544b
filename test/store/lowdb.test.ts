import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LowdbStoreOptions } from '../../server/store/lowdb/lowdb-store.ts';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import type { Store } from '../../server/store/store.ts';
import { claimsContract } from './claims.ts';
import { actor, at, commit, historyEntry, put, reminder, storeContract } from './contract.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'trustwire-store-'));

function lowdbFixture(options: Omit<LowdbStoreOptions, 'dir'> = {}) {
  return async () => {
    const dir = await tempDir();
    let store = new LowdbStore({ dir, ...options });
    await store.open();
    return {
      store: store as Store,
      reopen: async () => {
        await store.close();
        store = new LowdbStore({ dir, ...options });
        await store.open();
        return store;
      },
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
}

storeContract('lowdb', lowdbFixture());
// Compaction after every commit, running while later commits append.
storeContract('lowdb compacting constantly', lowdbFixture({ compactEvery: 1 }));
claimsContract('lowdb', lowdbFixture());

/** Files of the store directory with their sizes. */
async function files(dir: string): Promise<Record<string, number>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await stat(join(dir, n))).size] as const)));
}

const journals = async (dir: string) =>
  (await readdir(dir)).filter((n) => n.startsWith('journal-')).sort((a, b) => Number(a.slice(8, -7)) - Number(b.slice(8, -7)));

async function open(dir: string, options: Omit<LowdbStoreOptions, 'dir'> = {}): Promise<LowdbStore> {
  const store = new LowdbStore({ dir, ...options });
  await store.open();
  return store;
}

/** Stores left open as if their process had died: never closed, kept referenced so their file handles stay open. */
const crashed: LowdbStore[] = [];

describe('LowdbStore', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a commit to readers once it is durable', async () => {
    const store = await open(dir);
    const committing = store.commit(put(actor('a1')));
    expect(await store.getActor('a1')).toBeUndefined();
    await committing;
    expect(await store.getActor('a1')).toBeDefined();
    await store.close();
  });

  it('lands 500 concurrent commits in a few group writes', async () => {
    const store = await open(dir);
    const before = store.stats;
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.commit(put(actor(`a${i}`), { history: [historyEntry(`a${i}`, 1)] }))));
    const after = store.stats;
    expect(after.commits - before.commits).toBe(500);
    expect(after.flushes - before.flushes).toBeLessThanOrEqual(10);
    expect((await store.listActors({ offset: 0, limit: 1 })).count).toBe(500);

    // Concurrent updates of one actor chained on versions not yet durable, mixed with the rest.
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => store.commit(put(actor('a0', { version: i + 2 }), { history: [historyEntry('a0', i + 2)] }))),
      ...Array.from({ length: 499 }, (_, i) => store.commit(put(actor(`a${i + 1}`, { version: 2 })))),
    ]);
    expect(store.stats.flushes - after.flushes).toBeLessThanOrEqual(10);
    expect((await store.getActor('a0'))?.version).toBe(51);
    expect((await store.history('a0')).map((h) => h.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));

    await store.close();
    const reopened = await open(dir);
    expect((await reopened.getActor('a0'))?.version).toBe(51);
    expect(await reopened.countActors()).toEqual({ link: { pending: 500 } });
    await reopened.close();
  });

  it('reopens after compactions, keeping only the current journal', async () => {
    const store = await open(dir, { compactEvery: 10 });
    for (let v = 1; v <= 100; v++) {
      await store.commit(
        put(actor(`a${v % 7}`, { version: Math.ceil(v / 7) }), {
          reminders: [reminder(`a${v % 7}:r`, v)],
          records: [{ collection: 'c', id: `r${v}`, value: v }],
        }),
      );
    }
    expect(store.stats.compactions).toBeGreaterThan(0);
    await store.close();
    const names = Object.keys(await files(dir));
    expect(names).toContain('manifest.json');
    expect(names.filter((n) => n.startsWith('journal-'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const reopened = await open(dir, { compactEvery: 10 });
    expect((await reopened.getActor('a2'))?.version).toBe(15);
    expect(await reopened.getRecord('c', 'r100')).toBe(100);
    expect((await reopened.dueReminders(at(1000), 100)).map((r) => r.due_at)).toEqual([94, 95, 96, 97, 98, 99, 100].map(at));
    await reopened.close();
  });

  it('lists records in the order first stored after a reopen, though their shards are read in parallel', async () => {
    const store = await open(dir);
    const ids = Array.from({ length: 200 }, (_, i) => `r${(i * 37) % 200}`);
    for (const id of ids) await store.commit(commit({ records: [{ collection: 'attempts', id, group: 'g', value: id }] }));
    await store.commit(commit({ records: [{ collection: 'attempts', id: ids[0], group: 'g', value: 'updated' }] }));
    await store.close();

    const reopened = await open(dir);
    expect(await reopened.listRecords('attempts', 'g')).toEqual(['updated', ...ids.slice(1)]);
    await reopened.close();
  });

  it('replays many journals left by crashes, in order', async () => {
    for (let round = 1; round <= 6; round++) {
      const store = await open(dir, { compactEvery: 1_000_000 });
      await store.commit(put(actor('a1', { version: round }), { history: [historyEntry('a1', round)] }));
      await store.commit(commit({ records: [{ collection: 'rounds', id: 'last', value: round }] }));
      crashed.push(store);
    }
    expect(await journals(dir)).toHaveLength(6);
    const store = await open(dir);
    expect((await store.getActor('a1'))?.version).toBe(6);
    expect((await store.history('a1')).map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await store.getRecord('rounds', 'last')).toBe(6);
    await store.close();
    expect(await journals(dir)).toHaveLength(1);
  });

  it.each([
    ['half a JSON line', '{"actors":[{"actor":{"id":"torn","kind":"li'],
    ['a garbage line', 'garbage\n'],
  ])('opens cleanly with every complete commit after %s at the end of the journal', async (_, tail) => {
    const store = await open(dir);
    for (let v = 1; v <= 20; v++) await store.commit(put(actor('a1', { version: v })));
    crashed.push(store);
    const [journal] = await journals(dir);
    await appendFile(join(dir, journal), tail);

    const reopened = await open(dir);
    expect((await reopened.getActor('a1'))?.version).toBe(20);
    expect(await reopened.getActor('torn')).toBeUndefined();
    await reopened.commit(put(actor('a1', { version: 21 })));
    // The torn journal is never appended to: new commits go to a new one.
    expect((await readFile(join(dir, journal), 'utf8')).endsWith(tail)).toBe(true);
    crashed.push(reopened);

    const again = await open(dir);
    expect((await again.getActor('a1'))?.version).toBe(21);
    await again.close();
  });

  it('keeps every acknowledged commit when the process is killed (kill -9)', { timeout: 60_000 }, async () => {
    const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
    const acked = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => proc.on('exit', resolve));
      let lines = 0;
      for await (const line of createInterface({ input: proc.stdout })) {
        const [id, version] = line.split(' ');
        acked.set(id, Number(version));
        // Kill past several compactions (every 100 commits), mid-stream.
        if (++lines === 700 + round * 137) proc.kill('SIGKILL');
      }
      await exited;
    }
    expect(acked.size).toBe(8);
    const store = await open(dir);
    for (const [id, version] of acked) {
      const a = await store.getActor(id);
      expect(a!.version).toBeGreaterThanOrEqual(version);
      expect((await store.history(id)).map((h) => h.seq)).toEqual(Array.from({ length: a!.version }, (_, i) => i + 1));
    }
    await store.close();
  });

  it('writes only a journal line per commit, whatever the number of actors', async () => {
    const measure = async (actors: number) => {
      const sub = join(dir, String(actors));
      let store = await open(sub);
      for (let i = 0; i < actors; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, actors - i) }, (_, j) => store.commit(put(actor(`x${i + j}`, { members: ['m1'] })))));
      }
      await store.close(); // compacts: the next commit starts from an empty journal
      store = await open(sub);
      const before = await files(sub);
      const stats = store.stats;
      await store.commit(put(actor('probe', { members: ['m1'] }), { history: [historyEntry('probe', 1)] }));
      const after = await files(sub);
      const written = store.stats.journalBytes - stats.journalBytes;
      expect(store.stats.flushes - stats.flushes).toBe(1);
      const changed = Object.keys(after).filter((n) => after[n] !== before[n]);
      expect(changed).toEqual([(await journals(sub)).at(-1)]);
      expect(after[changed[0]] - (before[changed[0]] ?? 0)).toBe(written);

      // And a compaction rewrites only the shards that changed: one of actors, one of history.
      const writes = store.stats.shardWrites;
      await store.close();
      expect(store.stats.shardWrites - writes).toBe(2);
      return written;
    };
    expect(await measure(20_000)).toBe(await measure(10));
  });
});
