-- 0004: match runs and their rankings (issue: matchmaking).
--
-- Every run is kept with its ranking and per-component scores, so that the
-- admin endpoint and `talentd match` can explain a proposal after the fact
-- and a closed job's results stay archived rather than deleted.

CREATE TABLE match_runs (
  id             bigserial PRIMARY KEY,
  ats_record_id  text        NOT NULL,
  job_id         bigint      REFERENCES normalized_jobs ON DELETE SET NULL,
  trigger        text        NOT NULL,  -- sourcing, initial_recruiting, start_matchmaking, admin, cli
  candidates     integer     NOT NULL,  -- candidates in the index when ranked
  proposed       integer     NOT NULL,
  duration_ms    double precision NOT NULL,
  written        boolean     NOT NULL DEFAULT false, -- the ATS PATCH was sent
  archived       boolean     NOT NULL DEFAULT false,
  summary        text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_runs_ats ON match_runs (ats_record_id, id DESC);

CREATE TABLE matches (
  run_id            bigint  NOT NULL REFERENCES match_runs ON DELETE CASCADE,
  rank              integer NOT NULL,
  talent_record_id  text    NOT NULL,
  score             double precision NOT NULL,
  components        jsonb   NOT NULL,
  PRIMARY KEY (run_id, rank)
);
CREATE INDEX matches_talent ON matches (talent_record_id);
