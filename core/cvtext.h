/* cvtext — text out of CV attachments: PDF (poppler-glib) and plain text.
 *
 * Attachments come from strangers, so every input is treated as hostile:
 * sizes and page counts are capped, broken files return TD_ERR_PARSE, and
 * the output is always valid UTF-8 with control characters removed. */
#ifndef TD_CVTEXT_H
#define TD_CVTEXT_H

#include <stddef.h>

#define CV_MAX_BYTES (20u * 1024u * 1024u) /* larger files are refused */
#define CV_MAX_PAGES 30                    /* later pages are ignored */
#define CV_MAX_TEXT (512u * 1024u)         /* extracted text is cut here */

/* Extracts the text of a PDF held in memory.  On TD_OK *out_text is a
 * malloc'd NUL-terminated UTF-8 string (free()).  TD_ERR_PARSE for data that
 * is not a readable PDF (or is encrypted), TD_ERR_INVALID for bad arguments or
 * an oversized file, TD_ERR_NOMEM. */
int cv_pdf_to_text(const void *data, size_t len, char **out_text);

/* Text from an attachment by content type: application/pdf goes to
 * cv_pdf_to_text (also when the bytes start with "%PDF-"); text/plain and
 * text/markdown are validated as UTF-8 (invalid bytes are read as Latin-1)
 * and cleaned.  Other types: TD_ERR_NOT_IMPLEMENTED. */
int cv_text_from_bytes(const void *data, size_t len, const char *content_type, char **out_text);

#endif
