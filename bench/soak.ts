import autocannon from 'autocannon';
import type { Child } from './child.ts';
import { CONNECTIONS, type PlanChanges, postBodies } from './commands.ts';

export interface SoakSample {
  /** Seconds since the soak began, at the end of the sample. */
  atS: number;
  reqPerSec: number;
  rssMb: number;
  /** Heap in use after the sample's last full GC, if one ran (loop-delay.ts). */
  heapAfterGcMb: number | undefined;
  loopP99: number;
  loopMax: number;
}

export interface SoakResult {
  samples: SoakSample[];
  requests: number;
  /** Answers other than 2xx by status code, and connection errors (timeouts included) as 'error'. */
  failed: Record<string, number>;
}

/**
 * A steady load of durable commands at `rate` per second for `seconds` against one server,
 * sampling its resident memory, event-loop delay and throughput every `sampleSeconds`: a server
 * that leaks, or whose background work (compaction, GC of a growing heap) grows with time, shows
 * it as a trend over the samples. `changes` goes on from the plans the command benchmark left
 * each seeker on, so every command is a real change.
 */
export async function soak(server: Child, changes: PlanChanges, rate: number, seconds: number, sampleSeconds: number): Promise<SoakResult> {
  let connection = 0;
  let answered = 0;
  const failed: Record<string, number> = {};
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // With a callback autocannon answers its instance, whose responses the soak counts as they come.
  const run = autocannon(
    {
      url: `${server.url}/v1/commands`,
      connections: CONNECTIONS,
      overallRate: rate,
      duration: seconds,
      setupClient: (client) => postBodies(client, changes.bodies(connection++)),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  run.on('response', (_client, status) => {
    answered++;
    if (status < 200 || status >= 300) failed[status] = (failed[status] ?? 0) + 1;
  });
  const samples: SoakSample[] = [];
  await server.loopDelay();
  let counted = 0;
  const sampler = setInterval(async () => {
    const [rssMb, delay] = await Promise.all([server.rssMb(), server.loopDelay()]);
    samples.push({
      atS: (samples.length + 1) * sampleSeconds,
      reqPerSec: (answered - counted) / sampleSeconds,
      rssMb,
      heapAfterGcMb: delay.heapAfterGcMb,
      loopP99: delay.p99,
      loopMax: delay.max,
    });
    counted = answered;
  }, sampleSeconds * 1000);
  const result = await done;
  clearInterval(sampler);
  if (result.errors > 0) failed.error = result.errors;
  return { samples, requests: result.requests.total, failed };
}

/** Least-squares slope of `y` over `x`: the trend of a figure per unit of time. */
export function slope(points: [number, number][]): number {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const num = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const den = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
