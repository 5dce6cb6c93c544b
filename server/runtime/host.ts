import { type AnyMachineSnapshot, initialTransition } from 'xstate';
import type { Effect, Joint } from '../../machines/effects.ts';
import { kinds } from '../../machines/index.ts';
import type { ActorKind, PersistedSnapshot } from '../../machines/kind.ts';
import { migrate } from '../../machines/migrations.ts';
import { type Actor, type Commit, commitOf, type Store, type StoredRecord, VersionConflict } from '../store/store.ts';
import { type By, SYSTEM } from './caller.ts';
import { type Clock, iso } from './clock.ts';
import { CommitPlan, type PlanServices } from './commit-plan.ts';
import { DomainError, notFound, refused } from './errors.ts';
import { newId } from './ids.ts';
import { LruCache } from './lru-cache.ts';
import { Mailboxes } from './mailbox.ts';
import { type Erasure, erasedError, Sealer } from './seal.ts';
import { pureTransition } from './transition.ts';
import { withKeys } from './with-keys.ts';

/** The record that says every member stored has its search tokens (indexMembers). */
const MEMBERS_INDEXED = ['migrations', 'member_search_index'] as const;

/** An actor brought into memory: its stored record and its live machine snapshot. */
export interface Loaded {
  actor: Actor;
  snapshot: AnyMachineSnapshot;
  kind: ActorKind;
}

/** One stored change, as published to dashboards after its commit. */
export interface Change extends Loaded {
  event: { type: string };
  by: By;
  at: string;
}

export interface HostOptions extends PlanServices {
  store: Store;
  clock: Clock;
  /** Called after every commit with what changed (publish) and whether outbox work was added. */
  committed(changes: Change[], outboxAdded: boolean): void;
  cacheSize?: number;
}

export interface SendOptions {
  expected_version?: number;
  /** Reminder ids to delete in the same commit (the reminder that sent this event). */
  cancelReminders?: string[];
  /** Records stored in the same commit (a vendor attempt in the screening history, say). */
  records?: StoredRecord[];
  /** Records made from the actor as the command leaves it, stored in the same commit (the request's idempotent answer). */
  answer?: (changed: Loaded) => StoredRecord[];
}

type Event = { type: string; [field: string]: unknown };

const MEMBER_ORDER = ['seeker', 'provider'] as const;

/** Attempts of a command whose actor another node changed meanwhile (reload, apply again). */
const MAX_ATTEMPTS = 6;
const conflict = () => new DomainError('version_conflict', 'The actor changed meanwhile; read it again and retry.');
/** Jittered, growing pauses between attempts, so that racing nodes do not collide again in step. */
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));

/**
 * The actor host: applies one event to one actor at a time through its mailbox, with XState's
 * pure `transition()`, stores the result with everything it caused in one commit, and only then
 * lets the world know (ARCHITECTURE.md, "The command path").
 */
export class ActorHost {
  private readonly cache: LruCache<Loaded>;
  private readonly mailboxes = new Mailboxes();

  constructor(private readonly options: HostOptions) {
    this.cache = new LruCache(options.cacheSize ?? 20_000);
  }

  /** Where every part of the server reads the time (tests move a simulated one). */
  get clock(): Clock {
    return this.options.clock;
  }

  now() {
    return iso(this.options.clock.now());
  }

  /** The actor, its subject's key loaded (held still, for a cached copy, unless evicted since). */
  async load(id: string): Promise<Loaded | undefined> {
    const cached = this.cache.get(id);
    if (cached) {
      await this.options.sealer.load(Sealer.subjectOf(cached.actor.snapshot));
      return cached;
    }
    const actor = await this.options.store.getActor(id);
    if (!actor) return undefined;
    // Read from the store, also when another node made the key a moment ago (before its commit reached this node).
    await this.options.sealer.load(Sealer.subjectOf(actor.snapshot));
    // An erased subject's snapshot cannot be opened any more: to everyone, it is gone (issue 16).
    if (this.options.sealer.erasedSubjectOf(actor.snapshot)) return undefined;
    const loaded = this.loaded(actor);
    this.cache.set(id, loaded);
    return loaded;
  }

  /** When and by whom the subject whose data `id` holds was erased, if it was (issue 16). */
  async erasureOf(id: string): Promise<({ subject: string } & Erasure) | undefined> {
    const actor = await this.options.store.getActor(id);
    const subject = actor && Sealer.subjectOf(actor.snapshot);
    if (subject === undefined) return undefined;
    await this.options.sealer.load(subject);
    const erasure = this.options.sealer.erasure(subject);
    return erasure && { subject, ...erasure };
  }

  /** Why `id` did not load: 410 `erased` when its subject was erased, else `otherwise`. */
  async missing(id: string, otherwise: DomainError): Promise<DomainError> {
    const erased = await this.erasureOf(id);
    return erased ? erasedError(erased.subject, erased) : otherwise;
  }

  /** Drops the cached copies sealed for `subject` (it was erased). */
  forgetSubject(subject: string): void {
    this.cache.deleteWhere((loaded) => Sealer.subjectOf(loaded.actor.snapshot) === subject);
  }

  private loaded(actor: Actor): Loaded {
    const kind = kinds[actor.kind];
    const persisted = migrate(kind, this.options.sealer.open<PersistedSnapshot>(actor.snapshot), actor.machine_version ?? 1);
    return { actor, snapshot: kind.machine.resolveState(persisted as never), kind };
  }

  /**
   * Another node's commit (a store shared by several nodes): refreshes the copies this node
   * holds and returns the changes, one per actor as it is now, for publishing here.
   */
  async adopt(commit: Commit): Promise<Change[]> {
    await Promise.all(commit.actors.map(({ actor }) => this.options.sealer.load(Sealer.subjectOf(actor.snapshot))));
    return commit.actors.flatMap(({ actor }) => {
      const entry = commit.history.findLast((h) => h.actor === actor.id);
      const cached = this.cache.peek(actor.id);
      if (cached && cached.actor.version >= actor.version) return [];
      const loaded = this.loaded(actor);
      if (cached) this.cache.set(actor.id, loaded);
      return entry ? [{ ...loaded, event: entry.event, by: entry.by, at: entry.at }] : [];
    });
  }

  /** Creates an actor of `kindName` from `input`; `id` is generated unless given; `records` are stored in the same commit. */
  create(kindName: string, input: unknown, by: By, id?: string, records: StoredRecord[] = []): Promise<Loaded> {
    const actorId = id ?? newActorId(kinds[kindName]);
    // A new id: nothing of it to read from the store.
    if (id === undefined) this.options.sealer.newSubject(actorId);
    return withKeys(this.options.sealer, () => this.createOnce(kindName, input, by, actorId, records));
  }

  private async createOnce(kindName: string, input: unknown, by: By, actorId: string, records: StoredRecord[]): Promise<Loaded> {
    const kind = kinds[kindName];
    const at = this.now();
    const [snapshot, actions] = initialTransition(kind.machine, input);
    const plan = this.plan(at);
    const actor: Actor = {
      id: actorId,
      kind: kind.kind,
      status: kind.status(snapshot),
      version: 0,
      created_at: at,
      updated_at: at,
      members: [],
      snapshot: '',
      machine_version: kind.version,
    };
    plan.change({ actor, snapshot, kind }, snapshot, emitted(actions), { type: 'CREATED' }, by, null);
    plan.commit.records.push(...records);
    try {
      const [created] = await this.commit(plan);
      return created;
    } catch (error) {
      throw error instanceof VersionConflict ? conflict() : error;
    }
  }

  /** Sends one event to one actor, in its mailbox; resolves once the change is durable. */
  send(id: string, event: Event, by: By, options: SendOptions = {}): Promise<Loaded> {
    return this.mailboxes.run(id, () => withKeys(this.options.sealer, () => this.applyFresh(id, event, by, options)));
  }

  /**
   * Another node may have changed an actor since this node cached it: its commit then conflicts,
   * and the event is applied again to what is stored now. Only a caller who named the version it
   * read (`expected_version`) is told of the conflict.
   */
  private async applyFresh(id: string, event: Event, by: By, options: SendOptions): Promise<Loaded> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.apply(id, event, by, options);
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        if (options.expected_version !== undefined || attempt === MAX_ATTEMPTS) throw conflict();
        await pause(attempt);
      }
    }
  }

  private async apply(id: string, event: Event, by: By, options: SendOptions): Promise<Loaded> {
    let loaded = await this.load(id);
    if (loaded && options.expected_version !== undefined && options.expected_version !== loaded.actor.version) {
      // The copy may be older than the store: compare with what is stored.
      this.cache.delete(id);
      loaded = await this.load(id);
    }
    if (!loaded) throw await this.missing(id, notFound());
    if (options.expected_version !== undefined && options.expected_version !== loaded.actor.version) {
      throw new DomainError('version_conflict', `The actor is at version ${loaded.actor.version}, not ${options.expected_version}.`, {
        version: loaded.actor.version,
      });
    }
    const at = this.now();
    const stamped = { ...event, at, by: by.role };
    let next: ReturnType<typeof step>;
    try {
      next = step(loaded, stamped);
    } catch (error) {
      // A copy older than the store (another node's commit not seen yet) may refuse what the stored state accepts.
      if (!(error instanceof DomainError) || (await this.options.store.getActor(id))?.version === loaded.actor.version) throw error;
      this.cache.delete(id);
      return this.apply(id, event, by, options);
    }
    const plan = this.plan(at);
    plan.cancelReminders(options.cancelReminders ?? []);
    plan.commit.records.push(...(options.records ?? []));
    plan.change(
      loaded,
      next.snapshot,
      next.effects.filter((e) => e.type !== 'joint'),
      event,
      by,
      loaded.actor.status,
    );

    const joints = next.effects.filter((e): e is Joint => e.type === 'joint');
    return this.withJoints(loaded, joints, plan, at, 0, options.answer);
  }

  /**
   * Applies joint events to the link's members in the same commit, then commits. Mailboxes are
   * always taken in the order link, seeker, provider, and a member never waits on a link, so no
   * two commands can wait on each other. A member's refusal refuses the whole command.
   */
  private async withJoints(link: Loaded, joints: Joint[], plan: CommitPlan, at: string, next: number, answer?: SendOptions['answer']): Promise<Loaded> {
    const role = MEMBER_ORDER.slice(next).find((r) => joints.some((j) => j.to === r));
    if (!role) {
      if (answer) plan.commit.records.push(...answer(plan.latestOf(link.actor.id)!));
      return (await this.commit(plan))[0];
    }
    const context = link.snapshot.context;
    const memberId = String(context[`${role}_id`]);
    return this.mailboxes.run(memberId, async () => {
      let member = await this.load(memberId);
      if (!member) throw notFound(role);
      for (const joint of joints.filter((j) => j.to === role)) {
        const event = { ...joint.event, link: link.actor.id, provider_id: context.provider_id };
        const after = step(member, { ...event, at, by: 'system' });
        if (joint.check) continue;
        plan.change(member, after.snapshot, after.effects, event, SYSTEM, member.actor.status);
        member = plan.latestOf(memberId)!;
      }
      return this.withJoints(link, joints, plan, at, MEMBER_ORDER.indexOf(role) + 1, answer);
    });
  }

  /**
   * Members stored before member search had an index get their tokens, once, at start-up: the
   * same version re-stored with `search` (nothing else changes, nothing is published). A record
   * says it was done, so later starts read no member (100,000 of them took half a second).
   */
  async indexMembers(): Promise<number> {
    if (await this.options.store.getRecord(...MEMBERS_INDEXED)) return 0;
    let indexed = 0;
    for (const kind of ['seeker', 'provider']) {
      for (let offset = 0; ; offset += 500) {
        const batch = await this.options.store.listActors({ kind, offset, limit: 500 });
        const missing = batch.data.filter((actor) => !actor.search);
        await Promise.all(missing.map((actor) => this.options.sealer.load(Sealer.subjectOf(actor.snapshot))));
        const actors = missing.map((actor) => ({
          actor: { ...actor, search: this.options.search.tokens(kind, this.loaded(actor).snapshot.context) },
          expected_version: actor.version,
        }));
        if (actors.length > 0) await this.options.store.commit({ ...commitOf({}), actors });
        for (const { actor } of actors) this.cache.delete(actor.id);
        indexed += actors.length;
        if (offset + 500 >= batch.count) break;
      }
    }
    const [collection, id] = MEMBERS_INDEXED;
    await this.options.store.commit(commitOf({ records: [{ collection, id, value: { at: this.now() } }] }));
    return indexed;
  }

  /** Stores records that belong to no actor change (a failed vendor attempt, say). */
  async record(records: StoredRecord[]) {
    await this.options.store.commit(commitOf({ records }));
  }

  private plan(at: string) {
    return new CommitPlan(at, this.options.clock.now(), this.options);
  }

  private async commit(plan: CommitPlan): Promise<Loaded[]> {
    try {
      await this.options.store.commit(plan.commit);
    } catch (error) {
      // A conflict means a copy is stale; a lost connection leaves the outcome unknown. Read again next time.
      for (const { actor } of plan.commit.actors) this.cache.delete(actor.id);
      throw error;
    }
    for (const change of plan.changes) this.cache.set(change.actor.id, change);
    this.options.committed(plan.changes, plan.commit.outbox.length > 0);
    return plan.latest();
  }
}

/** Applies an event to a loaded actor, or refuses it as the API would. */
function step(loaded: Loaded, event: Event & { at: string }): { snapshot: AnyMachineSnapshot; effects: Effect[] } {
  const { kind, snapshot } = loaded;
  if (!snapshot.can(event as never)) {
    const refusal = kind.refusal?.(snapshot, event);
    if (typeof refusal === 'string') throw refused(refusal);
    if (refusal) throw new DomainError(refusal.code, refusal.message);
    throw new DomainError('invalid_transition', `${event.type} is not possible while the ${kind.kind} is ${loaded.actor.status}.`, {
      status: loaded.actor.status,
    });
  }
  const [next, actions] = pureTransition(kind.machine, snapshot, event);
  return { snapshot: next, effects: emitted(actions) };
}

function emitted(actions: { type: string; params?: unknown }[]): Effect[] {
  return actions.filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: Effect }).event);
}

export function newActorId(kind: ActorKind) {
  return newId(kind.prefix);
}
