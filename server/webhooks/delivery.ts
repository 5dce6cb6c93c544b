import { performance } from 'node:perf_hooks';
import { RetryLater } from '../effects/outbox.ts';
import { iso } from '../runtime/clock.ts';
import type { Delivery as OutboxDelivery } from '../runtime/effect-module.ts';
import type { WebhookEvent } from './event.ts';
import { WEBHOOK_DELIVERY } from './fanout.ts';
import { signedHeaders } from './signing.ts';
import { deliveryRecord, getEvent, getSubscription, isLive, updateSubscription, type Delivery, type Subscription } from './subscriptions.ts';

/** Waits after the 1st, 2nd, … failed attempt (VENDORS.md); after the last, the delivery has failed. */
const RETRY_SCHEDULE_MS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);
const TIMEOUT_MS = 15_000;
/** One deployment is one account. */
const ACCOUNT_ID = 'trustwire';

/** The envelope a subscription receives (CHECKR.md "Webhooks"): the same bytes on every retry. */
export function eventBody(event: WebhookEvent, subscription: Subscription): string {
  const { id, object, uri } = event.object;
  return JSON.stringify({
    id: event.id,
    object: 'event',
    type: event.type,
    created_at: event.created_at,
    webhook_url: subscription.webhook_url,
    data: { object: subscription.include_object ? event.object : { id, object, uri } },
    account_id: ACCOUNT_ID,
  });
}

/** `Retry-After` in seconds or as an HTTP date, in ms from now; bounded by a day. */
function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 86_400_000) : undefined;
}

const jitter = (ms: number) => Math.round(ms * (0.9 + Math.random() * 0.2));

/**
 * Sends one delivery: POSTs the signed envelope, and records the attempt in the delivery log. A
 * 2xx is done; 410 disables the endpoint; anything else is retried on the schedule (or when the
 * endpoint's `Retry-After` says) until the schedule runs out.
 */
export const webhookDelivery: OutboxDelivery<{ delivery: string }> = {
  ...WEBHOOK_DELIVERY,
  // The delivery follows its own schedule and records `failed` at its end; this only bounds surprises.
  retry: { attempts: RETRY_SCHEDULE_MS.length + 5 },
  ordered: false,
  deliver: async (entry, payload, { store, sealer, clock }) => {
    const delivery = (await store.getRecord('webhook_deliveries', payload.delivery)) as Delivery;
    const found = await getSubscription(store, sealer, delivery.webhook_id);
    const event = await getEvent(store, sealer, delivery.event_id);
    if (!found || !isLive(found.subscription) || !event) return { records: [deliveryRecord({ ...delivery, status: 'canceled', next_attempt_at: null })] };

    const body = eventBody(event, found.subscription);
    const sentAt = clock.now();
    const started = performance.now();
    const headers = signedHeaders({ secret: found.keys.secret, apiKey: found.keys.api_key, id: event.id, timestamp: Math.floor(sentAt / 1000), body });
    let status: number | null = null;
    let error: string | null = null;
    let wait: number | undefined;
    try {
      const res = await fetch(found.subscription.webhook_url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
      status = res.status;
      wait = retryAfter(res.headers.get('retry-after'), sentAt);
      await res.body?.cancel();
    } catch (e) {
      error = e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network';
    }
    const attempts = [...delivery.attempts, { at: iso(sentAt), status_code: status, error, duration_ms: Math.round(performance.now() - started) }];
    const done = (state: Delivery['status']) => deliveryRecord({ ...delivery, attempts, status: state, next_attempt_at: null });

    if (status !== null && status >= 200 && status < 300) return { records: [done('delivered')] };
    if (status === 410) {
      const disabled = await updateSubscription(store, found.subscription.id, { disabled_at: iso(sentAt) });
      return { records: [done('disabled'), ...(disabled ? [disabled] : [])] };
    }
    const scheduled = RETRY_SCHEDULE_MS[entry.attempts];
    if (scheduled === undefined) return { records: [done('failed')] };
    const inMs = wait ?? jitter(scheduled);
    const pending = deliveryRecord({ ...delivery, attempts, status: 'pending', next_attempt_at: iso(sentAt + inMs) });
    throw new RetryLater(`webhook endpoint answered ${status ?? error}`, inMs, { records: [pending] });
  },
};
