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

td_err task_ats_status_changed(td_app *app, PGconn *c, const queue_task *t, char *err,
                               size_t errlen)
{
  char source[48];
  if (!cfg_is_airtable_id(t->key, "rec")) {
    snprintf(err, errlen, "the task key is not an Airtable record id");
    return TD_ERR_INVALID;
  }
  td_err rc = tasks_source(c, t, "reconcile", source, sizeof source);
  if (rc) {
    snprintf(err, errlen, "looking up the task's event failed");
    return rc;
  }
  return ats_status_changed(app, c, t->key, source, err, errlen);
}
