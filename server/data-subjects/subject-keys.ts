import { ConfigError } from '../config.ts';
import type { Sealer, SubjectKeyRecord } from '../runtime/seal.ts';
import { SUBJECT_KEYS } from '../runtime/seal.ts';
import type { Store } from '../store/store.ts';

/**
 * Keeps the sealer's subject keys as the store holds them: every wrapped key and tombstone at
 * start, then each one a durable commit brings (this node's or another's), so an erasure on one
 * node makes the subject unreadable on all. `erased` is told of each tombstone (drop cached copies).
 * A start that cannot unwrap every key (its wrapping key neither in DATA_KEYS nor in the keyring,
 * followed first) is refused, naming that key.
 */
export async function followSubjectKeys(store: Store, sealer: Sealer, erased: (subject: string) => void): Promise<void> {
  store.onCommitted((commit) => {
    for (const record of commit.records) {
      if (record.collection !== SUBJECT_KEYS) continue;
      const value = record.value as SubjectKeyRecord;
      sealer.learn(value);
      if ('erased_at' in value) erased(value.subject);
    }
  });
  const missing = new Set<string>();
  for (const value of (await store.listRecords(SUBJECT_KEYS)) as SubjectKeyRecord[]) {
    try {
      sealer.learn(value);
    } catch {
      missing.add(('key_id' in value && value.key_id) || 'unnamed (a record written before rotation)');
    }
  }
  if (missing.size > 0)
    throw new ConfigError(
      `DATA_KEYS lacks data key ${[...missing].join(', ')}, which wraps subjects' data keys, and the keyring does not yield it: add it to DATA_KEYS (README "Key rotation")`,
    );
}
