/**
 * The wire types the dashboards and the server share: what the API and the socket send. The
 * client imports these and nothing else of the server.
 */

/** The actor view of API.md: the same shape over REST and the socket. */
export interface ActorView {
  id: string;
  kind: string;
  status: string;
  state: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  data: Record<string, unknown>;
  can: string[];
}

/** Who caused a change: a role, and for people their id (and whom an integrator acted for). */
export interface By {
  role: string;
  subject?: string;
  on_behalf_of?: string;
}

/** One entry of an actor's audit history (P3). */
export interface HistoryEntry {
  actor: string;
  /** Equal to the version the change produced; history is ordered by it. */
  seq: number;
  at: string;
  event: { type: string };
  by: By;
  /** Status before the change; null for the entry that created the actor. */
  from: string | null;
  to: string;
  version: number;
  /** The `hash` of the actor's previous entry (64 zeros for the first): the audit chain (README "Audit chain"). */
  prev_hash?: string;
  /** sha256 (hex) of this entry's canonical encoding, `hash` left out. Absent on entries stored before chaining. */
  hash?: string;
}

/** A case in a staff queue (API.md "Staff"): opened automatically (I12, C12, B7, I13) or by a reviewer. */
export interface Case {
  id: string;
  object: 'case';
  uri: string;
  subject: string;
  queue: string;
  status: 'open' | 'resolved';
  summary: string;
  /** Ids the case is about besides its subject: the report, the link. */
  refs: Record<string, string>;
  /** The hashtags of its comments, without `#`, each once. */
  tags: string[];
  comments: CaseComment[];
  assignee: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

export interface CaseComment {
  id: string;
  text: string;
  by: By;
  at: string;
}

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

/** The notification resource of `GET /v1/notifications` and the socket's `notification` event. */
export interface NotificationView {
  id: string;
  object: 'notification';
  recipient: string | undefined;
  channel: 'in_app' | 'email';
  template: string;
  subject: string;
  text: string;
  actor: string;
  created_at: string;
  delivered_at: string | null;
}

/** An outbox entry that ran out of attempts, for staff to see and retry (operations board). */
export interface DeadLetter {
  id: string;
  object: 'dead_letter';
  kind: string;
  actor: string;
  attempts: number;
  last_error: string;
  dead_at: string;
}

/** One retention rule as the operations board shows it (`GET /v1/retention`, T4). */
export interface RetentionRuleStatus {
  rule: 'closed_members' | 'failed_idv' | 'candidates';
  /** The configured period; null: the rule is not configured and erases nothing. */
  period_ms: number | null;
  /** Subjects whose erasure is scheduled by this rule. */
  scheduled: number;
  due_within_30_days: number;
  /** The first scheduled erasure; in the past, erasures are late. */
  next_due_at: string | null;
}

/** A provider's background check on their directory profile: its status, never its records (API.md "Added in wave 2"). */
export interface BackgroundCheck {
  status: string;
  result: 'clear' | 'consider' | null;
  completed_at: string | null;
}

/** An escalation rule (B7) as `/v1/escalation_rules` shows it; an unset match field is null. */
export interface EscalationRuleView {
  id: string;
  object: 'escalation_rule';
  package: string | null;
  result: 'clear' | 'consider' | null;
  source: 'api' | 'form' | 'continuous_check' | null;
  queue: string;
  created_at: string;
  created_by: By;
  deleted_at?: string;
  deleted_by?: By;
}
