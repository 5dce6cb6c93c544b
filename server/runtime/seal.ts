import { randomBytes } from 'node:crypto';
import { decrypt, encrypt } from './cipher.ts';
import { DomainError } from './errors.ts';
import { type Held, HeldKeys, isErasure, KeyNotLoaded, NO_KEY, type OwnKey, SUBJECTS_CACHED } from './held-keys.ts';
import { Keyring } from './keyring.ts';

/**
 * The records collection of subjects' wrapped data keys, and of the tombstones erasure leaves.
 * Each record's group is the id of the key that wraps it, or ERASED: a start and the rotation job
 * count them by group (Store.recordGroups) instead of reading 100,000 records (issue 14).
 */
export const SUBJECT_KEYS = 'subject_keys';
export const ERASED = 'erased';

/**
 * A subject's data key wrapped by the first of DATA_KEYS, naming that key by its id (records
 * written before rotation have none), or, once erased, when and by whom (the key is gone).
 */
export type SubjectKeyRecord = WrappedKeyRecord | ({ subject: string } & Erasure);

/** A subject's data key as stored, wrapped by the key named `key_id`. */
export type WrappedKeyRecord = { subject: string; wrapped: string; key_id?: string };

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
 *
 * Keys on demand (issue 14): a node holds only the subjects' keys in use (held-keys.ts), so each
 * synchronous seal or open of a subject's data follows a `load` of its key, or throws KeyNotLoaded.
 */
export class Sealer {
  // IVs are cut from a pool refilled in bulk: one randomBytes call per 4096 seals, not per seal.
  private pool = Buffer.alloc(0);
  private used = 0;
  /** Subjects' keys and erasures in use, read from the store on demand (issue 14): `load` before sealing or opening. */
  private readonly held: HeldKeys;
  /** DATA_KEYS and the keyring's older keys: the first wraps and seals, every one opens (rotation, issue 16). */
  readonly keyring: Keyring;

  constructor(keys: Buffer | readonly Buffer[], cached = SUBJECTS_CACHED) {
    const list = Buffer.isBuffer(keys) ? [keys] : [...keys];
    if (list.length === 0 || list.some((key) => key.length !== 32)) throw new Error('every data key must be 32 bytes');
    this.keyring = new Keyring(list);
    this.held = new HeldKeys(cached);
  }

  /** The id of the key that wraps from now on (the first of DATA_KEYS). */
  get currentKeyId(): string {
    return this.keyring.firstId;
  }

  /** Subjects whose key or erasure is held here (at most the cache's size, and the keys not stored yet). */
  get heldCount(): number {
    return this.held.size;
  }

  /** From now on, a subject not held is read from `records` (subject-keys.ts: the store). */
  readFrom(records: (subject: string) => Promise<SubjectKeyRecord | undefined>): void {
    this.held.readFrom(async (subject) => {
      const record = await records(subject);
      return record ? this.heldOf(record) : NO_KEY;
    });
  }

  /** Makes sure what the store holds of `subject` (its key, its erasure, or nothing) is held, for the synchronous calls that follow. */
  load(subject: string | undefined): Promise<void> {
    return this.held.load(subject);
  }

  /** A subject id just made here (a new actor's): the store holds nothing of it, there is nothing to read. */
  newSubject(subject: string): void {
    this.held.set(subject, NO_KEY);
  }

  /** Opens, loading the subject's key first. */
  async read<T>(sealed: string): Promise<T> {
    await this.load(Sealer.subjectOf(sealed));
    return this.open<T>(sealed);
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
    const held = subject === undefined ? undefined : this.heldNow(subject);
    if (!held || !isKey(held)) return this.encrypt(this.keyring.first, plain);
    return `${SUBJECT_MARK}${subject}${SUBJECT_MARK}${this.encrypt(this.unwrapped(held), plain)}`;
  }

  open<T>(sealed: string): T {
    if (!sealed.startsWith(SUBJECT_MARK)) return JSON.parse(this.keyring.open(sealed).toString('utf8')) as T;
    const end = sealed.indexOf(SUBJECT_MARK, 1);
    const subject = sealed.slice(1, end);
    const held = this.heldNow(subject);
    if (!isKey(held)) throw erasedError(subject, isErasure(held) ? held : undefined);
    return JSON.parse(decrypt(this.unwrapped(held), sealed.slice(end + 1)).toString('utf8')) as T;
  }

  /** What is held of `subject`; KeyNotLoaded while it is not loaded (the load starts, so that a later try finds it). */
  private heldNow(subject: string): Held {
    const held = this.held.get(subject);
    if (held !== undefined) return held;
    this.load(subject).catch(() => undefined);
    throw new KeyNotLoaded(subject);
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
   * Makes sure `subject` has a data key (never again once erased: a subject not held is loaded
   * first, tombstone included) and returns the record of its wrapped key while that is not known
   * to be stored: the caller puts it in the commit that first holds data sealed with it.
   */
  subjectKey(subject: string): { collection: string; id: string; group: string; value: SubjectKeyRecord } | undefined {
    const held = this.heldNow(subject);
    if (this.held.isFresh(subject)) return this.wrappedRecord(subject, held as OwnKey);
    if (held !== NO_KEY) return undefined;
    const own = { key: randomBytes(32) };
    this.held.made(subject, own);
    return this.wrappedRecord(subject, own);
  }

  private wrappedRecord(subject: string, own: OwnKey) {
    const value: SubjectKeyRecord = { subject, wrapped: this.encrypt(this.keyring.first, this.unwrapped(own)), key_id: this.currentKeyId };
    return { collection: SUBJECT_KEYS, id: subject, group: this.currentKeyId, value };
  }

  /** Whether a stored key record is wrapped by another key than the first of DATA_KEYS (or by an unnamed one). */
  isStale(record: SubjectKeyRecord): record is WrappedKeyRecord {
    return !('erased_at' in record) && record.key_id !== this.currentKeyId;
  }

  /** A stale stored key record wrapped anew by the first of DATA_KEYS, to store (rotation); none otherwise (erased, say). */
  rewrap(record: SubjectKeyRecord): { collection: string; id: string; group: string; value: SubjectKeyRecord } | undefined {
    return this.isStale(record) ? this.wrappedRecord(record.subject, { wrapped: record.wrapped, wrappedBy: record.key_id }) : undefined;
  }

  /** A stored key record (read from the store): holds the key, or the erasure (which no key record undoes). */
  learn(record: SubjectKeyRecord): void {
    const held = this.held.get(record.subject);
    if (!held || !isErasure(held)) this.held.set(record.subject, this.heldOf(record));
  }

  /** A key record of a durable commit (this node's or another's): a key is learnt if its subject is held, an erasure always. */
  committed(record: SubjectKeyRecord): void {
    if ('erased_at' in record || this.held.follows(record.subject)) this.learn(record);
  }

  private heldOf(record: SubjectKeyRecord): Held {
    if ('erased_at' in record) return { erased_at: record.erased_at, erased_by: record.erased_by };
    const own: OwnKey = { wrapped: record.wrapped, wrappedBy: record.key_id };
    // A named wrapping key must be known now (a start without it is refused); one written before
    // rotation names none, so it is opened now, by whichever key authenticates it.
    if (record.key_id === undefined) this.unwrapped(own);
    else if (!this.keyring.find(record.key_id)) throw new Error(`data key ${record.key_id} is neither in DATA_KEYS nor in the keyring`);
    return own;
  }

  /** Whether a sealed text belongs to an erased subject (it cannot be opened); its subject must be loaded. */
  erasedSubjectOf(sealed: string): boolean {
    const subject = Sealer.subjectOf(sealed);
    return subject !== undefined && this.erasure(subject) !== undefined;
  }

  /** When and by whom a subject was erased, if it was; the subject must be loaded. */
  erasure(subject: string): Erasure | undefined {
    const held = this.heldNow(subject);
    return isErasure(held) ? held : undefined;
  }
}

const isKey = (held: Held): held is OwnKey => held !== NO_KEY && !isErasure(held);
