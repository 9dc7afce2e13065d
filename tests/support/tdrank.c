/* tdrank — offline ranking of a base fixture, for tuning the matcher.
 *
 *   build/tdrank --base base.json [--ats recId] [--json | --explain]
 *                [--top N] [--ref-year Y] [--set weight=value ...]
 *
 * Reads a base in the emulator's fixture format (tables Talent, Customers STT,
 * ATS), normalizes every Talent record with norm_candidate and every ATS job
 * with norm_job (its Open Position and SMART profile, plus the linked
 * company's Job Description, Location, Salary Range and Remote Policy),
 * excludes the candidates already in any of that job's stage columns other
 * than Potential Talent Fit AI (contract §7.3), ranks, and prints
 *   {"<atsId>": ["rec…", …], …}                  (default: for evaluate.py)
 *   {"<atsId>": [{"id": …, "score": …, …}], …}   (--json: with explanations)
 *   one human line per proposal                   (--explain)
 * --set takes match_weights field names (skills, text, experience, role,
 * location, salary, nice_share, salary_fail_ratio, text_scale, feedback).
 * Exit status: 0 ok, 1 failure, 2 usage. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "match.h"
#include "norm.h"

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 65536 + 1 > cap) {
      cap = cap ? cap * 2 : 1 << 20;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    size_t n = fread(buf + len, 1, 65536, f);
    len += n;
    if (n < 65536)
      break;
  }
  fclose(f);
  buf[len] = '\0';
  return buf;
}

static const cJSON *table(const cJSON *base, const char *name)
{
  const cJSON *t;
  cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(base, "tables"))
  {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(t, "name");
    if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
      return cJSON_GetObjectItemCaseSensitive(t, "records");
  }
  return NULL;
}

static const char *str_field(const cJSON *fields, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_field(const cJSON *fields, const char *name)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, name);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *rec_id(const cJSON *rec)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "id");
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *find_record(const cJSON *records, const char *id)
{
  const cJSON *r;
  cJSON_ArrayForEach(r, records)
  {
    const char *rid = rec_id(r);
    if (rid && !strcmp(rid, id))
      return r;
  }
  return NULL;
}

static int set_weight(match_weights *w, const char *kv)
{
  const char *eq = strchr(kv, '=');
  if (!eq)
    return -1;
  char *end;
  errno = 0;
  double v = strtod(eq + 1, &end);
  if (errno || *end || end == eq + 1)
    return -1;
  size_t n = (size_t)(eq - kv);
  static const struct {
    const char *name;
    size_t off;
  } map[] = {
    {"skills", offsetof(match_weights, skills)},
    {"text", offsetof(match_weights, text)},
    {"feedback", offsetof(match_weights, feedback)},
    {"experience", offsetof(match_weights, experience)},
    {"role", offsetof(match_weights, role)},
    {"location", offsetof(match_weights, location)},
    {"salary", offsetof(match_weights, salary)},
    {"nice_share", offsetof(match_weights, nice_share)},
    {"salary_fail_ratio", offsetof(match_weights, salary_fail_ratio)},
    {"text_scale", offsetof(match_weights, text_scale)},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strlen(map[i].name) == n && !strncmp(map[i].name, kv, n)) {
      *(double *)((char *)w + map[i].off) = v;
      return 0;
    }
  }
  return -1;
}

static void usage(void)
{
  fprintf(stderr, "usage: tdrank --base base.json [--ats recId] [--json | --explain] [--top N]\n"
                  "              [--ref-year YEAR] [--set weight=value ...]\n");
}

int main(int argc, char **argv)
{
  const char *base_path = NULL, *only_ats = NULL;
  int json = 0, explain = 0;
  long top = MATCH_DEFAULT_TOP_N;
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  long ref_year = tm.tm_year + 1900;
  match_weights w;
  match_weights_default(&w);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    char *end;
    if (!strcmp(a, "--base") && next) {
      base_path = argv[++i];
    } else if (!strcmp(a, "--ats") && next) {
      only_ats = argv[++i];
    } else if (!strcmp(a, "--json")) {
      json = 1;
    } else if (!strcmp(a, "--explain")) {
      explain = 1;
    } else if (!strcmp(a, "--top") && next) {
      top = strtol(argv[++i], &end, 10);
      if (*end || top < 1 || top > MATCH_MAX_TOP_N) {
        usage();
        return 2;
      }
    } else if (!strcmp(a, "--ref-year") && next) {
      ref_year = strtol(argv[++i], &end, 10);
      if (*end || ref_year < 1950 || ref_year > 2200) {
        usage();
        return 2;
      }
    } else if (!strcmp(a, "--set") && next) {
      if (set_weight(&w, argv[++i])) {
        fprintf(stderr, "tdrank: unknown weight or bad value: %s\n", argv[i]);
        return 2;
      }
    } else {
      usage();
      return 2;
    }
  }
  if (!base_path) {
    usage();
    return 2;
  }
  char *text = slurp(base_path);
  if (!text) {
    fprintf(stderr, "tdrank: cannot read %s\n", base_path);
    return 1;
  }
  cJSON *base = cJSON_Parse(text);
  free(text);
  const cJSON *talent = table(base, "Talent"), *customers = table(base, "Customers STT");
  const cJSON *ats = table(base, "ATS");
  if (!base || !talent || !customers || !ats) {
    fprintf(stderr, "tdrank: %s is not a base fixture with Talent, Customers STT and ATS\n",
            base_path);
    cJSON_Delete(base);
    return 1;
  }

  int rc = 1;
  match_index *ix = NULL;
  model_candidate *cand = calloc(1, sizeof *cand);
  model_job *job = calloc(1, sizeof *job);
  match_result *res = calloc((size_t)top, sizeof *res);
  cJSON *out = cJSON_CreateObject();
  if (!cand || !job || !res || !out || match_index_new(&ix))
    goto done;

  const cJSON *r;
  cJSON_ArrayForEach(r, talent)
  {
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, "fields");
    const cJSON *sk = cJSON_GetObjectItemCaseSensitive(f, "Skills");
    const char *skills[MODEL_MAX_SKILLS];
    int n_sk = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, sk)
    {
      if (cJSON_IsString(s) && n_sk < MODEL_MAX_SKILLS)
        skills[n_sk++] = s->valuestring;
    }
    model_raw_candidate raw = {
      .record_id = rec_id(r),
      .name = str_field(f, "Name"),
      .cv_text = str_field(f, "CV Text"),
      .skills = skills,
      .n_skills = n_sk,
      .current_title = str_field(f, "Current Title"),
      .years = num_field(f, "Years of Experience"),
      .location = str_field(f, "Location"),
      .work_pref = str_field(f, "Work Preference"),
      .desired_salary = num_field(f, "Desired Salary"),
    };
    if (!raw.record_id)
      continue;
    if (norm_candidate(&raw, (int)ref_year, cand)) {
      fprintf(stderr, "tdrank: norm_candidate failed for %s\n", raw.record_id);
      goto done;
    }
    td_err e = match_index_put(ix, cand);
    model_candidate_free(cand);
    if (e) {
      fprintf(stderr, "tdrank: index: %s\n", td_strerror(e));
      goto done;
    }
  }

  cJSON_ArrayForEach(r, ats)
  {
    const char *aid = rec_id(r);
    if (!aid || (only_ats && strcmp(aid, only_ats)))
      continue;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, "fields");
    const cJSON *co = cJSON_GetObjectItemCaseSensitive(f, "Company");
    const cJSON *cust = NULL;
    if (cJSON_IsArray(co) && cJSON_IsString(cJSON_GetArrayItem(co, 0)))
      cust = find_record(customers, cJSON_GetArrayItem(co, 0)->valuestring);
    const cJSON *cf = cust ? cJSON_GetObjectItemCaseSensitive(cust, "fields") : NULL;
    model_raw_job raw = {
      .customer_record_id = cust ? rec_id(cust) : "",
      .ats_record_id = aid,
      .company = cf ? str_field(cf, "Company") : NULL,
      .position_title = str_field(f, fields_info(FLD_A_OPEN_POSITION)->default_name),
      .profile = str_field(f, fields_info(FLD_A_SMART_PROFILE)->default_name),
      .description = cf ? str_field(cf, "Job Description") : NULL,
      .location = cf ? str_field(cf, "Location") : NULL,
      .salary_range = cf ? str_field(cf, "Salary Range") : NULL,
      .remote_policy = cf ? str_field(cf, "Remote Policy") : NULL,
    };
    if (norm_job(&raw, (int)ref_year, job)) {
      fprintf(stderr, "tdrank: norm_job failed for %s\n", aid);
      goto done;
    }
    /* everyone already placed on this job, in any column but our own */
    const char *excl[4096];
    size_t n_excl = 0;
    for (int fl = FLD_A_FIRST_STAGE; fl <= FLD_A_LAST_STAGE; fl++) {
      if (fl == FLD_A_FIT_AI)
        continue;
      const cJSON *col = cJSON_GetObjectItemCaseSensitive(f, fields_info((fld_id)fl)->default_name);
      const cJSON *id;
      cJSON_ArrayForEach(id, col)
      {
        if (cJSON_IsString(id) && n_excl < sizeof excl / sizeof excl[0])
          excl[n_excl++] = id->valuestring;
      }
    }
    match_query q = {.job = job, .exclude = excl, .n_exclude = n_excl, .top_n = (size_t)top,
                     .ref_year = (int)ref_year, .weights = &w};
    size_t n = 0;
    td_err e = match_run(ix, &q, res, &n);
    if (e) {
      fprintf(stderr, "tdrank: match %s: %s\n", aid, td_strerror(e));
      model_job_free(job);
      goto done;
    }
    if (explain) {
      char req[1024] = "";
      size_t o = 0;
      for (int k = 0; k < job->n_skills && o < sizeof req; k++) {
        int m = snprintf(req + o, sizeof req - o, "%s%s%s%s", k ? ", " : "", job->skills[k].name,
                         job->skills[k].flags & SKILL_NICE ? "?" : "",
                         job->skills[k].alt_group ? "|" : "");
        o += m > 0 ? (size_t)m : 0;
      }
      printf("== %s %s [%s] sen %d min %.1f %s/%s %s region '%s' %.0f-%.0f %s role %d\n", aid,
             job->title, req, job->seniority, job->min_years, job->city, job->country,
             norm_workpref_name(job->remote_policy), job->remote_region, job->salary_min,
             job->salary_max, job->currency, job->role_family);
      for (size_t i = 0; i < n; i++) {
        char line[1024];
        match_result_line(&res[i], line, sizeof line);
        const cJSON *tr = find_record(talent, res[i].record_id);
        const char *nm = tr ? str_field(cJSON_GetObjectItemCaseSensitive(tr, "fields"), "Name") : "";
        printf("%2zu %-22.22s %s\n", i + 1, nm ? nm : "", line);
      }
    } else {
      cJSON *arr = cJSON_AddArrayToObject(out, aid);
      for (size_t i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, json ? match_result_json(&res[i])
                                       : cJSON_CreateString(res[i].record_id));
    }
    model_job_free(job);
  }
  if (!explain) {
    char *s = cJSON_Print(out);
    if (!s)
      goto done;
    puts(s);
    free(s);
  }
  rc = 0;
done:
  cJSON_Delete(out);
  cJSON_Delete(base);
  match_index_free(ix);
  free(cand);
  free(job);
  free(res);
  return rc;
}
