-- The store's tables. Times are ISO 8601 UTC text (Date#toISOString): they compare as strings,
-- as in the embedded store, and read back exactly as written.

CREATE TABLE actors (
  id text PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL,
  version integer NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  members text[] NOT NULL,
  snapshot text NOT NULL
);
-- listActors: newest first, alone or by kind and status; countActors: index-only by kind and status.
CREATE INDEX actors_newest ON actors (updated_at DESC, id DESC);
CREATE INDEX actors_kind_status ON actors (kind, status, updated_at DESC, id DESC);
CREATE INDEX actors_status ON actors (status, updated_at DESC, id DESC);
CREATE INDEX actors_members ON actors USING gin (members);

CREATE TABLE history (
  actor text NOT NULL,
  seq integer NOT NULL,
  entry json NOT NULL,
  PRIMARY KEY (actor, seq)
);

CREATE TABLE outbox (
  id text PRIMARY KEY,
  kind text NOT NULL,
  actor text NOT NULL,
  recipient text,
  payload text NOT NULL,
  created_at text NOT NULL,
  due_at text NOT NULL,
  attempts integer NOT NULL,
  delivered_at text,
  last_error text,
  -- A claim: the node delivering the entry, and until when no other node takes it.
  lease_until text,
  leased_by text
);
CREATE INDEX outbox_due ON outbox (due_at, id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_actor_undelivered ON outbox (actor) WHERE delivered_at IS NULL;
CREATE INDEX outbox_recipient ON outbox (recipient, created_at DESC, id DESC) WHERE recipient IS NOT NULL;

CREATE TABLE reminders (
  id text PRIMARY KEY,
  actor text NOT NULL,
  event text NOT NULL,
  due_at text NOT NULL,
  lease_until text,
  leased_by text
);
CREATE INDEX reminders_due ON reminders (due_at, id);

CREATE TABLE records (
  collection text NOT NULL,
  id text NOT NULL,
  grp text,
  value json NOT NULL,
  -- Lists keep the order records were first stored in.
  seq bigserial,
  PRIMARY KEY (collection, id)
);
CREATE INDEX records_list ON records (collection, seq);
CREATE INDEX records_group ON records (collection, grp, seq) WHERE grp IS NOT NULL;

-- Every commit, for the other nodes: they read what committed since they last looked, by
-- transaction id below the oldest transaction still running (so nothing is skipped), and pass it
-- to their commit listeners (broadcasts, the console's cases, the operations board). Rows are
-- dropped after a few minutes.
CREATE TABLE commit_feed (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigserial,
  node text NOT NULL,
  commits json NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commit_feed_xid ON commit_feed (xid, seq);
CREATE INDEX commit_feed_at ON commit_feed (at);
