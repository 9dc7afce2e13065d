-- 0009: recruiter feedback, integration (issue 7).
--
-- stage_snapshot_seen tells "never looked at this ATS record" apart from
-- "looked, and every stage column was empty": stage_snapshots alone cannot.
-- The first look records the snapshot and an `entered` event for everyone
-- already placed (source marked "first:"), so rejections made before
-- talentd knew the record still count.

CREATE TABLE stage_snapshot_seen (
  ats_record_id  text PRIMARY KEY,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now()
);

-- exclusions, the REJECTED PROPOSTED CANDIDATES summary and the report
-- look events up per (job, candidate)
CREATE INDEX feedback_events_job_talent ON feedback_events (ats_record_id, talent_record_id);
CREATE INDEX skill_adjustments_line ON skill_adjustments (line_hash);
