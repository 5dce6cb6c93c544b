import type { Store, StoredRecord } from '../store/store.ts';

/** One Prove, Veriff or ID.me attempt in a seeker's screening history (I11). */
export interface ScreeningAttempt {
  id: string;
  object: 'screening_attempt';
  seeker: string;
  vendor: 'prove' | 'veriff' | 'idme';
  method: string;
  outcome: string;
  /** The vendor's own reference: a Prove correlation id, a Veriff session, an ID.me subject. */
  reference: string;
  at: string;
}

export function attemptRecord(a: Omit<ScreeningAttempt, 'id' | 'object'>): StoredRecord {
  const id = `scr_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
  return { collection: 'screening', id, group: a.seeker, value: { id, object: 'screening_attempt', ...a } };
}

/** A seeker's attempts, oldest first (the order of the audit history). */
export async function screeningHistory(store: Store, seeker: string): Promise<ScreeningAttempt[]> {
  const attempts = (await store.listRecords('screening', seeker)) as ScreeningAttempt[];
  return attempts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
