import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import type { Actor } from '../../server/store/store.ts';
import { actor, at, commit, put } from './contract.ts';

/**
 * Issue 14: the embedded store keeps in memory the heads of compacted actors and records (what
 * queries need) and reads their bodies from the body file beside each shard file, exactly their
 * own bytes.
 */

async function open(dir: string, compactEvery?: number): Promise<LowdbStore> {
  const store = new LowdbStore({ dir, compactEvery });
  await store.open();
  return store;
}

const bytes = (item: object) => Buffer.byteLength(JSON.stringify(item));
const seeker = (i: number, fields: Partial<Actor> = {}) =>
  actor(`s${i}`, { kind: 'seeker', status: 'active', members: [`s${i}`], updated_at: at(i % 1000), search: [`t${i}`, `g${i % 100}`], ...fields });

/** Stores left open as if their process had died, kept referenced so their file handles stay open. */
const crashed: LowdbStore[] = [];

describe('LowdbStore bodies on disk', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustwire-bodies-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a compacted actor or record from its own bytes only, and a changed one from memory', async () => {
    let store = await open(dir);
    for (let i = 0; i < 300; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => store.commit(put(seeker(i + j)))));
    await store.commit(commit({ records: Array.from({ length: 300 }, (_, i) => ({ collection: 'keys', id: `s${i}`, value: { wrapped: `w${i}` } })) }));
    await store.close();

    store = await open(dir);
    const read = () => store.stats.bodyBytesRead;
    expect(read()).toBe(0);
    expect(await store.getActor('s7')).toEqual(seeker(7));
    expect(read()).toBe(bytes(seeker(7)));
    expect(await store.getRecord('keys', 's7')).toEqual({ wrapped: 'w7' });
    expect(read()).toBe(bytes(seeker(7)) + bytes({ collection: 'keys', id: 's7', value: { wrapped: 'w7' }, seq: 8 }));

    const before = read();
    const page = await store.listActors({ kind: 'seeker', offset: 0, limit: 2 });
    expect(page.count).toBe(300);
    expect(read() - before).toBe(page.data.reduce((n, a) => n + bytes(a), 0));

    await store.commit(put(seeker(7, { version: 2, status: 'closed' })));
    const after = read();
    expect(await store.getActor('s7')).toEqual(seeker(7, { version: 2, status: 'closed' }));
    expect(read()).toBe(after);
    await store.close();
  });

  it('serves compacted bodies from the body file, not from a copy in memory', async () => {
    let store = await open(dir);
    await store.commit(put(seeker(1)));
    await store.close();
    const name = (await readdir(dir)).find((n) => n.startsWith('actors-') && n.endsWith('.jsonl'))!;
    const path = join(dir, name);
    await writeFile(path, (await readFile(path, 'utf8')).replace('sealed:s1', 'SEALED:s1'));
    store = await open(dir);
    expect((await store.getActor('s1'))?.snapshot).toBe('SEALED:s1');
    await store.close();
  });

  it('searches 20,000 members by their heads, reading only the page it returns', async () => {
    let store = await open(dir);
    for (let i = 0; i < 20_000; i += 1000) await Promise.all(Array.from({ length: 1000 }, (_, j) => store.commit(put(seeker(i + j)))));
    await store.close();
    store = await open(dir);
    const page = await store.searchActors([['g42'], ['t142', 't4242', 't19942', 't7']], 0, 2);
    expect(page.count).toBe(3);
    expect(page.data.map((a) => a.id)).toEqual(['s19942', 's4242']);
    expect(store.stats.bodyBytesRead).toBe(bytes(seeker(19942)) + bytes(seeker(4242)));
    expect((await store.searchActors([['g42']], 0, 500)).count).toBe(200);
    await store.close();
  });

  it('keeps reads right while compactions replace the body files under them, and after a restart', async () => {
    const store = await open(dir, 1);
    for (let i = 0; i < 50; i++) await store.commit(put(seeker(i)));
    for (let v = 2; v <= 6; v++) {
      const reads = Array.from({ length: 50 }, (_, i) => store.getActor(`s${i}`));
      const purge = store.purge('nobody'); // a compaction, with reads in flight
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.commit(put(seeker(i, { version: v })))));
      for (const [i, a] of (await Promise.all(reads)).entries()) expect(a?.id).toBe(`s${i}`);
      await purge;
      for (let i = 0; i < 50; i++) expect((await store.getActor(`s${i}`))?.version).toBe(i < 25 ? v : 1);
    }
    await store.close();
    const reopened = await open(dir);
    for (let i = 0; i < 50; i++) expect(await reopened.getActor(`s${i}`)).toEqual(seeker(i, { version: i < 25 ? 6 : 1 }));
    await reopened.close();
  });

  it('ignores the files of a compaction that died before its manifest, and replays the journal', async () => {
    let store = await open(dir);
    await store.commit(put(seeker(1)));
    await store.close();
    store = await open(dir, 1_000_000);
    await store.commit(put(seeker(1, { version: 2 })));
    crashed.push(store);
    // What the dead compaction wrote: a shard file and part of its body file, named by no manifest.
    const [heads] = (await readdir(dir)).filter((n) => n.startsWith('actors-') && n.endsWith('.json'));
    const orphan = heads.replace(/\.\d+\.json$/, '.99.json');
    await writeFile(join(dir, orphan), '{"items":[{"id":"s1","kind":"seeker","status":"active","version":3,"at":0,"len":10}]}');
    await writeFile(join(dir, `${orphan}l`), '{"id":"s1"');

    store = await open(dir);
    expect(await store.getActor('s1')).toEqual(seeker(1, { version: 2 }));
    expect(await readdir(dir)).not.toContain(orphan);
    expect(await readdir(dir)).not.toContain(`${orphan}l`);
    await store.close();
    store = await open(dir);
    expect(await store.getActor('s1')).toEqual(seeker(1, { version: 2 }));
    await store.close();
  });

  it('leaves a replaced record value in no file once purged', async () => {
    const store = await open(dir);
    await store.commit(commit({ records: [{ collection: 'keys', id: 's1', value: { wrapped: 'the-wrapped-key' } }] }));
    await store.purge('nobody');
    await store.commit(commit({ records: [{ collection: 'keys', id: 's1', value: { erased_at: at(1) } }] }));
    await store.purge('s1');
    for (const name of await readdir(dir)) expect(await readFile(join(dir, name), 'utf8'), name).not.toContain('the-wrapped-key');
    expect(await store.getRecord('keys', 's1')).toEqual({ erased_at: at(1) });
    await store.close();
  });

  it('opens a store written before bodies (whole actors and records in the shard files), then rewrites it as heads and bodies', async () => {
    await cp(join(import.meta.dirname, '../fixtures/store-before-bodies'), dir, { recursive: true });
    const expected = async (store: LowdbStore) => {
      expect((await store.getActor('s0'))?.search).toEqual(['tok', 'renamed']);
      expect(await store.getActor('s3')).toMatchObject({ version: 2, status: 'closed', snapshot: 'sealed:s3:2' });
      expect(await store.getActor('s2')).toMatchObject({ machine_version: 2, members: ['s2'], created_at: at(0) });
      expect((await store.listActors({ member: 's1', offset: 0, limit: 10 })).data.map((a) => a.id)).toEqual(['s1', 'l1']);
      expect((await store.searchActors([['tok']], 0, 10)).data.map((a) => a.id)).toEqual(['s3', 's0', 's2', 's1']);
      expect((await store.searchActors([['t0']], 0, 10)).count).toBe(0);
      expect(await store.countActors()).toEqual({ seeker: { active: 3, closed: 1 }, link: { pending: 1 } });
      expect(await store.listRecords('attempts', 's0')).toEqual([{ n: 0 }, { n: 2 }, { n: 4 }]);
      expect(await store.listRecords('keys')).toEqual([0, 1, 2, 3].map((i) => ({ subject: `s${i}` })));
      expect((await store.history('s2')).map((h) => h.seq)).toEqual([1]);
      expect((await store.dueReminders(at(10), 10)).map((r) => r.id)).toEqual(['s0:r', 's1:r', 's2:r', 's3:r']);
      expect((await store.outboxFor('s0', ['in_app'], 0, 10)).count).toBe(1);
    };
    const store = await open(dir);
    await expected(store);
    await store.close();

    const names = await readdir(dir);
    expect(names.filter((n) => /^(actors|records)-.*\.jsonl$/.test(n)).length).toBeGreaterThan(0);
    for (const name of names.filter((n) => n.startsWith('actors-') && n.endsWith('.json'))) {
      const { items } = JSON.parse(await readFile(join(dir, name), 'utf8')) as { items: object[] };
      for (const item of items) expect(item).not.toHaveProperty('snapshot');
    }
    const reopened = await open(dir);
    await expected(reopened);
    expect(reopened.stats.bodyBytesRead).toBeGreaterThan(0);
    await reopened.close();
  });
});
