import { Router } from 'express';
import { z } from 'zod';
import { type Message, NOTIFICATION_KINDS, notificationView } from '../notifications/notifications.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { Store } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';
import { envelope, pageOf } from './list.ts';

export const query = z.object({ recipient: z.string().min(1).max(64) });

/** `GET /v1/notifications?recipient=`: in-app notifications and emails sent to a member, newest first. */
export function notificationsRouter(host: ActorHost, store: Store, sealer: Sealer) {
  const router = Router();
  router.get('/notifications', async (req, res) => {
    const { recipient } = parse(query, { recipient: req.query.recipient }, 'query');
    await loadVisible(host, req.caller, recipient);
    const page = pageOf(req);
    const found = await store.outboxFor(recipient, [...NOTIFICATION_KINDS], page.offset, page.per_page);
    const data = await Promise.all(found.data.map(async (entry) => notificationView(entry, await sealer.read<Message>(entry.payload))));
    res.json(envelope(req, data, found.count, page));
  });
  return router;
}
