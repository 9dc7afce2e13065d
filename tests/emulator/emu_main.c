/* emu_main — the Airtable emulator's process: command line, the
 * libmicrohttpd server, the /v0 REST routes, the per-base rate limiter,
 * injected faults and the /_emu control API used by tests.
 *
 * Every request is handled on its own thread (thread-per-connection) so that
 * an injected slow answer delays only that request, as on the real service;
 * the base itself sits behind one mutex, which is plenty for a test double.
 * Paths and query strings are parsed from the raw URI (MHD's URI-log hook)
 * rather than from MHD's decoded view, so that the request log shows exactly
 * what talentd sent and `fields%5B%5D` and `fields[]` are told apart only by
 * decoding, like on Airtable.  See README.md for the behaviour contract. */
#include "emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (1024u * 1024u * 1024u)
#define MAX_URL 16000
#define MAX_LOG 200000
#define N_ITERS 16
#define MAX_LIST_FIELDS 512
#define MAX_SORT 16
#define MAX_RATE_SLOTS 1000

/* ------------------------------------------------------------- state -- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static emu_base *base;
static uint64_t base_gen;
static const char *opt_token;
static int opt_rate = 5;
static double opt_penalty = 30;

typedef struct limiter {
  char base[64];
  double stamps[MAX_RATE_SLOTS]; /* ring of accepted request times */
  size_t head, count;
  double penalty_until;
} limiter;
static limiter limiters[8];
static size_t nlimiters;

static double fault_p429, fault_p500, fault_p503, fault_slow_p;
static long fault_slow_ms;
static cJSON *script; /* array of scripted answers, consumed from the front */

static cJSON *log_arr;
static size_t log_count;
static long long log_seq;

typedef struct iter {
  char id[EMU_ID_MAX];
  char table[EMU_ID_MAX * 4];
  uint64_t gen;
  char (*ids)[EMU_ID_MAX];
  size_t n;
} iter;
static iter iters[N_ITERS];
static size_t iter_next;

/* A separate generator for fault dice so that creating records does not
 * change which requests fail under a given --seed. */
static uint64_t dice_state = 1;

static double dice(void) {
  uint64_t z = (dice_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (double)(z >> 11) / 9007199254740992.0;
}

static double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

/* ---------------------------------------------------------- requests -- */

typedef struct req {
  char *uri;
  char *body;
  size_t blen, bcap;
  int too_big;
  int started;
} req;

typedef struct resp {
  int status;
  char *body; /* malloc'd */
  const char *ctype;
  char retry_after[32];
} resp;

typedef struct qparam {
  char *key, *val;
} qparam;

typedef struct qparams {
  qparam *p;
  size_t n;
} qparams;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decode s[0..n) into a new string; plus_space for query strings. */
static char *pct_decode(const char *s, size_t n, int plus_space) {
  char *o = malloc(n + 1), *p = o;
  if (!o) abort();
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      *p++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else if (plus_space && s[i] == '+') {
      *p++ = ' ';
    } else {
      *p++ = s[i];
    }
  }
  *p = '\0';
  return o;
}

static void qparams_parse(const char *q, qparams *out) {
  out->p = NULL;
  out->n = 0;
  if (!q) return;
  const char *s = q;
  while (*s) {
    const char *amp = strchr(s, '&');
    size_t len = amp ? (size_t)(amp - s) : strlen(s);
    if (len) {
      const char *eq = memchr(s, '=', len);
      size_t kl = eq ? (size_t)(eq - s) : len;
      out->p = realloc(out->p, (out->n + 1) * sizeof *out->p);
      if (!out->p) abort();
      out->p[out->n].key = pct_decode(s, kl, 1);
      out->p[out->n].val = eq ? pct_decode(eq + 1, len - kl - 1, 1) : pct_decode("", 0, 1);
      out->n++;
    }
    s += len;
    if (*s == '&') s++;
  }
}

static void qparams_free(qparams *q) {
  for (size_t i = 0; i < q->n; i++) {
    free(q->p[i].key);
    free(q->p[i].val);
  }
  free(q->p);
}

static const char *qget(const qparams *q, const char *key) {
  for (size_t i = 0; i < q->n; i++)
    if (strcmp(q->p[i].key, key) == 0) return q->p[i].val;
  return NULL;
}

/* "name[]" or "name[7]": the array forms clients send for fields/records. */
static int is_array_key(const char *key, const char *name) {
  size_t l = strlen(name);
  if (strncmp(key, name, l) != 0 || key[l] != '[') return 0;
  const char *p = key + l + 1;
  while (*p >= '0' && *p <= '9') p++;
  return p[0] == ']' && p[1] == '\0';
}

static void set_json(resp *r, int status, cJSON *j) {
  r->status = status;
  r->body = cJSON_PrintUnformatted(j);
  r->ctype = "application/json; charset=utf-8";
  cJSON_Delete(j);
}

static void set_error(resp *r, int status, const char *type, const char *message) {
  cJSON *j = cJSON_CreateObject();
  cJSON *e = cJSON_AddObjectToObject(j, "error");
  cJSON_AddStringToObject(e, "type", type);
  if (message) cJSON_AddStringToObject(e, "message", message);
  set_json(r, status, j);
}

static void set_emu_error(resp *r, const emu_error *e) { set_error(r, e->status, e->type, e->message); }

static void set_not_found(resp *r) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "error", "NOT_FOUND");
  set_json(r, 404, j);
}

static void set_invalid_request(resp *r) {
  set_error(r, 422, "INVALID_REQUEST_UNKNOWN",
            "Invalid request: parameter validation failed. Check your request data.");
}

static void set_rate_limited(resp *r) {
  cJSON *j = cJSON_CreateObject();
  cJSON *a = cJSON_AddArrayToObject(j, "errors");
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "error", "RATE_LIMIT_REACHED");
  cJSON_AddStringToObject(e, "message", "Rate limit exceeded. Please try again later");
  cJSON_AddItemToArray(a, e);
  set_json(r, 429, j);
}

static void set_model_not_found(resp *r) {
  set_error(r, 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
            "Invalid permissions, or the requested model was not found. Check that both your user and "
            "your token have the required permissions, and that the model names and/or ids are correct.");
}

static cJSON *parse_body(const req *rq, resp *r) {
  cJSON *j = rq->blen ? cJSON_ParseWithLength(rq->body, rq->blen) : NULL;
  if (!j)
    set_error(r, 400, "INVALID_REQUEST_BODY",
              "The request encoding is invalid; the request can't be parsed as a valid JSON.");
  return j;
}

/* ------------------------------------------------------- rate limiting -- */

static limiter *limiter_for(const char *b) {
  for (size_t i = 0; i < nlimiters; i++)
    if (strcmp(limiters[i].base, b) == 0) return &limiters[i];
  size_t i = nlimiters < sizeof limiters / sizeof limiters[0] ? nlimiters++ : 0;
  memset(&limiters[i], 0, sizeof limiters[i]);
  snprintf(limiters[i].base, sizeof limiters[i].base, "%s", b);
  return &limiters[i];
}

/* 1 when the request may go on; counts it.  The request that would be the
 * (N+1)th within one second is refused and starts the penalty, during which
 * everything is refused: this is what Airtable documents. */
static int rate_admit(const char *b) {
  if (opt_rate <= 0) return 1;
  limiter *l = limiter_for(b);
  double now = mono_now();
  if (now < l->penalty_until) return 0;
  while (l->count && now - l->stamps[l->head] >= 1.0) {
    l->head = (l->head + 1) % MAX_RATE_SLOTS;
    l->count--;
  }
  if (l->count >= (size_t)opt_rate || l->count >= MAX_RATE_SLOTS) {
    l->penalty_until = now + opt_penalty;
    l->count = 0;
    l->head = 0;
    return 0;
  }
  l->stamps[(l->head + l->count) % MAX_RATE_SLOTS] = now;
  l->count++;
  return 1;
}

/* --------------------------------------------------------------- log -- */

static void log_add(const char *method, const char *path, const char *query, const req *rq, int status,
                    double t) {
  if (!log_arr) log_arr = cJSON_CreateArray();
  if (log_count >= MAX_LOG) {
    cJSON_DeleteItemFromArray(log_arr, 0);
    log_count--;
  }
  cJSON *e = cJSON_CreateObject();
  cJSON_AddNumberToObject(e, "seq", (double)++log_seq);
  cJSON_AddNumberToObject(e, "t", floor(t * 1000.0) / 1000.0);
  cJSON_AddStringToObject(e, "method", method);
  cJSON_AddStringToObject(e, "path", path);
  cJSON_AddStringToObject(e, "query", query ? query : "");
  cJSON_AddStringToObject(e, "body", rq->body ? rq->body : "");
  cJSON_AddNumberToObject(e, "status", status);
  cJSON_AddItemToArray(log_arr, e);
  log_count++;
}

/* ------------------------------------------------------------ listing -- */

typedef struct listq {
  long page_size;
  long max_records;
  const char *offset;
  emu_field *fields[MAX_LIST_FIELDS];
  size_t nfields;
  int has_fields;
  emu_field *sort_f[MAX_SORT];
  int sort_desc[MAX_SORT];
  size_t nsort;
  const char *formula;
  int by_id;
} listq;

static int parse_long(const char *s, long *out) {
  char *end;
  if (!s || !*s) return -1;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

static int add_list_field(emu_table *t, listq *lq, const char *name, resp *r) {
  emu_field *f = emu_field_find(t, name);
  char msg[600];
  if (!f) {
    snprintf(msg, sizeof msg, "Unknown field name: \"%s\"", name);
    set_error(r, 422, "UNKNOWN_FIELD_NAME", msg);
    return -1;
  }
  lq->has_fields = 1;
  if (lq->nfields < MAX_LIST_FIELDS) lq->fields[lq->nfields++] = f;
  return 0;
}

static int add_sort(emu_table *t, listq *lq, size_t idx, const char *field, const char *dir, resp *r) {
  char msg[600];
  if (idx >= MAX_SORT || !field) {
    set_invalid_request(r);
    return -1;
  }
  emu_field *f = emu_field_find(t, field);
  if (!f) {
    snprintf(msg, sizeof msg, "Unknown field name: \"%s\"", field);
    set_error(r, 422, "UNKNOWN_FIELD_NAME", msg);
    return -1;
  }
  if (dir && strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0) {
    set_error(r, 422, "INVALID_SORT_DIRECTION", "Invalid sort direction; use \"asc\" or \"desc\".");
    return -1;
  }
  lq->sort_f[idx] = f;
  lq->sort_desc[idx] = dir && strcmp(dir, "desc") == 0;
  if (idx + 1 > lq->nsort) lq->nsort = idx + 1;
  return 0;
}

static int listq_from_query(emu_table *t, const qparams *q, listq *lq, resp *r) {
  const char *sort_field[MAX_SORT] = {0}, *sort_dir[MAX_SORT] = {0};
  size_t nsort = 0;
  for (size_t i = 0; i < q->n; i++) {
    const char *k = q->p[i].key, *v = q->p[i].val;
    if (strcmp(k, "pageSize") == 0) {
      if (parse_long(v, &lq->page_size) || lq->page_size < 1) goto bad;
    } else if (strcmp(k, "maxRecords") == 0) {
      if (parse_long(v, &lq->max_records) || lq->max_records < 0) goto bad;
    } else if (strcmp(k, "offset") == 0) {
      lq->offset = v;
    } else if (is_array_key(k, "fields")) {
      if (add_list_field(t, lq, v, r)) return -1;
    } else if (strcmp(k, "filterByFormula") == 0) {
      lq->formula = v;
    } else if (strcmp(k, "returnFieldsByFieldId") == 0) {
      lq->by_id = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
    } else if (strncmp(k, "sort[", 5) == 0) {
      char *end;
      long idx = strtol(k + 5, &end, 10);
      if (end == k + 5 || idx < 0 || idx >= MAX_SORT) goto bad;
      if (strcmp(end, "][field]") == 0)
        sort_field[idx] = v;
      else if (strcmp(end, "][direction]") == 0)
        sort_dir[idx] = v;
      else
        goto bad;
      if ((size_t)idx + 1 > nsort) nsort = (size_t)idx + 1;
    }
    /* view, cellFormat, timeZone, userLocale: accepted and ignored */
  }
  for (size_t i = 0; i < nsort; i++)
    if (add_sort(t, lq, i, sort_field[i], sort_dir[i], r)) return -1;
  return 0;
bad:
  set_invalid_request(r);
  return -1;
}

static int listq_from_body(emu_table *t, const cJSON *b, listq *lq, resp *r) {
  const cJSON *v;
  if (!cJSON_IsObject(b)) goto bad;
  cJSON_ArrayForEach(v, b) {
    const char *k = v->string;
    if (strcmp(k, "pageSize") == 0 || strcmp(k, "maxRecords") == 0) {
      if (!cJSON_IsNumber(v) || v->valuedouble < (k[0] == 'p' ? 1 : 0)) goto bad;
      *(k[0] == 'p' ? &lq->page_size : &lq->max_records) = (long)v->valuedouble;
    } else if (strcmp(k, "offset") == 0) {
      if (!cJSON_IsString(v)) goto bad;
      lq->offset = v->valuestring;
    } else if (strcmp(k, "fields") == 0) {
      const cJSON *f;
      if (!cJSON_IsArray(v)) goto bad;
      lq->has_fields = 1;
      cJSON_ArrayForEach(f, v) {
        if (!cJSON_IsString(f)) goto bad;
        if (add_list_field(t, lq, f->valuestring, r)) return -1;
      }
    } else if (strcmp(k, "filterByFormula") == 0) {
      if (!cJSON_IsString(v)) goto bad;
      lq->formula = v->valuestring;
    } else if (strcmp(k, "returnFieldsByFieldId") == 0) {
      lq->by_id = cJSON_IsTrue(v);
    } else if (strcmp(k, "sort") == 0) {
      const cJSON *s;
      size_t i = 0;
      if (!cJSON_IsArray(v)) goto bad;
      cJSON_ArrayForEach(s, v) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(s, "field");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "direction");
        if (!cJSON_IsString(f) || (d && !cJSON_IsString(d))) goto bad;
        if (add_sort(t, lq, i++, f->valuestring, d ? d->valuestring : NULL, r)) return -1;
      }
    } else if (strcmp(k, "view") && strcmp(k, "cellFormat") && strcmp(k, "timeZone") &&
               strcmp(k, "userLocale")) {
      goto bad;
    }
  }
  return 0;
bad:
  set_invalid_request(r);
  return -1;
}

typedef struct sortkey {
  emu_record *r;
  size_t idx;
  double *num;
  char **txt;
  unsigned char *has;
} sortkey;

static int sort_cmp(const void *a, const void *b, void *arg) {
  const sortkey *x = a, *y = b;
  const listq *lq = arg;
  for (size_t i = 0; i < lq->nsort; i++) {
    int c;
    if (x->has[i] != y->has[i]) {
      c = x->has[i] ? 1 : -1; /* blanks first when ascending */
    } else if (!x->has[i]) {
      c = 0;
    } else if (x->txt[i] == NULL) {
      c = x->num[i] < y->num[i] ? -1 : x->num[i] > y->num[i];
    } else {
      c = strcasecmp(x->txt[i], y->txt[i]);
      c = c < 0 ? -1 : c > 0;
    }
    if (c) return lq->sort_desc[i] ? -c : c;
  }
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static iter *iter_find(const char *id) {
  for (size_t i = 0; i < N_ITERS; i++)
    if (iters[i].ids && iters[i].gen == base_gen && strcmp(iters[i].id, id) == 0) return &iters[i];
  return NULL;
}

/* The snapshot of a listing's ids: later pages follow it, like Airtable's
 * iterators, so records created meanwhile do not shift pages. */
static iter *iter_new(const emu_table *t, sortkey *keys, size_t n) {
  iter *it = &iters[iter_next];
  iter_next = (iter_next + 1) % N_ITERS;
  free(it->ids);
  emu_random_id("itr", it->id);
  snprintf(it->table, sizeof it->table, "%s", t->id);
  it->gen = base_gen;
  it->n = n;
  it->ids = malloc((n ? n : 1) * sizeof *it->ids);
  if (!it->ids) abort();
  for (size_t i = 0; i < n; i++) memcpy(it->ids[i], keys[i].r->id, EMU_ID_MAX);
  return it;
}

static void do_list(emu_table *t, listq *lq, resp *r) {
  char err[600], msg[700];
  if (lq->page_size > 100) {
    set_invalid_request(r);
    return;
  }
  if (lq->page_size <= 0) lq->page_size = 100;
  iter *it = NULL;
  size_t pos = 0;
  sortkey *keys = NULL;
  size_t nkeys = 0, nmatched = 0;
  if (lq->offset) {
    const char *slash = strchr(lq->offset, '/');
    char itid[EMU_ID_MAX];
    if (slash && (size_t)(slash - lq->offset) < sizeof itid) {
      snprintf(itid, sizeof itid, "%.*s", (int)(slash - lq->offset), lq->offset);
      it = iter_find(itid);
    }
    if (it && strcmp(it->table, t->id) != 0) it = NULL;
    if (it) {
      for (pos = 0; pos < it->n && strcmp(it->ids[pos], slash + 1) != 0; pos++) {}
      if (pos == it->n) it = NULL;
    }
    if (!it) {
      snprintf(msg, sizeof msg, "The list records iterator is not available: %s", lq->offset);
      set_error(r, 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", msg);
      return;
    }
  } else {
    emu_formula *f = NULL;
    if (lq->formula && *lq->formula) {
      f = emu_formula_parse(lq->formula, t, err, sizeof err);
      if (!f) {
        snprintf(msg, sizeof msg, "The formula for filtering records is invalid: %s", err);
        set_error(r, 422, "INVALID_FILTER_BY_FORMULA", msg);
        return;
      }
    }
    keys = calloc(t->nrecs + 1, sizeof *keys);
    if (!keys) abort();
    for (size_t i = 0; i < t->nrecs; i++)
      if (!f || emu_formula_match(f, t, t->recs[i])) keys[nkeys++] = (sortkey){.r = t->recs[i], .idx = i};
    emu_formula_free(f);
    nmatched = nkeys;
    if (lq->nsort) {
      for (size_t i = 0; i < nkeys; i++) {
        keys[i].num = calloc(lq->nsort, sizeof *keys[i].num);
        keys[i].txt = calloc(lq->nsort, sizeof *keys[i].txt);
        keys[i].has = calloc(lq->nsort, 1);
        if (!keys[i].num || !keys[i].txt || !keys[i].has) abort();
        for (size_t s = 0; s < lq->nsort; s++) {
          const cJSON *c = cJSON_GetObjectItemCaseSensitive(keys[i].r->fields, lq->sort_f[s]->name);
          keys[i].has[s] = c != NULL;
          if (cJSON_IsNumber(c))
            keys[i].num[s] = c->valuedouble;
          else if (cJSON_IsBool(c))
            keys[i].num[s] = 1;
          else if (c)
            keys[i].txt[s] = emu_cell_text(lq->sort_f[s], c);
        }
      }
      qsort_r(keys, nkeys, sizeof *keys, sort_cmp, lq);
    }
    if (lq->max_records > 0 && (size_t)lq->max_records < nkeys) nkeys = (size_t)lq->max_records;
    if (nkeys > (size_t)lq->page_size) it = iter_new(t, keys, nkeys);
  }
  cJSON *out = cJSON_CreateObject();
  cJSON *recs = cJSON_AddArrayToObject(out, "records");
  emu_field *const *only = lq->has_fields ? lq->fields : NULL;
  size_t total = it ? it->n : nkeys, taken = 0;
  while (pos < total && taken < (size_t)lq->page_size) {
    const emu_record *rec = it ? emu_record_find(t, it->ids[pos]) : keys[pos].r;
    pos++;
    if (!rec) continue; /* deleted since the listing started */
    cJSON_AddItemToArray(recs, emu_record_json(t, rec, only, lq->nfields, lq->by_id));
    taken++;
  }
  if (it && pos < total) {
    snprintf(msg, sizeof msg, "%s/%s", it->id, it->ids[pos]);
    cJSON_AddStringToObject(out, "offset", msg);
  }
  for (size_t i = 0; i < nmatched; i++) {
    free(keys[i].num);
    for (size_t s = 0; keys[i].txt && s < lq->nsort; s++) free(keys[i].txt[s]);
    free(keys[i].txt);
    free(keys[i].has);
  }
  free(keys);
  set_json(r, 200, out);
}

/* ------------------------------------------------------------- writes -- */

static int body_typecast(const cJSON *b) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "typecast")); }
static int body_by_id(const cJSON *b) {
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "returnFieldsByFieldId"));
}

static void missing_fields(resp *r) {
  set_error(r, 422, "INVALID_REQUEST_MISSING_FIELDS", "Could not find field \"fields\" in the request body");
}

static void do_create(emu_table *t, const req *rq, resp *r) {
  emu_error e;
  cJSON *b = parse_body(rq, r);
  if (!b) return;
  int typecast = body_typecast(b), by_id = body_by_id(b);
  const cJSON *records = cJSON_GetObjectItemCaseSensitive(b, "records");
  const cJSON *single = cJSON_GetObjectItemCaseSensitive(b, "fields");
  if (!records && !single) {
    missing_fields(r);
    goto out;
  }
  if (records) {
    int n = cJSON_GetArraySize(records);
    char msg[200];
    if (!cJSON_IsArray(records) || n == 0) {
      set_invalid_request(r);
      goto out;
    }
    if (n > 10) {
      snprintf(msg, sizeof msg,
               "A maximum of 10 records can be created per request but you have provided %d.", n);
      set_error(r, 422, "INVALID_RECORDS", msg);
      goto out;
    }
    cJSON *norm[10] = {0};
    int k = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
      const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, "fields");
      if (!f) {
        missing_fields(r);
        goto fail_batch;
      }
      if (emu_prepare_fields(base, t, f, typecast, &norm[k], &e)) {
        set_emu_error(r, &e);
        goto fail_batch;
      }
      k++;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "records");
    for (int i = 0; i < k; i++) {
      emu_record *nr = emu_apply_create(t, norm[i]);
      cJSON_AddItemToArray(arr, emu_record_json(t, nr, NULL, 0, by_id));
    }
    set_json(r, 200, out);
  fail_batch:
    for (int i = 0; i < 10; i++) cJSON_Delete(norm[i]);
    goto out;
  }
  cJSON *norm = NULL;
  if (emu_prepare_fields(base, t, single, typecast, &norm, &e)) {
    set_emu_error(r, &e);
    goto out;
  }
  emu_record *nr = emu_apply_create(t, norm);
  cJSON_Delete(norm);
  set_json(r, 200, emu_record_json(t, nr, NULL, 0, by_id));
out:
  cJSON_Delete(b);
}

/* performUpsert: the records whose merge fields equal the sent values. */
static emu_record *upsert_match(emu_table *t, const cJSON *merge, const cJSON *fields, int *nmatch) {
  emu_record *hit = NULL;
  *nmatch = 0;
  for (size_t i = 0; i < t->nrecs; i++) {
    const cJSON *m;
    int all = 1;
    cJSON_ArrayForEach(m, merge) {
      emu_field *f = cJSON_IsString(m) ? emu_field_find(t, m->valuestring) : NULL;
      const cJSON *want = f ? cJSON_GetObjectItemCaseSensitive(fields, m->valuestring) : NULL;
      if (!want && f) want = cJSON_GetObjectItemCaseSensitive(fields, f->id);
      const cJSON *have = f ? cJSON_GetObjectItemCaseSensitive(t->recs[i]->fields, f->name) : NULL;
      if (!f || !want || !have || !cJSON_Compare(want, have, 1)) {
        all = 0;
        break;
      }
    }
    if (all) {
      hit = t->recs[i];
      (*nmatch)++;
    }
  }
  return hit;
}

static void do_update(emu_table *t, const char *rec_id, const req *rq, int replace, resp *r) {
  emu_error e;
  char msg[300];
  cJSON *b = parse_body(rq, r);
  if (!b) return;
  int typecast = body_typecast(b), by_id = body_by_id(b);
  if (rec_id) {
    emu_record *rec = emu_record_find(t, rec_id);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, "fields");
    cJSON *norm = NULL;
    if (!rec) {
      set_not_found(r);
    } else if (!f) {
      missing_fields(r);
    } else if (emu_prepare_fields(base, t, f, typecast, &norm, &e)) {
      set_emu_error(r, &e);
    } else {
      emu_apply_update(t, rec, norm, replace);
      set_json(r, 200, emu_record_json(t, rec, NULL, 0, by_id));
    }
    cJSON_Delete(norm);
    cJSON_Delete(b);
    return;
  }
  const cJSON *records = cJSON_GetObjectItemCaseSensitive(b, "records");
  const cJSON *upsert = cJSON_GetObjectItemCaseSensitive(b, "performUpsert");
  const cJSON *merge = upsert ? cJSON_GetObjectItemCaseSensitive(upsert, "fieldsToMergeOn") : NULL;
  int n = cJSON_GetArraySize(records);
  if (!cJSON_IsArray(records)) {
    if (cJSON_GetObjectItemCaseSensitive(b, "fields"))
      set_invalid_request(r);
    else
      missing_fields(r);
    cJSON_Delete(b);
    return;
  }
  if (upsert && (!cJSON_IsArray(merge) || cJSON_GetArraySize(merge) < 1 || cJSON_GetArraySize(merge) > 3)) {
    set_invalid_request(r);
    cJSON_Delete(b);
    return;
  }
  if (n == 0 || n > 10) {
    snprintf(msg, sizeof msg, "A maximum of 10 records can be updated per request but you have provided %d.", n);
    set_error(r, 422, "INVALID_RECORDS", n ? msg : "\"records\" must be a non-empty array");
    cJSON_Delete(b);
    return;
  }
  cJSON *norm[10] = {0};
  emu_record *target[10] = {0};
  int k = 0;
  const cJSON *rec;
  cJSON_ArrayForEach(rec, records) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, "fields");
    if (!f) {
      missing_fields(r);
      goto done;
    }
    if (cJSON_IsString(id)) {
      target[k] = emu_record_find(t, id->valuestring);
      if (!target[k]) {
        snprintf(msg, sizeof msg, "Record ID %s does not exist in this table", id->valuestring);
        set_error(r, 422, "ROW_DOES_NOT_EXIST", msg);
        goto done;
      }
    } else if (upsert) {
      int nm;
      target[k] = upsert_match(t, merge, f, &nm);
      if (nm > 1) {
        set_error(r, 422, "INVALID_RECORDS", "Upsert matched more than one record; fieldsToMergeOn must be unique.");
        goto done;
      }
    } else {
      set_error(r, 422, "INVALID_RECORDS", "Could not find field \"id\" in the record");
      goto done;
    }
    if (emu_prepare_fields(base, t, f, typecast, &norm[k], &e)) {
      set_emu_error(r, &e);
      goto done;
    }
    k++;
  }
  cJSON *out = cJSON_CreateObject();
  cJSON *arr = cJSON_AddArrayToObject(out, "records");
  cJSON *created = upsert ? cJSON_AddArrayToObject(out, "createdRecords") : NULL;
  cJSON *updated = upsert ? cJSON_AddArrayToObject(out, "updatedRecords") : NULL;
  for (int i = 0; i < k; i++) {
    emu_record *tr = target[i];
    if (tr) {
      emu_apply_update(t, tr, norm[i], replace);
      if (updated) cJSON_AddItemToArray(updated, cJSON_CreateString(tr->id));
    } else {
      tr = emu_apply_create(t, norm[i]);
      cJSON_AddItemToArray(created, cJSON_CreateString(tr->id));
    }
    cJSON_AddItemToArray(arr, emu_record_json(t, tr, NULL, 0, by_id));
  }
  set_json(r, 200, out);
done:
  for (int i = 0; i < 10; i++) cJSON_Delete(norm[i]);
  cJSON_Delete(b);
}

static cJSON *deleted_json(const char *id) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", id);
  cJSON_AddBoolToObject(o, "deleted", 1);
  return o;
}

static void do_delete(emu_table *t, const char *rec_id, const qparams *q, resp *r) {
  char msg[300];
  if (rec_id) {
    if (!emu_record_find(t, rec_id)) {
      set_not_found(r);
      return;
    }
    char id[EMU_ID_MAX];
    snprintf(id, sizeof id, "%s", rec_id);
    emu_delete_record(base, t, id);
    set_json(r, 200, deleted_json(id));
    return;
  }
  const char *ids[10];
  size_t n = 0, total = 0;
  for (size_t i = 0; i < q->n; i++) {
    if (!is_array_key(q->p[i].key, "records")) continue;
    if (n < 10) ids[n++] = q->p[i].val;
    total++;
  }
  if (total == 0 || total > 10) {
    set_error(r, 422, "INVALID_RECORDS", "\"records\" must be an array of up to 10 record IDs.");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (!emu_record_find(t, ids[i])) {
      snprintf(msg, sizeof msg, "Record ID %s does not exist in this table", ids[i]);
      set_error(r, 422, "ROW_DOES_NOT_EXIST", msg);
      return;
    }
  }
  cJSON *out = cJSON_CreateObject();
  cJSON *arr = cJSON_AddArrayToObject(out, "records");
  for (size_t i = 0; i < n; i++) {
    if (emu_delete_record(base, t, ids[i]) == 0) cJSON_AddItemToArray(arr, deleted_json(ids[i]));
  }
  set_json(r, 200, out);
}

/* ------------------------------------------------------------ routing -- */

typedef struct path {
  char *seg[8];
  size_t n;
} path;

static void path_split(const char *p, path *out) {
  out->n = 0;
  while (*p == '/') p++;
  while (*p && out->n < 8) {
    const char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    out->seg[out->n++] = pct_decode(p, len, 0);
    p += len;
    while (*p == '/') p++;
  }
}

static void path_free(path *p) {
  for (size_t i = 0; i < p->n; i++) free(p->seg[i]);
}

static int auth_ok(struct MHD_Connection *c) {
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
  if (!h || strncasecmp(h, "Bearer ", 7) != 0) return 0;
  const char *tok = h + 7;
  while (*tok == ' ') tok++;
  if (!*tok) return 0;
  return !opt_token || strcmp(tok, opt_token) == 0;
}

/* Everything under /v0 once rate limiting and faults have let it through. */
static void api_route(struct MHD_Connection *c, const char *method, const path *p, const qparams *q,
                      const req *rq, size_t url_len, resp *r) {
  if (!auth_ok(c)) {
    set_error(r, 401, "AUTHENTICATION_REQUIRED", "Authentication required");
    return;
  }
  if (strcmp(method, "GET") == 0 && url_len > MAX_URL) {
    set_error(r, 422, "INVALID_REQUEST_UNKNOWN",
              "Invalid request: the URL is longer than 16000 characters; use POST .../listRecords "
              "with the parameters in the body instead.");
    return;
  }
  /* p->seg[0] is "v0" */
  if (p->n == 5 && strcmp(p->seg[1], "meta") == 0 && strcmp(p->seg[2], "bases") == 0 &&
      strcmp(p->seg[4], "tables") == 0) {
    if (strcmp(method, "GET") != 0) {
      set_error(r, 404, "NOT_FOUND", "Could not find what you are looking for");
    } else if (strcmp(p->seg[3], base->id) != 0) {
      set_model_not_found(r);
    } else {
      set_json(r, 200, emu_base_meta(base));
    }
    return;
  }
  if (p->n < 3 || p->n > 4) {
    set_error(r, 404, "NOT_FOUND", "Could not find what you are looking for");
    return;
  }
  if (strcmp(p->seg[1], base->id) != 0) {
    set_model_not_found(r);
    return;
  }
  emu_table *t = emu_table_find(base, p->seg[2]);
  if (!t) {
    set_model_not_found(r);
    return;
  }
  const char *rec_id = p->n == 4 ? p->seg[3] : NULL;
  if (rec_id && strcmp(rec_id, "listRecords") == 0 && strcmp(method, "POST") == 0) {
    listq lq = {0};
    cJSON *b = parse_body(rq, r);
    if (!b) return;
    if (listq_from_body(t, b, &lq, r) == 0) do_list(t, &lq, r);
    cJSON_Delete(b);
    return;
  }
  if (strcmp(method, "GET") == 0) {
    if (!rec_id) {
      listq lq = {0};
      if (listq_from_query(t, q, &lq, r) == 0) do_list(t, &lq, r);
      return;
    }
    emu_record *rec = emu_record_find(t, rec_id);
    /* Airtable quirk: a record of another table in the same base is returned too */
    emu_table *owner = t;
    for (size_t i = 0; !rec && i < base->ntables; i++) {
      owner = &base->tables[i];
      rec = emu_record_find(owner, rec_id);
    }
    if (!rec) {
      set_not_found(r);
      return;
    }
    const char *by = qget(q, "returnFieldsByFieldId");
    set_json(r, 200, emu_record_json(owner, rec, NULL, 0, by && strcmp(by, "true") == 0));
    return;
  }
  if (strcmp(method, "POST") == 0 && !rec_id) {
    do_create(t, rq, r);
  } else if (strcmp(method, "PATCH") == 0 || strcmp(method, "PUT") == 0) {
    do_update(t, rec_id, rq, method[1] == 'U', r);
  } else if (strcmp(method, "DELETE") == 0) {
    do_delete(t, rec_id, q, r);
  } else {
    set_error(r, 404, "NOT_FOUND", "Could not find what you are looking for");
  }
}

/* A scripted or random fault; returns 1 when it decides the answer. */
static int fault_answer(const cJSON *f, resp *r) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(f, "status");
  if (!cJSON_IsNumber(st)) return 0;
  int status = (int)st->valuedouble;
  const cJSON *body = cJSON_GetObjectItemCaseSensitive(f, "body");
  const cJSON *raw = cJSON_GetObjectItemCaseSensitive(f, "raw");
  const cJSON *ra = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "headers"), "Retry-After");
  if (cJSON_IsString(raw)) {
    r->status = status;
    r->body = strdup(raw->valuestring);
    r->ctype = "text/html; charset=utf-8";
  } else if (body) {
    set_json(r, status, cJSON_Duplicate(body, 1));
  } else if (status == 429) {
    set_rate_limited(r);
  } else if (status == 503) {
    set_error(r, 503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");
  } else {
    set_error(r, status, status >= 500 ? "SERVER_ERROR" : "INVALID_REQUEST_UNKNOWN",
              status >= 500 ? "Try again. If the problem persists, contact support." : "Injected error");
  }
  if (cJSON_IsString(ra)) snprintf(r->retry_after, sizeof r->retry_after, "%s", ra->valuestring);
  else if (cJSON_IsNumber(ra)) snprintf(r->retry_after, sizeof r->retry_after, "%d", (int)ra->valuedouble);
  return 1;
}

static void handle_api(struct MHD_Connection *c, const char *method, const char *rawpath, const char *query,
                       const req *rq, resp *r) {
  double t0 = wall_now();
  path p;
  qparams q;
  path_split(rawpath, &p);
  qparams_parse(query, &q);
  const char *bkey = p.n >= 4 && strcmp(p.seg[1], "meta") == 0 ? p.seg[3] : (p.n >= 2 ? p.seg[1] : "");
  long delay = 0;
  cJSON *scripted = NULL;

  pthread_mutex_lock(&mu);
  if (script && cJSON_GetArraySize(script) > 0) {
    scripted = cJSON_DetachItemFromArray(script, 0);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(scripted, "slow_ms");
    if (cJSON_IsNumber(s)) delay = (long)s->valuedouble;
  } else if (fault_slow_p > 0 && dice() < fault_slow_p) {
    delay = fault_slow_ms;
  }
  pthread_mutex_unlock(&mu);
  if (delay > 0) sleep_ms(delay);

  pthread_mutex_lock(&mu);
  if (scripted && fault_answer(scripted, r)) {
    /* a scripted status stands in for the whole request, limiter included;
     * an entry without one ({} or {"slow_ms"}) is answered normally */
  } else if (!rate_admit(bkey)) {
    set_rate_limited(r);
  } else {
    double u = (fault_p429 + fault_p500 + fault_p503) > 0 ? dice() : 2.0;
    if (u < fault_p429) {
      set_rate_limited(r);
    } else if (u < fault_p429 + fault_p500) {
      cJSON *f = cJSON_Parse("{\"status\":500}");
      fault_answer(f, r);
      cJSON_Delete(f);
    } else if (u < fault_p429 + fault_p500 + fault_p503) {
      cJSON *f = cJSON_Parse("{\"status\":503}");
      fault_answer(f, r);
      cJSON_Delete(f);
    } else {
      size_t url_len = strlen(rawpath) + (query ? strlen(query) + 1 : 0);
      api_route(c, method, &p, &q, rq, url_len, r);
    }
  }
  log_add(method, rawpath, query, rq, r->status, t0);
  pthread_mutex_unlock(&mu);
  cJSON_Delete(scripted);
  path_free(&p);
  qparams_free(&q);
}

/* --------------------------------------------------------- control API -- */

static void serve_file(const char *name, resp *r, int *fd_out, size_t *size_out) {
  struct stat st;
  char fpath[2048];
  if (!emu_files_dir || !*name || strchr(name, '/') || strcmp(name, "..") == 0 || name[0] == '.') {
    set_not_found(r);
    return;
  }
  snprintf(fpath, sizeof fpath, "%s/%s", emu_files_dir, name);
  int fd = open(fpath, O_RDONLY);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) close(fd);
    set_not_found(r);
    return;
  }
  r->status = 200;
  const char *dot = strrchr(name, '.');
  r->ctype = dot && strcasecmp(dot, ".pdf") == 0   ? "application/pdf"
             : dot && strcasecmp(dot, ".txt") == 0 ? "text/plain; charset=utf-8"
                                                   : "application/octet-stream";
  *fd_out = fd;
  *size_out = (size_t)st.st_size;
}

static void handle_control(const char *method, const char *rawpath, const req *rq, resp *r, int *fd,
                           size_t *fsize) {
  path p;
  path_split(rawpath, &p);
  int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
  const char *what = p.n >= 2 ? p.seg[1] : "";
  char err[600];
  if (strcmp(what, "files") == 0 && get && p.n == 3) {
    serve_file(p.seg[2], r, fd, fsize);
    path_free(&p);
    return;
  }
  pthread_mutex_lock(&mu);
  if (strcmp(what, "health") == 0 && get) {
    set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
  } else if (strcmp(what, "log") == 0 && get) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "requests", log_arr ? cJSON_Duplicate(log_arr, 1) : cJSON_CreateArray());
    set_json(r, 200, o);
  } else if (strcmp(what, "log") == 0 && strcmp(method, "DELETE") == 0) {
    cJSON_Delete(log_arr);
    log_arr = NULL;
    log_count = 0;
    set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
  } else if (strcmp(what, "faults") == 0 && post) {
    cJSON *b = parse_body(rq, r);
    if (b) {
      const cJSON *v;
      fault_p429 = cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(b, "429")) ? v->valuedouble : 0;
      fault_p500 = cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(b, "500")) ? v->valuedouble : 0;
      fault_p503 = cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(b, "503")) ? v->valuedouble : 0;
      fault_slow_ms = cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(b, "slow_ms")) ? (long)v->valuedouble : 0;
      fault_slow_p = cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(b, "slow_probability")) ? v->valuedouble : 0;
      if (fault_slow_ms > 0 && !cJSON_GetObjectItemCaseSensitive(b, "slow_probability")) fault_slow_p = 1;
      cJSON_Delete(b);
      set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
    }
  } else if (strcmp(what, "script") == 0 && post) {
    cJSON *b = parse_body(rq, r);
    if (b) {
      cJSON *f = cJSON_DetachItemFromObjectCaseSensitive(b, "faults");
      if (!cJSON_IsArray(f)) {
        cJSON_Delete(f);
        set_error(r, 400, "INVALID_REQUEST_BODY", "expected {\"faults\": [...]}");
      } else {
        cJSON_Delete(script);
        script = f;
        set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
      }
      cJSON_Delete(b);
    }
  } else if (strcmp(what, "dump") == 0 && get) {
    set_json(r, 200, emu_base_dump(base));
  } else if (strcmp(what, "load") == 0 && post) {
    cJSON *b = parse_body(rq, r);
    if (b) {
      emu_base *nb = emu_base_load(b, err, sizeof err);
      if (!nb) {
        set_error(r, 400, "INVALID_FIXTURE", err);
      } else {
        emu_base_free(base);
        base = nb;
        base_gen++;
        set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
      }
      cJSON_Delete(b);
    }
  } else if (strcmp(what, "reset-rate") == 0 && post) {
    nlimiters = 0;
    set_json(r, 200, cJSON_Parse("{\"ok\":true}"));
  } else if (strcmp(what, "records") == 0 && strcmp(method, "PATCH") == 0 && p.n == 4) {
    emu_table *t = emu_table_find(base, p.seg[2]);
    emu_record *rec = t ? emu_record_find(t, p.seg[3]) : NULL;
    cJSON *b = rec ? parse_body(rq, r) : NULL;
    if (!rec) {
      set_not_found(r);
    } else if (b) {
      emu_error e;
      cJSON *norm = NULL;
      const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, "fields");
      if (!f)
        missing_fields(r);
      else if (emu_prepare_fields(base, t, f, 1, &norm, &e))
        set_emu_error(r, &e);
      else {
        emu_apply_update(t, rec, norm, 0);
        set_json(r, 200, emu_record_json(t, rec, NULL, 0, 0));
      }
      cJSON_Delete(norm);
      cJSON_Delete(b);
    }
  } else {
    set_error(r, 404, "NOT_FOUND", "unknown control endpoint");
  }
  pthread_mutex_unlock(&mu);
  path_free(&p);
}

/* ------------------------------------------------------------- daemon -- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls;
  (void)c;
  req *rq = calloc(1, sizeof *rq);
  if (!rq) abort();
  rq->uri = strdup(uri ? uri : "/");
  if (!rq->uri) abort();
  return rq;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode tc) {
  (void)cls;
  (void)c;
  (void)tc;
  req *rq = *con_cls;
  if (!rq) return;
  free(rq->uri);
  free(rq->body);
  free(rq);
  *con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls) {
  (void)cls;
  (void)url;
  (void)version;
  req *rq = *con_cls;
  if (!rq->started) {
    rq->started = 1;
    return MHD_YES;
  }
  if (*upload_size) {
    if (rq->blen + *upload_size > MAX_BODY) {
      rq->too_big = 1;
    } else {
      if (rq->blen + *upload_size + 1 > rq->bcap) {
        rq->bcap = (rq->blen + *upload_size + 1) * 2;
        rq->body = realloc(rq->body, rq->bcap);
        if (!rq->body) abort();
      }
      memcpy(rq->body + rq->blen, upload, *upload_size);
      rq->blen += *upload_size;
      rq->body[rq->blen] = '\0';
    }
    *upload_size = 0;
    return MHD_YES;
  }
  char *uri = rq->uri;
  char *qm = strchr(uri, '?');
  char *rawpath = strndup(uri, qm ? (size_t)(qm - uri) : strlen(uri));
  const char *query = qm ? qm + 1 : NULL;
  resp r = {0};
  int fd = -1;
  size_t fsize = 0;
  if (!rawpath) abort();
  if (rq->too_big) {
    set_error(&r, 413, "REQUEST_TOO_LARGE", "Request body is too large");
  } else if (strncmp(rawpath, "/_emu/", 6) == 0) {
    handle_control(method, rawpath, rq, &r, &fd, &fsize);
  } else if (strcmp(rawpath, "/v0") == 0 || strncmp(rawpath, "/v0/", 4) == 0) {
    handle_api(c, method, rawpath, query, rq, &r);
  } else {
    set_error(&r, 404, "NOT_FOUND", "Could not find what you are looking for");
  }
  free(rawpath);
  struct MHD_Response *mr;
  if (fd >= 0) {
    mr = MHD_create_response_from_fd(fsize, fd);
  } else {
    size_t len = r.body ? strlen(r.body) : 0;
    mr = MHD_create_response_from_buffer(len, r.body ? r.body : (void *)"", r.body ? MHD_RESPMEM_MUST_FREE
                                                                                 : MHD_RESPMEM_PERSISTENT);
  }
  if (!mr) return MHD_NO;
  if (r.ctype) MHD_add_response_header(mr, "Content-Type", r.ctype);
  if (r.retry_after[0]) MHD_add_response_header(mr, "Retry-After", r.retry_after);
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)(r.status ? r.status : 500), mr);
  MHD_destroy_response(mr);
  return ret;
}

static char *read_file(const char *pathname, size_t *len) {
  FILE *f = fopen(pathname, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

static void usage(void) {
  fprintf(stderr, "usage: airtable-emulator --fixture FILE --port N [--token TOKEN] [--rate-limit N]\n"
                  "                         [--penalty SECONDS] [--files DIR] [--seed S]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *fixture = NULL;
  long port = -1, seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *end;
    if (!v) usage();
    if (strcmp(a, "--fixture") == 0) fixture = v;
    else if (strcmp(a, "--port") == 0) port = strtol(v, &end, 10);
    else if (strcmp(a, "--token") == 0) opt_token = v;
    else if (strcmp(a, "--rate-limit") == 0) opt_rate = (int)strtol(v, &end, 10);
    else if (strcmp(a, "--penalty") == 0) opt_penalty = strtod(v, &end);
    else if (strcmp(a, "--files") == 0) emu_files_dir = v;
    else if (strcmp(a, "--seed") == 0) seed = strtol(v, &end, 10);
    else usage();
    i++;
  }
  if (!fixture || port < 0 || port > 65535) usage();
  emu_seed((uint64_t)seed);
  dice_state = (uint64_t)seed * 2654435761u + 1;

  size_t len;
  char err[600];
  char *text = read_file(fixture, &len);
  if (!text) {
    fprintf(stderr, "airtable-emulator: cannot read %s\n", fixture);
    return 1;
  }
  cJSON *j = cJSON_ParseWithLength(text, len);
  free(text);
  if (!j) {
    fprintf(stderr, "airtable-emulator: %s is not JSON\n", fixture);
    return 1;
  }
  base = emu_base_load(j, err, sizeof err);
  cJSON_Delete(j);
  if (!base) {
    fprintf(stderr, "airtable-emulator: bad fixture: %s\n", err);
    return 1;
  }

  /* block the signals before MHD starts its threads so only sigwait sees them */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
      NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
      NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)(1024 * 1024), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "airtable-emulator: cannot listen on port %ld\n", port);
    return 1;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  emu_port = info ? info->port : (int)port;
  printf("listening on %d\n", emu_port);
  fflush(stdout);

  int sig;
  sigwait(&set, &sig);
  MHD_stop_daemon(d);
  pthread_mutex_lock(&mu);
  emu_base_free(base);
  cJSON_Delete(log_arr);
  cJSON_Delete(script);
  for (size_t i = 0; i < N_ITERS; i++) free(iters[i].ids);
  pthread_mutex_unlock(&mu);
  return 0;
}
