/**
 * Event-loop delay of a benchmark child (perf_hooks.monitorEventLoopDelay), its garbage
 * collection pauses and the heap a full collection leaves, answered over IPC: 'loop-delay' replies with what was seen since the last
 * question and starts afresh, so each load slice reads its own.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';

export interface LoopDelay {
  /** Event-loop delay (ms). */
  p99: number;
  max: number;
  /** Time in GC pauses (ms), the longest one, and the longest full (mark-compact) collection. */
  gcMs: number;
  gcMaxMs: number;
  majorGcMaxMs: number;
  /**
   * Heap in use right after the last full collection (MB), if one ran: what the process holds,
   * where its RSS between collections also counts garbage not yet collected.
   */
  heapAfterGcMb: number | undefined;
}

export const NO_DELAY: LoopDelay = { p99: 0, max: 0, gcMs: 0, gcMaxMs: 0, majorGcMaxMs: 0, heapAfterGcMb: undefined };

/** The used heap after the last mark-compact a GC profile saw, in MB. */
function heapAfterFullGc(profile: ReturnType<GCProfiler['stop']>): number | undefined {
  const full = profile?.statistics.filter((gc) => gc.gcType === 'MarkSweepCompact').at(-1);
  return full === undefined ? undefined : full.afterGC.heapStatistics.usedHeapSize / 2 ** 20;
}

export function answerLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let gc = { ...NO_DELAY };
  let profiler = new GCProfiler();
  profiler.start();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.gcMs += entry.duration;
      gc.gcMaxMs = Math.max(gc.gcMaxMs, entry.duration);
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        gc.majorGcMaxMs = Math.max(gc.majorGcMaxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (question) => {
    if (question !== 'loop-delay') return;
    const answer: LoopDelay = { ...gc, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, heapAfterGcMb: heapAfterFullGc(profiler.stop()) };
    histogram.reset();
    gc = { ...NO_DELAY };
    profiler = new GCProfiler();
    profiler.start();
    process.send!(answer);
  });
}

/** The worst of several readings (nodes sharing a load, or slices: pauses add up, the longest counts). */
export const worstDelay = (delays: LoopDelay[]): LoopDelay => ({
  p99: Math.max(...delays.map((d) => d.p99)),
  max: Math.max(...delays.map((d) => d.max)),
  gcMs: delays.reduce((sum, d) => sum + d.gcMs, 0),
  gcMaxMs: Math.max(...delays.map((d) => d.gcMaxMs)),
  majorGcMaxMs: Math.max(...delays.map((d) => d.majorGcMaxMs)),
  heapAfterGcMb: delays.reduce<number | undefined>((most, d) => (d.heapAfterGcMb === undefined ? most : Math.max(most ?? 0, d.heapAfterGcMb)), undefined),
});
