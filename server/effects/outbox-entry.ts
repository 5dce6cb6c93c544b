import { currentRequestId } from '../request-id.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { OutboxEntry } from '../store/store.ts';

export interface NewEffect {
  /** Given when a repeated delivery must not add the same effect twice (entries are upserted by id). */
  id?: string;
  kind: string;
  /** The actor whose change caused it: entries of one actor are delivered in order. */
  actor: string;
  payload: unknown;
  at: string;
  recipient?: string;
}

/** An outbox entry due at once, its payload sealed (payloads carry personal data, P8), tagged with the request that caused it. */
export function outboxEntry(sealer: Sealer, effect: NewEffect): OutboxEntry {
  const requestId = currentRequestId();
  return {
    id: effect.id ?? `obx_${crypto.randomUUID().replaceAll('-', '')}`,
    kind: effect.kind,
    actor: effect.actor,
    recipient: effect.recipient,
    payload: sealer.seal(effect.payload),
    created_at: effect.at,
    due_at: effect.at,
    attempts: 0,
    ...(requestId && { request_id: requestId }),
  };
}
