/* queue — task queue operations on one caller-owned connection. */
#include "queue.h"
#include "db.h"
#include "log.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[QS__COUNT] = {"queued", "running", "retry", "done", "dead"};

const char *queue_state_name(queue_state s) { return (unsigned)s < QS__COUNT ? state_names[s] : "?"; }

int queue_state_parse(const char *s)
{
  for (int i = 0; i < QS__COUNT; i++)
    if (s && strcmp(s, state_names[i]) == 0)
      return i;
  return -1;
}

td_err queue_enqueue(PGconn *c, const char *kind, const char *key, const char *payload,
                     int max_attempts, double delay_seconds, long long *id)
{
  char ma[16], delay[32];
  td_err rc;
  snprintf(ma, sizeof ma, "%d", max_attempts > 0 ? max_attempts : 8);
  snprintf(delay, sizeof delay, "%.3f", delay_seconds > 0 ? delay_seconds : 0.0);
  const char *p[] = {kind, key, payload ? payload : "{}", ma, delay};
  PGresult *r = db_exec(c, &rc,
                        "SELECT enqueue_task($1, $2, $3::jsonb, $4::int,"
                        " now() + make_interval(secs => $5::float8))",
                        5, p);
  if (!rc && id)
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return rc;
}

td_err queue_claim(PGconn *c, const char *worker, int lease_seconds, queue_task *t, int *got)
{
  char lease[16];
  td_err rc;
  snprintf(lease, sizeof lease, "%d", lease_seconds);
  const char *p[] = {worker, lease};
  *got = 0;
  memset(t, 0, sizeof *t);
  PGresult *r = db_exec(c, &rc,
                        "SELECT id, kind, key, payload::text, attempts, max_attempts,"
                        " extract(epoch FROM started_at - run_at) FROM claim_task($1, $2::int)",
                        2, p);
  if (!rc && PQntuples(r) == 1) {
    t->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    snprintf(t->kind, sizeof t->kind, "%s", PQgetvalue(r, 0, 1));
    snprintf(t->key, sizeof t->key, "%s", PQgetvalue(r, 0, 2));
    t->payload = strdup(PQgetvalue(r, 0, 3));
    t->attempts = (int)strtol(PQgetvalue(r, 0, 4), NULL, 10);
    t->max_attempts = (int)strtol(PQgetvalue(r, 0, 5), NULL, 10);
    t->wait_seconds = strtod(PQgetvalue(r, 0, 6), NULL);
    if (t->wait_seconds < 0)
      t->wait_seconds = 0;
    *got = t->payload != NULL;
    if (!t->payload)
      rc = TD_ERR_NOMEM;
  }
  PQclear(r);
  return rc;
}

void queue_task_free(queue_task *t)
{
  free(t->payload);
  t->payload = NULL;
}

static td_err guarded(PGconn *c, const char *sql, long long id, int attempts, const char *a,
                      const char *b)
{
  char ids[32], att[16];
  td_err rc;
  snprintf(ids, sizeof ids, "%lld", id);
  snprintf(att, sizeof att, "%d", attempts);
  const char *p[] = {ids, att, a, b};
  int n = a ? (b ? 4 : 3) : 2;
  PGresult *r = db_exec(c, &rc, sql, n, p);
  if (!rc && strcmp(PQcmdTuples(r), "1") != 0)
    rc = TD_ERR_CONFLICT;
  PQclear(r);
  return rc;
}

td_err queue_complete(PGconn *c, const queue_task *t)
{
  return guarded(c,
                 "UPDATE tasks SET state = 'done', finished_at = now(), lease_until = NULL,"
                 " last_error = NULL WHERE id = $1::bigint AND state = 'running'"
                 " AND attempts = $2::int",
                 t->id, t->attempts, NULL, NULL);
}

td_err queue_fail(PGconn *c, const queue_task *t, const char *error, int retryable,
                  double backoff_seconds)
{
  char backoff[32];
  snprintf(backoff, sizeof backoff, "%.3f", retryable ? backoff_seconds : 0.0);
  /* A final error goes straight to dead: retrying cannot help. */
  const char *sql = retryable
      ? "UPDATE tasks SET state = CASE WHEN attempts >= max_attempts THEN 'dead'::task_state"
        " ELSE 'retry'::task_state END,"
        " run_at = now() + make_interval(secs => $4::float8), finished_at = CASE WHEN"
        " attempts >= max_attempts THEN now() END, lease_until = NULL, last_error = $3"
        " WHERE id = $1::bigint AND state = 'running' AND attempts = $2::int"
      : "UPDATE tasks SET state = 'dead', finished_at = now(), lease_until = NULL,"
        " last_error = $3"
        " WHERE id = $1::bigint AND state = 'running' AND attempts = $2::int";
  return guarded(c, sql, t->id, t->attempts, error ? error : "error", retryable ? backoff : NULL);
}

td_err queue_heartbeat(PGconn *c, long long id, int attempts, int lease_seconds)
{
  char lease[16];
  snprintf(lease, sizeof lease, "%d", lease_seconds);
  return guarded(c,
                 "UPDATE tasks SET lease_until = now() + make_interval(secs => $3::int)"
                 " WHERE id = $1::bigint AND state = 'running' AND attempts = $2::int",
                 id, attempts, lease, NULL);
}

td_err queue_release(PGconn *c, long long id, int attempts)
{
  return guarded(c,
                 "UPDATE tasks SET state = 'retry', max_attempts = max_attempts + 1, run_at = now(),"
                 " lease_until = NULL, last_error = 'released at shutdown'"
                 " WHERE id = $1::bigint AND state = 'running' AND attempts = $2::int",
                 id, attempts, NULL, NULL);
}

td_err queue_rescue(PGconn *c, int *n)
{
  td_err rc;
  PGresult *r = db_exec(c, &rc,
                        "UPDATE tasks SET state = CASE WHEN attempts >= max_attempts"
                        " THEN 'dead'::task_state ELSE 'retry'::task_state END,"
                        " run_at = now(), lease_until = NULL,"
                        " finished_at = CASE WHEN attempts >= max_attempts THEN now() END,"
                        " last_error = 'lease expired (worker lost)'"
                        " WHERE state = 'running' AND lease_until < now()",
                        0, NULL);
  *n = rc ? 0 : (int)strtol(PQcmdTuples(r), NULL, 10);
  PQclear(r);
  if (*n)
    LOG(LOG_WARN, "tasks_rescued", LOG_I("count", *n));
  return rc;
}

td_err queue_prune(PGconn *c, long keep_seconds, int *n)
{
  char keep[32];
  td_err rc;
  snprintf(keep, sizeof keep, "%ld", keep_seconds);
  const char *p[] = {keep};
  PGresult *r = db_exec(c, &rc,
                        "DELETE FROM tasks WHERE state = 'done'"
                        " AND finished_at < now() - make_interval(secs => $1::float8)",
                        1, p);
  *n = rc ? 0 : (int)strtol(PQcmdTuples(r), NULL, 10);
  PQclear(r);
  if (rc)
    return rc;
  /* Events outlive their tasks: the webhook-id dedupe must hold for far
   * longer than any sender retries (days). */
  return db_run(c, "DELETE FROM events WHERE received_at < now() - interval '30 days'", 0, NULL);
}

td_err queue_retry_dead(PGconn *c, long long id)
{
  char ids[32];
  td_err rc;
  snprintf(ids, sizeof ids, "%lld", id);
  const char *p[] = {ids};
  PGresult *r = db_exec(c, &rc,
                        "WITH t AS (SELECT id, state FROM tasks WHERE id = $1::bigint FOR UPDATE),"
                        " u AS (UPDATE tasks SET state = 'queued', attempts = 0, run_at = now(),"
                        " finished_at = NULL FROM t WHERE tasks.id = t.id AND t.state = 'dead'"
                        " RETURNING tasks.id)"
                        " SELECT (SELECT state::text FROM t), (SELECT count(*) FROM u),"
                        " pg_notify('talentd_tasks', '')",
                        1, p);
  if (!rc) {
    if (PQgetisnull(r, 0, 0))
      rc = TD_ERR_NOT_FOUND;
    else if (strcmp(PQgetvalue(r, 0, 1), "1") != 0)
      rc = TD_ERR_CONFLICT;
  }
  PQclear(r);
  return rc;
}

td_err queue_list(PGconn *c, queue_state state, int limit, cJSON **out)
{
  char lim[16];
  td_err rc;
  snprintf(lim, sizeof lim, "%d", limit);
  const char *p[] = {queue_state_name(state), lim};
  *out = NULL;
  PGresult *r = db_exec(c, &rc,
                        "SELECT id, kind, key, state::text, attempts, max_attempts, last_error,"
                        " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                        " to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                        " to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                        " FROM tasks WHERE state = $1::task_state ORDER BY id DESC LIMIT $2::int",
                        2, p);
  if (rc)
    goto out;
  cJSON *arr = cJSON_CreateArray();
  for (int i = 0; arr && i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", strtod(PQgetvalue(r, i, 0), NULL));
    cJSON_AddStringToObject(o, "kind", PQgetvalue(r, i, 1));
    cJSON_AddStringToObject(o, "key", PQgetvalue(r, i, 2));
    cJSON_AddStringToObject(o, "state", PQgetvalue(r, i, 3));
    cJSON_AddNumberToObject(o, "attempts", strtod(PQgetvalue(r, i, 4), NULL));
    cJSON_AddNumberToObject(o, "max_attempts", strtod(PQgetvalue(r, i, 5), NULL));
    if (PQgetisnull(r, i, 6))
      cJSON_AddNullToObject(o, "last_error");
    else
      cJSON_AddStringToObject(o, "last_error", PQgetvalue(r, i, 6));
    cJSON_AddStringToObject(o, "created_at", PQgetvalue(r, i, 7));
    cJSON_AddStringToObject(o, "run_at", PQgetvalue(r, i, 8));
    if (PQgetisnull(r, i, 9))
      cJSON_AddNullToObject(o, "finished_at");
    else
      cJSON_AddStringToObject(o, "finished_at", PQgetvalue(r, i, 9));
    cJSON_AddItemToArray(arr, o);
  }
  if (!arr)
    rc = TD_ERR_NOMEM;
  *out = arr;
out:
  PQclear(r);
  return rc;
}

td_err queue_counts(PGconn *c, long long counts[QS__COUNT])
{
  td_err rc;
  memset(counts, 0, sizeof(long long) * QS__COUNT);
  PGresult *r = db_exec(c, &rc, "SELECT state::text, count(*) FROM tasks GROUP BY state", 0, NULL);
  for (int i = 0; !rc && i < PQntuples(r); i++) {
    int s = queue_state_parse(PQgetvalue(r, i, 0));
    if (s >= 0)
      counts[s] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
  }
  PQclear(r);
  return rc;
}

double queue_backoff(int attempt, double base, double cap)
{
  if (attempt < 1)
    attempt = 1;
  double d = base * pow(2.0, attempt > 30 ? 30 : attempt - 1);
  if (d > cap)
    d = cap;
  /* jitter in [0.5, 1): spreads retries of tasks that failed together */
  double u = (double)randombytes_uniform(1u << 30) / (double)(1u << 30);
  return d * (0.5 + 0.5 * u);
}
