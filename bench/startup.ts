import { SCRIPTS, startChild } from './child.ts';

export interface Startup {
  /** From spawn until /healthz answers. */
  ms: number;
  /** VmRSS of the child right after /healthz answered. */
  rssMb: number;
}

/** Starts trustwire `runs` times, each on the directory `dataDir()` gives; the median start. */
export async function measureStartup(dataDir: () => Promise<string>, runs: number): Promise<Startup> {
  const samples: Startup[] = [];
  for (let i = 0; i < runs; i++) {
    const child = await startChild(SCRIPTS.trustwire, { DATA_DIR: await dataDir() });
    samples.push({ ms: child.startMs, rssMb: await child.rssMb() });
    await child.stop();
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)];
}
