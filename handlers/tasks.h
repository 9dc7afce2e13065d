/* tasks — the registry of task kinds (contract §5): kind name -> handler.
 *
 * A handler runs outside any transaction on the worker's own connection,
 * must be idempotent (at-least-once execution), and returns TD_OK, a
 * retryable error (the queue retries with backoff) or a final one (dead at
 * once).  err receives a one-line reason kept in tasks.last_error. */
#ifndef TD_TASKS_H
#define TD_TASKS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "app.h"
#include "err.h"
#include "queue.h"

typedef td_err (*task_fn)(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);

typedef struct task_kind {
  const char *kind;
  task_fn fn;
} task_kind;

/* Look a kind up; NULL when unknown. */
const task_kind *tasks_find(const char *kind);

/* What queued a task, for audit columns: "task:<id>" when a webhook event
 * did, else `otherwise` ("reconcile"), followed by the task id when it
 * ends with a colon ("internal:" -> "internal:42"). */
td_err tasks_source(PGconn *c, const queue_task *t, const char *otherwise, char *buf, size_t len);

/* Handlers (task_*.c). */
td_err task_noop(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
td_err task_match(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
td_err task_start_matchmaking(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
/* task_sync.c: re-normalize one record and write its (N) fields back. */
td_err task_talent_updated(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
td_err task_customer_updated(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
/* task_status.c, task_reconcile.c: the Job Status state machine (core/atsstate.h). */
td_err task_ats_status_changed(td_app *app, PGconn *c, const queue_task *t, char *err,
                               size_t errlen);
/* task_stages.c: recruiter feedback from the stage columns and the Feedback field. */
td_err task_ats_stages_changed(td_app *app, PGconn *c, const queue_task *t, char *err,
                               size_t errlen);
td_err task_reconcile(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);
td_err task_not_implemented(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen);

#endif
