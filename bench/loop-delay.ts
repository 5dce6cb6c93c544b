/**
 * Event-loop delay of a benchmark child (perf_hooks.monitorEventLoopDelay) and its garbage
 * collection pauses, answered over IPC: 'loop-delay' replies with what was seen since the last
 * question and starts afresh, so each load slice reads its own.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface LoopDelay {
  /** Event-loop delay (ms). */
  p99: number;
  max: number;
  /** Time in GC pauses (ms), the longest one, and the longest full (mark-compact) collection. */
  gcMs: number;
  gcMaxMs: number;
  majorGcMaxMs: number;
}

export const NO_DELAY: LoopDelay = { p99: 0, max: 0, gcMs: 0, gcMaxMs: 0, majorGcMaxMs: 0 };

export function answerLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let gc = { ...NO_DELAY };
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
    const answer: LoopDelay = { ...gc, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
    histogram.reset();
    gc = { ...NO_DELAY };
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
});
