import type { NotificationView } from '../../contract/index.ts';
import type { Delivery, EffectModule } from '../runtime/effect-module.ts';
import type { OutboxEntry } from '../store/store.ts';
import type { Mailer } from './mailer.ts';
import { render } from './templates.ts';

export interface Message {
  subject: string;
  text: string;
  template: string;
  channel: 'in_app' | 'email';
  actor: string;
}

/** The notification resource of `GET /v1/notifications` and the socket's `notification` event. */
export function notificationView(entry: OutboxEntry, message: Message): NotificationView {
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

/** Outbox kinds of notifications, by channel (`GET /v1/notifications` lists both). */
export const NOTIFICATION_KINDS = ['in_app', 'email'] as const;

/**
 * Messages to a member or candidate (C5, C15, I9): rendered from the public view of the actor that
 * caused them, in-app (pushed to the member's dashboards) and by email (to the address on the
 * recipient's actor).
 */
export function notifications(options: { push(recipient: string, notification: NotificationView): void; mailer: Mailer }): EffectModule<'notify'> {
  const inApp: Delivery<Message> = {
    kind: 'in_app',
    retry: { attempts: 5 },
    ordered: false,
    deliver: async (entry, message) => options.push(entry.recipient!, notificationView(entry, message)),
  };
  const email: Delivery<Message> = {
    kind: 'email',
    retry: { attempts: 12 },
    ordered: false,
    deliver: async (entry, message, { host }) => {
      const recipient = await host.load(entry.recipient!);
      const to = recipient?.snapshot.context.email;
      if (typeof to !== 'string') throw new Error(`recipient ${entry.recipient} has no email address`);
      await options.mailer({ id: entry.id, to, subject: message.subject, text: message.text });
    },
  };
  return {
    type: 'notify',
    deliveries: [inApp, email],
    plan(effect, plan) {
      const { actor, snapshot, kind } = plan.owner;
      const recipient = String(snapshot.context[`${effect.to}_id`] ?? actor.id);
      const message = render(effect.template, kind.view(snapshot, 'system'));
      for (const channel of effect.channels) {
        plan.outbox(channel === 'email' ? email : inApp, { ...message, template: effect.template, channel, actor: actor.id }, { recipient });
      }
    },
  };
}
