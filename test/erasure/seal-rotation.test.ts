import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { followKeyring, recordKeyring } from '../../server/data-subjects/keyring.ts';
import { followSubjectKeys } from '../../server/data-subjects/subject-keys.ts';
import { KEYRING, type KeyringRecord, keyId } from '../../server/runtime/keyring.ts';
import { Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../../server/runtime/seal.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { commitOf } from '../../server/store/store.ts';

/** The stored record of `subject`'s key, as the commit holding its first sealed data carries it. */
function storedKey(sealer: Sealer, subject: string): SubjectKeyRecord {
  const record = sealer.subjectKey(subject)!.value;
  sealer.learn(record);
  return record;
}

describe('Sealer with several data keys (rotation)', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('names the wrapping key by the first 8 bytes of its sha256 and wraps with the first key', () => {
    const record = storedKey(new Sealer([b, a]), 'skr_1') as { key_id: string };
    expect(keyId(b)).toMatch(/^[0-9a-f]{16}$/);
    expect(record.key_id).toBe(keyId(b));
    // B alone unwraps it; A alone cannot.
    expect(() => new Sealer([b]).learn(record as SubjectKeyRecord)).not.toThrow();
    expect(() => new Sealer([a]).learn(record as SubjectKeyRecord)).toThrow(`data key ${keyId(b)} is neither in DATA_KEYS nor in the keyring`);
  });

  it('unwraps records written before rotation (no key id) by trying each key, and rewraps them to the first', () => {
    const before = new Sealer(a);
    const record = storedKey(before, 'skr_2');
    const sealed = before.seal({ email: 'old@example.com' }, 'skr_2');
    const { key_id: _id, ...legacy } = record as { subject: string; wrapped: string; key_id: string };

    const rotated = new Sealer([b, a]);
    rotated.learn(legacy);
    expect(rotated.open(sealed)).toEqual({ email: 'old@example.com' });
    expect(rotated.isStale(legacy)).toBe(true);

    const rewrapped = rotated.rewrap(legacy)!.value;
    expect(rewrapped).toMatchObject({ subject: 'skr_2', key_id: keyId(b) });
    expect(rotated.isStale(rewrapped)).toBe(false);
    expect(rotated.rewrap(rewrapped)).toBeUndefined();
    // Once rewrapped, the old key can go: B alone opens the subject's data, sealed before rotation.
    const onlyB = new Sealer([b]);
    onlyB.learn(rewrapped);
    expect(onlyB.open(sealed)).toEqual({ email: 'old@example.com' });
  });

  it('seals data without a subject with the first key and opens it with whichever key authenticates', () => {
    const old = new Sealer(a).seal({ link: 1 });
    const rotated = new Sealer([b, a]);
    const fresh = rotated.seal({ link: 2 });
    expect(rotated.open(old)).toEqual({ link: 1 });
    expect(rotated.open(fresh)).toEqual({ link: 2 });
    expect(new Sealer([b]).open(fresh)).toEqual({ link: 2 });
    // What A sealed stays under A until rewritten: B alone cannot open it.
    expect(() => new Sealer([b]).open(old)).toThrow();
  });

  it('does not rewrap an erased subject', () => {
    const sealer = new Sealer([b, a]);
    expect(sealer.isStale(storedKey(new Sealer(a), 'skr_3'))).toBe(true);
    const tombstone = { subject: 'skr_3', erased_at: '2026-01-01T00:00:00.000Z', erased_by: 'integrator' };
    expect(sealer.isStale(tombstone)).toBe(false);
    expect(sealer.rewrap(tombstone)).toBeUndefined();
  });

  it('unwraps a stored subject key on its first use, not when learning it (a start learns them all)', () => {
    const writer = new Sealer([a]);
    const record = storedKey(writer, 'skr_9') as SubjectKeyRecord & { wrapped: string };
    const sealed = writer.seal({ email: 'nine@example.com' }, 'skr_9');
    const reader = new Sealer([a]);
    reader.learn({ ...record, wrapped: record.wrapped.replace(/^.{4}/, 'AAAA') }); // a wrapped key that does not authenticate
    expect(() => reader.open(sealed), 'the damage shows on first use').toThrow();
    const intact = new Sealer([a]);
    intact.learn(record);
    expect(intact.open(sealed)).toEqual({ email: 'nine@example.com' });
  });

  it('refuses an empty key list and keys that are not 32 bytes', () => {
    expect(() => new Sealer([])).toThrow(/32 bytes/);
    expect(() => new Sealer([b, randomBytes(16)])).toThrow(/32 bytes/);
  });
});

/** The keyring records a start with `keys` stores: each key but the first, wrapped by the first. */
const keyringOf = (keys: Buffer[]): KeyringRecord[] => new Sealer(keys).keyring.unrecorded().map((r) => r.value);

describe('keyring: older data keys wrapped by newer ones (rotation)', () => {
  const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
  const sealedUnderA = new Sealer(a).seal({ link: 'made under A' });

  it('stores each key of DATA_KEYS but the first, wrapped by the first, named by both ids, once', () => {
    const records = new Sealer([c, b, a]).keyring.unrecorded();
    expect(records.map((r) => [r.collection, r.id, r.value.data_key, r.value.key_id])).toEqual([
      [KEYRING, keyId(b), keyId(b), keyId(c)],
      [KEYRING, keyId(a), keyId(a), keyId(c)],
    ]);
    expect(JSON.stringify(records)).not.toContain(a.toString('base64'));
    const restarted = new Sealer([c, b, a]);
    for (const record of records) restarted.keyring.learn(record.value);
    expect(restarted.keyring.unrecorded()).toEqual([]);
    expect(new Sealer(a).keyring.unrecorded()).toEqual([]);
  });

  it('lets the new key alone open what the old one sealed and wrapped, yet seals and wraps with the new key only', () => {
    const old = new Sealer(a);
    const subjectRecord = storedKey(old, 'skr_k1');
    const subjectData = old.seal({ email: 'k1@example.com' }, 'skr_k1');

    const onlyB = new Sealer([b]);
    expect(() => onlyB.open(sealedUnderA)).toThrow();
    for (const record of keyringOf([b, a])) onlyB.keyring.learn(record);
    expect(onlyB.open(sealedUnderA)).toEqual({ link: 'made under A' });
    onlyB.learn(subjectRecord);
    expect(onlyB.open(subjectData)).toEqual({ email: 'k1@example.com' });
    expect(onlyB.keyring.missing()).toEqual([]);

    // A opens, never seals: B alone (no keyring) opens what this sealer seals and wraps now.
    const fresh = onlyB.seal({ link: 'made under B' });
    expect(new Sealer([b]).open(fresh)).toEqual({ link: 'made under B' });
    expect(storedKey(onlyB, 'skr_k2')).toMatchObject({ key_id: keyId(b) });
  });

  it('unwraps chains of records whatever the order they come in (A wrapped by B, B by C)', () => {
    const [aByB] = keyringOf([b, a]);
    const [bByC] = keyringOf([c, b]);
    const onlyC = new Sealer([c]);
    onlyC.keyring.learn(aByB!);
    // A waits for B, which the next record yields.
    expect(() => onlyC.open(sealedUnderA)).toThrow();
    expect(onlyC.keyring.missing()).toEqual([keyId(b)]);
    onlyC.keyring.learn(bByC!);
    expect(onlyC.open(sealedUnderA)).toEqual({ link: 'made under A' });
    expect(onlyC.keyring.missing()).toEqual([]);

    // An unrelated key opens none: what is missing is the end of the chain, C.
    const unrelated = new Sealer([randomBytes(32)]);
    for (const record of [aByB!, bByC!]) unrelated.keyring.learn(record);
    expect(unrelated.keyring.missing()).toEqual([keyId(c)]);
    expect(() => unrelated.open(sealedUnderA)).toThrow();
  });

  it('rewraps records wrapped by an older key with the first, after which the first alone opens them without the chain', () => {
    const [aByB] = keyringOf([b, a]);
    const rotating = new Sealer([c, b]);
    rotating.keyring.learn(aByB!);
    for (const record of rotating.keyring.unrecorded()) rotating.keyring.learn(record.value);
    expect(rotating.keyring.toRewrap()).toEqual([keyId(a)]);

    const aByC = rotating.keyring.wrapped(keyId(a)).value;
    expect(aByC).toMatchObject({ data_key: keyId(a), key_id: keyId(c) });
    rotating.keyring.learn(aByC);
    expect(rotating.keyring.toRewrap()).toEqual([]);

    const onlyC = new Sealer([c]);
    onlyC.keyring.learn(aByC);
    expect(onlyC.open(sealedUnderA)).toEqual({ link: 'made under A' });
    // The first key's own record (rotated back to A) opens nothing A's holder lacks: not rewrapped.
    const back = new Sealer([a, c]);
    back.keyring.learn(aByC);
    expect(back.keyring.toRewrap()).toEqual([]);
  });
});

describe('a start with the keyring', () => {
  const [a, b] = [randomBytes(32), randomBytes(32)];
  const ignore = () => {};

  /** A store holding a subject key wrapped by A, as a start with A alone leaves it. */
  async function storeUnderA() {
    const store = new MemoryStore();
    const old = new Sealer(a);
    const record = old.subjectKey('skr_s1')!;
    await store.commit(commitOf({ records: [record] }));
    return { store, sealed: old.seal({ email: 's1@example.com' }, 'skr_s1') };
  }

  it('stores the keys it lacks once, after which the new key alone unwraps subject keys wrapped by the old one', async () => {
    const { store, sealed } = await storeUnderA();
    const rotating = new Sealer([b, a]);
    await followKeyring(store, rotating);
    await recordKeyring(store, rotating);
    await recordKeyring(store, rotating);
    expect(await store.listRecords(KEYRING)).toEqual([{ data_key: keyId(a), wrapped: expect.any(String), key_id: keyId(b) }]);

    const onlyB = new Sealer([b]);
    await followKeyring(store, onlyB);
    await followSubjectKeys(store, onlyB, ignore);
    expect(await onlyB.read(sealed), 'read from the store on demand').toEqual({ email: 's1@example.com' });
  });

  it('is refused, naming the key, when a subject key is wrapped by a key neither configured nor in the keyring', async () => {
    const { store } = await storeUnderA();
    const onlyB = new Sealer([b]);
    await followKeyring(store, onlyB);
    await expect(followSubjectKeys(store, onlyB, ignore)).rejects.toThrow(`DATA_KEYS lacks data key ${keyId(a)}, which wraps subjects' data keys`);
  });

  it('counts the stored subject keys by the key that wraps them, and reads records stored before that grouping', async () => {
    const { store } = await storeUnderA();
    expect(await store.recordGroups(SUBJECT_KEYS), 'a start reads no record to check the keys').toEqual({ [keyId(a)]: 1 });
    // A record stored before subject keys were grouped by their wrapping key: its key id is read.
    const old = new Sealer(a);
    const { group: _group, ...ungrouped } = old.subjectKey('skr_s2')!;
    const legacy = new MemoryStore();
    await legacy.commit(commitOf({ records: [ungrouped] }));
    expect(await legacy.recordGroups(SUBJECT_KEYS)).toEqual({ '': 1 });
    const onlyB = new Sealer([b]);
    await followKeyring(legacy, onlyB);
    await expect(followSubjectKeys(legacy, onlyB, ignore)).rejects.toThrow(`DATA_KEYS lacks data key ${keyId(a)}`);
    await expect(followSubjectKeys(legacy, new Sealer(a), ignore)).resolves.toBeUndefined();
  });
});
