import { and, assign, emit, enqueueActions, setup, stateIn } from 'xstate';
import { z } from 'zod';
import { type Effect, forgetRetention, type RetentionRule, retentionReminder } from './effects.ts';
import type { ActorKind, Command, CommandEvents } from './kind.ts';

/**
 * A background-check report (Checkr's, SPEC.md B4–B5). Its screenings run at the screening
 * vendor; each vendor update is applied here, and the report's status follows its screenings:
 * `pending` while any runs, `suspended` while the candidate owes data (30 days at most), then
 * `complete` (result `clear` or `consider`) or `canceled`. Adjudication runs beside it: engaged,
 * then the pre-adverse notice and, after the waiting period, the post-adverse action.
 */

export type ScreeningType = 'ssn_trace' | 'sex_offender_search' | 'national_criminal_search' | 'county_criminal_search' | 'motor_vehicle_report';
export type ScreeningStatus = 'pending' | 'complete' | 'suspended' | 'canceled';

export interface Screening {
  id: string;
  type: ScreeningType;
  status: ScreeningStatus;
  result: 'clear' | 'consider' | null;
  created_at: string;
  completed_at: string | null;
  cancellation_reason: string | null;
  /** Type-specific fields and records, as CHECKR.md names them. */
  details: Record<string, unknown>;
}

/** What the vendor reports about one screening. */
export type ScreeningUpdate = Pick<Screening, 'type' | 'status' | 'result' | 'completed_at' | 'details'>;

export interface AdverseAction {
  id: string;
  status: 'pending' | 'complete' | 'dispute' | 'canceled';
  adverse_items: { id: string; object: 'adverse_item'; text: string }[];
  created_at: string;
  post_notice_scheduled_at: string;
  /** When the waiting period after the pre-adverse notice ends (B5). */
  post_notice_ready_at: string;
  canceled_at: string | null;
}

export interface Consent {
  name: string;
  at: string;
  disclosure_version: string;
}

/** Checkr's report ETA: when the screenings should be done, and when that was estimated. */
export interface Eta {
  estimate_generated_at: string;
  estimated_completion_time: string;
}

export interface ReportInput {
  candidate_id: string;
  package: string;
  source: 'api' | 'form' | 'continuous_check';
  tags: string[];
  screenings: Omit<Screening, 'created_at'>[];
  /** The candidate's consent on the hosted form (B2), when the report came from an invitation. */
  consent?: Consent | null;
  /** Seekers monitoring the provider, for a CBGC report (C12): they may open it. */
  members?: string[];
  eta?: Eta | null;
}

export interface ReportContext extends Omit<ReportInput, 'screenings'> {
  screenings: Screening[];
  consent: Consent | null;
  members: string[];
  eta: Eta | null;
  completed_at: string | null;
  upgraded_at: string | null;
  revised_at: string | null;
  adverse_actions: AdverseAction[];
  /** Screenings ordered at the vendor already, or that came with their results: none is ordered twice. */
  ordered: string[];
  created_at: string;
}

// Disputes are opened and settled by the integrator as commands (Checkr has no route for them).
const reportCommands = {
  DISPUTE: { by: ['integrator'], fields: z.object({}).strict() },
  SETTLE_DISPUTE: { by: ['integrator'], fields: z.object({}).strict() },
} satisfies Record<string, Command>;

type Stamp = { at: string; by?: string };
export type ReportEvent = Stamp &
  (
    | CommandEvents<typeof reportCommands>
    // Sent by the Checkr-shaped routes, the screening vendor and reminders.
    | { type: 'VENDOR_UPDATE'; screenings: ScreeningUpdate[] }
    | { type: 'COMPLETE_NOW' }
    | { type: 'SUSPENSION_ELAPSED' }
    | { type: 'CANDIDATE_SUPPLIED' }
    | { type: 'UPGRADE'; package: string; screenings: Omit<Screening, 'created_at'>[]; eta?: Eta }
    | { type: 'ENGAGE' }
    | { type: 'PRE_ADVERSE_ACTION'; adverse_action: Pick<AdverseAction, 'id' | 'adverse_items' | 'post_notice_scheduled_at' | 'post_notice_ready_at'> }
    | { type: 'POST_NOTICE_DUE' }
    | { type: 'CANCEL_ADVERSE_ACTION'; adverse_action_id: string }
    | { type: 'RETENTION_DUE'; rule: RetentionRule }
  );

const finished = (s: Screening) => s.status === 'complete' || s.status === 'canceled';

/** `consider` when any finished screening is, `clear` once the report completed, else null. */
export function reportResult(context: Pick<ReportContext, 'screenings'>, complete: boolean): 'clear' | 'consider' | null {
  if (context.screenings.some((s) => s.status === 'complete' && s.result === 'consider')) return 'consider';
  return complete ? 'clear' : null;
}

const cancelUnfinished = (screenings: Screening[], reason: string, at: string): Screening[] =>
  screenings.map((s) => (finished(s) ? s : { ...s, status: 'canceled', cancellation_reason: reason, completed_at: at }));

const UPGRADE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** Why Checkr would refuse this upgrade, in its words; undefined when it may go ahead. */
function upgradeRefusal(context: ReportContext, event: ReportEvent): string | undefined {
  if (event.type !== 'UPGRADE') return undefined;
  if (event.screenings.length === 0) return 'New package does not add any screenings';
  if (Date.parse(event.at) - Date.parse(context.created_at) > UPGRADE_WINDOW_MS) return 'Report is too old to upgrade';
  if (context.adverse_actions.some((a) => a.status === 'complete' || a.status === 'dispute'))
    return 'A report with a completed adverse action cannot be upgraded';
  return undefined;
}

const openAdverseAction = (context: ReportContext) => context.adverse_actions.find((a) => a.status === 'pending');

export const reportMachine = setup({
  types: {} as { context: ReportContext; events: ReportEvent; input: ReportInput & { created_at?: string }; emitted: Effect },
  guards: {
    allCanceled: ({ context }) => context.screenings.every((s) => s.status === 'canceled'),
    allFinished: ({ context }) => context.screenings.every(finished),
    anySuspended: ({ context }) => context.screenings.some((s) => s.status === 'suspended'),
    noneSuspended: ({ context }) => !context.screenings.some((s) => s.status === 'suspended'),
    isConsider: ({ context }) => reportResult(context, true) === 'consider' && !openAdverseAction(context),
    // CHECKR.md: an upgrade adds screenings, within 30 days of the report, and never once an adverse action completed or is disputed.
    upgradable: ({ context, event }) => upgradeRefusal(context, event) === undefined,
    resumedByVendor: ({ event }) => event.type === 'VENDOR_UPDATE',
    knownAdverseAction: ({ context, event }) => event.type === 'CANCEL_ADVERSE_ACTION' && openAdverseAction(context)?.id === event.adverse_action_id,
  },
  actions: {
    // Checkr announces progress: `report.updated` whenever an update completes a screening.
    applyVendorUpdate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'VENDOR_UPDATE') return;
      const screenings = context.screenings.map((s) => {
        const update = event.screenings.find((u) => u.type === s.type);
        // A canceled screening stays canceled whatever the vendor still reports.
        return update && s.status !== 'canceled' ? { ...s, ...update } : s;
      });
      enqueue.assign({ screenings });
      if (screenings.some((s, i) => s.status === 'complete' && context.screenings[i].status !== 'complete'))
        enqueue.emit({ type: 'webhook', event: 'report.updated' });
    }),
    cancelOnRequest: assign({ screenings: ({ context, event }) => cancelUnfinished(context.screenings, 'complete_now_customer_requested', event.at) }),
    cancelSuspended: assign({ screenings: ({ context, event }) => cancelUnfinished(context.screenings, 'candidate_information_not_provided', event.at) }),
    // A continuous check's report is complete from its creation, whose event carries no time.
    markCompleted: assign(({ context, event }) => {
      const at = (event as { at?: string }).at ?? context.created_at;
      return { completed_at: at, revised_at: context.completed_at ? at : null };
    }),
    // CHECKR.md: completing now announces the update before the completion, unless all was canceled.
    announceUpdatedIfAnyFinished: enqueueActions(({ context, enqueue }) => {
      if (context.screenings.some((s) => s.status === 'complete')) enqueue.emit({ type: 'webhook', event: 'report.updated' });
    }),
    addScreenings: assign(({ context, event }) =>
      event.type === 'UPGRADE'
        ? {
            package: event.package,
            upgraded_at: event.at,
            screenings: [...context.screenings, ...event.screenings.map((s) => ({ ...s, created_at: event.at }))],
            eta: event.eta ?? context.eta,
          }
        : {},
    ),
    // Once per screening; a continuous check's report arrives with its results and orders none.
    orderScreenings: enqueueActions(({ context, enqueue }) => {
      const fresh = context.screenings.filter((s) => s.status === 'pending' && !context.ordered.includes(s.id));
      if (fresh.length === 0) return;
      enqueue.assign({ ordered: [...context.ordered, ...fresh.map((s) => s.id)] });
      enqueue.emit({ type: 'vendor', vendor: 'sterling', action: 'order_screenings', screenings: fresh.map((s) => s.type) });
    }),
    addAdverseAction: assign({
      adverse_actions: ({ context, event }) =>
        event.type === 'PRE_ADVERSE_ACTION'
          ? [...context.adverse_actions, { ...event.adverse_action, status: 'pending' as const, created_at: event.at, canceled_at: null }]
          : context.adverse_actions,
    }),
    remindPostNotice: emit(({ context }) => ({
      type: 'remind' as const,
      key: 'post_notice',
      at: openAdverseAction(context)!.post_notice_scheduled_at,
      event: { type: 'POST_NOTICE_DUE' },
    })),
    forgetPostNotice: emit({ type: 'cancel_reminder', key: 'post_notice' }),
    completeAdverseAction: assign({
      adverse_actions: ({ context }) => context.adverse_actions.map((a) => (a.status === 'pending' ? { ...a, status: 'complete' as const } : a)),
    }),
    cancelAdverseAction: assign({
      adverse_actions: ({ context, event }) =>
        context.adverse_actions.map((a) => (a.status === 'pending' ? { ...a, status: 'canceled' as const, canceled_at: event.at } : a)),
    }),
    // The vendor reads the candidate again, with what they supplied.
    updateVendorCandidate: emit({ type: 'vendor', vendor: 'sterling', action: 'update_candidate' }),
    remindSuspension: emit({ type: 'remind', key: 'suspension', delay: 'report_suspension', event: { type: 'SUSPENSION_ELAPSED' } }),
    forgetSuspension: emit({ type: 'cancel_reminder', key: 'suspension' }),
    emailPreAdverse: emit({ type: 'notify', to: 'candidate', template: 'pre_adverse_action', channels: ['email'] }),
    emailPostAdverse: emit({ type: 'notify', to: 'candidate', template: 'post_adverse_action', channels: ['email'] }),
    escalate: emit({ type: 'escalate' }),
    announceCreated: emit({ type: 'webhook', event: 'report.created' }),
    announceCompleted: emit({ type: 'webhook', event: 'report.completed' }),
    // T4: a finished report keeps its candidate's data for the rule's period; the candidate is
    // erased when the last of its reports' periods ends (server/data-subjects/retention.ts).
    startRetention: emit(retentionReminder('candidates')),
    stopRetention: emit(forgetRetention),
    eraseCandidate: emit(({ context }) => ({ type: 'erase' as const, rule: 'candidates' as const, subject: context.candidate_id })),
    announceCanceled: emit({ type: 'webhook', event: 'report.canceled' }),
    announceSuspended: emit({ type: 'webhook', event: 'report.suspended' }),
    announceResumed: emit({ type: 'webhook', event: 'report.resumed' }),
    announceUpgraded: emit({ type: 'webhook', event: 'report.upgraded' }),
    announceDisputed: emit({ type: 'webhook', event: 'report.disputed' }),
    announceEngaged: emit({ type: 'webhook', event: 'report.engaged' }),
    announcePreAdverse: emit({ type: 'webhook', event: 'report.pre_adverse_action' }),
    announcePostAdverse: emit({ type: 'webhook', event: 'report.post_adverse_action' }),
  },
}).createMachine({
  id: 'report',
  context: ({ input }) => ({
    ...input,
    screenings: input.screenings.map((s) => ({ ...s, created_at: input.created_at ?? '' })),
    consent: input.consent ?? null,
    members: input.members ?? [],
    eta: input.eta ?? null,
    completed_at: null,
    upgraded_at: null,
    revised_at: null,
    adverse_actions: [],
    ordered: input.screenings.filter((s) => s.status !== 'pending').map((s) => s.id),
    created_at: input.created_at ?? '',
  }),
  type: 'parallel',
  entry: 'announceCreated',
  states: {
    screening: {
      initial: 'pending',
      states: {
        pending: {
          entry: 'orderScreenings',
          always: [
            { guard: 'allCanceled', target: 'canceled' },
            { guard: 'allFinished', target: 'complete' },
            { guard: 'anySuspended', target: 'suspended' },
          ],
          on: {
            VENDOR_UPDATE: { actions: 'applyVendorUpdate' },
            COMPLETE_NOW: { actions: ['cancelOnRequest', 'announceUpdatedIfAnyFinished'] },
          },
        },
        suspended: {
          entry: ['announceSuspended', 'remindSuspension'],
          exit: 'forgetSuspension',
          always: [
            { guard: 'allCanceled', target: 'canceled' },
            // The vendor resumed and finished at once: the report still resumed before it completed.
            { guard: and(['allFinished', 'resumedByVendor']), target: 'complete', actions: 'announceResumed' },
            { guard: 'allFinished', target: 'complete' },
            { guard: 'noneSuspended', target: 'pending', actions: 'announceResumed' },
          ],
          on: {
            VENDOR_UPDATE: { actions: 'applyVendorUpdate' },
            COMPLETE_NOW: { actions: ['cancelOnRequest', 'announceUpdatedIfAnyFinished'] },
            SUSPENSION_ELAPSED: { actions: 'cancelSuspended' },
            // The candidate gave what the screening needs on their status page (B5).
            CANDIDATE_SUPPLIED: { actions: 'updateVendorCandidate' },
          },
        },
        complete: {
          entry: ['markCompleted', 'announceCompleted', 'escalate', 'startRetention'],
          exit: 'stopRetention',
          on: {
            UPGRADE: { guard: 'upgradable', target: 'pending', actions: ['addScreenings', 'announceUpgraded'] },
            DISPUTE: { target: 'dispute' },
            RETENTION_DUE: { actions: 'eraseCandidate' },
          },
        },
        dispute: {
          entry: 'announceDisputed',
          // A settled dispute completes the report again, which resends `report.completed`.
          on: { SETTLE_DISPUTE: { target: 'complete' } },
        },
        canceled: { entry: ['announceCanceled', 'startRetention'], on: { RETENTION_DUE: { actions: 'eraseCandidate' } } },
      },
    },
    adjudication: {
      initial: 'none',
      states: {
        none: {
          on: {
            ENGAGE: { guard: stateIn({ screening: 'complete' }), target: 'engaged' },
            PRE_ADVERSE_ACTION: { guard: and([stateIn({ screening: 'complete' }), 'isConsider']), target: 'pre_adverse_action' },
          },
        },
        engaged: {
          entry: 'announceEngaged',
          on: { PRE_ADVERSE_ACTION: { guard: and([stateIn({ screening: 'complete' }), 'isConsider']), target: 'pre_adverse_action' } },
        },
        pre_adverse_action: {
          entry: ['addAdverseAction', 'emailPreAdverse', 'remindPostNotice', 'announcePreAdverse'],
          on: {
            POST_NOTICE_DUE: { target: 'post_adverse_action', actions: 'completeAdverseAction' },
            CANCEL_ADVERSE_ACTION: { guard: 'knownAdverseAction', target: 'none', actions: ['cancelAdverseAction', 'forgetPostNotice'] },
          },
        },
        post_adverse_action: { entry: ['emailPostAdverse', 'announcePostAdverse'] },
      },
    },
  },
});

type ReportValue = { screening: string; adjudication: string };

/** The report's Checkr status: its screening state. */
export function reportStatus(value: ReportValue): string {
  return value.screening;
}

export function adjudicationOf(value: ReportValue): string | null {
  return value.adjudication === 'none' ? null : value.adjudication;
}

export const report: ActorKind<typeof reportMachine> = {
  kind: 'report',
  prefix: 'rpt_',
  machine: reportMachine,
  version: 2,
  migrations: {
    // Version 2 keeps the ETA and when an adverse action's waiting period ends: for reports from
    // before, the estimate is when they completed (or began), and the wait ended at the scheduled notice.
    1: (persisted) => {
      const c = persisted.context as Omit<ReportContext, 'eta'> & { eta?: Eta | null };
      const estimate = c.completed_at ?? c.created_at;
      return {
        ...persisted,
        context: {
          ...c,
          eta: c.eta ?? { estimate_generated_at: c.created_at, estimated_completion_time: estimate },
          adverse_actions: c.adverse_actions.map((a) => ({ ...a, post_notice_ready_at: a.post_notice_ready_at ?? a.post_notice_scheduled_at })),
        },
      };
    },
  },
  status: (snapshot) => reportStatus(snapshot.value as ReportValue),
  members: (context: ReportContext) => context.members,
  view: (snapshot) => {
    const c = snapshot.context as ReportContext;
    const status = reportStatus(snapshot.value as ReportValue);
    return {
      candidate_id: c.candidate_id,
      package: c.package,
      source: c.source,
      result: reportResult(c, status === 'complete'),
      adjudication: adjudicationOf(snapshot.value as ReportValue),
      completed_at: c.completed_at,
      post_notice_scheduled_at: c.adverse_actions.at(-1)?.post_notice_scheduled_at ?? null,
      screenings: c.screenings.map(({ details, ...s }) => ({ ...s, records: (details.records as unknown[] | undefined) ?? [] })),
    };
  },
  refusal: (snapshot, event) => {
    const context = snapshot.context as ReportContext;
    if (event.type === 'UPGRADE' && snapshot.matches({ screening: 'complete' })) {
      const message = upgradeRefusal(context, event as ReportEvent);
      return message && { code: 'invalid_request', message };
    }
    if (event.type !== 'PRE_ADVERSE_ACTION') return undefined;
    if (!snapshot.matches({ screening: 'complete' }) || reportResult(context, true) !== 'consider') return 'report_not_consider';
    if (context.adverse_actions.some((a) => a.status !== 'canceled')) return 'adverse_action_exists';
    return undefined;
  },
  commands: reportCommands,
};
