/**
 * What a machine may ask of the world. Machines stay pure: they `emit()` these descriptions and
 * the runtime stores them in the same commit as the state change, then carries them out
 * (ARCHITECTURE.md, "The command path").
 */

export type MemberRole = 'seeker' | 'provider';
export type Channel = 'in_app' | 'email';

/** A message to one of the actor's members, by template (server/effects/templates.ts). */
export interface Notify {
  type: 'notify';
  to: MemberRole;
  template: string;
  channels: Channel[];
}

/** A durable reminder: `event` is sent back to this actor once `delay` (a configured name) has passed. */
export interface Remind {
  type: 'remind';
  key: string;
  delay: string;
  event: { type: string };
}

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
}

/** A call to a vendor (monitoring enrolment and withdrawal). */
export interface VendorCall {
  type: 'vendor';
  vendor: 'sterling';
  action: 'enroll_monitoring' | 'withdraw_monitoring';
}

/** A case in the staff queue (I12, C12). */
export interface OpenCase {
  type: 'case';
  queue: string;
  summary: string;
  refs?: Record<string, string>;
}

export type Effect = Notify | Remind | CancelReminder | Cascade | Joint | VendorCall | OpenCase;
