import type { Actor, StoredRecord } from './store.ts';

/**
 * What a store's state holds of an actor or a record: what queries need (issue 14). The item
 * itself (its body) is `body` while memory holds it (always in MemoryStore; in the embedded store
 * until a compaction wrote it), else `at` and `len` name its bytes in its shard's body file
 * (lowdb/body-files.ts). A head is replaced by each change of its item, never edited, but for a
 * compaction moving its body to disk.
 */
export interface Head<B> {
  body: B | undefined;
  /** Offset and length of the body in its shard's body file; -1 while only memory holds it. */
  at: number;
  len: number;
}

export interface ActorHead extends Head<Actor> {
  id: string;
  kind: string;
  status: string;
  version: number;
  updated_at: string;
  /** A single member as the string itself (most actors: a member is its own): an array per actor cost ~60 B. */
  members: string | readonly string[];
  machine_version: number | undefined;
  /** The search tokens joined by spaces (they are base64url): one string instead of a dozen. */
  search: string | undefined;
}

/** A record as the state holds it, numbered in the order first stored (listRecords' order), which shard files keep. */
export interface SequencedRecord extends StoredRecord {
  seq: number;
}

export interface RecordHead extends Head<SequencedRecord> {
  collection: string;
  id: string;
  group: string | undefined;
  seq: number;
}

/** What a shard file of heads holds per actor (a head without its body). */
export type StoredActorHead = Omit<ActorHead, 'body'>;
export type StoredRecordHead = Omit<RecordHead, 'body'>;

/** Members as the head holds them; a member that is the actor itself shares its id's string. */
function compactMembers(id: string, members: string | readonly string[]): string | readonly string[] {
  if (typeof members === 'string') return members === id ? id : members;
  if (members.length !== 1) return members;
  return members[0] === id ? id : members[0];
}

export const membersOf = (head: ActorHead): readonly string[] => (typeof head.members === 'string' ? [head.members] : head.members);

export const tokensOf = (head: ActorHead): string[] => (head.search === undefined || head.search === '' ? [] : head.search.split(' '));

/** The fields of an actor's head that an actor and a stored head have alike. */
type ActorFields = Pick<ActorHead, 'id' | 'kind' | 'status' | 'version' | 'updated_at' | 'members'> & { machine_version?: number };

/**
 * Every field in one order, so that all heads share one V8 shape; taken field by field, not
 * spread into an object first: loading 100,000 heads so made as much garbage again.
 */
function actorHead(fields: ActorFields, search: string | undefined, body: Actor | undefined, at: number, len: number): ActorHead {
  return {
    id: fields.id,
    kind: fields.kind,
    status: fields.status,
    version: fields.version,
    updated_at: fields.updated_at,
    members: compactMembers(fields.id, fields.members),
    machine_version: fields.machine_version,
    search,
    body,
    at,
    len,
  };
}

/** The head of an actor memory holds whole. */
export const headOfActor = (actor: Actor): ActorHead => actorHead(actor, actor.search?.join(' '), actor, -1, -1);

/** The head a shard file stored (its body on disk). */
export const storedActorHead = (stored: StoredActorHead): ActorHead => actorHead(stored, stored.search, undefined, stored.at, stored.len);

type RecordFields = Pick<RecordHead, 'collection' | 'id' | 'seq'> & { group?: string };

function recordHead(fields: RecordFields, body: SequencedRecord | undefined, at: number, len: number): RecordHead {
  return { collection: fields.collection, id: fields.id, group: fields.group, seq: fields.seq, body, at, len };
}

export const headOfRecord = (record: SequencedRecord): RecordHead => recordHead(record, record, -1, -1);

export const storedRecordHead = (stored: StoredRecordHead): RecordHead => recordHead(stored, undefined, stored.at, stored.len);

/** What a shard file of heads stores for a head whose body is at `at`, `len`. */
export function storedHead<B, H extends Head<B>>(head: H, at: number, len: number): Omit<H, 'body'> {
  const { body: _, ...stored } = head;
  return { ...stored, at, len };
}
