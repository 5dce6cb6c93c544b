import { currentRequestId } from '../request-id.ts';
import type { OutboxEntry } from '../store/store.ts';
import type { Delivery } from './effect-module.ts';
import { orderedId } from './ids.ts';
import type { Sealer } from './seal.ts';

export interface NewEntry<P> {
  /** Given when a repeated delivery must not add the same effect twice (entries are upserted by id). */
  id?: string;
  /** The actor whose change caused it: entries of one actor and kind are delivered in order. */
  actor: string;
  payload: P;
  at: string;
  recipient?: string;
  /** The data subject whose own key seals the payload (issue 16); DATA_KEY without one. */
  subject?: string;
}

/** An outbox entry for `delivery`, due at once, its payload sealed (payloads carry personal data, P8), tagged with the request that caused it. */
export function outboxEntry<P>(sealer: Sealer, delivery: Pick<Delivery<P>, 'kind'>, entry: NewEntry<P>): OutboxEntry {
  const requestId = currentRequestId();
  return {
    id: entry.id ?? orderedId('obx_', Date.parse(entry.at)),
    kind: delivery.kind,
    actor: entry.actor,
    recipient: entry.recipient,
    payload: sealer.seal(entry.payload, entry.subject),
    created_at: entry.at,
    due_at: entry.at,
    attempts: 0,
    ...(requestId && { request_id: requestId }),
  };
}
