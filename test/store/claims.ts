import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/store.ts';
import { at, commit, outboxEntry, reminder, type StoreFixture } from './contract.ts';

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

/** Claims with leases (several nodes share due work): every store passes these besides the contract. */
export function claimsContract(name: string, make: () => Promise<StoreFixture>): void {
  /** A test on a fresh store of the fixture, cleaned up whatever happens. */
  const onStore = (test: (store: Store) => Promise<void>) => async () => {
    const fixture = await make();
    try {
      await test(fixture.store);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`Store claims: ${name}`, () => {
    it(
      'leases due reminders: claimed once until the lease ends, then again',
      onStore(async (store) => {
        await store.commit(commit({ reminders: [reminder('a:x', 1), reminder('b:x', 2), reminder('c:x', 8)] }));
        expect(ids(await store.claimReminders(at(5), 10, at(10)))).toEqual(['a:x', 'b:x']);
        expect(await store.claimReminders(at(6), 10, at(10))).toEqual([]);
        // Leased work is not due for the scheduler until its lease ends.
        expect(await store.nextReminderAt()).toBe(at(8));
        expect(ids(await store.claimReminders(at(9), 10, at(20)))).toEqual(['c:x']);
        expect(ids(await store.claimReminders(at(11), 10, at(20)))).toEqual(['a:x', 'b:x']);
        // Setting a reminder again ends its lease.
        await store.commit(commit({ reminders: [reminder('a:x', 12)] }));
        expect(ids(await store.claimReminders(at(13), 10, at(30)))).toEqual(['a:x']);
        await store.commit(commit({ cancel_reminders: ['a:x', 'b:x', 'c:x'] }));
        expect(await store.claimReminders(at(99), 10, at(100))).toEqual([]);
      }),
    );

    it(
      'hands out an actor’s outbox entries to one claim at a time',
      onStore(async (store) => {
        await store.commit(
          commit({
            outbox: [
              outboxEntry('o1', { actor: 'a', due_at: at(1) }),
              outboxEntry('o2', { actor: 'b', due_at: at(2) }),
              outboxEntry('o3', { actor: 'a', due_at: at(3) }),
            ],
          }),
        );
        expect(ids(await store.claimOutbox(at(2), 10, at(10)))).toEqual(['o1', 'o2']);
        // o3 is due, but its actor's earlier entry is still being delivered.
        expect(await store.claimOutbox(at(5), 10, at(10))).toEqual([]);
        expect(await store.nextOutboxAt()).toBe(at(3));
        // Storing the delivered entry ends its lease; the actor's next entry is free.
        await store.commit(commit({ outbox: [outboxEntry('o1', { actor: 'a', due_at: at(1), attempts: 1, delivered_at: at(5) })] }));
        expect(ids(await store.claimOutbox(at(5), 10, at(10)))).toEqual(['o3']);
        // A lease left to expire (its node died) lets another claim take the entry.
        expect(ids(await store.claimOutbox(at(11), 10, at(20)))).toEqual(['o2', 'o3']);
      }),
    );

    it(
      'gives concurrent claims disjoint work',
      onStore(async (store) => {
        const entries = Array.from({ length: 30 }, (_, i) => outboxEntry(`o${String(i).padStart(2, '0')}`, { actor: `a${i}`, due_at: at(1) }));
        await store.commit(commit({ outbox: entries, reminders: entries.map((_, i) => reminder(`r${i}:x`, 1)) }));
        const outbox = await Promise.all([1, 2, 3].map(() => store.claimOutbox(at(2), 12, at(10))));
        const reminders = await Promise.all([1, 2, 3].map(() => store.claimReminders(at(2), 12, at(10))));
        for (const claims of [outbox, reminders]) {
          const all = claims.flatMap(ids);
          expect(new Set(all).size).toBe(all.length);
          expect(all).toHaveLength(30);
        }
      }),
    );
  });
}
