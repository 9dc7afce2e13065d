/* queue — the PostgreSQL task queue (contract §5).
 *
 * DESIGN.  A task is a row of `tasks`.  Claiming runs claim_task() (schema
 * 0001): the oldest ready row is locked with FOR UPDATE SKIP LOCKED and set
 * to running with a lease, in one short autocommitted statement; the work
 * then runs outside any transaction.  A heartbeat extends the lease while
 * the work runs; the rescuer turns rows whose lease expired back into
 * retry (or dead after the last attempt).  Every state change after the
 * claim is guarded by (id, state = running, attempts = the claimed attempt),
 * so a task rescued and re-claimed elsewhere cannot be completed twice by a
 * slow first worker.  Same-key exclusion and identical-task merging are
 * unique indexes, so they hold across processes. */
#ifndef TD_QUEUE_H
#define TD_QUEUE_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "err.h"

typedef enum queue_state { QS_QUEUED, QS_RUNNING, QS_RETRY, QS_DONE, QS_DEAD, QS__COUNT } queue_state;

typedef struct queue_task {
  long long id;
  char kind[64];
  char key[64];
  char *payload;        /* JSON text, owned */
  int attempts;         /* including this one */
  int max_attempts;
  double wait_seconds;  /* from run_at to the claim */
} queue_task;

const char *queue_state_name(queue_state s);
int queue_state_parse(const char *s); /* -1 when unknown */

/* Insert (or merge into an identical queued task).  payload may be NULL. */
td_err queue_enqueue(PGconn *c, const char *kind, const char *key, const char *payload,
                     int max_attempts, double delay_seconds, long long *id);
/* Claim one ready task; *got = 0 when none.  Free with queue_task_free. */
td_err queue_claim(PGconn *c, const char *worker, int lease_seconds, queue_task *t, int *got);
void queue_task_free(queue_task *t);
/* Guarded completions: TD_ERR_CONFLICT when the task is no longer ours. */
td_err queue_complete(PGconn *c, const queue_task *t);
/* Failure: retry after backoff, or dead when attempts are used up or the
 * error is final (retryable = 0). */
td_err queue_fail(PGconn *c, const queue_task *t, const char *error, int retryable,
                  double backoff_seconds);
td_err queue_heartbeat(PGconn *c, long long id, int attempts, int lease_seconds);
/* Shutdown: give the task back at once.  The attempt number stays (it is
 * the fence against a late completion) but the budget grows by one, so the
 * interrupted attempt does not count. */
td_err queue_release(PGconn *c, long long id, int attempts);
/* Leases expired: back to retry (or dead).  *n = rows rescued. */
td_err queue_rescue(PGconn *c, int *n);
/* Delete done tasks finished more than keep_seconds ago, and old events. */
td_err queue_prune(PGconn *c, long keep_seconds, int *n);
/* Dead task back to queued: TD_ERR_NOT_FOUND, or TD_ERR_CONFLICT when not dead. */
td_err queue_retry_dead(PGconn *c, long long id);
/* Tasks in a state, newest first, as a JSON array. */
td_err queue_list(PGconn *c, queue_state state, int limit, cJSON **out);
td_err queue_counts(PGconn *c, long long counts[QS__COUNT]);

/* Capped exponential backoff with jitter for the n-th failed attempt:
 * base * 2^(n-1), capped, then scaled by a random factor in [0.5, 1). */
double queue_backoff(int attempt, double base_seconds, double cap_seconds);

#endif
