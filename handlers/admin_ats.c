/* admin_ats — POST /admin/ats/{id}/match and GET /admin/ats/{id}/matches. */
#include "cfg.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "matchrun.h"
#include "queue.h"

#include <stdio.h>

static int bad_id(http_req *r)
{
  return http_reply_error(r, 400, "invalid_record_id",
                          "The ATS record id must be rec followed by 14 letters or digits.");
}

static int db_down(http_req *r)
{
  db_conn_thread_reset();
  return http_reply_unavailable(r, 5, "The database is unreachable; retry later.");
}

int admin_ats_match(http_req *r)
{
  const char *id = r->params[0];
  int paused, archived;
  long long tid = 0;
  if (!cfg_is_airtable_id(id, "rec"))
    return bad_id(r);
  PGconn *c = db_conn_thread();
  if (!c)
    return db_down(r);
  td_err rc = mr_job_flags(c, id, &paused, &archived);
  if (rc == TD_ERR_DB_UNAVAILABLE)
    return db_down(r);
  if (rc)
    return http_reply_error(r, 500, "internal", "The job's state could not be read.");
  if (paused || archived) {
    LOG(LOG_WARN, "match_refused", LOG_S("ats_record_id", id), LOG_S("trigger", "admin"),
        LOG_S("reason", paused ? "paused" : "archived"));
    return http_reply_error(r, 409, paused ? "job_paused" : "job_archived",
                            paused ? "The job is On Hold; matchmaking resumes when its Job Status "
                                     "moves back to an active one."
                                   : "The job is closed or disqualified; matchmaking resumes only "
                                     "when its Job Status moves back to an active one.");
  }
  rc = queue_enqueue(c, "match", id, "{\"trigger\":\"admin\"}", 8, 0, &tid);
  if (rc == TD_ERR_DB_UNAVAILABLE)
    return db_down(r);
  if (rc)
    return http_reply_error(r, 500, "internal", "The match could not be queued.");
  app_wake_workers(r->app);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", 1);
  cJSON_AddNumberToObject(o, "task_id", (double)tid);
  return http_reply_json(r, 202, o);
}

int admin_ats_matches(http_req *r)
{
  const char *id = r->params[0];
  cJSON *out = NULL;
  if (!cfg_is_airtable_id(id, "rec"))
    return bad_id(r);
  PGconn *c = db_conn_thread();
  if (!c)
    return db_down(r);
  td_err rc = mr_stored_ranking(c, id, &out);
  if (rc == TD_ERR_NOT_FOUND)
    return http_reply_error(r, 404, "no_matches", "This ATS job has no match run yet.");
  if (rc == TD_ERR_DB_UNAVAILABLE)
    return db_down(r);
  if (rc)
    return http_reply_error(r, 500, "internal", "The ranking could not be read.");
  cJSON_AddBoolToObject(out, "ok", 1);
  return http_reply_json(r, 200, out);
}
