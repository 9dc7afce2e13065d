/* admin_reconcile — POST /admin/reconcile: queue a reconciliation poll now. */
#include "atsstate.h"
#include "db.h"
#include "handlers.h"
#include "log.h"

int admin_reconcile(http_req *r)
{
  long long id = 0;
  PGconn *c = db_conn_thread();
  td_err rc = c ? ats_schedule_reconcile(c, &id) : TD_ERR_DB_UNAVAILABLE;
  if (rc == TD_ERR_DB_UNAVAILABLE) {
    db_conn_thread_reset();
    return http_reply_unavailable(r, 5, "The database is unreachable; retry later.");
  }
  if (rc)
    return http_reply_error(r, 500, "internal", "The reconciliation could not be queued.");
  app_wake_workers(r->app);
  LOG(LOG_INFO, "reconcile_queued_by_admin", LOG_I("task_id", id));
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", 1);
  cJSON_AddNumberToObject(o, "task_id", (double)id);
  return http_reply_json(r, 202, o);
}
