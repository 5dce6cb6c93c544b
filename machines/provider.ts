import { assign, emit, setup } from 'xstate';
import { z } from 'zod';
import { type Effect, type RetentionRule, retentionReminder } from './effects.ts';
import type { ActorKind, Command, CommandEvents } from './kind.ts';

/** A provider: a member who works. Closing the account ends every link that monitors them (C11). */

export interface ProviderContext {
  email: string;
  first_name: string;
  last_name: string;
  phone?: string;
  last_request_at?: string;
  closed_at?: string;
}

/** The events members and the integrator send: who may send each, and its fields. */
const providerCommands = { CLOSE_ACCOUNT: { by: ['provider', 'integrator'], fields: z.object({}).strict() } } satisfies Record<string, Command>;

// REQUEST_RECEIVED is the runtime's joint event when a link's request is sent to the provider; RETENTION_DUE a reminder.
export type ProviderEvent = { at: string; by?: string } & (
  | CommandEvents<typeof providerCommands>
  | { type: 'REQUEST_RECEIVED'; link: string }
  | { type: 'RETENTION_DUE'; rule: RetentionRule }
);

export const providerMachine = setup({
  types: {} as { context: ProviderContext; events: ProviderEvent; input: Omit<ProviderContext, 'closed_at' | 'last_request_at'>; emitted: Effect },
  actions: {
    markClosed: assign({ closed_at: ({ event }) => event.at }),
    markRequested: assign({ last_request_at: ({ event }) => event.at }),
    endLinks: emit({ type: 'cascade', links_of: 'provider', event: { type: 'MEMBER_LEFT', reason: 'provider_account_closed' } }),
    // T4: a closed member's data is kept for the rule's period, then erased.
    startRetention: emit(retentionReminder('closed_members')),
    eraseForRetention: emit({ type: 'erase', rule: 'closed_members' }),
  },
}).createMachine({
  id: 'provider',
  context: ({ input }) => ({ ...input }),
  initial: 'active',
  states: {
    active: {
      on: {
        CLOSE_ACCOUNT: { target: 'closed', actions: ['markClosed', 'endLinks'] },
        // Sent by a link in the same commit as it is sent: a closed account receives no requests.
        REQUEST_RECEIVED: { actions: 'markRequested' },
      },
    },
    closed: { entry: 'startRetention', on: { RETENTION_DUE: { actions: 'eraseForRetention' } } },
  },
});

export const provider: ActorKind<typeof providerMachine> = {
  kind: 'provider',
  prefix: 'prv_',
  machine: providerMachine,
  version: 1,
  status: (snapshot) => String(snapshot.value),
  members: (_context, id) => [id],
  view: (snapshot, role) => {
    const c = snapshot.context as ProviderContext;
    return {
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      phone: role === 'agent' ? null : (c.phone ?? null),
      account_status: String(snapshot.value),
    };
  },
  commands: providerCommands,
  refusal: (snapshot, event) => (event.type === 'REQUEST_RECEIVED' && snapshot.matches('closed') ? 'provider_unavailable' : undefined),
};
