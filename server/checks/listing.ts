import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';

/**
 * Every actor of a kind, newest first, for lists filtered on fields the store does not index
 * (Checkr's filters). Linear in the number of checks; fine for the embedded store's scale.
 */
export async function allOf(host: ActorHost, store: Store, kind: string): Promise<Loaded[]> {
  const found: Loaded[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await store.listActors({ kind, offset, limit: 500 });
    const loaded = await Promise.all(page.data.map((a) => host.load(a.id)));
    found.push(...loaded.filter((l) => l !== undefined));
    if (offset + 500 >= page.count) return found;
  }
}
