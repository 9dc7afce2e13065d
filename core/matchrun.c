/* matchrun — a matchmaking run for one ATS job, from Airtable to Airtable.
 *
 * The order matters: everything that can fail without side effects (reads,
 * normalization, ranking) happens first; the run is stored before the
 * write so a crash after the PATCH still leaves a record of what was sent;
 * the PATCH is skipped when Airtable already shows the same proposals, so a
 * re-run over unchanged data costs no write and fires no automation. */
#include "matchrun.h"
#include "airtable.h"
#include "cfg.h"
#include "db.h"
#include "feedback.h"
#include "feedback_db.h"
#include "fields.h"
#include "log.h"
#include "metrics.h"
#include "norm.h"
#include "store.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const trigger_names[] = {"sourcing", "initial_recruiting", "start_matchmaking",
                                            "admin", "cli"};

const char *mr_trigger_name(mr_trigger t)
{
  return (unsigned)t < sizeof trigger_names / sizeof trigger_names[0] ? trigger_names[t] : "?";
}

int mr_status_active(const char *s)
{
  static const char *const active[] = {"Sourcing", "Initial Recruiting", "Ongoing Recruiting",
                                       "Client Introduction", "In Interview"};
  for (size_t i = 0; s && i < sizeof active / sizeof active[0]; i++)
    if (strcmp(s, active[i]) == 0)
      return 1;
  return 0;
}

int mr_status_blocks(const char *s)
{
  return s && (strcmp(s, "On Hold") == 0 || strcmp(s, "Position closed") == 0 ||
               strcmp(s, "Disqualified") == 0);
}

static const char *fstr(const cJSON *fields, fld_id f)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *farr(const cJSON *fields, fld_id f)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
  return cJSON_IsArray(v) ? v : NULL;
}

int mr_format_proposed(char *const *names, const match_result *r, size_t n, char *buf, size_t len)
{
  size_t used = 0;
  buf[0] = 0;
  for (size_t i = 0; i < n; i++) {
    int pct = (int)lround(r[i].score * 100.0);
    const char *name = names && names[i] && *names[i] ? names[i] : r[i].record_id;
    int w = snprintf(buf + used, len - used, "%s%s (%d%%)", i ? ", " : "", name, pct);
    if (w < 0 || (size_t)w >= len - used) {
      buf[used] = 0; /* keep whole entries only */
      break;
    }
    used += (size_t)w;
  }
  return (int)used;
}

int mr_format_matched(size_t n, time_t when, char *buf, size_t len)
{
  struct tm tm;
  char day[16];
  gmtime_r(&when, &tm);
  strftime(day, sizeof day, "%Y-%m-%d", &tm);
  return snprintf(buf, len, "%zu candidate%s matched on %s", n, n == 1 ? "" : "s", day);
}

td_err mr_job_flags(PGconn *c, const char *ats_record_id, int *paused, int *archived)
{
  td_err rc;
  const char *p[] = {ats_record_id};
  *paused = *archived = 0;
  PGresult *r = db_exec(c, &rc, "SELECT paused, archived FROM ats_jobs WHERE ats_record_id = $1", 1, p);
  if (!rc && PQntuples(r) == 1) {
    *paused = PQgetvalue(r, 0, 0)[0] == 't';
    *archived = PQgetvalue(r, 0, 1)[0] == 't';
  }
  PQclear(r);
  return rc;
}

td_err mr_refresh_index(td_app *app, PGconn *c)
{
  int applied = 0, stale = 0;
  td_err rc;
  pthread_mutex_lock(&app->index_mu);
  rc = store_candidates_pull(c, app->index, &app->index_pull, &applied, &stale);
  pthread_mutex_unlock(&app->index_mu);
  if (applied || stale)
    LOG(LOG_DEBUG, "index_refreshed", LOG_I("applied", applied), LOG_I("stale", stale),
        LOG_I("candidates", (long long)match_index_count(app->index)));
  if (stale)
    LOG(LOG_WARN, "index_stale_rows", LOG_I("count", stale),
        LOG_S("hint", "run `talentd sync talent` to re-derive them with this version"));
  return rc;
}

/* Candidates never proposed for this job: everyone already in a stage
 * column other than the AI column itself, and everyone the recruiters
 * rejected for it in the past (feedback_events), even after they were
 * moved out of the rejection column again. */
static td_err collect_exclusions(PGconn *c, const char *ats_id, const cJSON *fields, char ***ids,
                                 size_t *n)
{
  size_t cap = 64;
  td_err rc;
  *n = 0;
  *ids = malloc(cap * sizeof **ids);
  if (!*ids)
    return TD_ERR_NOMEM;
  for (int f = FLD_A_FIRST_STAGE; f <= FLD_A_LAST_STAGE; f++) {
    if (f == FLD_A_FIT_AI)
      continue;
    const cJSON *a = farr(fields, (fld_id)f), *e;
    cJSON_ArrayForEach(e, a)
    {
      if (!cJSON_IsString(e))
        continue;
      if (*n == cap) {
        char **nx = realloc(*ids, (cap *= 2) * sizeof **ids);
        if (!nx)
          return TD_ERR_NOMEM;
        *ids = nx;
      }
      (*ids)[(*n)++] = strdup(e->valuestring);
    }
  }
  /* the signals fb_signal_excludes() names, spelled as feedback_db stores them */
  const char *p[] = {ats_id, fb_signal_name(FB_NOT_A_FIT), fb_signal_name(FB_REJECTED),
                     fb_signal_name(FB_DECLINED)};
  PGresult *r = db_exec(c, &rc,
                        "SELECT DISTINCT talent_record_id FROM feedback_events WHERE ats_record_id = $1"
                        " AND direction = 'entered' AND signal IN ($2, $3, $4)",
                        4, p);
  for (int i = 0; !rc && i < PQntuples(r); i++) {
    if (*n == cap) {
      char **nx = realloc(*ids, (cap *= 2) * sizeof **ids);
      if (!nx) {
        PQclear(r);
        return TD_ERR_NOMEM;
      }
      *ids = nx;
    }
    (*ids)[(*n)++] = strdup(PQgetvalue(r, i, 0));
  }
  PQclear(r);
  return rc;
}

static void free_strv(char **v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    free(v[i]);
  free(v);
}

static cJSON *raw_job_json(const cJSON *ats, const cJSON *cust)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "ats", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(ats, "fields"), 1));
  cJSON_AddItemToObject(o, "customer",
                        cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(cust, "fields"), 1));
  return o;
}

static td_err store_run(PGconn *c, const char *ats_id, long long job_id, mr_trigger trig,
                        const mr_outcome *out, const char *summary, long long *run_id)
{
  char jid[32], cands[32], prop[32], ms[40];
  td_err rc = db_run(c, "BEGIN", 0, NULL);
  if (rc)
    return rc;
  snprintf(jid, sizeof jid, "%lld", job_id);
  snprintf(cands, sizeof cands, "%zu", out->candidates);
  snprintf(prop, sizeof prop, "%zu", out->n);
  snprintf(ms, sizeof ms, "%.3f", out->ms);
  const char *p[] = {ats_id, job_id ? jid : NULL, mr_trigger_name(trig), cands, prop, ms, summary};
  PGresult *r = db_exec(c, &rc,
                        "INSERT INTO match_runs (ats_record_id, job_id, trigger, candidates, proposed,"
                        " duration_ms, summary) VALUES ($1, $2::bigint, $3, $4::int, $5::int,"
                        " $6::float8, $7) RETURNING id",
                        7, p);
  *run_id = rc ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  char rid[32];
  snprintf(rid, sizeof rid, "%lld", *run_id);
  for (size_t i = 0; !rc && i < out->n; i++) {
    char rank[24], score[40];
    cJSON *j = match_result_json(&out->results[i]);
    char *comp = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    snprintf(rank, sizeof rank, "%zu", i + 1);
    snprintf(score, sizeof score, "%.6f", out->results[i].score);
    const char *q[] = {rid, rank, out->results[i].record_id, score, comp ? comp : "{}"};
    rc = db_run(c,
                "INSERT INTO matches (run_id, rank, talent_record_id, score, components)"
                " VALUES ($1::bigint, $2::int, $3, $4::float8, $5::jsonb)",
                5, q);
    free(comp);
  }
  td_err rc2 = db_run(c, rc ? "ROLLBACK" : "COMMIT", 0, NULL);
  return rc ? rc : rc2;
}

/* The proposals Airtable shows already equal ours? */
static int same_proposals(const cJSON *fields, const match_result *r, size_t n, const char *proposed)
{
  const cJSON *cur = farr(fields, FLD_A_FIT_AI);
  size_t i = 0;
  const cJSON *e;
  if ((size_t)cJSON_GetArraySize(cur) != n)
    return 0;
  cJSON_ArrayForEach(e, cur)
  {
    if (!cJSON_IsString(e) || strcmp(e->valuestring, r[i].record_id) != 0)
      return 0;
    i++;
  }
  const char *txt = fstr(fields, FLD_A_AI_PROPOSED);
  return (txt ? strcmp(txt, proposed) == 0 : proposed[0] == 0) && fstr(fields, FLD_A_MATCHED);
}

td_err mr_run(td_app *app, PGconn *c, const char *ats_id, const mr_options *o, mr_outcome *out,
              char *err, size_t errlen)
{
  td_err rc = TD_OK;
  at_error ae;
  cJSON *ats_owned = NULL, *cust = NULL, *raw = NULL;
  char **excl = NULL;
  size_t nexcl = 0;
  char *proposed = NULL, *rejected = NULL;
  long long job_id = 0;
  fbdb_feedback fbk;
  fb_params fbp;
  const cJSON *ats = o->ats_record;
  time_t now = time(NULL);
  struct tm tm;

  memset(out, 0, sizeof *out);
  memset(&ae, 0, sizeof ae);
  memset(&fbk, 0, sizeof fbk);
  if (errlen)
    err[0] = 0;
  gmtime_r(&now, &tm);

  if (!o->ignore_pause && !o->dry_run) {
    int paused, archived;
    rc = mr_job_flags(c, ats_id, &paused, &archived);
    if (rc)
      goto out;
    if (paused || archived) {
      snprintf(out->refused, sizeof out->refused, "the job is %s; matchmaking resumes when its status "
               "moves back to an active one", paused ? "on hold" : "closed");
      rc = TD_ERR_REFUSED;
      goto out;
    }
  }
  if (!ats) {
    rc = at_get(app->at, app->cfg->ats_table, ats_id, &ats_owned, &ae);
    out->requests++;
    if (rc)
      goto out;
    ats = ats_owned;
  }
  const cJSON *af = cJSON_GetObjectItemCaseSensitive(ats, "fields");
  const cJSON *company = farr(af, FLD_A_COMPANY);
  const cJSON *cid = cJSON_GetArrayItem(company, 0);
  if (!cJSON_IsString(cid)) {
    snprintf(err, errlen, "ATS record %s has no Company link", ats_id);
    rc = TD_ERR_INVALID;
    goto out;
  }
  rc = at_get(app->at, app->cfg->customers_table, cid->valuestring, &cust, &ae);
  out->requests++;
  if (rc)
    goto out;
  const cJSON *cf = cJSON_GetObjectItemCaseSensitive(cust, "fields");

  model_raw_job rj = {
    .customer_record_id = cid->valuestring,
    .ats_record_id = ats_id,
    .company = fstr(cf, FLD_C_COMPANY),
    .position_title = fstr(af, FLD_A_OPEN_POSITION),
    .profile = fstr(af, FLD_A_SMART_PROFILE),
    .description = fstr(cf, FLD_C_JOB_DESCRIPTION),
    .location = fstr(cf, FLD_C_LOCATION),
    .salary_range = fstr(cf, FLD_C_SALARY_RANGE),
    .remote_policy = fstr(cf, FLD_C_REMOTE_POLICY),
  };
  rc = norm_job(&rj, tm.tm_year + 1900, &out->job);
  if (rc)
    goto out;
  snprintf(out->job.ats_record_id, sizeof out->job.ats_record_id, "%s", ats_id);

  rc = collect_exclusions(c, ats_id, af, &excl, &nexcl);
  if (rc)
    goto out;
  out->excluded = nexcl;
  rc = mr_refresh_index(app, c);
  if (rc)
    goto out;
  out->candidates = match_index_count(app->index);

  /* matchmaking with feedback: the job's recruiter moves as Rocchio
   * examples; a job without any passes NULL and ranks exactly as before */
  fbdb_params(&fbp);
  rc = fbdb_feedback_for_job(c, ats_id, now, &fbp, &fbk);
  if (rc)
    goto out;

  size_t top = (size_t)app->cfg->top_n;
  out->results = calloc(top, sizeof *out->results);
  if (!out->results) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  match_query q = {
    .job = &out->job,
    .exclude = (const char *const *)excl,
    .n_exclude = nexcl,
    .top_n = top,
    .ref_year = tm.tm_year + 1900,
    .weights = &app->weights,
    .feedback = fbk.fb.n_examples ? &fbk.fb : NULL,
  };
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  rc = match_run(app->index, &q, out->results, &out->n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  out->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  metrics_observe("talentd_match_run_seconds", "", out->ms / 1e3);
  if (rc)
    goto out;
  const char **ids = malloc((out->n ? out->n : 1) * sizeof *ids);
  if (!ids) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < out->n; i++)
    ids[i] = out->results[i].record_id;
  rc = store_candidate_names(c, ids, out->n, &out->names);
  free(ids);
  if (rc)
    goto out;

  size_t plen = out->n * 140 + 16;
  proposed = malloc(plen);
  if (!proposed) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  mr_format_proposed(out->names, out->results, out->n, proposed, plen);
  if (o->dry_run)
    goto out;

  raw = raw_job_json(ats, cust);
  char *raw_txt = cJSON_PrintUnformatted(raw);
  char hash[65];
  const char *parts[] = {raw_txt};
  store_hash(hash, parts, 1);
  rc = store_job_upsert(c, &out->job, rj.company, raw_txt, hash, NULL, &job_id);
  free(raw_txt);
  if (rc)
    goto out;
  rc = store_run(c, ats_id, job_id, o->trigger, out, proposed, &out->run_id);
  if (rc)
    goto out;

  /* REJECTED PROPOSTED CANDIDATES rides along in the same PATCH */
  rc = fbdb_rejected_proposed(c, ats_id, &rejected);
  if (rc)
    goto out;
  const char *rej_now = fstr(af, FLD_A_REJECTED_PROPOSED);
  int same_rejected = strcmp(rej_now ? rej_now : "", rejected) == 0;
  if (same_proposals(af, out->results, out->n, proposed) && same_rejected) {
    LOG(LOG_INFO, "match_unchanged", LOG_S("ats_record_id", ats_id), LOG_I("run_id", out->run_id));
    goto out;
  }
  /* An On Hold (or a close) that landed while we ranked wins: look again. */
  cJSON *again = NULL;
  rc = at_get(app->at, app->cfg->ats_table, ats_id, &again, &ae);
  out->requests++;
  if (rc)
    goto out;
  const char *status = fstr(cJSON_GetObjectItemCaseSensitive(again, "fields"), FLD_A_JOB_STATUS);
  if (mr_status_blocks(status) && o->trigger != MR_CLI) {
    snprintf(out->refused, sizeof out->refused,
             "the Job Status changed to %s during the run; nothing was written", status);
    cJSON_Delete(again);
    rc = TD_ERR_REFUSED;
    goto out;
  }
  cJSON_Delete(again);

  char matched[96];
  mr_format_matched(out->n, now, matched, sizeof matched);
  cJSON *recs = cJSON_CreateArray(), *rec = cJSON_CreateObject(), *f = cJSON_CreateObject();
  cJSON *links = cJSON_CreateArray();
  for (size_t i = 0; i < out->n; i++)
    cJSON_AddItemToArray(links, cJSON_CreateString(out->results[i].record_id));
  cJSON_AddItemToObject(f, fields_name(FLD_A_FIT_AI), links);
  cJSON_AddStringToObject(f, fields_name(FLD_A_AI_PROPOSED), proposed);
  cJSON_AddStringToObject(f, fields_name(FLD_A_MATCHED), matched);
  if (!same_rejected)
    cJSON_AddStringToObject(f, fields_name(FLD_A_REJECTED_PROPOSED), rejected);
  cJSON_AddStringToObject(rec, "id", ats_id);
  cJSON_AddItemToObject(rec, "fields", f);
  cJSON_AddItemToArray(recs, rec);
  rc = at_update(app->at, app->cfg->ats_table, recs, 0, NULL, &ae);
  out->requests++;
  cJSON_Delete(recs);
  if (rc && strcmp(ae.type, "ROW_DOES_NOT_EXIST") == 0) {
    /* A proposed candidate was deleted in Airtable since we last synced:
     * retire it and let the queue run the match again without it. */
    const char *m = strstr(ae.message, "rec");
    char gone[MODEL_ID_LEN] = "";
    if (m && strlen(m) >= 17) {
      memcpy(gone, m, 17);
      gone[17] = 0;
    }
    if (cfg_is_airtable_id(gone, "rec") && store_candidate_mark_deleted(c, gone) == TD_OK) {
      LOG(LOG_WARN, "match_candidate_gone", LOG_S("ats_record_id", ats_id),
          LOG_S("talent_record_id", gone));
      snprintf(err, errlen, "candidate %s no longer exists in Airtable; retired, will re-run", gone);
      rc = TD_ERR_AIRTABLE_RETRY;
    }
  }
  if (rc)
    goto out;
  out->patched = 1;
  char rid[32];
  snprintf(rid, sizeof rid, "%lld", out->run_id);
  const char *p[] = {rid};
  db_run(c, "UPDATE match_runs SET written = true WHERE id = $1::bigint", 1, p);

out:
  if (rc && !err[0]) {
    if (ae.http_status || ae.type[0])
      snprintf(err, errlen, "Airtable %d %s: %s", ae.http_status, ae.type, ae.message);
    else if (rc == TD_ERR_REFUSED)
      snprintf(err, errlen, "%s", out->refused);
    else
      snprintf(err, errlen, "%s", td_strerror(rc));
  }
  LOG(rc ? LOG_WARN : LOG_INFO, "match_run", LOG_S("ats_record_id", ats_id),
      LOG_S("trigger", mr_trigger_name(o->trigger)), LOG_I("run_id", out->run_id),
      LOG_I("proposed", (long long)out->n), LOG_I("candidates", (long long)out->candidates),
      LOG_I("excluded", (long long)out->excluded),
      LOG_I("feedback_examples", (long long)fbk.fb.n_examples), LOG_D("ms", out->ms),
      LOG_I("airtable_requests", out->requests), LOG_I("patched", out->patched),
      LOG_S("result", rc ? td_strerror(rc) : "ok"));
  free(proposed);
  free(rejected);
  fbdb_feedback_free(&fbk);
  free_strv(excl, nexcl);
  cJSON_Delete(raw);
  cJSON_Delete(cust);
  cJSON_Delete(ats_owned);
  return rc;
}

void mr_outcome_free(mr_outcome *o)
{
  if (o->names)
    free_strv(o->names, o->n);
  free(o->results);
  model_job_free(&o->job);
  memset(o, 0, sizeof *o);
}

td_err mr_stored_ranking(PGconn *c, const char *ats_record_id, cJSON **out)
{
  td_err rc;
  const char *p[] = {ats_record_id};
  *out = NULL;
  PGresult *r = db_exec(c, &rc,
                        "SELECT id, trigger, candidates, proposed, duration_ms, written, archived,"
                        " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                        " FROM match_runs WHERE ats_record_id = $1 ORDER BY id DESC LIMIT 1",
                        1, p);
  if (!rc && PQntuples(r) == 0)
    rc = TD_ERR_NOT_FOUND;
  if (rc) {
    PQclear(r);
    return rc;
  }
  cJSON *o = cJSON_CreateObject(), *run = cJSON_CreateObject();
  char run_id[32];
  snprintf(run_id, sizeof run_id, "%s", PQgetvalue(r, 0, 0));
  cJSON_AddNumberToObject(run, "id", strtod(run_id, NULL));
  cJSON_AddStringToObject(run, "trigger", PQgetvalue(r, 0, 1));
  cJSON_AddNumberToObject(run, "candidates", strtod(PQgetvalue(r, 0, 2), NULL));
  cJSON_AddNumberToObject(run, "proposed", strtod(PQgetvalue(r, 0, 3), NULL));
  cJSON_AddNumberToObject(run, "duration_ms", strtod(PQgetvalue(r, 0, 4), NULL));
  cJSON_AddBoolToObject(run, "written", PQgetvalue(r, 0, 5)[0] == 't');
  cJSON_AddBoolToObject(run, "archived", PQgetvalue(r, 0, 6)[0] == 't');
  cJSON_AddStringToObject(run, "created_at", PQgetvalue(r, 0, 7));
  PQclear(r);
  cJSON_AddStringToObject(o, "ats_record_id", ats_record_id);
  cJSON_AddItemToObject(o, "run", run);
  const char *q[] = {run_id};
  r = db_exec(c, &rc,
              "SELECT m.rank, m.talent_record_id, n.name, m.score, m.components::text"
              " FROM matches m LEFT JOIN normalized_candidates n"
              " ON n.airtable_record_id = m.talent_record_id"
              " WHERE m.run_id = $1::bigint ORDER BY m.rank",
              1, q);
  cJSON *arr = cJSON_AddArrayToObject(o, "matches");
  for (int i = 0; !rc && i < PQntuples(r); i++) {
    cJSON *m = cJSON_Parse(PQgetvalue(r, i, 4));
    if (!m)
      m = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(m, "id");
    cJSON_AddNumberToObject(m, "rank", strtod(PQgetvalue(r, i, 0), NULL));
    cJSON_AddStringToObject(m, "id", PQgetvalue(r, i, 1));
    if (!PQgetisnull(r, i, 2))
      cJSON_AddStringToObject(m, "name", PQgetvalue(r, i, 2));
    cJSON_AddItemToArray(arr, m);
  }
  PQclear(r);
  if (rc)
    cJSON_Delete(o);
  else
    *out = o;
  return rc;
}

int mr_weights_from_env(match_weights *w, char *err, size_t errlen)
{
  static const struct {
    const char *name;
    size_t off;
    double hi;
  } vars[] = {
    {"TALENTD_WEIGHT_SKILLS", offsetof(match_weights, skills), 100},
    {"TALENTD_WEIGHT_TEXT", offsetof(match_weights, text), 100},
    {"TALENTD_WEIGHT_FEEDBACK", offsetof(match_weights, feedback), 100},
    {"TALENTD_WEIGHT_EXPERIENCE", offsetof(match_weights, experience), 1},
    {"TALENTD_WEIGHT_ROLE", offsetof(match_weights, role), 1},
    {"TALENTD_WEIGHT_LOCATION", offsetof(match_weights, location), 1},
    {"TALENTD_WEIGHT_SALARY", offsetof(match_weights, salary), 1},
    {"TALENTD_SALARY_FAIL_RATIO", offsetof(match_weights, salary_fail_ratio), 100},
  };
  match_weights_default(w);
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
    const char *v = getenv(vars[i].name);
    char *end;
    if (!v || !*v)
      continue;
    double d = strtod(v, &end);
    if (*end || !(d >= 0) || d > vars[i].hi) {
      snprintf(err, errlen, "config: %s: expected a number from 0 to %g", vars[i].name, vars[i].hi);
      return -1;
    }
    *(double *)((char *)w + vars[i].off) = d;
  }
  return 0;
}
