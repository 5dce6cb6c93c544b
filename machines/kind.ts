import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import type { z } from 'zod';

/** A snapshot as `getPersistedSnapshot` writes it: plain JSON. */
export interface PersistedSnapshot {
  value: unknown;
  context: Record<string, unknown>;
  status?: string;
  [field: string]: unknown;
}

/** Who sends an event. `seeker` and `provider` mean the actor's own member(s). */
export type Sender = 'seeker' | 'provider' | 'agent' | 'reviewer' | 'integrator';
export type Role = Sender | 'system';

/** An event clients may send: who may send it and the fields it carries (besides `type`). */
export interface Command {
  by: Sender[];
  fields: z.ZodObject;
  /** Fields that make the event testable for `can` when `{ type }` alone would fail a guard. */
  probe?: (context: any) => Record<string, unknown>;
}

/**
 * The events clients send, as the machine receives them: each command's parsed fields under its
 * type. A kind declares its client events once, as `commands`, and its event union from them.
 */
export type CommandEvents<C extends Record<string, Command>> = {
  [T in keyof C & string]: { type: T } & Declared<z.output<C[T]['fields']>>;
}[keyof C & string];

// A strict empty object parses to `Record<string, never>`; keep only the declared fields.
type Declared<O> = { [K in keyof O as string extends K ? never : K]: O[K] };

/**
 * One actor kind, as the runtime and the API see it: its machine, how its state reads as a
 * status, what each role may see of it, and which role may send which event.
 */
export interface ActorKind<M extends AnyStateMachine = AnyStateMachine> {
  kind: string;
  prefix: string;
  machine: M;
  /**
   * The machine's version, stored with every snapshot. A change that stored snapshots would not
   * survive (a renamed state, a new context field) bumps it and adds the migration from the
   * version before.
   */
  version: number;
  /** `migrations[n]` turns a persisted snapshot of version n into one of version n + 1. */
  migrations?: Record<number, (persisted: PersistedSnapshot) => PersistedSnapshot>;
  status(snapshot: AnyMachineSnapshot): string;
  /** Member ids who may see the actor (and receive its changes): a member sees their own actor. */
  members(context: any, id: string): string[];
  /** The public `data` of the actor view for a caller with this role. */
  view(snapshot: AnyMachineSnapshot, role: Role): Record<string, unknown>;
  commands: Record<string, Command>;
  /**
   * Webhook events announced whenever a reading of the actor changes (`link.status_changed` when
   * its status does, `seeker.idv_status_changed` when its IDV status does).
   */
  announces?: { event: string; of(snapshot: AnyMachineSnapshot): string }[];
  /**
   * Why a business rule refuses an event the state does not accept, if one does: a refusal code
   * (worded by the server), or a code with words of its own (Checkr's wording of a bad request).
   */
  refusal?(snapshot: AnyMachineSnapshot, event: { type: string; at: string }): string | { code: string; message: string } | undefined;
}
