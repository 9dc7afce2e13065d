/* cmd_feedback — `talentd feedback report [--json] [--job recX]`.
 *
 * Per ATS job (record id + title from normalized_jobs) and overall:
 *   proposals    distinct candidates proposed in any match run of the job
 *   reviewed     of those, how many a recruiter moved into any stage column
 *                other than Potential Talent Fit AI and the on-hold column
 *   shortlisted, client_introduction, interview, negotiations, hired
 *                of the proposals, how many reached that stage or a later
 *                one (a funnel); a rejection at a stage counts as having
 *                reached it ("Interview Rejected Talent" reached interview)
 *   not_a_fit    moved to Recruiter AI Result Rejection
 *   precision    1 - not_a_fit / reviewed: the share of reviewed AI
 *                proposals the recruiters did not throw out as not a fit
 *                (null / "-" when nothing was reviewed)
 * Everything comes from feedback_events (direction 'entered'). */
#include "cmd_feedback.h"
#include "db.h"
#include "feedback.h"
#include "fields.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_PROP, K_REV, K_SHORT, K_INTRO, K_INTER, K_NEGO, K_HIRED, K_NAF, K__N };
static const char *const keys[K__N] = {"proposals",   "reviewed",     "shortlisted", "client_introduction",
                                       "interview",   "negotiations", "hired",       "not_a_fit"};

static void usage(void)
{
  fprintf(stderr, "usage: talentd feedback report [--json] [--job <atsRecordId>]\n");
}

static int append(char *buf, size_t cap, size_t *len, const char *s)
{
  int w = snprintf(buf + *len, cap - *len, "%s", s);
  if (w < 0 || (size_t)w >= cap - *len)
    return -1;
  *len += (size_t)w;
  return 0;
}

/* {"a","b"} and {1,2}: stage column default names and their depths. */
static int stage_arrays(char *cols, size_t ccap, char *ranks, size_t rcap)
{
  size_t cl = 0, rl = 0;
  char item[96];
  if (append(cols, ccap, &cl, "{") || append(ranks, rcap, &rl, "{"))
    return -1;
  for (int f = FLD_A_FIRST_STAGE; f <= FLD_A_LAST_STAGE; f++) {
    const char *sep = f == FLD_A_FIRST_STAGE ? "" : ",";
    snprintf(item, sizeof item, "%s\"%s\"", sep, fields_info((fld_id)f)->default_name);
    if (append(cols, ccap, &cl, item))
      return -1;
    snprintf(item, sizeof item, "%s%d", sep, fb_column_rank((fld_id)f));
    if (append(ranks, rcap, &rl, item))
      return -1;
  }
  return append(cols, ccap, &cl, "}") || append(ranks, rcap, &rl, "}");
}

static void add_figures(cJSON *o, const long long *v)
{
  for (int k = 0; k < K__N; k++)
    cJSON_AddNumberToObject(o, keys[k], (double)v[k]);
  if (v[K_REV] > 0)
    cJSON_AddNumberToObject(o, "precision", 1.0 - (double)v[K_NAF] / (double)v[K_REV]);
  else
    cJSON_AddNullToObject(o, "precision");
}

static void print_row(const char *id, const char *title, const long long *v)
{
  char prec[16];
  if (v[K_REV] > 0)
    snprintf(prec, sizeof prec, "%.2f", 1.0 - (double)v[K_NAF] / (double)v[K_REV]);
  else
    snprintf(prec, sizeof prec, "-");
  printf("%-18s %-30.30s %9lld %8lld %11lld %6lld %9lld %12lld %5lld %9lld %9s\n", id, title,
         v[K_PROP], v[K_REV], v[K_SHORT], v[K_INTRO], v[K_INTER], v[K_NEGO], v[K_HIRED], v[K_NAF],
         prec);
}

int cmd_feedback(td_config *cfg, int argc, char **argv)
{
  int json = 0;
  const char *job = NULL;
  char cols[2048], ranks[256], th[5][8];
  td_err rc;

  if (argc < 1 || strcmp(argv[0], "report") != 0) {
    usage();
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (strcmp(argv[i], "--job") == 0 && i + 1 < argc)
      job = argv[++i];
    else {
      usage();
      return 2;
    }
  }
  if (stage_arrays(cols, sizeof cols, ranks, sizeof ranks)) {
    fprintf(stderr, "talentd feedback: internal error building the stage list\n");
    return 1;
  }
  const fld_id thr[5] = {FLD_A_SHORTLISTED, FLD_A_CLIENT_INTRO, FLD_A_INTERVIEW_1,
                         FLD_A_NEGOTIATIONS, FLD_A_HIRED};
  for (int i = 0; i < 5; i++)
    snprintf(th[i], sizeof th[i], "%d", fb_column_rank(thr[i]));

  PGconn *c = db_connect(cfg->database_url, &rc);
  if (!c) {
    fprintf(stderr, "talentd feedback: cannot connect to the database (DATABASE_URL)\n");
    return 1;
  }
  const char *p[] = {cols, ranks, th[0], th[1], th[2], th[3], th[4], job};
  PGresult *r = db_exec(
      c, &rc,
      "WITH s(col, rnk) AS (SELECT * FROM unnest($1::text[], $2::int[])),"
      " prop AS (SELECT DISTINCT r.ats_record_id, m.talent_record_id FROM matches m"
      "   JOIN match_runs r ON r.id = m.run_id WHERE $8::text IS NULL OR r.ats_record_id = $8),"
      " ev AS (SELECT e.ats_record_id, e.talent_record_id,"
      "   coalesce(max(s.rnk) FILTER (WHERE e.signal IN ('progress', 'hired', 'rejected')), 0) AS depth,"
      "   bool_or(e.signal = 'not_a_fit') AS naf, bool_or(e.signal <> 'none') AS reviewed"
      "   FROM feedback_events e JOIN s ON s.col = e.stage_column"
      "   WHERE e.direction = 'entered' GROUP BY 1, 2)"
      " SELECT p.ats_record_id, coalesce((SELECT j.title FROM normalized_jobs j"
      "   WHERE j.ats_record_id = p.ats_record_id ORDER BY j.updated_at DESC LIMIT 1), ''),"
      "   count(*), count(*) FILTER (WHERE ev.reviewed),"
      "   count(*) FILTER (WHERE ev.depth >= $3::int), count(*) FILTER (WHERE ev.depth >= $4::int),"
      "   count(*) FILTER (WHERE ev.depth >= $5::int), count(*) FILTER (WHERE ev.depth >= $6::int),"
      "   count(*) FILTER (WHERE ev.depth >= $7::int), count(*) FILTER (WHERE ev.naf)"
      " FROM prop p LEFT JOIN ev USING (ats_record_id, talent_record_id)"
      " GROUP BY 1 ORDER BY 1",
      8, p);
  if (rc) {
    fprintf(stderr, "talentd feedback: query failed: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return 1;
  }
  long long total[K__N] = {0};
  cJSON *doc = cJSON_CreateObject(), *jobs = cJSON_CreateArray();
  cJSON *def = cJSON_AddObjectToObject(doc, "definitions");
  cJSON_AddStringToObject(def, "proposals", "distinct candidates proposed in any match run of the job");
  cJSON_AddStringToObject(def, "reviewed", "proposals a recruiter moved into any stage column other "
                                           "than Potential Talent Fit AI and the on-hold column");
  cJSON_AddStringToObject(def, "stages", "proposals that reached the stage or a later one; a "
                                         "rejection at a stage counts as having reached it");
  cJSON_AddStringToObject(def, "not_a_fit", "proposals moved to Recruiter AI Result Rejection");
  cJSON_AddStringToObject(def, "precision", "1 - not_a_fit / reviewed (null when none reviewed)");
  if (!json)
    printf("%-18s %-30s %9s %8s %11s %6s %9s %12s %5s %9s %9s\n", "job", "title", "proposals",
           "reviewed", "shortlisted", "intro", "interview", "negotiations", "hired", "not_a_fit",
           "precision");
  for (int i = 0; i < PQntuples(r); i++) {
    long long v[K__N];
    for (int k = 0; k < K__N; k++) {
      v[k] = strtoll(PQgetvalue(r, i, 2 + k), NULL, 10);
      total[k] += v[k];
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ats_record_id", PQgetvalue(r, i, 0));
    cJSON_AddStringToObject(o, "title", PQgetvalue(r, i, 1));
    add_figures(o, v);
    cJSON_AddItemToArray(jobs, o);
    if (!json)
      print_row(PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), v);
  }
  cJSON_AddItemToObject(doc, "jobs", jobs);
  add_figures(cJSON_AddObjectToObject(doc, "overall"), total);
  if (json) {
    char *txt = cJSON_Print(doc);
    if (txt)
      printf("%s\n", txt);
    free(txt);
  } else {
    print_row("all", "", total);
    printf("\nreviewed: proposals a recruiter moved into any stage column other than the AI column"
           " or on hold.\nstages: reached that stage or a later one (a rejection at a stage counts"
           " as reaching it).\nprecision = 1 - not_a_fit / reviewed, as recruiters judged the AI"
           " column.\n");
  }
  cJSON_Delete(doc);
  PQclear(r);
  PQfinish(c);
  return 0;
}
