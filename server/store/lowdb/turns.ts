import { setImmediate } from 'node:timers/promises';

/** Synchronous work a background loop does before commands get a turn: well under the few ms a command may wait (issue 14). */
const SLICE_MS = 1;

/**
 * Time slices for a long loop of a compaction: `due()` says the loop used its slice, `next()`
 * lets waiting commands run and starts another. Measured in time, not items, because an item's
 * cost varies a hundredfold (a key's hash, a snapshot's JSON).
 */
export class Turns {
  private started = performance.now();

  due(): boolean {
    return performance.now() - this.started >= SLICE_MS;
  }

  async next(): Promise<void> {
    await setImmediate();
    this.started = performance.now();
  }
}
