import { assign, emit, setup } from 'xstate';
import { z } from 'zod';
import type { Effect } from './effects.ts';
import type { ActorKind, Role } from './kind.ts';

/**
 * A seeker: a member who hires. Two regions run side by side: the account (active or closed)
 * and identity verification (SPEC.md I1–I14). The seeker also owns the count of its monitoring
 * slots, so the 3-link limit (C6) is decided by one actor, one event at a time.
 */

export type Plan = 'legacy' | 'starter' | 'complete';
export const MONITORING_LIMIT = 3;

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
}

export type SeekerInput = Pick<SeekerContext, 'email' | 'plan' | 'first_name' | 'last_name' | 'phone'>;

type Stamp = { at: string; by?: string };
export type SeekerEvent = Stamp &
  (
    | { type: 'CHANGE_PLAN'; plan: Plan }
    | { type: 'CLOSE_ACCOUNT' }
    | { type: 'IDME_VERIFIED' }
    | { type: 'HIRE_CONFIRMED'; provider_id: string }
    | { type: 'CLAIM_SLOT'; link: string }
    | { type: 'RELEASE_SLOT'; link: string }
  );

export const seekerMachine = setup({
  types: {} as { context: SeekerContext; events: SeekerEvent; input: SeekerInput; emitted: Effect },
  guards: {
    isPaidPlan: ({ context }) => context.plan !== 'legacy',
    isNewPlan: ({ context, event }) => event.type === 'CHANGE_PLAN' && event.plan !== context.plan,
    leavesComplete: ({ context, event }) =>
      event.type === 'CHANGE_PLAN' && context.plan === 'complete' && event.plan !== 'complete',
    hasFreeSlot: ({ context, event }) =>
      event.type === 'CLAIM_SLOT' &&
      context.plan === 'complete' &&
      (context.monitoring_links.includes(event.link) || context.monitoring_links.length < MONITORING_LIMIT),
  },
  actions: {
    setPlan: assign({ plan: ({ event }) => (event as { plan: Plan }).plan }),
    // C11: leaving Complete ends every link of the seeker.
    endLinks: emit(({ event }) => ({
      type: 'cascade',
      links_of: 'seeker',
      event: { type: 'MEMBER_LEFT', reason: event.type === 'CLOSE_ACCOUNT' ? 'seeker_account_closed' : 'plan_changed' },
    })),
    markClosed: assign({ closed_at: ({ event }) => event.at }),
    rememberIdme: assign({ idme_verified: true }),
    // C4: links waiting for ID.me go on once it is done.
    tellLinksIdme: emit({ type: 'cascade', links_of: 'seeker', event: { type: 'IDME_VERIFIED' } }),
    rememberHire: assign({
      hired_providers: ({ context, event }) => {
        const provider = (event as { provider_id: string }).provider_id;
        return context.hired_providers.includes(provider) ? context.hired_providers : [...context.hired_providers, provider];
      },
    }),
    takeSlot: assign({
      monitoring_links: ({ context, event }) => {
        const link = (event as { link: string }).link;
        return context.monitoring_links.includes(link) ? context.monitoring_links : [...context.monitoring_links, link];
      },
    }),
    freeSlot: assign({
      monitoring_links: ({ context, event }) => context.monitoring_links.filter((l) => l !== (event as { link: string }).link),
    }),
  },
}).createMachine({
  id: 'seeker',
  type: 'parallel',
  context: ({ input }) => ({ ...input, idme_verified: false, hired_providers: [], monitoring_links: [] }),
  on: {
    // Sent by links in the same commit as their own change; never refused, so a link can always end.
    HIRE_CONFIRMED: { actions: 'rememberHire' },
    RELEASE_SLOT: { actions: 'freeSlot' },
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
            IDME_VERIFIED: { actions: ['rememberIdme', 'tellLinksIdme'] },
            CLAIM_SLOT: { guard: 'hasFreeSlot', actions: 'takeSlot' },
          },
        },
        closed: {},
      },
    },
    // Identity verification; the Prove / Veriff / review steps come with the IDV capability.
    idv: {
      initial: 'deciding',
      states: {
        deciding: {
          always: [{ guard: 'isPaidPlan', target: 'required' }, { target: 'not_required' }],
        },
        not_required: {},
        required: {},
      },
    },
  },
});

const mask = (value: string | undefined) => (value ? value.replace(/.(?=.{2})/g, '•') : null);

export const seeker: ActorKind<typeof seekerMachine> = {
  kind: 'seeker',
  prefix: 'skr_',
  machine: seekerMachine,
  status: (snapshot) => (snapshot.matches({ account: 'closed' }) ? 'closed' : 'active'),
  members: (_context, id) => [id],
  view: (snapshot, role: Role) => {
    const c = snapshot.context as SeekerContext;
    const entitled = role !== 'agent';
    return {
      email: c.email,
      first_name: c.first_name ?? null,
      last_name: c.last_name ?? null,
      phone: entitled ? (c.phone ?? null) : mask(c.phone),
      plan: c.plan,
      account_status: snapshot.matches({ account: 'closed' }) ? 'closed' : 'active',
      idv_status: (snapshot.value as { idv: string }).idv,
      idme_verified: c.idme_verified,
      hired_providers: c.hired_providers,
      monitoring: { used: c.monitoring_links.length, limit: MONITORING_LIMIT, links: c.monitoring_links },
    };
  },
  commands: {
    CHANGE_PLAN: { by: ['integrator'], fields: z.object({ plan: z.enum(['legacy', 'starter', 'complete']) }).strict() },
    CLOSE_ACCOUNT: { by: ['seeker', 'integrator'], fields: z.object({}).strict() },
  },
  refusal: (snapshot, event) => {
    if (event.type !== 'CLAIM_SLOT') return undefined;
    const c = snapshot.context as SeekerContext;
    if (c.plan !== 'complete') return 'plan_not_eligible';
    if (c.monitoring_links.length >= MONITORING_LIMIT) return 'monitoring_limit_reached';
    return undefined;
  },
};
