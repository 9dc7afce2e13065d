/* log — one JSON object per line on stderr.
 *
 * Usage:  LOG(LOG_INFO, "task_done", LOG_I("task_id", id), LOG_S("kind", k));
 * The level is checked before any argument is formatted (Redis style).  A
 * thread may set a context (request id, task id) that every line it writes
 * carries.  Never pass secrets or candidate names: record ids only. */
#ifndef TD_LOG_H
#define TD_LOG_H

typedef enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

typedef enum log_kind { LOGK_END = 0, LOGK_STR, LOGK_INT, LOGK_DBL } log_kind;

typedef struct log_kv {
  log_kind kind;
  const char *key;
  const char *s;
  long long i;
  double d;
} log_kv;

#define LOG_S(k, v) ((log_kv){.kind = LOGK_STR, .key = (k), .s = (v)})
#define LOG_I(k, v) ((log_kv){.kind = LOGK_INT, .key = (k), .i = (long long)(v)})
#define LOG_D(k, v) ((log_kv){.kind = LOGK_DBL, .key = (k), .d = (double)(v)})

#define LOG(lvl, event, ...)                                                   \
  do {                                                                         \
    if (log_enabled(lvl))                                                      \
      log_emit((lvl), (event), (const log_kv[]){__VA_ARGS__ __VA_OPT__(, ) {0}}); \
  } while (0)

/* Parse "debug|info|warn|error"; returns -1 when unknown. */
int log_level_parse(const char *s);
void log_set_level(log_level lvl);
int log_enabled(log_level lvl);
/* Write one line; kv ends with an entry of kind LOGK_END. */
void log_emit(log_level lvl, const char *event, const log_kv *kv);
/* Per-thread context added to every line: key NULL clears it. */
void log_ctx_set(const char *key, long long id);
void log_ctx_set_str(const char *key, const char *value);
void log_ctx_clear(void);

#endif
