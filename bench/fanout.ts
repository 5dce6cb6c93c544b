import { mkdir } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import { api, SCRIPTS, withChildren } from './child.ts';
import { monotonicMs, Sender } from './sender.ts';

/** Connections opened (or sessions created) at once. */
const WIDTH = 50;
const DELIVERY_TIMEOUT_MS = 10_000;

interface Changed {
  actor: { version: number };
}

/** Socket.IO clients (websocket transport) of one server, noting when each `actor.changed` arrives. */
export class Audience {
  /** The last `actor.changed` payload received. */
  message?: Changed;
  private sockets: Socket[] = [];
  private readonly arrivals = new Map<number, number[]>();
  private waiting?: { version: number; done(): void };

  private constructor(
    readonly url: string,
    private readonly size: number,
  ) {}

  /** One client per token; each subscribes to `subscribe` (trustwire's `subscribe`) if given. */
  static async connect(url: string, tokens: string[], subscribe?: string): Promise<Audience> {
    const audience = new Audience(url, tokens.length);
    audience.sockets = await mapConcurrent(tokens, (token) => audience.client(token, subscribe));
    return audience;
  }

  /** Monotonic arrival times of `version` at every client, once all got it. */
  delivered(version: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(this.arrivals.get(version)!);
        this.arrivals.delete(version);
      };
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(
          new Error(`${this.url}: ${this.arrivals.get(version)?.length ?? 0} of ${this.size} clients got version ${version} within ${DELIVERY_TIMEOUT_MS} ms`),
        );
      }, DELIVERY_TIMEOUT_MS);
      if ((this.arrivals.get(version)?.length ?? 0) === this.size) finish();
      else this.waiting = { version, done: finish };
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
  }

  private async client(token: string, subscribe: string | undefined): Promise<Socket> {
    const socket = io(this.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    if (subscribe) {
      const answer = (await socket.emitWithAck('subscribe', { actor: subscribe })) as { ok: boolean };
      if (!answer.ok) throw new Error(`subscribe ${subscribe}: ${JSON.stringify(answer)}`);
    }
    socket.on('actor.changed', (changed: Changed) => this.arrived(changed));
    return socket;
  }

  private arrived(changed: Changed): void {
    const at = monotonicMs();
    const { version } = changed.actor;
    const times = this.arrivals.get(version) ?? [];
    times.push(at);
    this.arrivals.set(version, times);
    this.message = changed;
    if (this.waiting?.version === version && times.length === this.size) this.waiting.done();
  }
}

export interface Fan {
  audience: Audience;
  /** The server the POST goes to, when not the audience's (a change made on another node). */
  target?: string;
  /** The POST that makes one change; its answer holds `actor.version`, the version clients get. */
  change(): { path: string; body: unknown };
}

export interface FanoutResult {
  /** From the answer to the POST to each delivery, over every delivery (earlier ones count 0). */
  p50: number;
  p99: number;
  max: number;
  /** Share of deliveries that reached their client before the POST was answered. */
  beforeAck: number;
  /** From sending the POST to each delivery: an upper bound that needs no answer time. */
  p99FromSend: number;
  /** Median time to answer the POST (the server publishes before it answers). */
  ackP50: number;
  deliveries: number;
}

/**
 * Rounds of one change per fan, the fans taking turns (so a noisy moment of the machine hits them
 * alike); each change waits until every client of its audience got it. The POSTs go out from a
 * worker thread (see Sender).
 */
export async function measureFanouts(fans: Fan[], warmupRounds: number, rounds: number): Promise<FanoutResult[]> {
  const sender = new Sender();
  const samples = fans.map(() => ({ afterAck: [] as number[], afterSend: [] as number[], acks: [] as number[] }));
  try {
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const [i, fan] of fans.entries()) {
        const { path, body } = fan.change();
        const { answer, sentAt, answeredAt } = await sender.post<Changed>((fan.target ?? fan.audience.url) + path, body);
        const arrivals = await fan.audience.delivered(answer.actor.version);
        if (round < warmupRounds) continue;
        samples[i].acks.push(answeredAt - sentAt);
        for (const at of arrivals) {
          samples[i].afterAck.push(at - answeredAt);
          samples[i].afterSend.push(at - sentAt);
        }
      }
    }
  } finally {
    await sender.close();
  }
  return samples.map(({ afterAck, afterSend, acks }) => {
    const latencies = sorted(afterAck.map((ms) => Math.max(0, ms)));
    return {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1],
      beforeAck: afterAck.filter((ms) => ms <= 0).length / afterAck.length,
      p99FromSend: percentile(sorted(afterSend), 0.99),
      ackP50: percentile(sorted(acks), 0.5),
      deliveries: latencies.length,
    };
  });
}

/**
 * trustwire (on a new store in `dataDir`) with `clients` agent sessions subscribed to one seeker
 * whose plan changes, beside a bare Socket.IO server broadcasting the same payload to a room of
 * as many clients; both servers run, and both audiences stay connected, for the whole measurement.
 */
export async function fanoutBench(dataDir: string, clients: number, warmupRounds: number, rounds: number) {
  await mkdir(dataDir);
  const servers = [{ script: SCRIPTS.trustwire, env: { DATA_DIR: dataDir } }, { script: SCRIPTS.bareIo }];
  return withChildren(servers, async ([server, bare]) => {
    const seeker = await api<{ id: string }>(server.url, '/v1/seekers', { email: 'fan@example.com', plan: 'starter' });
    const subjects = Array.from({ length: clients }, (_, i) => `agent-${i}`);
    const tokens = await mapConcurrent(
      subjects,
      async (subject) => (await api<{ token: string }>(server.url, '/v1/sessions', { subject, role: 'agent' })).token,
    );
    const staff = await Audience.connect(server.url, tokens, seeker.id);
    const room = await Audience.connect(bare.url, Array(clients).fill(''));
    let plan = 'starter';
    const planChange = () => {
      plan = plan === 'legacy' ? 'starter' : 'legacy';
      return { actor: seeker.id, event: { type: 'CHANGE_PLAN', plan } };
    };
    let version = 0;
    // trustwire's fan goes first in each round, so the baseline always has its latest payload to copy.
    const sameSize = () => ({ ...staff.message!, actor: { ...staff.message!.actor, version: ++version } });
    try {
      const [trustwire, baseline] = await measureFanouts(
        [
          { audience: staff, change: () => ({ path: '/v1/commands', body: planChange() }) },
          { audience: room, change: () => ({ path: '/emit', body: sameSize() }) },
        ],
        warmupRounds,
        rounds,
      );
      return { trustwire, baseline, payloadBytes: Buffer.byteLength(JSON.stringify(staff.message)) };
    } finally {
      staff.close();
      room.close();
    }
  });
}

/** `fn` over `items`, at most WIDTH at a time, results in order. */
export async function mapConcurrent<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: WIDTH }, worker));
  return results;
}

const sorted = (values: number[]) => values.sort((a, b) => a - b);

/** The q-quantile of sorted values (nearest rank). */
function percentile(values: number[], q: number): number {
  return values[Math.max(0, Math.ceil(q * values.length) - 1)];
}
