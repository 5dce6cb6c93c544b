import type { Caller } from '../runtime/caller.ts';
import { isMember, maySee } from '../runtime/caller.ts';
import { notFound } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';

/** Loads an actor the caller may see; anything else is 404, as if it did not exist (R1). */
export async function loadVisible(host: ActorHost, caller: Caller, id: string, kind?: string): Promise<Loaded> {
  const loaded = await host.load(id);
  // Staff and the integrator are told a subject was erased, and when and by whom (410); members, nothing (404).
  if (!loaded && !isMember(caller)) throw await host.missing(id, notFound(kind));
  if (!loaded || !maySee(caller, loaded.actor) || (kind && loaded.kind.kind !== kind)) throw notFound(kind);
  return loaded;
}
