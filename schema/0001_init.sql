-- 0001: the durable intake and the task queue (contract §4.1, §5).
--
-- events: one row per accepted webhook, keyed by its webhook-id (the
--   sender's idempotency key).  body_sha256 tells a replay of the same event
--   (200) from a different event reusing the id (409).
-- tasks: the queue.  Claimed with FOR UPDATE SKIP LOCKED by claim_task();
--   two invariants are enforced by unique indexes, not by application code:
--   at most one running task per key, and at most one identical queued task.

CREATE TYPE task_state AS ENUM ('queued', 'running', 'retry', 'done', 'dead');

CREATE TABLE tasks (
  id            bigserial PRIMARY KEY,
  kind          text        NOT NULL,
  key           text        NOT NULL,
  payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  state         task_state  NOT NULL DEFAULT 'queued',
  attempts      integer     NOT NULL DEFAULT 0,
  max_attempts  integer     NOT NULL DEFAULT 8,
  merged        integer     NOT NULL DEFAULT 0,
  run_at        timestamptz NOT NULL DEFAULT now(),
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  lease_until   timestamptz,
  locked_by     text,
  last_error    text
) WITH (fillfactor = 90);

-- Claim path: only live rows are indexed, so the index stays small however
-- many done rows wait for the pruner.
CREATE INDEX tasks_ready ON tasks (run_at, id) WHERE state IN ('queued', 'retry');
-- Same key never runs twice at once (a second UPDATE to running fails).
CREATE UNIQUE INDEX tasks_one_running_per_key ON tasks (key) WHERE state = 'running';
-- Identical queued tasks merge (INSERT .. ON CONFLICT on this index).
CREATE UNIQUE INDEX tasks_merge ON tasks (kind, key, md5(payload::text)) WHERE state = 'queued';
CREATE INDEX tasks_lease ON tasks (lease_until) WHERE state = 'running';
CREATE INDEX tasks_state_id ON tasks (state, id DESC);
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE state = 'done';

ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                       autovacuum_analyze_scale_factor = 0.05);

CREATE TABLE events (
  id           text        PRIMARY KEY,
  body_sha256  bytea       NOT NULL,
  type         text        NOT NULL,
  record_id    text        NOT NULL,
  body         jsonb       NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  task_id      bigint
);
CREATE INDEX events_received ON events (received_at);

-- Insert a task, or merge it into an identical queued one.  Returns the id.
-- NOTIFY takes a database-wide lock at commit, so callers that queue at a
-- high rate pass p_notify = false for most calls (see hook_airtable.c).
CREATE FUNCTION enqueue_task(p_kind text, p_key text, p_payload jsonb, p_max_attempts integer,
                             p_run_at timestamptz, p_notify boolean DEFAULT true)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  tid bigint;
BEGIN
  INSERT INTO tasks (kind, key, payload, max_attempts, run_at)
  VALUES (p_kind, p_key, coalesce(p_payload, '{}'::jsonb), p_max_attempts, coalesce(p_run_at, now()))
  ON CONFLICT (kind, key, md5(payload::text)) WHERE state = 'queued'
  DO UPDATE SET merged = tasks.merged + 1, run_at = least(tasks.run_at, excluded.run_at)
  RETURNING id INTO tid;
  IF p_notify THEN
    PERFORM pg_notify('talentd_tasks', '');
  END IF;
  RETURN tid;
END $$;

-- Store one webhook event and its task in the caller's transaction.
-- result: 'accepted' (task_id set), 'duplicate' (same body), 'conflict'.
CREATE FUNCTION accept_event(p_id text, p_sha bytea, p_type text, p_record text, p_body jsonb,
                             p_notify boolean, OUT result text, OUT task_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  old_sha bytea;
BEGIN
  INSERT INTO events (id, body_sha256, type, record_id, body)
  VALUES (p_id, p_sha, p_type, p_record, p_body)
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT e.body_sha256, e.task_id INTO old_sha, task_id FROM events e WHERE e.id = p_id;
    result := CASE WHEN old_sha = p_sha THEN 'duplicate' ELSE 'conflict' END;
    RETURN;
  END IF;
  task_id := enqueue_task(p_type, p_record, '{}'::jsonb, 8, now(), p_notify);
  UPDATE events SET task_id = accept_event.task_id WHERE id = p_id;
  result := 'accepted';
END $$;

-- Claim the oldest ready task whose key is not running elsewhere.  The
-- unique index tasks_one_running_per_key turns a same-key race into a
-- unique_violation, which skips that row.
CREATE FUNCTION claim_task(p_worker text, p_lease_seconds integer)
RETURNS SETOF tasks LANGUAGE plpgsql AS $$
DECLARE
  cand record;
  t tasks;
BEGIN
  FOR cand IN
    SELECT id FROM tasks
    WHERE state IN ('queued', 'retry') AND run_at <= now()
    ORDER BY run_at, id
    LIMIT 32
    FOR UPDATE SKIP LOCKED
  LOOP
    BEGIN
      UPDATE tasks
         SET state = 'running', attempts = attempts + 1, started_at = now(),
             lease_until = now() + make_interval(secs => p_lease_seconds), locked_by = p_worker
       WHERE id = cand.id
      RETURNING * INTO t;
      RETURN NEXT t;
      RETURN;
    EXCEPTION WHEN unique_violation THEN
      CONTINUE;
    END;
  END LOOP;
  RETURN;
END $$;
