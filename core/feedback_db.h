/* feedback_db — recruiter feedback stored in PostgreSQL (issue 7): the
 * ats.stages_changed task's storage side and what matchmaking reads back.
 *
 * Stage columns are stored under their default names (fields_info()->
 * default_name), so a TALENTD_FIELD_MAP rename does not split history.
 *
 * Stages: the current stage content of an ATS record is diffed against the
 * stored snapshot (fb_diff); every move becomes one feedback_events row and
 * the snapshot is replaced, all in one transaction under a per-record
 * advisory lock -- a replayed or duplicate event therefore records nothing.
 * `signal` of an `entered` row is fb_signal_name(fb_column_signal(column));
 * a `left` row carries "none" (leaving a column says nothing by itself: the
 * column entered says it).  The first look at a record (no
 * stage_snapshot_seen row) records the snapshot AND an `entered` event for
 * every candidate already placed, with source "first:<source>": rejections
 * made before talentd knew the record must still exclude and weigh.
 *
 * Feedback field: every non-prose line (fb_parse_feedback) is inserted into
 * feedback_lines keyed by its identity with ON CONFLICT DO NOTHING; only the
 * transaction that inserted it applies it, so a line is applied (or
 * reported) exactly once.  An OK line adjusts candidate_skills (source
 * "adjusted") and the stored binary model (model_bin, with a new rev so
 * every process's index picks it up), and logs each change in
 * skill_adjustments.  A negative change to a skill the candidate does not
 * have changes nothing (there is nothing to lower); a positive one adds the
 * skill at the new rating. */
#ifndef TD_FEEDBACK_DB_H
#define TD_FEEDBACK_DB_H

#include <libpq-fe.h>
#include <stddef.h>
#include <time.h>

#include "err.h"
#include "feedback.h"
#include "match.h"

/* The process's parameters: fb_params_default, plus
 * TALENTD_FEEDBACK_REJECT_LOWERS_SKILLS=1 (off by default). */
void fbdb_params(fb_params *p);

/* The stage column with that default name; -1 when none. */
int fbdb_column_by_name(const char *name);

typedef struct fbdb_stage_result {
  int first_sight;   /* no snapshot existed before */
  int moves;         /* feedback_events rows written */
  int entered;       /* of which `entered` */
  int rejections;    /* entered rows whose signal excludes (fb_signal_excludes) */
  int adjustments;   /* skill_adjustments rows from rejection decrements */
} fbdb_stage_result;

/* Diff `cur` (the full stage content of the record) against the snapshot,
 * record the moves with `source`, replace the snapshot -- one transaction.
 * With p->reject_lowers_skills, a new entry into Interview / Assignment
 * Rejected Talent also applies fb_rejection_decrements against the job's
 * stored required skills (source "rejection:<column>"), in the same
 * transaction. */
td_err fbdb_record_stages(PGconn *c, const char *ats_id, const fb_link *cur, size_t n_cur,
                          const char *source, const fb_params *p, fbdb_stage_result *res);

typedef struct fbdb_lines_result {
  int lines;          /* non-prose lines in the field */
  int fresh;          /* of which seen for the first time (applied or reported now) */
  int applied;        /* fresh OK lines */
  int reported;       /* fresh malformed / unresolved / ambiguous lines */
  int adjustments;    /* skill_adjustments rows written */
} fbdb_lines_result;

/* Apply the ATS record's Feedback text (NULL = empty).  Names resolve
 * against every stored candidate.  Metrics:
 * talentd_feedback_lines_total{status} for each fresh line. */
td_err fbdb_apply_feedback(PGconn *c, const char *ats_id, const char *text, const char *source,
                           fbdb_lines_result *res);

/* `Name (81%), Name (77%)`: the candidates proposed for this job in any
 * match run whose latest recruiter verdict (the last `entered` event with a
 * progress, hired, not-a-fit or rejected signal) is not-a-fit or a stage
 * rejection, oldest rejection first, each with the score of its latest
 * proposal.  A candidate who declined the job is not listed: that is the
 * candidate's choice, not a rejected proposal.  "" when none.  Caller frees. */
td_err fbdb_rejected_proposed(PGconn *c, const char *ats_id, char **out);

/* The job's feedback for match_query.feedback. */
typedef struct fbdb_feedback {
  match_feedback fb;                 /* fb.n_examples == 0: pass NULL */
  match_feedback_example *examples;  /* owned */
  model_skill *skills;               /* owned, shared by the examples */
  size_t n_weights;                  /* candidates with a nonzero weight */
} fbdb_feedback;

/* feedback_events of this job (entered) -> fb_build -> each weighted
 * candidate's skills (candidate_skills) -> examples.  Candidates without
 * stored skills are left out. */
td_err fbdb_feedback_for_job(PGconn *c, const char *ats_id, time_t now, const fb_params *p,
                             fbdb_feedback *out);
void fbdb_feedback_free(fbdb_feedback *f);

#endif
