/* migrate — numbered schema migrations embedded in the binary.
 *
 * Each schema/NNNN_name.sql file runs in its own transaction, under a
 * session advisory lock so that concurrent `talentd migrate` runs serialize;
 * schema_migrations records what has been applied. */
#ifndef TD_MIGRATE_H
#define TD_MIGRATE_H

#include <libpq-fe.h>

#include "err.h"

typedef struct migrate_file {
  int version;
  const char *name;
  const char *sql;
} migrate_file;

extern const migrate_file migrate_files[];
extern const int migrate_nfiles;

/* Newest version this binary knows. */
int migrate_latest(void);
/* Apply every pending migration; *applied counts them.  Logs each. */
td_err migrate_apply(PGconn *c, int *applied);
/* Highest applied version, 0 when none; -1 on error (sets *rc). */
int migrate_current(PGconn *c, td_err *rc);

#endif
