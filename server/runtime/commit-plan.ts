import type { AnyMachineSnapshot } from 'xstate';
import type { Effect } from '../../machines/effects.ts';
import { outboxEntry } from '../effects/outbox-entry.ts';
import { render } from '../effects/templates.ts';
import { commitOf, type Commit, type StoredRecord } from '../store/store.ts';
import { webhookEventEntry, type WebhookEvent } from '../webhooks/event.ts';
import type { By } from './caller.ts';
import { openCase } from './cases.ts';
import { iso } from './clock.ts';
import type { Change, Loaded } from './host.ts';
import type { Sealer } from './seal.ts';

/** How an actor reads in a webhook event: a Checkr resource for checks, the actor view for the rest. */
export type WebhookObject = (actor: Loaded) => WebhookEvent['object'];

/** What a plan needs to turn effects into stored entries. */
export interface PlanServices {
  sealer: Sealer;
  /** Named delays of machine reminders, in milliseconds. */
  delays: Record<string, number>;
  webhookObject: WebhookObject;
  /** Whether webhook events have anyone to reach (a subscription exists). */
  subscribed(): boolean;
  /** Blocklist entries for a seeker's identity (I7). */
  blocklist(actor: Loaded, at: string): StoredRecord[];
}

/**
 * Everything one command changes, gathered into one atomic store commit: the new snapshots with
 * their versions, their history entries, and the effects their machines asked for, as outbox
 * entries, reminders and records (P3, P5, P6).
 */
export class CommitPlan {
  readonly commit: Commit = commitOf({});
  readonly changes: Change[] = [];

  constructor(
    private readonly at: string,
    private readonly nowMs: number,
    private readonly services: PlanServices,
  ) {}

  cancelReminders(ids: string[]) {
    this.commit.cancel_reminders.push(...ids);
  }

  change(loaded: Loaded, next: AnyMachineSnapshot, effects: Effect[], event: { type: string }, by: By, from: string | null) {
    const { kind } = loaded;
    const status = kind.status(next);
    const pending = this.commit.actors.find((a) => a.actor.id === loaded.actor.id);
    const version = (pending?.actor.version ?? loaded.actor.version) + 1;
    const actor = {
      ...loaded.actor,
      status,
      version,
      updated_at: this.at,
      members: kind.members(next.context, loaded.actor.id),
      snapshot: this.services.sealer.seal(kind.machine.getPersistedSnapshot(next)),
    };
    if (pending) pending.actor = actor;
    else this.commit.actors.push({ actor, expected_version: loaded.actor.version });
    this.commit.history.push({ actor: actor.id, seq: version, at: this.at, event: { type: event.type }, by, from, to: status, version });
    this.changes.push({ actor, snapshot: next, kind, event: { type: event.type }, by, at: this.at });
    const announced = (kind.announces ?? [])
      .filter((a) => from !== null && a.of(loaded.snapshot) !== a.of(next))
      .map((a) => ({ type: 'webhook', event: a.event }) as const);
    for (const effect of [...effects, ...announced]) this.effect({ actor, snapshot: next, kind }, effect, by);
  }

  latestOf(id: string): Loaded | undefined {
    return this.changes.findLast((c) => c.actor.id === id);
  }

  /** The latest state of every actor the plan changed, in the order they were first changed. */
  latest(): Loaded[] {
    const byId = new Map<string, Loaded>();
    for (const change of this.changes) byId.set(change.actor.id, change);
    return [...byId.values()];
  }

  private effect(owner: Loaded, effect: Effect, by: By) {
    const id = owner.actor.id;
    const context = owner.snapshot.context as Record<string, unknown>;
    switch (effect.type) {
      case 'notify': {
        const recipient = String(context[`${effect.to}_id`] ?? id);
        const message = render(effect.template, owner.kind.view(owner.snapshot, 'system'));
        for (const channel of effect.channels) {
          this.outbox(channel, id, { ...message, template: effect.template, channel, actor: id }, recipient);
        }
        return;
      }
      case 'remind':
        this.commit.reminders.push({
          id: `${id}:${effect.key}`,
          actor: id,
          event: JSON.stringify(effect.event),
          due_at: 'at' in effect ? effect.at : iso(this.nowMs + (this.services.delays[effect.delay] ?? 0)),
        });
        return;
      case 'cancel_reminder':
        this.commit.cancel_reminders.push(`${id}:${effect.key}`);
        return;
      case 'cascade':
        this.outbox('cascade', id, { member: id, links_of: effect.links_of, event: effect.event });
        return;
      case 'vendor': {
        const { type: _type, ...call } = effect;
        this.outbox('vendor', id, { ...call, actor: id, provider_id: context.provider_id });
        return;
      }
      case 'case': {
        const comment = effect.comment ? { text: effect.comment, by } : undefined;
        const opened = openCase({ subject: id, queue: effect.queue, summary: effect.summary, refs: effect.refs, comment, at: this.at }, this.services.sealer);
        this.commit.records.push(...opened.records);
        this.commit.outbox.push(...opened.outbox);
        return;
      }
      case 'escalate':
        this.outbox('escalate', id, { report: id });
        return;
      case 'order_report': {
        const { type: _type, ...order } = effect;
        this.outbox('order_report', id, order);
        return;
      }
      case 'webhook':
        if (!this.services.subscribed()) return;
        // The object as it is now: a later retry or a redelivery sends the event as it happened.
        this.commit.outbox.push(webhookEventEntry(this.services.sealer, id, effect.event, this.services.webhookObject(owner), this.at));
        return;
      case 'refund':
        this.outbox('refund', id, { seeker: id, reason: effect.reason });
        return;
      case 'blocklist':
        this.commit.records.push(...this.services.blocklist(owner, this.at));
        return;
      case 'joint':
        throw new Error('joint events are applied by the host');
    }
  }

  private outbox(kind: string, actor: string, payload: unknown, recipient?: string) {
    this.commit.outbox.push(outboxEntry(this.services.sealer, { kind, actor, payload, recipient, at: this.at }));
  }
}
