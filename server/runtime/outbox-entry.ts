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
}

/** An outbox entry for `delivery`, due at once, its payload sealed (payloads carry personal data, P8). */
export function outboxEntry<P>(sealer: Sealer, delivery: Pick<Delivery<P>, 'kind'>, entry: NewEntry<P>): OutboxEntry {
  return {
    id: entry.id ?? orderedId('obx_', Date.parse(entry.at)),
    kind: delivery.kind,
    actor: entry.actor,
    recipient: entry.recipient,
    payload: sealer.seal(entry.payload),
    created_at: entry.at,
    due_at: entry.at,
    attempts: 0,
  };
}
