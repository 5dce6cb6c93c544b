import type { ScreeningAttempt } from '../../contract/index.ts';
import { newId } from '../runtime/ids.ts';
import type { Store, StoredRecord } from '../store/store.ts';

export type { ScreeningAttempt } from '../../contract/index.ts';

export function attemptRecord(a: Omit<ScreeningAttempt, 'id' | 'object'>): StoredRecord {
  const id = newId('scr_');
  return { collection: 'screening', id, group: a.seeker, value: { id, object: 'screening_attempt', ...a } };
}

/** A seeker's attempts, oldest first (the order of the audit history). */
export async function screeningHistory(store: Store, seeker: string): Promise<ScreeningAttempt[]> {
  const attempts = (await store.listRecords('screening', seeker)) as ScreeningAttempt[];
  return attempts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
