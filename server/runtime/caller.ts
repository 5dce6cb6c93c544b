import type { Actor } from '../store/store.ts';
import { forbidden } from './errors.ts';

/** Who is calling: resolved from an API key or a session token. */
export interface Caller {
  role: 'integrator' | 'seeker' | 'provider' | 'agent' | 'reviewer';
  /** The member's actor id or the staff member's id; absent for integrators. */
  subject?: string;
  /** The integrator's API key: it signs the webhooks they subscribe (`X-Checkr-Signature`). */
  apiKey?: string;
}

import type { By } from '../../contract/index.ts';

/** How a change is attributed in the audit history (P3, API.md "Conventions"). */
export type { By } from '../../contract/index.ts';

export const SYSTEM: By = { role: 'system' };

export const isMember = (c: Caller) => c.role === 'seeker' || c.role === 'provider';
export const isStaff = (c: Caller) => c.role === 'agent' || c.role === 'reviewer';

/** Staff reads the integrator may make too (queues, dead letters, retention): 403 with `refusal` for members. */
export function staffOrIntegrator(caller: Caller, refusal: string): void {
  if (!isStaff(caller) && caller.role !== 'integrator') throw forbidden(refusal);
}

/** R1: a member sees their own actor and the actors they are a member of; everyone else sees all. */
export function maySee(caller: Caller, actor: Pick<Actor, 'id' | 'members'>): boolean {
  if (!isMember(caller)) return true;
  return actor.members.includes(caller.subject!);
}
