import type { NextFunction, Request, Response } from 'express';

/**
 * The HTTP requests in flight, for a graceful shutdown: once draining, every answer closes its
 * connection (a keep-alive client opens its next request elsewhere), and `idle` resolves when the
 * last request in flight has been answered.
 */
export class Draining {
  private draining = false;
  private readonly inFlight = new Set<Response>();
  private readonly waiting = new Set<() => void>();

  readonly track = (_req: Request, res: Response, next: NextFunction) => {
    this.inFlight.add(res);
    if (this.draining) res.set('Connection', 'close');
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) for (const resolve of this.waiting) resolve();
    });
    next();
  };

  start() {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.set('Connection', 'close');
  }

  /** Resolves when no request is in flight, or after `ms` at the latest. */
  idle(ms: number): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }
}
