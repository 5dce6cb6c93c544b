import { RetryLater } from '../effects/outbox.ts';
import { type OutboundFetch, OutboundRefused } from '../outbound.ts';
import { currentRequestId } from '../request-id.ts';
import { iso } from '../runtime/clock.ts';
import type { Delivery as OutboxDelivery } from '../runtime/effect-module.ts';
import { USER_AGENT } from '../version.ts';
import type { WebhookEvent } from './event.ts';
import { WEBHOOK_DELIVERY } from './fanout.ts';
import { signedHeaders } from './signing.ts';
import { ACCOUNT_ID, type Delivery, deliveryRecord, getEvent, getSubscription, isLive, type Subscription, updateSubscription } from './subscriptions.ts';

/** Waits after the 1st, 2nd, … failed attempt (VENDORS.md); after the last, the delivery has failed. */
const RETRY_SCHEDULE_MS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);
const TIMEOUT_MS = 15_000;

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

/** Why no answer came, as the delivery log shows it: never the far end's timing or body. */
function failure(e: unknown): string {
  if (e instanceof OutboundRefused || (e instanceof Error && e.cause instanceof OutboundRefused)) return 'refused_address';
  return e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network';
}

/**
 * Sends one delivery through the outbound guard: POSTs the signed envelope, and records the
 * attempt in the delivery log (its time and the status code or why none came). A 2xx is done;
 * 410 disables the endpoint; anything else (a redirect too) is retried on the schedule (or when
 * the endpoint's `Retry-After` says) until the schedule runs out.
 */
export const webhookDelivery = (post: OutboundFetch): OutboxDelivery<{ delivery: string }> => ({
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
    const headers = signedHeaders({ secret: found.keys.secret, apiKey: found.keys.api_key, id: event.id, timestamp: Math.floor(sentAt / 1000), body });
    // The request that caused the event, for the subscriber's logs and ours.
    const requestId = currentRequestId();
    if (requestId) headers['X-Request-Id'] = requestId;
    let status: number | null = null;
    let error: string | null = null;
    let wait: number | undefined;
    try {
      const res = await post(found.subscription.webhook_url, {
        method: 'POST',
        headers: { ...headers, 'user-agent': USER_AGENT },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      wait = retryAfter(res.headers.get('retry-after'), sentAt);
      await res.body?.cancel();
    } catch (e) {
      error = failure(e);
    }
    const attempts = [...delivery.attempts, { at: iso(sentAt), status_code: status, error }];
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
});
