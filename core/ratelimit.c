/* ratelimit — sliding-window gate for Airtable request starts.
 *
 * DESIGN.  A request may start when fewer than N starts fall in the last
 * `window` seconds, where N = ceil(rps) and window = N / rps + margin (so
 * rps 5 gives 5 starts per 1.1 s).  The margin exists because Airtable counts
 * arrivals, not our starts: a request that leaves late and the next one that
 * leaves on time can land closer together than they started.
 *
 * Two gates answer "may I start now?":
 *   - the database (when configured): airtable_rate_claim() decides under a
 *     per-base advisory lock, on the database clock, for every process that
 *     shares the database.  The limiter owns one PGconn for this, guarded by
 *     the limiter mutex (one PGconn is never used by two threads at once).
 *   - the in-process ring of the last N start times, used while the database
 *     is unreachable or its schema is missing.  It is always fed, so that a
 *     fallback starts from the real recent history.
 * Waiting threads sleep on a condition variable (monotonic clock) with the
 * mutex released, so a thread with a short deadline is never stuck behind
 * one with a long wait.  Penalties after a 429 are kept locally and, when
 * possible, in airtable_rate_penalty for the other processes. */
#include "ratelimit.h"

#include "log.h"

#include <libpq-fe.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RL_MAX_N 1000
#define RL_RECONNECT_S 5.0

struct rl_limiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char base[64];
  int n;              /* starts allowed per window */
  double window;      /* seconds */
  int penalty_s;
  double *ring;       /* monotonic start times, oldest at head once full */
  int head, count;
  double penalty_until; /* monotonic */
  /* database gate */
  char *db_url;
  PGconn *pg;
  double next_connect;  /* monotonic time of the next reconnect attempt */
  int fallback_logged;  /* logged "using the in-process gate" for this outage */
};

static double mono_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ring_push(rl_limiter *rl, double t)
{
  if (rl->count < rl->n) {
    rl->ring[(rl->head + rl->count) % rl->n] = t;
    rl->count++;
  } else {
    rl->ring[rl->head] = t;
    rl->head = (rl->head + 1) % rl->n;
  }
}

/* 0 when the ring allows a start at `now`, else the monotonic time when it will. */
static double ring_next(const rl_limiter *rl, double now)
{
  double free_at;
  if (rl->count < rl->n)
    return 0;
  free_at = rl->ring[rl->head] + rl->window;
  return free_at <= now ? 0 : free_at;
}

static void db_drop(rl_limiter *rl, const char *why)
{
  if (rl->pg) {
    PQfinish(rl->pg);
    rl->pg = NULL;
  }
  rl->next_connect = mono_now() + RL_RECONNECT_S;
  if (!rl->fallback_logged) {
    /* Once per outage: the fallback keeps this process under the limit, but
     * another process may now share the budget unseen. */
    LOG(LOG_WARN, "airtable_rate_db_fallback", LOG_S("base_id", rl->base), LOG_S("reason", why));
    rl->fallback_logged = 1;
  }
}

/* Make sure rl->pg is usable; returns 0 when it is. */
static int db_ready(rl_limiter *rl)
{
  const char *keys[] = {"dbname", "connect_timeout", "application_name", "options", NULL};
  const char *vals[] = {rl->db_url, "3", "talentd-ratelimit",
                        "-c statement_timeout=3000 -c lock_timeout=3000", NULL};
  PGresult *res;

  if (!rl->db_url)
    return -1;
  if (rl->pg && PQstatus(rl->pg) == CONNECTION_OK)
    return 0;
  if (rl->pg) {
    db_drop(rl, "connection lost");
    return -1;
  }
  if (mono_now() < rl->next_connect)
    return -1;
  rl->pg = PQconnectdbParams(keys, vals, 1);
  if (!rl->pg || PQstatus(rl->pg) != CONNECTION_OK) {
    db_drop(rl, "cannot connect");
    return -1;
  }
  res = PQprepare(rl->pg, "rl_claim", "SELECT airtable_rate_claim($1, $2::int, $3::float8)", 0, NULL);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    PQclear(res);
    db_drop(rl, "schema missing (run talentd migrate)");
    return -1;
  }
  PQclear(res);
  res = PQprepare(rl->pg, "rl_penalize", "SELECT airtable_rate_penalize($1, $2::float8)", 0, NULL);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    PQclear(res);
    db_drop(rl, "schema missing (run talentd migrate)");
    return -1;
  }
  PQclear(res);
  if (rl->fallback_logged)
    LOG(LOG_INFO, "airtable_rate_db_restored", LOG_S("base_id", rl->base));
  rl->fallback_logged = 0;
  return 0;
}

/* Ask the database for a slot: 0 claimed, > 0 seconds to wait, < 0 failed. */
static double db_claim(rl_limiter *rl)
{
  char nbuf[16], wbuf[32];
  const char *params[3] = {rl->base, nbuf, wbuf};
  PGresult *res;
  double w = -1;

  if (db_ready(rl))
    return -1;
  snprintf(nbuf, sizeof nbuf, "%d", rl->n);
  snprintf(wbuf, sizeof wbuf, "%.6f", rl->window);
  res = PQexecPrepared(rl->pg, "rl_claim", 3, params, NULL, NULL, 0);
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
    char *end;
    w = strtod(PQgetvalue(res, 0, 0), &end);
    if (*end || w < 0 || !isfinite(w))
      w = -1;
  }
  PQclear(res);
  if (w < 0)
    db_drop(rl, "claim failed");
  return w;
}

static void db_penalize(rl_limiter *rl, double secs)
{
  char sbuf[32];
  const char *params[2] = {rl->base, sbuf};
  PGresult *res;

  if (db_ready(rl))
    return;
  snprintf(sbuf, sizeof sbuf, "%.3f", secs);
  res = PQexecPrepared(rl->pg, "rl_penalize", 2, params, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    db_drop(rl, "penalize failed");
  PQclear(res);
}

td_err rl_create(const char *base_id, const rl_options *opt, rl_limiter **out)
{
  rl_limiter *rl;
  pthread_condattr_t ca;
  double margin;

  *out = NULL;
  if (!base_id || !opt || !(opt->rps > 0) || opt->rps > RL_MAX_N || opt->penalty_s < 0 ||
      strlen(base_id) >= sizeof rl->base)
    return TD_ERR_INVALID;
  rl = calloc(1, sizeof *rl);
  if (!rl)
    return TD_ERR_NOMEM;
  snprintf(rl->base, sizeof rl->base, "%s", base_id);
  rl->n = (int)ceil(opt->rps - 1e-9);
  if (rl->n < 1)
    rl->n = 1;
  margin = opt->margin_s < 0 ? 0.1 : opt->margin_s;
  rl->window = rl->n / opt->rps + margin;
  rl->penalty_s = opt->penalty_s;
  rl->ring = calloc((size_t)rl->n, sizeof *rl->ring);
  if (opt->database_url && *opt->database_url)
    rl->db_url = strdup(opt->database_url);
  if (!rl->ring || (opt->database_url && *opt->database_url && !rl->db_url)) {
    free(rl->ring);
    free(rl);
    return TD_ERR_NOMEM;
  }
  pthread_mutex_init(&rl->mu, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&rl->cv, &ca);
  pthread_condattr_destroy(&ca);
  if (rl->db_url) {
    pthread_mutex_lock(&rl->mu);
    (void)db_ready(rl); /* connect early so the first request does not pay for it */
    pthread_mutex_unlock(&rl->mu);
  }
  *out = rl;
  return TD_OK;
}

void rl_destroy(rl_limiter *rl)
{
  if (!rl)
    return;
  if (rl->pg)
    PQfinish(rl->pg);
  pthread_cond_destroy(&rl->cv);
  pthread_mutex_destroy(&rl->mu);
  free(rl->db_url);
  free(rl->ring);
  free(rl);
}

td_err rl_acquire(rl_limiter *rl, double max_wait_s, double *waited_s)
{
  double t0 = mono_now(), deadline, now = t0;
  td_err rc = TD_OK;

  if (max_wait_s < 0)
    max_wait_s = 0;
  deadline = t0 + max_wait_s;
  pthread_mutex_lock(&rl->mu);
  for (;;) {
    double until;
    struct timespec ts;

    now = mono_now();
    if (rl->penalty_until > now) {
      until = rl->penalty_until;
    } else {
      double w = db_claim(rl);
      if (w == 0) {
        ring_push(rl, now);
        break;
      }
      if (w > 0) {
        until = now + w;
      } else {
        until = ring_next(rl, now);
        if (until == 0) {
          ring_push(rl, now);
          break;
        }
      }
    }
    if (until > deadline) {
      rc = TD_ERR_TIMEOUT;
      break;
    }
    ts.tv_sec = (time_t)until;
    ts.tv_nsec = (long)((until - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&rl->cv, &rl->mu, &ts);
  }
  pthread_mutex_unlock(&rl->mu);
  if (waited_s)
    *waited_s = now - t0;
  return rc;
}

void rl_penalize(rl_limiter *rl, double min_s)
{
  double secs = rl->penalty_s > min_s ? rl->penalty_s : min_s;
  double until;

  if (!(secs > 0))
    return;
  pthread_mutex_lock(&rl->mu);
  until = mono_now() + secs;
  if (until > rl->penalty_until)
    rl->penalty_until = until;
  db_penalize(rl, secs);
  pthread_cond_broadcast(&rl->cv);
  pthread_mutex_unlock(&rl->mu);
  LOG(LOG_WARN, "airtable_rate_penalty", LOG_S("base_id", rl->base), LOG_D("seconds", secs));
}

double rl_penalty_left(rl_limiter *rl)
{
  double left;
  pthread_mutex_lock(&rl->mu);
  left = rl->penalty_until - mono_now();
  pthread_mutex_unlock(&rl->mu);
  return left > 0 ? left : 0;
}

int rl_shared(rl_limiter *rl)
{
  int ok;
  pthread_mutex_lock(&rl->mu);
  ok = rl->pg && PQstatus(rl->pg) == CONNECTION_OK;
  pthread_mutex_unlock(&rl->mu);
  return ok;
}
