/* cmd_match — run matchmaking for one ATS job from the command line and
 * print the ranking with every score component, for recruiters and for
 * tuning.  Without --dry-run it is a real run (stored and written to
 * Airtable like any other); --dry-run reads Airtable and the database but
 * writes nothing anywhere. */
#include "cmd_match.h"
#include "appinit.h"
#include "db.h"
#include "matchrun.h"
#include "norm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static cJSON *job_json(const model_job *j)
{
  char buf[4096];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "title", j->title);
  cJSON_AddStringToObject(o, "seniority", norm_seniority_name(j->seniority));
  if (!isnan(j->min_years))
    cJSON_AddNumberToObject(o, "min_years", j->min_years);
  norm_format_location(j->city, j->country, buf, sizeof buf);
  cJSON_AddStringToObject(o, "location", buf);
  norm_format_remote(j->remote_policy, j->remote_region, buf, sizeof buf);
  cJSON_AddStringToObject(o, "remote", buf);
  if (!isnan(j->salary_min))
    cJSON_AddNumberToObject(o, "salary_min", j->salary_min);
  if (!isnan(j->salary_max))
    cJSON_AddNumberToObject(o, "salary_max", j->salary_max);
  cJSON_AddStringToObject(o, "currency", j->currency);
  model_skill req[MODEL_MAX_SKILLS], nice[MODEL_MAX_SKILLS];
  int nr = 0, nn = 0;
  for (int i = 0; i < j->n_skills; i++) {
    if (j->skills[i].flags & SKILL_REQUIRED)
      req[nr++] = j->skills[i];
    else
      nice[nn++] = j->skills[i];
  }
  norm_format_skills(req, nr, 0, buf, sizeof buf);
  cJSON_AddStringToObject(o, "required", buf);
  norm_format_skills(nice, nn, 0, buf, sizeof buf);
  cJSON_AddStringToObject(o, "nice_to_have", buf);
  return o;
}

int cmd_match(td_config *cfg, int argc, char **argv)
{
  const char *id = NULL;
  int dry = 0, json = 0, rc;
  td_app app;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--dry-run") == 0)
      dry = 1;
    else if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (!id && argv[i][0] != '-')
      id = argv[i];
    else {
      fprintf(stderr, "usage: talentd match <atsRecordId> [--dry-run] [--json]\n");
      return 2;
    }
  }
  if (!id || !cfg_is_airtable_id(id, "rec")) {
    fprintf(stderr, "talentd match: expected an ATS record id (rec + 14 letters or digits)\n");
    return 2;
  }
  if ((rc = app_init(&app, cfg, APP_NEED_AIRTABLE | APP_NEED_INDEX)) != 0)
    return rc;
  td_err trc;
  PGconn *c = db_connect(cfg->database_url, &trc);
  if (!c) {
    app_destroy(&app);
    return 1;
  }
  mr_outcome out;
  char err[512] = "";
  mr_options o = {.trigger = MR_CLI, .dry_run = dry, .ignore_pause = dry};
  trc = mr_run(&app, c, id, &o, &out, err, sizeof err);
  if (trc && trc != TD_ERR_REFUSED) {
    fprintf(stderr, "talentd match: %s\n", err);
    rc = 1;
    goto out;
  }
  if (json) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "ats_record_id", id);
    cJSON_AddBoolToObject(root, "dry_run", dry);
    cJSON_AddItemToObject(root, "job", job_json(&out.job));
    cJSON_AddNumberToObject(root, "run_id", (double)out.run_id);
    cJSON_AddBoolToObject(root, "patched", out.patched);
    cJSON_AddNumberToObject(root, "airtable_requests", out.requests);
    cJSON_AddNumberToObject(root, "candidates", (double)out.candidates);
    cJSON_AddNumberToObject(root, "excluded", (double)out.excluded);
    cJSON_AddNumberToObject(root, "ms", out.ms);
    if (trc == TD_ERR_REFUSED)
      cJSON_AddStringToObject(root, "refused", out.refused);
    cJSON *arr = cJSON_AddArrayToObject(root, "matches");
    for (size_t i = 0; i < out.n; i++) {
      cJSON *m = match_result_json(&out.results[i]);
      cJSON_AddNumberToObject(m, "rank", (double)(i + 1));
      if (out.names[i])
        cJSON_AddStringToObject(m, "name", out.names[i]);
      cJSON_AddItemToArray(arr, m);
    }
    char *txt = cJSON_Print(root);
    printf("%s\n", txt ? txt : "{}");
    cJSON_free(txt);
    cJSON_Delete(root);
  } else {
    cJSON *j = job_json(&out.job);
    printf("%s — %s%s%s\n", id, out.job.title[0] ? out.job.title : "(untitled)",
           out.job.seniority ? ", " : "", norm_seniority_name(out.job.seniority));
    printf("  required: %s\n", cJSON_GetStringValue(cJSON_GetObjectItem(j, "required")));
    printf("  nice to have: %s\n", cJSON_GetStringValue(cJSON_GetObjectItem(j, "nice_to_have")));
    printf("  location: %s  remote: %s\n", cJSON_GetStringValue(cJSON_GetObjectItem(j, "location")),
           cJSON_GetStringValue(cJSON_GetObjectItem(j, "remote")));
    cJSON_Delete(j);
    printf("%zu candidates ranked in %.1f ms (%zu excluded)%s\n\n", out.candidates, out.ms,
           out.excluded, dry ? " — dry run, nothing written" : "");
    for (size_t i = 0; i < out.n; i++) {
      char line[1024];
      match_result_line(&out.results[i], line, sizeof line);
      printf("%2zu. %3ld%%  %-28s %s\n", i + 1, lround(out.results[i].score * 100),
             out.names[i] ? out.names[i] : "?", line);
    }
    if (!dry)
      printf("\nrun %lld stored; Airtable %s (%d requests)\n", out.run_id,
             out.patched ? "updated" : "already up to date", out.requests);
    if (trc == TD_ERR_REFUSED)
      printf("refused: %s\n", out.refused);
  }
  rc = 0;
out:
  mr_outcome_free(&out);
  PQfinish(c);
  app_destroy(&app);
  return rc;
}
