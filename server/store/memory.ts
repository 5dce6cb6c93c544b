import { type ActorHead, headOfActor, headOfRecord, membersOf, type RecordHead, type SequencedRecord, tokensOf } from './heads.ts';
import { type HistoryKeeper, MemoryHistory } from './history.ts';
import { type Cmp, lowerBound } from './lower-bound.ts';
import type { Actor, ActorQuery, ChainHeadEntry, Commit, HistoryEntry, OutboxEntry, Page, Reminder, ReminderGroup, Store, StoredRecord } from './store.ts';
import { VersionConflict } from './store.ts';
import { TokenIndex } from './token-index.ts';

/**
 * In-memory state and indexes, shared by MemoryStore (no durability, for unit tests) and
 * LowdbStore (this state + a journal + sharded snapshots).
 *
 * Times are ISO 8601 UTC strings (Date#toISOString) and are compared as strings. History is kept
 * by a HistoryKeeper: in memory here, mostly on disk in the embedded store. Actors and records are
 * held as heads (heads.ts), whose bodies a BodyReader reads when memory does not hold them.
 */

const CHUNK = 1024;

/** First index in the sorted `items` whose element is >= x. */

/**
 * A sorted list kept in chunks: insert and remove splice one chunk (O(log n + CHUNK)) where a flat
 * array of 100k entries would move half of them. Elements must be unique under `cmp`.
 */
export class SortedList<T> {
  private chunks: T[][] = [];
  size = 0;

  constructor(private readonly cmp: Cmp<T>) {}

  insert(x: T): void {
    this.size++;
    if (this.chunks.length === 0) {
      this.chunks.push([x]);
      return;
    }
    const c = this.chunkOf(x);
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, x, this.cmp), 0, x);
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }

  remove(x: T): void {
    if (this.chunks.length === 0) return;
    const c = this.chunkOf(x);
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, x, this.cmp);
    if (i === chunk.length || this.cmp(chunk[i], x) !== 0) return;
    chunk.splice(i, 1);
    this.size--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Appends x, which must sort after every element: bulk loading from presorted items. */
  push(x: T): void {
    this.size++;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.length < CHUNK) last.push(x);
    else this.chunks.push([x]);
  }

  first(): T | undefined {
    return this.chunks[0]?.[0];
  }

  slice(offset: number, limit: number): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) {
      if (out.length >= limit) break;
      if (offset >= chunk.length) {
        offset -= chunk.length;
        continue;
      }
      out.push(...chunk.slice(offset, offset + limit - out.length));
      offset = 0;
    }
    return out;
  }

  *[Symbol.iterator](): Generator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The chunk x belongs in: the first whose last element is >= x, else the last chunk. */
  private chunkOf(x: T): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (this.cmp(chunk[chunk.length - 1], x) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const newestActor: Cmp<ActorHead> = (a, b) => cmpStr(b.updated_at, a.updated_at) || cmpStr(b.id, a.id);
const newestEntry: Cmp<OutboxEntry> = (a, b) => cmpStr(b.created_at, a.created_at) || cmpStr(b.id, a.id);
const earliestDue: Cmp<{ due_at: string; id: string }> = (a, b) => cmpStr(a.due_at, b.due_at) || cmpStr(a.id, b.id);

/** Everything a store holds, as flat lists (what migrate-store copies). */
export interface Snapshot {
  actors: Actor[];
  history: HistoryEntry[];
  outbox: OutboxEntry[];
  reminders: Reminder[];
  records: (StoredRecord | SequencedRecord)[];
}

/** What a store's shard files fill an empty state with after its actors' heads (MemoryState.loadActors): heads of records, the other items whole. */
export interface Loaded {
  outbox: OutboxEntry[];
  reminders: Reminder[];
  records: RecordHead[];
}

/** Reads the bodies of heads memory does not hold (each `body` undefined), in their order. */
export interface BodyReader {
  actors(heads: readonly ActorHead[]): Promise<Actor[]>;
  records(heads: readonly RecordHead[]): Promise<SequencedRecord[]>;
}

export const recordKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

type ByStatus = Map<string | undefined, SortedList<ActorHead>>;

/**
 * Actors newest first, in one list per combination of kind and status (undefined = not filtered),
 * so a listActors query without a member is a slice of one list. Nested maps rather than composite
 * string keys: lookups by strings the actor already holds allocate nothing. A member's actors
 * (themselves and their links: a handful) are one array, filtered and sorted per query: a sorted
 * list per member and filter combination cost 1.75 KB of memory per member (issue 14). A member
 * with one actor (most: a seeker alone) maps to it, not to an array (which cost ~190 B).
 */
class ActorLists {
  private readonly byKind = new Map<string | undefined, ByStatus>();
  /** Each member's actors, in no particular order. */
  private readonly byMember = new Map<string, ActorHead | ActorHead[]>();

  /** Calls fn with every sorted list the actor belongs in. */
  each(actor: ActorHead, fn: (list: SortedList<ActorHead>) => void): void {
    for (const kind of [undefined, actor.kind]) {
      const byStatus = getOrCreate(this.byKind, kind, (): ByStatus => new Map());
      for (const status of [undefined, actor.status]) fn(getOrCreate(byStatus, status, () => new SortedList(newestActor)));
    }
  }

  join(actor: ActorHead): void {
    for (const member of new Set(membersOf(actor))) {
      const mine = this.byMember.get(member);
      if (mine === undefined) this.byMember.set(member, actor);
      else if (Array.isArray(mine)) mine.push(actor);
      else this.byMember.set(member, [mine, actor]);
    }
  }

  leave(actor: ActorHead): void {
    for (const member of new Set(membersOf(actor))) {
      const mine = this.byMember.get(member)!;
      if (!Array.isArray(mine)) {
        this.byMember.delete(member);
        continue;
      }
      mine.splice(mine.indexOf(actor), 1);
      if (mine.length === 1) this.byMember.set(member, mine[0]);
    }
  }

  private ofMember(member: string): ActorHead[] {
    const mine = this.byMember.get(member);
    return mine === undefined ? [] : Array.isArray(mine) ? mine : [mine];
  }

  /** The page of heads `q` asks for. */
  page(q: ActorQuery): Page<ActorHead> {
    const offset = Math.max(0, q.offset);
    const limit = Math.max(0, q.limit);
    if (q.member === undefined) {
      const list = this.byKind.get(q.kind)?.get(q.status);
      return list ? { data: list.slice(offset, limit), count: list.size } : { data: [], count: 0 };
    }
    const matches = this.ofMember(q.member).filter((a) => (q.kind ?? a.kind) === a.kind && (q.status ?? a.status) === a.status);
    return { data: matches.sort(newestActor).slice(offset, offset + limit), count: matches.length };
  }
}

// Readers get copies, so a caller mutating a result cannot corrupt the indexes.
const copyActor = (a: Actor): Actor => ({ ...a, members: [...a.members], ...(a.search && { search: [...a.search] }) });

export class MemoryState {
  readonly actors = new Map<string, ActorHead>();
  private readonly actorLists = new ActorLists();
  /**
   * Built at the first search, then kept up to date: indexing 100,000 members' tokens costs about
   * 0.6 s, which a start need not pay for the staff console's search.
   */
  private byToken?: TokenIndex;
  private readonly counts = new Map<string, Map<string, number>>();
  readonly reminders = new Map<string, Reminder>();
  private readonly reminderQueue = new SortedList<Reminder>(earliestDue);
  readonly outbox = new Map<string, OutboxEntry>();
  private readonly undelivered = new SortedList<OutboxEntry>(earliestDue);
  /** Undelivered live entries per actor (per-actor delivery order). */
  private readonly pendingByActor = new Map<string, Map<string, OutboxEntry>>();
  private readonly byRecipient = new Map<string, SortedList<OutboxEntry>>();
  /** collection → id → record, in the order first stored. Nested: a composite key string per record cost ~50 B. */
  private readonly records = new Map<string, Map<string, RecordHead>>();
  /** collection → group → id → record, of records that have a group. */
  private readonly groups = new Map<string, Map<string, Map<string, RecordHead>>>();
  private lastRecordSeq = 0;
  /** Each collection's name and record group once: records read from files or journals would each hold a copy. */
  private readonly names = new Map<string, string>();
  /** Leases of claimed reminders and outbox entries (by id), until when. Never persisted: one process owns this state. */
  private readonly reminderLeases = new Map<string, string>();
  private readonly outboxLeases = new Map<string, string>();

  constructor(
    readonly history: HistoryKeeper = new MemoryHistory(),
    /** Set when bodies may be on disk (the embedded store). */
    private readonly bodies?: BodyReader,
  ) {}

  /**
   * Throws VersionConflict unless every expected version matches. `pending` holds versions of
   * commits accepted but not applied yet, which take precedence over the applied state.
   */
  check(commit: Commit, pending?: ReadonlyMap<string, number>): void {
    const seen = new Map<string, number>();
    for (const { actor, expected_version } of commit.actors) {
      const actual = seen.get(actor.id) ?? pending?.get(actor.id) ?? this.actors.get(actor.id)?.version ?? 0;
      if (actual !== expected_version) throw new VersionConflict(actor.id, expected_version, actual);
      seen.set(actor.id, actor.version);
    }
  }

  /** Applies a commit without checking versions. Every operation is an upsert or a delete by key, so replaying a commit twice is harmless. */
  apply(commit: Commit): void {
    for (const { actor } of commit.actors) this.putActor(actor);
    for (const entry of commit.history) this.history.put(entry);
    for (const entry of commit.outbox) this.putOutbox(entry);
    // Cancels first: a commit that cancels and re-sets a reminder id keeps the new one.
    for (const id of commit.cancel_reminders) this.cancelReminder(id);
    for (const reminder of commit.reminders) this.putReminder(reminder);
    for (const record of commit.records) this.putRecord(record);
  }

  /**
   * Fills an empty state from shard items (each key once; history goes to the keeper itself):
   * the actors first, then the rest, so that what names an actor can share its id (sharedId)
   * as it is read. Sorts each kind of item once and appends to the indexes, much faster than
   * inserting them one by one.
   */
  loadActors(actors: ActorHead[]): void {
    if (this.actors.size + this.outbox.size + this.reminders.size > 0) throw new Error('store: load into a non-empty state');
    for (const actor of actors.sort(newestActor)) {
      this.actors.set(actor.id, actor);
      this.actorLists.each(actor, (list) => list.push(actor));
      this.actorLists.join(actor);
      this.count(actor, 1);
      this.index(actor, 1);
    }
  }

  /** The rest of what loadActors began. */
  load(snapshot: Loaded): void {
    for (const entry of snapshot.outbox.sort(newestEntry)) {
      this.outbox.set(entry.id, entry);
      if (entry.recipient !== undefined) getOrCreate(this.byRecipient, entry.recipient, () => new SortedList(newestEntry)).push(entry);
    }
    for (const entry of snapshot.outbox.filter(isPending).sort(earliestDue)) {
      this.undelivered.push(entry);
      getOrCreate(this.pendingByActor, entry.actor, () => new Map()).set(entry.id, entry);
    }
    for (const reminder of snapshot.reminders.sort(earliestDue)) {
      this.reminders.set(reminder.id, reminder);
      this.reminderQueue.push(reminder);
    }
    // Shard files are read in parallel: their records come in any order, their seq restores the first-stored one.
    for (const record of snapshot.records.sort((a, b) => a.seq - b.seq)) {
      this.placeRecord(record);
      this.lastRecordSeq = Math.max(this.lastRecordSeq, record.seq);
    }
  }

  /** Everything held, as flat lists. */
  async snapshot(): Promise<Snapshot> {
    return {
      actors: await this.actorsOf([...this.actors.values()]),
      history: await this.history.all(),
      outbox: [...this.outbox.values()],
      reminders: [...this.reminders.values()],
      records: await this.recordsOf([...this.recordHeads()]),
    };
  }

  /**
   * `id` as the string of the actor it names, if any: heads of records and history chains that
   * name an actor (a subject's key, its chain) share that string rather than each hold a copy (~50 B).
   */
  sharedId(id: string): string {
    return this.actors.get(id)?.id ?? id;
  }

  /** Every record's head, collection after collection. */
  *recordHeads(): Generator<RecordHead> {
    for (const byId of this.records.values()) yield* byId.values();
  }

  recordHead(collection: string, id: string): RecordHead | undefined {
    return this.records.get(collection)?.get(id);
  }

  putActor(actor: Actor): void {
    const head = headOfActor(actor);
    const old = this.actors.get(actor.id);
    if (old) {
      // Emptied sorted lists stay: there are at most as many as kind × status combinations seen.
      this.actorLists.each(old, (list) => list.remove(old));
      this.actorLists.leave(old);
      this.count(old, -1);
      // Most commits leave a member's tokens as they were: the index is then left alone.
      if (old.search !== head.search) this.index(old, -1);
    }
    this.actors.set(head.id, head);
    this.actorLists.each(head, (list) => list.insert(head));
    this.actorLists.join(head);
    this.count(head, 1);
    if (old?.search !== head.search) this.index(head, 1);
  }

  private index(actor: ActorHead, delta: 1 | -1): void {
    if (!this.byToken) return;
    for (const token of tokensOf(actor)) {
      if (delta > 0) this.byToken.add(token, actor.id);
      else this.byToken.remove(token, actor.id);
    }
  }

  private tokenIndex(): TokenIndex {
    if (!this.byToken) {
      this.byToken = new TokenIndex();
      for (const actor of this.actors.values()) this.index(actor, 1);
    }
    return this.byToken;
  }

  putOutbox(entry: OutboxEntry): void {
    const old = this.outbox.get(entry.id);
    if (old) {
      if (isPending(old)) {
        this.undelivered.remove(old);
        const ofActor = this.pendingByActor.get(old.actor)!;
        ofActor.delete(old.id);
        if (ofActor.size === 0) this.pendingByActor.delete(old.actor);
      }
      if (old.recipient !== undefined) this.byRecipient.get(old.recipient)!.remove(old);
    }
    this.outboxLeases.delete(entry.id);
    this.outbox.set(entry.id, entry);
    if (isPending(entry)) {
      this.undelivered.insert(entry);
      getOrCreate(this.pendingByActor, entry.actor, () => new Map()).set(entry.id, entry);
    }
    if (entry.recipient !== undefined) getOrCreate(this.byRecipient, entry.recipient, () => new SortedList(newestEntry)).insert(entry);
  }

  putReminder(reminder: Reminder): void {
    this.cancelReminder(reminder.id);
    this.reminders.set(reminder.id, reminder);
    this.reminderQueue.insert(reminder);
  }

  cancelReminder(id: string): void {
    this.reminderLeases.delete(id);
    const old = this.reminders.get(id);
    if (!old) return;
    this.reminders.delete(id);
    this.reminderQueue.remove(old);
  }

  putRecord(given: StoredRecord | SequencedRecord): void {
    const old = this.recordHead(given.collection, given.id);
    const seq = old?.seq ?? ('seq' in given ? given.seq : undefined) ?? this.lastRecordSeq + 1;
    this.lastRecordSeq = Math.max(this.lastRecordSeq, seq);
    this.placeRecord(headOfRecord({ ...given, seq }));
  }

  private placeRecord(head: RecordHead): void {
    head.collection = getOrCreate(this.names, head.collection, () => head.collection);
    head.id = this.sharedId(head.id);
    if (head.group !== undefined) head.group = getOrCreate(this.names, head.group, () => head.group!);
    const byId = getOrCreate(this.records, head.collection, () => new Map<string, RecordHead>());
    const old = byId.get(head.id);
    byId.set(head.id, head);
    const groups = this.groups.get(head.collection);
    if (old?.group !== undefined && old.group !== head.group) groups?.get(old.group)?.delete(head.id);
    if (head.group === undefined) return;
    const ofGroup = groups ?? getOrCreate(this.groups, head.collection, () => new Map<string, Map<string, RecordHead>>());
    getOrCreate(ofGroup, head.group, () => new Map<string, RecordHead>()).set(head.id, head);
  }

  /** The actors of `heads`, in order: copies of the bodies memory holds, the others read. */
  private actorsOf(heads: readonly ActorHead[]): Promise<Actor[]> {
    return this.bodiesOf(heads, copyActor, (missing) => this.bodies!.actors(missing));
  }

  private recordsOf(heads: readonly RecordHead[]): Promise<SequencedRecord[]> {
    return this.bodiesOf(
      heads,
      (r) => structuredClone(r),
      (missing) => this.bodies!.records(missing),
    );
  }

  /** Takes what it reads synchronously (before any await), so a compaction settling meanwhile cannot mix states. */
  private async bodiesOf<B>(heads: readonly { body: B | undefined }[], copy: (body: B) => B, read: (missing: never[]) => Promise<B[]>): Promise<B[]> {
    const out: B[] = [];
    const missing: never[] = [];
    const where: number[] = [];
    heads.forEach((head, i) => {
      if (head.body !== undefined) out[i] = copy(head.body);
      else {
        missing.push(head as never);
        where.push(i);
      }
    });
    if (missing.length > 0) for (const [j, body] of (await read(missing)).entries()) out[where[j]] = body;
    return out;
  }

  async getActor(id: string): Promise<Actor | undefined> {
    const head = this.actors.get(id);
    return head && (await this.actorsOf([head]))[0];
  }

  async listActors(q: ActorQuery): Promise<Page<Actor>> {
    const { data, count } = this.actorLists.page(q);
    return { data: await this.actorsOf(data), count };
  }

  async searchActors(terms: string[][], offset: number, limit: number): Promise<Page<Actor>> {
    if (terms.length === 0) return { data: [], count: 0 };
    // Each term's ids, smallest first: the intersection walks the smallest set only.
    const sets = terms.map((alternatives) => {
      const ids = new Set<string>();
      for (const token of alternatives) for (const id of this.tokenIndex().holding(token)) ids.add(id);
      return ids;
    });
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    const found = [...smallest].filter((id) => rest.every((set) => set.has(id))).map((id) => this.actors.get(id)!);
    found.sort(newestActor);
    return { data: await this.actorsOf(found.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit))), count: found.length };
  }

  machineVersions(): Record<string, number[]> {
    const versions = new Map<string, Set<number>>();
    for (const actor of this.actors.values()) getOrCreate(versions, actor.kind, () => new Set()).add(actor.machine_version ?? 1);
    return Object.fromEntries([...versions].map(([kind, set]) => [kind, [...set].sort((a, b) => a - b)]));
  }

  countActors(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [kind, statuses] of this.counts) out[kind] = Object.fromEntries(statuses);
    return out;
  }

  chainHeads(): ChainHeadEntry[] {
    return this.history.heads().sort((a, b) => cmpStr(a.actor, b.actor));
  }

  dueReminders(now: string, limit: number): Reminder[] {
    return takeDue(this.reminderQueue, now, limit).map((r) => ({ ...r }));
  }

  nextReminderAt(): string | undefined {
    return nextFree(this.reminderQueue, this.reminderLeases);
  }

  reminderGroups(key: string, by: string): ReminderGroup[] {
    const groups = new Map<string, ReminderGroup>();
    for (const r of this.reminders.values()) {
      if (!r.id.endsWith(`:${key}`)) continue;
      const group = getOrCreate(groups, r.event, () => ({ event: r.event, scheduled: 0, due_by: 0, next_due_at: r.due_at }));
      group.scheduled++;
      if (r.due_at <= by) group.due_by++;
      if (r.due_at < group.next_due_at) group.next_due_at = r.due_at;
    }
    return [...groups.values()].sort((a, b) => cmpStr(a.event, b.event));
  }

  claimReminders(now: string, limit: number, leaseUntil: string): Reminder[] {
    const claimed = takeDue(this.reminderQueue, now, limit, (r) => !leased(this.reminderLeases, r.id, now));
    for (const r of claimed) this.reminderLeases.set(r.id, leaseUntil);
    return claimed.map((r) => ({ ...r }));
  }

  claimOutbox(now: string, limit: number, leaseUntil: string): OutboxEntry[] {
    const busy = new Set<string>();
    for (const id of this.outboxLeases.keys()) if (leased(this.outboxLeases, id, now)) busy.add(this.outbox.get(id)!.actor);
    const claimed = takeDue(this.undelivered, now, limit, (e) => !busy.has(e.actor));
    for (const e of claimed) this.outboxLeases.set(e.id, leaseUntil);
    return claimed.map((e) => ({ ...e }));
  }

  dueOutbox(now: string, limit: number): OutboxEntry[] {
    return takeDue(this.undelivered, now, limit).map((e) => ({ ...e }));
  }

  nextOutboxAt(): string | undefined {
    return nextFree(this.undelivered, this.outboxLeases);
  }

  pendingOutbox(actor: string): OutboxEntry[] {
    return [...(this.pendingByActor.get(actor)?.values() ?? [])].sort((a, b) => cmpStr(a.id, b.id)).map((e) => ({ ...e }));
  }

  outboxFor(recipient: string, kinds: string[], offset: number, limit: number): Page<OutboxEntry> {
    const wanted = new Set(kinds);
    const matches: OutboxEntry[] = [];
    for (const entry of this.byRecipient.get(recipient) ?? []) if (wanted.has(entry.kind)) matches.push(entry);
    const start = Math.max(0, offset);
    return { data: matches.slice(start, start + Math.max(0, limit)).map((e) => ({ ...e })), count: matches.length };
  }

  async getRecord(collection: string, id: string): Promise<unknown | undefined> {
    const head = this.recordHead(collection, id);
    return head && (await this.recordsOf([head]))[0].value;
  }

  async listRecords(collection: string, group?: string): Promise<unknown[]> {
    const heads = group === undefined ? this.records.get(collection) : this.groups.get(collection)?.get(group);
    return (await this.recordsOf([...(heads?.values() ?? [])])).map((r) => r.value);
  }

  recordGroups(collection: string): Record<string, number> {
    const counts: Record<string, number> = {};
    let grouped = 0;
    for (const [group, heads] of this.groups.get(collection) ?? []) {
      if (heads.size === 0) continue;
      counts[group] = heads.size;
      grouped += heads.size;
    }
    const ungrouped = (this.records.get(collection)?.size ?? 0) - grouped;
    if (ungrouped > 0) counts[''] = ungrouped;
    return counts;
  }

  private count(actor: ActorHead, delta: number): void {
    const statuses = getOrCreate(this.counts, actor.kind, () => new Map<string, number>());
    const n = (statuses.get(actor.status) ?? 0) + delta;
    if (n > 0) statuses.set(actor.status, n);
    else statuses.delete(actor.status);
    if (statuses.size === 0) this.counts.delete(actor.kind);
  }
}

/** Still to be delivered: neither delivered nor given up on. */
const isPending = (e: OutboxEntry) => e.delivered_at === undefined && e.dead_at === undefined;

function takeDue<T extends { due_at: string }>(queue: SortedList<T>, now: string, limit: number, wanted: (item: T) => boolean = () => true): T[] {
  const out: T[] = [];
  for (const item of queue) {
    if (out.length >= limit || item.due_at > now) break;
    if (wanted(item)) out.push(item);
  }
  return out;
}

const leased = (leases: Map<string, string>, id: string, now: string): boolean => (leases.get(id) ?? '') > now;

/** When the earliest item becomes claimable: its due time, or later when it is leased. */
function nextFree<T extends { due_at: string; id: string }>(queue: SortedList<T>, leases: Map<string, string>): string | undefined {
  let earliest: string | undefined;
  for (const item of queue) {
    const lease = leases.get(item.id);
    const free = lease !== undefined && lease > item.due_at ? lease : item.due_at;
    if (earliest === undefined || free < earliest) earliest = free;
    if (lease === undefined) break;
  }
  return earliest;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const value = map.get(key) ?? create();
  map.set(key, value);
  return value;
}

/** A store without durability, for unit tests. Each commit applies at once. */
export class MemoryStore implements Store {
  protected readonly state: MemoryState;
  private readonly listeners: ((commit: Commit, remote: boolean) => void)[] = [];

  constructor(history?: HistoryKeeper, bodies?: BodyReader) {
    this.state = new MemoryState(history, bodies);
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  async commit(commit: Commit): Promise<void> {
    this.state.check(commit);
    // A JSON copy: what is stored is exactly what a durable store reads back after a restart.
    const stored = JSON.parse(JSON.stringify(commit)) as Commit;
    this.state.apply(stored);
    this.committed(stored);
  }

  onCommitted(listener: (commit: Commit, remote: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Everything stored, as flat lists: what `npm run migrate-store` copies. */
  async snapshot(): Promise<Snapshot> {
    return structuredClone(await this.state.snapshot());
  }

  /** Tells the listeners about a durable commit. */
  protected committed(commit: Commit): void {
    for (const listener of this.listeners) listener(commit, false);
  }

  async ping(): Promise<void> {}

  /** Nothing is kept outside memory. */
  async purge(_subject: string): Promise<void> {}

  async claimReminders(now: string, limit: number, leaseUntil: string): Promise<Reminder[]> {
    return this.state.claimReminders(now, limit, leaseUntil);
  }

  async claimOutbox(now: string, limit: number, leaseUntil: string): Promise<OutboxEntry[]> {
    return this.state.claimOutbox(now, limit, leaseUntil);
  }

  async getActor(id: string): Promise<Actor | undefined> {
    return this.state.getActor(id);
  }

  async listActors(query: ActorQuery): Promise<Page<Actor>> {
    return this.state.listActors(query);
  }

  async searchActors(terms: string[][], offset: number, limit: number): Promise<Page<Actor>> {
    return this.state.searchActors(terms, offset, limit);
  }

  async countActors(): Promise<Record<string, Record<string, number>>> {
    return this.state.countActors();
  }

  async history(actor: string): Promise<HistoryEntry[]> {
    return this.state.history.of(actor);
  }

  async chainHeads(): Promise<ChainHeadEntry[]> {
    return this.state.chainHeads();
  }

  async dueReminders(now: string, limit: number): Promise<Reminder[]> {
    return this.state.dueReminders(now, limit);
  }

  async nextReminderAt(): Promise<string | undefined> {
    return this.state.nextReminderAt();
  }

  async reminderGroups(key: string, by: string): Promise<ReminderGroup[]> {
    return this.state.reminderGroups(key, by);
  }

  async dueOutbox(now: string, limit: number): Promise<OutboxEntry[]> {
    return this.state.dueOutbox(now, limit);
  }

  async nextOutboxAt(): Promise<string | undefined> {
    return this.state.nextOutboxAt();
  }

  async pendingOutbox(actor: string): Promise<OutboxEntry[]> {
    return this.state.pendingOutbox(actor);
  }

  async machineVersions(): Promise<Record<string, number[]>> {
    return this.state.machineVersions();
  }

  async outboxFor(recipient: string, kinds: string[], offset: number, limit: number): Promise<Page<OutboxEntry>> {
    return this.state.outboxFor(recipient, kinds, offset, limit);
  }

  async getRecord(collection: string, id: string): Promise<unknown | undefined> {
    return this.state.getRecord(collection, id);
  }

  async listRecords(collection: string, group?: string): Promise<unknown[]> {
    return this.state.listRecords(collection, group);
  }

  async recordGroups(collection: string): Promise<Record<string, number>> {
    return this.state.recordGroups(collection);
  }
}
