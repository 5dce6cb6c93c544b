import type { Sealer } from './seal.ts';
import type { OutboxEntry, Store, StoredRecord } from '../store/store.ts';
import { webhookEventEntry } from '../webhooks/event.ts';

/** A case in a staff queue (API.md "Staff"): opened automatically (I12, C12, B7) or by a reviewer. */
export interface Case {
  id: string;
  object: 'case';
  uri: string;
  subject: string;
  queue: string;
  status: 'open' | 'resolved';
  summary: string;
  /** Ids the case is about besides its subject: the report, the link, the attempt. */
  refs: Record<string, string>;
  tags: string[];
  comments: { id: string; text: string; by: { role: string; subject?: string }; at: string }[];
  created_at: string;
  updated_at: string;
}

export interface NewCase {
  subject: string;
  queue: string;
  summary: string;
  refs?: Record<string, string>;
  at: string;
  /** A stable id makes opening the case idempotent (an outbox delivery may repeat). */
  id?: string;
}

/** What the store keeps: the fields cases are found by in clear, the rest sealed (summaries and comments may name people, P8). */
interface StoredCase {
  id: string;
  subject: string;
  queue: string;
  status: Case['status'];
  created_at: string;
  sealed: string;
}

export function newCase(c: NewCase): Case {
  const id = c.id ?? `case_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
  return { id, object: 'case', uri: `/v1/cases/${id}`, subject: c.subject, queue: c.queue, status: 'open', summary: c.summary, refs: c.refs ?? {}, tags: [], comments: [], created_at: c.at, updated_at: c.at };
}

export function caseRecord(c: Case, sealer: Sealer): StoredRecord {
  const value: StoredCase = { id: c.id, subject: c.subject, queue: c.queue, status: c.status, created_at: c.created_at, sealed: sealer.seal(c) };
  return { collection: 'cases', id: c.id, group: c.subject, value };
}

/** A new case, stored with its `case.created` webhook event. */
export function openCase(c: NewCase, sealer: Sealer): { records: StoredRecord[]; outbox: OutboxEntry[] } {
  const opened = newCase(c);
  return { records: [caseRecord(opened, sealer)], outbox: [webhookEventEntry(sealer, c.subject, 'case.created', { ...opened }, c.at)] };
}

export async function getCase(store: Store, sealer: Sealer, id: string): Promise<Case | undefined> {
  const stored = (await store.getRecord('cases', id)) as StoredCase | undefined;
  return stored && sealer.open<Case>(stored.sealed);
}

/** Cases matching the filters, newest first. */
export async function findCases(store: Store, sealer: Sealer, filter: { queue?: string; status?: string; subject?: string }): Promise<Case[]> {
  const stored = (await store.listRecords('cases', filter.subject)) as StoredCase[];
  return stored
    .filter((c) => (!filter.queue || c.queue === filter.queue) && (!filter.status || c.status === filter.status))
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1))
    .map((c) => sealer.open<Case>(c.sealed));
}
