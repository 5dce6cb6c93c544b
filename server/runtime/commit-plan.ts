import type { AnyMachineSnapshot } from 'xstate';
import type { Effect } from '../../machines/effects.ts';
import { type Commit, commitOf } from '../store/store.ts';
import { chained, GENESIS } from './audit-chain.ts';
import type { By } from './caller.ts';
import { iso } from './clock.ts';
import type { EffectModule, EffectModules, PlanContext } from './effect-module.ts';
import type { Change, Loaded } from './host.ts';
import type { MemberSearch } from './member-search.ts';
import { outboxEntry } from './outbox-entry.ts';
import type { Sealer } from './seal.ts';

/**
 * Whose personal data an actor's snapshot and effects hold, sealed with that subject's own key:
 * a member's or a candidate's own actor, and a candidate's invitations and reports. Links hold
 * only both members' first names and initials and stay under DATA_KEY (README "Erasure").
 */
export function subjectOf(kind: string, id: string, context: unknown): string | undefined {
  if (kind === 'seeker' || kind === 'provider' || kind === 'candidate') return id;
  if (kind === 'report' || kind === 'invitation') return (context as { candidate_id?: string }).candidate_id;
  return undefined;
}

/** What a plan needs to turn effects into stored entries. */
export interface PlanServices {
  sealer: Sealer;
  /** Named delays of machine reminders, in milliseconds; null: that reminder is not set. */
  delays: Record<string, number | null>;
  /** The features' effects: how each plans its part of a commit. */
  modules: EffectModules;
  /** Member search's blind tokens, stored with each member. */
  search: MemberSearch;
}

/**
 * Everything one command changes, gathered into one atomic store commit: the new snapshots with
 * their versions, their history entries, and the effects their machines asked for, as outbox
 * entries, reminders and records (P3, P5, P6). Reminders are the runtime's own; every other
 * effect is planned by the feature module of its type.
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
    const before = pending?.actor ?? loaded.actor;
    const version = before.version + 1;
    const entry = chained(
      { actor: loaded.actor.id, seq: version, at: this.at, event: { type: event.type }, by, from, to: status, version },
      before.history_head ?? GENESIS,
    );
    const actor = {
      ...loaded.actor,
      status,
      version,
      machine_version: kind.version,
      updated_at: this.at,
      members: kind.members(next.context, loaded.actor.id),
      snapshot: this.sealFor(subjectOf(kind.kind, loaded.actor.id, next.context), kind.machine.getPersistedSnapshot(next)),
      history_head: entry.hash,
      search: this.searchTokens(loaded, next),
    };
    if (pending) pending.actor = actor;
    else this.commit.actors.push({ actor, expected_version: loaded.actor.version });
    this.commit.history.push(entry);
    this.changes.push({ actor, snapshot: next, kind, event: { type: event.type }, by, at: this.at });
    const announced = (kind.announces ?? [])
      .filter((a) => from !== null && a.of(loaded.snapshot) !== a.of(next))
      .map((a) => ({ type: 'webhook', event: a.event }) as const);
    const owner = { actor, snapshot: next, kind };
    for (const effect of [...effects, ...announced]) this.effect(owner, effect, by);
  }

  /** A member's tokens: the ones it has while the searched fields stay the same (most commands), else new ones. */
  private searchTokens({ actor, kind, snapshot }: Loaded, next: AnyMachineSnapshot): string[] | undefined {
    const { search } = this.services;
    const fields = search.fields(kind.kind, next.context);
    if (fields === undefined) return undefined;
    if (actor.search && fields === search.fields(kind.kind, snapshot.context)) return actor.search;
    return search.tokens(kind.kind, next.context);
  }

  /** Seals with the subject's own data key, storing its wrapped key in this commit while it is new (issue 16). */
  private sealFor(subject: string | undefined, value: unknown): string {
    if (subject === undefined) return this.services.sealer.seal(value);
    const key = this.services.sealer.subjectKey(subject);
    if (key && !this.commit.records.some((r) => r.collection === key.collection && r.id === key.id)) this.commit.records.push(key);
    return this.services.sealer.seal(value, subject);
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
    switch (effect.type) {
      case 'remind': {
        const delay = 'delay' in effect ? this.services.delays[effect.delay] : undefined;
        if (delay === null) return;
        this.commit.reminders.push({
          id: `${id}:${effect.key}`,
          actor: id,
          event: JSON.stringify(effect.event),
          due_at: 'at' in effect ? effect.at : iso(this.nowMs + (delay ?? 0)),
        });
        return;
      }
      case 'cancel_reminder':
        this.commit.cancel_reminders.push(`${id}:${effect.key}`);
        return;
      case 'joint':
        throw new Error('joint events are applied by the host');
      default: {
        const module = this.services.modules[effect.type] as EffectModule;
        module.plan(effect as never, this.context(owner, by));
      }
    }
  }

  private context(owner: Loaded, by: By): PlanContext {
    const { commit, at } = this;
    const { sealer } = this.services;
    return {
      owner,
      by,
      at,
      outbox: (delivery, payload, options) => {
        // A message is the recipient's data; anything else the owner's.
        const subject = options?.recipient ?? subjectOf(owner.kind.kind, owner.actor.id, owner.snapshot.context);
        commit.outbox.push(outboxEntry(sealer, delivery, { actor: owner.actor.id, payload, at, recipient: options?.recipient, subject }));
      },
      add: (parts) => {
        commit.records.push(...(parts.records ?? []));
        commit.outbox.push(...(parts.outbox ?? []));
      },
    };
  }
}
