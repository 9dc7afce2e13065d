/* atsstate — the Job Status state machine of ATS records (contract §6).
 *
 * ats_jobs (schema 0005) keeps the last Job Status talentd saw for every ATS
 * record, when it changed and what saw it.  ats_status_changed() re-reads the
 * record from Airtable (the source of truth: events arrive late, twice or
 * out of order) and acts only when the status differs from the stored one;
 * first sight of a record is a transition from unknown.  The side effects
 * run first and are idempotent; the new status (with its history row) is
 * stored last, in one statement, so a task that dies half-way simply does
 * the transition again on its next attempt.
 *
 *   Sourcing            clear paused/archived, run matchmaking
 *   Initial Recruiting  clear flags; matchmaking only when Potential Talent
 *                       Fit AI is empty and no (unarchived) run is stored
 *   On Hold             placements stored, then one PATCH moving every active
 *                       stage column into Considered Talent (Job On Hold);
 *                       paused
 *   Position closed,    archive the job's match runs; archived
 *   Disqualified
 *   Hired               the candidates in Hired go to `hires`
 *   other active ones   clear flags
 *   anything else       recorded only
 *
 * Reconciliation lists every ATS record's Job Status (one paginated listing
 * with that single field) and queues an ats.status_changed task for every
 * record whose status differs from the stored one. */
#ifndef TD_ATSSTATE_H
#define TD_ATSSTATE_H

#include <libpq-fe.h>
#include <stddef.h>

#include "app.h"
#include "err.h"

/* Apply the current Job Status of ats_record_id.  source is what saw it
 * ("task:<id>" or "reconcile"), stored with the status.  Retryable errors
 * (Airtable, database) leave the stored status unchanged. */
td_err ats_status_changed(td_app *app, PGconn *c, const char *ats_record_id, const char *source,
                          char *err, size_t errlen);

/* One reconciliation poll; *queued (may be NULL) = tasks queued. */
td_err ats_reconcile(td_app *app, PGconn *c, int *queued, char *err, size_t errlen);

/* Queue a reconciliation poll (kind and key "reconcile": one at a time,
 * identical queued ones merge).  task_id may be NULL. */
td_err ats_schedule_reconcile(PGconn *c, long long *task_id);

/* The stored status of a record: *found = 0 when never seen; status "" when
 * the record was seen with an empty Job Status. */
td_err ats_stored_status(PGconn *c, const char *ats_record_id, char *status, size_t len,
                         int *found);

#endif
