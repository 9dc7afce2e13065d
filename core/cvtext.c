/* cvtext — PDF and plain-text CV extraction (see cvtext.h).
 *
 * poppler is a large C++ library behind a GLib facade; we only use it from
 * this file so the rest of core/ stays free of GLib types.  A document is
 * opened from a GBytes copy (poppler keeps a reference for the document's
 * lifetime), pages are read one by one up to CV_MAX_PAGES, and the result is
 * normalized by the same clean-up as plain text. */
#include "cvtext.h"

#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Appends s[0..n) to buf, replacing invalid UTF-8 (read as Latin-1) and
 * control characters other than newline and tab, collapsing \r\n. */
static int clean_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  for (size_t i = 0; i < n && *len < CV_MAX_TEXT; i++) {
    unsigned char c = (unsigned char)s[i];
    char tmp[4];
    size_t k = 0;
    if (c < 0x80) {
      if (c == '\r') c = '\n';
      if (c == '\f') c = '\n';
      if (c < 0x20 && c != '\n' && c != '\t') continue;
      if (c == '\n' && *len > 0 && (*buf)[*len - 1] == '\n' && i > 0 && s[i - 1] == '\r') continue;
      tmp[k++] = (char)c;
    } else {
      size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      int ok = need && i + need <= n && !(c == 0xC0 || c == 0xC1 || c > 0xF4);
      for (size_t j = 1; ok && j < need; j++)
        if (((unsigned char)s[i + j] & 0xC0) != 0x80) ok = 0;
      if (ok) {
        memcpy(tmp, s + i, need);
        k = need;
        i += need - 1;
      } else { /* Latin-1 byte to UTF-8 */
        tmp[k++] = (char)(0xC0 | (c >> 6));
        tmp[k++] = (char)(0x80 | (c & 0x3F));
      }
    }
    if (*len + k + 1 > *cap) {
      size_t nc = *cap ? *cap * 2 : 4096;
      while (nc < *len + k + 1) nc *= 2;
      char *p = realloc(*buf, nc);
      if (!p) return TD_ERR_NOMEM;
      *buf = p;
      *cap = nc;
    }
    memcpy(*buf + *len, tmp, k);
    *len += k;
  }
  return TD_OK;
}

static int finish(char *buf, size_t len, char **out) {
  if (!buf) {
    buf = malloc(1);
    if (!buf) return TD_ERR_NOMEM;
  }
  buf[len] = '\0';
  *out = buf;
  return TD_OK;
}

int cv_pdf_to_text(const void *data, size_t len, char **out_text) {
  if (!out_text) return TD_ERR_INVALID;
  *out_text = NULL;
  if (!data || len == 0 || len > CV_MAX_BYTES) return TD_ERR_INVALID;
  if (len < 5 || memcmp(data, "%PDF-", 5) != 0) return TD_ERR_PARSE;
  GBytes *bytes = g_bytes_new(data, len);
  GError *err = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
  g_bytes_unref(bytes);
  if (!doc) {
    if (err) g_error_free(err);
    return TD_ERR_PARSE;
  }
  int rc = TD_OK;
  char *buf = NULL;
  size_t blen = 0, cap = 0;
  int pages = poppler_document_get_n_pages(doc);
  if (pages > CV_MAX_PAGES) pages = CV_MAX_PAGES;
  for (int i = 0; i < pages && rc == TD_OK && blen < CV_MAX_TEXT; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    if (!page) continue;
    char *txt = poppler_page_get_text(page);
    if (txt) {
      rc = clean_append(&buf, &blen, &cap, txt, strlen(txt));
      if (rc == TD_OK && i + 1 < pages) rc = clean_append(&buf, &blen, &cap, "\n", 1);
      g_free(txt);
    }
    g_object_unref(page);
  }
  g_object_unref(doc);
  if (rc != TD_OK) {
    free(buf);
    return rc;
  }
  return finish(buf, blen, out_text);
}

int cv_text_from_bytes(const void *data, size_t len, const char *content_type, char **out_text) {
  if (!out_text) return TD_ERR_INVALID;
  *out_text = NULL;
  if (!data && len) return TD_ERR_INVALID;
  if (len > CV_MAX_BYTES) return TD_ERR_INVALID;
  const char *ct = content_type ? content_type : "";
  if ((len >= 5 && memcmp(data, "%PDF-", 5) == 0) || strncmp(ct, "application/pdf", 15) == 0)
    return cv_pdf_to_text(data, len, out_text);
  if (strncmp(ct, "text/", 5) != 0 && ct[0]) return TD_ERR_NOT_IMPLEMENTED;
  const char *s = data;
  size_t off = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) off = 3; /* BOM */
  char *buf = NULL;
  size_t blen = 0, cap = 0;
  int rc = clean_append(&buf, &blen, &cap, s + off, len - off);
  if (rc != TD_OK) {
    free(buf);
    return rc;
  }
  return finish(buf, blen, out_text);
}
