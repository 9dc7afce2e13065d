-- 0005: the Job Status state machine (contract §6; the seed's sensor cursor).
--
-- ats_jobs holds the last status talentd saw for every ATS record, when it
-- changed and what saw it (an event's task or a reconciliation poll), and
-- whether the job is paused (On Hold) or archived (closed / disqualified).

CREATE TABLE ats_jobs (
  ats_record_id      text PRIMARY KEY,
  status             text,
  status_changed_at  timestamptz,
  status_source      text,
  paused             boolean NOT NULL DEFAULT false,
  archived           boolean NOT NULL DEFAULT false,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ats_status_history (
  id             bigserial PRIMARY KEY,
  ats_record_id  text NOT NULL,
  from_status    text,
  to_status      text,
  source         text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ats_status_history_ats ON ats_status_history (ats_record_id, id);

-- Where each candidate was before an On Hold move, so nothing is lost.
CREATE TABLE on_hold_placements (
  id                bigserial PRIMARY KEY,
  ats_record_id     text NOT NULL,
  talent_record_id  text NOT NULL,
  stage_column      text NOT NULL,
  moved_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX on_hold_placements_ats ON on_hold_placements (ats_record_id);

-- Positive outcomes for learning.
CREATE TABLE hires (
  ats_record_id     text NOT NULL,
  talent_record_id  text NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  source            text NOT NULL,
  PRIMARY KEY (ats_record_id, talent_record_id)
);
