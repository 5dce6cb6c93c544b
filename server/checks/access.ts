import { type Caller, isMember } from '../runtime/caller.ts';
import { DomainError, forbidden } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';

/** Checks are the integrator's business; staff may read them (R2), members never through these routes. */
export function mayWrite(caller: Caller) {
  if (caller.role !== 'integrator') throw forbidden('Only the integrator may do this.');
}

export function mayRead(caller: Caller) {
  if (isMember(caller)) throw forbidden('Members read their checks through their dashboards.');
}

/** Checkr's 404 wording: `Candidate not found`, `Resource not found`. */
export const missing = (message = 'Resource not found') => new DomainError('not_found', message);

export async function loadOf(host: ActorHost, id: string, kind: string, message?: string): Promise<Loaded> {
  const loaded = await host.load(id);
  if (!loaded) throw await host.missing(id, missing(message));
  if (loaded.kind.kind !== kind) throw missing(message);
  return loaded;
}

/** The id of an object that lives inside an actor: `ssn_<hex>` inside `rpt_<hex>`. */
export const innerId = (prefix: string, ownerId: string, suffix = '') => `${prefix}_${ownerId.slice(ownerId.indexOf('_') + 1)}${suffix}`;
export const ownerOf = (innerIdValue: string, ownerPrefix: string) => {
  const hex = innerIdValue.slice(innerIdValue.indexOf('_') + 1).split('_')[0];
  return `${ownerPrefix}${hex}`;
};
