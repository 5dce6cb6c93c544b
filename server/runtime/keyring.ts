import { createHash, randomBytes } from 'node:crypto';
import { decrypt, encrypt } from './cipher.ts';

/** The records collection of the keyring: older data keys, each wrapped by a newer one (README "Key rotation"). */
export const KEYRING = 'keyring';

/** The data key named `data_key`, wrapped by the data key named `key_id` (as in a subject key record). */
export type KeyringRecord = { data_key: string; wrapped: string; key_id: string };

/** A data key's id: the first 8 bytes of its sha256, hex; names the key without revealing it. */
export const keyId = (key: Buffer): string => createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');

/**
 * The data keys (issue 16, rotation): DATA_KEYS, whose first wraps and seals, and the older keys
 * the keyring's records hold, unwrapped by whichever known key wraps them (in chains: A wrapped
 * by B, B by C). Every known key opens; only the first seals. So whoever holds the current key
 * opens every older one: the old ones can leave DATA_KEYS once each is in the keyring, wrapped.
 */
export class Keyring {
  /** Every key known by id: the configured ones first (the likeliest to open), then the unwrapped ones. */
  private readonly known = new Map<string, Buffer>();
  /** The records as stored, by the id of the key each holds. */
  private readonly records = new Map<string, KeyringRecord>();
  private readonly configured: string[];

  constructor(keys: readonly Buffer[]) {
    for (const key of keys) this.known.set(keyId(key), key);
    this.configured = [...this.known.keys()];
  }

  /** The id of the key that wraps and seals (the first of DATA_KEYS). */
  get firstId(): string {
    return this.configured[0]!;
  }

  get first(): Buffer {
    return this.known.get(this.firstId)!;
  }

  /** The last of DATA_KEYS (the oldest configured). */
  get lastConfigured(): Buffer {
    return this.known.get(this.configured.at(-1)!)!;
  }

  /** The key of that id, configured or unwrapped from the keyring. */
  find(id: string): Buffer | undefined {
    return this.known.get(id);
  }

  /** Opens a text wrapped or sealed by the key named `id`, or, when it names none (sealed before rotation), by whichever known key authenticates. */
  open(sealed: string, id?: string): Buffer {
    const named = id === undefined ? undefined : this.known.get(id);
    if (id !== undefined && !named) throw new Error(`data key ${id} is neither in DATA_KEYS nor in the keyring`);
    const candidates = named ? [named] : [...this.known.values()];
    for (const [i, key] of candidates.entries()) {
      try {
        return decrypt(key, sealed);
      } catch (error) {
        if (i === candidates.length - 1) throw error;
      }
    }
    throw new Error('unreachable');
  }

  /** A stored keyring record (at start, or from a durable commit of any node): unwraps it and every record waiting for its key. */
  learn(record: KeyringRecord): void {
    this.records.set(record.data_key, record);
    for (let unwrapped = true; unwrapped; ) {
      unwrapped = false;
      for (const { data_key, wrapped, key_id } of this.records.values()) {
        const by = this.known.get(key_id);
        if (this.known.has(data_key) || !by) continue;
        this.known.set(data_key, decrypt(by, wrapped));
        unwrapped = true;
      }
    }
  }

  /**
   * The keys that would open the records no known key opens: the ends of their chains, naming no
   * record themselves (or, in a loop of records, the keys wrapping them). Empty: every key is known.
   */
  missing(): string[] {
    const wrappers = new Set([...this.records.values()].filter((r) => !this.known.has(r.data_key)).map((r) => r.key_id));
    const ends = [...wrappers].filter((id) => !this.records.has(id));
    return ends.length > 0 ? ends : [...wrappers];
  }

  /** Records for the keys of DATA_KEYS but the first that the keyring lacks, wrapped by the first: to store, so they can leave DATA_KEYS. */
  unrecorded(): { collection: string; id: string; value: KeyringRecord }[] {
    return this.configured.slice(1).flatMap((id) => (this.records.has(id) ? [] : [this.wrapped(id)]));
  }

  /** Keys whose record is wrapped by another key than the first (the first's own record, if any, opens nothing its holder lacks). */
  toRewrap(): string[] {
    return [...this.records.values()]
      .filter((r) => r.key_id !== this.firstId && r.data_key !== this.firstId && this.known.has(r.data_key))
      .map((r) => r.data_key);
  }

  /** The key's record wrapped anew by the first key, to store (rotation). */
  wrapped(id: string): { collection: string; id: string; value: KeyringRecord } {
    const value = { data_key: id, wrapped: encrypt(this.first, randomBytes(12), this.known.get(id)!), key_id: this.firstId };
    return { collection: KEYRING, id, value };
  }
}
