/* task_reconcile — the reconcile task kind: one poll of every ATS record's
 * Job Status, queueing ats.status_changed for each one that moved (key
 * "reconcile", so only one poll runs at a time across processes). */
#include "atsstate.h"
#include "tasks.h"

td_err task_reconcile(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  (void)t;
  return ats_reconcile(app, c, NULL, err, errlen);
}
