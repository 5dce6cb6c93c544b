import { Router } from 'express';
import { findCases } from '../cases/cases.ts';
import { allOf } from '../checks/listing.ts';
import { screeningHistory } from '../idv/screening-history.ts';
import { type Message, NOTIFICATION_KINDS, notificationView } from '../notifications/notifications.ts';
import { forbidden, notFound } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { Sealer } from '../runtime/seal.ts';
import { actorView } from '../runtime/view.ts';
import type { Store } from '../store/store.ts';
import { SUBJECT_KINDS } from './erase-router.ts';

/** Messages exported at most: a member receives a few a week. */
const MESSAGES = 10_000;

/**
 * `GET /v1/{seekers|providers|candidates}/{id}/export` (integrator, reviewer; issue 16): for a
 * data-subject access request, everything trustwire holds about the subject as one JSON
 * document: its record in clear, its audit history, the actors that hold its data (a member's
 * links, a candidate's invitations and reports) with theirs, its cases, identity screening
 * attempts and the messages sent to it. An erased subject is 410 `erased`: nothing is left.
 */
export function exportRouter(host: ActorHost, store: Store, sealer: Sealer) {
  const router = Router();
  for (const [resource, kind] of Object.entries(SUBJECT_KINDS)) {
    router.get(`/${resource}/:id/export`, async (req, res) => {
      const { role } = req.caller;
      if (role !== 'integrator' && role !== 'reviewer') throw forbidden('Only the integrator and reviewers may export a data subject.');
      const id = req.params.id;
      const loaded = await host.load(id);
      if (!loaded) throw await host.missing(id, notFound(kind));
      if (loaded.kind.kind !== kind) throw notFound(kind);
      const held = async (l: Loaded) => ({
        id: l.actor.id,
        kind: l.actor.kind,
        status: l.actor.status,
        created_at: l.actor.created_at,
        updated_at: l.actor.updated_at,
        data: l.snapshot.context,
        history: await historyOf(store, l.actor.id),
      });
      const related = await relatedActors(host, store, loaded);
      const messages = await store.outboxFor(id, [...NOTIFICATION_KINDS], 0, MESSAGES);
      res.json({
        object: 'subject_export',
        id,
        kind,
        exported_at: host.now(),
        view: actorView(loaded, req.caller, host.now()),
        subject: await held(loaded),
        related: await Promise.all(related.map(held)),
        cases: await findCases(store, sealer, { subject: id }),
        screening_attempts: kind === 'seeker' ? (await screeningHistory(store, id)).map(({ seeker: _s, ...a }) => a) : [],
        messages: await Promise.all(messages.data.map(async (entry) => notificationView(entry, await sealer.read<Message>(entry.payload)))),
      });
    });
  }
  return router;
}

async function historyOf(store: Store, id: string) {
  return (await store.history(id)).map(({ actor: _actor, ...entry }) => entry);
}

/** The other actors holding the subject's data: a member's links; a candidate's invitations and reports. */
async function relatedActors(host: ActorHost, store: Store, subject: Loaded): Promise<Loaded[]> {
  const id = subject.actor.id;
  if (subject.kind.kind !== 'candidate') {
    const found: Loaded[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await store.listActors({ member: id, offset, limit: 500 });
      const loaded = await Promise.all(page.data.filter((a) => a.id !== id).map((a) => host.load(a.id)));
      found.push(...loaded.filter((l) => l !== undefined));
      if (offset + 500 >= page.count) return found;
    }
  }
  const ofCandidate = (l: Loaded) => (l.snapshot.context as { candidate_id?: string }).candidate_id === id;
  return [...(await allOf(host, store, 'invitation')).filter(ofCandidate), ...(await allOf(host, store, 'report')).filter(ofCandidate)];
}
