import type { AnyMachineSnapshot } from 'xstate';
import type { ActorKind, Role, Sender } from '../../machines/kind.ts';
import type { Caller } from './caller.ts';
import type { Loaded } from './host.ts';

import type { ActorView } from '../../contract/index.ts';

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

/** Event types this caller may send now and the current state accepts. */
export function can(kind: ActorKind, snapshot: AnyMachineSnapshot, caller: Caller, actorId: string, at: string): string[] {
  return Object.entries(kind.commands)
    .filter(([type]) => maySend(kind, type, caller, actorId, snapshot.context))
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
