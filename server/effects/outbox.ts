import { log } from '../log.ts';
import { iso, type Clock } from '../runtime/clock.ts';
import type { Sealer } from '../runtime/seal.ts';
import { Ticker } from '../runtime/ticker.ts';
import { commitOf, type OutboxEntry, type Store, type StoredRecord } from '../store/store.ts';

/** What a delivery leaves behind, stored with it: vendor references, cases, further effects. */
export interface Followups {
  records?: StoredRecord[];
  outbox?: OutboxEntry[];
}

/** Delivers one kind of effect. */
export type Deliver = (entry: OutboxEntry, payload: any) => Promise<Followups | void>;

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

/**
 * Delivers outbox entries at least once (P5): an entry is marked delivered only after its
 * handler succeeded; a failure is retried with back-off. Entries of one actor are delivered in
 * order (a monitoring enrolment before its withdrawal); different actors concurrently.
 */
export class OutboxDispatcher {
  readonly ticker: Ticker;

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
    private readonly handlers: Record<string, Deliver>,
    /** How long a claimed batch is this node's: if the node dies, another delivers it after that. */
    private readonly leaseMs = 60_000,
  ) {
    this.ticker = new Ticker(() => this.deliverDue(), () => this.store.nextOutboxAt(), clock);
  }

  private async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.store.claimOutbox(iso(now), 200, iso(now + this.leaseMs));
    if (due.length === 0) return 0;
    const byActor = new Map<string, OutboxEntry[]>();
    for (const entry of due) byActor.set(entry.actor, [...(byActor.get(entry.actor) ?? []), entry]);
    let delivered = 0;
    const outbox: OutboxEntry[] = [];
    const records: StoredRecord[] = [];
    const store = async () => {
      const batch = commitOf({ outbox: outbox.splice(0), records: records.splice(0) });
      await this.store.commit(batch);
    };
    await Promise.all(
      [...byActor.values()].map(async (entries) => {
        for (const [i, entry] of entries.entries()) {
          const outcome = await this.deliver(entry);
          outbox.push(outcome.entry, ...(outcome.followups.outbox ?? []));
          records.push(...(outcome.followups.records ?? []));
          if (!outcome.entry.delivered_at) {
            // Keep this actor's later effects in order: stored again unchanged, they are free for the next claim.
            outbox.push(...entries.slice(i + 1));
            break;
          }
          delivered++;
          // The actor's next effect may read what this one recorded (a vendor reference): store it first.
          if (i < entries.length - 1 && outcome.followups.records?.length) await store();
        }
      }),
    );
    await store();
    return delivered > 0 ? due.length : 0;
  }

  private async deliver(entry: OutboxEntry): Promise<{ entry: OutboxEntry; followups: Followups }> {
    const now = this.clock.now();
    const attempts = entry.attempts + 1;
    try {
      const handler = this.handlers[entry.kind];
      if (!handler) throw new Error(`no handler for ${entry.kind} effects`);
      const followups = (await handler(entry, this.sealer.open(entry.payload))) ?? {};
      return { entry: { ...entry, attempts, delivered_at: iso(now), last_error: undefined }, followups };
    } catch (error) {
      const later = error instanceof RetryLater ? error : undefined;
      const wait = later?.inMs ?? BACKOFF_MS[Math.min(entry.attempts, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ outbox: entry.id, kind: entry.kind, attempts, error: message }, 'effect delivery failed; will retry');
      return { entry: { ...entry, attempts, due_at: iso(now + wait), last_error: message }, followups: later?.followups ?? {} };
    }
  }
}
