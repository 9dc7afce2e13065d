/* admin_tasks — GET /admin/tasks and POST /admin/tasks/{id}/retry. */
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "queue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int db_down(http_req *r)
{
  db_conn_thread_reset();
  return http_reply_unavailable(r, 5, "The database is unreachable; retry later.");
}

int admin_tasks_list(http_req *r)
{
  const char *st = http_query(r, "state");
  const char *lim = http_query(r, "limit");
  long limit = 50;
  int state = queue_state_parse(st ? st : "dead");
  if (state < 0)
    return http_reply_error(r, 400, "invalid_state",
                            "state must be one of queued, running, retry, done, dead.");
  if (lim) {
    char *end;
    errno = 0;
    limit = strtol(lim, &end, 10);
    if (errno || *end || limit < 1 || limit > 1000)
      return http_reply_error(r, 400, "invalid_limit", "limit must be an integer from 1 to 1000.");
  }
  PGconn *c = db_conn_thread();
  cJSON *arr = NULL;
  td_err rc = c ? queue_list(c, (queue_state)state, (int)limit, &arr) : TD_ERR_DB_UNAVAILABLE;
  if (rc == TD_ERR_DB_UNAVAILABLE)
    return db_down(r);
  if (rc)
    return http_reply_error(r, 500, "internal", "The tasks could not be listed.");
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", 1);
  cJSON_AddStringToObject(o, "state", queue_state_name((queue_state)state));
  cJSON_AddItemToObject(o, "tasks", arr);
  return http_reply_json(r, 200, o);
}

int admin_tasks_retry(http_req *r)
{
  char *end;
  errno = 0;
  long long id = strtoll(r->params[0], &end, 10);
  if (errno || *end || id <= 0)
    return http_reply_error(r, 400, "invalid_task_id", "The task id must be a positive integer.");
  PGconn *c = db_conn_thread();
  td_err rc = c ? queue_retry_dead(c, id) : TD_ERR_DB_UNAVAILABLE;
  switch (rc) {
  case TD_OK: break;
  case TD_ERR_NOT_FOUND: return http_reply_error(r, 404, "task_not_found", "No task has this id.");
  case TD_ERR_CONFLICT:
    return http_reply_error(r, 409, "task_not_dead", "Only a dead task can be retried.");
  case TD_ERR_DB_UNAVAILABLE: return db_down(r);
  default: return http_reply_error(r, 500, "internal", "The task could not be retried.");
  }
  LOG(LOG_INFO, "task_retried_by_admin", LOG_I("task_id", id));
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", 1);
  cJSON_AddNumberToObject(o, "task_id", (double)id);
  return http_reply_json(r, 202, o);
}
