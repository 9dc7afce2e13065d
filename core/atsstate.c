/* atsstate — the Job Status state machine (see atsstate.h). */
#include "atsstate.h"

#include "airtable.h"
#include "db.h"
#include "fields.h"
#include "log.h"
#include "matchrun.h"
#include "queue.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum ats_kind {
  AK_SOURCING,
  AK_INITIAL,
  AK_ON_HOLD,
  AK_CLOSED,
  AK_HIRED,
  AK_ACTIVE,
  AK_OTHER,
} ats_kind;

/* A refused match run (the status moved on during it) makes the task look
 * again; bounded so that a flapping status cannot keep a worker forever. */
#define ATS_MAX_PASSES 3

static ats_kind kind_of(const char *status)
{
  if (!status || !*status)
    return AK_OTHER;
  if (strcmp(status, "Sourcing") == 0)
    return AK_SOURCING;
  if (strcmp(status, "Initial Recruiting") == 0)
    return AK_INITIAL;
  if (strcmp(status, "On Hold") == 0)
    return AK_ON_HOLD;
  if (strcmp(status, "Position closed") == 0 || strcmp(status, "Disqualified") == 0)
    return AK_CLOSED;
  if (strcmp(status, "Hired") == 0)
    return AK_HIRED;
  if (mr_status_active(status))
    return AK_ACTIVE;
  return AK_OTHER;
}

static const char *field_str(const cJSON *fields, fld_id f)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
  return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* The ids of a link column (array of strings); NULL when empty. */
static const cJSON *field_links(const cJSON *fields, fld_id f)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
  return cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0 ? v : NULL;
}

static int array_has(const cJSON *arr, const char *s)
{
  const cJSON *e;
  cJSON_ArrayForEach(e, arr)
    if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
      return 1;
  return 0;
}

/* ---- stored state -------------------------------------------------------- */

/* The stored status as a new string ("" for an empty one); NULL with
 * *found = 0 when the record was never seen.  A row written only to clear
 * flags (status_source NULL) counts as never seen. */
static td_err load_stored(PGconn *c, const char *id, char **status, int *found)
{
  td_err rc;
  const char *p[] = {id};
  *status = NULL;
  *found = 0;
  PGresult *r = db_exec(c, &rc,
                        "SELECT coalesce(status, '') FROM ats_jobs"
                        " WHERE ats_record_id = $1 AND status_source IS NOT NULL",
                        1, p);
  if (!rc && PQntuples(r) == 1) {
    *status = strdup(PQgetvalue(r, 0, 0));
    if (!*status)
      rc = TD_ERR_NOMEM;
    else
      *found = 1;
  }
  PQclear(r);
  return rc;
}

td_err ats_stored_status(PGconn *c, const char *ats_record_id, char *status, size_t len,
                         int *found)
{
  char *s = NULL;
  td_err rc = load_stored(c, ats_record_id, &s, found);
  if (!rc && len)
    snprintf(status, len, "%s", s ? s : "");
  free(s);
  return rc;
}

static td_err clear_flags(PGconn *c, const char *id)
{
  const char *p[] = {id};
  return db_run(c,
                "INSERT INTO ats_jobs (ats_record_id) VALUES ($1)"
                " ON CONFLICT (ats_record_id) DO UPDATE"
                " SET paused = false, archived = false, updated_at = now()"
                " WHERE ats_jobs.paused OR ats_jobs.archived",
                1, p);
}

/* Store the new status and its history row, in one statement.  paused and
 * archived are "true"/"false", or NULL to keep them. */
static td_err record_status(PGconn *c, const char *id, const char *from, const char *to,
                            const char *source, const char *paused, const char *archived)
{
  const char *p[] = {id, to && *to ? to : NULL, source, paused, archived, from};
  return db_run(c,
                "WITH up AS ("
                " INSERT INTO ats_jobs (ats_record_id, status, status_changed_at, status_source,"
                "                       paused, archived, updated_at)"
                " VALUES ($1, $2, now(), $3, coalesce($4::boolean, false),"
                "         coalesce($5::boolean, false), now())"
                " ON CONFLICT (ats_record_id) DO UPDATE SET status = excluded.status,"
                "   status_changed_at = now(), status_source = excluded.status_source,"
                "   paused = coalesce($4::boolean, ats_jobs.paused),"
                "   archived = coalesce($5::boolean, ats_jobs.archived), updated_at = now()"
                " RETURNING 1)"
                " INSERT INTO ats_status_history (ats_record_id, from_status, to_status, source)"
                " SELECT $1, $6, $2, $3 FROM up",
                6, p);
}

/* ---- side effects -------------------------------------------------------- */

/* On Hold: every candidate of the active stage columns goes to Considered
 * Talent (Job On Hold), in one PATCH that also empties those columns.  The
 * previous placements are stored first; rows already stored for this
 * pending transition (a retry after a failed PATCH) are not stored twice. */
static td_err on_hold(td_app *app, PGconn *c, const char *id, const cJSON *fields, int *moved,
                      char *err, size_t errlen)
{
  td_err rc = TD_ERR_NOMEM;
  cJSON *placements = cJSON_CreateArray();
  cJSON *patch = cJSON_CreateObject();
  cJSON *hold = cJSON_CreateArray();
  cJSON *recs = NULL;
  char *pjson = NULL;
  const cJSON *e;
  *moved = 0;
  if (!placements || !patch || !hold)
    goto out;

  const cJSON *held = field_links(fields, FLD_A_ON_HOLD);
  cJSON_ArrayForEach(e, held)
    if (cJSON_IsString(e) && !array_has(hold, e->valuestring))
      cJSON_AddItemToArray(hold, cJSON_CreateString(e->valuestring));

  for (int f = FLD_A_FIRST_STAGE; f <= FLD_A_LAST_STAGE; f++) {
    if (!fields_is_active_stage((fld_id)f))
      continue;
    const cJSON *ids = field_links(fields, (fld_id)f);
    if (!ids)
      continue;
    cJSON_ArrayForEach(e, ids) {
      if (!cJSON_IsString(e))
        continue;
      cJSON *pl = cJSON_CreateObject();
      if (!pl)
        goto out;
      cJSON_AddItemToArray(placements, pl);
      cJSON_AddStringToObject(pl, "t", e->valuestring);
      cJSON_AddStringToObject(pl, "col", fields_name((fld_id)f));
      if (!array_has(hold, e->valuestring))
        cJSON_AddItemToArray(hold, cJSON_CreateString(e->valuestring));
      (*moved)++;
    }
    cJSON_AddItemToObject(patch, fields_name((fld_id)f), cJSON_CreateArray());
  }
  if (*moved == 0) {
    rc = TD_OK;
    goto out;
  }

  pjson = cJSON_PrintUnformatted(placements);
  if (!pjson)
    goto out;
  const char *p[] = {id, pjson};
  rc = db_run(c,
              "INSERT INTO on_hold_placements (ats_record_id, talent_record_id, stage_column)"
              " SELECT $1, pl.t, pl.col FROM jsonb_to_recordset($2::jsonb) AS pl(t text, col text)"
              " WHERE NOT EXISTS (SELECT 1 FROM on_hold_placements o"
              "   WHERE o.ats_record_id = $1 AND o.talent_record_id = pl.t"
              "     AND o.stage_column = pl.col"
              "     AND o.moved_at >= coalesce((SELECT j.status_changed_at FROM ats_jobs j"
              "        WHERE j.ats_record_id = $1 AND j.status_source IS NOT NULL),"
              "        '-infinity'::timestamptz))",
              2, p);
  if (rc) {
    snprintf(err, errlen, "storing the on-hold placements failed");
    goto out;
  }

  cJSON_AddItemToObject(patch, fields_name(FLD_A_ON_HOLD), hold);
  hold = NULL;
  recs = cJSON_CreateArray();
  cJSON *rec = cJSON_CreateObject();
  if (!recs || !rec) {
    cJSON_Delete(rec);
    rc = TD_ERR_NOMEM;
    goto out;
  }
  cJSON_AddItemToArray(recs, rec);
  cJSON_AddStringToObject(rec, "id", id);
  cJSON_AddItemToObject(rec, "fields", patch);
  patch = NULL;
  at_error ae = {0};
  rc = at_update(app->at, app->cfg->ats_table, recs, 0, NULL, &ae);
  if (rc)
    snprintf(err, errlen, "on-hold PATCH failed: HTTP %d %s", ae.http_status, ae.type);

out:
  if (rc == TD_ERR_NOMEM)
    snprintf(err, errlen, "out of memory");
  free(pjson);
  cJSON_Delete(placements);
  cJSON_Delete(patch);
  cJSON_Delete(hold);
  cJSON_Delete(recs);
  return rc;
}

static td_err archive_runs(PGconn *c, const char *id, int *n)
{
  td_err rc;
  const char *p[] = {id};
  PGresult *r = db_exec(c, &rc,
                        "UPDATE match_runs SET archived = true"
                        " WHERE ats_record_id = $1 AND NOT archived",
                        1, p);
  *n = rc ? 0 : (int)strtol(PQcmdTuples(r), NULL, 10);
  PQclear(r);
  return rc;
}

static td_err record_hires(PGconn *c, const char *id, const cJSON *fields, const char *source,
                           int *n)
{
  const cJSON *hired = field_links(fields, FLD_A_HIRED);
  *n = 0;
  if (!hired)
    return TD_OK;
  char *js = cJSON_PrintUnformatted(hired);
  if (!js)
    return TD_ERR_NOMEM;
  td_err rc;
  const char *p[] = {id, js, source};
  PGresult *r = db_exec(c, &rc,
                        "INSERT INTO hires (ats_record_id, talent_record_id, source)"
                        " SELECT $1, h, $3 FROM jsonb_array_elements_text($2::jsonb) AS h"
                        " ON CONFLICT DO NOTHING",
                        3, p);
  *n = cJSON_GetArraySize(hired);
  PQclear(r);
  free(js);
  return rc;
}

static td_err has_stored_run(PGconn *c, const char *id, int *has)
{
  td_err rc;
  const char *p[] = {id};
  PGresult *r = db_exec(c, &rc,
                        "SELECT 1 FROM match_runs WHERE ats_record_id = $1 AND NOT archived LIMIT 1",
                        1, p);
  *has = !rc && PQntuples(r) > 0;
  PQclear(r);
  return rc;
}

static td_err run_match(td_app *app, PGconn *c, const char *id, const cJSON *rec, mr_trigger trig,
                        int *refused, char *err, size_t errlen)
{
  mr_outcome out;
  memset(&out, 0, sizeof out);
  mr_options o = {.trigger = trig, .ignore_pause = 1, .ats_record = rec};
  td_err rc = mr_run(app, c, id, &o, &out, err, errlen);
  *refused = rc == TD_ERR_REFUSED;
  if (*refused && errlen)
    err[0] = '\0';
  if (!rc)
    LOG(LOG_INFO, "ats_match_ran", LOG_S("ats_id", id), LOG_S("trigger", mr_trigger_name(trig)),
        LOG_I("run_id", out.run_id), LOG_I("proposed", (long long)out.n),
        LOG_I("patched", out.patched));
  else if (*refused)
    LOG(LOG_INFO, "ats_match_refused", LOG_S("ats_id", id), LOG_S("trigger", mr_trigger_name(trig)),
        LOG_S("reason", out.refused));
  mr_outcome_free(&out);
  return *refused ? TD_OK : rc;
}

/* ---- one transition ------------------------------------------------------ */

/* Read the record and apply its status once.  *again = 1 when a match run
 * was refused because the status moved on while it ran. */
static td_err apply_once(td_app *app, PGconn *c, const char *id, const char *source, int *again,
                         char *err, size_t errlen)
{
  cJSON *rec = NULL;
  char *stored = NULL;
  int found = 0, refused = 0, n = 0;
  at_error ae = {0};
  td_err rc, side = TD_OK;
  const char *paused = NULL, *archived = NULL;
  *again = 0;

  rc = at_get(app->at, app->cfg->ats_table, id, &rec, &ae);
  if (rc == TD_ERR_NOT_FOUND) {
    LOG(LOG_WARN, "ats_record_gone", LOG_S("ats_id", id));
    return TD_OK;
  }
  if (rc) {
    snprintf(err, errlen, "reading the ATS record failed: HTTP %d %s", ae.http_status, ae.type);
    return rc;
  }
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(rec, "fields");
  const char *cur = field_str(fields, FLD_A_JOB_STATUS);
  rc = load_stored(c, id, &stored, &found);
  if (rc) {
    snprintf(err, errlen, "reading the stored status failed");
    goto out;
  }
  if (found && strcmp(stored, cur ? cur : "") == 0) {
    LOG(LOG_DEBUG, "ats_status_unchanged", LOG_S("ats_id", id), LOG_S("status", stored));
    goto out;
  }

  switch (kind_of(cur)) {
  case AK_SOURCING:
    rc = clear_flags(c, id);
    if (!rc)
      side = run_match(app, c, id, rec, MR_SOURCING, &refused, err, errlen);
    paused = archived = "false";
    break;
  case AK_INITIAL: {
    int has = 0;
    rc = clear_flags(c, id);
    if (!rc && !field_links(fields, FLD_A_FIT_AI))
      rc = has_stored_run(c, id, &has);
    if (!rc && !field_links(fields, FLD_A_FIT_AI) && !has)
      side = run_match(app, c, id, rec, MR_INITIAL_RECRUITING, &refused, err, errlen);
    else if (!rc)
      LOG(LOG_INFO, "ats_initial_recruiting_already_matched", LOG_S("ats_id", id));
    paused = archived = "false";
    break;
  }
  case AK_ON_HOLD:
    rc = on_hold(app, c, id, fields, &n, err, errlen);
    if (!rc)
      LOG(LOG_INFO, "ats_on_hold_moved", LOG_S("ats_id", id), LOG_I("placements", n));
    paused = "true";
    break;
  case AK_CLOSED:
    rc = archive_runs(c, id, &n);
    if (!rc)
      LOG(LOG_INFO, "ats_runs_archived", LOG_S("ats_id", id), LOG_I("runs", n));
    archived = "true";
    break;
  case AK_HIRED:
    rc = record_hires(c, id, fields, source, &n);
    if (!rc && n == 0)
      LOG(LOG_WARN, "ats_hired_without_candidate", LOG_S("ats_id", id));
    else if (!rc)
      LOG(LOG_INFO, "ats_hires_recorded", LOG_S("ats_id", id), LOG_I("hires", n));
    break;
  case AK_ACTIVE:
    paused = archived = "false";
    break;
  case AK_OTHER:
    break;
  }
  if (rc) {
    if (!*err)
      snprintf(err, errlen, "%s transition failed: %s", cur ? cur : "(empty)", td_strerror(rc));
    goto out;
  }
  /* A retryable match failure leaves the status as it was: the task tries
   * the whole transition again.  A final one (the job cannot be matched)
   * still records the status, so reconciliation does not queue it forever,
   * and then fails the task with its reason. */
  if (side && td_err_retryable(side)) {
    rc = side;
    goto out;
  }
  rc = record_status(c, id, found ? stored : NULL, cur, source, paused, archived);
  if (rc) {
    snprintf(err, errlen, "storing the new status failed");
    goto out;
  }
  LOG(LOG_INFO, "ats_status_transition", LOG_S("ats_id", id),
      LOG_S("from", found ? stored : "(unknown)"), LOG_S("to", cur ? cur : ""),
      LOG_S("source", source));
  rc = side;
  *again = refused;

out:
  free(stored);
  cJSON_Delete(rec);
  return rc;
}

td_err ats_status_changed(td_app *app, PGconn *c, const char *ats_record_id, const char *source,
                          char *err, size_t errlen)
{
  int again = 0;
  td_err rc = TD_OK;
  if (errlen)
    err[0] = '\0';
  if (!app->at) {
    snprintf(err, errlen, "no Airtable client");
    return TD_ERR_INVALID;
  }
  for (int pass = 0; pass < ATS_MAX_PASSES; pass++) {
    rc = apply_once(app, c, ats_record_id, source, &again, err, errlen);
    if (rc || !again)
      break;
  }
  return rc;
}

/* ---- reconciliation ------------------------------------------------------ */

typedef struct rec_ctx {
  cJSON *rows;
  const char *status_field;
} rec_ctx;

/* The second listing of a reconciliation asks for the stage columns only,
 * so that moves made while no event arrived are noticed too (issue 7); the
 * first keeps to Job Status alone. */
static size_t stage_field_names(const char **names)
{
  size_t n = 0;
  for (int f = FLD_A_FIRST_STAGE; f <= FLD_A_LAST_STAGE; f++)
    names[n++] = fields_name((fld_id)f);
  return n;
}

static td_err collect(const cJSON *record, void *arg)
{
  rec_ctx *x = arg;
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(record, "id");
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(record, "fields");
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(fields, x->status_field);
  if (!cJSON_IsString(id))
    return TD_OK;
  cJSON *row = cJSON_CreateObject();
  if (!row)
    return TD_ERR_NOMEM;
  cJSON_AddItemToArray(x->rows, row);
  cJSON_AddStringToObject(row, "id", id->valuestring);
  if (cJSON_IsString(st) && st->valuestring[0])
    cJSON_AddStringToObject(row, "status", st->valuestring);
  /* stage placements as "column|candidate", columns under their default
   * names, as stage_snapshots stores them */
  cJSON *stages = cJSON_AddArrayToObject(row, "stages");
  for (int f = FLD_A_FIRST_STAGE; stages && f <= FLD_A_LAST_STAGE; f++) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(fields, fields_name((fld_id)f)), *e;
    cJSON_ArrayForEach(e, arr)
    {
      char pair[160];
      if (!cJSON_IsString(e))
        continue;
      snprintf(pair, sizeof pair, "%s|%s", fields_info((fld_id)f)->default_name, e->valuestring);
      cJSON_AddItemToArray(stages, cJSON_CreateString(pair));
    }
  }
  return TD_OK;
}

static void restart(void *arg)
{
  rec_ctx *x = arg;
  while (cJSON_GetArraySize(x->rows) > 0)
    cJSON_DeleteItemFromArray(x->rows, 0);
}

td_err ats_reconcile(td_app *app, PGconn *c, int *queued, char *err, size_t errlen)
{
  const char *fname = fields_name(FLD_A_JOB_STATUS);
  rec_ctx x = {cJSON_CreateArray(), fname};
  at_list_opts o = {.fields = &fname, .n_fields = 1, .on_restart = restart};
  const char *stage_names[FLD_A_LAST_STAGE - FLD_A_FIRST_STAGE + 1];
  rec_ctx xs = {NULL, fname};
  char *jss = NULL;
  at_error ae = {0};
  char *js = NULL;
  PGresult *r = NULL;
  int nq = 0, total = 0;
  td_err rc;
  if (queued)
    *queued = 0;
  if (!x.rows)
    return TD_ERR_NOMEM;
  if (!app->at) {
    snprintf(err, errlen, "no Airtable client");
    cJSON_Delete(x.rows);
    return TD_ERR_INVALID;
  }
  rc = at_list(app->at, app->cfg->ats_table, &o, collect, &x, &ae);
  if (rc) {
    snprintf(err, errlen, "listing the ATS table failed: HTTP %d %s", ae.http_status, ae.type);
    goto out;
  }
  total = cJSON_GetArraySize(x.rows);
  js = cJSON_PrintUnformatted(x.rows);
  if (!js) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *p[] = {js};
  r = db_exec(c, &rc,
              "SELECT DISTINCT r.id FROM jsonb_to_recordset($1::jsonb) AS r(id text, status text)"
              " LEFT JOIN ats_jobs j ON j.ats_record_id = r.id AND j.status_source IS NOT NULL"
              " WHERE j.ats_record_id IS NULL OR j.status IS DISTINCT FROM r.status"
              " ORDER BY r.id",
              1, p);
  if (rc) {
    snprintf(err, errlen, "comparing the stored statuses failed");
    goto out;
  }
  for (int i = 0; i < PQntuples(r); i++) {
    rc = queue_enqueue(c, "ats.status_changed", PQgetvalue(r, i, 0), NULL, 8, 0, NULL);
    if (rc) {
      snprintf(err, errlen, "queueing a status task failed");
      goto out;
    }
    nq++;
  }
  PQclear(r);
  /* Stage columns that differ from the last snapshot (or were never
   * looked at): queue the feedback task for them. */
  xs.rows = cJSON_CreateArray();
  at_list_opts os = {.fields = stage_names, .n_fields = stage_field_names(stage_names),
                     .on_restart = restart};
  rc = xs.rows ? at_list(app->at, app->cfg->ats_table, &os, collect, &xs, &ae) : TD_ERR_NOMEM;
  if (rc) {
    snprintf(err, errlen, "listing the ATS stage columns failed: HTTP %d %s", ae.http_status, ae.type);
    goto out;
  }
  jss = cJSON_PrintUnformatted(xs.rows);
  if (!jss) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *ps[] = {jss};
  r = db_exec(c, &rc,
              "WITH r AS (SELECT id, (SELECT coalesce(array_agg(x COLLATE \"C\" ORDER BY x COLLATE \"C\"),"
              " '{}') FROM unnest(stages) x) AS s"
              " FROM jsonb_to_recordset($1::jsonb) AS t(id text, stages text[])),"
              " snap AS (SELECT ats_record_id, array_agg((stage_column || '|' || talent_record_id)"
              " COLLATE \"C\" ORDER BY (stage_column || '|' || talent_record_id) COLLATE \"C\") AS s"
              " FROM stage_snapshots WHERE ats_record_id IN (SELECT id FROM r) GROUP BY 1)"
              " SELECT r.id FROM r LEFT JOIN stage_snapshot_seen seen ON seen.ats_record_id = r.id"
              " LEFT JOIN snap ON snap.ats_record_id = r.id"
              " WHERE seen.ats_record_id IS NULL OR coalesce(snap.s, '{}') <> r.s ORDER BY r.id",
              1, ps);
  if (rc) {
    snprintf(err, errlen, "comparing the stage snapshots failed");
    goto out;
  }
  int nstages = 0;
  for (int i = 0; i < PQntuples(r); i++) {
    rc = queue_enqueue(c, "ats.stages_changed", PQgetvalue(r, i, 0), NULL, 8, 0, NULL);
    if (rc) {
      snprintf(err, errlen, "queueing a stages task failed");
      goto out;
    }
    nstages++;
  }
  LOG(LOG_INFO, "ats_reconciled", LOG_I("records", total), LOG_I("queued", nq),
      LOG_I("stages_queued", nstages));
  nq += nstages;

out:
  if (queued)
    *queued = nq;
  PQclear(r);
  free(js);
  free(jss);
  cJSON_Delete(x.rows);
  cJSON_Delete(xs.rows);
  return rc;
}

td_err ats_schedule_reconcile(PGconn *c, long long *task_id)
{
  return queue_enqueue(c, "reconcile", "reconcile", NULL, 5, 0, task_id);
}
