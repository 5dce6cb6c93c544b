import { appendFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../server/runtime/audit-chain.ts';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.ts';
import { actor, historyEntry, put } from './contract.ts';

/**
 * Issue 14: the embedded store keeps compacted history in append-only segment files and reads an
 * actor's entries on demand, reading its own bytes only.
 */

async function open(dir: string, compactEvery?: number): Promise<LowdbStore> {
  const store = new LowdbStore({ dir, compactEvery });
  await store.open();
  return store;
}

const segments = async (dir: string) => (await readdir(dir)).filter((n) => /^segment-\d+\.jsonl$/.test(n)).sort();
const seqs = async (store: LowdbStore, id: string) => (await store.history(id)).map((h) => h.seq);
const lineBytes = (entries: object[]) => entries.reduce((n, e) => n + Buffer.byteLength(`${JSON.stringify(e)}\n`), 0);

/** Commits `entries` history entries to each of `actors` actors a0, a1, …, one commit per entry. */
async function fill(store: LowdbStore, actors: number, entries: number): Promise<void> {
  for (let v = 1; v <= entries; v++) {
    await Promise.all(Array.from({ length: actors }, (_, i) => store.commit(put(actor(`a${i}`, { version: v }), { history: [historyEntry(`a${i}`, v)] }))));
  }
}

/** Stores left open as if their process had died, kept referenced so their file handles stay open. */
const crashed: LowdbStore[] = [];

describe('LowdbStore history segments', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustwire-segments-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a compacted actor’s entries from its own bytes of the segments, and newer ones from memory', async () => {
    let store = await open(dir);
    await fill(store, 300, 3);
    await store.close();
    const [segment] = await segments(dir);
    const everyone = Array.from({ length: 300 }, (_, i) => lineBytes([1, 2, 3].map((s) => historyEntry(`a${i}`, s))));
    expect((await stat(join(dir, segment))).size).toBe(everyone.reduce((a, b) => a + b));

    store = await open(dir);
    const before = store.stats.historyBytesRead;
    expect(await store.history('a7')).toEqual([1, 2, 3].map((s) => historyEntry('a7', s)));
    expect(store.stats.historyBytesRead - before).toBe(lineBytes([1, 2, 3].map((s) => historyEntry('a7', s))));

    await store.commit(put(actor('a7', { version: 4 }), { history: [historyEntry('a7', 4)] }));
    expect(await store.history('a7')).toEqual([1, 2, 3, 4].map((s) => historyEntry('a7', s)));
    expect(store.stats.historyBytesRead - before).toBe(2 * lineBytes([1, 2, 3].map((s) => historyEntry('a7', s))));
    expect(await store.chainHeads()).toContainEqual({ actor: 'a7', seq: 4, hash: null });
    await store.close();
  });

  it('serves compacted entries from the segment file, not from a copy in memory', async () => {
    const store = await open(dir);
    await fill(store, 3, 2);
    await store.purge('nobody'); // compacts, the store staying open
    const [segment] = await segments(dir);
    const path = join(dir, segment);
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace(
        '"actor":"a1","seq":2,"at":"2030-01-01T00:02:00.000Z","event":{"type":"E2"}',
        '"actor":"a1","seq":2,"at":"2030-01-01T00:02:00.000Z","event":{"type":"X2"}',
      ),
    );
    expect((await store.history('a1')).map((h) => h.event.type)).toEqual(['E1', 'X2']);
    expect((await store.history('a0')).map((h) => h.event.type)).toEqual(['E1', 'E2']);
    await store.close();
  });

  it('sees every entry once while compactions move entries from memory to the segments', async () => {
    const store = await open(dir, 1);
    for (let v = 1; v <= 40; v++) {
      await store.commit(put(actor('a0', { version: v }), { history: [historyEntry('a0', v)] }));
      expect(await seqs(store, 'a0')).toEqual(Array.from({ length: v }, (_, i) => i + 1));
    }
    expect(store.stats.compactions).toBeGreaterThan(1);
    await store.close();
    const reopened = await open(dir);
    expect(await seqs(reopened, 'a0')).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('keeps an actor changed at every compaction to a few ranges, rewriting each entry a few times only', async () => {
    const store = await open(dir);
    const all = Array.from({ length: 64 }, (_, i) => historyEntry('a0', i + 1));
    for (const entry of all) {
      await store.commit(put(actor('a0', { version: entry.seq }), { history: [entry] }));
      await store.purge('nobody'); // a compaction
    }
    expect(await store.history('a0')).toEqual(all);
    await store.close();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { files: { history: (string | null)[] } };
    const shard = manifest.files.history.find((name) => name !== null)!;
    const [{ ranges }] = (JSON.parse(await readFile(join(dir, shard), 'utf8')) as { items: { ranges: number[] }[] }).items;
    // log2(64) + 1: each range longer than all after it together.
    expect(ranges.length / 3).toBeLessThanOrEqual(7);
    const [segment] = await segments(dir);
    expect((await stat(join(dir, segment))).size).toBeLessThanOrEqual(7 * lineBytes(all));
    const reopened = await open(dir);
    expect(await reopened.history('a0')).toEqual(all);
    await reopened.close();
  });

  it('cuts what a compaction cut short wrote past the manifest’s lengths, and replays the journal’s entries', async () => {
    let store = await open(dir);
    await fill(store, 5, 2);
    await store.close();
    const [segment] = await segments(dir);
    const length = (await stat(join(dir, segment))).size;

    // Entries 3 acknowledged (journal only), then a compaction dies having written part of a line and a segment no manifest names.
    store = await open(dir, 1_000_000);
    for (let i = 0; i < 5; i++) await store.commit(put(actor(`a${i}`, { version: 3 }), { history: [historyEntry(`a${i}`, 3)] }));
    crashed.push(store);
    await appendFile(join(dir, segment), '{"actor":"a0","seq":3,"at":"2030-01-01T00:03:00.000Z","ev');
    await writeFile(join(dir, 'segment-9.jsonl'), '{"actor":"a0"');

    store = await open(dir);
    expect((await stat(join(dir, segment))).size).toBe(length);
    expect(await segments(dir)).toEqual([segment]);
    for (let i = 0; i < 5; i++) expect(await seqs(store, `a${i}`)).toEqual([1, 2, 3]);
    await store.close();
    store = await open(dir);
    for (let i = 0; i < 5; i++) expect(await store.history(`a${i}`)).toEqual([1, 2, 3].map((s) => historyEntry(`a${i}`, s)));
    await store.close();
  });

  it('read only (a running node’s store), leaves bytes past the manifest’s lengths alone: the node may be compacting', async () => {
    const node = await open(dir);
    await fill(node, 3, 2);
    await node.purge('nobody'); // compacts, the node staying open
    const [segment] = await segments(dir);
    await appendFile(join(dir, segment), '{"actor":"a0","seq":3'); // the node's compaction, under way
    const size = (await stat(join(dir, segment))).size;
    const reader = new LowdbStore({ dir, readOnly: true });
    await reader.open();
    expect(await seqs(reader, 'a2')).toEqual([1, 2]);
    await reader.close();
    expect((await stat(join(dir, segment))).size).toBe(size);
    crashed.push(node);
  });

  it('refuses to open when a segment holds less than the manifest records', async () => {
    const store = await open(dir);
    await fill(store, 2, 2);
    await store.close();
    const [segment] = await segments(dir);
    await writeFile(join(dir, segment), '');
    await expect(open(dir)).rejects.toThrow(`history segment ${segment} holds 0 bytes, the manifest records`);
  });

  it('opens a store written before history segments, and moves its history into segments at the first compaction', async () => {
    // Written by the embedded store of 6260201 (history entries in the 'history' shards), then a commit left in its journal.
    await cp(join(import.meta.dirname, '../fixtures/store-before-segments'), dir, { recursive: true });
    const expected = async (store: LowdbStore) => {
      expect(await store.history('a1')).toEqual([1, 2, 3, 4].map((s) => historyEntry('a1', s)));
      for (const x of ['x0', 'x1', 'x2', 'x3']) expect(await store.history(x)).toEqual([historyEntry(x, 1)]);
      const b1 = await store.history('b1');
      expect(verifyChain(b1, await store.getActor('b1'))).toEqual({ valid: true, entries: 4, first_invalid: null });
      expect((await store.chainHeads()).map((h) => [h.actor, h.seq, h.hash])).toEqual([
        ['a1', 4, null],
        ['b1', 4, b1[3].hash],
        ['x0', 1, null],
        ['x1', 1, null],
        ['x2', 1, null],
        ['x3', 1, null],
      ]);
    };
    const store = await open(dir);
    await expected(store);
    expect(await segments(dir)).toEqual([]);
    await store.close();

    expect(await segments(dir)).toHaveLength(1);
    for (const name of (await readdir(dir)).filter((n) => n.startsWith('history-'))) {
      const { items } = JSON.parse(await readFile(join(dir, name), 'utf8')) as { items: object[] };
      for (const item of items) expect(item).not.toHaveProperty('event');
    }
    const reopened = await open(dir);
    await expected(reopened);
    await reopened.close();
  });
});
