import { Router } from 'express';
import { backgroundCheckOf } from '../checks/background-badge.ts';
import { notFound } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { displayName } from './display-name.ts';
import { envelope, pageOf } from './list.ts';

/** What a marketplace shows every member about a provider: a display name and the status of their background check, never contact data. */
async function profile(host: ActorHost, store: Store, loaded: Loaded) {
  const background_check = await backgroundCheckOf(host, store, loaded.actor.id);
  return { id: loaded.actor.id, object: 'provider_profile', display_name: displayName(loaded), account_status: loaded.actor.status, background_check };
}

/** A provider's public profile by id. */
export async function providerProfile(host: ActorHost, store: Store, id: string) {
  const loaded = await host.load(id);
  if (!loaded) throw await host.missing(id, notFound('provider'));
  if (loaded.kind.kind !== 'provider') throw notFound('provider');
  return profile(host, store, loaded);
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
    const profiles = await Promise.all(loaded.filter((l) => l !== undefined).map((l) => profile(host, store, l)));
    res.json(envelope(req, profiles, found.count, page));
  });

  router.get('/providers/:id', async (req, res) => {
    res.json(await providerProfile(host, store, req.params.id));
  });

  return router;
}
