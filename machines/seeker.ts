import { and, assertEvent, assign, emit, or, raise, setup, stateIn } from 'xstate';
import { z } from 'zod';
import { type Address, type AddressInput, addressInput, toAddress } from './address.ts';
import { type Effect, type RetentionRule, retentionReminder } from './effects.ts';
import type { ActorKind, Command, CommandEvents, Role } from './kind.ts';
import { maskDob, maskName, maskTail } from './masks.ts';

/**
 * A seeker: a member who hires. Two regions run side by side: the account (active or closed)
 * and identity verification (SPEC.md I1–I14). The seeker also owns the count of its monitoring
 * slots, so the 3-link limit (C6) is decided by one actor, one event at a time.
 *
 * Verification: the seeker enters their legal information (locked once given, I3), then Prove
 * checks phone possession by mobile auth or an SMS code (I4); if Prove cannot verify, Veriff
 * checks an ID document and a selfie (I5), whose decision may need a reviewer (I8). Vendor calls
 * are effects; their answers come back as events naming the attempt they answer, so a late
 * answer to an abandoned attempt changes nothing. A vendor that does not answer in time returns
 * the seeker to `required` with a message, from where they start again.
 */

export type Plan = 'legacy' | 'starter' | 'complete';
export const MONITORING_LIMIT = 3;

export interface LegalInfo {
  legal_first_name: string;
  legal_last_name: string;
  dob: string;
  address: Address;
  phone: string;
}

/** Where the current verification stands; vendor references stay here, sealed with the snapshot. */
export interface IdvProgress {
  /** Number of the current vendor attempt; answers carry it. */
  attempt: number;
  method?: 'mobile_auth' | 'sms';
  prove?: { correlation_id: string; auth_token: string; next: Record<string, string> };
  veriff_session_id?: string;
  session_url?: string;
  /** Veriff decisions already applied, as `<session>:<attemptId>`: a replayed webhook is applied once. */
  decisions: string[];
  resubmission?: boolean;
  /** Why the seeker is back where they are, in a code the dashboards put into words. */
  message?: string;
}

export interface SeekerContext {
  email: string;
  plan: Plan;
  first_name?: string;
  last_name?: string;
  phone?: string;
  idme_verified: boolean;
  /** Providers whose hire this seeker confirmed (C2: asked once per provider). */
  hired_providers: string[];
  /** Links holding a monitoring slot: request_pending or active (C6). */
  monitoring_links: string[];
  closed_at?: string;
  legal_info?: LegalInfo & { submitted_at: string };
  idv: IdvProgress;
  /** How and when the identity was verified; `imported` for a verification done before trustwire (I10). */
  verified?: { by: 'prove' | 'veriff' | 'review'; at: string; imported?: { reference: string } };
  failed?: { reason: string; at: string };
  /** I13: refund requests recorded, by reason. */
  refund_requests: { reason: RefundReason; at: string }[];
}

export type RefundReason = 'failed_verification' | 'idv_refusal';

export type SeekerInput = Pick<SeekerContext, 'email' | 'plan' | 'first_name' | 'last_name' | 'phone' | 'legal_info' | 'verified'>;

/** I6: the IDV statuses that let a seeker interact with providers (message, book, ask to monitor). */
export const IDV_CLEARED = ['not_required', 'verified'] as const;

type Stamp = { at: string; by?: string };
type Attempt = { attempt: number };
export type VeriffStatus = 'approved' | 'declined' | 'resubmission_requested' | 'expired' | 'abandoned' | 'review';

const noFields = z.object({}).strict();
export const legalInfoFields = z
  .object({
    legal_first_name: z.string().trim().min(1).max(100),
    legal_last_name: z.string().trim().min(1).max(100),
    dob: z.iso.date('dob must be a date YYYY-MM-DD').refine((d) => d >= '1900-01-01', 'dob must be after 1900'),
    address: addressInput,
    phone: z.string().regex(/^\+?[0-9 ()-]{7,20}$/, 'a phone number'),
  })
  .strict();

/** The events members, staff and the integrator send: who may send each, and its fields. */
const seekerCommands = {
  CHANGE_PLAN: { by: ['integrator'], fields: z.object({ plan: z.enum(['legacy', 'starter', 'complete']) }).strict() },
  CLOSE_ACCOUNT: { by: ['seeker', 'integrator'], fields: noFields },
  START_VERIFICATION: { by: ['seeker', 'integrator'], fields: noFields },
  SUBMIT_LEGAL_INFO: { by: ['seeker', 'integrator'], fields: legalInfoFields, probe: () => ({ dob: '1970-01-01' }) },
  SUBMIT_OTP: { by: ['seeker', 'integrator'], fields: z.object({ code: z.string().regex(/^\d{4,8}$/, 'the code from the SMS: 4 to 8 digits') }).strict() },
  CANCEL_VERIFICATION: { by: ['seeker', 'integrator'], fields: noFields },
  CONFIRM_CANCEL: { by: ['seeker', 'integrator'], fields: noFields },
  RESUME_VERIFICATION: { by: ['seeker', 'integrator'], fields: noFields },
  APPROVE_REVIEW: { by: ['reviewer', 'integrator'], fields: noFields },
  REJECT_REVIEW: {
    by: ['reviewer', 'integrator'],
    fields: z.object({ reason: z.string().trim().min(1).max(1000) }).strict(),
    probe: () => ({ reason: 'probe' }),
  },
  REQUEST_REFUND: {
    by: ['agent', 'reviewer', 'integrator'],
    fields: z.object({ reason: z.enum(['failed_verification', 'idv_refusal']) }).strict(),
    probe: (c: SeekerContext) => ({ reason: c.failed ? 'failed_verification' : 'idv_refusal' }),
  },
} satisfies Record<string, Command>;

export type SeekerEvent = Stamp &
  (
    | CommandEvents<typeof seekerCommands>
    // Sent by the runtime: joint events with links, the gate, ID.me, the vendors' answers and reminders.
    | { type: 'IDME_VERIFIED' }
    | { type: 'HIRE_CONFIRMED'; provider_id: string }
    | { type: 'CLAIM_SLOT'; link: string }
    | { type: 'RELEASE_SLOT'; link: string }
    | { type: 'GATE_REFUSED' }
    | ({ type: 'PROVE_CODE_SENT'; correlation_id: string; auth_token: string; next: Record<string, string> } & Attempt)
    | ({ type: 'PROVE_PASSED'; method: 'mobile_auth' | 'sms' } & Attempt)
    | ({ type: 'PROVE_FAILED'; method?: 'mobile_auth' | 'sms'; reason: string } & Attempt)
    | ({ type: 'VERIFF_SESSION_CREATED'; session_id: string; session_url: string } & Attempt)
    | { type: 'VERIFF_SUBMITTED'; session_id: string }
    | { type: 'VERIFF_DECISION'; session_id: string; attempt_id: string; status: VeriffStatus; reason?: string }
    | ({ type: 'VENDOR_UNAVAILABLE' } & Attempt)
    | ({ type: 'VENDOR_TIMEOUT' } & Attempt)
    | { type: 'IDV_FAILED' }
    | { type: 'RETENTION_DUE'; rule: RetentionRule }
  );

const retentionRule = (context: SeekerContext): RetentionRule => (context.failed ? 'failed_idv' : 'closed_members');

export const eighteenYearsBefore = (at: string) => `${Number(at.slice(0, 4)) - 18}${at.slice(4, 10)}`;

const decisionKey = (e: { session_id: string; attempt_id: string }) => `${e.session_id}:${e.attempt_id}`;

export const seekerMachine = setup({
  types: {} as { context: SeekerContext; events: SeekerEvent; input: SeekerInput; emitted: Effect },
  guards: {
    isPaidPlan: ({ context }) => context.plan !== 'legacy',
    isNewPlan: ({ context, event }) => event.type === 'CHANGE_PLAN' && event.plan !== context.plan,
    leavesComplete: ({ context, event }) => event.type === 'CHANGE_PLAN' && context.plan === 'complete' && event.plan !== 'complete',
    toPaidPlan: ({ context, event }) => event.type === 'CHANGE_PLAN' && context.plan === 'legacy' && event.plan !== 'legacy',
    toLegacy: ({ context, event }) => event.type === 'CHANGE_PLAN' && context.plan !== 'legacy' && event.plan === 'legacy',
    hasFreeSlot: ({ context, event }) =>
      event.type === 'CLAIM_SLOT' &&
      context.plan === 'complete' &&
      (context.monitoring_links.includes(event.link) || context.monitoring_links.length < MONITORING_LIMIT),
    accountOpen: stateIn({ account: 'active' }),
    identityCleared: or(IDV_CLEARED.map((status) => stateIn({ idv: status }))),
    imported: ({ context }) => context.verified?.imported !== undefined,
    hasLegalInfo: ({ context }) => context.legal_info !== undefined,
    // Someone at least 18 on the day they submit (the event's time, never the machine's own clock).
    adult: ({ event }) => event.type === 'SUBMIT_LEGAL_INFO' && event.dob <= eighteenYearsBefore(event.at),
    currentAttempt: ({ context, event }) => 'attempt' in event && event.attempt === context.idv.attempt,
    currentSession: ({ context, event }) => 'session_id' in event && event.session_id === context.idv.veriff_session_id,
    freshDecision: ({ context, event }) =>
      event.type === 'VERIFF_DECISION' && event.session_id === context.idv.veriff_session_id && !context.idv.decisions.includes(decisionKey(event)),
    decided: ({ event }, status: VeriffStatus[]) => event.type === 'VERIFF_DECISION' && status.includes(event.status),
    // I13: a refund for a failed verification, once; for declining to verify, once, while not verified.
    refundOf: ({ context, event }, reason: RefundReason) =>
      event.type === 'REQUEST_REFUND' && event.reason === reason && !context.refund_requests.some((r) => r.reason === reason),
    verificationFailed: stateIn({ idv: 'failed' }),
    verificationDeclined: ({ context }) => context.plan !== 'legacy' && !context.verified && !context.failed,
  },
  actions: {
    setPlan: assign({
      plan: ({ event }) => {
        assertEvent(event, 'CHANGE_PLAN');
        return event.plan;
      },
    }),
    // C11: leaving Complete ends every link of the seeker.
    endLinks: emit(({ event }) => ({
      type: 'cascade',
      links_of: 'seeker',
      event: { type: 'MEMBER_LEFT', reason: event.type === 'CLOSE_ACCOUNT' ? 'seeker_account_closed' : 'plan_changed' },
    })),
    markClosed: assign({ closed_at: ({ event }) => event.at }),
    // T4: a closed member's data is kept for its rule's period; a failed verification's for longer.
    startRetention: emit(({ context }) => retentionReminder(retentionRule(context))),
    eraseForRetention: emit(({ context }) => ({ type: 'erase' as const, rule: retentionRule(context) })),
    rememberIdme: assign({ idme_verified: true }),
    // C4: links waiting for ID.me go on once it is done.
    tellLinksIdme: emit({ type: 'cascade', links_of: 'seeker', event: { type: 'IDME_VERIFIED' } }),
    rememberHire: assign({
      hired_providers: ({ context, event }) => {
        assertEvent(event, 'HIRE_CONFIRMED');
        const provider = event.provider_id;
        return context.hired_providers.includes(provider) ? context.hired_providers : [...context.hired_providers, provider];
      },
    }),
    takeSlot: assign({
      monitoring_links: ({ context, event }) => {
        assertEvent(event, 'CLAIM_SLOT');
        const { link } = event;
        return context.monitoring_links.includes(link) ? context.monitoring_links : [...context.monitoring_links, link];
      },
    }),
    freeSlot: assign({
      monitoring_links: ({ context, event }) => {
        assertEvent(event, 'RELEASE_SLOT');
        return context.monitoring_links.filter((l) => l !== event.link);
      },
    }),

    // Identity verification.
    storeLegalInfo: assign({
      legal_info: ({ event }) => {
        assertEvent(event, 'SUBMIT_LEGAL_INFO');
        const { legal_first_name, legal_last_name, dob, address, phone } = event;
        return { legal_first_name, legal_last_name, dob, address: toAddress(address), phone, submitted_at: event.at };
      },
    }),
    nextAttempt: assign({ idv: ({ context }) => ({ attempt: context.idv.attempt + 1, decisions: context.idv.decisions }) }),
    say: assign({ idv: ({ context }, message: string) => ({ ...context.idv, message }) }),
    startProve: emit(({ context }) => ({ type: 'vendor', vendor: 'prove', action: 'start', attempt: context.idv.attempt })),
    rememberProve: assign({
      idv: ({ context, event }) =>
        event.type === 'PROVE_CODE_SENT'
          ? { ...context.idv, method: 'sms' as const, prove: { correlation_id: event.correlation_id, auth_token: event.auth_token, next: event.next } }
          : context.idv,
    }),
    checkCode: emit(({ context, event }) => {
      assertEvent(event, 'SUBMIT_OTP');
      return { type: 'vendor', vendor: 'prove', action: 'check_code', attempt: context.idv.attempt, code: event.code };
    }),
    createVeriffSession: emit(({ context }) => ({ type: 'vendor', vendor: 'veriff', action: 'create_session', attempt: context.idv.attempt })),
    rememberSession: assign({
      idv: ({ context, event }) =>
        event.type === 'VERIFF_SESSION_CREATED' ? { ...context.idv, veriff_session_id: event.session_id, session_url: event.session_url } : context.idv,
    }),
    rememberDecision: assign({
      idv: ({ context, event }) => {
        assertEvent(event, 'VERIFF_DECISION');
        return { ...context.idv, decisions: [...context.idv.decisions, decisionKey(event)], resubmission: event.status === 'resubmission_requested' };
      },
    }),
    // A vendor answer has this long to arrive (P6: a durable reminder).
    awaitVendor: emit(({ context }) => ({
      type: 'remind',
      key: 'vendor_timeout',
      delay: 'idv_vendor_timeout',
      event: { type: 'VENDOR_TIMEOUT', attempt: context.idv.attempt },
    })),
    stopWaiting: emit({ type: 'cancel_reminder', key: 'vendor_timeout' }),
    markVerified: assign({
      verified: ({ event }) => ({
        by: event.type === 'APPROVE_REVIEW' ? ('review' as const) : event.type === 'VERIFF_DECISION' ? ('veriff' as const) : ('prove' as const),
        at: event.at,
      }),
      idv: ({ context }) => ({ attempt: context.idv.attempt, decisions: context.idv.decisions, method: context.idv.method }),
    }),
    markFailed: assign({
      failed: ({ event }) => ({ reason: event.type === 'REJECT_REVIEW' ? event.reason : 'veriff_declined', at: event.at }),
    }),
    emailVerified: emit({ type: 'notify', to: 'seeker', template: 'idv_verified', channels: ['in_app', 'email'] }),
    emailFailed: emit({ type: 'notify', to: 'seeker', template: 'idv_failed', channels: ['in_app', 'email'] }),
    notifyReview: emit({ type: 'notify', to: 'seeker', template: 'idv_manual_review', channels: ['in_app', 'email'] }),
    // I7: the identity may not come back as a new seeker.
    blocklist: emit({ type: 'blocklist' }),
    closeAccount: raise(({ event }) => ({ type: 'IDV_FAILED' as const, at: event.at })),
    // I12: every failure opens a case.
    openFailureCase: emit(({ event }) => ({
      type: 'case' as const,
      queue: 'idv_failures',
      summary: `Identity verification failed: Veriff declined the document and selfie${event.type === 'VERIFF_DECISION' && event.reason ? ` (${event.reason})` : ''}.`,
    })),
    openReviewCase: emit({ type: 'case', queue: 'idv_failures', summary: 'Veriff asked for a manual review of the document and selfie: approve or reject.' }),
    recordRefundRequest: assign({
      refund_requests: ({ context, event }) => {
        assertEvent(event, 'REQUEST_REFUND');
        return [...context.refund_requests, { reason: event.reason, at: event.at }];
      },
    }),
    // I13: a failed verification is not refunded automatically; member care decides.
    escalateRefund: emit({
      type: 'case',
      queue: 'member_care_escalations',
      summary: 'Refund requested after a failed identity verification: not refunded automatically.',
      comment: 'Refund requested for a failed verification. #RefundRequest #FailedIDV',
    }),
    issueRefund: emit({ type: 'refund', reason: 'idv_refusal' }),
    recordIssuedRefund: emit({
      type: 'case',
      queue: 'refunds',
      summary: 'Refund issued: the seeker chose not to complete identity verification.',
      comment: 'Refund issued. #IDVrefusal',
    }),
  },
}).createMachine({
  id: 'seeker',
  type: 'parallel',
  context: ({ input }) => ({
    ...input,
    idme_verified: false,
    hired_providers: [],
    monitoring_links: [],
    idv: { attempt: 0, decisions: [] },
    refund_requests: [],
  }),
  on: {
    // Sent by links in the same commit as their own change; never refused, so a link can always end.
    HIRE_CONFIRMED: { actions: 'rememberHire' },
    RELEASE_SLOT: { actions: 'freeSlot' },
    // Whatever the account's status, a closed one included (API.md).
    REQUEST_REFUND: [
      { guard: and([{ type: 'refundOf', params: 'failed_verification' as const }, 'verificationFailed']), actions: ['recordRefundRequest', 'escalateRefund'] },
      {
        guard: and([{ type: 'refundOf', params: 'idv_refusal' as const }, 'verificationDeclined']),
        actions: ['recordRefundRequest', 'issueRefund', 'recordIssuedRefund'],
      },
    ],
  },
  states: {
    account: {
      initial: 'active',
      states: {
        active: {
          on: {
            CHANGE_PLAN: [
              { guard: 'leavesComplete', actions: ['setPlan', 'endLinks'] },
              { guard: 'isNewPlan', actions: 'setPlan' },
            ],
            CLOSE_ACCOUNT: { target: 'closed', actions: ['markClosed', 'endLinks'] },
            // I7: a failed verification closes the account.
            IDV_FAILED: { target: 'closed', actions: ['markClosed', 'endLinks'] },
            IDME_VERIFIED: { actions: ['rememberIdme', 'tellLinksIdme'] },
            // C6 and I6: a slot goes to a request only while the seeker may interact with providers.
            CLAIM_SLOT: { guard: and(['hasFreeSlot', 'identityCleared']), actions: 'takeSlot' },
          },
        },
        closed: {
          entry: 'startRetention',
          on: {
            // A verification that fails after the account closed keeps the data for the failure's period.
            IDV_FAILED: { actions: 'startRetention' },
            RETENTION_DUE: { actions: 'eraseForRetention' },
          },
        },
      },
    },
    idv: {
      initial: 'deciding',
      states: {
        // I1: only the paid plans must verify.
        deciding: {
          always: [{ guard: 'imported', target: 'verified.imported' }, { guard: 'isPaidPlan', target: 'required' }, { target: 'not_required' }],
        },
        not_required: {
          on: {
            CHANGE_PLAN: { guard: and(['accountOpen', 'toPaidPlan']), target: 'required' },
            START_VERIFICATION: { guard: 'accountOpen', target: 'in_progress' },
          },
        },
        // I2: the gate refuses messaging and booking; the dashboard prompts the seeker.
        required: {
          on: {
            CHANGE_PLAN: { guard: and(['accountOpen', 'toLegacy']), target: 'not_required' },
            START_VERIFICATION: { guard: 'accountOpen', target: 'in_progress' },
          },
        },
        in_progress: {
          type: 'parallel',
          states: {
            step: {
              initial: 'choosing',
              states: {
                // I3: legal information is asked once; a seeker who gave it goes straight to Prove.
                choosing: {
                  always: [{ guard: 'hasLegalInfo', target: 'prove' }, { target: 'legal_info' }],
                },
                legal_info: {
                  on: { SUBMIT_LEGAL_INFO: { guard: 'adult', target: 'prove', actions: 'storeLegalInfo' } },
                },
                // I4: phone possession, by mobile auth when the phone allows it, else an SMS code.
                prove: {
                  entry: ['nextAttempt', 'startProve', 'awaitVendor'],
                  exit: 'stopWaiting',
                  initial: 'checking_phone',
                  on: {
                    PROVE_PASSED: { guard: 'currentAttempt', target: '#seeker.idv.verified' },
                    // I5: Prove could not verify: on to Veriff.
                    PROVE_FAILED: { guard: 'currentAttempt', target: 'veriff' },
                    VENDOR_UNAVAILABLE: { guard: 'currentAttempt', target: '#seeker.idv.required', actions: { type: 'say', params: 'vendor_unavailable' } },
                    VENDOR_TIMEOUT: { guard: 'currentAttempt', target: '#seeker.idv.required', actions: { type: 'say', params: 'vendor_unavailable' } },
                  },
                  states: {
                    checking_phone: {
                      on: { PROVE_CODE_SENT: { guard: 'currentAttempt', target: 'entering_code', actions: ['rememberProve', 'stopWaiting'] } },
                    },
                    // The seeker types the code they received; no vendor is waited on meanwhile.
                    entering_code: {
                      on: { SUBMIT_OTP: { target: 'checking_code', actions: ['checkCode', 'awaitVendor'] } },
                    },
                    checking_code: {},
                  },
                },
                // I5: an ID document and a selfie, decided by Veriff.
                veriff: {
                  entry: ['nextAttempt', 'createVeriffSession', 'awaitVendor'],
                  exit: 'stopWaiting',
                  initial: 'creating_session',
                  on: {
                    VERIFF_DECISION: [
                      { guard: decided('approved'), target: '#seeker.idv.verified', actions: 'rememberDecision' },
                      { guard: decided('declined'), target: '#seeker.idv.failed', actions: ['rememberDecision', 'openFailureCase'] },
                      { guard: decided('review'), target: '#seeker.idv.manual_review', actions: 'rememberDecision' },
                      { guard: decided('resubmission_requested'), target: '.capturing', actions: 'rememberDecision' },
                      {
                        guard: decided('expired', 'abandoned'),
                        target: '#seeker.idv.required',
                        actions: ['rememberDecision', { type: 'say', params: 'veriff_expired' }],
                      },
                    ],
                  },
                  states: {
                    creating_session: {
                      on: {
                        VERIFF_SESSION_CREATED: { guard: 'currentAttempt', target: 'capturing', actions: ['rememberSession', 'stopWaiting'] },
                        VENDOR_UNAVAILABLE: { guard: 'currentAttempt', target: '#seeker.idv.required', actions: { type: 'say', params: 'vendor_unavailable' } },
                        VENDOR_TIMEOUT: { guard: 'currentAttempt', target: '#seeker.idv.required', actions: { type: 'say', params: 'vendor_unavailable' } },
                      },
                    },
                    // On Veriff's hosted page: document photo and selfie.
                    capturing: {
                      on: { VERIFF_SUBMITTED: { guard: 'currentSession', target: 'awaiting_decision' } },
                    },
                    awaiting_decision: {},
                  },
                },
              },
            },
            // I6: cancelling asks for confirmation; the steps go on meanwhile.
            cancel: {
              initial: 'idle',
              states: {
                idle: { on: { CANCEL_VERIFICATION: { target: 'confirming' } } },
                confirming: {
                  on: {
                    RESUME_VERIFICATION: { target: 'idle' },
                    CONFIRM_CANCEL: { target: '#seeker.idv.cancelled' },
                  },
                },
              },
            },
          },
        },
        // I8: blocked until a reviewer decides.
        manual_review: {
          entry: ['notifyReview', 'openReviewCase'],
          on: {
            APPROVE_REVIEW: { target: 'verified' },
            REJECT_REVIEW: { target: 'failed' },
          },
        },
        // I10: never asked again, whatever the plan.
        verified: {
          initial: 'passed',
          states: {
            passed: { entry: ['markVerified', 'emailVerified'] },
            // Verified by Prove or Veriff before trustwire (API.md "Added in wave 2"): nothing to tell the seeker.
            imported: {},
          },
        },
        // I7, I9.
        failed: { entry: ['markFailed', 'emailFailed', 'blocklist', 'closeAccount'] },
        // I6: blocked until they start again and pass; asked again when they try to message (I2).
        cancelled: {
          on: {
            START_VERIFICATION: { guard: 'accountOpen', target: 'in_progress' },
            GATE_REFUSED: { target: 'required' },
          },
        },
      },
    },
  },
});

/** A Veriff decision with one of these statuses, for the current session, not applied before. */
function decided(...status: VeriffStatus[]) {
  return and(['freshDecision', { type: 'decided', params: status }]);
}

const IDV_STATUSES = ['not_required', 'required', 'in_progress', 'manual_review', 'verified', 'failed', 'cancelled'] as const;

export function idvStatus(snapshot: { matches(value: unknown): boolean }): string {
  return IDV_STATUSES.find((s) => snapshot.matches({ idv: s })) ?? 'required';
}

/** The step of a verification in progress, for the seeker's screens. */
function idvStep(snapshot: { matches(value: unknown): boolean }): string | null {
  if (snapshot.matches({ idv: { in_progress: { cancel: 'confirming' } } })) return 'confirming_cancel';
  const steps: [string, unknown][] = [
    ['legal_info', 'legal_info'],
    ['prove_checking', { prove: 'checking_phone' }],
    ['sms_code', { prove: 'entering_code' }],
    ['prove_checking', { prove: 'checking_code' }],
    ['veriff_starting', { veriff: 'creating_session' }],
    ['veriff_capture', { veriff: 'capturing' }],
    ['veriff_decision', { veriff: 'awaiting_decision' }],
  ];
  return steps.find(([, step]) => snapshot.matches({ idv: { in_progress: { step } } }))?.[0] ?? null;
}

function legalInfoFor(info: SeekerContext['legal_info'], role: Role) {
  if (!info) return null;
  if (role === 'provider') return undefined;
  if (role === 'agent') {
    const address = { street: '••••', unit: null, city: null, state: null, postal_code: null, country: info.address.country };
    return {
      legal_first_name: maskName(info.legal_first_name),
      legal_last_name: maskName(info.legal_last_name),
      dob: maskDob(info.dob),
      address,
      phone: maskTail(info.phone),
      submitted_at: info.submitted_at,
    };
  }
  return info;
}

export const seeker: ActorKind<typeof seekerMachine> = {
  kind: 'seeker',
  prefix: 'skr_',
  machine: seekerMachine,
  version: 2,
  migrations: {
    // Version 2 keeps the legal address as fields; one stored as a line of text is kept as its street.
    1: (persisted) => {
      const info = (persisted.context as { legal_info?: Omit<LegalInfo, 'address'> & { address: AddressInput } }).legal_info;
      return info ? { ...persisted, context: { ...persisted.context, legal_info: { ...info, address: toAddress(info.address) } } } : persisted;
    },
  },
  status: (snapshot) => (snapshot.matches({ account: 'closed' }) ? 'closed' : 'active'),
  members: (_context, id) => [id],
  view: (snapshot, role: Role) => {
    const c = snapshot.context as SeekerContext;
    const legal_info = legalInfoFor(c.legal_info, role);
    return {
      email: c.email,
      first_name: c.first_name ?? null,
      last_name: c.last_name ?? null,
      phone: role === 'agent' ? maskTail(c.phone) : (c.phone ?? null),
      plan: c.plan,
      account_status: snapshot.matches({ account: 'closed' }) ? 'closed' : 'active',
      closed_at: c.closed_at ?? null,
      idv_status: idvStatus(snapshot),
      idv: {
        step: idvStep(snapshot),
        method: c.idv.method ?? null,
        veriff_session_id: c.idv.veriff_session_id ?? null,
        session_url: c.idv.session_url ?? null,
        resubmission: c.idv.resubmission ?? false,
        message: c.idv.message ?? null,
        verified_by: c.verified?.by ?? null,
        verified_at: c.verified?.at ?? null,
      },
      ...(legal_info === undefined ? {} : { legal_info }),
      refund_requests: c.refund_requests,
      idme_verified: c.idme_verified,
      hired_providers: c.hired_providers,
      monitoring: { used: c.monitoring_links.length, limit: MONITORING_LIMIT, links: c.monitoring_links },
    };
  },
  commands: seekerCommands,
  announces: [{ event: 'seeker.idv_status_changed', of: idvStatus }],
  refusal: (snapshot, event) => {
    const c = snapshot.context as SeekerContext;
    if (event.type === 'SUBMIT_LEGAL_INFO' && c.legal_info) return 'legal_info_locked';
    if (event.type === 'SUBMIT_LEGAL_INFO' && snapshot.matches({ idv: { in_progress: { step: 'legal_info' } } })) return 'age_below_minimum';
    if (event.type === 'REQUEST_REFUND') return 'refund_not_applicable';
    if (event.type !== 'CLAIM_SLOT') return undefined;
    if (c.plan !== 'complete') return 'plan_not_eligible';
    if (!(IDV_CLEARED as readonly string[]).includes(idvStatus(snapshot))) return 'identity_verification_required';
    if (c.monitoring_links.length >= MONITORING_LIMIT) return 'monitoring_limit_reached';
    return undefined;
  },
};
