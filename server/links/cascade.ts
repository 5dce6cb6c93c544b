import type { Cascade } from '../../machines/effects.ts';
import { ENDED_STATUSES } from '../../machines/link.ts';
import { SYSTEM } from '../runtime/caller.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import { DomainError } from '../runtime/errors.ts';

const ENDED = new Set<string>(ENDED_STATUSES);
/** Why a request could not be sent when ID.me completed → the event that ends the link. */
const NOT_SENT: Record<string, string> = {
  monitoring_limit_reached: 'SLOT_REFUSED',
  plan_not_eligible: 'SLOT_REFUSED',
  provider_unavailable: 'PROVIDER_UNAVAILABLE',
};

/**
 * Sends a member's event (plan change, account closure, ID.me done) to each of their links that
 * is not over yet (C4, C11). A link that no longer accepts it is skipped. When ID.me completes for
 * a link whose seeker has meanwhile no free slot, or whose provider left, the link is told so and
 * ends (API.md).
 */
const delivery: Delivery<{ member: string; event: Cascade['event'] }> = {
  kind: 'cascade',
  retry: { attempts: 12 },
  ordered: true,
  deliver: async (_entry, payload, { store, host }) => {
    for (let offset = 0; ; offset += 100) {
      const page = await store.listActors({ kind: 'link', member: payload.member, offset, limit: 100 });
      for (const link of page.data) {
        if (ENDED.has(link.status)) continue;
        await host.send(link.id, payload.event, SYSTEM).catch(async (error) => {
          if (!(error instanceof DomainError)) throw error;
          const ending = Object.hasOwn(NOT_SENT, error.code) ? NOT_SENT[error.code] : undefined;
          if (ending) await host.send(link.id, { type: ending, reason: error.code }, SYSTEM).catch(ignoreRefusal);
        });
      }
      if (offset + 100 >= page.count) return;
    }
  },
};

export const cascades: EffectModule<'cascade'> = {
  type: 'cascade',
  deliveries: [delivery],
  plan: (effect, plan) => plan.outbox(delivery, { member: plan.owner.actor.id, event: effect.event }),
};

function ignoreRefusal(error: unknown) {
  if (!(error instanceof DomainError)) throw error;
}
