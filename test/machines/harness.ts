import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, type AnyStateMachine, createActor, type EventObject, initialTransition, transition } from 'xstate';
import type { Effect } from '../../machines/effects.ts';
import { activeNodes, replay, stateNodes, transitionLabels } from './model-coverage.ts';

/**
 * The harness of the model-based tests of a machine in isolation (checks, provider and seeker
 * model tests): a small specification of the machine's rules, written from the documents and not
 * from the machine, is explored breadth-first from every way the actor is created, and from every
 * state it reaches every event (with each payload that matters) is applied to the real machine
 * with XState's pure `transition()`. The machine must accept exactly what the specification
 * accepts, refuse the rest with the same business code (where the kind names one), and when it
 * accepts, emit the same effects and read the same through its kind. Coverage of states and
 * transitions (eventless ones when taken) is computed from the machine definition
 * (model-coverage.ts).
 *
 * Disagreements are collected, not thrown at the first one, so that a failing run lists every
 * rule the machine breaks, each with the shortest path that shows it.
 */

/** What the specification says of an event: the rule that decides it, and what follows. */
export type Outcome<M, C extends string = string> = { rule: string; accepted: true; next: M; effects: Effect[] } | { rule: string; accepted: false; code?: C };

export const accept = <M, C extends string = string>(rule: string, next: M, effects: Effect[] = []): Outcome<M, C> => ({ rule, accepted: true, next, effects });
/** `code`: the business code the kind's `refusal()` names for it, if any. */
export const refuse = <M, C extends string = string>(rule: string, code?: C): Outcome<M, C> => ({ rule, accepted: false, code });

interface Start<M> {
  label: string;
  input: unknown;
  model: M;
  /** What creating the actor emits. */
  effects: Effect[];
}

export interface Harness<M, E extends EventObject> {
  name: string;
  machine: AnyStateMachine;
  starts: Start<M>[];
  /** The events tried from a state of the specification, with each payload that matters there. */
  events(m: M): E[];
  spec(m: M, e: E): Outcome<M>;
  key(m: M): string;
  /** What the machine's kind shows of a snapshot. */
  actual(s: AnyMachineSnapshot): unknown;
  /** What the specification says it should show. */
  expected(m: M): unknown;
  describe(e: E): string;
  /**
   * The kind's business code for an event the snapshot refuses (`kind.refusal`): checked against
   * the specification's `code` on every refusal, none where the specification names none.
   */
  refusal?(s: AnyMachineSnapshot, e: E): unknown;
  /**
   * A check along each path: given what the path remembers (`trail`) and a step's effects, the
   * problems it shows and what the path remembers more.
   */
  along?(trail: string[], effects: Effect[]): { problems: string[]; marks: string[] };
  /** The machine's states and transitions (ids, labels) this walk leaves to another test, and which. */
  elsewhere?: { pattern: RegExp; where: string };
}

export function emitted(actions: { type: string; params?: unknown }[]): Effect[] {
  return actions.filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: Effect }).event);
}

/** The transition definitions the machine takes on `event` from `snapshot`, eventless ones included. */
function takenOn(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject, labels: Map<unknown, string>): string[] {
  const taken: string[] = [];
  const actor = createActor(machine, {
    snapshot: machine.getPersistedSnapshot(snapshot),
    inspect: (inspection) => {
      if (inspection.type !== '@xstate.microstep') return;
      for (const definition of (inspection as unknown as { _transitions: unknown[] })._transitions) taken.push(labels.get(definition)!);
    },
  });
  actor.start();
  taken.length = 0; // restoring takes nothing, but be sure only the event counts
  actor.send(event);
  actor.stop();
  return taken;
}

interface Explored<M> {
  /** The states of the specification reached, each once. */
  models: M[];
  /** The events tried, once from each state of the specification. */
  edges: number;
  accepted: number;
  rules: Set<string>;
  taken: Set<string>;
  visited: Set<string>;
  labels: Map<unknown, string>;
  disagreements: string[];
}

/** The fields of two views that differ, each with both readings. */
function viewDiff(expected: unknown, actual: unknown): Record<string, string> {
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const diff: Record<string, string> = {};
  for (const field of new Set([...Object.keys(e), ...Object.keys(a)])) {
    const [x, y] = [JSON.stringify(e[field]) ?? 'undefined', JSON.stringify(a[field]) ?? 'undefined'];
    if (x !== y) diff[field] = `${field}: expected ${x}, machine ${y}`;
  }
  return diff;
}

function explore<M, E extends EventObject>(h: Harness<M, E>): Explored<M> {
  const labels = transitionLabels(h.machine) as Map<unknown, string>;
  const taken = new Set<string>();
  const visited = new Set<string>();
  const rules = new Set<string>();
  const seen = new Set<string>();
  const models = new Map<string, M>();
  const found = new Map<string, string>();
  /** The transitions this walk is to take and has not taken yet. */
  const untaken = new Set([...labels.values()].filter((label) => !h.elsewhere?.pattern.test(label)));
  const take = (label: string) => {
    taken.add(label);
    untaken.delete(label);
  };
  const disagree = (rule: string, what: string, where: string, detail = '') => {
    const key = `${h.name}: ${rule}: ${what}`;
    if (!found.has(key)) found.set(key, `${key}${detail ? ` (${detail})` : ''} — first ${where}`);
  };
  /**
   * `known`: how the machine's view already differed from the specification's on the way here
   * (reported there). The walk goes on, and only a new difference is reported again, so one bug
   * shows once and does not hide what lies beyond it.
   */
  const queue: { model: M; snapshot: AnyMachineSnapshot; path: E[]; trail: string[]; known: Record<string, string> }[] = [];
  const enqueue = (entry: (typeof queue)[number]) => {
    const key = `${h.key(entry.model)} ${JSON.stringify(entry.known)}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(entry);
  };
  let edges = 0;
  let accepted = 0;

  for (const start of h.starts) {
    const [snapshot, actions] = initialTransition(h.machine, start.input);
    const where = `on creation (${start.label})`;
    const effects = emitted(actions);
    if (JSON.stringify(effects) !== JSON.stringify(start.effects)) {
      disagree(`creation (${start.label})`, 'effects differ', where, `expected ${JSON.stringify(start.effects)}, machine ${JSON.stringify(effects)}`);
    }
    // Eventless transitions taken on creation (a continuous check's report completes at once, a seeker's IDV decides).
    for (const { definition } of replay(h.machine, start.input, []).taken) take(labels.get(definition)!);
    const known = viewDiff(h.expected(start.model), h.actual(snapshot));
    if (Object.keys(known).length) disagree(`creation (${start.label})`, 'the view differs', where, Object.values(known).join('; '));
    enqueue({ model: start.model, snapshot, path: [], trail: h.along?.([], effects).marks ?? [], known });
  }

  while (queue.length > 0) {
    const { model, snapshot, path, trail, known } = queue.shift()!;
    const first = !models.has(h.key(model));
    if (first) models.set(h.key(model), model);
    for (const id of activeNodes(h.machine, snapshot)) visited.add(id);
    for (const event of h.events(model)) {
      if (first) edges++;
      const where = `after ${path.map(h.describe).join(' → ') || 'creation'}, ${h.describe(event)}`;
      const outcome = h.spec(model, event);
      rules.add(outcome.rule);
      if (snapshot.can(event) !== outcome.accepted) {
        disagree(outcome.rule, outcome.accepted ? 'the machine refuses what the rule accepts' : 'the machine accepts what the rule refuses', where);
        continue;
      }
      if (!outcome.accepted) {
        const code = h.refusal ? (h.refusal(snapshot, event) ?? null) : null;
        if (code !== (outcome.code ?? null)) {
          disagree(outcome.rule, 'the refusal code differs', where, `expected ${JSON.stringify(outcome.code ?? null)}, machine ${JSON.stringify(code)}`);
        }
        continue;
      }
      if (first) accepted++;
      // Replaying on a live actor is the slow part: once every transition is taken, nothing more is learnt.
      if (untaken.size > 0) for (const label of takenOn(h.machine, snapshot, event, labels)) take(label);
      const [next, actions] = transition(h.machine, snapshot, event);
      const effects = emitted(actions);
      if (JSON.stringify(effects) !== JSON.stringify(outcome.effects)) {
        disagree(outcome.rule, 'effects differ', where, `expected ${JSON.stringify(outcome.effects)}, machine ${JSON.stringify(effects)}`);
      }
      const diff = viewDiff(h.expected(outcome.next), h.actual(next));
      const fresh = Object.entries(diff).filter(([field, reading]) => known[field] !== reading);
      if (fresh.length) disagree(outcome.rule, 'the view differs', where, fresh.map(([, reading]) => reading).join('; '));
      const along = h.along?.(trail, effects) ?? { problems: [], marks: [] };
      for (const problem of along.problems) disagree(outcome.rule, problem, where);
      enqueue({ model: outcome.next, snapshot: next, path: [...path, event], trail: [...trail, ...along.marks], known: diff });
    }
  }
  // A state left only by an eventless transition (a seeker's IDV `deciding`) is visited by taking it.
  for (const [definition, label] of labels) if (taken.has(label)) visited.add((definition as { source: { id: string } }).source.id);
  return { models: [...models.values()], edges, accepted, rules, taken, visited, labels, disagreements: [...found.values()] };
}

/** The machine's states not visited and transitions not taken, but those left to another test. */
function uncovered<M, E extends EventObject>(h: Harness<M, E>, result: Explored<M>) {
  const here = (id: string) => !h.elsewhere?.pattern.test(id);
  return {
    states: stateNodes(h.machine)
      .map((n) => n.id)
      .filter((id) => here(id) && !result.visited.has(id)),
    transitions: [...result.labels.values()].filter((label) => here(label) && !result.taken.has(label)),
  };
}

/**
 * The three tests of a harness: the machine agrees with the specification everywhere the walk
 * goes, which reaches `states` states of the specification (exactly, or at least); the walk
 * applies every one of `rules` and no other; and it visits every state and takes every transition
 * of the machine (but those left to another test).
 */
export function modelTests<M, E extends EventObject>(h: Harness<M, E>, { rules, states }: { rules: readonly string[]; states: number | { atLeast: number } }) {
  describe(`${h.name}, model-based`, () => {
    // Explored by the first test that runs (not in a hook: mutation testing activates a mutant per test).
    let explored: Explored<M> | undefined;
    const exploration = () => (explored ??= explore(h));

    it('agrees with the specification on every event from every reachable state', () => {
      const result = exploration();
      if (typeof states === 'number') expect(result.models.length).toBe(states);
      else expect(result.models.length).toBeGreaterThanOrEqual(states.atLeast);
      expect(result.edges, 'every event tried from every state').toBe(result.models.reduce((sum, m) => sum + h.events(m).length, 0));
      expect(result.disagreements).toEqual([]);
    });

    it('exercises every rule of the specification', () => {
      const result = exploration();
      expect(
        rules.filter((rule) => !result.rules.has(rule)),
        'rules never applied',
      ).toEqual([]);
      expect(
        [...result.rules].filter((rule) => !rules.includes(rule)),
        'rules not listed',
      ).toEqual([]);
    });

    const but = h.elsewhere ? ` but those ${h.elsewhere.where} walks` : '';
    it(`visits every state and takes every transition of the machine${but}`, () => {
      expect(uncovered(h, exploration())).toEqual({ states: [], transitions: [] });
    });
  });
}
