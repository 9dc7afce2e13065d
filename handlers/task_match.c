/* task_match — the `match` and `customer.start_matchmaking` task kinds.
 *
 * `match` (key: the ATS record id; payload {"trigger": "admin"|…}) runs
 * matchmaking for one position.  `customer.start_matchmaking` (key: the
 * Customers STT record id) is the recruiter's checkbox: it picks the
 * company's ATS job (the only one, or the one whose title best matches the
 * company's normalized job title), queues matchmaking for it under the ATS
 * record's key, then clears the checkbox.  A refusal (paused or closed job) is not a failure to retry: it
 * is logged and the task completes. */
#include "airtable.h"
#include "fields.h"
#include "log.h"
#include "matchrun.h"
#include "norm.h"
#include "queue.h"
#include "tasks.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static mr_trigger trigger_of(const char *payload)
{
  cJSON *p = cJSON_Parse(payload ? payload : "{}");
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "trigger");
  mr_trigger tr = MR_ADMIN;
  if (cJSON_IsString(t)) {
    if (strcmp(t->valuestring, "sourcing") == 0)
      tr = MR_SOURCING;
    else if (strcmp(t->valuestring, "initial_recruiting") == 0)
      tr = MR_INITIAL_RECRUITING;
    else if (strcmp(t->valuestring, "start_matchmaking") == 0)
      tr = MR_START_MATCHMAKING;
  }
  cJSON_Delete(p);
  return tr;
}

td_err task_match(td_app *app, PGconn *c, const queue_task *t, char *err, size_t errlen)
{
  mr_outcome out;
  mr_options o = {.trigger = trigger_of(t->payload)};
  td_err rc = mr_run(app, c, t->key, &o, &out, err, errlen);
  if (rc == TD_ERR_REFUSED) {
    LOG(LOG_WARN, "match_refused", LOG_S("ats_record_id", t->key), LOG_S("reason", out.refused));
    rc = TD_OK;
  }
  mr_outcome_free(&out);
  return rc;
}

/* Lower-case word tokens of a normalized title, with the usual
 * abbreviations already expanded by norm_title(). */
static int tokens(const char *title, char toks[][32], int max)
{
  char norm[256];
  int n = 0;
  norm_title(title ? title : "", norm, sizeof norm);
  for (const char *p = norm; *p && n < max;) {
    while (*p && !isalnum((unsigned char)*p) && *p != '+' && *p != '#')
      p++;
    int len = 0;
    while (*p && (isalnum((unsigned char)*p) || *p == '+' || *p == '#')) {
      if (len < 31)
        toks[n][len++] = (char)tolower((unsigned char)*p);
      p++;
    }
    if (len) {
      toks[n][len] = 0;
      n++;
    }
  }
  return n;
}

/* Jaccard similarity of two titles' token sets. */
double task_title_similarity(const char *a, const char *b);
double task_title_similarity(const char *a, const char *b)
{
  char ta[32][32], tb[32][32];
  int na = tokens(a, ta, 32), nb = tokens(b, tb, 32), inter = 0;
  if (!na || !nb)
    return 0;
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      if (strcmp(ta[i], tb[j]) == 0) {
        inter++;
        break;
      }
  return (double)inter / (double)(na + nb - inter);
}

td_err task_start_matchmaking(td_app *app, PGconn *c, const queue_task *t, char *err,
                              size_t errlen)
{
  at_error ae;
  cJSON *cust = NULL, *jobs = NULL;
  td_err rc;
  memset(&ae, 0, sizeof ae);

  rc = at_get(app->at, app->cfg->customers_table, t->key, &cust, &ae);
  if (rc == TD_ERR_NOT_FOUND) {
    LOG(LOG_WARN, "start_matchmaking_no_record", LOG_S("customer_record_id", t->key));
    return TD_OK;
  }
  if (rc)
    goto out;
  const cJSON *cf = cJSON_GetObjectItemCaseSensitive(cust, "fields");
  const cJSON *links = cJSON_GetObjectItemCaseSensitive(cf, fields_name(FLD_C_ATS_JOBS));
  int n = cJSON_GetArraySize(links);
  if (n == 0) {
    LOG(LOG_WARN, "start_matchmaking_no_ats_job", LOG_S("customer_record_id", t->key));
  } else {
    const char *ids[64];
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, links) if (cJSON_IsString(e) && k < 64) ids[k++] = e->valuestring;
    char *formula = at_formula_record_ids(ids, (size_t)k);
    at_list_opts lo = {.formula = formula};
    rc = formula ? at_list_all(app->at, app->cfg->ats_table, &lo, &jobs, &ae) : TD_ERR_NOMEM;
    free(formula);
    if (rc)
      goto out;
    /* The company's own title, as the normalizer reads its description. */
    model_raw_job rj = {
      .customer_record_id = t->key,
      .company = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cf, fields_name(FLD_C_COMPANY))),
      .description = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(cf, fields_name(FLD_C_JOB_DESCRIPTION))),
    };
    model_job mj;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    norm_job(&rj, tm.tm_year + 1900, &mj);
    const cJSON *best = NULL, *job;
    double best_sim = -1;
    cJSON_ArrayForEach(job, jobs)
    {
      const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(job, "id"));
      const char *title = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
          cJSON_GetObjectItemCaseSensitive(job, "fields"), fields_name(FLD_A_OPEN_POSITION)));
      double sim = task_title_similarity(mj.title, title);
      const char *best_id =
          best ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(best, "id")) : NULL;
      /* deterministic: higher similarity, then the smaller record id */
      if (!best || sim > best_sim || (sim == best_sim && id && best_id && strcmp(id, best_id) < 0)) {
        best = job;
        best_sim = sim;
      }
    }
    model_job_free(&mj);
    if (best) {
      /* Queue the run under the ATS record's own key, so that it never
       * overlaps a status change of the same job (contract §5). */
      long long tid = 0;
      const char *ats_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(best, "id"));
      rc = queue_enqueue(c, "match", ats_id, "{\"trigger\":\"start_matchmaking\"}", 8, 0, &tid);
      if (rc)
        goto out;
      LOG(LOG_INFO, "start_matchmaking_queued", LOG_S("customer_record_id", t->key),
          LOG_S("ats_record_id", ats_id), LOG_I("ats_jobs", n), LOG_D("title_similarity", best_sim),
          LOG_I("match_task_id", tid));
    }
  }
  /* Clear the checkbox (a no-op write is avoided when already clear). */
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cf, fields_name(FLD_C_START_MATCHMAKING)))) {
    cJSON *recs = cJSON_CreateArray(), *rec = cJSON_CreateObject(), *f = cJSON_CreateObject();
    cJSON_AddBoolToObject(f, fields_name(FLD_C_START_MATCHMAKING), 0);
    cJSON_AddStringToObject(rec, "id", t->key);
    cJSON_AddItemToObject(rec, "fields", f);
    cJSON_AddItemToArray(recs, rec);
    rc = at_update(app->at, app->cfg->customers_table, recs, 0, NULL, &ae);
    cJSON_Delete(recs);
  }
out:
  if (rc && !err[0])
    snprintf(err, errlen, "Airtable %d %s: %s", ae.http_status, ae.type, ae.message);
  cJSON_Delete(jobs);
  cJSON_Delete(cust);
  return rc;
}
