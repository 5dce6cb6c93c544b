import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { log } from '../log.ts';
import { type Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/** Keys rewrapped per commit: small enough that one chunk never holds the event loop for long. */
const CHUNK = 100;

/**
 * Rewraps subjects' data keys and the keyring's older data keys with the first of DATA_KEYS
 * (issue 16, rotation): each key still wrapped by another key (or by an unnamed one, written
 * before rotation) is wrapped anew and stored, the keyring's (a few) first, then the subjects' a
 * chunk per durable commit, yielding to requests between chunks. Nothing sealed with these keys
 * is re-encrypted.
 *
 * Several nodes may run it at once: a rewrap is idempotent (every node wraps the same data key
 * with the same first key), so the last write of a race is as good as the first. A key erased
 * meanwhile is re-read before each chunk and skipped, so a tombstone is not overwritten.
 */
export class KeyRotation {
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
  ) {}

  /** Keys still to rewrap on this node's view of the store, subjects' and keyring's (`trustwire_subject_keys_to_rewrap`). */
  remaining(): number {
    return this.sealer.toRewrap().length + this.sealer.keyring.toRewrap().length;
  }

  /** Starts the job in the background; resolves at once. */
  start(): void {
    this.running ??= this.run().catch((error: Error) => log.error({ err: error }, 'key rotation stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async run(): Promise<void> {
    const total = this.remaining();
    if (total === 0) return;
    const key_id = this.sealer.currentKeyId;
    log.info({ keys: total, key_id }, 'key rotation started');
    let done = 0;
    while (!this.stopped) {
      // The keyring's few records first (again each round: another node's commit may bring one).
      done += await this.rewrapKeyring();
      const chunk = this.sealer.toRewrap().slice(0, CHUNK);
      if (chunk.length === 0) break;
      const records = [];
      for (const subject of chunk) {
        const stored = (await this.store.getRecord(SUBJECT_KEYS, subject)) as SubjectKeyRecord | undefined;
        if (stored && 'erased_at' in stored) {
          this.sealer.learn(stored);
          continue;
        }
        const record = this.sealer.rewrap(subject);
        if (record) records.push(record);
      }
      if (records.length > 0) await this.store.commit(commitOf({ records }));
      // Durable now: learnt here too (as followSubjectKeys does), which takes them off the list.
      for (const record of records) this.sealer.learn(record.value);
      done += records.length;
      log.info({ rewrapped: done, remaining: this.remaining() }, 'key rotation progress');
      await yieldToEvents();
    }
    if (!this.stopped) log.info({ rewrapped: done, key_id }, 'key rotation done');
  }

  /** Rewraps the keyring's records still wrapped by an older key, in one commit; returns how many. */
  private async rewrapKeyring(): Promise<number> {
    const { keyring } = this.sealer;
    const records = keyring.toRewrap().map((id) => keyring.wrapped(id));
    if (records.length === 0) return 0;
    await this.store.commit(commitOf({ records }));
    for (const record of records) keyring.learn(record.value);
    return records.length;
  }
}
