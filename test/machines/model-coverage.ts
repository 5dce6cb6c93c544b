import { type AnyStateMachine, type AnyStateNode, type AnyTransitionDefinition, createActor, type EventObject } from 'xstate';

/**
 * Coverage of a machine by test paths, computed from the machine definition itself, so a state
 * or transition added to the machine shows up as uncovered until some path reaches it.
 */

/** Every state node of the machine below the root. */
export function stateNodes(machine: AnyStateMachine): AnyStateNode[] {
  const all: AnyStateNode[] = [];
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states)) {
      all.push(child);
      walk(child);
    }
  };
  walk(machine.root);
  return all;
}

/**
 * Every transition definition of the machine (guarded branches and eventless ones each count),
 * with a readable label such as `link.sent MEMBER_LEFT#1 → link.inactive`.
 */
export function transitionLabels(machine: AnyStateMachine): Map<AnyTransitionDefinition, string> {
  const labels = new Map<AnyTransitionDefinition, string>();
  const label = (node: AnyStateNode, event: string, defs: AnyTransitionDefinition[]) =>
    defs.forEach((def, i) => {
      const branch = defs.length > 1 ? `#${i}` : '';
      const targets = def.target?.map((t) => t.id).join(',') ?? '(no change)';
      labels.set(def, `${node.id} ${event}${branch} → ${targets}`);
    });
  for (const node of [machine.root, ...stateNodes(machine)]) {
    for (const [event, defs] of node.transitions) label(node, event, defs);
    if (node.always) label(node, '(always)', node.always);
  }
  return labels;
}

/** A state node's state value, for `snapshot.matches`. */
function nodeValue(node: AnyStateNode): unknown {
  return node.path.reduceRight<unknown>((inner, key) => (inner === undefined ? key : { [key]: inner }), undefined);
}

/** The ids of the state nodes a snapshot is in. */
export function activeNodes(machine: AnyStateMachine, snapshot: { matches(value: never): boolean }): string[] {
  return stateNodes(machine)
    .filter((node) => snapshot.matches(nodeValue(node) as never))
    .map((node) => node.id);
}

export interface Taken {
  definition: AnyTransitionDefinition;
  /** The event that caused it (`xstate.init` for eventless transitions taken on start). */
  event: EventObject;
}

/** Replays `events` on the machine: the transitions taken and the state nodes visited, in order. */
export function replay(machine: AnyStateMachine, input: unknown, events: EventObject[]): { taken: Taken[]; states: Set<string> } {
  const taken: Taken[] = [];
  const states = new Set<string>();
  const actor = createActor(machine, {
    input,
    inspect: (inspection) => {
      if (inspection.type !== '@xstate.microstep') return;
      for (const definition of inspection._transitions) taken.push({ definition, event: inspection.event });
    },
  });
  const visit = () => {
    for (const id of activeNodes(machine, actor.getSnapshot())) states.add(id);
  };
  actor.start();
  visit();
  for (const event of events) {
    actor.send(event);
    visit();
  }
  actor.stop();
  return { taken, states };
}

/**
 * Greedy set cover: from `candidates`, the few that together cover every key any of them covers,
 * preferring the one adding most keys, then the shortest.
 */
export function covering<T>(candidates: T[], keysOf: (candidate: T) => Set<string>, length: (candidate: T) => number): T[] {
  const keyed = candidates.map((candidate) => ({ candidate, keys: keysOf(candidate) }));
  const uncovered = new Set(keyed.flatMap((k) => [...k.keys]));
  const chosen: T[] = [];
  while (uncovered.size > 0) {
    const gain = (k: (typeof keyed)[number]) => [...k.keys].filter((key) => uncovered.has(key)).length;
    const best = keyed.reduce((a, b) => (gain(b) > gain(a) || (gain(b) === gain(a) && length(b.candidate) < length(a.candidate)) ? b : a));
    chosen.push(best.candidate);
    for (const key of best.keys) uncovered.delete(key);
  }
  return chosen;
}
