/* log — JSON-lines logger.  Lines are built in a stack buffer and written
 * with one fwrite under stderr's lock, so lines from threads never mix. */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static volatile int g_level = LOG_INFO;

static _Thread_local char ctx_key[32];
static _Thread_local char ctx_val[64];
static _Thread_local long long ctx_id;
static _Thread_local int ctx_kind; /* 0 none, 1 int, 2 str */

static const char *const level_names[] = {"debug", "info", "warn", "error"};

int log_level_parse(const char *s)
{
  for (int i = 0; i < 4; i++)
    if (s && strcmp(s, level_names[i]) == 0)
      return i;
  return -1;
}

void log_set_level(log_level lvl) { g_level = (int)lvl; }
int log_enabled(log_level lvl) { return (int)lvl >= g_level; }

void log_ctx_set(const char *key, long long id)
{
  if (!key) {
    ctx_kind = 0;
    return;
  }
  snprintf(ctx_key, sizeof ctx_key, "%s", key);
  ctx_id = id;
  ctx_kind = 1;
}

void log_ctx_set_str(const char *key, const char *value)
{
  if (!key || !value) {
    ctx_kind = 0;
    return;
  }
  snprintf(ctx_key, sizeof ctx_key, "%s", key);
  snprintf(ctx_val, sizeof ctx_val, "%s", value);
  ctx_kind = 2;
}

void log_ctx_clear(void) { ctx_kind = 0; }

typedef struct buf {
  char *p;
  size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
  if (b->len + n >= b->cap)
    n = b->cap - b->len - 1;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_json_str(buf *b, const char *s)
{
  put(b, "\"", 1);
  for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
    char esc[8];
    switch (*c) {
    case '"': put(b, "\\\"", 2); break;
    case '\\': put(b, "\\\\", 2); break;
    case '\n': put(b, "\\n", 2); break;
    case '\r': put(b, "\\r", 2); break;
    case '\t': put(b, "\\t", 2); break;
    default:
      if (*c < 0x20) {
        int n = snprintf(esc, sizeof esc, "\\u%04x", *c);
        put(b, esc, (size_t)n);
      } else {
        put(b, (const char *)c, 1);
      }
    }
  }
  put(b, "\"", 1);
}

void log_emit(log_level lvl, const char *event, const log_kv *kv)
{
  char mem[4096];
  buf b = {mem, 0, sizeof mem};
  struct timeval tv;
  struct tm tm;
  char ts[40], num[64];

  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(num, sizeof num, ".%03ldZ", (long)(tv.tv_usec / 1000));
  puts_(&b, "{\"ts\":\"");
  puts_(&b, ts);
  puts_(&b, num);
  puts_(&b, "\",\"level\":\"");
  puts_(&b, level_names[lvl & 3]);
  puts_(&b, "\",\"event\":");
  put_json_str(&b, event);
  if (ctx_kind) {
    puts_(&b, ",");
    put_json_str(&b, ctx_key);
    puts_(&b, ":");
    if (ctx_kind == 1) {
      snprintf(num, sizeof num, "%lld", ctx_id);
      puts_(&b, num);
    } else {
      put_json_str(&b, ctx_val);
    }
  }
  for (; kv && kv->kind != LOGK_END; kv++) {
    puts_(&b, ",");
    put_json_str(&b, kv->key);
    puts_(&b, ":");
    switch (kv->kind) {
    case LOGK_STR: put_json_str(&b, kv->s); break;
    case LOGK_INT:
      snprintf(num, sizeof num, "%lld", kv->i);
      puts_(&b, num);
      break;
    case LOGK_DBL:
      snprintf(num, sizeof num, "%.15g", kv->d);
      puts_(&b, num);
      break;
    default: break;
    }
  }
  puts_(&b, "}\n");
  flockfile(stderr);
  fwrite(b.p, 1, b.len, stderr);
  funlockfile(stderr);
}
