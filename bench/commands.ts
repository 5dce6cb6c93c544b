import autocannon from 'autocannon';
import { API_KEY } from './child.ts';
import { type LoopDelay, NO_DELAY, worstDelay } from './loop-delay.ts';

export const CONNECTIONS = 64;

export interface LoadTarget {
  /** One server, or several nodes sharing the load (the connections split evenly between them). */
  url: string | string[];
  path: string;
  /** The body source of the n-th connection of a run (n < CONNECTIONS). */
  bodies(connection: number): () => string;
  /** CPU time used so far by the server process. */
  cpuMs(): Promise<number>;
  /** The server's event-loop delay since the last call (several nodes: the worst of them). */
  loopDelay(): Promise<LoopDelay>;
}

export interface LoadResult {
  reqPerSec: number;
  /** Means of the slices' percentiles (ms). */
  p50: number;
  p99: number;
  requests: number;
  /** Responses other than 2xx by status code, and connection errors (timeouts included) as 'error'. */
  failed: Record<string, number>;
  /** Server CPU time (user + system) per request: the cost of a request, whatever the machine's load. */
  cpuUsPerRequest: number;
  /** The server's event-loop delay under the load (the worst slice's p99 and max, ms) and its GC pauses. */
  loopDelay: LoopDelay;
}

/**
 * Bodies of `POST /v1/commands`, each a real state change: CHANGE_PLAN to a seeker of `pool`,
 * to the plan opposite to the last one sent to it (they start on 'starter'). The pool is dealt
 * into one lane per connection; a connection sends to the seekers of its own lane in turn, one
 * command at a time, so two commands to one seeker are never in flight together and each finds
 * the plan the previous one set. (Dealing seekers round-robin to whichever connection asks next
 * is not enough: a connection that opens late sends its first command after a thousand others.)
 */
export class PlanChanges {
  private readonly lastSent = new Map<string, string>();
  private readonly lanes: { seekers: string[]; next: number }[];

  constructor(pool: string[]) {
    this.lanes = Array.from({ length: CONNECTIONS }, (_, lane) => ({ seekers: pool.filter((_, i) => i % CONNECTIONS === lane), next: 0 }));
  }

  readonly bodies = (connection: number): (() => string) => {
    const lane = this.lanes[connection];
    return () => {
      const actor = lane.seekers[lane.next++ % lane.seekers.length];
      const plan = this.lastSent.get(actor) === 'legacy' ? 'starter' : 'legacy';
      this.lastSent.set(actor, plan);
      return JSON.stringify({ actor, event: { type: 'CHANGE_PLAN', plan } });
    };
  };
}

/** Has an autocannon connection POST, as the integrator, each body `body` makes in turn. */
export function postBodies(client: autocannon.Client, body: () => string): void {
  client.setRequests([
    {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: body() }),
    },
  ]);
}

/**
 * autocannon at CONNECTIONS connections against each target: a warm-up each (discarded), then
 * `slices` rounds in which the targets take turns for `sliceSeconds` each, so that a busy moment
 * of a shared machine hits every target alike.
 */
export async function compareLoads(targets: LoadTarget[], slices: number, sliceSeconds: number, warmupSeconds: number): Promise<LoadResult[]> {
  const run = async (target: LoadTarget, duration: number): Promise<autocannon.Result> => {
    const urls = typeof target.url === 'string' ? [target.url] : target.url;
    const share = CONNECTIONS / urls.length;
    return merged(await Promise.all(urls.map((url, i) => load(target, url, i * share, share, duration))));
  };
  const load = (target: LoadTarget, url: string, first: number, connections: number, duration: number) => {
    let connection = first;
    return autocannon({
      url: url + target.path,
      connections,
      duration,
      setupClient: (client) => postBodies(client, target.bodies(connection++)),
    });
  };
  for (const target of targets) await run(target, warmupSeconds);
  const runs = targets.map(() => ({ results: [] as autocannon.Result[], cpuMs: 0, loopDelay: NO_DELAY }));
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, target] of targets.entries()) {
      const cpuBefore = await target.cpuMs();
      await target.loopDelay();
      runs[i].results.push(await run(target, sliceSeconds));
      runs[i].cpuMs += (await target.cpuMs()) - cpuBefore;
      runs[i].loopDelay = worstDelay([runs[i].loopDelay, await target.loopDelay()]);
    }
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return runs.map(({ results, cpuMs, loopDelay }) => {
    const requests = sum(results.map((r) => r.requests.total));
    return {
      reqPerSec: requests / sum(results.map((r) => r.duration)),
      p50: sum(results.map((r) => r.latency.p50)) / results.length,
      p99: sum(results.map((r) => r.latency.p99)) / results.length,
      requests,
      failed: failures(results),
      cpuUsPerRequest: (cpuMs * 1000) / requests,
      loopDelay,
    };
  });
}

/** Runs against several nodes at once as one: requests and errors add up, the slowest percentiles count. */
function merged(results: autocannon.Result[]): autocannon.Result {
  if (results.length === 1) return results[0];
  const statusCodeStats: Record<string, { count: number }> = {};
  for (const r of results) {
    for (const [status, { count = 0 }] of Object.entries(r.statusCodeStats ?? {}))
      statusCodeStats[status] = { count: (statusCodeStats[status]?.count ?? 0) + count };
  }
  return {
    ...results[0],
    requests: { ...results[0].requests, total: results.reduce((a, r) => a + r.requests.total, 0) },
    duration: Math.max(...results.map((r) => r.duration)),
    latency: { ...results[0].latency, p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)) },
    errors: results.reduce((a, r) => a + r.errors, 0),
    statusCodeStats: statusCodeStats as autocannon.Result['statusCodeStats'],
  };
}

function failures(results: autocannon.Result[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string, count: number) => {
    if (count > 0) counts[key] = (counts[key] ?? 0) + count;
  };
  for (const result of results) {
    for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) if (!status.startsWith('2')) add(status, count);
    add('error', result.errors);
  }
  return counts;
}
