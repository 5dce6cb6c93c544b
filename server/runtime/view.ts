import type { AnyMachineSnapshot } from 'xstate';
import type { ActorView } from '../../contract/index.ts';
import type { ActorKind, Role, Sender } from '../../machines/kind.ts';
import type { Caller } from './caller.ts';
import type { Loaded } from './host.ts';

export type { ActorView } from '../../contract/index.ts';

/**
 * Whether `caller` may send `type` to this actor: its role is in the machine's table, and a
 * member acts only on their own side (the seeker of a link, not its provider).
 */
export function maySend(kind: ActorKind, type: string, caller: Caller, actorId: string, context: Record<string, unknown>): boolean {
  const command = Object.hasOwn(kind.commands, type) ? kind.commands[type] : undefined;
  if (!command?.by.includes(caller.role as Sender)) return false;
  if (caller.role === 'seeker' || caller.role === 'provider') {
    return caller.subject === actorId || caller.subject === context[`${caller.role}_id`];
  }
  return true;
}

type StateNode = { transitions: Map<string, unknown> };
/** Per state node, the event types it has transitions for ('any' with a wildcard). */
const handledBy = new WeakMap<StateNode, Set<string> | 'any'>();

/** Whether any active state node has a transition for `type`: where none has, `snapshot.can` would say no. */
function mayHandle(snapshot: AnyMachineSnapshot, type: string): boolean {
  for (const node of (snapshot as unknown as { _nodes: StateNode[] })._nodes) {
    let handled = handledBy.get(node);
    if (!handled) {
      const types = [...node.transitions.keys()];
      handled = types.some((t) => t.includes('*')) ? 'any' : new Set(types);
      handledBy.set(node, handled);
    }
    if (handled === 'any' || handled.has(type)) return true;
  }
  return false;
}

/** Event types this caller may send now and the current state accepts (guards asked only where a transition exists). */
export function can(kind: ActorKind, snapshot: AnyMachineSnapshot, caller: Caller, actorId: string, at: string): string[] {
  return Object.entries(kind.commands)
    .filter(([type]) => mayHandle(snapshot, type) && maySend(kind, type, caller, actorId, snapshot.context))
    .filter(([type, command]) => snapshot.can({ type, at, ...command.probe?.(snapshot.context) } as never))
    .map(([type]) => type);
}

export function actorView({ actor, snapshot, kind }: Loaded, caller: Caller, at: string): ActorView {
  const role: Role = caller.role;
  return {
    id: actor.id,
    kind: actor.kind,
    status: actor.status,
    state: snapshot.value,
    version: actor.version,
    created_at: actor.created_at,
    updated_at: actor.updated_at,
    data: kind.view(snapshot, role),
    can: can(kind, snapshot, caller, actor.id, at),
  };
}
