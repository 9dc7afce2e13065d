/* match — the matchmaking engine: an in-memory candidate index and a ranking
 * of it against one normalized job, with a per-result explanation.
 *
 * Pure: no I/O and no globals other than read-only tables; the clock is read
 * only when the caller leaves the reference year at 0.  The service builds one index from the
 * normalized Talent table, keeps it current with match_index_put() and
 * match_index_remove(), and calls match_run() per job from any thread.
 *
 * Scoring in one paragraph (details and the why in match.c):
 *   hard filters   exclusion set, work arrangement, salary ceiling; each is
 *                  pass / fail / unknown and only "fail" removes a candidate;
 *   relevance      weighted mean of skills, text (BM25) and, when the caller
 *                  gives feedback, the feedback component;
 *   fit factors    experience, role family, location, salary: each value v in
 *                  [0,1] scales the score by 1 - w * (1 - v); an unknown value
 *                  is a factor of exactly 1, so missing data neither earns nor
 *                  costs;
 *   score          relevance * product of factors, in [0,1].
 * An empty profile has no relevance and scores 0, never a flattering 45%. */
#ifndef TD_MATCH_H
#define TD_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

struct cJSON;

#define MATCH_DEFAULT_TOP_N 20
#define MATCH_MAX_TOP_N 1000

/* ---- weights ------------------------------------------------------------ */

/* Every weight is a plain number so that the service can read them from the
 * environment; match_weights_default() documents the defaults and why. */
typedef struct match_weights {
  /* relevance: weights of a weighted mean (only their ratios matter) */
  double skills;            /* default 0.75 */
  double text;              /* default 0.25 */
  double feedback;          /* default 0.20, used only when feedback is given */
  /* fit factors: strength in [0,1]; a value v scales by 1 - w * (1 - v) */
  double experience;        /* default 0.70 */
  double role;              /* default 0.75 */
  double location;          /* default 0.60 */
  double salary;            /* default 0.60 */
  /* inside the skills component */
  double nice_share;        /* share of the skills score from nice-to-haves, 0.15 */
  /* hard filter: a desired salary above ratio * job max (after FX) fails */
  double salary_fail_ratio; /* default 1.5 */
  /* text: BM25 score / its upper bound is divided by this and capped at 1 */
  double text_scale;        /* default 0.30 */
} match_weights;

void match_weights_default(match_weights *w);

/* ---- feedback (Rocchio) ------------------------------------------------- */

/* A sparse skill vector: canonical names and values (e.g. rating / 5). */
typedef struct match_skill_vec {
  const char *const *names;
  const float *values;
  size_t n;
} match_skill_vec;

/* One recruiter move: the moved candidate's skills and a signed weight
 * (+ shortlisted / hired, - rejected, scaled by reason and age). */
typedef struct match_feedback_example {
  const model_skill *skills;  /* value of each skill = rating / 5 (0 -> 0.6) */
  int n_skills;
  double weight;
} match_feedback_example;

/* Either or both: the engine sums delta + sum(w_i * x_i) / sum(|w_i|) into
 * one query delta q; the feedback component of a candidate with skill vector
 * x is 0.5 + 0.5 * cos(x, q), so 0.5 is neutral and the component is in
 * [0,1].  Without any feedback the component is unknown and weighs 0. */
typedef struct match_feedback {
  const match_feedback_example *examples;
  size_t n_examples;
  match_skill_vec delta;      /* precomputed query delta; n = 0 if none */
} match_feedback;

/* ---- the index ---------------------------------------------------------- */

/* Thread safety: one writer and many readers at a time (an rwlock that
 * prefers writers).  match_run() takes the read lock per chunk of candidates,
 * never for a whole run, so a put/remove waits at most one chunk. */
typedef struct match_index match_index;

td_err match_index_new(match_index **out);
void match_index_free(match_index *ix);

/* Add the candidate, or replace the one with the same record_id.  The index
 * keeps its own compact copy; `c` may be freed afterwards.
 * TD_ERR_INVALID when record_id is empty, TD_ERR_NOMEM. */
td_err match_index_put(match_index *ix, const model_candidate *c);

/* Put each of n candidates; stops at the first error. */
td_err match_index_put_all(match_index *ix, const model_candidate *c, size_t n);

/* TD_ERR_NOT_FOUND when no candidate has that record id. */
td_err match_index_remove(match_index *ix, const char *record_id);

/* Candidates currently in the index. */
size_t match_index_count(match_index *ix);

/* 1 if the record id is in the index. */
int match_index_contains(match_index *ix, const char *record_id);

/* Bytes a match run reads (sum over the per-candidate arrays), and a
 * read-only pass over exactly those bytes: the benchmark times it as the
 * physical floor.  Returns a checksum so that the pass is not optimized out. */
size_t match_index_scan_bytes(match_index *ix);
uint64_t match_index_stream(match_index *ix);

/* ---- a run -------------------------------------------------------------- */

typedef struct match_query {
  const model_job *job;
  const char *const *exclude;     /* record ids never proposed for this job */
  size_t n_exclude;
  size_t top_n;                   /* 0 = MATCH_DEFAULT_TOP_N; capped at MAX */
  int ref_year;                   /* "now" for staleness; 0 = current year */
  const match_weights *weights;   /* NULL = defaults */
  const match_feedback *feedback; /* NULL = none */
} match_query;

typedef enum match_tri { MATCH_UNKNOWN = 0, MATCH_PASS = 1, MATCH_FAIL = 2 } match_tri;

enum match_component {
  MATCH_C_SKILLS = 0, MATCH_C_EXPERIENCE, MATCH_C_LOCATION, MATCH_C_SALARY,
  MATCH_C_TEXT, MATCH_C_ROLE, MATCH_C_FEEDBACK, MATCH_C__COUNT
};

enum match_filter { MATCH_F_EXCLUDED = 0, MATCH_F_WORK, MATCH_F_SALARY, MATCH_F__COUNT };

/* Why a candidate scored what it did.  Skill names point into the job's
 * skills array (valid while the model_job passed in the query lives). */
typedef struct match_explain {
  double value[MATCH_C__COUNT];   /* each in [0,1]; meaningful when known */
  uint8_t known[MATCH_C__COUNT];  /* 0 = unknown (neutral) */
  double relevance;               /* weighted mean of the relevance part */
  double factor[MATCH_C__COUNT];  /* multiplier applied (1 for relevance parts) */
  match_tri filter[MATCH_F__COUNT];
  int n_req_matched, n_nice_matched, n_req_missing;
  const char *req_matched[MODEL_MAX_SKILLS];
  const char *nice_matched[MODEL_MAX_SKILLS];
  const char *req_missing[MODEL_MAX_SKILLS];
} match_explain;

typedef struct match_result {
  char record_id[MODEL_ID_LEN];
  double score;                   /* [0,1]; shown as a whole percent */
  match_explain ex;
} match_result;

/* Rank the index for q->job.  `out` must hold top_n results; *n_out gets how
 * many were written, best first (score descending, then record id
 * ascending).  Same index and query -> same output.
 * TD_ERR_INVALID when q or q->job is NULL; TD_ERR_NOMEM. */
td_err match_run(match_index *ix, const match_query *q, match_result *out, size_t *n_out);

/* Score one candidate outside any index (tests, `talentd match --explain` of
 * a single record).  Filters apply; a failed filter gives score 0 with the
 * filter outcome in ex.  The index is only used for text statistics (IDF,
 * average length) and may be NULL (then every query term weighs 1). */
td_err match_score_one(match_index *ix, const match_query *q, const model_candidate *c,
                       match_result *out);

/* ---- rendering ---------------------------------------------------------- */

const char *match_component_name(int c);  /* "skills", "experience", ... */
const char *match_filter_name(int f);     /* "excluded", "work", "salary" */
const char *match_tri_name(match_tri t);  /* "unknown", "pass", "fail" */

/* {"id", "score", "percent", "components": {name: value|null},
 *  "factors": {...}, "filters": {...}, "skills": {"required_matched": [...],
 *  "nice_matched": [...], "required_missing": [...]}}; NULL on NOMEM. */
struct cJSON *match_result_json(const match_result *r);

/* One line for a human, e.g. "rec… 87% skills 0.92 exp 1.00 … missing: Go".
 * Always NUL-terminates; returns the length it wanted (snprintf style). */
int match_result_line(const match_result *r, char *buf, size_t size);

#endif
