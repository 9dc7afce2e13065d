/* task_status — the ats.status_changed task kind (contract §6).
 *
 * The key is the ATS record id; the payload is ignored (Airtable is re-read).
 * The status is recorded with source "task:<id>" when a webhook event queued
 * the task, "reconcile" when a reconciliation poll did. */
#include "atsstate.h"
#include "cfg.h"
#include "db.h"
#include "tasks.h"

#include <stdio.h>

static td_err source_of(PGconn *c, const queue_task *t, char *buf, size_t len)
{
  char id[32];
  td_err rc;
  snprintf(id, sizeof id, "%lld", t->id);
  const char *p[] = {id};
  PGresult *r = db_exec(c, &rc, "SELECT 1 FROM events WHERE task_id = $1::bigint LIMIT 1", 1, p);
  if (!rc) {
    if (PQntuples(r) > 0)
      snprintf(buf, len, "task:%lld", t->id);
    else
      snprintf(buf, len, "reconcile");
  }
  PQclear(r);
  return rc;
}

td_err task_ats_status_changed(td_app *app, PGconn *c, const queue_task *t, char *err,
                               size_t errlen)
{
  char source[48];
  if (!cfg_is_airtable_id(t->key, "rec")) {
    snprintf(err, errlen, "the task key is not an Airtable record id");
    return TD_ERR_INVALID;
  }
  td_err rc = source_of(c, t, source, sizeof source);
  if (rc) {
    snprintf(err, errlen, "looking up the task's event failed");
    return rc;
  }
  return ats_status_changed(app, c, t->key, source, err, errlen);
}
