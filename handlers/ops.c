/* ops — /healthz, /readyz and /metrics (contract §4.3). */
#include "db.h"
#include "handlers.h"
#include "metrics.h"
#include "migrate.h"
#include "queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ops_healthz(http_req *r)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", "ok");
  return http_reply_json(r, 200, o);
}

int ops_readyz(http_req *r)
{
  td_err rc = TD_ERR_DB_UNAVAILABLE;
  PGconn *c = db_conn_thread();
  int v = c ? migrate_current(c, &rc) : -1;
  if (rc == TD_ERR_DB_UNAVAILABLE)
    db_conn_thread_reset();
  cJSON *o = cJSON_CreateObject();
  int ready = !rc && v == r->app->schema_version;
  cJSON_AddStringToObject(o, "status", ready ? "ready" : "not_ready");
  cJSON_AddBoolToObject(o, "database", !rc);
  cJSON_AddNumberToObject(o, "schema_version", v);
  cJSON_AddNumberToObject(o, "schema_expected", r->app->schema_version);
  return http_reply_json(r, ready ? 200 : 503, o);
}

int ops_metrics(http_req *r)
{
  long long counts[QS__COUNT];
  PGconn *c = db_conn_thread();
  /* Task counts come from the database at scrape time: they are shared by
   * every process, so a per-process counter would be wrong. */
  if (c && queue_counts(c, counts) == TD_OK) {
    for (int s = 0; s < QS__COUNT; s++) {
      char labels[48];
      snprintf(labels, sizeof labels, "state=\"%s\"", queue_state_name((queue_state)s));
      metrics_set("talentd_tasks", labels, (double)counts[s]);
    }
    metrics_set("talentd_database_up", "", 1);
  } else {
    db_conn_thread_reset();
    metrics_set("talentd_database_up", "", 0);
  }
  return http_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", metrics_render());
}
