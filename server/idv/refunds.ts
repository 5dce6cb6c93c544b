import { forwarding } from '../effects/forward.ts';
import type { EffectModule } from '../runtime/effect-module.ts';

/** What the billing system receives for an issued refund (I13). */
export interface RefundMessage {
  seeker: string;
  reason: string;
}

/** Refunds the seeker's machine issued (I13), sent to the billing system when one is configured. */
export function refunds(billing: { url?: string; secret: string }): EffectModule<'refund'> {
  const delivery = forwarding<RefundMessage>('refund', billing);
  return {
    type: 'refund',
    deliveries: [delivery],
    plan: (effect, plan) => plan.outbox(delivery, { seeker: plan.owner.actor.id, reason: effect.reason }),
  };
}
