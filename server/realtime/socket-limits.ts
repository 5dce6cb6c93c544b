import type { Store } from 'express-rate-limit';
import { callerKey, limitOf, type PerMinute } from '../api/rate-limit.ts';
import type { Caller } from '../runtime/caller.ts';

/** Refused events a socket may send in a row before it is disconnected: a client that does not slow down. */
const REFUSALS_BEFORE_DISCONNECT = 20;

export const RATE_LIMITED = { ok: false, status: 429, code: 'rate_limited', error: 'Too many requests; slow down and retry in a minute.', details: {} };

/**
 * Socket events spend the caller's REST budget (the same store, the same key): one event is
 * one request. `spend` answers whether the event may run, and `tooMany` when the socket kept
 * sending past its refusals.
 */
export function socketRateLimit(store: Store, perMinute: PerMinute) {
  return (caller: Caller) => {
    const limit = limitOf(caller, perMinute);
    let refusedInRow = 0;
    return {
      async spend(): Promise<boolean> {
        if (limit <= 0) return true;
        const { totalHits } = await store.increment(callerKey(caller));
        refusedInRow = totalHits > limit ? refusedInRow + 1 : 0;
        return refusedInRow === 0;
      },
      tooMany: () => refusedInRow >= REFUSALS_BEFORE_DISCONNECT,
    };
  };
}

export type SocketRateLimit = ReturnType<typeof socketRateLimit>;

/** At most `max` open sockets per caller, Socket.IO and the WebSocket stream together (0: no cap). */
export class SocketCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for the caller's new socket; the release to call when it closes, or undefined when the caller is at the cap. */
  acquire(caller: Caller): (() => void) | undefined {
    const key = callerKey(caller);
    const count = this.open.get(key) ?? 0;
    if (this.max > 0 && count >= this.max) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left === 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}
