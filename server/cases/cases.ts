import type { By, Case } from '../../contract/index.ts';
import { newId } from '../runtime/ids.ts';
import { outboxEntry } from '../runtime/outbox-entry.ts';
import { Sealer } from '../runtime/seal.ts';
import type { OutboxEntry, Store, StoredRecord } from '../store/store.ts';
import { webhookEventEntry } from '../webhooks/event.ts';

export type { Case } from '../../contract/index.ts';

/** What the external CRM receives for every case change (README "Cases"). */
export interface CrmMessage {
  type: 'case.created' | 'case.updated';
  case: Case;
}

/** The outbox kind that forwards case changes to the CRM (cases/module.ts delivers it). */
export const CRM_CASE = { kind: 'crm_case' };

export interface NewCase {
  subject: string;
  queue: string;
  summary: string;
  refs?: Record<string, string>;
  comment?: { text: string; by: By };
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

const hashtags = (text: string) => [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]);

export function withComment(c: Case, text: string, by: By, at: string): Case {
  const comment = { id: newId('cmt_', 16), text, by, at };
  return { ...c, comments: [...c.comments, comment], tags: [...new Set([...c.tags, ...hashtags(text)])], updated_at: at };
}

export function newCase(c: NewCase): Case {
  const id = c.id ?? newId('case_', 20);
  const opened: Case = {
    id,
    object: 'case',
    uri: `/v1/cases/${id}`,
    subject: c.subject,
    queue: c.queue,
    status: 'open',
    summary: c.summary,
    refs: c.refs ?? {},
    tags: hashtags(c.summary),
    comments: [],
    assignee: null,
    created_at: c.at,
    updated_at: c.at,
    resolved_at: null,
  };
  return c.comment ? withComment(opened, c.comment.text, c.comment.by, c.at) : opened;
}

/**
 * A case as stored, with what announces the change: the `case.created` webhook event for a new
 * case, and the forwarding to the external CRM (a no-op unless one is configured).
 */
export function caseCommit(c: Case, sealer: Sealer, created: boolean): { records: StoredRecord[]; outbox: OutboxEntry[] } {
  const value: StoredCase = { id: c.id, subject: c.subject, queue: c.queue, status: c.status, created_at: c.created_at, sealed: sealer.seal(c, c.subject) };
  const forward = outboxEntry<CrmMessage>(sealer, CRM_CASE, {
    actor: c.id,
    payload: { type: created ? 'case.created' : 'case.updated', case: c },
    at: c.updated_at,
  });
  return {
    records: [{ collection: 'cases', id: c.id, group: c.subject, value }],
    outbox: [...(created ? [webhookEventEntry(sealer, c.subject, 'case.created', { ...c }, c.created_at)] : []), forward],
  };
}

export function openCase(c: NewCase, sealer: Sealer) {
  return caseCommit(newCase(c), sealer, true);
}

/** The case a stored record holds (a commit's record, as the store listeners see it). */
export const caseOf = (value: unknown, sealer: Sealer): Promise<Case> => sealer.read<Case>((value as StoredCase).sealed);

export async function getCase(store: Store, sealer: Sealer, id: string): Promise<Case | undefined> {
  const stored = await store.getRecord('cases', id);
  return stored === undefined ? undefined : await caseOf(stored, sealer);
}

/** Cases matching the filters, newest first. */
export async function findCases(store: Store, sealer: Sealer, filter: { queue?: string; status?: string; subject?: string }): Promise<Case[]> {
  const stored = ((await store.listRecords('cases', filter.subject)) as StoredCase[]).filter(
    (c) => (!filter.queue || c.queue === filter.queue) && (!filter.status || c.status === filter.status),
  );
  await Promise.all(stored.map((c) => sealer.load(Sealer.subjectOf(c.sealed))));
  return (
    stored
      // An erased subject's cases cannot be opened any more (issue 16): they leave the queues.
      .filter((c) => !sealer.erasedSubjectOf(c.sealed))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1))
      .map((c) => sealer.open<Case>(c.sealed))
  );
}
