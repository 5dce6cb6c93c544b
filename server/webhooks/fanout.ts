import { outboxEntry } from '../effects/outbox-entry.ts';
import type { Deliver } from '../effects/outbox.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { OutboxEntry, Store } from '../store/store.ts';
import type { WebhookEvent } from './event.ts';
import { deliveryRecord, eventRecord, isLive, listSubscriptions, type Delivery, type Subscription } from './subscriptions.ts';

const hex = (id: string) => id.slice(id.indexOf('_') + 1);

export function newDelivery(event: Pick<WebhookEvent, 'id'>, subscription: Subscription, at: string, id = `wdl_${hex(event.id)}_${hex(subscription.id)}`): Delivery {
  return { id, object: 'webhook_delivery', event_id: event.id, webhook_id: subscription.id, webhook_url: subscription.webhook_url, status: 'pending', attempts: [], next_attempt_at: at, created_at: at };
}

/**
 * The outbox entry that sends one delivery; each delivery retries on its own schedule. Deliveries
 * of one object's events to one endpoint share an outbox actor, so that they go in the order of
 * the events (ids sort by time); a retried one may arrive after later ones (CHECKR.md: unordered).
 */
export const deliveryEntry = (sealer: Sealer, delivery: Delivery, about: Pick<WebhookEvent['object'], 'id'>): OutboxEntry =>
  outboxEntry(sealer, { id: `obx_${hex(delivery.id)}`, kind: 'webhook_delivery', actor: `${delivery.webhook_id}:${about.id}`, payload: { delivery: delivery.id }, at: delivery.created_at });

/**
 * An event is stored (the log that `GET /v1/events` reads) and handed to every live
 * subscription as a delivery of its own. Ids derive from the event and the subscription, so a
 * repeated fan-out changes nothing. With no subscription left there is nothing to log: the event goes.
 */
export const fanOutEvent =
  (store: Store, sealer: Sealer, now: () => string): Deliver =>
  async (_entry, event: WebhookEvent) => {
    const deliveries = (await listSubscriptions(store)).filter(isLive).map((s) => newDelivery(event, s, now()));
    if (deliveries.length === 0) return;
    return {
      records: [eventRecord(event, sealer), ...deliveries.map(deliveryRecord)],
      outbox: deliveries.map((d) => deliveryEntry(sealer, d, event.object)),
    };
  };
