/* err — the project-wide error codes.
 *
 * Every fallible function returns a td_err; TD_OK is 0 so the curl idiom
 * `rc = f(); if(rc) goto out;` works everywhere.  td_err_retryable() tells the
 * queue whether a failure is worth another attempt. */
#ifndef TD_ERR_H
#define TD_ERR_H

typedef enum td_err {
  TD_OK = 0,
  TD_ERR_NOMEM,           /* allocation failed */
  TD_ERR_INVALID,         /* bad input or configuration */
  TD_ERR_NOT_FOUND,       /* the thing asked for does not exist */
  TD_ERR_CONFLICT,        /* state forbids it (duplicate, paused job, ...) */
  TD_ERR_DB,              /* database error that a retry will not fix */
  TD_ERR_DB_UNAVAILABLE,  /* database unreachable or connection lost */
  TD_ERR_AIRTABLE,        /* Airtable answered with a final error */
  TD_ERR_AIRTABLE_RETRY,  /* Airtable failed in a retryable way */
  TD_ERR_TIMEOUT,         /* a deadline passed */
  TD_ERR_IO,              /* file or network I/O failed */
  TD_ERR_PARSE,           /* malformed data (JSON, PDF, formula, ...) */
  TD_ERR_NOT_IMPLEMENTED, /* the feature is not built yet */
  TD_ERR_REFUSED,         /* the request was refused by policy */
  TD_ERR_INTERRUPTED,     /* stopped by a signal */
  TD_ERR_INTERNAL,        /* a bug: an invariant did not hold */
  TD_ERR__COUNT
} td_err;

/* Short human-readable text for an error code; never NULL. */
const char *td_strerror(td_err rc);

/* 1 when the same operation may succeed if tried again later. */
int td_err_retryable(td_err rc);

#endif
