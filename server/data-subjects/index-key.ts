import { ConfigError } from '../config.ts';
import { log } from '../log.ts';
import { keyId } from '../runtime/keyring.ts';
import { commitOf, type Store } from '../store/store.ts';

/** Which data key the blind indices are keyed by: `{ key_id }`, stored once. */
const INDEX_KEY = { collection: 'settings', id: 'blind_index_key' };

/**
 * The data key the blind indices (member search tokens, blocklist hashes) are keyed by. Their
 * tokens cannot be recomputed without the clear data, so that key never changes: the one named in
 * the store, or, at the first start that names none, the last of DATA_KEYS (the oldest; stored
 * then). A DATA_KEYS without it stops the start: search and the blocklist (I7) would silently
 * stop matching.
 */
export async function blindIndexKey(store: Store, dataKeys: Buffer[]): Promise<Buffer> {
  const stored = (await store.getRecord(INDEX_KEY.collection, INDEX_KEY.id)) as { key_id: string } | undefined;
  if (!stored) {
    const key = dataKeys.at(-1)!;
    await store.commit(commitOf({ records: [{ ...INDEX_KEY, value: { key_id: keyId(key) } }] }));
    log.info({ key_id: keyId(key) }, 'blind indices keyed by data key');
    return key;
  }
  const key = dataKeys.find((k) => keyId(k) === stored.key_id);
  if (!key)
    throw new ConfigError(
      `DATA_KEYS lacks data key ${stored.key_id}, which keys the blind indices (member search, blocklist): keep it in the list (README "Key rotation")`,
    );
  return key;
}
