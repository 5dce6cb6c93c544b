import { ConfigError } from '../config.ts';
import type { Sealer, SubjectKeyRecord } from '../runtime/seal.ts';
import { ERASED, SUBJECT_KEYS } from '../runtime/seal.ts';
import type { Store } from '../store/store.ts';

/** How a record written before rotation (naming no wrapping key) is named when no key opens it. */
const UNNAMED = 'unnamed (a record written before rotation)';

/**
 * Keeps the sealer's subject keys as the store holds them: a subject's key is read from the store
 * when first needed (issue 14), and each key record a durable commit brings (this node's or
 * another's) updates what is held, so an erasure on one node makes the subject unreadable on
 * all. `erased` is told of each tombstone (drop cached copies). A start that could not unwrap
 * every key (its wrapping key neither in DATA_KEYS nor in the keyring, followed first) is
 * refused, naming that key: the records are counted by the key that wraps them (their group).
 */
export async function followSubjectKeys(store: Store, sealer: Sealer, erased: (subject: string) => void): Promise<void> {
  sealer.readFrom(async (subject) => (await store.getRecord(SUBJECT_KEYS, subject)) as SubjectKeyRecord | undefined);
  store.onCommitted((commit) => {
    for (const record of commit.records) {
      if (record.collection !== SUBJECT_KEYS) continue;
      const value = record.value as SubjectKeyRecord;
      sealer.committed(value);
      if ('erased_at' in value) erased(value.subject);
    }
  });
  const missing = new Set<string>();
  const wrappers = new Set<string>();
  for (const group of Object.keys(await store.recordGroups(SUBJECT_KEYS))) {
    if (group !== '' && group !== ERASED) wrappers.add(group);
    if (group !== '') continue;
    // Records stored before they were grouped by their wrapping key (4 December 2026) are read.
    for (const value of (await store.listRecords(SUBJECT_KEYS)) as SubjectKeyRecord[]) {
      if ('erased_at' in value) continue;
      if (value.key_id !== undefined) wrappers.add(value.key_id);
      else if (!opens(sealer, value.wrapped)) missing.add(UNNAMED);
    }
  }
  for (const id of wrappers) if (!sealer.keyring.find(id)) missing.add(id);
  if (missing.size > 0)
    throw new ConfigError(
      `DATA_KEYS lacks data key ${[...missing].join(', ')}, which wraps subjects' data keys, and the keyring does not yield it: add it to DATA_KEYS (README "Key rotation")`,
    );
}

/** Whether a known key unwraps a key wrapped before rotation (named by no key id). */
function opens(sealer: Sealer, wrapped: string): boolean {
  try {
    sealer.keyring.open(wrapped);
    return true;
  } catch {
    return false;
  }
}
