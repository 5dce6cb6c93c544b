import { type CandidateEvent, type ContinuousCheck, candidate, candidateMachine } from '../../machines/candidate.ts';
import type { Effect } from '../../machines/effects.ts';
import { type InvitationEvent, type InvitationInput, invitation, invitationMachine } from '../../machines/invitation.ts';
import { type Consent, type ReportEvent, type ReportInput, report, reportMachine, type ScreeningStatus, type ScreeningUpdate } from '../../machines/report.ts';
import { invitationResource } from '../../server/checks/resources.ts';
import { accept, type Harness, modelTests, type Outcome, refuse } from './harness.ts';

/**
 * Model-based tests of the three background-check machines (SPEC.md B1–B8, CHECKR.md
 * "Invitations", "Reports", "Adverse actions", "Continuous checks") in isolation, with the
 * harness of harness.ts: for each machine a small specification of its rules, written from the
 * documents and not from the machine, is explored breadth-first from every way the actor is
 * created, and from every state it reaches every event (with each payload that matters) is
 * applied to the real machine with XState's pure `transition()`. The machine must accept exactly
 * what the specification accepts and, when it does, emit the same effects (notifications,
 * reminders, vendor calls, webhook events, escalations, report orders, erasures on time: T4) and
 * read the same through its kind's `status()` and `view()`. Coverage of states and transitions
 * (eventless ones when taken) is computed from the machine definition. The runtime and REST
 * around these machines are covered by test/checks/*.test.ts.
 */

const AT = '2025-03-03T18:00:00.000Z';
const CREATED = '2025-03-01T09:00:00.000Z';

const webhook = (event: string): Effect => ({ type: 'webhook', event });
const remindAt = (key: string, at: string, event: string): Effect => ({ type: 'remind', key, at, event: { type: event } });
const remindAfter = (key: string, delay: string, event: string): Effect => ({ type: 'remind', key, delay, event: { type: event } });
const forget = (key: string): Effect => ({ type: 'cancel_reminder', key });
const email = (template: string): Effect => ({ type: 'notify', to: 'candidate', template, channels: ['email'] });
/** T4: the durable reminder that ends a candidate's retention period (the `candidates` rule). */
const retainCandidate: Effect = { type: 'remind', key: 'retention', delay: 'retention_candidates', event: { type: 'RETENTION_DUE', rule: 'candidates' } };
const forgetRetention = forget('retention');
const strip = ({ at: _at, by: _by, ...e }: { type: string; at?: string; by?: string; [field: string]: unknown }) => e;

// =============================================================================================
// Invitations (B1–B3, CHECKR.md "Invitations")

/** The specification's invitation: where it is, and the report it ordered. */
interface InvitationModel {
  state: 'pending' | 'completed' | 'expired' | 'deleted';
  report_id: string | null;
}

const EXPIRES_AT = '2025-03-09T07:59:59.000Z'; // 7 days on, 23:59:59 Pacific
const CONSENT: Consent = { name: 'Casey Candidate', at: AT, disclosure_version: 'fcra-2024-01' };
const INVITATION_INPUT: InvitationInput = {
  candidate_id: 'cand_1',
  package: 'driver_pro',
  tags: ['warehouse'],
  invitation_url: 'https://trustwire.test/apply/inv_1?t=token',
  expires_at: EXPIRES_AT,
};

const IR = {
  complete: 'B2: the completed form completes the invitation and orders its report, once',
  remind: 'CHECKR: a pending invitation reminds the candidate every 24 h',
  expire: 'B3: an invitation expires at its expires_at',
  remove: 'CHECKR: a deleted invitation gains deleted_at and keeps reading pending',
  completeOnce: 'B2: only a pending invitation is completed (the report is ordered once)',
  remindOnlyPending: 'CHECKR: reminders stop once the invitation is no longer pending',
  expireOnlyPending: 'B3: only a pending invitation expires',
  deleteOnlyPending: 'CHECKR: only a pending invitation is deleted',
} as const;

/** Leaving `pending` ends its reminders: the daily one and the expiry. */
const leavePending = [forget('reminder'), forget('expiry')];

function invitationSpec(m: InvitationModel, e: InvitationEvent): Outcome<InvitationModel> {
  const pending = m.state === 'pending';
  switch (e.type) {
    case 'COMPLETE':
      if (!pending) return refuse(IR.completeOnce);
      return accept(IR.complete, { state: 'completed', report_id: e.report_id }, [
        ...leavePending,
        { type: 'order_report', report_id: e.report_id, candidate_id: 'cand_1', package: 'driver_pro', tags: ['warehouse'], consent: CONSENT },
        webhook('invitation.completed'),
      ]);
    case 'REMIND_CANDIDATE':
      if (!pending) return refuse(IR.remindOnlyPending);
      return accept(IR.remind, m, [email('invitation_reminder'), remindAfter('reminder', 'invitation_reminder', 'REMIND_CANDIDATE')]);
    case 'EXPIRE':
      if (!pending) return refuse(IR.expireOnlyPending);
      return accept(IR.expire, { ...m, state: 'expired' }, [...leavePending, webhook('invitation.expired')]);
    case 'DELETE':
      if (!pending) return refuse(IR.deleteOnlyPending);
      return accept(IR.remove, { ...m, state: 'deleted' }, [...leavePending, webhook('invitation.deleted')]);
  }
}

const invitationHarness: Harness<InvitationModel, InvitationEvent> = {
  name: 'invitation',
  machine: invitationMachine,
  starts: [
    {
      label: 'created',
      input: INVITATION_INPUT,
      model: { state: 'pending', report_id: null },
      // B1: the candidate is emailed the link; the daily reminder and the expiry are durable reminders (B3, P6).
      effects: [
        webhook('invitation.created'),
        email('invitation'),
        remindAfter('reminder', 'invitation_reminder', 'REMIND_CANDIDATE'),
        remindAt('expiry', EXPIRES_AT, 'EXPIRE'),
      ],
    },
  ],
  events: () => [
    { type: 'COMPLETE', report_id: 'rpt_1', signature: CONSENT, at: AT },
    { type: 'COMPLETE', report_id: 'rpt_2', signature: CONSENT, at: AT },
    { type: 'REMIND_CANDIDATE', at: AT },
    { type: 'EXPIRE', at: AT },
    { type: 'DELETE', at: AT },
  ],
  spec: invitationSpec,
  key: (m) => JSON.stringify(m),
  actual: (s) => {
    const resource = invitationResource({ actor: { id: 'inv_1', created_at: CREATED }, snapshot: s } as never);
    return {
      status: invitation.status(s),
      checkr_status: resource.status,
      ...invitation.view(s, 'integrator'),
      completed_at: resource.completed_at,
      deleted_at: resource.deleted_at,
    };
  },
  expected: (m) => ({
    status: m.state,
    // CHECKR.md: `pending | completed | expired`, no cancelled status: a deleted one reads pending.
    checkr_status: m.state === 'deleted' ? 'pending' : m.state,
    candidate_id: 'cand_1',
    package: 'driver_pro',
    invitation_url: INVITATION_INPUT.invitation_url,
    expires_at: EXPIRES_AT,
    report_id: m.report_id,
    completed_at: m.state === 'completed' ? AT : null,
    deleted_at: m.state === 'deleted' ? AT : null,
  }),
  describe: (e) => (e.type === 'COMPLETE' ? `COMPLETE(${e.report_id})` : e.type),
  // B2: along any path, the report is ordered once.
  along: (trail, effects) => {
    const orders = effects.filter((f) => f.type === 'order_report').map((f) => `ordered ${(f as { report_id: string }).report_id}`);
    return { problems: orders.length > 0 && orders.length + trail.length > 1 ? ['a second report ordered'] : [], marks: orders };
  },
};

// =============================================================================================
// Reports (B4–B7, CHECKR.md "Reports", "Adverse actions", "Webhooks")

type Kind = 'ssn_trace' | 'county_criminal_search' | 'motor_vehicle_report';

interface ScreeningModel {
  type: Kind;
  status: ScreeningStatus;
  result: 'clear' | 'consider' | null;
  completed_at: string | null;
  cancellation_reason: string | null;
  records: unknown[];
  created_at: string;
}

interface AdverseModel {
  id: string;
  status: 'pending' | 'complete' | 'canceled';
  post_notice_scheduled_at: string;
}

/** The specification's report: its screenings, whether it is disputed, and its adjudication. */
interface ReportModel {
  source: ReportInput['source'];
  package: string;
  screenings: ScreeningModel[];
  disputed: boolean;
  /** When the report last completed (`completed_at`), null before. */
  completed_at: string | null;
  adjudication: 'none' | 'engaged' | 'pre_adverse_action' | 'post_adverse_action';
  adverse_actions: AdverseModel[];
}

type ReportStatus = 'pending' | 'suspended' | 'complete' | 'dispute' | 'canceled';

const SCREENING_ID: Record<Kind, string> = { ssn_trace: 'ssn_1', county_criminal_search: 'ccs_1', motor_vehicle_report: 'mvr_1' };
const RECORD = { id: 'rec_1', case_number: 'CR-2019-0042', charges: [{ id: 'chg_1', charge: 'Theft', classification: 'Misdemeanor', disposition: 'Guilty' }] };
/** Post notices are scheduled 7 days on by default (CHECKR.md); the second one at a given time. */
const POST_NOTICE_AT = ['2025-03-10T18:00:00.000Z', '2025-03-14T12:00:00.000Z'];
const MAX_ADVERSE_ACTIONS = POST_NOTICE_AT.length; // bounds the walk: a third adverse action adds no rule
const finished = (s: { status: ScreeningStatus }) => s.status === 'complete' || s.status === 'canceled';

/** B5 and CHECKR.md: the report's status from its screenings. */
function reportStatusOf(m: ReportModel): ReportStatus {
  if (m.disputed) return 'dispute';
  if (m.screenings.every((s) => s.status === 'canceled')) return 'canceled';
  if (m.screenings.every(finished)) return 'complete';
  if (m.screenings.some((s) => s.status === 'suspended')) return 'suspended';
  return 'pending';
}

/** `consider` if any complete screening is; `clear` once complete; null before. */
function resultOf(m: ReportModel): 'clear' | 'consider' | null {
  if (m.screenings.some((s) => s.status === 'complete' && s.result === 'consider')) return 'consider';
  return reportStatusOf(m) === 'complete' ? 'clear' : null;
}

type Variant = 'clear' | 'consider' | 'suspended' | 'canceled' | 'pending';

/** What the screening vendor reports; SSN traces only point to records: their result is always null. */
function update(type: Kind, variant: Variant): ScreeningUpdate {
  switch (variant) {
    case 'clear':
      return { type, status: 'complete', result: type === 'ssn_trace' ? null : 'clear', completed_at: AT, details: { records: [] } };
    case 'consider':
      return { type, status: 'complete', result: 'consider', completed_at: AT, details: { records: [RECORD] } };
    case 'suspended':
      return { type, status: 'suspended', result: null, completed_at: null, details: { suspension_reason: 'candidate_information_required' } };
    case 'canceled':
      return { type, status: 'canceled', result: null, completed_at: AT, details: {} };
    case 'pending':
      return { type, status: 'pending', result: null, completed_at: null, details: {} };
  }
}

const RR = {
  vendorWhileFinished: 'B4: a finished report (complete, dispute, canceled) takes no vendor update',
  canceledStays: 'a canceled screening stays canceled whatever the vendor still reports',
  unchanged: 'B5: a vendor update that leaves the report where it was',
  suspends: 'B5: a report with a suspended screening is suspended',
  resumes: 'B5: a suspended report resumes when nothing is suspended (and orders nothing again)',
  completes: 'CHECKR: a report is complete once every screening finished, some not canceled',
  cancels: 'CHECKR: a report is canceled when every screening is canceled',
  completeNow: 'CHECKR: complete now cancels what runs; report.updated then report.completed',
  completeNowCancels: 'CHECKR: complete now with nothing finished cancels the report (report.canceled)',
  completeNowWhileRunning: 'CHECKR: only a running report is completed now',
  elapsedCompletes: 'B5: a suspension that elapses completes the report with canceled screenings',
  elapsedCancels: 'B5: a suspension that elapses with nothing finished cancels the report',
  elapsedOnlySuspended: 'B5: a suspension elapses only while the report is suspended',
  supplied: 'B5: what the candidate supplies goes to the vendor',
  suppliedOnlySuspended: 'B5: the candidate supplies something only while the report is suspended',
  upgrade: 'CHECKR: an upgrade adds screenings and orders only those (report.upgraded)',
  upgradeOnlyComplete: 'CHECKR: only a complete report is upgraded',
  upgradeNotAfterAdverse: 'CHECKR: no upgrade while an adverse action is complete',
  dispute: 'B5: a complete report may be disputed (report.disputed)',
  disputeOnlyComplete: 'B5: only a complete report is disputed',
  settle: 'CHECKR: a settled dispute completes the report again and resends report.completed',
  settleOnlyDispute: 'only a disputed report is settled',
  engage: 'B5: a complete report is engaged (report.engaged)',
  engageOnlyComplete: 'B5: only a complete, unadjudicated report is engaged',
  preAdverse: 'CHECKR: a pre-adverse action emails the candidate and sets the post notice reminder at its scheduled time',
  preAdverseOnlyComplete: 'CHECKR: adverse action only on a complete report',
  preAdverseOnlyConsider: 'CHECKR: adverse action only on a consider report',
  preAdverseOnce: 'CHECKR: no adverse action beside an uncanceled one',
  postNotice: 'B5: after the waiting period the post-adverse action follows',
  postNoticeOnlyPre: 'B5: a post notice is due only while a pre-adverse action is open',
  cancelAdverse: 'CHECKR: canceling the open adverse action forgets its post notice',
  cancelAdverseById: 'CHECKR: only the open adverse action is canceled, by its id',
  retentionErases: 'T4: a finished report (complete or canceled) keeps its candidate for the candidates period, then erases the candidate',
  retentionOnlyFinished: 'T4: a report running or disputed erases nothing (its retention reminder is set only once it finishes)',
} as const;

/**
 * The effects of the report's status moving `from` → `to`, in the order they happen. A suspended
 * report the vendor resumes has resumed, also when the same update finishes it (CHECKR.md).
 */
function moved(from: ReportStatus, to: ReportStatus, byVendor = false): Effect[] {
  if (from === to) return [];
  const effects: Effect[] = [];
  if (from === 'suspended') effects.push(forget('suspension'));
  if (from === 'suspended' && (to === 'pending' || (to === 'complete' && byVendor))) effects.push(webhook('report.resumed'));
  if (to === 'suspended') effects.push(webhook('report.suspended'), remindAfter('suspension', 'report_suspension', 'SUSPENSION_ELAPSED'));
  // B7: every completion is checked against the escalation rules; T4: a finished report starts its candidate's retention period.
  if (to === 'complete') effects.push(webhook('report.completed'), { type: 'escalate' }, retainCandidate);
  if (to === 'canceled') effects.push(webhook('report.canceled'), retainCandidate);
  return effects;
}

const ruleOfMove = (from: ReportStatus, to: ReportStatus) =>
  to === from ? RR.unchanged : to === 'suspended' ? RR.suspends : to === 'pending' ? RR.resumes : to === 'complete' ? RR.completes : RR.cancels;

const cancelUnfinished = (m: ReportModel, reason: string): ReportModel => ({
  ...m,
  screenings: m.screenings.map((s) => (finished(s) ? s : { ...s, status: 'canceled', cancellation_reason: reason, completed_at: AT })),
});

/** Entering `complete` stamps completed_at. */
const settled = (m: ReportModel): ReportModel => (reportStatusOf(m) === 'complete' ? { ...m, completed_at: AT } : m);

function reportSpec(m: ReportModel, e: ReportEvent): Outcome<ReportModel> {
  const status = reportStatusOf(m);
  const running = status === 'pending' || status === 'suspended';
  const open = m.adverse_actions.find((a) => a.status === 'pending');
  switch (e.type) {
    case 'VENDOR_UPDATE': {
      if (!running) return refuse(RR.vendorWhileFinished);
      const [u] = e.screenings;
      const target = m.screenings.find((s) => s.type === u.type)!;
      if (target.status === 'canceled') return accept(RR.canceledStays, m);
      const next = settled({
        ...m,
        screenings: m.screenings.map((s) =>
          s.type === u.type
            ? { ...s, status: u.status, result: u.result, completed_at: u.completed_at, records: (u.details.records as unknown[] | undefined) ?? [] }
            : s,
        ),
      });
      const to = reportStatusOf(next);
      // CHECKR: each screening that completes announces the report's progress, before any completion.
      const progress = target.status !== 'complete' && u.status === 'complete' ? [webhook('report.updated')] : [];
      return accept(ruleOfMove(status, to), next, [...progress, ...moved(status, to, true)]);
    }
    case 'COMPLETE_NOW': {
      if (!running) return refuse(RR.completeNowWhileRunning);
      const next = settled(cancelUnfinished(m, 'complete_now_customer_requested'));
      const to = reportStatusOf(next);
      if (to === 'canceled') return accept(RR.completeNowCancels, next, moved(status, to));
      return accept(RR.completeNow, next, [webhook('report.updated'), ...moved(status, to)]);
    }
    case 'SUSPENSION_ELAPSED': {
      if (status !== 'suspended') return refuse(RR.elapsedOnlySuspended);
      const next = settled(cancelUnfinished(m, 'candidate_information_not_provided'));
      const to = reportStatusOf(next);
      return accept(to === 'canceled' ? RR.elapsedCancels : RR.elapsedCompletes, next, moved(status, to));
    }
    case 'CANDIDATE_SUPPLIED':
      if (status !== 'suspended') return refuse(RR.suppliedOnlySuspended);
      return accept(RR.supplied, m, [{ type: 'vendor', vendor: 'sterling', action: 'update_candidate' }]);
    case 'UPGRADE': {
      if (status !== 'complete') return refuse(RR.upgradeOnlyComplete);
      if (m.adverse_actions.some((a) => a.status === 'complete')) return refuse(RR.upgradeNotAfterAdverse);
      const added = e.screenings.map((s) => ({
        type: s.type as Kind,
        status: s.status,
        result: s.result,
        completed_at: null,
        cancellation_reason: null,
        records: [],
        created_at: AT,
      }));
      // T4: the report runs again, so its retention period stops until it finishes again.
      return accept(RR.upgrade, { ...m, package: e.package, screenings: [...m.screenings, ...added] }, [
        forgetRetention,
        webhook('report.upgraded'),
        { type: 'vendor', vendor: 'sterling', action: 'order_screenings', screenings: added.map((s) => s.type) },
      ]);
    }
    case 'DISPUTE':
      if (status !== 'complete') return refuse(RR.disputeOnlyComplete);
      // T4: a disputed report is not finished: its retention period stops until the dispute is settled.
      return accept(RR.dispute, { ...m, disputed: true }, [forgetRetention, webhook('report.disputed')]);
    case 'SETTLE_DISPUTE':
      if (status !== 'dispute') return refuse(RR.settleOnlyDispute);
      return accept(RR.settle, { ...m, disputed: false, completed_at: AT }, [webhook('report.completed'), { type: 'escalate' }, retainCandidate]);
    case 'ENGAGE':
      if (status !== 'complete' || m.adjudication !== 'none') return refuse(RR.engageOnlyComplete);
      return accept(RR.engage, { ...m, adjudication: 'engaged' }, [webhook('report.engaged')]);
    case 'PRE_ADVERSE_ACTION': {
      if (status !== 'complete') return refuse(RR.preAdverseOnlyComplete);
      if (resultOf(m) !== 'consider') return refuse(RR.preAdverseOnlyConsider);
      if (m.adverse_actions.some((a) => a.status !== 'canceled')) return refuse(RR.preAdverseOnce);
      const at = e.adverse_action.post_notice_scheduled_at;
      return accept(
        RR.preAdverse,
        {
          ...m,
          adjudication: 'pre_adverse_action',
          adverse_actions: [...m.adverse_actions, { id: e.adverse_action.id, status: 'pending', post_notice_scheduled_at: at }],
        },
        [email('pre_adverse_action'), remindAt('post_notice', at, 'POST_NOTICE_DUE'), webhook('report.pre_adverse_action')],
      );
    }
    case 'POST_NOTICE_DUE':
      if (m.adjudication !== 'pre_adverse_action') return refuse(RR.postNoticeOnlyPre);
      return accept(
        RR.postNotice,
        {
          ...m,
          adjudication: 'post_adverse_action',
          adverse_actions: m.adverse_actions.map((a) => (a.status === 'pending' ? { ...a, status: 'complete' } : a)),
        },
        [email('post_adverse_action'), webhook('report.post_adverse_action')],
      );
    case 'CANCEL_ADVERSE_ACTION':
      if (!open || open.id !== e.adverse_action_id) return refuse(RR.cancelAdverseById);
      return accept(
        RR.cancelAdverse,
        { ...m, adjudication: 'none', adverse_actions: m.adverse_actions.map((a) => (a === open ? { ...a, status: 'canceled' } : a)) },
        [forget('post_notice')],
      );
    case 'RETENTION_DUE':
      if (status !== 'complete' && status !== 'canceled') return refuse(RR.retentionOnlyFinished);
      return accept(RR.retentionErases, m, [{ type: 'erase', rule: 'candidates', subject: 'cand_1' }]);
  }
}

const pendingScreening = (type: Kind) => ({
  id: SCREENING_ID[type],
  type,
  status: 'pending' as const,
  result: null,
  completed_at: null,
  cancellation_reason: null,
  details: {},
});

function reportEvents(m: ReportModel): ReportEvent[] {
  const variants = (type: Kind): Variant[] =>
    type === 'ssn_trace' ? ['clear', 'suspended', 'canceled', 'pending'] : ['clear', 'consider', 'suspended', 'canceled', 'pending'];
  const n = m.adverse_actions.length;
  return [
    ...m.screenings.flatMap((s) => variants(s.type).map((v) => ({ type: 'VENDOR_UPDATE' as const, screenings: [update(s.type, v)], at: AT }))),
    { type: 'COMPLETE_NOW', at: AT },
    { type: 'SUSPENSION_ELAPSED', at: AT },
    { type: 'CANDIDATE_SUPPLIED', at: AT },
    // The API refuses a package that adds nothing (400): the upgrade offered adds the MVR.
    ...(m.screenings.some((s) => s.type === 'motor_vehicle_report')
      ? []
      : [{ type: 'UPGRADE' as const, package: 'driver_pro', screenings: [pendingScreening('motor_vehicle_report')], at: AT }]),
    { type: 'DISPUTE', at: AT },
    { type: 'SETTLE_DISPUTE', at: AT },
    { type: 'ENGAGE', at: AT },
    ...(n < MAX_ADVERSE_ACTIONS
      ? [
          {
            type: 'PRE_ADVERSE_ACTION' as const,
            adverse_action: {
              id: `aa_${n + 1}`,
              adverse_items: [{ id: 'ai_1', object: 'adverse_item' as const, text: 'Theft (Misdemeanor), Guilty' }],
              post_notice_scheduled_at: POST_NOTICE_AT[n],
              post_notice_ready_at: POST_NOTICE_AT[n],
            },
            at: AT,
          },
        ]
      : []),
    { type: 'POST_NOTICE_DUE', at: AT },
    // The right id (every adverse action so far, open or canceled) and a wrong one.
    ...m.adverse_actions.map((a) => ({ type: 'CANCEL_ADVERSE_ACTION' as const, adverse_action_id: a.id, at: AT })),
    { type: 'CANCEL_ADVERSE_ACTION', adverse_action_id: 'aa_unknown', at: AT },
    { type: 'RETENTION_DUE', rule: 'candidates', at: AT },
  ];
}

const reportInput = (source: ReportInput['source'], pkg: string, screenings: ReportInput['screenings']): ReportInput & { created_at: string } => ({
  candidate_id: 'cand_1',
  package: pkg,
  source,
  tags: [],
  screenings,
  consent: null,
  created_at: CREATED,
});

const screeningModel = (type: Kind, over: Partial<ScreeningModel> = {}): ScreeningModel => ({
  type,
  status: 'pending',
  result: null,
  completed_at: null,
  cancellation_reason: null,
  records: [],
  created_at: CREATED,
  ...over,
});

const freshReport = (source: ReportInput['source'], pkg: string, screenings: ScreeningModel[], completed_at: string | null = null): ReportModel => ({
  source,
  package: pkg,
  screenings,
  disputed: false,
  completed_at,
  adjudication: 'none',
  adverse_actions: [],
});

const HIT = update('county_criminal_search', 'consider');

const reportHarness: Harness<ReportModel, ReportEvent> = {
  name: 'report',
  machine: reportMachine,
  starts: [
    {
      label: 'ordered through the API',
      input: reportInput('api', 'basic_criminal', [pendingScreening('ssn_trace'), pendingScreening('county_criminal_search')]),
      model: freshReport('api', 'basic_criminal', [screeningModel('ssn_trace'), screeningModel('county_criminal_search')]),
      // B4: the package's screenings are ordered at the vendor, once.
      effects: [
        webhook('report.created'),
        { type: 'vendor', vendor: 'sterling', action: 'order_screenings', screenings: ['ssn_trace', 'county_criminal_search'] },
      ],
    },
    {
      label: 'a continuous check hit',
      input: reportInput('continuous_check', 'continuous_check', [{ ...pendingScreening('county_criminal_search'), ...HIT }]),
      model: freshReport(
        'continuous_check',
        'continuous_check',
        [screeningModel('county_criminal_search', { status: 'complete', result: 'consider', completed_at: AT, records: [RECORD] })],
        // It completes as it is created (CHECKR.md: times are ISO-8601, absent values null).
        CREATED,
      ),
      // B8, CHECKR.md "Continuous checks": it arrives with its results, orders nothing, and is announced by report.completed.
      // T4: complete at once, it starts its candidate's retention period at once.
      effects: [webhook('report.created'), webhook('report.completed'), { type: 'escalate' }, retainCandidate],
    },
  ],
  events: reportEvents,
  spec: reportSpec,
  key: (m) => JSON.stringify(m),
  actual: (s) => {
    const data = report.view(s, 'integrator') as Record<string, unknown>;
    const adverse = (
      s.context as {
        adverse_actions: { id: string; status: string; post_notice_scheduled_at: string; post_notice_ready_at: string; canceled_at: string | null }[];
      }
    ).adverse_actions;
    return {
      status: report.status(s),
      ...data,
      adverse_actions: adverse.map(({ id, status, post_notice_scheduled_at, post_notice_ready_at, canceled_at }) => ({
        id,
        status,
        post_notice_scheduled_at,
        post_notice_ready_at,
        canceled_at,
      })),
    };
  },
  expected: (m) => ({
    status: reportStatusOf(m),
    candidate_id: 'cand_1',
    package: m.package,
    source: m.source,
    result: resultOf(m),
    adjudication: m.adjudication === 'none' ? null : m.adjudication,
    completed_at: m.completed_at,
    post_notice_scheduled_at: m.adverse_actions.at(-1)?.post_notice_scheduled_at ?? null,
    screenings: m.screenings.map((s) => ({
      id: SCREENING_ID[s.type],
      type: s.type,
      status: s.status,
      result: s.result,
      completed_at: s.completed_at,
      cancellation_reason: s.cancellation_reason,
      created_at: s.created_at,
      records: s.records,
    })),
    adverse_actions: m.adverse_actions.map((a) => ({
      id: a.id,
      status: a.status,
      post_notice_scheduled_at: a.post_notice_scheduled_at,
      // When the waiting period ends, known from the start.
      post_notice_ready_at: a.post_notice_scheduled_at,
      canceled_at: a.status === 'canceled' ? AT : null,
    })),
  }),
  describe: (e) => {
    switch (e.type) {
      case 'VENDOR_UPDATE': {
        const [u] = e.screenings;
        return `VENDOR_UPDATE(${u.type} ${u.status}${u.result ? ` ${u.result}` : ''})`;
      }
      case 'PRE_ADVERSE_ACTION':
        return `PRE_ADVERSE_ACTION(${e.adverse_action.id})`;
      case 'CANCEL_ADVERSE_ACTION':
        return `CANCEL_ADVERSE_ACTION(${e.adverse_action_id})`;
      default:
        return e.type;
    }
  },
  // B4: along any path, each screening is ordered at the vendor once at most.
  along: (trail, effects) => {
    const ordered = effects.flatMap((f) => (f.type === 'vendor' && f.action === 'order_screenings' ? f.screenings : []));
    const again = ordered.filter((type, i) => trail.includes(type) || ordered.indexOf(type) !== i);
    return { problems: again.map((type) => `${type} ordered a second time`), marks: ordered };
  },
};

// =============================================================================================
// Candidates (B1, B8, CHECKR.md "Candidates", "Continuous checks")

interface CandidateModel {
  email: string;
  first_name: string | null;
  last_name: string | null;
  provider_id: string | null;
  report_ids: string[];
  checks: { id: string; type: ContinuousCheck['type'] }[];
}

const CR = {
  update: 'CHECKR: an update changes the candidate and announces candidate.updated',
  reportAdded: 'B2: a new report is listed on its candidate; T4: its reports, not its creation, now start its retention period',
  reportAgain: 'P5: a report delivered again is listed once (T4: the retention reminder stays forgotten)',
  retentionErases:
    'T4: a candidate whose retention reminder is due asks for its erasure (the runtime erases once every report finished that long ago and no continuous check runs)',
  enroll: 'B8: enrolling a continuous check starts monitoring for that check',
  enrollOnce: 'B8: a continuous check is enrolled once (enrolled = exists, by id)',
  cancel: 'B8: canceling a continuous check withdraws its monitoring and removes it',
  cancelUnknown: 'B8: a continuous check that is not enrolled cannot be canceled',
  cancelLast: 'B8: canceling the last continuous check withdraws its monitoring; T4: the candidates period starts again from then',
} as const;

const CHECKS: { id: string; type: ContinuousCheck['type'] }[] = [
  { id: 'cck_1', type: 'criminal' },
  { id: 'cck_2', type: 'mvr' },
];

function candidateSpec(m: CandidateModel, e: CandidateEvent): Outcome<CandidateModel> {
  switch (e.type) {
    case 'UPDATE':
      return accept(CR.update, { ...m, ...(e.changes as unknown as Partial<CandidateModel>) }, [webhook('candidate.updated')]);
    case 'REPORT_ADDED':
      if (m.report_ids.includes(e.report_id)) return accept(CR.reportAgain, m, [forgetRetention]);
      return accept(CR.reportAdded, { ...m, report_ids: [...m.report_ids, e.report_id] }, [forgetRetention]);
    case 'RETENTION_DUE':
      return accept(CR.retentionErases, m, [{ type: 'erase', rule: 'candidates' }]);
    case 'ENROLL_CONTINUOUS':
      if (m.checks.some((c) => c.id === e.check.id)) return refuse(CR.enrollOnce);
      return accept(CR.enroll, { ...m, checks: [...m.checks, { id: e.check.id, type: e.check.type }] }, [
        { type: 'vendor', vendor: 'sterling', action: 'enroll_monitoring', monitoring: e.check.id },
      ]);
    case 'CANCEL_CONTINUOUS':
      if (!m.checks.some((c) => c.id === e.check_id)) return refuse(CR.cancelUnknown);
      if (m.checks.length === 1)
        return accept(CR.cancelLast, { ...m, checks: [] }, [
          { type: 'vendor', vendor: 'sterling', action: 'withdraw_monitoring', monitoring: e.check_id },
          retainCandidate,
        ]);
      return accept(CR.cancel, { ...m, checks: m.checks.filter((c) => c.id !== e.check_id) }, [
        { type: 'vendor', vendor: 'sterling', action: 'withdraw_monitoring', monitoring: e.check_id },
      ]);
  }
}

const newCandidate = (provider_id: string | null): CandidateModel => ({
  email: 'casey@example.com',
  first_name: null,
  last_name: null,
  provider_id,
  report_ids: [],
  checks: [],
});

const candidateHarness: Harness<CandidateModel, CandidateEvent> = {
  name: 'candidate',
  machine: candidateMachine,
  starts: [
    // B1: an email is enough.
    // T4: its retention period starts at its creation, until a report is added.
    {
      label: 'created with an email',
      input: { email: 'casey@example.com' },
      model: newCandidate(null),
      effects: [webhook('candidate.created'), retainCandidate],
    },
    // C12: a provider monitored for CBGC links is checked as a candidate too.
    {
      label: 'a monitored provider',
      input: { email: 'casey@example.com', provider_id: 'prv_1' },
      model: newCandidate('prv_1'),
      effects: [webhook('candidate.created'), retainCandidate],
    },
  ],
  events: () => [
    { type: 'UPDATE', changes: { first_name: 'Casey', last_name: 'Candidate' }, at: AT },
    { type: 'UPDATE', changes: { email: 'casey.candidate@example.com' }, at: AT },
    { type: 'REPORT_ADDED', report_id: 'rpt_1', at: AT },
    { type: 'REPORT_ADDED', report_id: 'rpt_2', at: AT },
    ...CHECKS.map((check) => ({ type: 'ENROLL_CONTINUOUS' as const, check: { ...check, node: null, work_locations: [] }, at: AT })),
    ...[...CHECKS.map((c) => c.id), 'cck_unknown'].map((check_id) => ({ type: 'CANCEL_CONTINUOUS' as const, check_id, at: AT })),
    { type: 'RETENTION_DUE', rule: 'candidates', at: AT },
  ],
  spec: candidateSpec,
  key: (m) => JSON.stringify(m),
  actual: (s) => ({
    status: candidate.status(s),
    ...candidate.view(s, 'integrator'),
    continuous_checks: (s.context as { continuous_checks: ContinuousCheck[] }).continuous_checks,
  }),
  expected: (m) => ({
    status: 'active',
    email: m.email,
    first_name: m.first_name,
    last_name: m.last_name,
    report_ids: m.report_ids,
    provider_id: m.provider_id,
    continuous_checks: m.checks.map((c) => ({ ...c, node: null, work_locations: [], created_at: AT })),
  }),
  describe: (e) => {
    const { type, ...rest } = strip(e as never);
    return `${type}(${Object.values(rest)
      .map((v) => (typeof v === 'object' ? JSON.stringify(v) : v))
      .join(', ')})`;
  },
};

// =============================================================================================

modelTests(invitationHarness, { rules: Object.values(IR), states: { atLeast: 4 } });
modelTests(reportHarness, { rules: Object.values(RR), states: { atLeast: 500 } });
modelTests(candidateHarness, { rules: Object.values(CR), states: { atLeast: 200 } });
