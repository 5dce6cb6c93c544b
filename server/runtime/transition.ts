import { type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, createActor, type EventObject } from 'xstate';

type Action = { type: string; params?: unknown };

/** One inert scope per machine: XState's `transition()` builds a whole actor (its initial state included) on every call. */
const scopes = new WeakMap<AnyStateMachine, { scope: AnyActorScope; actions: Action[] }>();

/**
 * XState's pure `transition(machine, snapshot, event)`, without building an actor per call: the
 * scope is made once per machine and only collects the actions to execute (none runs). Safe to
 * share because a transition is synchronous and trustwire's machines spawn and invoke nothing.
 */
export function pureTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): [AnyMachineSnapshot, Action[]] {
  let inert = scopes.get(machine);
  if (!inert) {
    const self = createActor(machine);
    const state = { scope: undefined as unknown as AnyActorScope, actions: [] as Action[] };
    state.scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: (action: Action) => void state.actions.push(action),
    } as unknown as AnyActorScope;
    inert = state;
    scopes.set(machine, inert);
  }
  inert.actions = [];
  const next = machine.transition(snapshot, event, inert.scope);
  return [next, inert.actions];
}
