/* cvfetch — the text of a candidate's CV: the `CV Text` field plus the text
 * of every `CV` attachment, downloaded when the task runs.
 *
 * Attachment URLs are signed and expire after two hours: they are used once,
 * at once, and never stored or logged (logs name the record id and the
 * attachment id only).  Downloads are http/https only, capped in size and
 * time; a broken, oversized or failing file is logged and skipped, never an
 * error of the whole record. */
#ifndef TD_CVFETCH_H
#define TD_CVFETCH_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "err.h"

#define CVF_MAX_BYTES (10L * 1024 * 1024) /* larger downloads are aborted */
#define CVF_MAX_FILES 5                    /* attachments read per record */

typedef struct cvf_options {
  long connect_timeout_ms; /* 0 = 5000 */
  long timeout_ms;         /* whole download; 0 = 30000 */
  long max_bytes;          /* 0 = CVF_MAX_BYTES */
} cvf_options;

typedef struct cvf_stats {
  int files_read;    /* attachments whose text was used */
  int files_failed;  /* downloaded or parsed without success (skipped) */
} cvf_stats;

/* Download one URL into memory (http/https only, size and time capped).
 * On TD_OK *data is malloc'd (NUL-terminated past *len) and *ctype (may be
 * NULL) receives the response's Content-Type (malloc'd, or NULL). */
td_err cvf_download(const char *url, const cvf_options *o, char **data, size_t *len, char **ctype);

/* The CV text of a record: cv_text (the field, may be NULL) followed by the
 * text of each attachment in `attachments` (the CV cell, an array of
 * {id,url,filename,type,size}; may be NULL), separated by blank lines.
 * *out is malloc'd, or NULL when there is no text at all.  Fails only with
 * TD_ERR_NOMEM; st (may be NULL) counts the files. */
td_err cvf_collect(const char *record_id, const char *cv_text, const cJSON *attachments,
                   const cvf_options *o, char **out, cvf_stats *st);

#endif
