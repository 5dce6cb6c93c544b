import type { DeadLetter } from '../../contract/index.ts';
import { log } from '../log.ts';
import { onBehalfOf } from '../request-id.ts';
import { type Clock, iso } from '../runtime/clock.ts';
import type { AnyDelivery, DeliveryContext, Followups } from '../runtime/effect-module.ts';
import { Ticker } from '../runtime/ticker.ts';
import { withKeys } from '../runtime/with-keys.ts';
import { commitOf, type OutboxEntry, type StoredRecord } from '../store/store.ts';

/** A failed delivery that knows when to try again (a webhook's schedule, a `Retry-After`) and what to record of the attempt. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly inMs?: number,
    readonly followups: Followups = {},
  ) {
    super(message);
  }
}

const BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

export const DEAD_LETTERS = 'dead_letters';

/** A dead letter as stored: what staff see, and the entry to put back when they retry it. */
export interface StoredDeadLetter extends DeadLetter {
  entry: OutboxEntry;
}

interface Outcome {
  entry: OutboxEntry;
  followups: Followups;
}

/**
 * Delivers outbox entries at least once (P5): an entry is marked delivered only after its
 * delivery succeeded; a failure is retried with back-off until the kind's retry policy runs out,
 * and then becomes a dead letter for staff (an unknown kind at once). Entries of one actor and
 * an ordered kind are delivered in the order they were made, also after a failure: a later one
 * waits for the failed one (a monitoring withdrawal waits for its enrolment). Everything else
 * concurrently.
 */
export class OutboxDispatcher {
  readonly ticker: Ticker;
  private readonly deliveries: Map<string, AnyDelivery>;

  constructor(
    private readonly context: DeliveryContext,
    deliveries: AnyDelivery[],
    /** How long a claimed batch is this node's: if the node dies, another delivers it after that. */
    private readonly leaseMs = 60_000,
  ) {
    this.deliveries = new Map(deliveries.map((d) => [d.kind, d]));
    const { store, clock } = context;
    this.ticker = new Ticker(
      () => this.deliverDue(),
      () => store.nextOutboxAt(),
      clock,
    );
  }

  private get clock(): Clock {
    return this.context.clock;
  }

  /** One pass over what is due; the ticker runs it whenever kicked and when the next entry comes due. */
  async deliverDue(): Promise<number> {
    const { store } = this.context;
    const now = iso(this.clock.now());
    // Claimed: with several nodes on one database, each actor's due work is one node's at a time.
    const due = await store.claimOutbox(now, 200, iso(this.clock.now() + this.leaseMs));
    if (due.length === 0) return 0;
    const actors = [...new Set(due.map((e) => e.actor))];
    const outbox: OutboxEntry[] = [];
    const records: StoredRecord[] = [];
    const save = async () => {
      const batch = commitOf({ outbox: outbox.splice(0), records: records.splice(0) });
      if (batch.outbox.length + batch.records.length) await store.commit(batch);
    };
    let delivered = 0;
    await Promise.all(
      actors.map(async (actor) => {
        const lanes = new Map<string, OutboxEntry[]>();
        for (const entry of await store.pendingOutbox(actor)) {
          const lane = await this.laneOf(entry);
          lanes.set(lane, [...(lanes.get(lane) ?? []), entry]);
        }
        for (const entries of lanes.values()) {
          for (const [i, entry] of entries.entries()) {
            const blocked = entry.due_at > now;
            const outcome = blocked ? undefined : await onBehalfOf(entry.request_id, () => this.deliver(entry));
            if (outcome) {
              outbox.push(outcome.entry, ...(outcome.followups.outbox ?? []));
              records.push(...(outcome.followups.records ?? []));
            }
            const after = outcome?.entry ?? entry;
            if (after.delivered_at === undefined && after.dead_at === undefined) {
              // Keep this lane's later entries behind the one that waits: none is due before it.
              for (const later of entries.slice(i + 1)) if (later.due_at < after.due_at) outbox.push({ ...later, due_at: after.due_at });
              break;
            }
            delivered++;
            // The actor's next effect may read what this one recorded (a vendor reference): store it first.
            if (i < entries.length - 1 && outcome?.followups.records?.length) await save();
          }
        }
      }),
    );
    await save();
    return delivered > 0 ? due.length : 0;
  }

  /** A lane per ordered kind (or per part of one, as its delivery says); unordered entries each go on their own. */
  private async laneOf(entry: OutboxEntry): Promise<string> {
    const delivery = this.deliveries.get(entry.kind);
    if (!delivery?.ordered) return entry.id;
    return delivery.lane ? `${entry.kind}:${delivery.lane(await this.context.sealer.read(entry.payload))}` : entry.kind;
  }

  private async deliver(entry: OutboxEntry): Promise<Outcome> {
    const now = this.clock.now();
    const attempts = entry.attempts + 1;
    const delivery = this.deliveries.get(entry.kind);
    if (!delivery) return this.dead({ ...entry, attempts }, `no delivery for ${entry.kind} entries`, now);
    try {
      // Delivered at least once anyway: run again once a subject key it lacked is loaded.
      const { sealer } = this.context;
      const followups = (await withKeys(sealer, async () => delivery.deliver(entry, await sealer.read(entry.payload), this.context))) ?? {};
      return { entry: { ...entry, attempts, delivered_at: iso(now), last_error: undefined }, followups };
    } catch (error) {
      const later = error instanceof RetryLater ? error : undefined;
      const message = error instanceof Error ? error.message : String(error);
      if (attempts >= delivery.retry.attempts) return this.dead({ ...entry, attempts }, message, now, later?.followups);
      const wait = later?.inMs ?? BACKOFF_MS[Math.min(entry.attempts, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
      log.warn({ outbox: entry.id, kind: entry.kind, attempts, error: message }, 'effect delivery failed; will retry');
      return { entry: { ...entry, attempts, due_at: iso(now + wait), last_error: message }, followups: later?.followups ?? {} };
    }
  }

  /** Gives up on an entry: staff see it as a dead letter and may retry it. */
  private dead(entry: OutboxEntry, error: string, now: number, followups: Followups = {}): Outcome {
    const dead_at = iso(now);
    log.error({ outbox: entry.id, kind: entry.kind, attempts: entry.attempts, error }, 'effect delivery gave up: dead letter');
    const dead = { ...entry, dead_at, last_error: error };
    const letter: StoredDeadLetter = {
      id: entry.id,
      object: 'dead_letter',
      kind: entry.kind,
      actor: entry.actor,
      attempts: entry.attempts,
      last_error: error,
      dead_at,
      entry: dead,
    };
    const records = [...(followups.records ?? []), { collection: DEAD_LETTERS, id: entry.id, group: 'dead', value: letter }];
    return { entry: dead, followups: { ...followups, records } };
  }
}
