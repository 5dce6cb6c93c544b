import { createHmac } from 'node:crypto';
import type { Delivery } from '../runtime/effect-module.ts';

/**
 * A webhook-style adapter to an outside system (the CRM cases are forwarded to, the billing
 * system that issues refunds): each outbox payload is POSTed as JSON, signed with
 * `X-Trustwire-Signature` (hex HMAC-SHA256 of the body), with the outbox id as `Idempotency-Key`.
 * Any answer but 2xx is retried by the outbox. Without a URL the adapter is off: nothing is sent.
 */
export function forwarding<P>(kind: string, target: { url?: string; secret: string }): Delivery<P> {
  return {
    kind,
    retry: { attempts: 12 },
    ordered: true,
    deliver: async (entry, payload) => {
      if (!target.url) return;
      const body = JSON.stringify(payload);
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': entry.id, 'x-trustwire-signature': createHmac('sha256', target.secret).update(body).digest('hex') },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`forwarding answered ${res.status}`);
    },
  };
}
