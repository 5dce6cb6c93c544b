-- The store's tables. Times are ISO 8601 UTC text (Date#toISOString): they compare as strings,
-- as in the embedded store, and read back exactly as written. Text sorts bytewise (COLLATE "C"),
-- as JavaScript compares strings, whatever the database's locale.

CREATE TABLE actors (
  id text COLLATE "C" PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  members text[] NOT NULL,
  snapshot text COLLATE "C" NOT NULL,
  -- The version of the kind's machine that wrote the snapshot; null means 1.
  machine_version integer
);
-- listActors: newest first, alone or by kind and status; countActors: index-only by kind and status.
CREATE INDEX actors_newest ON actors (updated_at DESC, id DESC);
CREATE INDEX actors_kind_status ON actors (kind, status, updated_at DESC, id DESC);
CREATE INDEX actors_status ON actors (status, updated_at DESC, id DESC);
CREATE INDEX actors_members ON actors USING gin (members);
CREATE INDEX actors_machine_versions ON actors (kind, (coalesce(machine_version, 1)));

CREATE TABLE history (
  actor text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  entry json NOT NULL,
  PRIMARY KEY (actor, seq)
);

CREATE TABLE outbox (
  id text COLLATE "C" PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  actor text COLLATE "C" NOT NULL,
  recipient text COLLATE "C",
  payload text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  due_at text COLLATE "C" NOT NULL,
  attempts integer NOT NULL,
  delivered_at text COLLATE "C",
  last_error text COLLATE "C",
  -- A dead letter: its retry policy ran out; no longer due until staff retry it.
  dead_at text COLLATE "C",
  -- A claim: the node delivering the entry, and until when no other node takes it.
  lease_until text COLLATE "C",
  leased_by text COLLATE "C"
);
CREATE INDEX outbox_due ON outbox (due_at, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_actor_pending ON outbox (actor, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_recipient ON outbox (recipient, created_at DESC, id DESC) WHERE recipient IS NOT NULL;

CREATE TABLE reminders (
  id text COLLATE "C" PRIMARY KEY,
  actor text COLLATE "C" NOT NULL,
  event text COLLATE "C" NOT NULL,
  due_at text COLLATE "C" NOT NULL,
  lease_until text COLLATE "C",
  leased_by text COLLATE "C"
);
CREATE INDEX reminders_due ON reminders (due_at, id);

CREATE TABLE records (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  grp text COLLATE "C",
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
  node text COLLATE "C" NOT NULL,
  commits json NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commit_feed_xid ON commit_feed (xid, seq);
CREATE INDEX commit_feed_at ON commit_feed (at);
