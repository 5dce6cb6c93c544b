import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../server/runtime/clock.ts';
import type { EffectModules, FeatureEffect } from '../../server/runtime/effect-module.ts';
import type { Change } from '../../server/runtime/host.ts';
import { ActorHost } from '../../server/runtime/host.ts';
import { MemberSearch } from '../../server/runtime/member-search.ts';
import { ReminderScheduler } from '../../server/runtime/reminders.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { MemoryStore } from '../../server/store/memory.ts';

export const DELAYS = { provider_reminder: 3 * 24 * 3600_000, idv_vendor_timeout: 2 * 60_000 };

const FEATURE_EFFECTS: FeatureEffect['type'][] = ['notify', 'cascade', 'vendor', 'case', 'webhook', 'order_report', 'escalate', 'blocklist', 'refund'];

/**
 * Effect modules that plan every feature effect as an outbox entry of the effect's own type
 * holding the effect: what the runtime handed to the features, in the commit, and nothing else.
 */
export function recordingModules(): EffectModules {
  return Object.fromEntries(
    FEATURE_EFFECTS.map((type) => {
      const delivery = { kind: type, ordered: false, retry: { attempts: 1 }, deliver: async () => undefined };
      return [
        type,
        {
          type,
          deliveries: [delivery],
          plan: (effect: FeatureEffect, plan: { outbox: (d: typeof delivery, p: unknown) => void }) => plan.outbox(delivery, effect),
        },
      ];
    }),
  ) as unknown as EffectModules;
}

/**
 * The runtime on its own: the actor host over a memory store, on a simulated clock, with the
 * reminder scheduler and recording effect modules, and no HTTP, vendors or outbox delivery.
 * What it committed is read back from the store; what it published is kept in `published`.
 */
export function runtime(start = Date.parse('2026-05-04T10:00:00Z')) {
  const store = new MemoryStore();
  const clock = new ManualClock(start);
  const key = randomBytes(32);
  const sealer = new Sealer(key);
  const published: Change[][] = [];
  const options = {
    store,
    clock,
    sealer,
    search: new MemberSearch(key),
    delays: DELAYS,
    modules: recordingModules(),
    committed: (changes: Change[]) => void published.push(changes),
  };
  const host = new ActorHost(options);
  const scheduler = new ReminderScheduler(store, host, clock);
  /** Every reminder stored for an actor, due or not: key → due time. */
  const reminders = async (actor: string) =>
    Object.fromEntries(
      (await store.dueReminders('9999-12-31T23:59:59.999Z', 10_000)).filter((r) => r.actor === actor).map((r) => [r.id.slice(actor.length + 1), r.due_at]),
    );
  /** Another host over the same store, as after a restart. */
  const restarted = () => new ActorHost({ ...options, committed: () => undefined });
  return { store, clock, sealer, host, scheduler, published, reminders, restarted };
}
