import { describe, expect, it } from 'vitest';
import { OutboxDispatcher } from '../../server/effects/outbox.ts';
import { iso, ManualClock } from '../../server/runtime/clock.ts';
import type { Delivery, DeliveryContext } from '../../server/runtime/effect-module.ts';
import type { ActorHost } from '../../server/runtime/host.ts';
import { outboxEntry } from '../../server/runtime/outbox-entry.ts';
import { Sealer } from '../../server/runtime/seal.ts';
import { MemoryStore } from '../../server/store/memory.ts';
import { commitOf } from '../../server/store/store.ts';

/** A world of one store and one dispatcher whose deliveries the test scripts. */
function world(deliveries: Delivery<{ step: string }>[]) {
  const store = new MemoryStore();
  const sealer = new Sealer(Buffer.alloc(32, 7));
  const clock = new ManualClock();
  const context: DeliveryContext = { store, sealer, clock, host: {} as ActorHost };
  const dispatcher = new OutboxDispatcher(context, deliveries);
  const add = async (kind: string, actor: string, step: string) => {
    const entry = outboxEntry(sealer, { kind }, { actor, payload: { step }, at: iso(clock.now()) });
    await store.commit(commitOf({ outbox: [entry] }));
    return entry;
  };
  return { store, clock, dispatcher, add };
}

/** A delivery that records what it delivered and fails while `failing` holds the step. */
function scripted(kind: string, ordered: boolean, attempts = 5) {
  const delivered: string[] = [];
  const failing = new Set<string>();
  const delivery: Delivery<{ step: string }> = {
    kind,
    ordered,
    retry: { attempts },
    deliver: async (_entry, { step }) => {
      if (failing.has(step)) throw new Error(`${step} failed`);
      delivered.push(step);
    },
  };
  return { delivery, delivered, failing };
}

describe('outbox delivery order', () => {
  it("keeps an actor's ordered entries in order after a failure: the withdrawal waits for the failed enrolment", async () => {
    const vendor = scripted('vendor', true);
    const { clock, dispatcher, add } = world([vendor.delivery]);
    vendor.failing.add('enroll');
    await add('vendor', 'lnk_1', 'enroll');
    await dispatcher.deliverDue();
    expect(vendor.delivered).toEqual([]);

    clock.advance(1);
    await add('vendor', 'lnk_1', 'withdraw');
    await dispatcher.deliverDue();
    expect(vendor.delivered).toEqual([]); // the withdrawal waits although it is due

    vendor.failing.clear();
    clock.advance(60_000); // past the enrolment's back-off
    await dispatcher.deliverDue();
    expect(vendor.delivered).toEqual(['enroll', 'withdraw']);
  });

  it('lets other actors and unordered kinds go on while one entry waits', async () => {
    const vendor = scripted('vendor', true);
    const email = scripted('email', false);
    const { dispatcher, add } = world([vendor.delivery, email.delivery]);
    vendor.failing.add('enroll');
    email.failing.add('first email');
    await add('vendor', 'lnk_1', 'enroll');
    await add('email', 'lnk_1', 'first email');
    await add('email', 'lnk_1', 'second email');
    await add('vendor', 'lnk_2', 'other enroll');
    await dispatcher.deliverDue();
    expect(vendor.delivered).toEqual(['other enroll']);
    expect(email.delivered).toEqual(['second email']);
  });

  it("lets a delivery's lanes go on without each other: a new verification attempt does not wait for an abandoned one's retry", async () => {
    const vendor = scripted('vendor', true);
    const { dispatcher, add } = world([{ ...vendor.delivery, lane: ({ step }) => step.split(' ')[0] }]);
    vendor.failing.add('attempt-1 create session');
    await add('vendor', 'skr_1', 'attempt-1 create session');
    await dispatcher.deliverDue();
    await add('vendor', 'skr_1', 'attempt-2 create session');
    await add('vendor', 'skr_1', 'attempt-2 check');
    await dispatcher.deliverDue();
    expect(vendor.delivered).toEqual(['attempt-2 create session', 'attempt-2 check']);
  });

  it('does not spin on an entry held behind a waiting one', async () => {
    const vendor = scripted('vendor', true);
    const { store, clock, dispatcher, add } = world([vendor.delivery]);
    vendor.failing.add('enroll');
    await add('vendor', 'lnk_1', 'enroll');
    await dispatcher.deliverDue();
    clock.advance(1);
    await add('vendor', 'lnk_1', 'withdraw');
    await dispatcher.deliverDue();
    // Nothing is due before the enrolment's retry: the ticker sleeps until then.
    const next = await store.nextOutboxAt();
    expect(Date.parse(next!)).toBeGreaterThan(clock.now());
    expect(await store.dueOutbox(iso(clock.now()), 10)).toEqual([]);
  });
});

describe('dead letters', () => {
  it('gives up after the retry policy and records a dead letter, which is no longer due', async () => {
    const vendor = scripted('vendor', true, 3);
    const { store, clock, dispatcher, add } = world([vendor.delivery]);
    vendor.failing.add('enroll');
    const entry = await add('vendor', 'lnk_1', 'enroll');
    for (let i = 0; i < 3; i++) {
      await dispatcher.deliverDue();
      clock.advance(24 * 60 * 60_000);
    }
    expect(await store.dueOutbox(iso(clock.now()), 10)).toEqual([]);
    expect(await store.pendingOutbox('lnk_1')).toEqual([]);
    const letters = (await store.listRecords('dead_letters', 'dead')) as { id: string; attempts: number; last_error: string }[];
    expect(letters).toMatchObject([{ id: entry.id, attempts: 3, last_error: 'enroll failed' }]);
  });

  it('dead-letters an entry of an unknown kind at once instead of retrying it', async () => {
    const { store, dispatcher, add } = world([]);
    const entry = await add('telegram', 'skr_1', 'hello');
    await dispatcher.deliverDue();
    expect(await store.pendingOutbox('skr_1')).toEqual([]);
    expect(await store.listRecords('dead_letters', 'dead')).toMatchObject([
      { id: entry.id, kind: 'telegram', attempts: 1, last_error: 'no delivery for telegram entries' },
    ]);
  });
});
