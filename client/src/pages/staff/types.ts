import type { Case as ServerCase } from '../../../../server/runtime/cases.ts';
import type { ScreeningAttempt as ServerAttempt } from '../../../../server/idv/screening-history.ts';
import type { HistoryEntry as StoredHistoryEntry } from '../../../../server/store/store.ts';

/** The shapes of API.md "Staff", as the server defines them. */
export type Case = ServerCase;
export type CaseComment = Case['comments'][number];
export type ScreeningAttempt = ServerAttempt;
export type HistoryEntry = Omit<StoredHistoryEntry, 'actor'>;

export interface InboxEntry {
  id: string;
  channel: 'in_app' | 'email';
  template?: string;
  subject: string;
  text: string;
  created_at: string;
}

export interface Inbox {
  data: InboxEntry[];
  count: number;
  mask: { reason: string } | null;
}

export interface CaseFilter {
  queue?: string;
  status?: string;
  subject?: string;
}
