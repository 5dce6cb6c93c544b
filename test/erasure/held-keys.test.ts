import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { followSubjectKeys } from '../../server/data-subjects/subject-keys.ts';
import { KeyNotLoaded } from '../../server/runtime/held-keys.ts';
import { Sealer, SUBJECT_KEYS } from '../../server/runtime/seal.ts';
import { withKeys } from '../../server/runtime/with-keys.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { commitOf } from '../../server/store/store.ts';

/**
 * Subjects' keys on demand (issue 14): a node holds the keys in use, read from the store when
 * first needed and kept in a bounded cache, never every subject's; a key not stored yet is never
 * evicted; an erasure, stored or heard from another node, is never undone by a new key.
 */
describe('subject keys held on demand', () => {
  const key = randomBytes(32);
  const ignore = () => {};
  const ERASURE = { erased_at: '2026-05-04T10:00:00.000Z', erased_by: 'integrator' };

  /** A store holding `count` subjects' keys, and data sealed for each, as another node left them. */
  async function storeOf(count: number) {
    const store = new MemoryStore();
    const writer = new Sealer(key, count);
    const sealed = new Map<string, string>();
    for (let i = 0; i < count; i++) {
      const subject = `skr_${i}`;
      await store.commit(commitOf({ records: [writer.subjectKey(subject)!] }));
      sealed.set(subject, writer.seal({ email: `${subject}@example.com` }, subject));
    }
    return { store, sealed };
  }

  async function started(store: MemoryStore, cached: number, erased: (subject: string) => void = ignore) {
    const sealer = new Sealer(key, cached);
    await followSubjectKeys(store, sealer, erased);
    return sealer;
  }

  it('a start holds no subject key, and reading more subjects than the cache holds keeps it at its bound', async () => {
    const { store, sealed } = await storeOf(200);
    const sealer = await started(store, 16);
    expect(sealer.heldCount, 'nothing held after the start').toBe(0);
    for (const [subject, text] of sealed) expect(await sealer.read(text)).toEqual({ email: `${subject}@example.com` });
    expect(sealer.heldCount).toBe(16);
    // The first ones were evicted long ago: read again from the store.
    expect(await sealer.read(sealed.get('skr_0')!)).toEqual({ email: 'skr_0@example.com' });
    expect(sealer.heldCount).toBe(16);
  });

  it('a key not loaded is not guessed at: KeyNotLoaded, and withKeys loads it and runs again', async () => {
    const { store, sealed } = await storeOf(1);
    const sealer = await started(store, 16);
    expect(() => sealer.open(sealed.get('skr_0')!)).toThrow(KeyNotLoaded);
    // Not a new key for a subject the store may hold: it must be loaded first.
    expect(() => sealer.subjectKey('skr_0')).toThrow(KeyNotLoaded);
    const fresh = await started(store, 16);
    let runs = 0;
    const opened = await withKeys(fresh, async () => {
      runs++;
      return fresh.open(sealed.get('skr_0')!);
    });
    expect({ opened, runs }).toEqual({ opened: { email: 'skr_0@example.com' }, runs: 2 });
    expect(fresh.subjectKey('skr_0'), 'stored already: nothing to add to the commit').toBeUndefined();
  });

  it('evicting never loses a key not stored yet; once its commit is durable it may go, and is read back', async () => {
    const { store, sealed } = await storeOf(40);
    const sealer = await started(store, 16);
    const made = ['cnd_a', 'cnd_b', 'cnd_c'];
    const records = [];
    for (const subject of made) {
      await sealer.load(subject);
      records.push(sealer.subjectKey(subject)!);
    }
    const mine = new Map(made.map((subject) => [subject, sealer.seal({ name: subject }, subject)]));
    for (const text of sealed.values()) await sealer.read(text);
    expect(sealer.heldCount, 'the cache full, the new keys beside it').toBe(16 + made.length);
    for (const [subject, text] of mine) expect(sealer.open(text)).toEqual({ name: subject });
    // Still not stored: every commit sealing for them carries the record again.
    expect(sealer.subjectKey('cnd_a')).toMatchObject({ collection: SUBJECT_KEYS, id: 'cnd_a' });

    await store.commit(commitOf({ records }));
    for (const text of sealed.values()) await sealer.read(text);
    expect(sealer.heldCount, 'stored now, evicted like any other').toBe(16);
    for (const [subject, text] of mine) expect(await sealer.read(text)).toEqual({ name: subject });
  });

  it('an erased subject is never given a new key: its tombstone is read from the store before one is made', async () => {
    const { store, sealed } = await storeOf(1);
    await store.commit(commitOf({ records: [{ collection: SUBJECT_KEYS, id: 'skr_0', value: { subject: 'skr_0', ...ERASURE } }] }));
    const sealer = await started(store, 16);
    await sealer.load('skr_0');
    expect(sealer.subjectKey('skr_0')).toBeUndefined();
    expect(sealer.erasure('skr_0')).toEqual(ERASURE);
    await expect(sealer.read(sealed.get('skr_0')!)).rejects.toMatchObject({ code: 'erased', details: { subject: 'skr_0', ...ERASURE } });
    // A brand-new subject: the store has nothing of it, so a key is made.
    await sealer.load('skr_new');
    expect(sealer.subjectKey('skr_new')).toMatchObject({ id: 'skr_new' });
  });

  it("another node's tombstone drops a held key at once", async () => {
    const { store, sealed } = await storeOf(1);
    const erased: string[] = [];
    const sealer = await started(store, 16, (subject) => erased.push(subject));
    expect(await sealer.read(sealed.get('skr_0')!)).toEqual({ email: 'skr_0@example.com' });
    await store.commit(commitOf({ records: [{ collection: SUBJECT_KEYS, id: 'skr_0', value: { subject: 'skr_0', ...ERASURE } }] }));
    expect(erased).toEqual(['skr_0']);
    expect(() => sealer.open(sealed.get('skr_0')!)).toThrow(expect.objectContaining({ code: 'erased' }));
    expect(sealer.subjectKey('skr_0')).toBeUndefined();
  });

  it('a record read while a commit brings a newer one does not undo it', async () => {
    const { store, sealed } = await storeOf(1);
    const sealer = await started(store, 16);
    const loading = sealer.load('skr_0');
    // The commit feed is heard before the read answers (the read saw the key, the commit erases it).
    sealer.committed({ subject: 'skr_0', ...ERASURE });
    await loading;
    expect(() => sealer.open(sealed.get('skr_0')!)).toThrow(expect.objectContaining({ code: 'erased' }));
  });
});
