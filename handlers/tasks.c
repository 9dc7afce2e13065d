/* tasks — kind registry.  Adding a kind: write handlers/task_<kind>.c and
 * add one line here. */
#include "tasks.h"

#include <stdio.h>
#include <string.h>

static const task_kind kinds[] = {
  {"noop", task_noop},
  {"ats.status_changed", task_ats_status_changed},
  {"ats.stages_changed", task_ats_stages_changed},
  {"customer.start_matchmaking", task_start_matchmaking},
  {"customer.updated", task_customer_updated},
  {"talent.updated", task_talent_updated},
  {"match", task_match},
  {"reconcile", task_reconcile},
};

const task_kind *tasks_find(const char *kind)
{
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

td_err task_not_implemented(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  (void)app;
  (void)c;
  snprintf(err, errlen, "task kind %s is not implemented yet", t->kind);
  return TD_ERR_NOT_IMPLEMENTED;
}
