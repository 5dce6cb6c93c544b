import { Router } from 'express';
import { z } from 'zod';
import { parse } from '../api/errors.ts';
import { envelope, pageOf, wholeList } from '../api/list.ts';
import { present } from '../checks/inputs.ts';
import { type OutboundPolicy, refusal } from '../outbound.ts';
import type { Caller } from '../runtime/caller.ts';
import { DomainError, forbidden, notFound } from '../runtime/errors.ts';
import { newId } from '../runtime/ids.ts';
import type { Sealer } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';
import { deliveryEntry, newDelivery } from './fanout.ts';
import { newSecret } from './signing.ts';
import {
  ACCOUNT_ID,
  deliveriesOf,
  deliveryRecord,
  getEvent,
  getSubscription,
  isLive,
  listEvents,
  listSubscriptions,
  MAX_SUBSCRIPTIONS,
  type Subscription,
  subscriptionRecord,
  updateSubscription,
} from './subscriptions.ts';

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
// Checkr-shaped: keys it does not name are ignored.
export const createBody = z.object({
  webhook_url: z.url({ protocol: /^https?$/, error: 'webhook_url must be an http(s) URL' }).max(2000),
  include_object: bool.default(false),
});
export const redeliverBody = z.object({ webhook_id: z.string().max(64).optional() }).strict();
export const eventsQuery = z.object({ type: z.string().max(100).optional() });

/**
 * A subscription as Checkr reads it back: the account it belongs to (one deployment is one
 * account), no partner application, and live (trustwire has no test mode). Whether an endpoint
 * was disabled (410) shows in the delivery log.
 */
const shown = ({ disabled_at: _disabled, ...subscription }: Subscription) => ({ ...subscription, account_id: ACCOUNT_ID, application_id: null, live: true });

function integratorOnly(caller: Caller) {
  if (caller.role !== 'integrator') throw forbidden('Webhooks are the integrator’s: only an API key may manage them.');
}

/**
 * Webhook subscriptions (`/v1/webhooks`, Checkr's shape plus the Standard Webhooks `secret`) and
 * the event log with each event's deliveries and redelivery on request (`/v1/events`).
 */
export function webhooksRouter(store: Store, sealer: Sealer, now: () => string, outboxAdded: () => void, outbound: OutboundPolicy) {
  const router = Router();
  const load = async (id: string) => {
    const found = await getSubscription(store, sealer, id);
    if (!found || found.subscription.deleted_at) throw notFound('webhook');
    return found;
  };

  router.post('/webhooks', async (req, res) => {
    const body = parse(createBody, present(req.body), 'webhook');
    integratorOnly(req.caller);
    // Checked again at each delivery, against the address then connected to.
    const refused = await refusal(body.webhook_url, outbound);
    if (refused) throw new DomainError('invalid_request', `Invalid webhook: webhook_url ${refused}.`, { fields: [{ path: 'webhook_url', message: refused }] });
    if ((await listSubscriptions(store)).length >= MAX_SUBSCRIPTIONS) {
      throw new DomainError('webhook_limit_reached', `At most ${MAX_SUBSCRIPTIONS} webhooks may be subscribed; delete one first.`);
    }
    const id = newId('whk_');
    const subscription: Subscription = {
      id,
      object: 'webhook',
      uri: `/v1/webhooks/${id}`,
      webhook_url: body.webhook_url,
      include_object: body.include_object,
      created_at: now(),
      deleted_at: null,
      disabled_at: null,
    };
    const keys = { secret: newSecret(), api_key: req.caller.apiKey! };
    await store.commit(commitOf({ records: [subscriptionRecord(subscription, keys, sealer)] }));
    res.status(201).json({ ...shown(subscription), secret: keys.secret });
  });

  router.get('/webhooks', async (req, res) => {
    integratorOnly(req.caller);
    const page = pageOf(req, 'checkr');
    const all = await listSubscriptions(store);
    res.json(envelope(req, all.slice(page.offset, page.offset + page.per_page).map(shown), all.length, page));
  });

  router.get('/webhooks/:id', async (req, res) => {
    integratorOnly(req.caller);
    res.json(shown((await load(req.params.id)).subscription));
  });

  router.delete('/webhooks/:id', async (req, res) => {
    integratorOnly(req.caller);
    const { subscription } = await load(req.params.id);
    const deleted = await updateSubscription(store, subscription.id, { deleted_at: now() });
    await store.commit(commitOf({ records: [deleted!] }));
    res.json(shown((deleted!.value as { subscription: Subscription }).subscription));
  });

  router.get('/events', async (req, res) => {
    integratorOnly(req.caller);
    const { type } = parse(eventsQuery, req.query, 'query');
    const page = pageOf(req);
    const events = await listEvents(store, type);
    const data = events.slice(page.offset, page.offset + page.per_page).map((e) => ({ ...e, object: 'event' }));
    res.json(envelope(req, data, events.length, page));
  });

  router.get('/events/:id', async (req, res) => {
    integratorOnly(req.caller);
    const event = await getEvent(store, sealer, req.params.id);
    if (!event) throw notFound('event');
    res.json({
      id: event.id,
      object: 'event',
      type: event.type,
      created_at: event.created_at,
      data: { object: event.object },
      deliveries: await deliveriesOf(store, event.id),
    });
  });

  // Sends the event again, now, to one subscription or to every live one; the log keeps both deliveries.
  router.post('/events/:id/redeliver', async (req, res) => {
    const body = parse(redeliverBody, req.body ?? {}, 'redelivery');
    integratorOnly(req.caller);
    const event = await getEvent(store, sealer, req.params.id);
    if (!event) throw notFound('event');
    const targets = body.webhook_id ? [(await load(body.webhook_id)).subscription] : (await listSubscriptions(store)).filter(isLive);
    const deliveries = targets.map((s) => newDelivery(event, s, now(), newId('wdl_')));
    await store.commit(commitOf({ records: deliveries.map(deliveryRecord), outbox: deliveries.map((d) => deliveryEntry(sealer, d)) }));
    outboxAdded();
    res.status(202).json(wholeList(deliveries));
  });

  return router;
}
