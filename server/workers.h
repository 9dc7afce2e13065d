/* workers — the pool that drains the task queue.
 *
 * DESIGN.  N worker threads, each with its own PGconn, loop: claim one task
 * (claim_task), run its handler outside any transaction, then complete or
 * fail it with a guarded UPDATE.  Idle workers sleep on a condition
 * variable, woken by a listener thread that LISTENs on "talentd_tasks"
 * (NOTIFY is sent in the same transaction that queues a task) or after one
 * second at most: NOTIFY is a hint and the poll is the safety net.  A
 * maintenance thread renews the lease of every running task (heartbeat every
 * lease/3), rescues tasks whose lease expired in any process, and prunes old
 * done tasks.  Shutdown stops claiming, waits for running tasks up to a
 * grace period, then gives the unfinished ones back (lease released, attempt
 * not counted). */
#ifndef TD_WORKERS_H
#define TD_WORKERS_H

#include "app.h"

typedef struct workers workers;

workers *workers_start(td_app *app, int n);
/* Stop: returns the number of tasks that had to be released. */
int workers_stop(workers *w, int grace_seconds);

#endif
