/**
 * The Store contract. Every store (lowdb embedded, PostgreSQL) implements it and passes
 * test/store/contract.ts. Stores never see personal data in clear: the runtime seals actor
 * snapshots and outbox payloads before they get here.
 */
import type { HistoryEntry } from '../../contract/index.ts';

export interface Actor {
  id: string;
  kind: string;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** Member actor ids (seeker, provider) that may see this actor; used for listing and cascades. */
  members: string[];
  /** Sealed (encrypted) persisted XState snapshot. */
  snapshot: string;
  /** The version of the kind's machine that wrote the snapshot; absent means 1 (migrations, machines/migrations.ts). */
  machine_version?: number;
  /** The `hash` of the actor's latest history entry: the next entry links to it, and verification checks the chain ends there. */
  history_head?: string;
  /** Blind tokens of a member's searchable fields (keyed HMACs, runtime/member-search.ts): never anything in clear. */
  search?: string[];
}

export type { HistoryEntry } from '../../contract/index.ts';

export interface OutboxEntry {
  id: string;
  /** Effect kind: in_app, email, vendor, cascade, webhook, case … */
  kind: string;
  actor: string;
  /** Member the effect is addressed to, when it has one (notifications). */
  recipient?: string;
  /** Sealed JSON payload. */
  payload: string;
  created_at: string;
  /** Not delivered before this time (back-off). */
  due_at: string;
  attempts: number;
  delivered_at?: string;
  last_error?: string;
  /** `X-Request-Id` of the request that caused it; its delivery runs on that request's behalf. */
  request_id?: string;
  /** Set when its retry policy ran out (a dead letter): no longer due until staff retry it. */
  dead_at?: string;
}

/** The head of one actor's audit chain: its latest entry's seq and hash (null for an entry from before chaining). */
export interface ChainHeadEntry {
  actor: string;
  seq: number;
  hash: string | null;
}

/** Reminders of one key (`<actor>:<key>`) that send the same event: how many, how many due by a time, the first due. */
export interface ReminderGroup {
  event: string;
  scheduled: number;
  due_by: number;
  next_due_at: string;
}

export interface Reminder {
  /** `<actor id>:<key>`: setting a reminder with the same id replaces it. */
  id: string;
  actor: string;
  /** The event sent to the actor when due, as JSON. */
  event: string;
  due_at: string;
}

/** A free-form record outside actors: idempotency results, blocklist entries, cases … */
export interface StoredRecord {
  collection: string;
  id: string;
  /** Records of one collection that are listed together (a seeker's screening attempts, an event's deliveries). */
  group?: string;
  value: unknown;
}

export interface Commit {
  /** Actors written with the version they were read at (0 = must not exist yet). */
  actors: { actor: Actor; expected_version: number }[];
  history: HistoryEntry[];
  /** Inserted or replaced by id (delivery updates re-put the entry). */
  outbox: OutboxEntry[];
  /** Inserted or replaced by id. */
  reminders: Reminder[];
  /** Reminder ids to delete. Applied before `reminders`: cancelling and setting one id in a commit keeps the new one. */
  cancel_reminders: string[];
  records: StoredRecord[];
}

export class VersionConflict extends Error {
  constructor(
    readonly actor: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`version conflict on ${actor}: expected ${expected}, found ${actual}`);
  }
}

/**
 * The store cannot be reached (the database is down or the connection was lost). What was being
 * committed was applied entirely or not at all; the API answers 503 `store_unavailable`.
 */
export class StoreUnavailable extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`store unavailable: ${reason}`, options);
  }
}

export interface ActorQuery {
  kind?: string;
  status?: string;
  /** Only actors whose `members` include this id. */
  member?: string;
  offset: number;
  limit: number;
}

export interface Page<T> {
  data: T[];
  count: number;
}

export interface Store {
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Atomically applies the commit, or nothing of it (VersionConflict when an expected version
   * does not match). Resolves only once the commit is durable on disk.
   */
  commit(commit: Commit): Promise<void>;
  getActor(id: string): Promise<Actor | undefined>;
  /** Newest first (by updated_at, then id, both descending); `count` counts every match. */
  listActors(query: ActorQuery): Promise<Page<Actor>>;
  /**
   * Actors holding, for every term, at least one of its tokens (`search`), newest first as
   * listActors; no terms, no actors. An index lookup: it never reads the other actors.
   */
  searchActors(terms: string[][], offset: number, limit: number): Promise<Page<Actor>>;
  /** Count of actors per kind and status: { link: { active: 2, … }, … }. */
  countActors(): Promise<Record<string, Record<string, number>>>;
  /** The machine versions stored snapshots were written with, per kind: { seeker: [1, 2], … } (absent counts as 1). */
  machineVersions(): Promise<Record<string, number[]>>;
  /** Oldest first. */
  history(actor: string): Promise<HistoryEntry[]>;
  /** The latest history entry of every actor that has one, by actor id: what an audit checkpoint hashes together. */
  chainHeads(): Promise<ChainHeadEntry[]>;
  /** Reminders with due_at <= now, earliest first (by due_at, then id). */
  dueReminders(now: string, limit: number): Promise<Reminder[]>;
  /** Earliest time a reminder is due, if any: lets the runtime sleep until then. */
  nextReminderAt(): Promise<string | undefined>;
  /** The reminders set under `key` by any actor, grouped by their event, with how many are due by `by` (the operations board). */
  reminderGroups(key: string, by: string): Promise<ReminderGroup[]>;
  /** Undelivered outbox entries with due_at <= now, oldest first (by due_at, then id); never dead letters. */
  dueOutbox(now: string, limit: number): Promise<OutboxEntry[]>;
  /** An actor's undelivered entries that are not dead letters, due or not, by id (the order they were made). */
  pendingOutbox(actor: string): Promise<OutboxEntry[]>;
  nextOutboxAt(): Promise<string | undefined>;
  /**
   * Due reminders (as dueReminders), each leased until `leaseUntil`: until then no other claim,
   * from this node or another, returns it. Setting, replacing or cancelling a reminder ends its
   * lease; a lease left to expire (its node died) makes the reminder claimable again.
   */
  claimReminders(now: string, limit: number, leaseUntil: string): Promise<Reminder[]>;
  /**
   * Due outbox entries (as dueOutbox), leased like reminders, never of an actor that has an
   * entry leased already: one node at a time delivers an actor's effects, in order. Storing an
   * entry again (delivered or rescheduled) ends its lease.
   */
  claimOutbox(now: string, limit: number, leaseUntil: string): Promise<OutboxEntry[]>;
  /**
   * Makes sure the wrapped data key of `subject`, replaced by its erasure's tombstone, lingers
   * nowhere the store keeps (issue 16): the embedded store compacts its journals away, PostgreSQL
   * scrubs it from the commit feed.
   */
  purge(subject: string): Promise<void>;
  /** Resolves when the store can take commits now; rejects with the reason otherwise (readiness). */
  ping(): Promise<void>;
  /**
   * Outbox entries addressed to a recipient, of the given kinds (none when `kinds` is empty),
   * delivered or not, newest first (by created_at, then id, both descending).
   */
  outboxFor(recipient: string, kinds: string[], offset: number, limit: number): Promise<Page<OutboxEntry>>;
  getRecord(collection: string, id: string): Promise<unknown | undefined>;
  /** Values of a collection's records, or of one group of it, in the order they were first stored. */
  listRecords(collection: string, group?: string): Promise<unknown[]>;
  /** How many records of a collection each group holds, records stored without a group under '' (counts without reading a record). */
  recordGroups(collection: string): Promise<Record<string, number>>;
  /**
   * Calls `listener` with every commit once it is durable (records others watch: cases for the
   * console), including, in a store shared by several nodes, other nodes' commits (`remote`).
   */
  onCommitted(listener: (commit: Commit, remote: boolean) => void): void;
}

/** A commit holding only the given parts (outbox updates, records, reminder deletions …). */
export const commitOf = (parts: Partial<Commit>): Commit => ({
  actors: [],
  history: [],
  outbox: [],
  reminders: [],
  cancel_reminders: [],
  records: [],
  ...parts,
});
