/* cmd_sync — `talentd sync talent|customers|all` (contract §2): the full
 * backfill.  Every record of the table(s) is read (paginated, only the
 * fields needed), normalized and stored through the same code path as the
 * talent.updated / customer.updated tasks (core/sync.h), and its (N) fields
 * are written back in PATCHes of 10 records.  Records whose input and (N)
 * cells are unchanged since the last run are skipped without normalizing,
 * so a second run over unchanged data sends no write at all.
 *
 * Progress goes to stderr when it is a terminal; one summary line per table
 * to stdout.  SIGINT/SIGTERM stop cleanly after the pending batch is
 * written; a re-run continues where it stopped.  Exit status: 0 ok, 1
 * failure, 2 bad usage, 130 interrupted. */
#ifndef TD_CMD_SYNC_H
#define TD_CMD_SYNC_H

#include "cfg.h"

/* argv[0] is the table argument ("talent", "customers" or "all"); expects
 * cfg loaded with CFG_NEED_DB | CFG_NEED_AIRTABLE and the field map applied. */
int cmd_sync(td_config *cfg, int argc, char **argv);

#endif
