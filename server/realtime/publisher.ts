import type { Case, NotificationView } from '../../contract/index.ts';
import type { Caller } from '../runtime/caller.ts';
import type { Change } from '../runtime/host.ts';
import { type ActorView, actorView } from '../runtime/view.ts';
import { memberRole, STAFF_ROLES } from './audience.ts';

/** A transport that delivers to audience rooms: Socket.IO and the plain WebSocket stream. */
export interface Channel {
  hasAudience(room: string): boolean;
  send(room: string, type: 'actor.changed' | 'notification' | 'case.changed', payload: unknown): void;
}

/** A transport's open connections (metrics) and its part in a graceful shutdown. */
export interface Connections {
  /** Audience rooms with their number of connections. */
  connections(): [room: string, count: number][];
  /** Closes every connection so that its client connects again, to another node. */
  reconnectElsewhere(): void;
}

export interface ChangeMessage {
  actor: ActorView;
  event: { type: string };
  by: { role: string };
  at: string;
}

/**
 * Publishes committed changes (P4): one view per audience, computed only for audiences that
 * have a connection, so a change costs O(its audiences), never O(all sockets).
 */
export class Publisher {
  constructor(private readonly channels: Channel[]) {}

  changed(changes: Change[]) {
    for (const change of changes) {
      const audiences: [string, Caller][] = STAFF_ROLES.map((role) => [`role:${role}`, { role }]);
      for (const id of change.actor.members) audiences.push([`member:${id}`, { role: memberRole(id), subject: id }]);
      for (const [room, caller] of audiences) {
        const listening = this.channels.filter((c) => c.hasAudience(room));
        if (listening.length === 0) continue;
        const message: ChangeMessage = {
          actor: actorView(change, caller, change.at),
          event: change.event,
          by: { role: change.by.role },
          at: change.at,
        };
        for (const channel of listening) channel.send(room, 'actor.changed', message);
      }
    }
  }

  /** A case opened or changed: to staff and integrators, who work the queues (the console follows live). */
  caseChanged(c: Case) {
    for (const role of STAFF_ROLES) {
      const room = `role:${role}`;
      for (const channel of this.channels) if (channel.hasAudience(room)) channel.send(room, 'case.changed', { case: c });
    }
  }

  /** Sent without asking for an audience: the recipient may be connected to another node. */
  notification(recipient: string, notification: NotificationView) {
    for (const channel of this.channels) channel.send(`member:${recipient}`, 'notification', notification);
  }
}
