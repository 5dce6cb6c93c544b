import type { Effect } from '../../machines/effects.ts';
import type { OutboxEntry, Store, StoredRecord } from '../store/store.ts';
import type { By } from './caller.ts';
import type { Clock } from './clock.ts';
import type { ActorHost, Loaded } from './host.ts';
import type { Sealer } from './seal.ts';

/** Effects the runtime carries out itself: durable reminders and joint events (ARCHITECTURE.md "Time"). */
export type RuntimeEffect = Extract<Effect, { type: 'remind' | 'cancel_reminder' | 'joint' }>;
/** Every other effect belongs to the feature that owns it, as an {@link EffectModule}. */
export type FeatureEffect = Exclude<Effect, RuntimeEffect>;
export type FeatureEffectOf<T extends FeatureEffect['type']> = Extract<FeatureEffect, { type: T }>;

/** What a delivery leaves behind, stored with it: vendor references, cases, further effects. */
export interface Followups {
  records?: StoredRecord[];
  outbox?: OutboxEntry[];
}

/** What a delivery may use: the command path for answers, the store for what earlier deliveries recorded. */
export interface DeliveryContext {
  host: ActorHost;
  store: Store;
  sealer: Sealer;
  clock: Clock;
}

/** How often an entry is tried before it is dead-lettered for staff to look at (operations board). */
export interface RetryPolicy {
  attempts: number;
}

/**
 * One kind of outbox entry: delivered at least once (P5) with its typed payload, retried with
 * back-off until its policy's attempts run out. Throw to retry (`RetryLater` says when).
 */
export interface Delivery<P = never> {
  kind: string;
  retry: RetryPolicy;
  /**
   * Entries of one actor are delivered in the order they were made, a later one waiting for a
   * failed one (a monitoring withdrawal for its enrolment, `report.completed` for
   * `report.resumed`). Unordered kinds (messages to different people) never wait on each other.
   */
  ordered: boolean;
  /**
   * Splits an ordered kind's entries of one actor into lanes that do not wait on each other
   * (one identity-verification attempt's calls need not wait for an abandoned attempt's retries).
   */
  lane?(payload: P): string;
  // biome-ignore lint/suspicious/noConfusingVoidType: most deliveries return nothing; `void` lets them omit the return
  deliver(entry: OutboxEntry, payload: P, context: DeliveryContext): Promise<Followups | void>;
}

// A delivery of any payload, as the dispatcher holds them.
export type AnyDelivery = Delivery<any>;

/** Where a module writes its share of a commit. */
export interface PlanContext {
  /** The actor whose change asked for the effect, as it is after the change. */
  owner: Loaded;
  by: By;
  at: string;
  /** An outbox entry for `delivery`, sealed, due at once. */
  outbox<P>(delivery: Delivery<P>, payload: P, options?: { recipient?: string }): void;
  /** Records and ready-made outbox entries stored in the same commit. */
  add(parts: Followups): void;
}

/**
 * A feature's effect, the way Socket.IO's adapters plug into one small interface: how the
 * feature plans its part of a commit when a machine emits the effect, and the outbox kinds it
 * delivers afterwards.
 */
export interface EffectModule<T extends FeatureEffect['type'] = FeatureEffect['type']> {
  type: T;
  plan(effect: FeatureEffectOf<T>, plan: PlanContext): void;
  deliveries: AnyDelivery[];
}

/** One module per feature effect: the compiler fails when an effect kind has none. */
export type EffectModules = { [T in FeatureEffect['type']]: EffectModule<T> };
