/* err — texts and retry classification of the project-wide error codes. */
#include "err.h"

static const char *const texts[TD_ERR__COUNT] = {
  [TD_OK] = "ok",
  [TD_ERR_NOMEM] = "out of memory",
  [TD_ERR_INVALID] = "invalid input",
  [TD_ERR_NOT_FOUND] = "not found",
  [TD_ERR_CONFLICT] = "conflict",
  [TD_ERR_DB] = "database error",
  [TD_ERR_DB_UNAVAILABLE] = "database unavailable",
  [TD_ERR_AIRTABLE] = "Airtable error",
  [TD_ERR_AIRTABLE_RETRY] = "Airtable temporarily unavailable",
  [TD_ERR_TIMEOUT] = "timed out",
  [TD_ERR_IO] = "I/O error",
  [TD_ERR_PARSE] = "malformed data",
  [TD_ERR_NOT_IMPLEMENTED] = "not implemented yet",
  [TD_ERR_REFUSED] = "refused",
  [TD_ERR_INTERRUPTED] = "interrupted",
  [TD_ERR_INTERNAL] = "internal error",
};

const char *td_strerror(td_err rc)
{
  if ((unsigned)rc >= TD_ERR__COUNT || !texts[rc])
    return "unknown error";
  return texts[rc];
}

int td_err_retryable(td_err rc)
{
  switch (rc) {
  case TD_ERR_DB_UNAVAILABLE:
  case TD_ERR_AIRTABLE_RETRY:
  case TD_ERR_TIMEOUT:
  case TD_ERR_IO:
  case TD_ERR_NOMEM:
  case TD_ERR_NOT_IMPLEMENTED:
  case TD_ERR_DB:
    return 1;
  default:
    return 0;
  }
}
