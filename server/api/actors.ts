import { Router } from 'express';
import { z } from 'zod';
import { kinds } from '../../machines/index.ts';
import { verifyActor } from '../audit/verify.ts';
import { isMember } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import type { Store } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';
import { envelope, pageOf } from './list.ts';

export const listQuery = z.object({
  kind: z.enum(Object.keys(kinds) as [string, ...string[]]).optional(),
  status: z.string().max(64).optional(),
  /** Staff and integrators: the actors of one member (their links, say). */
  member: z.string().max(64).optional(),
});

export const historyQuery = z.object({
  /** Staff and integrators: check the actor's audit chain (README "Audit chain"). */
  verify: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** Actor views, lists and audit history (API.md, "Actors"). */
export function actorsRouter(host: ActorHost, store: Store) {
  const router = Router();

  router.get('/actors', async (req, res) => {
    const query = parse(listQuery, { kind: req.query.kind, status: req.query.status, member: req.query.member }, 'query');
    const { kind, status } = query;
    const page = pageOf(req);
    // Members list their own actors whatever they ask (R1).
    const member = isMember(req.caller) ? req.caller.subject : query.member;
    const found = await store.listActors({ kind, status, member, offset: page.offset, limit: page.per_page });
    const loaded = await Promise.all(found.data.map((a) => host.load(a.id)));
    const views = loaded.filter((l) => l !== undefined).map((l) => actorView(l, req.caller, host.now()));
    res.json(envelope(req, views, found.count, page));
  });

  // The operations board's live counts; members have no business counting other people.
  router.get('/actors/counts', async (req, res) => {
    if (isMember(req.caller)) throw forbidden('Only staff and the integrator may count actors.');
    res.json({ object: 'actor_counts', counts: await store.countActors() });
  });

  router.get('/actors/:id', async (req, res) => {
    const loaded = await loadVisible(host, req.caller, req.params.id);
    res.json(actorView(loaded, req.caller, host.now()));
  });

  router.get('/actors/:id/history', async (req, res) => {
    const { verify } = parse(historyQuery, { verify: req.query.verify }, 'query');
    // An erased subject's history holds no personal data: staff and the integrator still read and verify it (issue 16).
    if (isMember(req.caller) || !(await host.erasureOf(req.params.id))) await loadVisible(host, req.caller, req.params.id);
    if (verify && isMember(req.caller)) throw forbidden('Only staff and the integrator may verify the audit history.');
    const history = await store.history(req.params.id);
    const list = { data: history.map(({ actor: _actor, ...entry }) => entry), object: 'list', count: history.length };
    res.json(verify ? { ...list, verification: await verifyActor(store, req.params.id) } : list);
  });

  return router;
}
