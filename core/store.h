/* store — PostgreSQL access for normalized candidates and jobs (schema 0003).
 *
 * Candidates are stored three ways (see the schema): columns, the raw input,
 * and the engine's binary model.  store_candidates_pull() is how a process
 * keeps an in-memory match_index current: it applies every row changed since
 * the revision it last saw.  All functions use the caller's connection and
 * run in autocommit unless documented. */
#ifndef TD_STORE_H
#define TD_STORE_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "err.h"
#include "match.h"
#include "model.h"

/* The stored binary form of a model (model_bin): its fields without the
 * unused skill slots and without the text pointer.  pack returns the length
 * written (0 when cap is too small; sizeof(model_candidate) always fits);
 * unpack returns 0, or -1 for bytes of another length or layout, and leaves
 * out->text NULL. */
size_t store_model_pack(const model_candidate *m, unsigned char *buf, size_t cap);
int store_model_unpack(const void *data, size_t len, model_candidate *out);

/* Identifies the binary layout of model_candidate in this build. */
long long store_model_layout(void);

/* What a sync needs to decide whether a record changed: the stored source
 * hash and the (N) values last known to be in Airtable.  TD_ERR_NOT_FOUND
 * when the record was never stored.  *written may be NULL (caller frees). */
td_err store_candidate_state(PGconn *c, const char *record_id, char hash[65], cJSON **written);

/* Insert or replace a candidate (columns, skills, raw input, model) in one
 * transaction.  raw_json is the JSON text of the Airtable fields read;
 * written_json the (N) values Airtable holds (NULL = unknown). */
td_err store_candidate_upsert(PGconn *c, const model_candidate *m, const char *cv_text,
                              const char *raw_json, const char *source_hash,
                              const char *written_json);
td_err store_candidate_set_written(PGconn *c, const char *record_id, const char *written_json);
/* The record is gone from Airtable: keep the row, flagged deleted (a new
 * revision, so store_candidates_pull removes it from indexes).  A row never
 * stored is not an error. */
td_err store_candidate_mark_deleted(PGconn *c, const char *record_id);

/* Where a process's index stands: the highest revision applied and the
 * database time of the last look.  Start with {0, 0}. */
typedef struct store_pull {
  long long rev;
  double at;
} store_pull;

/* Seconds a pull looks back for rows committed after a higher revision. */
#define STORE_PULL_LOOKBACK 60.0

/* Apply every row changed since the last pull to ix (put, or remove when
 * deleted) and move st forward.  Rows whose model_layout differs from this
 * build are skipped and counted in *stale (a `talentd sync` re-derives
 * them).  Revisions are drawn before commit, so a row can become visible
 * after a higher one: the pull also re-reads rows updated shortly before
 * its previous look (puts are idempotent). */
td_err store_candidates_pull(PGconn *c, match_index *ix, store_pull *st, int *applied, int *stale);

/* Names of candidates by record id, in the order given (NULL entries for
 * unknown ids).  Caller frees each name and the array. */
td_err store_candidate_names(PGconn *c, const char *const *ids, size_t n, char ***names);

/* All (record id, name) pairs; for resolving names typed by recruiters. */
td_err store_candidate_directory(PGconn *c, char ***ids, char ***names, size_t *n);

/* Load one candidate's model (NULL text) from the store. */
td_err store_candidate_model(PGconn *c, const char *record_id, model_candidate *out);

/* Jobs: ats_record_id NULL for the company-level row. */
td_err store_job_state(PGconn *c, const char *customer_id, const char *ats_id, char hash[65],
                       cJSON **raw, cJSON **written);
td_err store_job_upsert(PGconn *c, const model_job *j, const char *company, const char *raw_json,
                        const char *source_hash, const char *written_json, long long *job_id);
td_err store_job_set_written(PGconn *c, const char *customer_id, const char *ats_id,
                             const char *written_json);
/* Delete a job row (and its skills); ats_id NULL = the company-level row.
 * A missing row is not an error. */
td_err store_job_delete(PGconn *c, const char *customer_id, const char *ats_id);

/* Apply a recruiter's skill correction to a model: the skill's rating
 * moves by delta within 1..5; a raise of a skill the model lacks adds it
 * (listed), a lowering of one it lacks does nothing.  Returns the new
 * rating, 0 when nothing changed; *old_rating is 0 when the skill was
 * absent.  Also replayed by store_candidate_upsert, so corrections survive
 * re-normalization. */
int store_model_adjust(model_candidate *m, const char *skill, int delta, int *old_rating);

/* sha256 hex of the given parts (NULL parts count as empty), NUL-terminated. */
void store_hash(char out[65], const char *const *parts, int n);

#endif
