import type { VendorCall } from '../../machines/effects.ts';
import type { Delivery, DeliveryContext, EffectModule, Followups } from '../runtime/effect-module.ts';
import type { OutboxEntry } from '../store/store.ts';

/** A vendor call as the outbox holds it: the machine's call, the actor that asked, and a link's provider. */
export type VendorCallPayload = Omit<VendorCall, 'type'> & { actor: string; provider_id?: string | null };

/** Makes one kind of vendor call; the outbox entry id is the vendor's idempotency key. */
// biome-ignore lint/suspicious/noConfusingVoidType: as Delivery.deliver, a handler may return nothing
export type VendorHandler<P = VendorCallPayload> = (entry: OutboxEntry, call: P, context: DeliveryContext) => Promise<Followups | void>;

/**
 * Vendor calls machines ask for (machines/effects.ts VendorCall), delivered by the feature that
 * owns each `<vendor>:<action>`: identity verification (Prove, Veriff), screenings and monitoring
 * (Sterling). A vendor that fails is retried with back-off; an actor's calls keep their order.
 */
export function vendorCalls(handlers: Record<string, VendorHandler<never>>): EffectModule<'vendor'> {
  const delivery: Delivery<VendorCallPayload> = {
    kind: 'vendor',
    retry: { attempts: 14 },
    ordered: true,
    // An identity-verification attempt's calls are ordered among themselves; a new attempt goes at
    // once, and the old one's retries are dropped when they come due (idv/vendor-answers.ts).
    lane: (call) => ('attempt' in call ? `attempt ${call.attempt}` : call.vendor),
    deliver: (entry, call, context) => {
      const key = `${call.vendor}:${call.action}`;
      if (!Object.hasOwn(handlers, key)) throw new Error(`no handler for vendor call ${key}`);
      return (handlers[key] as VendorHandler)(entry, call, context);
    },
  };
  return {
    type: 'vendor',
    deliveries: [delivery],
    plan({ type: _type, ...call }, plan) {
      const { actor, snapshot } = plan.owner;
      plan.outbox(delivery, { ...call, actor: actor.id, provider_id: snapshot.context.provider_id as string | undefined });
    },
  };
}
