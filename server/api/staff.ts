import { Router } from 'express';
import { z } from 'zod';
import { idvStatus, type SeekerContext } from '../../machines/seeker.ts';
import { NOTIFICATION_KINDS, notificationView, type Message } from '../notifications/notifications.ts';
import { isStaff, type Caller } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { Sealer } from '../runtime/seal.ts';
import { actorView } from '../runtime/view.ts';
import { commitOf, type Store } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';
import { envelope, pageOf } from './list.ts';

const searchQuery = z.object({ q: z.string().trim().min(2, 'at least 2 characters').max(200) });

/** I14: the IDV statuses in which a seeker is blocked from providers. */
const BLOCKED = new Set(['required', 'cancelled', 'manual_review']);

function staffOnly(caller: Caller, what: string) {
  if (!isStaff(caller) && caller.role !== 'integrator') throw forbidden(`${what} is for staff.`);
}

const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');

/** Whether a member matches a search: their id, email, a name (account or legal) or a phone number. */
function matches({ actor, snapshot }: Loaded, q: string): boolean {
  const c = snapshot.context as Partial<SeekerContext> & { email: string };
  const needle = q.toLowerCase();
  if (actor.id === q || c.email.toLowerCase().includes(needle)) return true;
  const names = [c.first_name, c.last_name, c.legal_info?.legal_first_name, c.legal_info?.legal_last_name].filter(Boolean).join(' ').toLowerCase();
  if (needle.split(/\s+/).every((word) => names.includes(word))) return true;
  const phone = digits(q);
  return phone.length >= 4 && [c.phone, c.legal_info?.phone].some((p) => digits(p).includes(phone));
}

/**
 * The staff console's reads: member search (I11, issue 6) and a seeker's inbox with the mask of
 * I14, which a staff member may dismiss for their own view only.
 */
export function staffRouter(host: ActorHost, store: Store, sealer: Sealer) {
  const router = Router();

  // Personal data is sealed at rest, so a search reads members through the actor cache: linear in members.
  router.get('/members', async (req, res) => {
    staffOnly(req.caller, 'Member search');
    const { q } = parse(searchQuery, { q: req.query.q }, 'search');
    const page = pageOf(req);
    const found: Loaded[] = [];
    for (const kind of ['seeker', 'provider']) {
      for (let offset = 0; ; offset += 500) {
        const batch = await store.listActors({ kind, offset, limit: 500 });
        for (const actor of batch.data) {
          const loaded = await host.load(actor.id);
          if (loaded && matches(loaded, q)) found.push(loaded);
        }
        if (offset + 500 >= batch.count) break;
      }
    }
    const views = found.slice(page.offset, page.offset + page.per_page).map((l) => actorView(l, req.caller, host.now()));
    res.json(envelope(req, views, found.length, page));
  });

  router.get('/seekers/:id/inbox', async (req, res) => {
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    staffOnly(req.caller, 'A member’s inbox');
    const status = idvStatus(seeker.snapshot);
    const dismissed = Boolean(await store.getRecord('inbox_masks', `${req.caller.subject}:${seeker.actor.id}`));
    const page = pageOf(req);
    const found = await store.outboxFor(seeker.actor.id, [...NOTIFICATION_KINDS], page.offset, page.per_page);
    const data = found.data.map((entry) => notificationView(entry, sealer.open<Message>(entry.payload)));
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
