-- 0002 — the shared Airtable rate budget (contract §3).
--
-- Airtable allows 5 requests per second per base, counted across every client
-- of the base.  `talentd serve` and a `talentd sync` beside it are different
-- processes, so the budget lives here: each request start is claimed by
-- airtable_rate_claim() under a per-base advisory lock, and a 429 sets a
-- penalty that every process honours.  Times come from the database server's
-- clock so that processes on different hosts agree.

CREATE TABLE airtable_rate (
  base_id    text        NOT NULL,
  started_at timestamptz NOT NULL
);
CREATE INDEX airtable_rate_base_started ON airtable_rate (base_id, started_at DESC);

CREATE TABLE airtable_rate_penalty (
  base_id text        PRIMARY KEY,
  until   timestamptz NOT NULL
);

-- Claim one request start for p_base when fewer than p_n starts fall in the
-- last p_window seconds and no penalty is running.  Returns 0 when claimed,
-- otherwise the seconds to wait before asking again (nothing is recorded).
CREATE FUNCTION airtable_rate_claim(p_base text, p_n integer, p_window double precision)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  t   timestamptz;
  pen timestamptz;
  nth timestamptz;
BEGIN
  -- The lock is held until the calling transaction commits, so the next
  -- claimer sees our insert; keep the caller's transaction short.
  PERFORM pg_advisory_xact_lock(hashtextextended('talentd.airtable_rate:' || p_base, 0));
  -- Read the clock after the lock: time spent queueing for it must count.
  t := clock_timestamp();
  SELECT until INTO pen FROM airtable_rate_penalty WHERE base_id = p_base;
  IF pen IS NOT NULL AND pen > t THEN
    RETURN extract(epoch FROM pen - t);
  END IF;
  SELECT started_at INTO nth FROM airtable_rate WHERE base_id = p_base
    ORDER BY started_at DESC OFFSET p_n - 1 LIMIT 1;
  IF nth IS NOT NULL AND nth + make_interval(secs => p_window) > t THEN
    RETURN greatest(extract(epoch FROM nth + make_interval(secs => p_window) - t), 0.001);
  END IF;
  INSERT INTO airtable_rate (base_id, started_at) VALUES (p_base, t);
  DELETE FROM airtable_rate
   WHERE base_id = p_base AND started_at < t - make_interval(secs => greatest(60, 2 * p_window));
  RETURN 0;
END $$;

-- Hold every request to p_base for p_seconds from now (a longer running
-- penalty is kept).
CREATE FUNCTION airtable_rate_penalize(p_base text, p_seconds double precision)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO airtable_rate_penalty (base_id, until)
  VALUES (p_base, clock_timestamp() + make_interval(secs => p_seconds))
  ON CONFLICT (base_id) DO UPDATE
    SET until = greatest(airtable_rate_penalty.until, EXCLUDED.until);
$$;
