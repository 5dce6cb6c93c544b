import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { log } from '../log.ts';
import { ERASED, type Sealer, SUBJECT_KEYS, type SubjectKeyRecord } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/** Keys rewrapped per commit: small enough that one chunk never holds the event loop for long. */
const CHUNK = 100;

/**
 * Rewraps subjects' data keys and the keyring's older data keys with the first of DATA_KEYS
 * (issue 16, rotation): each key still wrapped by another key (or by an unnamed one, written
 * before rotation) is wrapped anew and stored, the keyring's (a few) first, then the subjects' a
 * chunk per durable commit, yielding to requests between chunks. Nothing sealed with these keys
 * is re-encrypted, and no key is held for it: the stale records are found by a scan of the store.
 *
 * Several nodes may run it at once: a rewrap is idempotent (every node wraps the same data key
 * with the same first key), so the last write of a race is as good as the first. Each key is
 * read again just before it is rewrapped, and skipped if erased meanwhile, so a tombstone is not
 * overwritten.
 */
export class KeyRotation {
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
  ) {}

  /** Keys still to rewrap on this node's view of the store, subjects' and keyring's (`trustwire_subject_keys_to_rewrap`). */
  async remaining(): Promise<number> {
    const groups = await this.store.recordGroups(SUBJECT_KEYS);
    const keyring = this.sealer.keyring.toRewrap().length;
    if (groups[''] !== undefined) return keyring + (await this.stale()).length;
    return keyring + Object.entries(groups).reduce((sum, [group, count]) => sum + (this.staleGroup(group) ? count : 0), 0);
  }

  /** A group of records wrapped by another key than the first of DATA_KEYS. */
  private staleGroup(group: string): boolean {
    return group !== ERASED && group !== this.sealer.currentKeyId;
  }

  /** Starts the job in the background; resolves at once. */
  start(): void {
    this.running ??= this.run().catch((error: Error) => log.error({ err: error }, 'key rotation stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * The subjects whose stored key is stale, from the records of the stale groups; records stored
   * before they were grouped by their wrapping key ('') make it read them all. No key is held for it.
   */
  private async stale(): Promise<string[]> {
    const groups = Object.keys(await this.store.recordGroups(SUBJECT_KEYS));
    const lists = groups.includes('') ? [undefined] : groups.filter((group) => this.staleGroup(group));
    const subjects: string[] = [];
    for (const group of lists) {
      for (const record of (await this.store.listRecords(SUBJECT_KEYS, group)) as SubjectKeyRecord[])
        if (this.sealer.isStale(record)) subjects.push(record.subject);
    }
    return subjects;
  }

  private async run(): Promise<void> {
    const total = await this.remaining();
    if (total === 0) return;
    const key_id = this.sealer.currentKeyId;
    log.info({ keys: total, key_id }, 'key rotation started');
    let done = 0;
    // Again until none is left: another node's commit may bring a stale one meanwhile.
    for (let stale = await this.stale(); !this.stopped; stale = await this.stale()) {
      // The keyring's few records first (again each round: another node's commit may bring one).
      done += await this.rewrapKeyring();
      if (stale.length === 0) break;
      for (let i = 0; i < stale.length && !this.stopped; i += CHUNK) {
        const records = [];
        for (const subject of stale.slice(i, i + CHUNK)) {
          // Read again: erased (a tombstone) or rewrapped meanwhile, it is left as it is.
          const stored = (await this.store.getRecord(SUBJECT_KEYS, subject)) as SubjectKeyRecord | undefined;
          const record = stored && this.sealer.rewrap(stored);
          if (record) records.push(record);
        }
        if (records.length > 0) await this.store.commit(commitOf({ records }));
        done += records.length;
        log.info({ rewrapped: done, remaining: Math.max(0, stale.length - i - CHUNK) }, 'key rotation progress');
        await yieldToEvents();
      }
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
