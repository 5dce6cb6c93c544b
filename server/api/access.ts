import type { Caller } from '../runtime/caller.ts';
import { maySee } from '../runtime/caller.ts';
import { notFound } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';

/** Loads an actor the caller may see; anything else is 404, as if it did not exist (R1). */
export async function loadVisible(host: ActorHost, caller: Caller, id: string, kind?: string): Promise<Loaded> {
  const loaded = await host.load(id);
  if (!loaded || !maySee(caller, loaded.actor) || (kind && loaded.kind.kind !== kind)) throw notFound(kind);
  return loaded;
}
