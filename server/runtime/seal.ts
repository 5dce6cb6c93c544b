import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from './errors.ts';

/** The records collection of subjects' wrapped data keys, and of the tombstones erasure leaves. */
export const SUBJECT_KEYS = 'subject_keys';

/** A subject's data key wrapped by DATA_KEY, or, once erased, when and by whom (the key is gone). */
export type SubjectKeyRecord = { subject: string; wrapped: string } | ({ subject: string } & Erasure);

/** When and by whom a subject was erased. */
export type Erasure = { erased_at: string; erased_by: string };

/** Opening data of an erased subject: its key was destroyed (410 `erased`). */
export const erasedError = (subject: string, erasure?: Erasure) => new DomainError('erased', 'This data subject was erased.', { subject, ...erasure });

/** Whose data an answer or a webhook object is: a report's or invitation's candidate, else the object itself. */
export const subjectOfObject = (object: unknown): string | undefined => {
  const { id, candidate_id } = (object ?? {}) as { id?: unknown; candidate_id?: unknown };
  if (typeof candidate_id === 'string') return candidate_id;
  return typeof id === 'string' ? id : undefined;
};

// Sealed for a subject: `~<subject id>~<base64(iv | tag | ciphertext)>`. Base64 never holds `~`.
const SUBJECT_MARK = '~';

/**
 * AES-256-GCM sealing of everything the store keeps about people (P8): actor snapshots and
 * outbox payloads are sealed before they reach the store, so store files hold no personal data
 * in clear. Format: base64(iv | tag | ciphertext).
 *
 * Envelope encryption (issue 16): data of one member or candidate is sealed with a data key of
 * its own, wrapped by DATA_KEY and stored as a record; erasing the subject stores a tombstone in
 * its place, and every copy sealed with that key, wherever it lies (old journals included),
 * cannot be opened any more.
 */
export class Sealer {
  // IVs are cut from a pool refilled in bulk: one randomBytes call per 4096 seals, not per seal.
  private pool = Buffer.alloc(0);
  private used = 0;
  /** Subjects' data keys; `stored` once a commit holding the wrapped key was seen durable. */
  private readonly keys = new Map<string, { key: Buffer; stored: boolean }>();
  private readonly erased = new Map<string, Erasure>();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the data key must be 32 bytes');
  }

  private nextIv(): Buffer {
    if (this.used + 12 > this.pool.length) {
      this.pool = randomBytes(12 * 4096);
      this.used = 0;
    }
    this.used += 12;
    return this.pool.subarray(this.used - 12, this.used);
  }

  private encrypt(key: Buffer, plain: Buffer): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private decrypt(key: Buffer, sealed: string): Buffer {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  /** Seals with DATA_KEY, or with the subject's own key when one is given that has a key (see subjectKey). */
  seal(value: unknown, subject?: string): string {
    const plain = Buffer.from(JSON.stringify(value), 'utf8');
    const own = subject === undefined ? undefined : this.keys.get(subject);
    if (!own) return this.encrypt(this.key, plain);
    return `${SUBJECT_MARK}${subject}${SUBJECT_MARK}${this.encrypt(own.key, plain)}`;
  }

  open<T>(sealed: string): T {
    if (!sealed.startsWith(SUBJECT_MARK)) return JSON.parse(this.decrypt(this.key, sealed).toString('utf8')) as T;
    const end = sealed.indexOf(SUBJECT_MARK, 1);
    const subject = sealed.slice(1, end);
    const own = this.keys.get(subject);
    if (!own) throw erasedError(subject);
    return JSON.parse(this.decrypt(own.key, sealed.slice(end + 1)).toString('utf8')) as T;
  }

  /** The subject a sealed text was sealed for, if any. */
  static subjectOf(sealed: string): string | undefined {
    return sealed.startsWith(SUBJECT_MARK) ? sealed.slice(1, sealed.indexOf(SUBJECT_MARK, 1)) : undefined;
  }

  /**
   * Makes sure `subject` has a data key (never again once erased) and returns the record of its
   * wrapped key while that is not known to be stored: the caller puts it in the commit that first
   * holds data sealed with it.
   */
  subjectKey(subject: string): { collection: string; id: string; value: SubjectKeyRecord } | undefined {
    if (this.erased.has(subject)) return undefined;
    let own = this.keys.get(subject);
    if (!own) {
      own = { key: randomBytes(32), stored: false };
      this.keys.set(subject, own);
    }
    return own.stored ? undefined : { collection: SUBJECT_KEYS, id: subject, value: { subject, wrapped: this.encrypt(this.key, own.key) } };
  }

  /** A stored key record (loaded at start, or from a durable commit of any node): learns the key, or forgets an erased one. */
  learn(record: SubjectKeyRecord): void {
    if ('erased_at' in record) {
      this.keys.delete(record.subject);
      this.erased.set(record.subject, { erased_at: record.erased_at, erased_by: record.erased_by });
      return;
    }
    if (this.erased.has(record.subject)) return;
    this.keys.set(record.subject, { key: this.decrypt(this.key, record.wrapped), stored: true });
  }

  /** Whether the subject's key, or its erasure, is known here. */
  knows(subject: string): boolean {
    return this.keys.has(subject) || this.erased.has(subject);
  }

  /** Whether a sealed text belongs to an erased subject (it cannot be opened). */
  erasedSubjectOf(sealed: string): boolean {
    const subject = Sealer.subjectOf(sealed);
    return subject !== undefined && this.erased.has(subject);
  }

  /** When and by whom a subject was erased, if it was. */
  erasure(subject: string): Erasure | undefined {
    return this.erased.get(subject);
  }
}
