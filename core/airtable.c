/* airtable — libcurl client for the Airtable Web API.
 *
 * DESIGN.  Threads share one at_client.  Curl easy handles are not
 * thread-safe, so the client keeps a pool of them (take one, use it, give it
 * back); they all hang off one CURLSH holding the connection, DNS and TLS
 * session caches, which is what makes keep-alive work whichever handle a
 * thread happens to take.  Each attempt first takes a slot from the rate
 * limiter: the budget is per base and shared with other processes, and a 429
 * costs every client of the base a 30 s lock-out, so we never rely on
 * Airtable to tell us we were too fast.  Retries are bounded: a failure that
 * outlives them goes back to the task queue as TD_ERR_AIRTABLE_RETRY, where a
 * later attempt costs no worker time while it waits.
 *
 * Nothing here logs a URL's query string (a formula may hold a candidate's
 * name) or a header (the token). */
#include "airtable.h"

#include "log.h"
#include "metrics.h"
#include "ratelimit.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__has_include)
#if __has_include("version.h")
#include "version.h" /* TALENTD_VERSION, owned by server/ */
#endif
#endif
#ifndef TALENTD_VERSION
#define TALENTD_VERSION "0.0.0"
#endif

#define AT_MAX_RESPONSE (64u << 20)
#define AT_POOL_MAX 64

struct at_client {
  char *api_url;
  char base[32];
  struct curl_slist *hdr_get;  /* Authorization only */
  struct curl_slist *hdr_body; /* + Content-Type */
  CURLSH *share;
  pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
  pthread_mutex_t pool_mu;
  CURL *pool[AT_POOL_MAX];
  int n_pool;
  rl_limiter *rl;
  at_options opt;
};

/* ---- small growable string ---------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_addn(sbuf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *np;
    while (cap < b->len + n + 1)
      cap *= 2;
    np = realloc(b->p, cap);
    if (!np) {
      b->oom = 1;
      return;
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void sb_add(sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

/* Hand the string over (NULL after an allocation failure). */
static char *sb_take(sbuf *b)
{
  char *p;
  if (b->oom) {
    free(b->p);
    return NULL;
  }
  if (!b->p)
    sb_addn(b, "", 0);
  p = b->oom ? NULL : b->p;
  b->p = NULL;
  return p;
}

/* Percent-encode everything but RFC 3986 unreserved characters. */
static void sb_add_escaped(sbuf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
        ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      sb_addn(b, (const char *)&ch, 1);
    } else {
      char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
      sb_addn(b, e, 3);
    }
  }
}

/* ---- formulas ----------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static int utf8_len(const unsigned char *s)
{
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
      return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

size_t at_formula_quote(const char *value, char *out, size_t outlen)
{
  const unsigned char *s = (const unsigned char *)(value ? value : "");
  size_t need = 0;

#define EMIT(str, n)                                                                 \
  do {                                                                               \
    size_t n_ = (n);                                                                 \
    for (size_t i_ = 0; i_ < n_; i_++, need++)                                       \
      if (out && need + 1 < outlen)                                                  \
        out[need] = (str)[i_];                                                       \
  } while (0)

  EMIT("\"", 1);
  while (*s) {
    int n = utf8_len(s);
    /* Escaping the delimiter and the escape character is what keeps a value
     * from ending the literal early; newlines are escaped so that the
     * formula stays one line in logs of the emulator and of Airtable. */
    if (*s == '"')
      EMIT("\\\"", 2);
    else if (*s == '\\')
      EMIT("\\\\", 2);
    else if (*s == '\n')
      EMIT("\\n", 2);
    else if (*s == '\r')
      EMIT("\\r", 2);
    else if (*s == '\t')
      EMIT("\\t", 2);
    else if (n == 0)
      EMIT("\xEF\xBF\xBD", 3); /* U+FFFD: a JSON body must be valid UTF-8 */
    else
      EMIT((const char *)s, (size_t)n);
    s += n ? n : 1;
  }
  EMIT("\"", 1);
#undef EMIT
  if (out && outlen)
    out[need < outlen ? need : outlen - 1] = 0;
  return need;
}

char *at_formula_quote_dup(const char *value)
{
  size_t n = at_formula_quote(value, NULL, 0);
  char *p = malloc(n + 1);
  if (p)
    at_formula_quote(value, p, n + 1);
  return p;
}

char *at_formula_record_ids(const char *const *ids, size_t n)
{
  sbuf b = {0};
  if (n == 0) {
    sb_add(&b, "FALSE()");
    return sb_take(&b);
  }
  if (n > 1)
    sb_add(&b, "OR(");
  for (size_t i = 0; i < n; i++) {
    char *q = at_formula_quote_dup(ids[i]);
    if (!q) {
      b.oom = 1;
      break;
    }
    if (i)
      sb_add(&b, ",");
    sb_add(&b, "RECORD_ID()=");
    sb_add(&b, q);
    free(q);
  }
  if (n > 1)
    sb_add(&b, ")");
  return sb_take(&b);
}

/* ---- errors ------------------------------------------------------------- */

static void copy_str(char *dst, size_t cap, const char *src)
{
  snprintf(dst, cap, "%s", src ? src : "");
}

int at_error_is_retryable(int http_status, const char *type)
{
  switch (http_status) {
  case 429:
    /* The monthly quota will not come back within a retry. */
    return !(type && strcmp(type, "PUBLIC_API_BILLING_LIMIT_EXCEEDED") == 0);
  case 500: case 502: case 503: case 504:
    return 1;
  default:
    return 0;
  }
}

/* A printable one-line excerpt of a non-JSON body, for the operator. */
static void body_excerpt(const char *body, size_t len, char *out, size_t cap)
{
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < len && o + 4 < cap && o < 120; i++) {
    unsigned char ch = (unsigned char)body[i];
    if (ch <= ' ' || ch >= 0x7f) {
      space = o > 0;
      continue;
    }
    if (space)
      out[o++] = ' ';
    space = 0;
    out[o++] = (char)ch;
  }
  out[o] = 0;
}

void at_error_parse(int http_status, const char *body, size_t len, at_error *e)
{
  cJSON *root = NULL, *err;
  const char *type = NULL, *msg = NULL;

  memset(e, 0, sizeof *e);
  e->http_status = http_status;
  if (body && len)
    root = cJSON_ParseWithLength(body, len);
  if (cJSON_IsObject(root)) {
    err = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsString(err)) { /* {"error":"NOT_FOUND"} */
      type = err->valuestring;
    } else if (cJSON_IsObject(err)) { /* {"error":{"type","message"}} */
      cJSON *t = cJSON_GetObjectItemCaseSensitive(err, "type");
      cJSON *m = cJSON_GetObjectItemCaseSensitive(err, "message");
      type = cJSON_IsString(t) ? t->valuestring : NULL;
      msg = cJSON_IsString(m) ? m->valuestring : NULL;
    } else {
      cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
      cJSON *first = cJSON_IsArray(errs) ? cJSON_GetArrayItem(errs, 0) : NULL;
      if (cJSON_IsObject(first)) { /* {"errors":[{"error","message"}]} */
        cJSON *t = cJSON_GetObjectItemCaseSensitive(first, "error");
        cJSON *m = cJSON_GetObjectItemCaseSensitive(first, "message");
        if (!cJSON_IsString(t))
          t = cJSON_GetObjectItemCaseSensitive(first, "type");
        type = cJSON_IsString(t) ? t->valuestring : NULL;
        msg = cJSON_IsString(m) ? m->valuestring : NULL;
      }
    }
  }
  if (type && *type) {
    copy_str(e->type, sizeof e->type, type);
  } else {
    /* No usable type (HTML from a proxy, an empty body): name the status. */
    snprintf(e->type, sizeof e->type, "HTTP_%d", http_status);
  }
  if (msg)
    copy_str(e->message, sizeof e->message, msg);
  else if (!root && body && len)
    body_excerpt(body, len, e->message, sizeof e->message);
  e->retryable = at_error_is_retryable(http_status, e->type);
  cJSON_Delete(root);
}

td_err at_error_td(const at_error *e)
{
  if (e->retryable)
    return TD_ERR_AIRTABLE_RETRY;
  if (e->http_status == 404 || (e->http_status == 422 && strcmp(e->type, "ROW_DOES_NOT_EXIST") == 0))
    return TD_ERR_NOT_FOUND;
  return TD_ERR_AIRTABLE;
}

static void curl_error(CURLcode cc, at_error *e)
{
  memset(e, 0, sizeof *e);
  snprintf(e->type, sizeof e->type, "CURL_%d", (int)cc);
  copy_str(e->message, sizeof e->message, curl_easy_strerror(cc));
  switch (cc) {
  case CURLE_OPERATION_TIMEDOUT: case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY: case CURLE_SEND_ERROR: case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_SSL_CONNECT_ERROR:
  case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
    e->retryable = 1;
    break;
  default:
    e->retryable = 0;
  }
}

double at_backoff_s(int attempt, double base, double cap, double r)
{
  double ceil_s = base * pow(2.0, attempt > 1 ? attempt - 1 : 0);
  if (ceil_s > cap)
    ceil_s = cap;
  return r * ceil_s;
}

/* ---- URLs and bodies ---------------------------------------------------- */

static void add_param(sbuf *b, int *first, const char *key, const char *val)
{
  sb_add(b, *first ? "?" : "&");
  *first = 0;
  sb_add(b, key);
  sb_add(b, "=");
  sb_add_escaped(b, val);
}

char *at_list_url(const char *api_url, const char *base, const char *table, const at_list_opts *o,
                  const char *offset)
{
  sbuf b = {0};
  int first = 1;
  char num[32];

  sb_add(&b, api_url);
  sb_add(&b, "/v0/");
  sb_add_escaped(&b, base);
  sb_add(&b, "/");
  sb_add_escaped(&b, table);
  add_param(&b, &first, "pageSize", "100");
  if (o) {
    for (size_t i = 0; i < o->n_fields && o->fields; i++)
      add_param(&b, &first, "fields%5B%5D", o->fields[i]);
    if (o->formula && *o->formula)
      add_param(&b, &first, "filterByFormula", o->formula);
    if (o->view && *o->view)
      add_param(&b, &first, "view", o->view);
    if (o->max_records > 0) {
      snprintf(num, sizeof num, "%ld", o->max_records);
      add_param(&b, &first, "maxRecords", num);
    }
    if (o->return_fields_by_id)
      add_param(&b, &first, "returnFieldsByFieldId", "true");
  }
  if (offset && *offset)
    add_param(&b, &first, "offset", offset);
  return sb_take(&b);
}

char *at_list_body(const at_list_opts *o, const char *offset)
{
  cJSON *root = cJSON_CreateObject();
  char *s = NULL;
  int ok = root && cJSON_AddNumberToObject(root, "pageSize", AT_PAGE_SIZE);

  if (ok && o) {
    if (o->fields && o->n_fields) {
      cJSON *arr = cJSON_AddArrayToObject(root, "fields");
      ok = arr != NULL;
      for (size_t i = 0; ok && i < o->n_fields; i++)
        ok = cJSON_AddItemToArray(arr, cJSON_CreateString(o->fields[i]));
    }
    if (ok && o->formula && *o->formula)
      ok = cJSON_AddStringToObject(root, "filterByFormula", o->formula) != NULL;
    if (ok && o->view && *o->view)
      ok = cJSON_AddStringToObject(root, "view", o->view) != NULL;
    if (ok && o->max_records > 0)
      ok = cJSON_AddNumberToObject(root, "maxRecords", (double)o->max_records) != NULL;
    if (ok && o->return_fields_by_id)
      ok = cJSON_AddTrueToObject(root, "returnFieldsByFieldId") != NULL;
  }
  if (ok && offset && *offset)
    ok = cJSON_AddStringToObject(root, "offset", offset) != NULL;
  if (ok)
    s = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return s;
}

/* api_url/v0/<seg1>/<seg2>/… with each segment escaped; NULL ends. */
static char *path_url(const at_client *c, ...)
{
  sbuf b = {0};
  va_list ap;
  const char *seg;
  sb_add(&b, c->api_url);
  sb_add(&b, "/v0");
  va_start(ap, c);
  while ((seg = va_arg(ap, const char *))) {
    sb_add(&b, "/");
    sb_add_escaped(&b, seg);
  }
  va_end(ap);
  return sb_take(&b);
}

/* ---- client ------------------------------------------------------------- */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static int global_ok;

static void global_init(void)
{
  global_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  metrics_describe("talentd_airtable_requests_total", "counter",
                   "Airtable API requests by method and HTTP status (error = no answer)");
  metrics_describe("talentd_airtable_request_duration_seconds", "histogram",
                   "Airtable API request duration, rate-limit wait excluded");
  metrics_describe("talentd_airtable_rate_limit_waits_total", "counter",
                   "Airtable requests that had to wait for a rate-limit slot");
  metrics_describe("talentd_airtable_rate_limit_wait_seconds", "histogram",
                   "Time spent waiting for an Airtable rate-limit slot");
  metrics_describe("talentd_airtable_429_total", "counter", "Airtable 429 answers");
  metrics_describe("talentd_airtable_retries_total", "counter",
                   "Airtable requests retried after a retryable failure");
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc, void *u)
{
  at_client *c = u;
  (void)h;
  (void)acc;
  pthread_mutex_lock(&c->share_mu[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *u)
{
  at_client *c = u;
  (void)h;
  pthread_mutex_unlock(&c->share_mu[data]);
}

td_err at_client_new(const td_config *cfg, const at_options *opt, at_client **out)
{
  at_client *c;
  sbuf auth = {0};
  rl_options ro = {0};
  td_err rc;

  *out = NULL;
  if (!cfg || !cfg->airtable_api_url || !cfg->airtable_token || !cfg->airtable_base_id[0])
    return TD_ERR_INVALID;
  pthread_once(&global_once, global_init);
  if (!global_ok)
    return TD_ERR_INTERNAL;
  c = calloc(1, sizeof *c);
  if (!c)
    return TD_ERR_NOMEM;
  if (opt)
    c->opt = *opt;
  if (c->opt.connect_timeout_ms <= 0)
    c->opt.connect_timeout_ms = 5000;
  if (c->opt.timeout_ms <= 0)
    c->opt.timeout_ms = 30000;
  if (c->opt.max_attempts <= 0)
    c->opt.max_attempts = 4;
  if (c->opt.backoff_base_s <= 0)
    c->opt.backoff_base_s = 0.5;
  if (c->opt.backoff_cap_s <= 0)
    c->opt.backoff_cap_s = 8;
  if (c->opt.max_rate_wait_s <= 0)
    c->opt.max_rate_wait_s = cfg->rate_limit_penalty + 10.0;
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
    pthread_mutex_init(&c->share_mu[i], NULL);
  pthread_mutex_init(&c->pool_mu, NULL);
  copy_str(c->base, sizeof c->base, cfg->airtable_base_id);
  c->api_url = strdup(cfg->airtable_api_url);
  sb_add(&auth, "Authorization: Bearer ");
  sb_add(&auth, cfg->airtable_token);
  if (!c->api_url || auth.oom) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  c->hdr_get = curl_slist_append(NULL, auth.p);
  c->hdr_body = curl_slist_append(NULL, auth.p);
  if (c->hdr_body)
    c->hdr_body = curl_slist_append(c->hdr_body, "Content-Type: application/json");
  if (c->hdr_body) /* no 100-continue round trip before a body */
    c->hdr_body = curl_slist_append(c->hdr_body, "Expect:");
  c->share = curl_share_init();
  if (!c->hdr_get || !c->hdr_body || !c->share) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock);
  curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
  curl_share_setopt(c->share, CURLSHOPT_USERDATA, c);
  curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  ro.rps = cfg->rate_limit_rps > 0 ? cfg->rate_limit_rps : 5;
  ro.margin_s = -1;
  ro.penalty_s = cfg->rate_limit_penalty;
  ro.database_url = c->opt.no_shared_limit ? NULL : cfg->database_url;
  rc = rl_create(c->base, &ro, &c->rl);
  if (rc)
    goto out;
  rc = TD_OK;
out:
  if (auth.p) {
    /* The buffer held the token: do not leave it in freed memory. */
    memset(auth.p, 0, auth.cap);
    free(auth.p);
  }
  if (rc) {
    at_client_free(c);
    return rc;
  }
  *out = c;
  return TD_OK;
}

void at_client_free(at_client *c)
{
  if (!c)
    return;
  for (int i = 0; i < c->n_pool; i++)
    curl_easy_cleanup(c->pool[i]);
  if (c->share)
    curl_share_cleanup(c->share);
  curl_slist_free_all(c->hdr_get);
  curl_slist_free_all(c->hdr_body);
  rl_destroy(c->rl);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
    pthread_mutex_destroy(&c->share_mu[i]);
  pthread_mutex_destroy(&c->pool_mu);
  free(c->api_url);
  free(c);
}

static CURL *pool_take(at_client *c)
{
  CURL *h = NULL;
  pthread_mutex_lock(&c->pool_mu);
  if (c->n_pool > 0)
    h = c->pool[--c->n_pool];
  pthread_mutex_unlock(&c->pool_mu);
  return h ? h : curl_easy_init();
}

static void pool_give(at_client *c, CURL *h)
{
  pthread_mutex_lock(&c->pool_mu);
  if (c->n_pool < AT_POOL_MAX) {
    c->pool[c->n_pool++] = h;
    h = NULL;
  }
  pthread_mutex_unlock(&c->pool_mu);
  if (h)
    curl_easy_cleanup(h);
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *u)
{
  sbuf *b = u;
  size_t n = size * nmemb;
  if (b->len + n > AT_MAX_RESPONSE)
    return 0; /* makes curl fail with CURLE_WRITE_ERROR */
  sb_addn(b, data, n);
  return b->oom ? 0 : n;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
  struct timespec ts;
  if (!(s > 0))
    return;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &ts) && errno == EINTR)
    ;
}

/* Uniform in [0,1): jitter only needs to differ between threads and processes. */
static double jitter(void)
{
  static _Thread_local uint64_t s;
  if (!s)
    s = ((uint64_t)time(NULL) << 20) ^ (uint64_t)(uintptr_t)&s ^ (uint64_t)clock();
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return (double)(s >> 11) / 9007199254740992.0;
}

/* Path of url without the query, for logs. */
static void log_path(const at_client *c, const char *url, char *out, size_t cap)
{
  const char *p = url + strlen(c->api_url);
  size_t n = strcspn(p, "?");
  if (n >= cap)
    n = cap - 1;
  memcpy(out, p, n);
  out[n] = 0;
}

/* One attempt: HTTP status in *status (0 on transport failure). */
static td_err perform(at_client *c, const char *method, const char *url, const char *body,
                      sbuf *resp, long *status, double *retry_after, at_error *e)
{
  CURL *h = pool_take(c);
  CURLcode cc;
  curl_off_t ra = -1;

  *status = 0;
  *retry_after = 0;
  if (!h)
    return TD_ERR_NOMEM;
  curl_easy_reset(h);
  curl_easy_setopt(h, CURLOPT_SHARE, c->share);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "talentd/" TALENTD_VERSION);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, body ? c->hdr_body : c->hdr_get);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->opt.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->opt.timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
  if (body) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
  }
  if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  cc = curl_easy_perform(h);
  if (cc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
      *retry_after = (double)ra;
  }
  pool_give(c, h);
  if (cc != CURLE_OK) {
    curl_error(cc, e);
    if (resp->oom)
      return TD_ERR_NOMEM;
    return e->retryable ? TD_ERR_AIRTABLE_RETRY : TD_ERR_AIRTABLE;
  }
  return TD_OK;
}

/* Send one request with rate limiting and retries; *json gets the parsed
 * 2xx body. */
static td_err request(at_client *c, const char *method, const char *url, const char *body,
                      cJSON **json, at_error *err)
{
  at_error local;
  at_error *e = err ? err : &local;
  char path[160], labels[96];
  td_err rc = TD_ERR_INTERNAL;

  *json = NULL;
  memset(e, 0, sizeof *e);
  log_path(c, url, path, sizeof path);
  for (int attempt = 1; attempt <= c->opt.max_attempts; attempt++) {
    sbuf resp = {0};
    long status = 0;
    double waited = 0, retry_after = 0, t0, delay = 0;

    rc = rl_acquire(c->rl, c->opt.max_rate_wait_s, &waited);
    if (rc) {
      memset(e, 0, sizeof *e);
      copy_str(e->type, sizeof e->type, "RATE_LIMIT_WAIT");
      copy_str(e->message, sizeof e->message, "no rate-limit slot within the allowed wait");
      e->retryable = 1;
      LOG(LOG_WARN, "airtable_rate_wait_timeout", LOG_S("method", method), LOG_S("path", path));
      return rc;
    }
    if (waited > 0.001) {
      metrics_inc("talentd_airtable_rate_limit_waits_total", "", 1);
      metrics_observe("talentd_airtable_rate_limit_wait_seconds", "", waited);
    }
    t0 = now_s();
    rc = perform(c, method, url, body, &resp, &status, &retry_after, e);
    snprintf(labels, sizeof labels, "method=\"%s\",status=\"%ld\"", method, status);
    if (status == 0)
      snprintf(labels, sizeof labels, "method=\"%s\",status=\"error\"", method);
    metrics_inc("talentd_airtable_requests_total", labels, 1);
    metrics_observe("talentd_airtable_request_duration_seconds", "", now_s() - t0);
    LOG(LOG_DEBUG, "airtable_request", LOG_S("method", method), LOG_S("path", path),
        LOG_I("status", status), LOG_I("attempt", attempt), LOG_D("ms", (now_s() - t0) * 1000));
    if (rc == TD_OK && status >= 200 && status < 300) {
      *json = resp.len ? cJSON_ParseWithLength(resp.p, resp.len) : NULL;
      free(resp.p);
      if (*json)
        return TD_OK;
      /* A cut-off answer (proxy, reset): worth another try. */
      memset(e, 0, sizeof *e);
      e->http_status = (int)status;
      copy_str(e->type, sizeof e->type, "INVALID_RESPONSE");
      copy_str(e->message, sizeof e->message, "2xx answer is not a JSON document");
      e->retryable = 1;
      rc = TD_ERR_AIRTABLE_RETRY;
    } else if (rc == TD_OK) {
      at_error_parse((int)status, resp.p, resp.len, e);
      free(resp.p);
      rc = at_error_td(e);
    } else {
      free(resp.p);
      if (rc == TD_ERR_NOMEM)
        return rc;
    }
    if (!e->retryable) {
      LOG(LOG_WARN, "airtable_error", LOG_S("method", method), LOG_S("path", path),
          LOG_I("status", e->http_status), LOG_S("type", e->type));
      return rc;
    }
    if (e->http_status == 429) {
      /* The next rl_acquire() waits the penalty out, for every thread and
       * process of this base. */
      metrics_inc("talentd_airtable_429_total", "", 1);
      rl_penalize(c->rl, retry_after);
    } else {
      delay = at_backoff_s(attempt, c->opt.backoff_base_s, c->opt.backoff_cap_s, jitter());
      if (retry_after > delay)
        delay = retry_after;
    }
    LOG(LOG_WARN, "airtable_retry", LOG_S("method", method), LOG_S("path", path),
        LOG_I("status", e->http_status), LOG_S("type", e->type), LOG_I("attempt", attempt),
        LOG_D("delay_s", delay));
    if (attempt < c->opt.max_attempts) {
      metrics_inc("talentd_airtable_retries_total", "", 1);
      sleep_s(delay);
    }
  }
  return TD_ERR_AIRTABLE_RETRY;
}

/* ---- records ------------------------------------------------------------ */

td_err at_list(at_client *c, const char *table, const at_list_opts *o, at_record_cb cb, void *arg,
               at_error *err)
{
  char *offset = NULL, *url = NULL, *body = NULL;
  cJSON *page = NULL;
  int restarted = 0;
  long delivered = 0;
  td_err rc = TD_OK;
  at_error local;
  at_error *e = err ? err : &local;

  if (!c || !table || !cb)
    return TD_ERR_INVALID;
  for (;;) {
    cJSON *recs, *rec, *off;

    url = at_list_url(c->api_url, c->base, table, o, offset);
    if (!url) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    if (strlen(url) > AT_MAX_URL) {
      /* Long formulas or many fields: Airtable rejects URLs over 16k. */
      free(url);
      url = path_url(c, c->base, table, "listRecords", (const char *)NULL);
      body = at_list_body(o, offset);
      if (!url || !body) {
        rc = TD_ERR_NOMEM;
        goto out;
      }
    }
    rc = request(c, body ? "POST" : "GET", url, body, &page, e);
    free(url);
    free(body);
    url = body = NULL;
    if (rc == TD_ERR_AIRTABLE && e->http_status == 422 && offset && !restarted &&
        strcmp(e->type, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE") == 0) {
      /* The iterator expired (slow consumer): start over once. */
      LOG(LOG_WARN, "airtable_list_restart", LOG_S("table", table));
      restarted = 1;
      free(offset);
      offset = NULL;
      delivered = 0;
      if (o && o->on_restart)
        o->on_restart(arg);
      continue;
    }
    if (rc)
      goto out;
    recs = cJSON_GetObjectItemCaseSensitive(page, "records");
    if (!cJSON_IsArray(recs)) {
      memset(e, 0, sizeof *e);
      copy_str(e->type, sizeof e->type, "INVALID_RESPONSE");
      copy_str(e->message, sizeof e->message, "list answer without a records array");
      rc = TD_ERR_PARSE;
      goto out;
    }
    cJSON_ArrayForEach(rec, recs) {
      if (o && o->max_records > 0 && delivered >= o->max_records)
        break;
      rc = cb(rec, arg);
      if (rc)
        goto out;
      delivered++;
    }
    off = cJSON_GetObjectItemCaseSensitive(page, "offset");
    free(offset);
    offset = NULL;
    if (!cJSON_IsString(off) || !*off->valuestring ||
        (o && o->max_records > 0 && delivered >= o->max_records))
      break;
    offset = strdup(off->valuestring);
    cJSON_Delete(page);
    page = NULL;
    if (!offset) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
  }
out:
  cJSON_Delete(page);
  free(offset);
  free(url);
  free(body);
  return rc;
}

typedef struct acc {
  cJSON *arr;
} acc;

static td_err acc_add(const cJSON *rec, void *arg)
{
  acc *a = arg;
  cJSON *dup = cJSON_Duplicate(rec, 1);
  if (!dup || !cJSON_AddItemToArray(a->arr, dup)) {
    cJSON_Delete(dup);
    return TD_ERR_NOMEM;
  }
  return TD_OK;
}

static void acc_restart(void *arg)
{
  acc *a = arg;
  cJSON *item;
  while ((item = cJSON_DetachItemFromArray(a->arr, 0)))
    cJSON_Delete(item);
}

td_err at_list_all(at_client *c, const char *table, const at_list_opts *o, cJSON **records,
                   at_error *err)
{
  at_list_opts lo = {0};
  acc a = {cJSON_CreateArray()};
  td_err rc;

  *records = NULL;
  if (!a.arr)
    return TD_ERR_NOMEM;
  if (o)
    lo = *o;
  lo.on_restart = acc_restart;
  rc = at_list(c, table, &lo, acc_add, &a, err);
  if (rc) {
    cJSON_Delete(a.arr);
    return rc;
  }
  *records = a.arr;
  return TD_OK;
}

td_err at_get(at_client *c, const char *table, const char *record_id, cJSON **record, at_error *err)
{
  char *url;
  td_err rc;

  *record = NULL;
  if (!c || !table || !record_id)
    return TD_ERR_INVALID;
  url = path_url(c, c->base, table, record_id, (const char *)NULL);
  if (!url)
    return TD_ERR_NOMEM;
  rc = request(c, "GET", url, NULL, record, err);
  free(url);
  return rc;
}

/* PATCH (update) or POST (create) records in chunks of AT_MAX_BATCH. */
static td_err write_batches(at_client *c, const char *method, const char *table,
                            const cJSON *records, int typecast, cJSON **out, at_error *err)
{
  cJSON *all = NULL, *chunk = NULL, *resp = NULL;
  const cJSON *rec;
  char *url = NULL, *body = NULL;
  int n = 0, total, is_update = strcmp(method, "PATCH") == 0;
  td_err rc = TD_OK;

  if (out)
    *out = NULL;
  if (!c || !table || !cJSON_IsArray(records))
    return TD_ERR_INVALID;
  /* Check everything before sending anything. */
  cJSON_ArrayForEach(rec, records) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "fields")) ||
        (is_update && (!cJSON_IsString(id) || !*id->valuestring)))
      return TD_ERR_INVALID;
  }
  total = cJSON_GetArraySize(records);
  url = path_url(c, c->base, table, (const char *)NULL);
  if (!url || (out && !(all = cJSON_CreateArray()))) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  rec = records->child;
  while (n < total) {
    cJSON *payload = cJSON_CreateObject(), *arr, *got, *r;
    chunk = payload;
    arr = payload ? cJSON_AddArrayToObject(payload, "records") : NULL;
    if (!arr) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    for (int k = 0; k < AT_MAX_BATCH && rec; k++, n++, rec = rec->next) {
      cJSON *item = cJSON_CreateObject();
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
      if (!item || !cJSON_AddItemToArray(arr, item) ||
          (is_update && !cJSON_AddStringToObject(item, "id", id->valuestring)) ||
          !cJSON_AddItemToObject(item, "fields",
                                 cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "fields"), 1))) {
        rc = TD_ERR_NOMEM;
        goto out;
      }
    }
    if (typecast && !cJSON_AddTrueToObject(payload, "typecast")) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    body = cJSON_PrintUnformatted(payload);
    if (!body) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    rc = request(c, method, url, body, &resp, err);
    free(body);
    body = NULL;
    cJSON_Delete(chunk);
    chunk = NULL;
    if (rc)
      goto out;
    got = cJSON_GetObjectItemCaseSensitive(resp, "records");
    if (all && cJSON_IsArray(got)) {
      while ((r = cJSON_DetachItemFromArray(got, 0)))
        cJSON_AddItemToArray(all, r);
    }
    cJSON_Delete(resp);
    resp = NULL;
  }
out:
  cJSON_Delete(chunk);
  cJSON_Delete(resp);
  free(body);
  free(url);
  if (rc)
    cJSON_Delete(all);
  else if (out)
    *out = all;
  return rc;
}

td_err at_update(at_client *c, const char *table, const cJSON *records, int typecast, cJSON **out,
                 at_error *err)
{
  return write_batches(c, "PATCH", table, records, typecast, out, err);
}

td_err at_create(at_client *c, const char *table, const cJSON *records, int typecast, cJSON **out,
                 at_error *err)
{
  return write_batches(c, "POST", table, records, typecast, out, err);
}

td_err at_get_tables(at_client *c, cJSON **tables, at_error *err)
{
  char *url;
  td_err rc;

  *tables = NULL;
  if (!c)
    return TD_ERR_INVALID;
  url = path_url(c, "meta", "bases", c->base, "tables", (const char *)NULL);
  if (!url)
    return TD_ERR_NOMEM;
  rc = request(c, "GET", url, NULL, tables, err);
  free(url);
  return rc;
}
