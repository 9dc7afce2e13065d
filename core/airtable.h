/* airtable — the Airtable REST client (reference/airtable-api.md).
 *
 * One at_client serves every thread of the process: it holds a pool of curl
 * easy handles over a shared connection/DNS/TLS-session cache (keep-alive),
 * the per-base rate limiter (ratelimit.h) and the retry policy.  Every request
 * waits for a rate-limit slot, retries retryable failures (429
 * RATE_LIMIT_REACHED, 5xx, timeouts, connection errors) with capped
 * exponential backoff and full jitter, and then gives up with
 * TD_ERR_AIRTABLE_RETRY so that the task queue tries again later.  Final
 * errors return TD_ERR_AIRTABLE, or TD_ERR_NOT_FOUND for a missing record.
 *
 * The token travels only in the Authorization header; nothing here logs it.
 * Functions taking an at_error fill it on failure (it may be NULL). */
#ifndef TD_AIRTABLE_H
#define TD_AIRTABLE_H

#include "cfg.h"
#include "err.h"

#include <cjson/cJSON.h>
#include <stddef.h>

#define AT_MAX_BATCH 10      /* records per create/update request */
#define AT_PAGE_SIZE 100
#define AT_MAX_URL 16000     /* longer list URLs go through POST listRecords */

typedef struct at_client at_client;

typedef struct at_error {
  int http_status;   /* 0 when no HTTP answer (timeout, connection error) */
  char type[64];     /* Airtable's error type, or a curl/local tag */
  char message[256];
  int retryable;
} at_error;

typedef struct at_options {
  long connect_timeout_ms; /* 0 = 5000 */
  long timeout_ms;         /* whole request; 0 = 30000 */
  int max_attempts;        /* 0 = 4 */
  double backoff_base_s;   /* 0 = 0.5 */
  double backoff_cap_s;    /* 0 = 8 */
  double max_rate_wait_s;  /* longest wait for a rate-limit slot; 0 = penalty + 10 s */
  int no_shared_limit;     /* 1 = do not coordinate through the database */
} at_options;

/* Create the client from the configuration (API URL, token, base id, rate
 * limit, penalty, DATABASE_URL for the shared budget).  opt may be NULL. */
td_err at_client_new(const td_config *cfg, const at_options *opt, at_client **out);
void at_client_free(at_client *c);

/* ---- records ------------------------------------------------------------ */

typedef struct at_list_opts {
  const char *const *fields; /* names (or ids); NULL = all fields */
  size_t n_fields;
  const char *formula;       /* filterByFormula; build it with at_formula_*() */
  const char *view;
  long max_records;          /* 0 = no cap */
  int return_fields_by_id;   /* returnFieldsByFieldId=true */
  /* Called when an expired iterator forces a restart from page 1: records
   * already delivered will come again. */
  void (*on_restart)(void *arg);
} at_list_opts;

/* Called once per record, in order; a non-zero return stops the listing and
 * is returned by at_list(). */
typedef td_err (*at_record_cb)(const cJSON *record, void *arg);

/* Every record of table matching o (NULL = all), 100 per request. */
td_err at_list(at_client *c, const char *table, const at_list_opts *o, at_record_cb cb, void *arg,
               at_error *err);
/* Same, accumulated into a new cJSON array of records (caller deletes). */
td_err at_list_all(at_client *c, const char *table, const at_list_opts *o, cJSON **records,
                   at_error *err);

/* One record ({"id","createdTime","fields"}); TD_ERR_NOT_FOUND when absent. */
td_err at_get(at_client *c, const char *table, const char *record_id, cJSON **record, at_error *err);

/* PATCH records (a cJSON array of {"id","fields"}) in requests of at most
 * 10.  out (may be NULL) receives the array of updated records.  On failure
 * the chunks before the failing one are already written (PATCH is
 * idempotent, so a retry of the whole call is safe). */
td_err at_update(at_client *c, const char *table, const cJSON *records, int typecast, cJSON **out,
                 at_error *err);
/* POST records (array of {"fields"}) in requests of at most 10; out as above. */
td_err at_create(at_client *c, const char *table, const cJSON *records, int typecast, cJSON **out,
                 at_error *err);

/* GET /v0/meta/bases/{base}/tables: the whole answer {"tables":[…]}. */
td_err at_get_tables(at_client *c, cJSON **tables, at_error *err);

/* ---- formulas ----------------------------------------------------------- */

/* Write value as an Airtable formula string literal ("…" with \" \\ \n \r \t
 * escapes; invalid UTF-8 becomes U+FFFD) into out, NUL-terminated and
 * truncated to outlen.  Returns the length the full literal needs (without
 * the NUL), like snprintf: the literal is complete when the result < outlen.
 * The only place where talentd turns data into formula text. */
size_t at_formula_quote(const char *value, char *out, size_t outlen);
/* Same, into a new string (caller frees); NULL on allocation failure. */
char *at_formula_quote_dup(const char *value);
/* OR(RECORD_ID()="a",RECORD_ID()="b",…) (or the single comparison for one
 * id; "FALSE()" for none); caller frees. */
char *at_formula_record_ids(const char *const *ids, size_t n);

/* ---- errors (exposed for tests and callers' logs) ------------------------ */

/* Fill e from an HTTP status and a response body of any shape Airtable
 * sends (body may be NULL or not JSON), classifying it as retryable or not. */
void at_error_parse(int http_status, const char *body, size_t len, at_error *e);
/* 1 when an answer with this status and type is worth retrying. */
int at_error_is_retryable(int http_status, const char *type);
/* The td_err for a filled at_error. */
td_err at_error_td(const at_error *e);

/* ---- URL building (exposed for tests) ----------------------------------- */

/* Build the GET list URL for one page: api_url + "/v0/" + base + "/" + table
 * + query (pageSize, fields[], filterByFormula, view, maxRecords,
 * returnFieldsByFieldId, offset).  Returns a new string (caller frees). */
char *at_list_url(const char *api_url, const char *base, const char *table, const at_list_opts *o,
                  const char *offset);
/* The JSON body for POST …/listRecords with the same parameters. */
char *at_list_body(const at_list_opts *o, const char *offset);

/* Backoff before attempt `attempt` (1 = first retry): full jitter in
 * [0, min(cap, base * 2^(attempt-1))]; r in [0,1) is the random draw. */
double at_backoff_s(int attempt, double base, double cap, double r);

#endif
