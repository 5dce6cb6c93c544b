import { newId } from '../runtime/ids.ts';
import { outboxEntry } from '../runtime/outbox-entry.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { OutboxEntry } from '../store/store.ts';

/** An event for the integrator's webhooks, as it was when it happened (B6). */
export interface WebhookEvent {
  id: string;
  type: string;
  created_at: string;
  /** The whole object (a Checkr resource, an actor, a case) at the time of the event. */
  object: { id: string; object: string; uri: string; [field: string]: unknown };
}

/** The outbox kind whose delivery fans an event out to every subscription (fanout.ts). */
export const WEBHOOK_EVENT = { kind: 'webhook_event' };

/** The outbox entry announcing an event. */
export function webhookEventEntry(sealer: Sealer, actor: string, type: string, object: WebhookEvent['object'], at: string): OutboxEntry {
  const event: WebhookEvent = { id: newId('evt_', 32), type, created_at: at, object };
  return outboxEntry(sealer, WEBHOOK_EVENT, { actor, payload: event, at });
}
