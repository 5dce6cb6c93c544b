import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyId, Sealer, type SubjectKeyRecord } from '../../server/runtime/seal.ts';

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
    expect(() => new Sealer([a]).learn(record as SubjectKeyRecord)).toThrow(/not among DATA_KEYS/);
  });

  it('unwraps records written before rotation (no key id) by trying each key, and rewraps them to the first', () => {
    const before = new Sealer(a);
    const record = storedKey(before, 'skr_2');
    const sealed = before.seal({ email: 'old@example.com' }, 'skr_2');
    const { key_id: _id, ...legacy } = record as { subject: string; wrapped: string; key_id: string };

    const rotated = new Sealer([b, a]);
    rotated.learn(legacy);
    expect(rotated.open(sealed)).toEqual({ email: 'old@example.com' });
    expect(rotated.toRewrap()).toEqual(['skr_2']);

    const rewrapped = rotated.rewrap('skr_2')!.value;
    expect(rewrapped).toMatchObject({ subject: 'skr_2', key_id: keyId(b) });
    rotated.learn(rewrapped);
    expect(rotated.toRewrap()).toEqual([]);
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
    sealer.learn(storedKey(new Sealer(a), 'skr_3'));
    expect(sealer.toRewrap()).toEqual(['skr_3']);
    sealer.learn({ subject: 'skr_3', erased_at: '2026-01-01T00:00:00.000Z', erased_by: 'integrator' });
    expect(sealer.rewrap('skr_3')).toBeUndefined();
    expect(sealer.toRewrap()).toEqual([]);
  });

  it('refuses an empty key list and keys that are not 32 bytes', () => {
    expect(() => new Sealer([])).toThrow(/32 bytes/);
    expect(() => new Sealer([b, randomBytes(16)])).toThrow(/32 bytes/);
  });
});
