/* matchrun — one matchmaking run for an ATS job, end to end (contract §7.3).
 *
 * Read the ATS record (one GET, unless the caller already has it), resolve
 * Company -> the Customers STT record (one GET) and normalize the position
 * (ATS title and SMART profile over the company's description), refresh the
 * in-memory index from the store, exclude candidates already placed in any
 * other stage column or rejected for this job, rank, store a match_runs row
 * with its matches, re-check the Job Status (one GET: an On Hold that landed
 * during the run wins), and write Potential Talent Fit AI, AI PROPOSTED
 * CANDIDATES and MATCHED CANDIDATES in one PATCH -- only when they differ
 * from what the record holds.  At most four Airtable requests. */
#ifndef TD_MATCHRUN_H
#define TD_MATCHRUN_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "app.h"
#include "err.h"
#include "match.h"
#include "model.h"

typedef enum mr_trigger {
  MR_SOURCING = 0,
  MR_INITIAL_RECRUITING,
  MR_START_MATCHMAKING,
  MR_ADMIN,
  MR_CLI,
} mr_trigger;

const char *mr_trigger_name(mr_trigger t);

typedef struct mr_options {
  mr_trigger trigger;
  int dry_run;          /* rank and report only: no store, no Airtable write */
  int ignore_pause;     /* the caller (a status transition) already decided */
  const cJSON *ats_record; /* already fetched {"id","fields"}, or NULL */
} mr_options;

typedef struct mr_outcome {
  long long run_id;            /* 0 when dry-run */
  size_t n;
  match_result *results;       /* n results, best first */
  char **names;                /* n names (may be NULL entries) */
  model_job job;               /* the normalized position (text owned) */
  size_t candidates;           /* candidates in the index */
  size_t excluded;
  int patched;                 /* 1 when the ATS PATCH was sent */
  int requests;                /* Airtable requests made */
  double ms;                   /* ranking time */
  char refused[160];           /* why nothing was written, when refused */
} mr_outcome;

/* Run matchmaking for ats_record_id.  TD_ERR_REFUSED (with out->refused set)
 * when the job is paused or archived, or its status turned inactive during
 * the run; other errors as the Airtable client and the database give them. */
td_err mr_run(td_app *app, PGconn *c, const char *ats_record_id, const mr_options *o,
              mr_outcome *out, char *err, size_t errlen);
void mr_outcome_free(mr_outcome *o);

/* The contract's summary formats. */
int mr_format_proposed(char *const *names, const match_result *r, size_t n, char *buf, size_t len);
int mr_format_matched(size_t n, time_t when, char *buf, size_t len);

/* Paused / archived flags of an ATS job (both 0 when unknown). */
td_err mr_job_flags(PGconn *c, const char *ats_record_id, int *paused, int *archived);

/* 1 for the statuses in which a job takes matchmaking triggers. */
int mr_status_active(const char *status);
/* 1 for On Hold / Position closed / Disqualified. */
int mr_status_blocks(const char *status);

/* The stored ranking of the latest run as JSON ({"run":{…},"matches":[…]});
 * TD_ERR_NOT_FOUND when the job never ran. */
td_err mr_stored_ranking(PGconn *c, const char *ats_record_id, cJSON **out);

/* Load (or refresh) the app's index from the store. */
td_err mr_refresh_index(td_app *app, PGconn *c);

/* Defaults, then TALENTD_WEIGHT_{SKILLS,TEXT,FEEDBACK,EXPERIENCE,ROLE,
 * LOCATION,SALARY} and TALENTD_SALARY_FAIL_RATIO from the environment.
 * Returns -1 with "config: VAR: reason" in err on a bad value. */
int mr_weights_from_env(match_weights *w, char *err, size_t errlen);

#endif
