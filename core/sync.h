/* sync — the flows around the normalizer (issue 4): read a Talent or
 * Customers STT record, normalize it, store it, and write its `(N)` fields
 * back to Airtable when they differ from what the record holds.
 *
 * One code path serves the `talent.updated` / `customer.updated` tasks (one
 * record, written at once, always re-normalized) and `talentd sync` (every
 * record, PATCHes batched 10 records per request, records whose input hash
 * and (N) values are unchanged skipped without normalizing).
 *
 * Decisions:
 *  - Airtable is the source of truth: the (N) values are compared with the
 *    record's current cells, not only with what we last wrote, so a
 *    recruiter's edit of an (N) cell is repaired and a write that already
 *    landed is never repeated.
 *  - source_hash = sha256(SYNC_NORM_VERSION, the raw input fields, CV
 *    attachment ids/sizes — never their expiring URLs).  Bump
 *    SYNC_NORM_VERSION when the normalizer's output changes.
 *  - `written` holds the (N) values Airtable holds after our last write; it
 *    is set to JSON null while a write is pending, so an interrupted run
 *    re-derives those records on the next run.
 *  - Unknown normalized values clear a stale (N) cell (null is sent only
 *    when the cell has a value). */
#ifndef TD_SYNC_H
#define TD_SYNC_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <signal.h>

#include "airtable.h"
#include "cfg.h"
#include "cvfetch.h"
#include "err.h"

#define SYNC_NORM_VERSION "norm-8"

typedef enum sync_table { SYNC_TALENT = 0, SYNC_CUSTOMERS = 1 } sync_table;

typedef struct sync_stats {
  long read;          /* records seen */
  long changed;       /* normalized and stored with a new input hash */
  long unchanged;     /* skipped: same input, (N) cells already right */
  long written;       /* records whose (N) fields were PATCHed */
  long requests;      /* PATCH requests sent */
  long write_failed;  /* records Airtable refused to update (skipped) */
  long invalid;       /* records skipped as unreadable */
  long deleted;       /* records gone from Airtable (tasks) */
  long cv_failed;     /* CV attachments that could not be read (skipped) */
} sync_stats;

typedef struct sync_ctx {
  at_client *at;
  PGconn *db;
  const td_config *cfg;
  int ref_year, ref_month;  /* the normalizer's "present" (UTC) */
  int batch;                /* 1: buffer PATCHes up to 10 records; 0: write at once */
  int force;                /* 1: normalize and store even when the input is unchanged */
  cvf_options cvf;
  sync_stats st;
  /* pending writes of one table */
  sync_table pend_table;
  cJSON *pend;              /* array of {"id","fields"} */
  char *pend_written[AT_MAX_BATCH];
  int n_pend;
} sync_ctx;

/* Set up a context (ref year/month = now, UTC).  Never fails. */
void sync_init(sync_ctx *s, at_client *at, PGconn *db, const td_config *cfg, int batch);
/* Free what is pending without writing it. */
void sync_done(sync_ctx *s);

/* The Airtable table id and the field names to read for a table. */
const char *sync_table_id(const sync_ctx *s, sync_table t);
const char *sync_table_name(sync_table t);
const char *const *sync_read_fields(sync_table t, size_t *n);

/* Process one record as listed or read ({"id","fields"}).  Errors: database
 * errors, TD_ERR_NOMEM, and Airtable write errors other than a refusal of
 * the record (a refused record is counted in write_failed). */
td_err sync_record(sync_ctx *s, sync_table t, const cJSON *record);
/* Send the pending PATCH (if any) and record what was written. */
td_err sync_flush(sync_ctx *s);

/* The task path: read one record (at_get), sync_record, flush.  A record
 * that no longer exists is marked deleted (TD_OK, st.deleted = 1).  err
 * receives a one-line reason on failure. */
td_err sync_one(sync_ctx *s, sync_table t, const char *record_id, char *err, size_t errlen);

/* Rows already known in the database for a table (progress estimate); -1
 * when the count fails. */
long sync_known_rows(PGconn *db, sync_table t);
/* After a complete listing of table t: retire the stored rows whose record
 * is not among the n ids (18 bytes each, NUL-terminated) — candidates are
 * marked deleted, company-level jobs removed.  *removed counts them. */
td_err sync_retire_missing(PGconn *db, sync_table t, const char *ids, size_t n, long *removed);
/* sync_runs bookkeeping: begin returns the row id (0 when it failed). */
long long sync_run_begin(PGconn *db, const char *table_name);
void sync_run_end(PGconn *db, long long run_id, const sync_stats *st, int interrupted);

#endif
