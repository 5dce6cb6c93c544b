import { randomBytes } from 'node:crypto';
import { decrypt, encrypt } from './cipher.ts';
import { DomainError } from './errors.ts';
import { Keyring } from './keyring.ts';

/** The records collection of subjects' wrapped data keys, and of the tombstones erasure leaves. */
export const SUBJECT_KEYS = 'subject_keys';

/**
 * A subject's data key wrapped by the first of DATA_KEYS, naming that key by its id (records
 * written before rotation have none), or, once erased, when and by whom (the key is gone).
 */
export type SubjectKeyRecord = { subject: string; wrapped: string; key_id?: string } | ({ subject: string } & Erasure);

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
 *
 * Rotation: several keys (DATA_KEYS) and the older ones of the keyring; the first wraps and
 * seals, any opens. A wrapped key record names its wrapping key's id; one written before rotation
 * names none and is opened by trying each.
 */
/** A subject's data key, or, until it is first used, the key as stored, wrapped by `wrappedBy`. */
interface OwnKey {
  key?: Buffer;
  wrapped?: string;
  stored: boolean;
  wrappedBy?: string;
}

export class Sealer {
  // IVs are cut from a pool refilled in bulk: one randomBytes call per 4096 seals, not per seal.
  private pool = Buffer.alloc(0);
  private used = 0;
  /**
   * Subjects' data keys; `stored` once a commit holding the wrapped key was seen durable. A stored
   * key is unwrapped on first use (`wrapped` until then): a start learns every subject's key, and
   * unwrapping each of 100,000 would cost a second.
   */
  private readonly keys = new Map<string, OwnKey>();
  private readonly erased = new Map<string, Erasure>();
  /** DATA_KEYS and the keyring's older keys: the first wraps and seals, every one opens (rotation, issue 16). */
  readonly keyring: Keyring;

  constructor(keys: Buffer | readonly Buffer[]) {
    const list = Buffer.isBuffer(keys) ? [keys] : [...keys];
    if (list.length === 0 || list.some((key) => key.length !== 32)) throw new Error('every data key must be 32 bytes');
    this.keyring = new Keyring(list);
  }

  /** The id of the key that wraps from now on (the first of DATA_KEYS). */
  get currentKeyId(): string {
    return this.keyring.firstId;
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
    return encrypt(key, this.nextIv(), plain);
  }

  /** Seals with the first data key, or with the subject's own key when one is given that has a key (see subjectKey). */
  seal(value: unknown, subject?: string): string {
    const plain = Buffer.from(JSON.stringify(value), 'utf8');
    const own = subject === undefined ? undefined : this.keys.get(subject);
    if (!own) return this.encrypt(this.keyring.first, plain);
    return `${SUBJECT_MARK}${subject}${SUBJECT_MARK}${this.encrypt(this.unwrapped(own), plain)}`;
  }

  open<T>(sealed: string): T {
    if (!sealed.startsWith(SUBJECT_MARK)) return JSON.parse(this.keyring.open(sealed).toString('utf8')) as T;
    const end = sealed.indexOf(SUBJECT_MARK, 1);
    const subject = sealed.slice(1, end);
    const own = this.keys.get(subject);
    if (!own) throw erasedError(subject);
    return JSON.parse(decrypt(this.unwrapped(own), sealed.slice(end + 1)).toString('utf8')) as T;
  }

  private unwrapped(own: OwnKey): Buffer {
    own.key ??= this.keyring.open(own.wrapped!, own.wrappedBy);
    own.wrapped = undefined;
    return own.key;
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
    return own.stored ? undefined : this.wrappedRecord(subject, own);
  }

  private wrappedRecord(subject: string, own: OwnKey) {
    const key = this.unwrapped(own);
    own.wrappedBy = this.currentKeyId;
    const value: SubjectKeyRecord = { subject, wrapped: this.encrypt(this.keyring.first, key), key_id: this.currentKeyId };
    return { collection: SUBJECT_KEYS, id: subject, value };
  }

  /** Subjects whose stored key is wrapped by another key than the first of DATA_KEYS (or by an unnamed one). */
  toRewrap(): string[] {
    const stale: string[] = [];
    for (const [subject, own] of this.keys) if (own.stored && own.wrappedBy !== this.currentKeyId) stale.push(subject);
    return stale;
  }

  /** The subject's key wrapped anew by the first of DATA_KEYS, to store (rotation); none once erased. */
  rewrap(subject: string): { collection: string; id: string; value: SubjectKeyRecord } | undefined {
    const own = this.keys.get(subject);
    return own && !this.erased.has(subject) ? this.wrappedRecord(subject, { key: this.unwrapped(own), stored: true }) : undefined;
  }

  /** A stored key record (loaded at start, or from a durable commit of any node): learns the key, or forgets an erased one. */
  learn(record: SubjectKeyRecord): void {
    if ('erased_at' in record) {
      this.keys.delete(record.subject);
      this.erased.set(record.subject, { erased_at: record.erased_at, erased_by: record.erased_by });
      return;
    }
    if (this.erased.has(record.subject)) return;
    const own: OwnKey = { wrapped: record.wrapped, stored: true, wrappedBy: record.key_id };
    // A named wrapping key must be known now (a start without it is refused); one written before
    // rotation names none, so it is opened now, by whichever key authenticates it.
    if (record.key_id === undefined) this.unwrapped(own);
    else if (!this.keyring.find(record.key_id)) throw new Error(`data key ${record.key_id} is neither in DATA_KEYS nor in the keyring`);
    this.keys.set(record.subject, own);
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
