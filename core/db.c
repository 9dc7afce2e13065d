/* db — thread-local connections and result classification. */
#include "db.h"
#include "log.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *g_url;
static pthread_key_t conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void conn_destroy(void *p) { PQfinish((PGconn *)p); }
static void make_key(void) { pthread_key_create(&conn_key, conn_destroy); }

void db_set_url(const char *url)
{
  free(g_url);
  g_url = url ? strdup(url) : NULL;
}

static void quiet_notice(void *arg, const char *message)
{
  (void)arg;
  LOG(LOG_DEBUG, "db_notice", LOG_S("message", message));
}

PGconn *db_connect(const char *url, td_err *rc)
{
  const char *keys[] = {"dbname", "application_name", "connect_timeout", NULL};
  const char *vals[] = {url, "talentd", "5", NULL};
  PGconn *c = PQconnectdbParams(keys, vals, 1);
  if (!c) {
    *rc = TD_ERR_NOMEM;
    return NULL;
  }
  if (PQstatus(c) != CONNECTION_OK) {
    /* The message may echo host names but never the password. */
    LOG(LOG_WARN, "db_connect_failed", LOG_S("error", PQerrorMessage(c)));
    PQfinish(c);
    *rc = TD_ERR_DB_UNAVAILABLE;
    return NULL;
  }
  /* Server NOTICEs ("relation already exists, skipping") are not ours to print. */
  PQsetNoticeProcessor(c, quiet_notice, NULL);
  *rc = TD_OK;
  return c;
}

PGconn *db_conn_thread(void)
{
  td_err rc;
  pthread_once(&key_once, make_key);
  PGconn *c = pthread_getspecific(conn_key);
  if (c && PQstatus(c) == CONNECTION_OK) {
    /* An idle connection has nothing to read unless the server said
     * something on its own -- typically that it is shutting down.  Read it
     * now, so that a restarted server costs no failed request. */
    struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
    if (poll(&p, 1, 0) <= 0)
      return c;
    if (PQconsumeInput(c) && PQstatus(c) == CONNECTION_OK && !PQisBusy(c)) {
      PGnotify *n;
      while ((n = PQnotifies(c)) != NULL)
        PQfreemem(n);
      if (poll(&p, 1, 0) <= 0)
        return c;
    }
  }
  if (c) {
    PQfinish(c);
    pthread_setspecific(conn_key, NULL);
  }
  if (!g_url)
    return NULL;
  c = db_connect(g_url, &rc);
  pthread_setspecific(conn_key, c);
  return c;
}

void db_conn_thread_reset(void)
{
  pthread_once(&key_once, make_key);
  PGconn *c = pthread_getspecific(conn_key);
  if (c) {
    PQfinish(c);
    pthread_setspecific(conn_key, NULL);
  }
}

td_err db_check(PGconn *c, const PGresult *r, char *err, size_t errlen)
{
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    return TD_OK;
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (err && errlen)
    snprintf(err, errlen, "%s: %s", state ? state : "-----",
             msg ? msg : (c ? PQerrorMessage(c) : "no connection"));
  if (!c || PQstatus(c) != CONNECTION_OK)
    return TD_ERR_DB_UNAVAILABLE;
  if (state) {
    /* 08: connection exception; 57P: operator intervention (shutdown);
     * 53: insufficient resources. */
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
        strncmp(state, "53", 2) == 0)
      return TD_ERR_DB_UNAVAILABLE;
    if (strcmp(state, "23505") == 0)
      return TD_ERR_CONFLICT;
    if (strncmp(state, "22", 2) == 0)
      return TD_ERR_INVALID; /* data exception: a value the column type rejects */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
      return TD_ERR_DB_UNAVAILABLE; /* serialization failure / deadlock: retry */
  }
  return TD_ERR_DB;
}

PGresult *db_exec(PGconn *c, td_err *rc, const char *sql, int nparams, const char *const *params)
{
  PGresult *r = c ? PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0) : NULL;
  char err[512];
  *rc = db_check(c, r, err, sizeof err);
  if (*rc && *rc != TD_ERR_CONFLICT)
    LOG(LOG_WARN, "db_error", LOG_S("error", err));
  if (!r)
    r = PQmakeEmptyPGresult(c, PGRES_FATAL_ERROR);
  return r;
}

const char *db_strv_item(size_t i, const void *strv) { return ((const char *const *)strv)[i]; }

char *db_text_array(size_t n, const char *(*item)(size_t i, const void *arg), const void *arg)
{
  size_t cap = 3, len = 0;
  for (size_t i = 0; i < n; i++)
    cap += 2 * strlen(item(i, arg)) + 3; /* worst case: every byte escaped, quotes, comma */
  char *a = malloc(cap);
  if (!a)
    return NULL;
  a[len++] = '{';
  for (size_t i = 0; i < n; i++) {
    if (i)
      a[len++] = ',';
    a[len++] = '"';
    for (const char *p = item(i, arg); *p; p++) {
      if (*p == '"' || *p == '\\')
        a[len++] = '\\';
      a[len++] = *p;
    }
    a[len++] = '"';
  }
  a[len++] = '}';
  a[len] = 0;
  return a;
}

td_err db_run(PGconn *c, const char *sql, int nparams, const char *const *params)
{
  td_err rc;
  PGresult *r = db_exec(c, &rc, sql, nparams, params);
  PQclear(r);
  return rc;
}
