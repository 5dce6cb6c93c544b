/**
 * What a machine may ask of the world. Machines stay pure: they `emit()` these descriptions and
 * the runtime stores them in the same commit as the state change, then carries them out
 * (ARCHITECTURE.md, "The command path").
 */

export type MemberRole = 'seeker' | 'provider';
export type Channel = 'in_app' | 'email';

/** A message to one of the actor's members (or a check's candidate), by template (server/effects/templates.ts). */
export interface Notify {
  type: 'notify';
  to: MemberRole | 'candidate';
  template: string;
  channels: Channel[];
}

/**
 * A durable reminder: `event` is sent back to this actor once `delay` (a configured name) has
 * passed, or at the time `at` the machine already knows (an invitation's `expires_at`).
 */
export type Remind = { type: 'remind'; key: string; event: { type: string; [field: string]: unknown } } & ({ delay: string } | { at: string });

export interface CancelReminder {
  type: 'cancel_reminder';
  key: string;
}

/** An event sent later, through the outbox, to every link of the given member. */
export interface Cascade {
  type: 'cascade';
  links_of: MemberRole;
  event: { type: string; [field: string]: unknown };
}

/**
 * An event for the link's seeker or provider applied in the same commit; if they refuse it, the
 * whole command is refused (how the 3-link limit stays exact under concurrency, C6).
 */
export interface Joint {
  type: 'joint';
  to: MemberRole;
  event: { type: string; [field: string]: unknown };
  /** Only asks whether the member would accept the event now, under its mailbox; nothing is applied. */
  check?: true;
}

/**
 * A call to a vendor: monitoring enrolment and withdrawal (links), ordering screenings (reports),
 * Prove and Veriff steps (seekers). The answer comes back as an event naming the `attempt`.
 */
export type VendorCall = {
  type: 'vendor';
} /** `monitoring` names the enrolment when an actor has several (a candidate's continuous checks); else the actor's own. */ & (
  | { vendor: 'sterling'; action: 'enroll_monitoring' | 'withdraw_monitoring'; monitoring?: string }
  | { vendor: 'sterling'; action: 'order_screenings'; screenings: string[] }
  | { vendor: 'sterling'; action: 'update_candidate' }
  | { vendor: 'prove'; action: 'start'; attempt: number }
  | { vendor: 'prove'; action: 'check_code'; attempt: number; code: string }
  | { vendor: 'veriff'; action: 'create_session'; attempt: number }
);

/** I7: the seeker's identity (email, phones, legal name with date of birth) may not sign up again. */
export interface Blocklist {
  type: 'blocklist';
}

/** A case in the staff queue (I12, C12). */
export interface OpenCase {
  type: 'case';
  queue: string;
  summary: string;
  refs?: Record<string, string>;
  /** A first comment, by whoever sent the event (its hashtags tag the case). */
  comment?: string;
}

/** A refund through the billing system (I13). */
export interface Refund {
  type: 'refund';
  reason: string;
}

/** The integrator's escalation rules (B7) are checked against this report; a match opens a case. */
export interface Escalate {
  type: 'escalate';
}

/** A report to create once, with this id: a completed invitation orders its report (B2). */
export interface OrderReport {
  type: 'order_report';
  report_id: string;
  candidate_id: string;
  package: string;
  tags: string[];
  consent: { name: string; at: string; disclosure_version: string };
}

/** An event for the integrator's webhook subscriptions: Checkr's types (`report.completed`) and ours. */
export interface Webhook {
  type: 'webhook';
  event: string;
}

/** Retention rules (T4): how long a subject's data is kept once its clock started, configured by name (RETENTION). */
export const RETENTION_RULES = ['closed_members', 'failed_idv', 'candidates'] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

/** The durable reminder that ends a subject's retention period: one per actor, replaced when its rule changes. */
export const retentionReminder = (rule: RetentionRule): Remind => ({
  type: 'remind',
  key: 'retention',
  delay: `retention_${rule}`,
  event: { type: 'RETENTION_DUE', rule },
});
export const forgetRetention: CancelReminder = { type: 'cancel_reminder', key: 'retention' };

/**
 * A subject's retention period ended: erase it (crypto-shredding, as `POST …/erase`). `subject`
 * names it when it is not the actor itself (a report's candidate).
 */
export interface Erase {
  type: 'erase';
  rule: RetentionRule;
  subject?: string;
}

export type Effect = Notify | Remind | CancelReminder | Cascade | Joint | VendorCall | OpenCase | Webhook | OrderReport | Escalate | Blocklist | Refund | Erase;
