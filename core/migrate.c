/* migrate — apply embedded migrations in order, each in one transaction. */
#include "migrate.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>

/* Any constant works; it only has to be the same in every talentd. */
#define MIGRATE_LOCK_KEY "7329001"

int migrate_latest(void)
{
  int v = 0;
  for (int i = 0; i < migrate_nfiles; i++)
    if (migrate_files[i].version > v)
      v = migrate_files[i].version;
  return v;
}

int migrate_current(PGconn *c, td_err *rc)
{
  /* Two statements: a query naming a missing table fails at parse time,
   * whatever CASE would have chosen. */
  PGresult *r = db_exec(c, rc, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL);
  int exists = !*rc && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
  PQclear(r);
  if (*rc)
    return -1;
  if (!exists)
    return 0;
  r = db_exec(c, rc, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL);
  int v = -1;
  if (!*rc && PQntuples(r) == 1)
    v = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return v;
}

td_err migrate_apply(PGconn *c, int *applied)
{
  td_err rc;
  *applied = 0;
  rc = db_run(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", 0, NULL);
  if (rc)
    return rc;
  rc = db_run(c,
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version integer PRIMARY KEY, name text NOT NULL,"
              " applied_at timestamptz NOT NULL DEFAULT now())",
              0, NULL);
  if (rc)
    goto out;
  int current = migrate_current(c, &rc);
  if (rc)
    goto out;
  for (int i = 0; i < migrate_nfiles; i++) {
    const migrate_file *m = &migrate_files[i];
    char ver[16];
    if (m->version <= current)
      continue;
    snprintf(ver, sizeof ver, "%d", m->version);
    const char *params[] = {ver, m->name};
    rc = db_run(c, "BEGIN", 0, NULL);
    if (rc)
      goto out;
    /* PQexec (not PQexecParams) so a file may hold many statements. */
    PGresult *r = PQexec(c, m->sql);
    char err[512];
    rc = db_check(c, r, err, sizeof err);
    PQclear(r);
    if (!rc)
      rc = db_run(c, "INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)", 2,
                  params);
    if (rc) {
      LOG(LOG_ERROR, "migration_failed", LOG_S("migration", m->name), LOG_S("error", err));
      db_run(c, "ROLLBACK", 0, NULL);
      goto out;
    }
    rc = db_run(c, "COMMIT", 0, NULL);
    if (rc)
      goto out;
    LOG(LOG_INFO, "migration_applied", LOG_S("migration", m->name));
    (*applied)++;
  }
out:
  db_run(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, NULL);
  return rc;
}
