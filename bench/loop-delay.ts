/**
 * Event-loop delay of a benchmark child (perf_hooks.monitorEventLoopDelay), answered over IPC:
 * 'loop-delay' replies with the p99 and max since the last question (ms) and starts afresh, so
 * each load slice reads its own.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  p99: number;
  max: number;
}

export function answerLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', (question) => {
    if (question !== 'loop-delay') return;
    const answer: LoopDelay = { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
    histogram.reset();
    process.send!(answer);
  });
}

/** The worst of several readings (nodes sharing a load). */
export const worstDelay = (delays: LoopDelay[]): LoopDelay => ({ p99: Math.max(...delays.map((d) => d.p99)), max: Math.max(...delays.map((d) => d.max)) });
