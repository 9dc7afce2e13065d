/* task_stages — the ats.stages_changed task kind (contract §4.1, issue 7).
 *
 * Key: the ATS record id; the payload is ignored (Airtable is re-read).
 *   1. GET the ATS record (one request);
 *   2. diff every stage column against the stored snapshot and record the
 *      moves as feedback_events (core/feedback_db.h: one transaction, so a
 *      replayed or duplicate event records nothing new; the first look at a
 *      record records everyone already placed as `entered`);
 *   3. apply the `Feedback` field's new lines once (skill corrections);
 *   4. keep `REJECTED PROPOSTED CANDIDATES` current: one PATCH, only when
 *      the text differs from what the record holds.
 * At most two Airtable requests.  talentd's own On Hold move (active
 * columns -> Considered Talent (Job On Hold)) records `left` moves and an
 * `entered` into the on-hold column, whose signal is "none": nothing there
 * reads as a rejection. */
#include "airtable.h"
#include "cfg.h"
#include "db.h"
#include "feedback.h"
#include "feedback_db.h"
#include "fields.h"
#include "log.h"
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every (column, candidate) of the record's stage columns; ids that are not
 * Airtable record ids are skipped. */
static td_err collect_links(const cJSON *fields, fb_link **out, size_t *n)
{
  size_t cap = 32;
  *n = 0;
  *out = malloc(cap * sizeof **out);
  if (!*out)
    return TD_ERR_NOMEM;
  for (int f = FLD_A_FIRST_STAGE; f <= FLD_A_LAST_STAGE; f++) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(fields, fields_name((fld_id)f)), *e;
    if (!cJSON_IsArray(a))
      continue;
    cJSON_ArrayForEach(e, a)
    {
      if (!cJSON_IsString(e) || !cfg_is_airtable_id(e->valuestring, "rec"))
        continue;
      if (*n == cap) {
        fb_link *nx = realloc(*out, (cap *= 2) * sizeof **out);
        if (!nx)
          return TD_ERR_NOMEM;
        *out = nx;
      }
      (*out)[*n].column = (fld_id)f;
      (*out)[*n].candidate = e->valuestring; /* borrowed from the record */
      (*n)++;
    }
  }
  return TD_OK;
}

static const char *fstr(const cJSON *fields, fld_id f)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

td_err task_ats_stages_changed(td_app *app, PGconn *c, const queue_task *t, char *err,
                               size_t errlen)
{
  char source[48];
  cJSON *rec = NULL;
  fb_link *links = NULL;
  size_t n_links = 0;
  char *rejected = NULL;
  at_error ae;
  fb_params p;
  fbdb_stage_result sr;
  fbdb_lines_result lr;
  int patched = 0;
  const char *ats_id = t->key;

  memset(&ae, 0, sizeof ae);
  memset(&sr, 0, sizeof sr);
  memset(&lr, 0, sizeof lr);
  if (!cfg_is_airtable_id(ats_id, "rec")) {
    snprintf(err, errlen, "the task key is not an Airtable record id");
    return TD_ERR_INVALID;
  }
  td_err rc = tasks_source(c, t, "internal:", source, sizeof source);
  if (rc) {
    snprintf(err, errlen, "looking up the task's event failed");
    return rc;
  }
  rc = at_get(app->at, app->cfg->ats_table, ats_id, &rec, &ae);
  if (rc == TD_ERR_NOT_FOUND) {
    LOG(LOG_WARN, "stages_record_gone", LOG_S("ats_record_id", ats_id));
    return TD_OK;
  }
  if (rc)
    goto out;
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(rec, "fields");

  fbdb_params(&p);
  rc = collect_links(fields, &links, &n_links);
  if (!rc)
    rc = fbdb_record_stages(c, ats_id, links, n_links, source, &p, &sr);
  if (rc)
    goto out;
  rc = fbdb_apply_feedback(c, ats_id, fstr(fields, FLD_A_FEEDBACK), source, &lr);
  if (rc)
    goto out;

  rc = fbdb_rejected_proposed(c, ats_id, &rejected);
  if (rc)
    goto out;
  const char *now_txt = fstr(fields, FLD_A_REJECTED_PROPOSED);
  if (strcmp(now_txt ? now_txt : "", rejected) != 0) {
    cJSON *recs = cJSON_CreateArray(), *r1 = cJSON_CreateObject(), *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, fields_name(FLD_A_REJECTED_PROPOSED), rejected);
    cJSON_AddStringToObject(r1, "id", ats_id);
    cJSON_AddItemToObject(r1, "fields", f);
    cJSON_AddItemToArray(recs, r1);
    rc = at_update(app->at, app->cfg->ats_table, recs, 0, NULL, &ae);
    cJSON_Delete(recs);
    if (rc)
      goto out;
    patched = 1;
  }

out:
  if (rc && errlen && !err[0]) {
    if (ae.http_status || ae.type[0])
      snprintf(err, errlen, "Airtable %d %s: %s", ae.http_status, ae.type, ae.message);
    else
      snprintf(err, errlen, "%s", td_strerror(rc));
  }
  LOG(rc ? LOG_WARN : LOG_INFO, "stages_changed", LOG_S("ats_record_id", ats_id),
      LOG_S("source", source), LOG_I("first_sight", sr.first_sight), LOG_I("moves", sr.moves),
      LOG_I("entered", sr.entered), LOG_I("rejections", sr.rejections),
      LOG_I("feedback_lines", lr.lines), LOG_I("lines_applied", lr.applied),
      LOG_I("lines_reported", lr.reported),
      LOG_I("skill_adjustments", lr.adjustments + sr.adjustments),
      LOG_I("rejected_proposed_patched", patched), LOG_S("result", rc ? td_strerror(rc) : "ok"));
  free(rejected);
  free(links);
  cJSON_Delete(rec);
  return rc;
}
