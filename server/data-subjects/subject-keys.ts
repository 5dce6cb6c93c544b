import type { Sealer, SubjectKeyRecord } from '../runtime/seal.ts';
import { SUBJECT_KEYS } from '../runtime/seal.ts';
import type { Store } from '../store/store.ts';

/**
 * Keeps the sealer's subject keys as the store holds them: every wrapped key and tombstone at
 * start, then each one a durable commit brings (this node's or another's), so an erasure on one
 * node makes the subject unreadable on all. `erased` is told of each tombstone (drop cached copies).
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
  for (const value of await store.listRecords(SUBJECT_KEYS)) sealer.learn(value as SubjectKeyRecord);
}
