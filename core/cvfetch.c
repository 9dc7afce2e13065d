/* cvfetch — CV text from the CV Text field and the CV attachments. */
#include "cvfetch.h"

#include "cvtext.h"
#include "log.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct dl_buf {
  char *data;
  size_t len, cap;
  size_t max;
  int too_big;
} dl_buf;

static size_t on_data(char *p, size_t size, size_t nmemb, void *u)
{
  dl_buf *b = u;
  size_t n = size * nmemb;
  if (b->len + n > b->max) {
    b->too_big = 1;
    return 0; /* aborts the transfer */
  }
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *nd = realloc(b->data, cap);
    if (!nd)
      return 0;
    b->data = nd;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return n;
}

td_err cvf_download(const char *url, const cvf_options *o, char **data, size_t *len, char **ctype)
{
  cvf_options d = {0};
  dl_buf b = {0};
  long status = 0;
  td_err rc = TD_OK;

  *data = NULL;
  *len = 0;
  if (ctype)
    *ctype = NULL;
  if (!url || (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
    return TD_ERR_INVALID;
  if (!o)
    o = &d;
  b.max = (size_t)(o->max_bytes > 0 ? o->max_bytes : CVF_MAX_BYTES);
  CURL *h = curl_easy_init();
  if (!h)
    return TD_ERR_NOMEM;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 30000L);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)b.max);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "talentd-cvfetch");
  CURLcode cc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (cc == CURLE_FILESIZE_EXCEEDED || b.too_big)
    rc = TD_ERR_REFUSED;
  else if (cc == CURLE_OPERATION_TIMEDOUT)
    rc = TD_ERR_TIMEOUT;
  else if (cc == CURLE_WRITE_ERROR)
    rc = TD_ERR_NOMEM;
  else if (cc != CURLE_OK)
    rc = TD_ERR_IO;
  else if (status < 200 || status > 299)
    rc = status == 404 ? TD_ERR_NOT_FOUND : TD_ERR_IO;
  if (!rc && ctype) {
    char *ct = NULL;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
      *ctype = strdup(ct);
  }
  curl_easy_cleanup(h);
  if (rc) {
    free(b.data);
    return rc;
  }
  if (!b.data && !(b.data = calloc(1, 1)))
    return TD_ERR_NOMEM;
  *data = b.data;
  *len = b.len;
  return TD_OK;
}

static const char *jstr(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The content type to parse with: the attachment's, else the answer's,
 * else guessed from the file name. */
static const char *pick_type(const char *att_type, const char *resp_type, const char *filename,
                             char *buf, size_t len)
{
  const char *t = att_type && *att_type && strcmp(att_type, "application/octet-stream") != 0
                      ? att_type
                  : resp_type && *resp_type ? resp_type
                                            : NULL;
  if (t) {
    /* drop parameters: "text/plain; charset=utf-8" */
    size_t n = strcspn(t, ";");
    while (n && t[n - 1] == ' ')
      n--;
    if (n >= len)
      n = len - 1;
    memcpy(buf, t, n);
    buf[n] = 0;
    if (strcmp(buf, "application/octet-stream") != 0)
      return buf;
  }
  const char *dot = filename ? strrchr(filename, '.') : NULL;
  if (dot && strcasecmp(dot, ".pdf") == 0)
    return "application/pdf";
  if (dot && (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".text") == 0))
    return "text/plain";
  if (dot && strcasecmp(dot, ".md") == 0)
    return "text/markdown";
  return "application/octet-stream"; /* cv_text_from_bytes still sniffs %PDF- */
}

typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
  size_t n = strlen(s);
  if (b->oom || n == 0)
    return;
  if (b->len + n + 3 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n + 3)
      cap *= 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  if (b->len) {
    memcpy(b->s + b->len, "\n\n", 2);
    b->len += 2;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

td_err cvf_collect(const char *record_id, const char *cv_text, const cJSON *attachments,
                   const cvf_options *o, char **out, cvf_stats *st)
{
  sbuf b = {0};
  cvf_stats local = {0};
  const cJSON *att;
  int n = 0;

  if (!st)
    st = &local;
  memset(st, 0, sizeof *st);
  *out = NULL;
  if (cv_text)
    sb_add(&b, cv_text);
  if (cJSON_IsArray(attachments)) {
    cJSON_ArrayForEach(att, attachments) {
      const char *id = jstr(att, "id"), *url = jstr(att, "url");
      const cJSON *size = cJSON_GetObjectItemCaseSensitive(att, "size");
      long max = o && o->max_bytes > 0 ? o->max_bytes : CVF_MAX_BYTES;
      char *data = NULL, *ctype = NULL, *text = NULL, tbuf[96];
      size_t len = 0;
      td_err rc;

      if (n++ >= CVF_MAX_FILES) {
        LOG(LOG_INFO, "cv_attachment_skipped", LOG_S("record_id", record_id),
            LOG_S("attachment_id", id ? id : ""), LOG_S("reason", "too_many_files"));
        break;
      }
      if (cJSON_IsNumber(size) && size->valuedouble > (double)max) {
        rc = TD_ERR_REFUSED; /* announced too big: do not even start */
      } else {
        rc = cvf_download(url, o, &data, &len, &ctype);
      }
      if (!rc) {
        rc = (td_err)cv_text_from_bytes(data, len,
                                        pick_type(jstr(att, "type"), ctype, jstr(att, "filename"),
                                                  tbuf, sizeof tbuf),
                                        &text);
      }
      if (rc == TD_ERR_NOMEM) {
        free(data);
        free(ctype);
        free(b.s);
        return TD_ERR_NOMEM;
      }
      if (rc) {
        st->files_failed++;
        LOG(LOG_WARN, "cv_attachment_skipped", LOG_S("record_id", record_id),
            LOG_S("attachment_id", id ? id : ""), LOG_S("reason", td_strerror(rc)),
            LOG_I("bytes", (long long)len));
      } else {
        st->files_read++;
        sb_add(&b, text);
      }
      free(text);
      free(data);
      free(ctype);
    }
  }
  if (b.oom) {
    free(b.s);
    return TD_ERR_NOMEM;
  }
  *out = b.s;
  return TD_OK;
}
