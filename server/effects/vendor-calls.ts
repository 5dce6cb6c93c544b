import type { Deliver } from './outbox.ts';

/** Routes a vendor call to its handler by `<vendor>:<action>` (machines/effects.ts VendorCall). */
export const byVendorAction =
  (handlers: Record<string, Deliver>): Deliver =>
  (entry, call: { vendor: string; action: string }) => {
    const key = `${call.vendor}:${call.action}`;
    if (!Object.hasOwn(handlers, key)) throw new Error(`no handler for vendor call ${key}`);
    return handlers[key](entry, call);
  };
