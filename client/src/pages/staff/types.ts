import type { HistoryEntry as WireHistoryEntry } from '../../../../contract/index.ts';

/** The shapes of API.md "Staff", as the server sends them. */
export type { Case, ScreeningAttempt } from '../../../../contract/index.ts';
export type HistoryEntry = Omit<WireHistoryEntry, 'actor'>;

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
