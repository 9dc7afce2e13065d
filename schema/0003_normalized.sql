-- 0003: normalized candidates and jobs (issue: normalization).
--
-- Each row keeps the raw Airtable input (raw) so that `talentd sync` can
-- re-derive everything after the normalizer improves, the hash of that
-- input (source_hash) so that a re-run skips unchanged records, and the
-- normalized model twice: as columns for people and SQL, and as the
-- engine's own binary form (model_bin, valid while model_layout matches
-- the running binary) so that `serve` loads 100k candidates without
-- re-normalizing them.  rev orders changes, so a process can pull only the
-- rows changed since its last look.

CREATE SEQUENCE normalized_rev;

CREATE TABLE normalized_candidates (
  airtable_record_id text PRIMARY KEY,
  name               text,
  title              text,
  seniority          text,
  years              double precision,
  role_family        text,
  city               text,
  country            text,
  timezone           text,
  work_pref          text,
  salary             double precision,
  currency           text,
  cv_text            text,            -- text used (CV Text field and/or extracted CV files)
  raw                jsonb   NOT NULL, -- the Airtable fields read
  source_hash        text    NOT NULL, -- sha256 of raw + normalizer version
  model_layout       bigint  NOT NULL,
  model_bin          bytea   NOT NULL,
  model_text         text,             -- the engine's similarity text
  written            jsonb,            -- the (N) values Airtable holds after our last write
  deleted            boolean NOT NULL DEFAULT false,
  rev                bigint  NOT NULL DEFAULT nextval('normalized_rev'),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX normalized_candidates_rev ON normalized_candidates (rev);

CREATE TABLE candidate_skills (
  airtable_record_id text     NOT NULL REFERENCES normalized_candidates ON DELETE CASCADE,
  skill              text     NOT NULL,
  rating             smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  source             text     NOT NULL, -- listed, cv, listed+cv, adjusted
  at_work            boolean  NOT NULL DEFAULT false,
  aspirational       boolean  NOT NULL DEFAULT false,
  last_year          smallint,
  PRIMARY KEY (airtable_record_id, skill)
);
CREATE INDEX candidate_skills_skill ON candidate_skills (skill);

-- One row per company (ats_record_id NULL: the Customers STT record alone)
-- and one per ATS position once matched (the position's own title and
-- profile overlaid on the company's description).
CREATE TABLE normalized_jobs (
  id                 bigserial PRIMARY KEY,
  customer_record_id text   NOT NULL,
  ats_record_id      text,
  company            text,
  title              text,
  seniority          text,
  min_years          double precision,
  city               text,
  country            text,
  remote_policy      text,
  remote_region      text,
  salary_min         double precision,
  salary_max         double precision,
  currency           text,
  raw                jsonb  NOT NULL,
  source_hash        text   NOT NULL,
  written            jsonb,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (customer_record_id, ats_record_id)
);
CREATE INDEX normalized_jobs_ats ON normalized_jobs (ats_record_id);

CREATE TABLE job_skills (
  job_id    bigint  NOT NULL REFERENCES normalized_jobs ON DELETE CASCADE,
  skill     text    NOT NULL,
  kind      text    NOT NULL CHECK (kind IN ('required', 'nice')),
  alt_group smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (job_id, skill)
);

-- Backfill bookkeeping: the last completed run per table, for progress
-- estimates and the operator's curiosity.
CREATE TABLE sync_runs (
  id          bigserial PRIMARY KEY,
  table_name  text        NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  read        integer NOT NULL DEFAULT 0,
  changed     integer NOT NULL DEFAULT 0,
  written     integer NOT NULL DEFAULT 0,
  skipped     integer NOT NULL DEFAULT 0,
  interrupted boolean NOT NULL DEFAULT false
);
