import { ConfigError } from '../config.ts';
import { log } from '../log.ts';
import { type Keyring, keyId } from '../runtime/keyring.ts';
import { commitOf, type Store } from '../store/store.ts';

/** Which data key the blind indices are keyed by: `{ key_id }`, stored once. */
const INDEX_KEY = { collection: 'settings', id: 'blind_index_key' };

/**
 * The data key the blind indices (member search tokens, blocklist hashes) are keyed by. Their
 * tokens cannot be recomputed without the clear data, so that key never changes: the one named in
 * the store, found among DATA_KEYS or in the keyring (learnt first), or, at the first start that
 * names none, the last of DATA_KEYS (the oldest; stored then). A start that finds it nowhere is
 * refused: search and the blocklist (I7) would silently stop matching.
 */
export async function blindIndexKey(store: Store, keyring: Keyring): Promise<Buffer> {
  const stored = (await store.getRecord(INDEX_KEY.collection, INDEX_KEY.id)) as { key_id: string } | undefined;
  if (!stored) {
    const key = keyring.lastConfigured;
    await store.commit(commitOf({ records: [{ ...INDEX_KEY, value: { key_id: keyId(key) } }] }));
    log.info({ key_id: keyId(key) }, 'blind indices keyed by data key');
    return key;
  }
  const key = keyring.find(stored.key_id);
  if (!key)
    throw new ConfigError(
      `data key ${stored.key_id}, which keys the blind indices (member search, blocklist), is neither in DATA_KEYS nor in the keyring: add it to DATA_KEYS (README "Key rotation")`,
    );
  return key;
}
