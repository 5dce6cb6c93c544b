import { type Sealer, subjectOfObject } from '../runtime/seal.ts';
import type { Store, StoredRecord } from '../store/store.ts';
import type { WebhookEvent } from './event.ts';

/** A webhook subscription as the API reads it back: never its secret (CHECKR.md "Webhooks"). */
export interface Subscription {
  id: string;
  object: 'webhook';
  uri: string;
  webhook_url: string;
  include_object: boolean;
  created_at: string;
  deleted_at: string | null;
  /** Set when the endpoint answered 410 Gone: nothing more is sent to it. */
  disabled_at: string | null;
}

/** Signing keys of a subscription: its Standard Webhooks secret and the API key that created it. */
export interface SubscriptionKeys {
  secret: string;
  api_key: string;
}

interface StoredSubscription {
  subscription: Subscription;
  sealed: string;
}

/** A stored event: its object sealed, as it may name people (P8). */
interface StoredEvent {
  id: string;
  type: string;
  created_at: string;
  sealed: string;
}

/** One event's delivery to one subscription, with every attempt: the delivery log. */
export interface Delivery {
  id: string;
  object: 'webhook_delivery';
  event_id: string;
  webhook_id: string;
  webhook_url: string;
  status: 'pending' | 'delivered' | 'failed' | 'disabled' | 'canceled';
  attempts: { at: string; status_code: number | null; error: string | null }[];
  next_attempt_at: string | null;
  created_at: string;
}

export const MAX_SUBSCRIPTIONS = 2;
/** One deployment is one account. */
export const ACCOUNT_ID = 'trustwire';

export const isLive = (s: Subscription) => !s.deleted_at && !s.disabled_at;

export function subscriptionRecord(subscription: Subscription, keys: SubscriptionKeys, sealer: Sealer): StoredRecord {
  const value: StoredSubscription = { subscription, sealed: sealer.seal(keys) };
  return { collection: 'webhooks', id: subscription.id, value };
}

export async function getSubscription(store: Store, sealer: Sealer, id: string): Promise<{ subscription: Subscription; keys: SubscriptionKeys } | undefined> {
  const stored = (await store.getRecord('webhooks', id)) as StoredSubscription | undefined;
  return stored && { subscription: stored.subscription, keys: sealer.open<SubscriptionKeys>(stored.sealed) };
}

/** Every subscription not deleted, oldest first. */
export async function listSubscriptions(store: Store): Promise<Subscription[]> {
  const stored = (await store.listRecords('webhooks')) as StoredSubscription[];
  return stored.map((s) => s.subscription).filter((s) => !s.deleted_at);
}

/**
 * Whether any live subscription exists, kept current from the store's commits: with none, a
 * change announces no event at all (nobody would receive it, and none is logged).
 */
export async function watchSubscriptions(store: Store): Promise<() => boolean> {
  const count = async () => (await listSubscriptions(store)).filter(isLive).length;
  let live = await count();
  store.onCommitted((commit) => {
    if (commit.records.some((r) => r.collection === 'webhooks')) void count().then((n) => (live = n));
  });
  return () => live > 0;
}

/** Changes a subscription, keeping its keys. */
export async function updateSubscription(store: Store, id: string, change: Partial<Subscription>): Promise<StoredRecord | undefined> {
  const stored = (await store.getRecord('webhooks', id)) as StoredSubscription | undefined;
  return stored && { collection: 'webhooks', id, value: { ...stored, subscription: { ...stored.subscription, ...change } } };
}

export function eventRecord(event: WebhookEvent, sealer: Sealer): StoredRecord {
  const value: StoredEvent = { id: event.id, type: event.type, created_at: event.created_at, sealed: sealer.seal(event.object, subjectOfObject(event.object)) };
  return { collection: 'events', id: event.id, value };
}

export async function getEvent(store: Store, sealer: Sealer, id: string): Promise<WebhookEvent | undefined> {
  const stored = (await store.getRecord('events', id)) as StoredEvent | undefined;
  return stored && { id: stored.id, type: stored.type, created_at: stored.created_at, object: await sealer.read(stored.sealed) };
}

/** Events newest first, optionally of one type, without their objects (read one event for that). */
export async function listEvents(store: Store, type?: string): Promise<Omit<StoredEvent, 'sealed'>[]> {
  const stored = (await store.listRecords('events')) as StoredEvent[];
  return stored
    .filter((e) => !type || e.type === type)
    .map(({ sealed: _sealed, ...event }) => event)
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1));
}

export const deliveryRecord = (delivery: Delivery): StoredRecord => ({
  collection: 'webhook_deliveries',
  id: delivery.id,
  group: delivery.event_id,
  value: delivery,
});

export async function deliveriesOf(store: Store, eventId: string): Promise<Delivery[]> {
  return (await store.listRecords('webhook_deliveries', eventId)) as Delivery[];
}
