/* task_sync — `talent.updated` and `customer.updated` (contract §4.1):
 * re-read the record from Airtable (the event's fields are ignored),
 * normalize, store, write the (N) fields that differ in one PATCH. */
#include "tasks.h"

#include "airtable.h"
#include "log.h"
#include "sync.h"

#include <stdio.h>

static td_err run(td_app *app, PGconn *c, const queue_task *t, sync_table table, char *err,
                  size_t errlen)
{
  sync_ctx s;
  at_client *at = app->at; /* made by app_init for serve */
  if (!at) {
    snprintf(err, errlen, "no Airtable client in this process");
    return TD_ERR_INTERNAL;
  }
  if (!cfg_is_airtable_id(t->key, "rec")) {
    snprintf(err, errlen, "task key is not a record id");
    return TD_ERR_INVALID;
  }
  sync_init(&s, at, c, app->cfg, 0);
  s.force = 1;
  td_err rc = sync_one(&s, table, t->key, err, errlen);
  LOG(rc ? LOG_WARN : LOG_INFO, "sync_task_done", LOG_S("record_id", t->key),
      LOG_S("table", sync_table_name(table)), LOG_I("written", s.st.written),
      LOG_I("deleted", s.st.deleted), LOG_I("cv_failed", s.st.cv_failed),
      LOG_S("result", td_strerror(rc)));
  return rc;
}

td_err task_talent_updated(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  return run(app, c, t, SYNC_TALENT, err, errlen);
}

td_err task_customer_updated(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  return run(app, c, t, SYNC_CUSTOMERS, err, errlen);
}
