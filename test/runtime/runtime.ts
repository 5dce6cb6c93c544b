import { randomBytes } from 'node:crypto';
import type { Change } from '../../server/runtime/host.ts';
import { ActorHost } from '../../server/runtime/host.ts';
import { ManualClock } from '../../server/runtime/clock.ts';
import { ReminderScheduler } from '../../server/runtime/reminders.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { MemoryStore } from '../../server/store/memory.ts';

export const DELAYS = { provider_reminder: 3 * 24 * 3600_000, idv_vendor_timeout: 2 * 60_000 };

/**
 * The runtime on its own: the actor host over a memory store, on a simulated clock, with the
 * reminder scheduler, and no HTTP, vendors or outbox delivery. What it committed is read back
 * from the store; what it published is kept in `published`.
 */
export function runtime(options: { subscribed?: boolean; start?: number } = {}) {
  const start = options.start ?? Date.parse('2026-05-04T10:00:00Z');
  const store = new MemoryStore();
  const clock = new ManualClock(start);
  const sealer = new Sealer(randomBytes(32));
  const published: Change[][] = [];
  const host = new ActorHost({
    store,
    clock,
    sealer,
    delays: DELAYS,
    webhookObject: (loaded) => ({ id: loaded.actor.id, object: loaded.kind.kind, uri: `/v1/actors/${loaded.actor.id}`, status: loaded.actor.status }),
    subscribed: () => options.subscribed ?? false,
    blocklist: (seeker, at) => [{ collection: 'blocklist', id: `bl_${seeker.actor.id}`, value: { seeker: seeker.actor.id, at } }],
    committed: (changes) => published.push(changes),
  });
  const scheduler = new ReminderScheduler(store, host, clock);
  /** Every reminder stored for an actor, due or not: key → due time. */
  const reminders = async (actor: string) =>
    Object.fromEntries((await store.dueReminders('9999-12-31T23:59:59.999Z', 10_000)).filter((r) => r.actor === actor).map((r) => [r.id.slice(actor.length + 1), r.due_at]));
  return { store, clock, sealer, host, scheduler, published, reminders };
}
