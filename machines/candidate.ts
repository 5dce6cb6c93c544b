import { assertEvent, assign, emit, setup } from 'xstate';
import { type Effect, forgetRetention, type RetentionRule, retentionReminder } from './effects.ts';
import type { ActorKind } from './kind.ts';

/**
 * A background-check candidate (Checkr's candidate, SPEC.md B1): the person checked. It holds
 * their personal data (sealed at rest with every snapshot), the reports run for them, and their
 * continuous-check enrolments (B8).
 */

/** The fields a client may set, as CHECKR.md names them. */
export const CANDIDATE_FIELDS = [
  'first_name',
  'middle_name',
  'no_middle_name',
  'last_name',
  'mother_maiden_name',
  'email',
  'phone',
  'zipcode',
  'dob',
  'ssn',
  'driver_license_number',
  'driver_license_state',
  'previous_driver_license_number',
  'previous_driver_license_state',
  'copy_requested',
  'custom_id',
  'geo_ids',
  'metadata',
] as const;

/** Once a report exists, only empty fields change, plus these (CHECKR.md "Candidates"). */
const ALWAYS_UPDATABLE = new Set([
  'email',
  'phone',
  'previous_driver_license_number',
  'previous_driver_license_state',
  'copy_requested',
  'custom_id',
  'geo_ids',
]);

export type CandidateFields = Partial<Record<(typeof CANDIDATE_FIELDS)[number], any>>;

export interface ContinuousCheck {
  id: string;
  type: 'criminal' | 'mvr';
  node: string | null;
  work_locations: unknown[];
  created_at: string;
}

export interface CandidateContext extends CandidateFields {
  email: string;
  report_ids: string[];
  continuous_checks: ContinuousCheck[];
  /** A provider monitored for CBGC links is checked as a candidate too (C12). */
  provider_id: string | null;
}

type Stamp = { at: string; by?: string };
export type CandidateEvent = Stamp &
  (
    | { type: 'UPDATE'; changes: CandidateFields }
    | { type: 'REPORT_ADDED'; report_id: string }
    | { type: 'ENROLL_CONTINUOUS'; check: Omit<ContinuousCheck, 'created_at'> }
    | { type: 'CANCEL_CONTINUOUS'; check_id: string }
    | { type: 'RETENTION_DUE'; rule: RetentionRule }
  );

/** Field values are JSON (text, flags, lists, metadata): the same value is the same JSON. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `changes` that may not change on this candidate, for the API's 400. A value sent back unchanged is no change. */
export function lockedFields(context: CandidateContext, changes: CandidateFields): string[] {
  if (context.report_ids.length === 0) return [];
  return Object.keys(changes).filter(
    (field) =>
      !ALWAYS_UPDATABLE.has(field) &&
      context[field as keyof CandidateFields] != null &&
      !same(context[field as keyof CandidateFields], changes[field as keyof CandidateFields]),
  );
}

export const candidateMachine = setup({
  types: {} as { context: CandidateContext; events: CandidateEvent; input: CandidateFields & { email: string; provider_id?: string }; emitted: Effect },
  guards: {
    enrolled: ({ context, event }) => event.type === 'CANCEL_CONTINUOUS' && context.continuous_checks.some((c) => c.id === event.check_id),
    // The last continuous check ends: the candidate is no longer in use from now on.
    lastCheck: ({ context, event }) =>
      event.type === 'CANCEL_CONTINUOUS' && context.continuous_checks.length === 1 && context.continuous_checks[0].id === event.check_id,
    notEnrolled: ({ context, event }) => event.type === 'ENROLL_CONTINUOUS' && !context.continuous_checks.some((c) => c.id === event.check.id),
  },
  actions: {
    applyChanges: assign(({ event }) => (event.type === 'UPDATE' ? event.changes : {})),
    addReport: assign({
      report_ids: ({ context, event }) =>
        event.type === 'REPORT_ADDED' && !context.report_ids.includes(event.report_id) ? [...context.report_ids, event.report_id] : context.report_ids,
    }),
    enroll: assign({
      continuous_checks: ({ context, event }) =>
        event.type === 'ENROLL_CONTINUOUS' ? [...context.continuous_checks, { ...event.check, created_at: event.at }] : context.continuous_checks,
    }),
    unenroll: assign({
      continuous_checks: ({ context, event }) => context.continuous_checks.filter((c) => event.type !== 'CANCEL_CONTINUOUS' || c.id !== event.check_id),
    }),
    // B8: the vendor watches for new records while the check is enrolled.
    startMonitoring: emit(({ event }) => {
      assertEvent(event, 'ENROLL_CONTINUOUS');
      return { type: 'vendor' as const, vendor: 'sterling' as const, action: 'enroll_monitoring' as const, monitoring: event.check.id };
    }),
    stopMonitoring: emit(({ event }) => {
      assertEvent(event, 'CANCEL_CONTINUOUS');
      return { type: 'vendor' as const, vendor: 'sterling' as const, action: 'withdraw_monitoring' as const, monitoring: event.check_id };
    }),
    // T4: a candidate is kept for the rule's period from its creation, or from the end of its last
    // continuous check; once a report exists, the reports' completions start the clock too
    // (machines/report.ts). When due, the runtime erases only once every report finished that long
    // ago and no continuous check runs (server/data-subjects/retention.ts).
    startRetention: emit(retentionReminder('candidates')),
    stopRetention: emit(forgetRetention),
    eraseForRetention: emit({ type: 'erase', rule: 'candidates' }),
    announceCreated: emit({ type: 'webhook', event: 'candidate.created' }),
    announceUpdated: emit({ type: 'webhook', event: 'candidate.updated' }),
  },
}).createMachine({
  id: 'candidate',
  context: ({ input }) => ({ ...input, report_ids: [], continuous_checks: [], provider_id: input.provider_id ?? null }),
  initial: 'active',
  states: {
    active: {
      entry: ['announceCreated', 'startRetention'],
      on: {
        UPDATE: { actions: ['applyChanges', 'announceUpdated'] },
        REPORT_ADDED: { actions: ['addReport', 'stopRetention'] },
        RETENTION_DUE: { actions: 'eraseForRetention' },
        ENROLL_CONTINUOUS: { guard: 'notEnrolled', actions: ['enroll', 'startMonitoring'] },
        CANCEL_CONTINUOUS: [
          { guard: 'lastCheck', actions: ['unenroll', 'stopMonitoring', 'startRetention'] },
          { guard: 'enrolled', actions: ['unenroll', 'stopMonitoring'] },
        ],
      },
    },
  },
});

export const candidate: ActorKind<typeof candidateMachine> = {
  kind: 'candidate',
  prefix: 'cand_',
  machine: candidateMachine,
  version: 1,
  status: () => 'active',
  // Candidates are the integrator's: no member sees them, except through a CBGC report.
  members: () => [],
  view: (snapshot) => {
    const c = snapshot.context as CandidateContext;
    return { email: c.email, first_name: c.first_name ?? null, last_name: c.last_name ?? null, report_ids: c.report_ids, provider_id: c.provider_id };
  },
  // Changes go through the Checkr-shaped routes (server/checks), which validate each field.
  commands: {},
};
