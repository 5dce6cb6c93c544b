import { log } from '../log.ts';
import { commitOf, type Store } from '../store/store.ts';
import { SYSTEM } from './caller.ts';
import { type Clock, iso } from './clock.ts';
import { DomainError } from './errors.ts';
import type { ActorHost } from './host.ts';
import { Ticker } from './ticker.ts';

/**
 * Fires durable reminders when due (P6): each becomes an event to its actor through the normal
 * command path, and is deleted in the same commit. A reminder whose event the actor no longer
 * accepts is simply deleted. Reminders due while the process was down fire on the next start. Several nodes share the
 * work by claims: a reminder is leased to one node, which fires it (or, dying, lets it go).
 */
export class ReminderScheduler {
  readonly ticker: Ticker;

  constructor(
    private readonly store: Store,
    private readonly host: ActorHost,
    private readonly clock: Clock,
    /** How long a claimed reminder is this node's: if the node dies, another fires it after that. */
    private readonly leaseMs = 60_000,
  ) {
    this.ticker = new Ticker(
      () => this.fireDue(),
      () => this.store.nextReminderAt(),
      clock,
    );
  }

  private async fireDue() {
    const now = this.clock.now();
    const due = await this.store.claimReminders(iso(now), 100, iso(now + this.leaseMs));
    await Promise.all(
      due.map(async (reminder) => {
        try {
          await this.host.send(reminder.actor, JSON.parse(reminder.event), SYSTEM, { cancelReminders: [reminder.id] });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          await this.store.commit(commitOf({ cancel_reminders: [reminder.id] }));
          log.debug({ reminder: reminder.id, code: error.code }, 'reminder no longer applies');
        }
      }),
    );
    return due.length;
  }
}
