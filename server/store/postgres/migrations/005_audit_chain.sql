-- The audit chain (issue 16): each actor row keeps the hash of its latest history entry (the
-- entries themselves carry `prev_hash` and `hash` inside their JSON), so the next command links
-- to it and verification can tell a deleted last entry. trustwire_commit as in 004, also writing
-- that column and, like 004, the member-search column (this is the last definition).
ALTER TABLE actors ADD COLUMN history_head text COLLATE "C";

CREATE OR REPLACE FUNCTION trustwire_commit(batch json, node text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  c json;
  a json;
  expected integer;
  found_version integer;
  conflict text;
  done json[] := '{}';
  answers json[] := '{}';
BEGIN
  FOR c IN SELECT * FROM json_array_elements(batch) LOOP
    BEGIN
      FOR a IN SELECT * FROM json_array_elements(c->'actors') LOOP
        expected := (a->>'expected_version')::integer;
        IF expected = 0 THEN
          INSERT INTO actors SELECT * FROM json_populate_record(NULL::actors, a->'actor') ON CONFLICT (id) DO NOTHING;
        ELSE
          UPDATE actors SET (kind, status, version, created_at, updated_at, members, snapshot, machine_version, search, history_head) =
            (SELECT r.kind, r.status, r.version, r.created_at, r.updated_at, r.members, r.snapshot, r.machine_version, r.search, r.history_head FROM json_populate_record(NULL::actors, a->'actor') r)
          WHERE id = a->'actor'->>'id' AND version = expected;
        END IF;
        IF NOT FOUND THEN
          SELECT version INTO found_version FROM actors WHERE id = a->'actor'->>'id';
          RAISE EXCEPTION 'version conflict' USING ERRCODE = 'TW409',
            DETAIL = json_build_object('actor', a->'actor'->>'id', 'expected', expected, 'actual', coalesce(found_version, 0))::text;
        END IF;
      END LOOP;

      INSERT INTO history (actor, seq, entry)
        SELECT e->>'actor', (e->>'seq')::integer, e FROM json_array_elements(c->'history') e
        ON CONFLICT (actor, seq) DO UPDATE SET entry = EXCLUDED.entry;

      INSERT INTO outbox SELECT * FROM json_populate_recordset(NULL::outbox, c->'outbox')
        ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, actor = EXCLUDED.actor, recipient = EXCLUDED.recipient,
          payload = EXCLUDED.payload, created_at = EXCLUDED.created_at, due_at = EXCLUDED.due_at, attempts = EXCLUDED.attempts,
          delivered_at = EXCLUDED.delivered_at, last_error = EXCLUDED.last_error, dead_at = EXCLUDED.dead_at,
          lease_until = NULL, leased_by = NULL;

      -- Cancels first: a commit that cancels and sets one id keeps the new reminder.
      DELETE FROM reminders WHERE id IN (SELECT json_array_elements_text(c->'cancel_reminders'));
      INSERT INTO reminders (id, actor, event, due_at)
        SELECT r.id, r.actor, r.event, r.due_at FROM json_populate_recordset(NULL::reminders, c->'reminders') r
        ON CONFLICT (id) DO UPDATE SET actor = EXCLUDED.actor, event = EXCLUDED.event, due_at = EXCLUDED.due_at, lease_until = NULL, leased_by = NULL;

      INSERT INTO records (collection, id, grp, value)
        SELECT r->>'collection', r->>'id', r->>'group', r->'value' FROM json_array_elements(c->'records') WITH ORDINALITY AS e(r, n) ORDER BY n
        ON CONFLICT (collection, id) DO UPDATE SET grp = EXCLUDED.grp, value = EXCLUDED.value;

      done := done || c;
      answers := answers || 'null'::json;
    EXCEPTION WHEN SQLSTATE 'TW409' THEN
      GET STACKED DIAGNOSTICS conflict = PG_EXCEPTION_DETAIL;
      answers := answers || json_build_object('conflict', conflict::json);
    END;
  END LOOP;
  IF array_length(done, 1) > 0 THEN
    INSERT INTO commit_feed (node, commits) VALUES (node, array_to_json(done));
    PERFORM pg_notify('trustwire_commits', node || ' ' || pg_current_xact_id()::text);
  END IF;
  RETURN array_to_json(answers);
END;
$$;
