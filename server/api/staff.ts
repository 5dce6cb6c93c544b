import { Router } from 'express';
import { z } from 'zod';
import { kindOfId } from '../../machines/index.ts';
import { idvStatus } from '../../machines/seeker.ts';
import { type Message, NOTIFICATION_KINDS, notificationView } from '../notifications/notifications.ts';
import { isStaff, staffOrIntegrator } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { MemberSearch } from '../runtime/member-search.ts';
import type { Sealer } from '../runtime/seal.ts';
import { actorView } from '../runtime/view.ts';
import { commitOf, type Store } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';
import { envelope, pageOf } from './list.ts';

export const searchQuery = z.object({ q: z.string().trim().min(2, 'at least 2 characters').max(200) });

const MEMBER_KINDS = new Set(['seeker', 'provider']);

/** I14: the IDV statuses in which a seeker is blocked from providers. */
const BLOCKED = new Set(['required', 'cancelled', 'manual_review']);

/**
 * The staff console's reads: member search (I11, issue 6) and a seeker's inbox with the mask of
 * I14, which a staff member may dismiss for their own view only.
 */
export function staffRouter(host: ActorHost, store: Store, sealer: Sealer, search: MemberSearch) {
  const router = Router();

  // A member by id, or by the blind index (runtime/member-search.ts): only the page's members are read.
  router.get('/members', async (req, res) => {
    staffOrIntegrator(req.caller, 'Member search is for staff.');
    const { q } = parse(searchQuery, { q: req.query.q }, 'search');
    const page = pageOf(req);
    const byId = MEMBER_KINDS.has(kindOfId(q)?.kind ?? '') ? await host.load(q) : undefined;
    if (byId) return res.json(envelope(req, page.offset === 0 ? [actorView(byId, req.caller, host.now())] : [], 1, page));
    const found = await store.searchActors(search.terms(q, req.caller), page.offset, page.per_page);
    const members = await Promise.all(found.data.map((actor) => host.load(actor.id)));
    const views = members.filter((m): m is Loaded => m !== undefined).map((m) => actorView(m, req.caller, host.now()));
    res.json(envelope(req, views, found.count, page));
  });

  router.get('/seekers/:id/inbox', async (req, res) => {
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    staffOrIntegrator(req.caller, 'A member’s inbox is for staff.');
    const status = idvStatus(seeker.snapshot);
    const dismissed = Boolean(await store.getRecord('inbox_masks', `${req.caller.subject}:${seeker.actor.id}`));
    const page = pageOf(req);
    const found = await store.outboxFor(seeker.actor.id, [...NOTIFICATION_KINDS], page.offset, page.per_page);
    const data = await Promise.all(found.data.map(async (entry) => notificationView(entry, await sealer.read<Message>(entry.payload))));
    res.json({ ...envelope(req, data, found.count, page), mask: BLOCKED.has(status) && !dismissed ? { reason: status } : null });
  });

  // For the staff member who dismisses it only: the mask shows again to everyone else.
  router.post('/seekers/:id/inbox/dismiss_mask', async (req, res) => {
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    if (!isStaff(req.caller)) throw forbidden('Only staff dismiss the inbox mask.');
    await store.commit(commitOf({ records: [{ collection: 'inbox_masks', id: `${req.caller.subject}:${seeker.actor.id}`, value: { at: host.now() } }] }));
    res.json({ dismissed: true });
  });

  return router;
}
