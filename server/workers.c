/* workers — queue-draining thread pool, listener and maintenance threads. */
#include "workers.h"
#include "atsstate.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "tasks.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PRUNE_EVERY 600      /* seconds */
#define PRUNE_KEEP 7 * 86400 /* done tasks are kept a week for inspection */

typedef struct slot {
  long long id; /* 0 = idle */
  int attempts;
} slot;

struct workers {
  td_app *app;
  int n;
  pthread_t *threads;
  pthread_t listener, maint;
  pthread_mutex_t mu; /* guards slots and done */
  pthread_cond_t done_cv;
  slot *slots;
  int finished; /* worker threads that have exited */
  char host[64];
};

typedef struct worker_arg {
  workers *w;
  int index;
} worker_arg;

void app_wake_workers(td_app *app)
{
  pthread_mutex_lock(&app->wake_mu);
  app->wake_seq++;
  pthread_cond_broadcast(&app->wake_cv);
  pthread_mutex_unlock(&app->wake_mu);
}

static double mono(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep until woken (wake_seq moves past seen) or timeout (seconds),
 * unless stopping.  any_wake = 0 ignores wake-ups: a plain, stop-aware
 * sleep for the listener and maintenance threads. */
static void wait_for(td_app *app, unsigned long seen, int any_wake, double timeout)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  long ns = ts.tv_nsec + (long)(timeout * 1e9);
  ts.tv_sec += ns / 1000000000L;
  ts.tv_nsec = ns % 1000000000L;
  pthread_mutex_lock(&app->wake_mu);
  while (!app->stopping && (!any_wake || app->wake_seq == seen))
    if (pthread_cond_timedwait(&app->wake_cv, &app->wake_mu, &ts) == ETIMEDOUT)
      break;
  pthread_mutex_unlock(&app->wake_mu);
}

static void idle_wait(td_app *app, unsigned long seen, double timeout)
{
  wait_for(app, seen, 1, timeout);
}

static void stop_sleep(td_app *app, double timeout) { wait_for(app, 0, 0, timeout); }

static void run_one(workers *w, PGconn *c, queue_task *t, int index)
{
  char err[512] = "", labels[160], esc[80];
  const task_kind *k = tasks_find(t->kind);
  double t0 = mono();
  td_err rc;

  metrics_label_escape(t->kind, esc, sizeof esc);
  snprintf(labels, sizeof labels, "kind=\"%s\"", esc);
  metrics_observe("talentd_queue_wait_seconds", labels, t->wait_seconds);
  log_ctx_set("task_id", t->id);
  LOG(LOG_DEBUG, "task_start", LOG_S("kind", t->kind), LOG_S("key", t->key),
      LOG_I("attempt", t->attempts));
  if (k) {
    rc = k->fn(w->app, c, t, err, sizeof err);
  } else {
    snprintf(err, sizeof err, "unknown task kind %s", t->kind);
    rc = TD_ERR_INVALID;
  }
  double secs = mono() - t0;
  metrics_observe("talentd_task_run_seconds", labels, secs);
  /* The handler may have broken the connection; get a healthy one. */
  c = db_conn_thread();
  td_err frc;
  const char *outcome;
  if (!rc) {
    frc = c ? queue_complete(c, t) : TD_ERR_DB_UNAVAILABLE;
    outcome = "done";
  } else {
    int retryable = td_err_retryable(rc);
    if (!err[0])
      snprintf(err, sizeof err, "%s", td_strerror(rc));
    double backoff = queue_backoff(t->attempts, w->app->retry_base_seconds, w->app->retry_cap_seconds);
    frc = c ? queue_fail(c, t, err, retryable, backoff) : TD_ERR_DB_UNAVAILABLE;
    outcome = !retryable || t->attempts >= t->max_attempts ? "dead" : "retry";
  }
  if (frc == TD_ERR_CONFLICT)
    outcome = "lost_lease";
  else if (frc)
    outcome = "unrecorded"; /* lease will expire and the task runs again */
  snprintf(labels, sizeof labels, "kind=\"%s\",outcome=\"%s\"", esc, outcome);
  metrics_inc("talentd_task_runs_total", labels, 1);
  LOG(rc ? LOG_WARN : LOG_INFO, "task_finished", LOG_S("kind", t->kind), LOG_S("key", t->key),
      LOG_I("attempt", t->attempts), LOG_S("outcome", outcome), LOG_D("ms", secs * 1000),
      LOG_D("wait_ms", t->wait_seconds * 1000), LOG_S("error", rc ? err : ""), LOG_I("worker", index));
  log_ctx_clear();
}

static void *worker_main(void *p)
{
  worker_arg *a = p;
  workers *w = a->w;
  td_app *app = w->app;
  int index = a->index;
  char name[96];
  free(a);
  snprintf(name, sizeof name, "%s:%d:w%d", w->host, (int)getpid(), index);

  while (!app->stopping) {
    pthread_mutex_lock(&app->wake_mu);
    unsigned long seen = app->wake_seq;
    pthread_mutex_unlock(&app->wake_mu);
    PGconn *c = db_conn_thread();
    if (!c) {
      idle_wait(app, seen, 1.0);
      continue;
    }
    queue_task t;
    int got = 0;
    td_err rc = queue_claim(c, name, app->lease_seconds, &t, &got);
    if (rc == TD_ERR_DB_UNAVAILABLE)
      db_conn_thread_reset();
    if (rc || !got) {
      idle_wait(app, seen, 1.0);
      continue;
    }
    pthread_mutex_lock(&w->mu);
    w->slots[index].id = t.id;
    w->slots[index].attempts = t.attempts;
    pthread_mutex_unlock(&w->mu);
    run_one(w, c, &t, index);
    pthread_mutex_lock(&w->mu);
    w->slots[index].id = 0;
    pthread_mutex_unlock(&w->mu);
    queue_task_free(&t);
  }
  db_conn_thread_reset();
  pthread_mutex_lock(&w->mu);
  w->finished++;
  pthread_cond_broadcast(&w->done_cv);
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

static void *listener_main(void *p)
{
  workers *w = p;
  td_app *app = w->app;
  PGconn *c = NULL;
  while (!app->stopping) {
    if (!c) {
      td_err rc;
      c = db_connect(app->cfg->database_url, &rc);
      if (!c || db_run(c, "LISTEN talentd_tasks", 0, NULL)) {
        if (c)
          PQfinish(c);
        c = NULL;
        stop_sleep(app, 1.0);
        continue;
      }
      app_wake_workers(app); /* we may have missed notifications */
    }
    struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
    int pr = poll(&pfd, 1, 500);
    if (pr < 0 && errno != EINTR)
      continue;
    if (pr > 0) {
      if (!PQconsumeInput(c)) {
        PQfinish(c);
        c = NULL;
        continue;
      }
      int any = 0;
      PGnotify *n;
      while ((n = PQnotifies(c)) != NULL) {
        any = 1;
        PQfreemem(n);
      }
      if (any)
        app_wake_workers(app);
    }
    if (PQstatus(c) != CONNECTION_OK) {
      PQfinish(c);
      c = NULL;
    }
  }
  if (c)
    PQfinish(c);
  return NULL;
}

static void *maint_main(void *p)
{
  workers *w = p;
  td_app *app = w->app;
  double last_beat = 0, last_rescue = 0, last_prune = mono() - PRUNE_EVERY + 30;
  /* Reconciliation (contract §3): one at start-up, then every interval;
   * 0 disables the automatic polls.  Several processes may each queue one:
   * identical queued tasks merge, and the shared key runs them one at a time. */
  int reconcile_every = app->cfg->reconcile_interval;
  double last_reconcile = reconcile_every > 0 ? mono() - reconcile_every : 0;
  double beat_every = app->lease_seconds / 3.0;
  if (beat_every < 0.5)
    beat_every = 0.5;

  while (!app->stopping) {
    stop_sleep(app, 0.25);
    double now = mono();
    PGconn *c = db_conn_thread();
    if (!c)
      continue;
    if (now - last_beat >= beat_every) {
      last_beat = now;
      pthread_mutex_lock(&w->mu);
      slot snap[256];
      int ns = 0;
      for (int i = 0; i < w->n && ns < 256; i++)
        if (w->slots[i].id)
          snap[ns++] = w->slots[i];
      pthread_mutex_unlock(&w->mu);
      for (int i = 0; i < ns; i++)
        if (queue_heartbeat(c, snap[i].id, snap[i].attempts, app->lease_seconds) ==
            TD_ERR_DB_UNAVAILABLE)
          db_conn_thread_reset();
    }
    if (now - last_rescue >= 2.0) {
      int n = 0;
      last_rescue = now;
      if (queue_rescue(c, &n) == TD_ERR_DB_UNAVAILABLE)
        db_conn_thread_reset();
      else if (n)
        app_wake_workers(app);
    }
    if (reconcile_every > 0 && now - last_reconcile >= reconcile_every) {
      long long tid = 0;
      last_reconcile = now;
      if (ats_schedule_reconcile(c, &tid) == TD_OK)
        LOG(LOG_INFO, "reconcile_scheduled", LOG_I("task_id", tid));
      else
        last_reconcile = now - reconcile_every + 5; /* database down: try again soon */
    }
    if (now - last_prune >= PRUNE_EVERY) {
      int n = 0;
      last_prune = now;
      if (queue_prune(c, PRUNE_KEEP, &n) == TD_OK && n)
        LOG(LOG_INFO, "tasks_pruned", LOG_I("count", n));
    }
  }
  db_conn_thread_reset();
  return NULL;
}

workers *workers_start(td_app *app, int n)
{
  workers *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->app = app;
  w->n = n;
  w->threads = calloc((size_t)n, sizeof *w->threads);
  w->slots = calloc((size_t)n, sizeof *w->slots);
  if (!w->threads || !w->slots)
    goto fail;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->done_cv, NULL);
  if (gethostname(w->host, sizeof w->host) != 0)
    snprintf(w->host, sizeof w->host, "host");
  w->host[sizeof w->host - 1] = 0;
  for (int i = 0; i < n; i++) {
    worker_arg *a = malloc(sizeof *a);
    if (!a)
      goto fail;
    a->w = w;
    a->index = i;
    if (pthread_create(&w->threads[i], NULL, worker_main, a) != 0) {
      free(a);
      goto fail;
    }
  }
  if (pthread_create(&w->listener, NULL, listener_main, w) != 0 ||
      pthread_create(&w->maint, NULL, maint_main, w) != 0)
    goto fail;
  LOG(LOG_INFO, "workers_started", LOG_I("workers", n), LOG_I("lease_seconds", app->lease_seconds));
  return w;
fail:
  /* Threads already started are left to the process exit. */
  LOG(LOG_ERROR, "workers_start_failed");
  return NULL;
}

int workers_stop(workers *w, int grace_seconds)
{
  td_app *app = w->app;
  struct timespec deadline;
  int released = 0;

  app->stopping = 1;
  app_wake_workers(app);
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += grace_seconds;
  pthread_mutex_lock(&w->mu);
  while (w->finished < w->n)
    if (pthread_cond_timedwait(&w->done_cv, &w->mu, &deadline) == ETIMEDOUT)
      break;
  int all_done = w->finished == w->n;
  slot left[256];
  int nl = 0;
  for (int i = 0; i < w->n && nl < 256; i++)
    if (w->slots[i].id)
      left[nl++] = w->slots[i];
  pthread_mutex_unlock(&w->mu);

  pthread_join(w->listener, NULL);
  pthread_join(w->maint, NULL);
  if (all_done) {
    for (int i = 0; i < w->n; i++)
      pthread_join(w->threads[i], NULL);
  } else if (nl) {
    /* Give unfinished tasks back so another process can take them now
     * rather than after the lease expires.  Their threads keep running
     * until the process exits; a late completion is refused by the guard. */
    td_err rc;
    PGconn *c = db_connect(app->cfg->database_url, &rc);
    for (int i = 0; c && i < nl; i++)
      if (queue_release(c, left[i].id, left[i].attempts) == TD_OK) {
        released++;
        LOG(LOG_WARN, "task_released_at_shutdown", LOG_I("task_id", left[i].id));
      }
    if (c)
      PQfinish(c);
  }
  if (all_done) {
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->done_cv);
    free(w->threads);
    free(w->slots);
    free(w);
  }
  return released;
}
