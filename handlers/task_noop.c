/* task_noop — a task that does nothing, for tests and benchmarks.
 *
 * Payload (all optional): {"sleep_ms": N, "fail": "retry"|"final"}.  Each
 * run writes a log line with its start and end time so tests can check that
 * every task ran exactly once and that same-key tasks never overlapped. */
#include "log.h"
#include "tasks.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static double now(void)
{
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

td_err task_noop(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  cJSON *p = cJSON_Parse(t->payload ? t->payload : "{}");
  const cJSON *sleep_ms = cJSON_GetObjectItemCaseSensitive(p, "sleep_ms");
  const cJSON *fail = cJSON_GetObjectItemCaseSensitive(p, "fail");
  double start = now();
  td_err rc = TD_OK;
  (void)c;
  (void)app;

  if (cJSON_IsNumber(sleep_ms) && sleep_ms->valuedouble > 0) {
    /* sleep in slices so that shutdown is not held up longer than needed */
    double until = start + sleep_ms->valuedouble / 1000.0;
    while (now() < until) {
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  if (cJSON_IsString(fail)) {
    snprintf(err, errlen, "noop asked to fail (%s)", fail->valuestring);
    rc = strcmp(fail->valuestring, "final") == 0 ? TD_ERR_INVALID : TD_ERR_IO;
  }
  LOG(LOG_INFO, "task_noop_ran", LOG_I("task_id", t->id), LOG_S("key", t->key),
      LOG_I("attempt", t->attempts), LOG_D("start", start), LOG_D("end", now()));
  cJSON_Delete(p);
  return rc;
}
