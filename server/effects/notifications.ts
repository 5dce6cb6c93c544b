import type { OutboxEntry } from '../store/store.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Deliver } from './outbox.ts';
import type { Mailer } from './mailer.ts';

export interface Message {
  subject: string;
  text: string;
  template: string;
  channel: 'in_app' | 'email';
  actor: string;
}

/** The notification resource of `GET /v1/notifications` and the socket's `notification` event. */
export function notificationView(entry: OutboxEntry, message: Message) {
  return {
    id: entry.id,
    object: 'notification',
    recipient: entry.recipient,
    channel: message.channel,
    template: message.template,
    subject: message.subject,
    text: message.text,
    actor: message.actor,
    created_at: entry.created_at,
    delivered_at: entry.delivered_at ?? null,
  };
}

export type NotificationView = ReturnType<typeof notificationView>;

/** In-app: pushed to the member's dashboards (the list endpoint reads it from the outbox). */
export const deliverInApp =
  (push: (recipient: string, notification: NotificationView) => void): Deliver =>
  async (entry, message: Message) => {
    push(entry.recipient!, notificationView(entry, message));
  };

/** Email: to the address on the recipient's actor. */
export const deliverEmail =
  (host: ActorHost, send: Mailer): Deliver =>
  async (entry, message: Message) => {
    const recipient = await host.load(entry.recipient!);
    const to = recipient?.snapshot.context.email;
    if (typeof to !== 'string') throw new Error(`recipient ${entry.recipient} has no email address`);
    await send({ id: entry.id, to, subject: message.subject, text: message.text });
  };
