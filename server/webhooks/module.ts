import type { EffectModule } from '../runtime/effect-module.ts';
import type { Sealer } from '../runtime/seal.ts';
import { webhookDelivery } from './delivery.ts';
import { webhookEventEntry } from './event.ts';
import { fanOut } from './fanout.ts';
import { webhookObject } from './objects.ts';

/**
 * Webhook events (B6): an event is stored with the object as it is now, so that a retry or a
 * redelivery sends it as it happened; its delivery fans out to every live subscription, each of
 * which retries on its own schedule. Without a subscription there is nobody to tell: no event.
 */
export function webhooks(sealer: Sealer, subscribed: () => boolean): EffectModule<'webhook'> {
  return {
    type: 'webhook',
    deliveries: [fanOut, webhookDelivery],
    plan(effect, plan) {
      if (!subscribed()) return;
      plan.add({ outbox: [webhookEventEntry(sealer, plan.owner.actor.id, effect.event, webhookObject(plan.owner), plan.at)] });
    },
  };
}
