import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate';
import type { Effect } from '../../machines/effects.ts';
import { type LinkEvent, type LinkInput, link, linkMachine } from '../../machines/link.ts';
import { can } from '../../server/runtime/view.ts';
import { AT, canOf, createdLink, LINK_EVENTS, type LinkModel, linkSpec, SENDERS, type Viewer } from './link-spec.ts';
import { activeNodes, stateNodes, transitionLabels } from './model-coverage.ts';

/**
 * The link machine held to the C rules in isolation (link-spec.ts): from every state the
 * specification reaches, every event is applied to the machine with XState's pure `transition()`.
 * The machine must accept exactly what the rules accept, emit the effects they ask for, and show
 * each member and an agent the status, step, recorded facts and buttons the rules give. (The
 * model test in link.model.test.ts drives the same rules through the running server.)
 */

/** Every event a link can be sent, with each payload that matters: also a report found, and concerns about it. */
const EVENTS: LinkEvent[] = [
  ...LINK_EVENTS,
  { type: 'RECORD_FOUND', report_id: 'rpt_1', at: AT },
  { type: 'REPORT_CONCERN', report_id: 'rpt_1', text: 'This record is not about my provider.', at: AT },
  { type: 'REPORT_CONCERN', report_id: 'rpt_other', text: 'Not a report of this link.', at: AT },
];

const CALLERS: Record<Viewer, { role: Viewer; subject?: string }> = {
  seeker: { role: 'seeker', subject: 'skr_model' },
  provider: { role: 'provider', subject: 'prv_model' },
  agent: { role: 'agent', subject: 'agent_model' },
};

const describeEvent = ({ at: _at, by: _by, ...e }: LinkEvent) => JSON.stringify(e);
const sorted = (effects: Effect[]) => effects.map((e) => JSON.stringify(e)).sort();

function emitted(actions: { type: string; params?: unknown }[]): Effect[] {
  return actions.filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: Effect }).event);
}

/** What a member or an agent sees of the machine's snapshot. */
function viewOf(snapshot: AnyMachineSnapshot) {
  const data = link.view(snapshot, 'seeker') as Record<string, any>;
  return {
    status: link.status(snapshot),
    step: data.step,
    requested: data.requested_at !== null,
    accepted: data.accepted_at !== null,
    ended: data.ended_at !== null,
    reason: data.reason,
    seeker_disclosure: data.seeker_disclosure?.version ?? null,
    provider_disclosure: data.provider_disclosure?.version ?? null,
    reports: data.reports,
    members: link.members(snapshot.context, 'lnk_model'),
    can: Object.fromEntries(Object.keys(SENDERS).map((v) => [v, can(link, snapshot, CALLERS[v as Viewer], 'lnk_model', AT).sort()])),
  };
}

function expectedView(m: LinkModel) {
  const { hired: _hired, idme: _idme, ...shown } = m;
  return {
    ...shown,
    // C5: the provider is a member of the link once the request went out.
    members: m.requested ? ['skr_model', 'prv_model'] : ['skr_model'],
    can: Object.fromEntries(Object.keys(SENDERS).map((v) => [v, canOf(m, v as Viewer, EVENTS)])),
  };
}

/** A report found twice adds nothing new to explore. */
const key = (m: LinkModel) => JSON.stringify({ ...m, reports: [...new Set(m.reports)] });

function explore() {
  const labels = transitionLabels(linkMachine);
  const taken = new Set<string>();
  const visited = new Set<string>();
  const rules = new Set<string>();
  const seen = new Set<string>();
  const queue: { model: LinkModel; snapshot: AnyMachineSnapshot; path: LinkEvent[] }[] = [];
  let edges = 0;

  for (const hire_confirmed of [false, true]) {
    for (const idme_verified of [false, true]) {
      const input: LinkInput = {
        seeker_id: 'skr_model',
        provider_id: 'prv_model',
        seeker_name: 'Sally S.',
        provider_name: 'Pat P.',
        hire_confirmed,
        idme_verified,
      };
      const [snapshot, actions] = initialTransition(linkMachine, input);
      const model = createdLink(input);
      expect(viewOf(snapshot), `a new link after ${JSON.stringify({ hire_confirmed, idme_verified })}`).toEqual(expectedView(model));
      expect(emitted(actions), 'a draft does nothing yet').toEqual([]);
      for (const definition of linkMachine.root.always ?? []) taken.add(labels.get(definition)!);
      if (hire_confirmed) taken.add([...labels.values()].find((l) => l.startsWith('link.draft.confirm_hire (always)'))!);
      seen.add(key(model));
      queue.push({ model, snapshot, path: [] });
    }
  }

  while (queue.length > 0) {
    const { model, snapshot, path } = queue.shift()!;
    for (const id of activeNodes(linkMachine, snapshot)) visited.add(id);
    for (const event of EVENTS) {
      edges++;
      const where = `after ${path.map(describeEvent).join(' → ') || 'creation'}, ${describeEvent(event)}`;
      const outcome = linkSpec(model, event);
      rules.add(outcome.rule);
      expect(snapshot.can(event), `${where}: ${outcome.rule}`).toBe(outcome.accepted);
      if (!outcome.accepted) continue;
      for (const definition of linkMachine.getTransitionData(snapshot as never, event)) taken.add(labels.get(definition)!);
      const [next, actions] = transition(linkMachine, snapshot as never, event);
      expect(sorted(emitted(actions)), `${where}: effects`).toEqual(sorted(outcome.effects));
      expect(viewOf(next), `${where}: view`).toEqual(expectedView(outcome.next));
      if (!seen.has(key(outcome.next))) {
        seen.add(key(outcome.next));
        queue.push({ model: outcome.next, snapshot: next, path: [...path, event] });
      }
    }
  }
  return { labels, taken, visited, rules, states: seen.size, edges };
}

describe('provider link, held to the C rules', () => {
  // Explored by the first test that runs (not in a hook: mutation testing activates a mutant per test).
  let explored: ReturnType<typeof explore> | undefined;
  const exploration = () => (explored ??= explore());

  it('agrees with the rules on every event from every reachable state', () => {
    const result = exploration();
    expect(result.states).toBeGreaterThan(50);
    expect(result.edges).toBe(result.states * EVENTS.length);
  });

  it('visits every state and takes every transition of the machine', () => {
    const result = exploration();
    expect(
      stateNodes(linkMachine)
        .map((n) => n.id)
        .filter((id) => !result.visited.has(id)),
    ).toEqual([]);
    expect([...result.labels.values()].filter((label) => !result.taken.has(label))).toEqual([]);
  });
});
