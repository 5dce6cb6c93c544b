import { log } from '../log.ts';
import { StoreUnavailable } from '../store/store.ts';
import type { Clock } from './clock.ts';

/**
 * Runs `work` whenever kicked, and again when the next due time (from `next`) arrives; never two
 * runs at once. `work` returns how many items it handled: a full batch means run again at once.
 * A long-sleeping ticker still wakes every `maxSleep` ms, so a simulated clock moved by a test
 * (or a due time written by another node) is noticed.
 */
export class Ticker {
  private running = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly work: () => Promise<number>,
    private readonly next: () => Promise<string | undefined>,
    private readonly clock: Clock,
    private readonly maxSleep = 1000,
  ) {}

  kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.loop();
  }

  /** Whether the ticker runs (it was not stopped). */
  get active(): boolean {
    return !this.stopped;
  }

  /** Stops, and resolves once the work under way has finished (so nothing writes after a close). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private async loop() {
    clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        if ((await this.work()) > 0) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      if (error instanceof StoreUnavailable) log.warn({ reason: error.reason }, 'store unavailable; background work waits for it');
      else log.error({ err: error }, 'background work failed; retrying');
    }
    this.running = false;
    if (this.stopped) return;
    const due = await this.next().catch(() => undefined);
    const wait = due ? Math.max(0, Date.parse(due) - this.clock.now()) : this.maxSleep;
    this.timer = setTimeout(() => this.kick(), Math.min(wait, this.maxSleep));
    this.timer.unref();
  }
}
