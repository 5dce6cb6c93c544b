import { assertEvent, assign, emit, setup } from 'xstate';
import { z } from 'zod';
import type { Effect } from './effects.ts';
import type { ActorKind, Command, CommandEvents } from './kind.ts';

/**
 * A provider link: one seeker's continuous background monitoring of one provider (SPEC.md CBGC).
 *
 * The seeker drafts a request (hire confirmation, disclosures, ID.me), sends it, the provider
 * accepts or declines; either side may end it later. While the request is sent or monitoring
 * runs, the link holds one of the seeker's three monitoring slots (C6): claiming the slot is a
 * joint event with the seeker, applied in the same commit, and leaving `sent` gives it back.
 */

export interface LinkContext {
  seeker_id: string;
  provider_id: string;
  seeker_name: string;
  provider_name: string;
  hire_confirmed: boolean;
  idme_verified: boolean;
  seeker_disclosure?: { version: string; at: string };
  provider_disclosure?: { version: string; at: string };
  requested_at?: string;
  accepted_at?: string;
  ended_at?: string;
  /** Who ended the link, and why, when it ended. */
  ended_by?: string;
  reason?: string;
  reports: string[];
}

export interface LinkInput {
  seeker_id: string;
  provider_id: string;
  seeker_name: string;
  provider_name: string;
  hire_confirmed: boolean;
  idme_verified: boolean;
}

const noFields = z.object({}).strict();
const disclosure = z.object({ disclosure_version: z.string().min(1).max(64) }).strict();

/** The events members, staff and the integrator send: who may send each, and its fields. */
const linkCommands = {
  CONFIRM_HIRE: { by: ['seeker', 'integrator'], fields: noFields },
  ACCEPT_DISCLOSURES: { by: ['seeker', 'integrator'], fields: disclosure },
  CANCEL_REQUEST: { by: ['seeker', 'integrator'], fields: noFields },
  ACCEPT: { by: ['provider', 'integrator'], fields: disclosure },
  DECLINE: { by: ['provider', 'integrator'], fields: noFields },
  CONFIRM_DECLINE: { by: ['provider', 'integrator'], fields: noFields },
  REMOVE_ACCESS: { by: ['provider', 'integrator'], fields: noFields },
  CONFIRM_REMOVE_ACCESS: { by: ['provider', 'integrator'], fields: noFields },
  KEEP: { by: ['provider', 'integrator'], fields: noFields },
  STOP_MONITORING: { by: ['seeker', 'integrator'], fields: noFields },
  REPORT_CONCERN: {
    by: ['seeker', 'integrator'],
    fields: z.object({ report_id: z.string().min(1).max(64), text: z.string().min(1).max(4000) }).strict(),
    probe: (c: LinkContext) => ({ report_id: c.reports[0] ?? '', text: '' }),
  },
  STAFF_REMOVE: {
    by: ['agent', 'reviewer', 'integrator'],
    fields: z.object({ side: z.enum(['seeker', 'provider']), reason: z.string().min(1).max(1000) }).strict(),
    probe: () => ({ side: 'seeker', reason: '' }),
  },
} satisfies Record<string, Command>;

/** The runtime stamps every event with the time it was applied (`at`) and the sender's role. */
type Stamp = { at: string; by?: string };
export type LinkEvent = Stamp &
  (
    | CommandEvents<typeof linkCommands>
    // Sent by the runtime: ID.me's answer, the seeker's refusal of a slot, cascades, reminders, the monitoring vendor.
    | { type: 'IDME_VERIFIED' }
    | { type: 'SLOT_REFUSED'; reason: string }
    | { type: 'PROVIDER_UNAVAILABLE'; reason: string }
    | { type: 'MEMBER_LEFT'; reason: string }
    | { type: 'REMIND_PROVIDER' }
    | { type: 'RECORD_FOUND'; report_id: string }
  );

export const linkMachine = setup({
  types: {} as { context: LinkContext; events: LinkEvent; input: LinkInput; emitted: Effect },
  guards: {
    hireConfirmed: ({ context }) => context.hire_confirmed,
    idmeVerified: ({ context }) => context.idme_verified,
    bySeekerSide: ({ event }) => event.type === 'STAFF_REMOVE' && event.side === 'seeker',
    byProviderSide: ({ event }) => event.type === 'STAFF_REMOVE' && event.side === 'provider',
    knownReport: ({ context, event }) => event.type === 'REPORT_CONCERN' && context.reports.includes(event.report_id),
  },
  actions: {
    rememberHire: assign({ hire_confirmed: true }),
    markEnded: assign(({ event }) => ({
      ended_at: event.at,
      ended_by: event.by,
      ...('reason' in event ? { reason: event.reason } : {}),
    })),
    tellSeekerHired: emit({ type: 'joint', to: 'seeker', event: { type: 'HIRE_CONFIRMED' } }),
    recordSeekerDisclosure: assign({
      seeker_disclosure: ({ event }) => {
        assertEvent(event, 'ACCEPT_DISCLOSURES');
        return { version: event.disclosure_version, at: event.at };
      },
    }),
    recordProviderDisclosure: assign({
      provider_disclosure: ({ event }) => {
        assertEvent(event, 'ACCEPT');
        return { version: event.disclosure_version, at: event.at };
      },
    }),
    rememberIdme: assign({ idme_verified: true }),
    claimSlot: emit({ type: 'joint', to: 'seeker', event: { type: 'CLAIM_SLOT' } }),
    // I6, C6: a request that still waits for ID.me is accepted only if its seeker could send it now.
    checkSlot: emit({ type: 'joint', to: 'seeker', event: { type: 'CLAIM_SLOT' }, check: true }),
    deliverToProvider: emit({ type: 'joint', to: 'provider', event: { type: 'REQUEST_RECEIVED' } }),
    releaseSlot: emit({ type: 'joint', to: 'seeker', event: { type: 'RELEASE_SLOT' } }),
    markRequested: assign({ requested_at: ({ event }) => event.at }),
    markAccepted: assign({ accepted_at: ({ event }) => event.at }),
    notifyRequestSent: emit({ type: 'notify', to: 'seeker', template: 'request_sent', channels: ['in_app', 'email'] }),
    notifyNewRequest: emit({ type: 'notify', to: 'provider', template: 'new_request', channels: ['in_app', 'email'] }),
    remindProviderLater: emit({ type: 'remind', key: 'provider_reminder', delay: 'provider_reminder', event: { type: 'REMIND_PROVIDER' } }),
    forgetProviderReminder: emit({ type: 'cancel_reminder', key: 'provider_reminder' }),
    notifyProviderReminder: emit({ type: 'notify', to: 'provider', template: 'request_reminder', channels: ['in_app', 'email'] }),
    notifyAccepted: emit({ type: 'notify', to: 'seeker', template: 'request_accepted', channels: ['in_app', 'email'] }),
    notifyDeclined: emit({ type: 'notify', to: 'seeker', template: 'request_declined', channels: ['in_app', 'email'] }),
    notifyCancelled: emit({ type: 'notify', to: 'seeker', template: 'request_cancelled', channels: ['in_app', 'email'] }),
    notifyProviderCancelled: emit({ type: 'notify', to: 'provider', template: 'request_withdrawn', channels: ['in_app'] }),
    notifyAccessRemoved: emit({ type: 'notify', to: 'seeker', template: 'access_removed', channels: ['in_app', 'email'] }),
    notifyMonitoringStopped: emit({ type: 'notify', to: 'provider', template: 'monitoring_stopped', channels: ['in_app', 'email'] }),
    notifySeekerMonitoringStopped: emit({ type: 'notify', to: 'seeker', template: 'monitoring_ended', channels: ['in_app', 'email'] }),
    notifyLimitReached: emit({ type: 'notify', to: 'seeker', template: 'limit_reached', channels: ['in_app', 'email'] }),
    notifyProviderUnavailable: emit({ type: 'notify', to: 'seeker', template: 'provider_unavailable', channels: ['in_app', 'email'] }),
    enrollMonitoring: emit({ type: 'vendor', vendor: 'sterling', action: 'enroll_monitoring' }),
    withdrawMonitoring: emit({ type: 'vendor', vendor: 'sterling', action: 'withdraw_monitoring' }),
    addReport: assign({
      reports: ({ context, event }) => {
        assertEvent(event, 'RECORD_FOUND');
        return [...context.reports, event.report_id];
      },
    }),
    announceRecordFound: emit({ type: 'webhook', event: 'link.record_found' }),
    notifyRecordFound: emit({ type: 'notify', to: 'seeker', template: 'record_found', channels: ['in_app', 'email'] }),
    openConcernCase: emit(({ context, event }) => {
      assertEvent(event, 'REPORT_CONCERN');
      return {
        type: 'case' as const,
        queue: 'concerns',
        summary: event.text,
        refs: { report_id: event.report_id, seeker_id: context.seeker_id, provider_id: context.provider_id },
      };
    }),
  },
}).createMachine({
  id: 'link',
  context: ({ input }) => ({ ...input, reports: [] }),
  initial: 'draft',
  on: {
    // A concern may be raised about any report delivered to the link, also after it ended.
    REPORT_CONCERN: { guard: 'knownReport', actions: 'openConcernCase' },
  },
  states: {
    draft: {
      initial: 'confirm_hire',
      on: {
        CANCEL_REQUEST: { target: 'request_cancelled' },
        STAFF_REMOVE: { guard: 'bySeekerSide', target: 'request_cancelled' },
        MEMBER_LEFT: { target: 'request_cancelled' },
        IDME_VERIFIED: { actions: 'rememberIdme' },
      },
      states: {
        // C2: asked once per seeker and provider.
        confirm_hire: {
          always: { guard: 'hireConfirmed', target: 'disclosures' },
          on: { CONFIRM_HIRE: { target: 'disclosures', actions: ['rememberHire', 'tellSeekerHired'] } },
        },
        // C3 then C4: the request goes out once ID.me is done.
        disclosures: {
          on: {
            ACCEPT_DISCLOSURES: [
              { guard: 'idmeVerified', target: '#link.sent', actions: 'recordSeekerDisclosure' },
              { target: 'identity', actions: ['recordSeekerDisclosure', 'checkSlot'] },
            ],
          },
        },
        identity: {
          on: {
            IDME_VERIFIED: { target: '#link.sent', actions: 'rememberIdme' },
            // The seeker reached the limit, or the provider left, while in ID.me: the request is not sent.
            SLOT_REFUSED: { target: '#link.request_cancelled', actions: 'notifyLimitReached' },
            PROVIDER_UNAVAILABLE: { target: '#link.request_cancelled', actions: 'notifyProviderUnavailable' },
          },
        },
      },
    },
    // A sent request or running monitoring: holds one of the seeker's three slots (C6), and
    // reaches the provider only while their account is open.
    sent: {
      entry: ['claimSlot', 'deliverToProvider'],
      exit: 'releaseSlot',
      initial: 'request_pending',
      on: {
        MEMBER_LEFT: [{ guard: ({ context }) => !context.accepted_at, target: 'request_cancelled' }, { target: 'inactive' }],
      },
      states: {
        request_pending: {
          entry: ['markRequested', 'notifyRequestSent', 'notifyNewRequest', 'remindProviderLater'],
          exit: 'forgetProviderReminder',
          initial: 'waiting',
          on: {
            CANCEL_REQUEST: { target: '#link.request_cancelled', actions: 'notifyProviderCancelled' },
            STAFF_REMOVE: [
              { guard: 'bySeekerSide', target: '#link.request_cancelled', actions: 'notifyProviderCancelled' },
              { guard: 'byProviderSide', target: '#link.declined' },
            ],
            REMIND_PROVIDER: { actions: 'notifyProviderReminder' },
          },
          states: {
            waiting: {
              on: {
                ACCEPT: { target: '#link.sent.active', actions: 'recordProviderDisclosure' },
                DECLINE: { target: 'confirming_decline' },
              },
            },
            // C8: the provider confirms a decline, or keeps the request.
            confirming_decline: {
              on: {
                CONFIRM_DECLINE: { target: '#link.declined' },
                KEEP: { target: 'waiting' },
              },
            },
          },
        },
        // C7: monitoring begins only once the provider accepted.
        active: {
          entry: ['markAccepted', 'notifyAccepted', 'enrollMonitoring'],
          exit: 'withdrawMonitoring',
          initial: 'monitoring',
          on: {
            STOP_MONITORING: { target: '#link.inactive', actions: 'notifyMonitoringStopped' },
            STAFF_REMOVE: [
              { guard: 'bySeekerSide', target: '#link.inactive', actions: 'notifyMonitoringStopped' },
              { guard: 'byProviderSide', target: '#link.access_denied' },
            ],
            RECORD_FOUND: { actions: ['addReport', 'notifyRecordFound', 'announceRecordFound'] },
          },
          states: {
            monitoring: { on: { REMOVE_ACCESS: { target: 'confirming_removal' } } },
            // C10: the provider confirms removing access, or keeps it.
            confirming_removal: {
              on: {
                CONFIRM_REMOVE_ACCESS: { target: '#link.access_denied' },
                KEEP: { target: 'monitoring' },
              },
            },
          },
        },
      },
    },
    declined: { entry: ['markEnded', 'notifyDeclined'] },
    request_cancelled: { entry: ['markEnded', 'notifyCancelled'] },
    access_denied: { entry: ['markEnded', 'notifyAccessRemoved'] },
    inactive: { entry: ['markEnded', 'notifySeekerMonitoringStopped'] },
  },
});

/** The statuses a link never leaves (C16). */
export const ENDED_STATUSES = ['declined', 'request_cancelled', 'access_denied', 'inactive'] as const;
const STATUSES = ['request_pending', 'active', ...ENDED_STATUSES] as const;

function linkStatus(snapshot: { matches(v: any): boolean }): string {
  if (snapshot.matches('draft')) return 'draft';
  if (snapshot.matches({ sent: 'request_pending' })) return 'request_pending';
  if (snapshot.matches({ sent: 'active' })) return 'active';
  return STATUSES.find((s) => snapshot.matches(s)) ?? 'unknown';
}

/** Where in the draft the seeker is, or which confirmation is open (for the dashboards). */
function linkStep(snapshot: { matches(v: any): boolean }): string | undefined {
  for (const step of ['confirm_hire', 'disclosures', 'identity'] as const) {
    if (snapshot.matches({ draft: step })) return step;
  }
  if (snapshot.matches({ sent: { request_pending: 'confirming_decline' } })) return 'confirming_decline';
  if (snapshot.matches({ sent: { active: 'confirming_removal' } })) return 'confirming_removal';
  return undefined;
}

function view(c: LinkContext, step: string | undefined) {
  return {
    seeker_id: c.seeker_id,
    provider_id: c.provider_id,
    seeker_name: c.seeker_name,
    provider_name: c.provider_name,
    step: step ?? null,
    requested_at: c.requested_at ?? null,
    accepted_at: c.accepted_at ?? null,
    ended_at: c.ended_at ?? null,
    reason: c.reason ?? null,
    seeker_disclosure: c.seeker_disclosure ?? null,
    provider_disclosure: c.provider_disclosure ?? null,
    reports: c.reports,
  };
}

export const link: ActorKind<typeof linkMachine> = {
  kind: 'link',
  prefix: 'lnk_',
  machine: linkMachine,
  version: 1,
  status: linkStatus,
  // C5/API.md: the provider sees a link only once the request was sent.
  members: (c: LinkContext) => (c.requested_at ? [c.seeker_id, c.provider_id] : [c.seeker_id]),
  view: (snapshot) => view(snapshot.context, linkStep(snapshot)),
  announces: [{ event: 'link.status_changed', of: linkStatus }],
  commands: linkCommands,
};
