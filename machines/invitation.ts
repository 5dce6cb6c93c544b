import { assertEvent, assign, emit, setup } from 'xstate';
import type { Effect } from './effects.ts';
import type { ActorKind } from './kind.ts';
import type { Consent } from './report.ts';

/**
 * An invitation (Checkr's, SPEC.md B1–B3): the candidate is emailed a link to the hosted form,
 * reminded every day, and completes it with their consent, which orders the report. It expires
 * after the configured period (a durable reminder), or the integrator deletes it.
 */

export interface InvitationInput {
  candidate_id: string;
  package: string;
  tags: string[];
  invitation_url: string;
  expires_at: string;
}

export interface InvitationContext extends InvitationInput {
  report_id: string | null;
  completed_at: string | null;
  deleted_at: string | null;
  signature: Consent | null;
}

type Stamp = { at: string; by?: string };
export type InvitationEvent = Stamp &
  ({ type: 'COMPLETE'; report_id: string; signature: Consent } | { type: 'REMIND_CANDIDATE' } | { type: 'EXPIRE' } | { type: 'DELETE' });

export const invitationMachine = setup({
  types: {} as { context: InvitationContext; events: InvitationEvent; input: InvitationInput; emitted: Effect },
  actions: {
    emailInvitation: emit({ type: 'notify', to: 'candidate', template: 'invitation', channels: ['email'] }),
    emailReminder: emit({ type: 'notify', to: 'candidate', template: 'invitation_reminder', channels: ['email'] }),
    remindTomorrow: emit({ type: 'remind', key: 'reminder', delay: 'invitation_reminder', event: { type: 'REMIND_CANDIDATE' } }),
    expireLater: emit(({ context }) => ({ type: 'remind' as const, key: 'expiry', at: context.expires_at, event: { type: 'EXPIRE' } })),
    forgetReminder: emit({ type: 'cancel_reminder', key: 'reminder' }),
    forgetExpiry: emit({ type: 'cancel_reminder', key: 'expiry' }),
    recordCompletion: assign(({ event }) =>
      event.type === 'COMPLETE' ? { report_id: event.report_id, signature: event.signature, completed_at: event.at } : {},
    ),
    orderReport: emit(({ context, event }) => {
      assertEvent(event, 'COMPLETE');
      return {
        type: 'order_report' as const,
        report_id: event.report_id,
        candidate_id: context.candidate_id,
        package: context.package,
        tags: context.tags,
        consent: event.signature,
      };
    }),
    markDeleted: assign({ deleted_at: ({ event }) => event.at }),
    announceCreated: emit({ type: 'webhook', event: 'invitation.created' }),
    announceCompleted: emit({ type: 'webhook', event: 'invitation.completed' }),
    announceExpired: emit({ type: 'webhook', event: 'invitation.expired' }),
    announceDeleted: emit({ type: 'webhook', event: 'invitation.deleted' }),
  },
}).createMachine({
  id: 'invitation',
  context: ({ input }) => ({ ...input, report_id: null, completed_at: null, deleted_at: null, signature: null }),
  initial: 'pending',
  states: {
    pending: {
      entry: ['announceCreated', 'emailInvitation', 'remindTomorrow', 'expireLater'],
      exit: ['forgetReminder', 'forgetExpiry'],
      on: {
        COMPLETE: { target: 'completed', actions: ['recordCompletion', 'orderReport', 'announceCompleted'] },
        REMIND_CANDIDATE: { actions: ['emailReminder', 'remindTomorrow'] },
        EXPIRE: { target: 'expired', actions: 'announceExpired' },
        DELETE: { target: 'deleted', actions: ['markDeleted', 'announceDeleted'] },
      },
    },
    completed: {},
    expired: {},
    // Checkr has no cancelled status: a deleted invitation keeps reading `pending`, with `deleted_at`.
    deleted: {},
  },
});

export const invitation: ActorKind<typeof invitationMachine> = {
  kind: 'invitation',
  prefix: 'inv_',
  machine: invitationMachine,
  version: 1,
  status: (snapshot) => String(snapshot.value),
  members: () => [],
  view: (snapshot) => {
    const c = snapshot.context as InvitationContext;
    return { candidate_id: c.candidate_id, package: c.package, invitation_url: c.invitation_url, expires_at: c.expires_at, report_id: c.report_id };
  },
  commands: {},
};
