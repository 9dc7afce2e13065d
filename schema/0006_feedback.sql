-- 0006: recruiter feedback (issue: feedback).
--
-- stage_snapshots is the last seen content of every stage column of every
-- ATS record; a diff against it yields feedback_events (who entered or left
-- which column).  feedback_lines remembers every Feedback-field line already
-- handled, so a line is applied once; skill_adjustments is the audit trail.

CREATE TABLE stage_snapshots (
  ats_record_id     text NOT NULL,
  stage_column      text NOT NULL,
  talent_record_id  text NOT NULL,
  seen_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ats_record_id, stage_column, talent_record_id)
);

CREATE TABLE feedback_events (
  id                bigserial PRIMARY KEY,
  ats_record_id     text NOT NULL,
  talent_record_id  text NOT NULL,
  stage_column      text NOT NULL,
  direction         text NOT NULL CHECK (direction IN ('entered', 'left')),
  signal            text NOT NULL,
  source            text NOT NULL,
  at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_events_ats ON feedback_events (ats_record_id, at);
CREATE INDEX feedback_events_talent ON feedback_events (talent_record_id);

CREATE TABLE feedback_lines (
  line_hash      text PRIMARY KEY,
  ats_record_id  text NOT NULL,
  line           text NOT NULL,
  status         text NOT NULL, -- applied, malformed, unresolved, ambiguous
  reason         text,
  seen_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE skill_adjustments (
  id                bigserial PRIMARY KEY,
  talent_record_id  text NOT NULL,
  skill             text NOT NULL,
  delta             smallint NOT NULL,
  old_rating        smallint,
  new_rating        smallint NOT NULL,
  line_hash         text REFERENCES feedback_lines,
  ats_record_id     text,
  source            text NOT NULL,
  at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skill_adjustments_talent ON skill_adjustments (talent_record_id);
