import type { Channel, Effect } from '../../machines/effects.ts';
import type { LinkEvent } from '../../machines/link.ts';

/**
 * The provider link as SPEC.md's C rules describe it, written without looking at `linkMachine`:
 * what a member sees of a link (status, the draft step or open confirmation, what is recorded)
 * and what each event does to it, with the effects the rules ask for. The model tests hold the
 * machine and the running server to it.
 */

/** The runtime stamps events with their time; the model needs one too (guards read what it sets). */
export const AT = '2025-01-01T00:00:00.000Z';
export const SEEKER_DISCLOSURE = 'cbgc-seeker-2025-01';
export const PROVIDER_DISCLOSURE = 'cbgc-provider-2025-01';
export const STAFF_REASON = 'The member asked customer care to remove it.';

/** The concrete events the API can cause: MEMBER_LEFT once per cause, STAFF_REMOVE once per side. */
export const LINK_EVENTS: LinkEvent[] = [
  { type: 'CONFIRM_HIRE', at: AT },
  { type: 'ACCEPT_DISCLOSURES', disclosure_version: SEEKER_DISCLOSURE, at: AT },
  { type: 'IDME_VERIFIED', at: AT },
  { type: 'SLOT_REFUSED', reason: 'monitoring_limit_reached', at: AT },
  { type: 'PROVIDER_UNAVAILABLE', reason: 'provider_unavailable', at: AT },
  { type: 'CANCEL_REQUEST', at: AT },
  { type: 'ACCEPT', disclosure_version: PROVIDER_DISCLOSURE, at: AT },
  { type: 'DECLINE', at: AT },
  { type: 'CONFIRM_DECLINE', at: AT },
  { type: 'REMOVE_ACCESS', at: AT },
  { type: 'CONFIRM_REMOVE_ACCESS', at: AT },
  { type: 'KEEP', at: AT },
  { type: 'STOP_MONITORING', at: AT },
  { type: 'STAFF_REMOVE', side: 'seeker', reason: STAFF_REASON, at: AT },
  { type: 'STAFF_REMOVE', side: 'provider', reason: STAFF_REASON, at: AT },
  { type: 'MEMBER_LEFT', reason: 'plan_changed', at: AT },
  { type: 'MEMBER_LEFT', reason: 'seeker_account_closed', at: AT },
  { type: 'MEMBER_LEFT', reason: 'provider_account_closed', at: AT },
  { type: 'REMIND_PROVIDER', at: AT },
];

export type LinkStatus = 'draft' | 'request_pending' | 'active' | 'declined' | 'request_cancelled' | 'access_denied' | 'inactive';
export type LinkStep = 'confirm_hire' | 'disclosures' | 'identity' | 'confirming_decline' | 'confirming_removal' | null;

export interface LinkModel {
  status: LinkStatus;
  step: LinkStep;
  /** C2: the seeker confirmed hiring this provider (now or on an earlier request). */
  hired: boolean;
  /** C4: the seeker completed ID.me. */
  idme: boolean;
  requested: boolean;
  accepted: boolean;
  ended: boolean;
  reason: string | null;
  seeker_disclosure: string | null;
  provider_disclosure: string | null;
  reports: string[];
}

export type LinkOutcome = { rule: string; accepted: true; next: LinkModel; effects: Effect[] } | { rule: string; accepted: false };

/** C2, C4: a new draft starts at the first step the seeker has left. */
export function createdLink(input: { hire_confirmed: boolean; idme_verified: boolean }): LinkModel {
  return {
    status: 'draft',
    step: input.hire_confirmed ? 'disclosures' : 'confirm_hire',
    hired: input.hire_confirmed,
    idme: input.idme_verified,
    requested: false,
    accepted: false,
    ended: false,
    reason: null,
    seeker_disclosure: null,
    provider_disclosure: null,
    reports: [],
  };
}

const both: Channel[] = ['in_app', 'email'];
const toSeeker = (template: string): Effect => ({ type: 'notify', to: 'seeker', template, channels: both });
const toProvider = (template: string, channels: Channel[] = both): Effect => ({ type: 'notify', to: 'provider', template, channels });
const joint = (to: 'seeker' | 'provider', type: string, check?: true): Effect => ({ type: 'joint', to, event: { type }, ...(check && { check }) });
const sterling = (action: 'enroll_monitoring' | 'withdraw_monitoring'): Effect => ({ type: 'vendor', vendor: 'sterling', action });

/** C5, C6: the request goes out, holds a slot, reaches the provider, who is reminded later. */
const SEND: Effect[] = [
  joint('seeker', 'CLAIM_SLOT'),
  joint('provider', 'REQUEST_RECEIVED'),
  toSeeker('request_sent'),
  toProvider('new_request'),
  { type: 'remind', key: 'provider_reminder', delay: 'provider_reminder', event: { type: 'REMIND_PROVIDER' } },
];
/** A pending request answered or withdrawn: no more reminder, and its slot is given back (C6). */
const LEAVE_PENDING: Effect[] = [{ type: 'cancel_reminder', key: 'provider_reminder' }, joint('seeker', 'RELEASE_SLOT')];
/** Monitoring ends: the vendor enrolment is withdrawn and the slot given back (C6, C7). */
const LEAVE_ACTIVE: Effect[] = [sterling('withdraw_monitoring'), joint('seeker', 'RELEASE_SLOT')];

/** C15: the seeker hears how each request ended. */
const ENDED_NOTICE: Record<Exclude<LinkStatus, 'draft' | 'request_pending' | 'active'>, Effect> = {
  declined: toSeeker('request_declined'),
  request_cancelled: toSeeker('request_cancelled'),
  access_denied: toSeeker('access_removed'),
  inactive: toSeeker('monitoring_ended'),
};

export function linkSpec(m: LinkModel, e: LinkEvent): LinkOutcome {
  const refuse = (rule: string): LinkOutcome => ({ rule, accepted: false });
  const accept = (rule: string, changes: Partial<LinkModel>, effects: Effect[] = []): LinkOutcome => ({
    rule,
    accepted: true,
    next: { ...m, ...changes },
    effects,
  });
  const end = (rule: string, status: keyof typeof ENDED_NOTICE, effects: Effect[] = []): LinkOutcome =>
    accept(rule, { status, step: null, ended: true, reason: 'reason' in e ? e.reason : null }, [...effects, ENDED_NOTICE[status]]);
  const send = (rule: string, changes: Partial<LinkModel>) => accept(rule, { ...changes, status: 'request_pending', step: null, requested: true }, SEND);

  // C12: a concern about a report delivered to the link opens a case, also after the link ended.
  if (e.type === 'REPORT_CONCERN') {
    if (!m.reports.includes(e.report_id)) return refuse('a concern is about a report of this link');
    return accept('C12: a concern about a report opens a case', {}, [
      { type: 'case', queue: 'concerns', summary: e.text, refs: { report_id: e.report_id, seeker_id: 'skr_model', provider_id: 'prv_model' } },
    ]);
  }

  switch (m.status) {
    case 'draft':
      switch (e.type) {
        case 'CANCEL_REQUEST':
          return end('C9: the seeker cancels a draft', 'request_cancelled');
        case 'STAFF_REMOVE':
          if (e.side === 'seeker') return end('C14: staff cancel a draft for the seeker', 'request_cancelled');
          return refuse('C14: the provider has no side in a draft (it never reached them)');
        case 'MEMBER_LEFT':
          return end('C11: a member leaving cancels a draft', 'request_cancelled');
        case 'CONFIRM_HIRE':
          if (m.step !== 'confirm_hire') return refuse('C2: the hire is confirmed once');
          return accept('C2: the seeker confirms the hire', { step: 'disclosures', hired: true }, [joint('seeker', 'HIRE_CONFIRMED')]);
        case 'ACCEPT_DISCLOSURES':
          if (m.step !== 'disclosures') return refuse('C3: the disclosures come after the hire confirmation, once');
          if (m.idme) return send('C3, C5: disclosures accepted by a verified seeker send the request', { seeker_disclosure: e.disclosure_version });
          return accept(
            'C3, C4, C6, I6: disclosures accepted, on to ID.me, if the seeker could send it now',
            { step: 'identity', seeker_disclosure: e.disclosure_version },
            [joint('seeker', 'CLAIM_SLOT', true)],
          );
        case 'IDME_VERIFIED':
          if (m.step === 'identity') return send('C4: the request is sent when ID.me succeeds', { idme: true });
          return accept('C4: ID.me done before the draft needs it', { idme: true });
        case 'SLOT_REFUSED':
          if (m.step !== 'identity') return refuse('only a request about to be sent meets the limit');
          return end('C6: the limit was reached while in ID.me', 'request_cancelled', [toSeeker('limit_reached')]);
        case 'PROVIDER_UNAVAILABLE':
          if (m.step !== 'identity') return refuse('only a request about to be sent meets a closed provider');
          return end('C11: the provider closed their account while in ID.me', 'request_cancelled', [toSeeker('provider_unavailable')]);
        default:
          return refuse('a draft takes only the seeker’s steps');
      }
    case 'request_pending':
      switch (e.type) {
        case 'CANCEL_REQUEST':
          return end('C9: the seeker cancels before the provider approves', 'request_cancelled', [
            toProvider('request_withdrawn', ['in_app']),
            ...LEAVE_PENDING,
          ]);
        case 'STAFF_REMOVE':
          if (e.side === 'seeker')
            return end('C14: staff cancel the request for the seeker', 'request_cancelled', [toProvider('request_withdrawn', ['in_app']), ...LEAVE_PENDING]);
          return end('C14: staff decline the request for the provider', 'declined', LEAVE_PENDING);
        case 'MEMBER_LEFT':
          return end('C11: a member leaving cancels a pending request', 'request_cancelled', LEAVE_PENDING);
        case 'REMIND_PROVIDER':
          return accept('C5: the provider is reminded of a request left unanswered', {}, [toProvider('request_reminder')]);
        case 'ACCEPT':
          if (m.step !== null) return refuse('C8: a provider confirming a decline answers that first');
          return accept(
            'C7: the provider accepts with the disclosures; monitoring begins',
            { status: 'active', accepted: true, provider_disclosure: e.disclosure_version },
            [{ type: 'cancel_reminder', key: 'provider_reminder' }, toSeeker('request_accepted'), sterling('enroll_monitoring')],
          );
        case 'DECLINE':
          if (m.step !== null) return refuse('C8: a decline is asked once');
          return accept('C8: the provider is asked to confirm the decline', { step: 'confirming_decline' });
        case 'CONFIRM_DECLINE':
          if (m.step !== 'confirming_decline') return refuse('C8: only an asked decline is confirmed');
          return end('C8: the provider confirms the decline', 'declined', LEAVE_PENDING);
        case 'KEEP':
          if (m.step !== 'confirming_decline') return refuse('C8: nothing to keep without a decline asked');
          return accept('C8: the provider keeps the request', { step: null });
        default:
          return refuse('a pending request takes only answers and withdrawals');
      }
    case 'active':
      switch (e.type) {
        case 'STOP_MONITORING':
          return end('C11: the seeker stops monitoring', 'inactive', [toProvider('monitoring_stopped'), ...LEAVE_ACTIVE]);
        case 'STAFF_REMOVE':
          if (e.side === 'seeker') return end('C14: staff stop monitoring for the seeker', 'inactive', [toProvider('monitoring_stopped'), ...LEAVE_ACTIVE]);
          return end('C14: staff remove access for the provider', 'access_denied', LEAVE_ACTIVE);
        case 'MEMBER_LEFT':
          return end('C11: a member leaving makes monitoring inactive', 'inactive', LEAVE_ACTIVE);
        case 'REMOVE_ACCESS':
          if (m.step !== null) return refuse('C10: a removal is asked once');
          return accept('C10: the provider is asked to confirm the removal', { step: 'confirming_removal' });
        case 'CONFIRM_REMOVE_ACCESS':
          if (m.step !== 'confirming_removal') return refuse('C10: only an asked removal is confirmed');
          return end('C10: the provider confirms removing access', 'access_denied', LEAVE_ACTIVE);
        case 'KEEP':
          if (m.step !== 'confirming_removal') return refuse('C10: nothing to keep without a removal asked');
          return accept('C10: the provider keeps the access', { step: null });
        case 'RECORD_FOUND':
          return accept('C12: a record found makes a report the seeker is alerted to', { reports: [...m.reports, e.report_id] }, [
            toSeeker('record_found'),
            { type: 'webhook', event: 'link.record_found' },
          ]);
        default:
          return refuse('monitoring takes only its endings');
      }
    default:
      return refuse('C16: an ended link stays as it ended');
  }
}

/** Which events each role sends (API.md, "Provider links"). */
export const SENDERS = {
  seeker: ['CONFIRM_HIRE', 'ACCEPT_DISCLOSURES', 'CANCEL_REQUEST', 'STOP_MONITORING', 'REPORT_CONCERN'],
  provider: ['ACCEPT', 'DECLINE', 'CONFIRM_DECLINE', 'REMOVE_ACCESS', 'CONFIRM_REMOVE_ACCESS', 'KEEP'],
  agent: ['STAFF_REMOVE'],
} as const;
export type Viewer = keyof typeof SENDERS;

/** The buttons a member or an agent is offered: what they send that the rules accept now, with some payload. */
export function canOf(m: LinkModel, viewer: Viewer, events: LinkEvent[]): string[] {
  return SENDERS[viewer].filter((type) => events.some((e) => e.type === type && linkSpec(m, e).accepted)).sort();
}

/** The status whose link holds one of the seeker's slots (C6). */
export const holdsSlot = (m: LinkModel) => m.status === 'request_pending' || m.status === 'active';
