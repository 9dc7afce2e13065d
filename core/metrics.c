/* metrics — a small registry: a linked list of series per metric name,
 * guarded by one mutex.  The number of series is small (tens), so linear
 * search is cheaper than anything clever, and /metrics is rarely scraped. */
#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 12
static const double bucket_le[NBUCKETS] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                           0.25,  0.5,   1,    5,     15,   60};

typedef struct series {
  struct series *next;
  char *labels;
  double value;                 /* counter/gauge; histogram sum */
  unsigned long long count;     /* histogram */
  unsigned long long buckets[NBUCKETS];
} series;

typedef struct metric {
  struct metric *next;
  char *name, *type, *help;
  series *series;
} metric;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static metric *metrics;

static metric *find_metric(const char *name, const char *type)
{
  metric *m;
  for (m = metrics; m; m = m->next)
    if (strcmp(m->name, name) == 0)
      return m;
  m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->name = strdup(name);
  m->type = strdup(type);
  if (!m->name || !m->type) {
    free(m->name);
    free(m->type);
    free(m);
    return NULL;
  }
  /* keep insertion order for a stable rendering */
  metric **pp = &metrics;
  while (*pp)
    pp = &(*pp)->next;
  *pp = m;
  return m;
}

static series *find_series(metric *m, const char *labels)
{
  series *s, **pp = &m->series;
  if (!labels)
    labels = "";
  for (s = m->series; s; s = s->next)
    if (strcmp(s->labels, labels) == 0)
      return s;
  s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->labels = strdup(labels);
  if (!s->labels) {
    free(s);
    return NULL;
  }
  while (*pp)
    pp = &(*pp)->next;
  *pp = s;
  return s;
}

void metrics_describe(const char *name, const char *type, const char *help)
{
  pthread_mutex_lock(&mu);
  metric *m = find_metric(name, type);
  if (m && !m->help)
    m->help = strdup(help);
  pthread_mutex_unlock(&mu);
}

static void update(const char *name, const char *type, const char *labels, double v, int mode)
{
  pthread_mutex_lock(&mu);
  metric *m = find_metric(name, type);
  series *s = m ? find_series(m, labels) : NULL;
  if (s) {
    if (mode == 0) {
      s->value += v;
    } else if (mode == 1) {
      s->value = v;
    } else {
      s->value += v;
      s->count++;
      for (int i = 0; i < NBUCKETS; i++)
        if (v <= bucket_le[i])
          s->buckets[i]++;
    }
  }
  pthread_mutex_unlock(&mu);
}

void metrics_inc(const char *name, const char *labels, double v) { update(name, "counter", labels, v, 0); }
void metrics_set(const char *name, const char *labels, double v) { update(name, "gauge", labels, v, 1); }
void metrics_observe(const char *name, const char *labels, double s) { update(name, "histogram", labels, s, 2); }

double metrics_get(const char *name, const char *labels)
{
  double v = 0;
  pthread_mutex_lock(&mu);
  for (metric *m = metrics; m; m = m->next)
    if (strcmp(m->name, name) == 0)
      for (series *s = m->series; s; s = s->next)
        if (strcmp(s->labels, labels ? labels : "") == 0)
          v = m->type[0] == 'h' ? (double)s->count : s->value;
  pthread_mutex_unlock(&mu);
  return v;
}

char *metrics_label_escape(const char *v, char *out, size_t outlen)
{
  size_t j = 0;
  for (; v && *v && j + 2 < outlen; v++) {
    if (*v == '\\' || *v == '"') {
      out[j++] = '\\';
      out[j++] = *v;
    } else if (*v == '\n') {
      out[j++] = '\\';
      out[j++] = 'n';
    } else {
      out[j++] = *v;
    }
  }
  out[j] = 0;
  return out;
}

typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
  va_list ap;
  if (b->oom)
    return;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->oom = 1;
      return;
    }
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    size_t ncap = (b->cap + (size_t)n) * 2;
    char *np = realloc(b->p, ncap);
    if (!np) {
      b->oom = 1;
      return;
    }
    b->p = np;
    b->cap = ncap;
  }
}

static void sb_series(sbuf *b, const char *name, const char *suffix, const char *labels,
                      const char *extra, double v)
{
  int has = labels && *labels, hasx = extra && *extra;
  sb_printf(b, "%s%s%s%s%s%s%s %.17g\n", name, suffix, (has || hasx) ? "{" : "", has ? labels : "",
            (has && hasx) ? "," : "", hasx ? extra : "", (has || hasx) ? "}" : "", v);
}

char *metrics_render(void)
{
  sbuf b = {malloc(4096), 0, 4096, 0};
  if (!b.p)
    return NULL;
  b.p[0] = 0;
  pthread_mutex_lock(&mu);
  for (metric *m = metrics; m; m = m->next) {
    if (m->help)
      sb_printf(&b, "# HELP %s %s\n", m->name, m->help);
    sb_printf(&b, "# TYPE %s %s\n", m->name, m->type);
    for (series *s = m->series; s; s = s->next) {
      if (m->type[0] != 'h') {
        sb_series(&b, m->name, "", s->labels, NULL, s->value);
        continue;
      }
      char le[32];
      for (int i = 0; i < NBUCKETS; i++) {
        snprintf(le, sizeof le, "le=\"%g\"", bucket_le[i]);
        sb_series(&b, m->name, "_bucket", s->labels, le, (double)s->buckets[i]);
      }
      sb_series(&b, m->name, "_bucket", s->labels, "le=\"+Inf\"", (double)s->count);
      sb_series(&b, m->name, "_sum", s->labels, NULL, s->value);
      sb_series(&b, m->name, "_count", s->labels, NULL, (double)s->count);
    }
  }
  pthread_mutex_unlock(&mu);
  if (b.oom) {
    free(b.p);
    return NULL;
  }
  return b.p;
}

void metrics_reset(void)
{
  pthread_mutex_lock(&mu);
  while (metrics) {
    metric *m = metrics;
    metrics = m->next;
    while (m->series) {
      series *s = m->series;
      m->series = s->next;
      free(s->labels);
      free(s);
    }
    free(m->name);
    free(m->type);
    free(m->help);
    free(m);
  }
  pthread_mutex_unlock(&mu);
}
