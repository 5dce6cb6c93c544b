import { forwarding } from '../effects/forward.ts';
import type { OutboundFetch } from '../outbound.ts';
import type { EffectModule } from '../runtime/effect-module.ts';
import type { Sealer } from '../runtime/seal.ts';
import { CRM_CASE, type CrmMessage, openCase } from './cases.ts';

/**
 * Cases a machine opens (I12, C12), with a first comment by whoever sent the event; every case
 * change is forwarded to the external CRM when one is configured.
 */
export function cases(sealer: Sealer, crm: { url?: string; secret: string }, post: OutboundFetch): EffectModule<'case'> {
  return {
    type: 'case',
    deliveries: [forwarding<CrmMessage>(CRM_CASE.kind, crm, post)],
    plan(effect, plan) {
      const comment = effect.comment ? { text: effect.comment, by: plan.by } : undefined;
      plan.add(openCase({ subject: plan.owner.actor.id, queue: effect.queue, summary: effect.summary, refs: effect.refs, comment, at: plan.at }, sealer));
    },
  };
}
