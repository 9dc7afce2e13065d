/* tasks — kind registry.  Adding a kind: write handlers/task_<kind>.c and
 * add one line here. */
#include "tasks.h"

#include "db.h"

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

td_err tasks_source(PGconn *c, const queue_task *t, const char *otherwise, char *buf, size_t len)
{
  char id[32];
  td_err rc;
  snprintf(id, sizeof id, "%lld", t->id);
  const char *p[] = {id};
  PGresult *r = db_exec(c, &rc, "SELECT 1 FROM events WHERE task_id = $1::bigint LIMIT 1", 1, p);
  if (!rc) {
    if (PQntuples(r) > 0)
      snprintf(buf, len, "task:%lld", t->id);
    else if (otherwise[0] && otherwise[strlen(otherwise) - 1] == ':')
      snprintf(buf, len, "%s%lld", otherwise, t->id);
    else
      snprintf(buf, len, "%s", otherwise);
  }
  PQclear(r);
  return rc;
}
