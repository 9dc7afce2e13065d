/* db — PostgreSQL connection helpers shared by every thread.
 *
 * One PGconn per thread, never shared (libpq is not thread-safe per
 * connection).  db_conn_thread() gives each thread its own lazily opened,
 * self-healing connection: after the server goes away the next call
 * reconnects, so the process recovers without a restart. */
#ifndef TD_DB_H
#define TD_DB_H

#include <libpq-fe.h>

#include "err.h"

/* Set the connection string used by db_conn_thread (call once at start). */
void db_set_url(const char *url);
/* Open a new connection (caller owns it).  NULL + rc on failure. */
PGconn *db_connect(const char *url, td_err *rc);
/* This thread's connection, (re)connected when needed; NULL when the
 * database is unreachable. */
PGconn *db_conn_thread(void);
/* Drop this thread's connection (after a connection-level failure). */
void db_conn_thread_reset(void);

/* Classify a result: TD_OK for COMMAND_OK/TUPLES_OK, TD_ERR_DB_UNAVAILABLE
 * when the connection is broken or the server is shutting down,
 * TD_ERR_CONFLICT for unique violations, TD_ERR_INVALID for data exceptions
 * (SQLSTATE class 22: a value the type rejects), TD_ERR_DB otherwise.
 * Writes SQLSTATE and message (no parameters) into err when given. */
td_err db_check(PGconn *c, const PGresult *r, char *err, size_t errlen);

/* PQexecParams with text parameters; returns the result (never NULL: on
 * allocation failure a fatal result is made) and sets *rc. */
PGresult *db_exec(PGconn *c, td_err *rc, const char *sql, int nparams, const char *const *params);

/* A PostgreSQL text[] literal ({"a","b"}) of n strings, each quoted with
 * backslash escapes, for an `= ANY($1::text[])` parameter.  item(i, arg)
 * gives the i-th string.  Caller frees; NULL when out of memory. */
char *db_text_array(size_t n, const char *(*item)(size_t i, const void *arg), const void *arg);
/* item() for a plain array of strings. */
const char *db_strv_item(size_t i, const void *strv);

/* Run a statement that returns nothing interesting. */
td_err db_run(PGconn *c, const char *sql, int nparams, const char *const *params);

#endif
