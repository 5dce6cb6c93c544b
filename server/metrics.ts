import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { memberRole } from './realtime/audience.ts';
import { type Clock, iso } from './runtime/clock.ts';
import type { AnyDelivery } from './runtime/effect-module.ts';
import type { Store } from './store/store.ts';

/** Due entries are counted up to this many per scrape: beyond it the backlog is plain anyway. */
const COUNTED = 10_000;

/** What the gauges read when Prometheus scrapes (off the request path of everything else). */
export interface MetricSources {
  store: Store;
  clock: Clock;
  /** Audience rooms (`role:agent`, `member:skr_…`) and their connections, per transport. */
  rooms: Record<string, () => Iterable<[room: string, connections: number]>>;
  /** Subject keys this node still sees wrapped by an older data key (the rotation job's progress). */
  keysToRewrap: () => Promise<number>;
}

/**
 * trustwire's Prometheus metrics (`GET /metrics`): Node's process metrics, plus the runtime's own
 * under `trustwire_`. One registry per server, so servers started side by side in one process
 * (the tests) count apart.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly commandDuration = new Histogram({
    name: 'trustwire_command_duration_seconds',
    help: 'Time from a command arriving to its change being durable, by actor kind and event type.',
    labelNames: ['kind', 'event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** The histogram's child per kind and event: looking one up by labels hashes them on every command. */
  private readonly commandTimers = new Map<string, ReturnType<typeof this.commandDuration.labels>>();

  private commandTimer(kind: string, event: string) {
    const key = `${kind} ${event}`;
    let timer = this.commandTimers.get(key);
    if (!timer) {
      timer = this.commandDuration.labels(kind, event);
      this.commandTimers.set(key, timer);
    }
    return timer;
  }

  readonly commitBatchSize = new Histogram({
    name: 'trustwire_journal_commits_per_write',
    help: 'Commits made durable by one journal write and fdatasync (group commit).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });

  readonly fsyncDuration = new Histogram({
    name: 'trustwire_journal_fsync_duration_seconds',
    help: 'Time of one journal fdatasync.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly vendorCalls = new Counter({
    name: 'trustwire_vendor_calls_total',
    help: 'Calls to vendors (Prove, Veriff, Sterling, ID.me) by vendor and outcome (ok or failed).',
    labelNames: ['vendor', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'trustwire_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, retrying, failed (out of retries), disabled (410) or canceled.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which `promtool check metrics` rejects; `nodejs_active_handles`
    // and friends carry the same numbers by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
  }

  /** Registers the gauges, read from `sources` at each scrape, and counts webhook attempts as the store records them. */
  watch(sources: MetricSources) {
    const { store, clock } = sources;
    // Each attempt rewrites its delivery record once: `pending` with one more attempt is a retry.
    store.onCommitted((commit) => {
      for (const { collection, value } of commit.records) {
        const delivery = value as { status: string; attempts: unknown[] } | undefined;
        if (collection !== 'webhook_deliveries' || !delivery?.attempts?.length) continue;
        this.webhookDeliveries.inc({ outcome: delivery.status === 'pending' ? 'retrying' : delivery.status });
      }
    });
    const now = () => iso(clock.now());
    this.backlog('outbox', 'outbox entries not yet delivered', () => store.dueOutbox(now(), COUNTED), clock);
    this.backlog('reminders', 'durable reminders not yet fired', () => store.dueReminders(now(), COUNTED), clock);

    new Gauge({
      name: 'trustwire_subject_keys_to_rewrap',
      help: "Subjects' data keys and the keyring's older data keys still wrapped by another key than the first of DATA_KEYS (0: rotation done).",
      registers: [this.registry],
      async collect() {
        this.set(await sources.keysToRewrap());
      },
    });
    new Gauge({
      name: 'trustwire_connected_sockets',
      help: 'Open real-time connections by audience (the role of the caller) and transport (socketio or websocket).',
      labelNames: ['audience', 'transport'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [transport, rooms] of Object.entries(sources.rooms)) {
          for (const [room, connections] of rooms()) this.inc({ audience: audienceOf(room), transport }, connections);
        }
      },
    });
  }

  /** `trustwire_<subject>_due` and `trustwire_<subject>_oldest_due_seconds`: the backlog and its age (lag). */
  private backlog(subject: string, what: string, due: () => Promise<{ due_at: string }[]>, clock: Clock) {
    new Gauge({
      name: `trustwire_${subject}_due`,
      help: `Due ${what} (counted up to ${COUNTED}).`,
      registers: [this.registry],
      async collect() {
        this.set((await due()).length);
      },
    });
    new Gauge({
      name: `trustwire_${subject}_oldest_due_seconds`,
      help: `How long the oldest due of the ${what} has been due.`,
      registers: [this.registry],
      async collect() {
        const oldest = (await due())[0];
        this.set(oldest ? Math.max(0, (clock.now() - Date.parse(oldest.due_at)) / 1000) : 0);
      },
    });
  }

  /** Times `work` as one command of `kind` / `event`, whatever its outcome. */
  async timeCommand<T>(kind: string, event: string, work: () => Promise<T>): Promise<T> {
    const end = this.commandTimer(kind, event).startTimer();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** Counts a vendor call by its outcome. */
  async countVendorCall<T>(vendor: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.vendorCalls.inc({ vendor, outcome: 'ok' });
      return result;
    } catch (error) {
      this.vendorCalls.inc({ vendor, outcome: 'failed' });
      throw error;
    }
  }

  /** The outbox's vendor calls (kind `vendor`), counted by vendor and outcome; other deliveries as they are. */
  countedVendorCalls(delivery: AnyDelivery): AnyDelivery {
    if (delivery.kind !== 'vendor') return delivery;
    return {
      ...delivery,
      deliver: (entry, call: { vendor: string }, context) => this.countVendorCall(call.vendor, () => delivery.deliver(entry, call, context)),
    };
  }

  /** `GET /metrics` in Prometheus's text format; with a token, only for `Authorization: Bearer <token>`. */
  handler(token?: string): RequestHandler {
    return async (req, res) => {
      if (token && !sameToken(req.get('authorization') ?? '', `Bearer ${token}`)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Missing or bad metrics token.', code: 'unauthorized', details: {} });
        return;
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}

/** The role a room's connections have: the room names it, or the member's id does. */
function audienceOf(room: string): string {
  return room.startsWith('member:') ? memberRole(room.slice('member:'.length)) : room.slice('role:'.length);
}

function sameToken(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
