import { createHmac } from 'node:crypto';
import type { OutboundFetch } from '../outbound.ts';
import type { Delivery } from '../runtime/effect-module.ts';

/**
 * A webhook-style adapter to an outside system (the CRM cases are forwarded to, the billing
 * system that issues refunds): each outbox payload is POSTed as JSON, signed with
 * `X-Trustwire-Signature` (hex HMAC-SHA256 of the body), with the outbox id as `Idempotency-Key`.
 * Any answer but 2xx (a redirect too) is retried by the outbox. Without a URL the adapter is off:
 * nothing is sent. The call goes through the outbound guard, like webhooks.
 */
export function forwarding<P>(kind: string, target: { url?: string; secret: string }, post: OutboundFetch): Delivery<P> {
  return {
    kind,
    retry: { attempts: 12 },
    ordered: true,
    deliver: async (entry, payload) => {
      if (!target.url) return;
      const body = JSON.stringify(payload);
      const res = await post(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': entry.id,
          'x-trustwire-signature': createHmac('sha256', target.secret).update(body).digest('hex'),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`forwarding answered ${res.status}`);
    },
  };
}
