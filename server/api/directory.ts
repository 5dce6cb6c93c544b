import { Router } from 'express';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import { notFound } from '../runtime/errors.ts';
import type { Store } from '../store/store.ts';
import { displayName } from './display-name.ts';
import { envelope, pageOf } from './list.ts';

/** What a marketplace shows every member about a provider: a display name, never contact data. */
function profile(loaded: Loaded) {
  return { id: loaded.actor.id, object: 'provider_profile', display_name: displayName(loaded), account_status: loaded.actor.status };
}

/**
 * The provider directory behind the seeker's profile pages (`GET /v1/providers`, `GET
 * /v1/providers/{id}`): any signed-in caller may read public profiles.
 */
export function directoryRouter(host: ActorHost, store: Store) {
  const router = Router();

  router.get('/providers', async (req, res) => {
    const page = pageOf(req);
    const found = await store.listActors({ kind: 'provider', offset: page.offset, limit: page.per_page });
    const loaded = await Promise.all(found.data.map((a) => host.load(a.id)));
    res.json(envelope(req, loaded.filter((l) => l !== undefined).map(profile), found.count, page));
  });

  router.get('/providers/:id', async (req, res) => {
    const loaded = await host.load(req.params.id);
    if (!loaded || loaded.kind.kind !== 'provider') throw notFound('provider');
    res.json(profile(loaded));
  });

  return router;
}
