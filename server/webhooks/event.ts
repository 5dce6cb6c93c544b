import { randomBytes } from 'node:crypto';
import { outboxEntry } from '../effects/outbox-entry.ts';
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

let sequence = 0;

/**
 * Event ids sort in the order the events happened: the time, a counter for events of the same
 * millisecond (`report.updated` before `report.completed` in one commit), then randomness.
 */
export function newEventId(at: string): string {
  sequence = (sequence + 1) % 0x10000;
  return `evt_${Date.parse(at).toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
}

/**
 * The outbox entry announcing an event; its delivery fans out to every subscription (fanout.ts).
 * Its id follows the event's, so that the outbox takes an actor's events in their order.
 */
export function webhookEventEntry(sealer: Sealer, actor: string, type: string, object: WebhookEvent['object'], at: string): OutboxEntry {
  const event: WebhookEvent = { id: newEventId(at), type, created_at: at, object };
  return outboxEntry(sealer, { id: `obx_${event.id.slice('evt_'.length)}`, kind: 'webhook_event', actor, payload: event, at });
}
