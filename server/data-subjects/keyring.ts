import { ConfigError } from '../config.ts';
import { log } from '../log.ts';
import { KEYRING, type KeyringRecord } from '../runtime/keyring.ts';
import type { Sealer } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/**
 * Keeps the sealer's keyring as the store holds it: every record at start, then each one a
 * durable commit brings (this node's or another's). Followed before the subject keys, whose
 * records may be wrapped by a key only the keyring yields. A start that cannot open every record
 * is refused, naming the key that would: what an older key sealed would not open.
 */
export async function followKeyring(store: Store, sealer: Sealer): Promise<void> {
  const { keyring } = sealer;
  // A record another node wrapped by a key this node lacks waits for it (README: same DATA_KEYS everywhere).
  store.onCommitted((commit) => {
    for (const record of commit.records) if (record.collection === KEYRING) keyring.learn(record.value as KeyringRecord);
  });
  for (const value of await store.listRecords(KEYRING)) keyring.learn(value as KeyringRecord);
  const missing = keyring.missing();
  if (missing.length > 0)
    throw new ConfigError(
      `DATA_KEYS lacks data key ${missing.join(', ')}, which wraps older data keys of the keyring (what they sealed would not open): add it to DATA_KEYS (README "Key rotation")`,
    );
}

/**
 * Stores each key of DATA_KEYS but the first that the keyring lacks, wrapped by the first: from
 * then on it may leave DATA_KEYS, what it sealed still opens. Called once the start was not refused,
 * so a mistaken DATA_KEYS leaves no record behind.
 */
export async function recordKeyring(store: Store, sealer: Sealer): Promise<void> {
  const records = sealer.keyring.unrecorded();
  if (records.length === 0) return;
  await store.commit(commitOf({ records }));
  log.info({ data_keys: records.map((r) => r.id), key_id: sealer.currentKeyId }, 'keyring: data keys stored, wrapped');
}
