import type { Delivery } from '../runtime/effect-module.ts';
import { outboxEntry } from '../runtime/outbox-entry.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { OutboxEntry } from '../store/store.ts';
import { WEBHOOK_EVENT, type WebhookEvent } from './event.ts';
import { deliveryRecord, eventRecord, isLive, listSubscriptions, type Subscription, type Delivery as WebhookDelivery } from './subscriptions.ts';

const hex = (id: string) => id.slice(id.indexOf('_') + 1);

export function newDelivery(
  event: Pick<WebhookEvent, 'id'>,
  subscription: Subscription,
  at: string,
  id = `wdl_${hex(event.id)}_${hex(subscription.id)}`,
): WebhookDelivery {
  return {
    id,
    object: 'webhook_delivery',
    event_id: event.id,
    webhook_id: subscription.id,
    webhook_url: subscription.webhook_url,
    status: 'pending',
    attempts: [],
    next_attempt_at: at,
    created_at: at,
  };
}

/** The outbox kind that sends one delivery (delivery.ts). */
export const WEBHOOK_DELIVERY = { kind: 'webhook_delivery' };

/** The outbox entry that sends one delivery; each delivery retries on its own schedule. */
export const deliveryEntry = (sealer: Sealer, delivery: WebhookDelivery): OutboxEntry =>
  outboxEntry(sealer, WEBHOOK_DELIVERY, { id: `obx_${hex(delivery.id)}`, actor: delivery.id, payload: { delivery: delivery.id }, at: delivery.created_at });

/**
 * An event is stored (the log that `GET /v1/events` reads) and handed to every live
 * subscription as a delivery of its own. Ids derive from the event and the subscription, so a
 * repeated fan-out changes nothing. With no subscription left there is nothing to log: the event goes.
 */
export const fanOut: Delivery<WebhookEvent> = {
  ...WEBHOOK_EVENT,
  retry: { attempts: 12 },
  ordered: true,
  deliver: async (_entry, event, { store, sealer, host }) => {
    const deliveries = (await listSubscriptions(store)).filter(isLive).map((s) => newDelivery(event, s, host.now()));
    if (deliveries.length === 0) return;
    return {
      records: [eventRecord(event, sealer), ...deliveries.map(deliveryRecord)],
      outbox: deliveries.map((d) => deliveryEntry(sealer, d)),
    };
  },
};
