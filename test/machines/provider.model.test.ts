import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate';
import type { Effect, RetentionRule } from '../../machines/effects.ts';
import { type ProviderContext, type ProviderEvent, provider, providerMachine } from '../../machines/provider.ts';
import { activeNodes, stateNodes, transitionLabels } from './model-coverage.ts';

/**
 * Model-based test of the provider machine in isolation, in the style of seeker.model.test.ts: a
 * small specification of the provider's rules (closing the account, C11; requests received from
 * links; retention once closed, T4) is explored exhaustively, and from every state it reaches,
 * every event is applied to the real machine with XState's pure `transition()`. The machine must
 * accept exactly what the specification accepts, refuse the rest with the same business code,
 * emit the same effects, and show the same view.
 */

const AT = '2025-01-01T00:00:00.000Z';
const REQUESTED_AT = '2025-01-02T00:00:00.000Z';
const CLOSED_AT = '2025-01-03T00:00:00.000Z';

/** The specification's state: whether the account is closed, and when a request was last received. */
interface Model {
  closed: boolean;
  last_request_at: string | null;
  closed_at: string | null;
}

type RefusalCode = 'provider_unavailable';
type Outcome = { rule: string; accepted: true; next: Model; effects: Effect[] } | { rule: string; accepted: false; code?: RefusalCode };

/** T4: the durable reminder that ends a closed account's retention period, by its rule's name. */
const retention = (rule: RetentionRule): Effect => ({
  type: 'remind',
  key: 'retention',
  delay: `retention_${rule}`,
  event: { type: 'RETENTION_DUE', rule },
});

const R = {
  close: 'C11: closing the account ends every link that monitors the provider; T4: its data is kept for the closed-members period',
  closeOnce: 'an account closes once',
  request: 'C5: a request sent to the provider is received, and when is remembered',
  requestWhileClosed: 'C11: a closed account receives no requests (provider_unavailable)',
  erase: 'T4: a closed account keeps its data for the closed-members period, then erases it',
  eraseOnlyClosed: 'T4: an open account keeps its data',
} as const;

function spec(m: Model, e: ProviderEvent): Outcome {
  const accept = (rule: string, next: Model, effects: Effect[] = []): Outcome => ({ rule, accepted: true, next, effects });
  const refuse = (rule: string, code?: RefusalCode): Outcome => ({ rule, accepted: false, code });
  switch (e.type) {
    case 'CLOSE_ACCOUNT':
      if (m.closed) return refuse(R.closeOnce);
      return accept(R.close, { ...m, closed: true, closed_at: e.at }, [
        { type: 'cascade', links_of: 'provider', event: { type: 'MEMBER_LEFT', reason: 'provider_account_closed' } },
        retention('closed_members'),
      ]);
    case 'REQUEST_RECEIVED':
      if (m.closed) return refuse(R.requestWhileClosed, 'provider_unavailable');
      return accept(R.request, { ...m, last_request_at: e.at });
    case 'RETENTION_DUE':
      if (!m.closed) return refuse(R.eraseOnlyClosed);
      // A provider's only retention rule is the closed members' one.
      return accept(R.erase, m, [{ type: 'erase', rule: 'closed_members' }]);
  }
}

/** Every event the provider can be sent, with each payload that matters. */
const EVENTS: ProviderEvent[] = [
  { type: 'CLOSE_ACCOUNT', at: CLOSED_AT },
  { type: 'REQUEST_RECEIVED', link: 'lnk_1', at: REQUESTED_AT },
  { type: 'RETENTION_DUE', rule: 'closed_members', at: AT },
];

const describeEvent = ({ at: _at, by: _by, ...e }: ProviderEvent) => JSON.stringify(e);

const INPUT = { email: 'pat@example.com', first_name: 'Pat', last_name: 'Provider', phone: '+15555550111' };

/** What the provider's dashboard (and an agent's) would show of the machine's snapshot. */
function viewOf(snapshot: AnyMachineSnapshot) {
  const c = snapshot.context as ProviderContext;
  return {
    status: provider.status(snapshot),
    own: provider.view(snapshot, 'provider'),
    agent: provider.view(snapshot, 'agent'),
    last_request_at: c.last_request_at ?? null,
    closed_at: c.closed_at ?? null,
  };
}

function expectedView(m: Model) {
  const status = m.closed ? 'closed' : 'active';
  const view = { email: INPUT.email, first_name: INPUT.first_name, last_name: INPUT.last_name, account_status: status };
  return {
    status,
    own: { ...view, phone: INPUT.phone },
    agent: { ...view, phone: null },
    last_request_at: m.last_request_at,
    closed_at: m.closed_at,
  };
}

function emitted(actions: { type: string; params?: unknown }[]): Effect[] {
  return actions.filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: Effect }).event);
}

/** Breadth-first over the specification from a new provider, with the machine alongside. */
function explore() {
  const labels = transitionLabels(providerMachine);
  const taken = new Set<string>();
  const visited = new Set<string>();
  const rules = new Set<string>();
  const seen = new Set<string>();
  let edges = 0;

  const [snapshot, actions] = initialTransition(providerMachine, INPUT);
  const model: Model = { closed: false, last_request_at: null, closed_at: null };
  expect(emitted(actions), 'a new provider emits nothing').toEqual([]);
  expect(viewOf(snapshot), 'a new provider').toEqual(expectedView(model));
  const queue: { model: Model; snapshot: AnyMachineSnapshot; path: ProviderEvent[] }[] = [{ model, snapshot, path: [] }];
  seen.add(JSON.stringify(model));

  while (queue.length > 0) {
    const { model, snapshot, path } = queue.shift()!;
    for (const id of activeNodes(providerMachine, snapshot)) visited.add(id);
    for (const event of EVENTS) {
      edges++;
      const where = `after ${path.map(describeEvent).join(' → ') || 'creation'}, ${describeEvent(event)}`;
      const outcome = spec(model, event);
      rules.add(outcome.rule);
      expect(snapshot.can(event), `${where}: ${outcome.rule}`).toBe(outcome.accepted);
      if (!outcome.accepted) {
        expect(provider.refusal!(snapshot, event) ?? null, `${where}: refusal code`).toBe(outcome.code ?? null);
        continue;
      }
      for (const definition of providerMachine.getTransitionData(snapshot as never, event)) taken.add(labels.get(definition)!);
      const [next, actions] = transition(providerMachine, snapshot as never, event);
      expect(emitted(actions), `${where}: effects`).toEqual(outcome.effects);
      expect(viewOf(next), `${where}: view`).toEqual(expectedView(outcome.next));
      const key = JSON.stringify(outcome.next);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push({ model: outcome.next, snapshot: next, path: [...path, event] });
      }
    }
  }
  return { labels, taken, visited, rules, states: seen.size, edges };
}

describe('provider, model-based', () => {
  // Explored by the first test that runs (not in a hook: mutation testing activates a mutant per test).
  let explored: ReturnType<typeof explore> | undefined;
  const exploration = () => (explored ??= explore());

  it('agrees with the specification on every event from every reachable state', () => {
    const result = exploration();
    // Open or closed × a request received or not.
    expect(result.states).toBe(4);
    expect(result.edges).toBe(result.states * EVENTS.length);
  });

  it('exercises every rule of the specification', () => {
    const result = exploration();
    const all = Object.values(R) as string[];
    expect(all.filter((rule) => !result.rules.has(rule))).toEqual([]);
    expect([...result.rules].filter((rule) => !all.includes(rule))).toEqual([]);
  });

  it('visits every state and takes every transition of the machine', () => {
    const result = exploration();
    expect(
      stateNodes(providerMachine)
        .map((n) => n.id)
        .filter((id) => !result.visited.has(id)),
    ).toEqual([]);
    expect([...result.labels.values()].filter((label) => !result.taken.has(label))).toEqual([]);
  });
});
