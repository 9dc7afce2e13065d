/* feedback_db — recruiter feedback in PostgreSQL; see feedback_db.h. */
#include "feedback_db.h"
#include "cfg.h"
#include "db.h"
#include "fields.h"
#include "log.h"
#include "metrics.h"
#include "store.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void fbdb_params(fb_params *p)
{
  const char *v = getenv("TALENTD_FEEDBACK_REJECT_LOWERS_SKILLS");
  fb_params_default(p);
  if (v && strcmp(v, "1") == 0)
    p->reject_lowers_skills = 1;
}

static const char *col_name(fld_id f) { return fields_info(f)->default_name; }

int fbdb_column_by_name(const char *name)
{
  for (int f = FLD_A_FIRST_STAGE; name && f <= FLD_A_LAST_STAGE; f++)
    if (strcmp(col_name((fld_id)f), name) == 0)
      return f;
  return -1;
}

static td_err begin(PGconn *c) { return db_run(c, "BEGIN", 0, NULL); }

static td_err finish(PGconn *c, td_err rc)
{
  td_err rc2 = db_run(c, rc ? "ROLLBACK" : "COMMIT", 0, NULL);
  return rc ? rc : rc2;
}

/* ---- skill adjustments ---------------------------------------------------- */

static td_err old_rating_db(PGconn *c, const char *talent, const char *skill, int *rating,
                            char *name, size_t namelen)
{
  td_err rc;
  const char *p[] = {talent, skill};
  PGresult *r = db_exec(c, &rc,
                        "SELECT rating, skill FROM candidate_skills WHERE airtable_record_id = $1"
                        " AND lower(skill) = lower($2) LIMIT 1",
                        2, p);
  *rating = 0;
  if (!rc && PQntuples(r) == 1) {
    *rating = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    snprintf(name, namelen, "%s", PQgetvalue(r, 0, 1));
  }
  PQclear(r);
  return rc;
}

/* Apply adjustments to one candidate inside the caller's transaction:
 * candidate_skills, the binary model (new rev), skill_adjustments.  *done
 * gets the number of skill_adjustments rows written. */
static td_err adjust_candidate(PGconn *c, const char *talent, const fb_adjust *adj, int n,
                               const char *line_hash, const char *ats_id, const char *source,
                               int *done)
{
  td_err rc;
  int changed_model = 0, have_model;
  model_candidate *m = calloc(1, sizeof *m);
  *done = 0;
  if (!m)
    return TD_ERR_NOMEM;
  const char *lp[] = {talent};
  PGresult *r = db_exec(c, &rc,
                        "SELECT 1 FROM normalized_candidates WHERE airtable_record_id = $1"
                        " AND NOT deleted FOR UPDATE",
                        1, lp);
  int exists = !rc && PQntuples(r) == 1;
  PQclear(r);
  if (rc || !exists) {
    free(m);
    if (!rc)
      LOG(LOG_WARN, "feedback_candidate_missing", LOG_S("talent_record_id", talent),
          LOG_S("ats_record_id", ats_id ? ats_id : ""));
    return rc;
  }
  td_err mrc = store_candidate_model(c, talent, m);
  if (mrc && mrc != TD_ERR_NOT_FOUND && mrc != TD_ERR_PARSE) {
    free(m);
    return mrc;
  }
  have_model = mrc == TD_OK;

  for (int i = 0; !rc && i < n; i++) {
    int old = 0, idx = -1;
    char name[MODEL_SKILL_LEN];
    snprintf(name, sizeof name, "%s", adj[i].skill);
    if (have_model) {
      for (int k = 0; k < m->n_skills; k++)
        if (strcasecmp(m->skills[k].name, adj[i].skill) == 0) {
          idx = k;
          old = m->skills[k].rating;
          snprintf(name, sizeof name, "%s", m->skills[k].name);
          break;
        }
    }
    if (idx < 0) {
      rc = old_rating_db(c, talent, adj[i].skill, &old, name, sizeof name);
      if (rc)
        break;
    }
    if (old <= 0 && adj[i].delta < 0) {
      LOG(LOG_INFO, "skill_adjust_skipped", LOG_S("talent_record_id", talent),
          LOG_S("skill", adj[i].skill), LOG_I("delta", adj[i].delta),
          LOG_S("reason", "the candidate has no such skill to lower"));
      continue;
    }
    int nw = fb_apply_rating(old, adj[i].delta);
    int ignored;
    /* the same rule store_candidate_upsert replays after a re-sync */
    if (have_model && store_model_adjust(m, name, adj[i].delta, &ignored))
      changed_model = 1;
    char rs[8], ds[8], os[8];
    snprintf(rs, sizeof rs, "%d", nw);
    snprintf(ds, sizeof ds, "%d", adj[i].delta);
    snprintf(os, sizeof os, "%d", old);
    const char *q[] = {talent, name, rs};
    rc = db_run(c,
                "INSERT INTO candidate_skills (airtable_record_id, skill, rating, source)"
                " VALUES ($1, $2, $3::smallint, 'adjusted') ON CONFLICT (airtable_record_id, skill)"
                " DO UPDATE SET rating = excluded.rating, source = 'adjusted'",
                3, q);
    if (rc)
      break;
    const char *a[] = {talent, name, ds, old > 0 ? os : NULL, rs, line_hash, ats_id, source};
    rc = db_run(c,
                "INSERT INTO skill_adjustments (talent_record_id, skill, delta, old_rating,"
                " new_rating, line_hash, ats_record_id, source) VALUES ($1, $2, $3::smallint,"
                " $4::smallint, $5::smallint, $6, $7, $8)",
                8, a);
    if (!rc) {
      (*done)++;
      LOG(LOG_INFO, "skill_adjusted", LOG_S("talent_record_id", talent), LOG_S("skill", name),
          LOG_I("old", old), LOG_I("new", nw), LOG_S("source", source));
    }
  }
  if (!rc && changed_model) {
    unsigned char packed[sizeof *m];
    const char *params[2] = {talent, (const char *)packed};
    int lengths[2] = {0, (int)store_model_pack(m, packed, sizeof packed)};
    int formats[2] = {0, 1};
    PGresult *u = PQexecParams(c,
                               "UPDATE normalized_candidates SET model_bin = $2::bytea,"
                               " rev = nextval('normalized_rev'), updated_at = now()"
                               " WHERE airtable_record_id = $1",
                               2, NULL, params, lengths, formats, 0);
    rc = db_check(c, u, NULL, 0);
    PQclear(u);
  }
  model_candidate_free(m);
  free(m);
  return rc;
}

/* ---- stages --------------------------------------------------------------- */

static td_err job_required_skills(PGconn *c, const char *ats_id, model_skill **out, int *n)
{
  td_err rc;
  const char *p[] = {ats_id};
  *out = NULL;
  *n = 0;
  PGresult *r = db_exec(c, &rc,
                        "SELECT s.skill, s.kind FROM job_skills s JOIN normalized_jobs j"
                        " ON j.id = s.job_id WHERE j.ats_record_id = $1 ORDER BY s.kind DESC, s.skill",
                        1, p);
  int k = rc ? 0 : PQntuples(r);
  if (k > MODEL_MAX_SKILLS)
    k = MODEL_MAX_SKILLS;
  if (!rc && k > 0) {
    *out = calloc((size_t)k, sizeof **out);
    if (!*out)
      rc = TD_ERR_NOMEM;
    for (int i = 0; !rc && i < k; i++) {
      snprintf((*out)[i].name, sizeof (*out)[i].name, "%s", PQgetvalue(r, i, 0));
      (*out)[i].flags = strcmp(PQgetvalue(r, i, 1), "required") == 0 ? SKILL_REQUIRED : SKILL_NICE;
      (*out)[i].years = NAN;
    }
    if (!rc)
      *n = k;
  }
  PQclear(r);
  return rc;
}

static td_err rejection_decrements(PGconn *c, const char *ats_id, const char *talent, fld_id col,
                                   const fb_params *p, int *done)
{
  model_skill *job = NULL;
  int n_job = 0;
  fb_adjust adj[MODEL_MAX_SKILLS];
  *done = 0;
  td_err rc = job_required_skills(c, ats_id, &job, &n_job);
  if (rc || n_job == 0) {
    free(job);
    return rc;
  }
  model_candidate *m = calloc(1, sizeof *m);
  if (!m) {
    free(job);
    return TD_ERR_NOMEM;
  }
  td_err mrc = store_candidate_model(c, talent, m);
  if (mrc == TD_OK) {
    int k = fb_rejection_decrements(p, col, m->skills, m->n_skills, job, n_job, adj,
                                    MODEL_MAX_SKILLS);
    char source[96];
    snprintf(source, sizeof source, "rejection:%s", col_name(col));
    if (k > 0)
      rc = adjust_candidate(c, talent, adj, k, NULL, ats_id, source, done);
  } else if (mrc != TD_ERR_NOT_FOUND && mrc != TD_ERR_PARSE) {
    rc = mrc;
  }
  model_candidate_free(m);
  free(m);
  free(job);
  return rc;
}

td_err fbdb_record_stages(PGconn *c, const char *ats_id, const fb_link *cur, size_t n_cur,
                          const char *source, const fb_params *p, fbdb_stage_result *res)
{
  td_err rc;
  fb_link *prev = NULL;
  char **prev_ids = NULL;
  size_t n_prev = 0, n_moves = 0;
  fb_move *moves = NULL;
  char src[128];
  fb_params defp;

  memset(res, 0, sizeof *res);
  if (!p) {
    fbdb_params(&defp);
    p = &defp;
  }
  rc = begin(c);
  if (rc)
    return rc;
  const char *kp[] = {ats_id};
  rc = db_run(c, "SELECT pg_advisory_xact_lock(hashtext('stages:' || $1))", 1, kp);
  if (rc)
    goto out;
  PGresult *r = db_exec(c, &rc, "SELECT 1 FROM stage_snapshot_seen WHERE ats_record_id = $1", 1, kp);
  res->first_sight = !rc && PQntuples(r) == 0;
  PQclear(r);
  if (rc)
    goto out;
  r = db_exec(c, &rc,
              "SELECT stage_column, talent_record_id FROM stage_snapshots WHERE ats_record_id = $1",
              1, kp);
  if (!rc) {
    size_t k = (size_t)PQntuples(r);
    prev = calloc(k + 1, sizeof *prev);
    prev_ids = calloc(k + 1, sizeof *prev_ids);
    if (!prev || !prev_ids)
      rc = TD_ERR_NOMEM;
    for (size_t i = 0; !rc && i < k; i++) {
      int col = fbdb_column_by_name(PQgetvalue(r, (int)i, 0));
      if (col < 0 || !cfg_is_airtable_id(PQgetvalue(r, (int)i, 1), "rec"))
        continue; /* a column this build no longer knows: dropped on replace */
      prev_ids[n_prev] = strdup(PQgetvalue(r, (int)i, 1));
      if (!prev_ids[n_prev]) {
        rc = TD_ERR_NOMEM;
        break;
      }
      prev[n_prev].column = (fld_id)col;
      prev[n_prev].candidate = prev_ids[n_prev];
      n_prev++;
    }
  }
  PQclear(r);
  if (rc)
    goto out;

  moves = malloc((n_prev + n_cur + 1) * sizeof *moves);
  if (!moves) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  rc = fb_diff(prev, n_prev, cur, n_cur, moves, n_prev + n_cur + 1, &n_moves);
  if (rc)
    goto out;
  snprintf(src, sizeof src, "%s%s", res->first_sight ? "first:" : "", source);
  for (size_t i = 0; !rc && i < n_moves; i++) {
    const fb_move *mv = &moves[i];
    fb_signal s = mv->dir == FB_ENTERED ? fb_column_signal(mv->column) : FB_NONE;
    const char *q[] = {ats_id, mv->candidate, col_name(mv->column),
                       mv->dir == FB_ENTERED ? "entered" : "left", fb_signal_name(s), src};
    rc = db_run(c,
                "INSERT INTO feedback_events (ats_record_id, talent_record_id, stage_column,"
                " direction, signal, source) VALUES ($1, $2, $3, $4, $5, $6)",
                6, q);
    if (rc)
      break;
    res->moves++;
    if (mv->dir == FB_ENTERED) {
      res->entered++;
      if (fb_signal_excludes(s))
        res->rejections++;
      if (p->reject_lowers_skills &&
          (mv->column == FLD_A_INTERVIEW_REJECTED || mv->column == FLD_A_ASSIGNMENT_REJECTED)) {
        int done = 0;
        rc = rejection_decrements(c, ats_id, mv->candidate, mv->column, p, &done);
        res->adjustments += done;
      }
    }
  }
  if (rc)
    goto out;
  if (n_moves > 0 || res->first_sight) {
    rc = db_run(c, "DELETE FROM stage_snapshots WHERE ats_record_id = $1", 1, kp);
    for (size_t i = 0; !rc && i < n_cur; i++) {
      const char *q[] = {ats_id, col_name(cur[i].column), cur[i].candidate};
      rc = db_run(c,
                  "INSERT INTO stage_snapshots (ats_record_id, stage_column, talent_record_id)"
                  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  3, q);
    }
  }
  if (!rc)
    rc = db_run(c,
                "INSERT INTO stage_snapshot_seen (ats_record_id) VALUES ($1) ON CONFLICT"
                " (ats_record_id) DO UPDATE SET last_seen_at = now()",
                1, kp);
out:
  rc = finish(c, rc);
  for (size_t i = 0; prev_ids && i < n_prev; i++)
    free(prev_ids[i]);
  free(prev_ids);
  free(prev);
  free(moves);
  if (rc)
    memset(res, 0, sizeof *res);
  return rc;
}

/* ---- the Feedback field --------------------------------------------------- */

/* Line `no` (1-based) of text, without its newline and a trailing CR. */
static void nth_line(const char *text, unsigned no, char *buf, size_t len)
{
  const char *p = text;
  buf[0] = 0;
  for (unsigned i = 1; p && i < no; i++) {
    p = strchr(p, '\n');
    if (p)
      p++;
  }
  if (!p)
    return;
  const char *e = strchr(p, '\n');
  size_t n = e ? (size_t)(e - p) : strlen(p);
  if (n && p[n - 1] == '\r')
    n--;
  if (n >= len)
    n = len - 1;
  memcpy(buf, p, n);
  buf[n] = 0;
}

static const char *line_status_db(fb_line_status s)
{
  return s == FB_LINE_OK ? "applied" : fb_line_status_name(s);
}

static const char *line_id(size_t i, const void *lines) { return ((const fb_line *)lines)[i].id; }

/* 1 when some of the n lines has an identity feedback_lines does not know. */
static int any_new_line(PGconn *c, const fb_line *lines, size_t n, td_err *rc)
{
  char *arr = db_text_array(n, line_id, lines);
  int fresh = 1;
  if (!arr) {
    *rc = TD_ERR_NOMEM;
    return 0;
  }
  const char *p[] = {arr};
  PGresult *r = db_exec(c, rc,
                        "SELECT count(*) FROM unnest($1::text[]) AS u(h)"
                        " WHERE NOT EXISTS (SELECT 1 FROM feedback_lines f WHERE f.line_hash = u.h)",
                        1, p);
  if (!*rc)
    fresh = strtol(PQgetvalue(r, 0, 0), NULL, 10) > 0;
  PQclear(r);
  free(arr);
  return fresh;
}

td_err fbdb_apply_feedback(PGconn *c, const char *ats_id, const char *text, const char *source,
                           fbdb_lines_result *res)
{
  td_err rc = TD_OK;
  char **ids = NULL, **names = NULL;
  size_t n_people = 0, n_lines = 0, cap = 1;
  fb_person *people = NULL;
  fb_line *lines = NULL;
  static int described;

  memset(res, 0, sizeof *res);
  if (!text || !*text || !strchr(text, ':'))
    return TD_OK; /* no line can be a correction */
  if (!described) {
    described = 1;
    metrics_describe("talentd_feedback_lines_total", "counter",
                     "Feedback-field lines handled for the first time, by status");
  }
  for (const char *p = text; *p; p++)
    cap += *p == '\n';
  lines = calloc(cap, sizeof *lines);
  if (!lines)
    return TD_ERR_NOMEM;
  /* A first pass without the candidate directory: line identities do not
   * depend on it, so when no line looks like a correction, or every one was
   * already handled, the directory (every candidate's name) is not loaded. */
  rc = fb_parse_feedback(ats_id, text, NULL, 0, lines, cap, &n_lines);
  if (rc)
    goto out;
  if (!n_lines || !any_new_line(c, lines, n_lines, &rc) || rc)
    goto out;
  n_lines = 0;
  rc = store_candidate_directory(c, &ids, &names, &n_people);
  if (rc)
    goto out;
  people = calloc(n_people + 1, sizeof *people);
  if (!people) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < n_people; i++) {
    people[i].record_id = ids[i];
    people[i].name = names[i];
  }
  rc = fb_parse_feedback(ats_id, text, people, n_people, lines, cap, &n_lines);
  if (rc)
    goto out;
  res->lines = (int)n_lines;
  for (size_t i = 0; !rc && i < n_lines; i++) {
    const fb_line *l = &lines[i];
    char raw[1024];
    nth_line(text, l->line_no, raw, sizeof raw);
    rc = begin(c);
    if (rc)
      break;
    const char *q[] = {l->id, ats_id, raw, line_status_db(l->status),
                       l->status == FB_LINE_OK ? NULL : l->reason};
    PGresult *r = db_exec(c, &rc,
                          "INSERT INTO feedback_lines (line_hash, ats_record_id, line, status, reason)"
                          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (line_hash) DO NOTHING RETURNING 1",
                          5, q);
    int fresh = !rc && PQntuples(r) == 1;
    PQclear(r);
    int done = 0;
    if (!rc && fresh && l->status == FB_LINE_OK)
      rc = adjust_candidate(c, l->candidate, l->items, l->n_items, l->id, ats_id, source, &done);
    rc = finish(c, rc);
    if (rc || !fresh)
      continue;
    res->fresh++;
    res->adjustments += done;
    char lab[64];
    snprintf(lab, sizeof lab, "status=\"%s\"", line_status_db(l->status));
    metrics_inc("talentd_feedback_lines_total", lab, 1);
    if (l->status == FB_LINE_OK) {
      res->applied++;
      LOG(LOG_INFO, "feedback_line_applied", LOG_S("ats_record_id", ats_id),
          LOG_S("talent_record_id", l->candidate), LOG_I("line", l->line_no),
          LOG_I("adjustments", done), LOG_S("line_id", l->id));
    } else {
      res->reported++;
      /* the reason names skills, never the candidate */
      LOG(LOG_WARN, "feedback_line_rejected", LOG_S("ats_record_id", ats_id),
          LOG_S("status", fb_line_status_name(l->status)), LOG_I("line", l->line_no),
          LOG_S("reason", l->reason), LOG_S("line_id", l->id));
    }
  }
out:
  for (size_t i = 0; i < n_people; i++) {
    free(ids[i]);
    free(names[i]);
  }
  free(ids);
  free(names);
  free(people);
  free(lines);
  return rc;
}

/* ---- REJECTED PROPOSTED CANDIDATES ------------------------------------------ */

td_err fbdb_rejected_proposed(PGconn *c, const char *ats_id, char **out)
{
  td_err rc;
  const char *p[] = {ats_id};
  *out = NULL;
  PGresult *r = db_exec(
      c, &rc,
      "WITH prop AS (SELECT DISTINCT ON (m.talent_record_id) m.talent_record_id, m.score"
      "   FROM matches m JOIN match_runs r ON r.id = m.run_id WHERE r.ats_record_id = $1"
      "   ORDER BY m.talent_record_id, r.id DESC),"
      " verdict AS (SELECT DISTINCT ON (talent_record_id) talent_record_id, signal"
      "   FROM feedback_events WHERE ats_record_id = $1 AND direction = 'entered'"
      "   AND signal IN ('progress', 'hired', 'not_a_fit', 'rejected')"
      "   ORDER BY talent_record_id, at DESC, id DESC)"
      " SELECT p.talent_record_id, coalesce(n.name, ''), p.score FROM prop p"
      " JOIN verdict v USING (talent_record_id)"
      " LEFT JOIN normalized_candidates n ON n.airtable_record_id = p.talent_record_id"
      " WHERE v.signal IN ('not_a_fit', 'rejected')"
      " ORDER BY p.score DESC, p.talent_record_id",
      1, p);
  if (rc) {
    PQclear(r);
    return rc;
  }
  int k = PQntuples(r);
  size_t cap = (size_t)k * 160 + 1, used = 0;
  char *buf = malloc(cap);
  if (!buf) {
    PQclear(r);
    return TD_ERR_NOMEM;
  }
  buf[0] = 0;
  for (int i = 0; i < k; i++) {
    const char *name = PQgetvalue(r, i, 1);
    int pct = (int)lround(strtod(PQgetvalue(r, i, 2), NULL) * 100.0);
    int w = snprintf(buf + used, cap - used, "%s%.128s (%d%%)", i ? ", " : "",
                     *name ? name : PQgetvalue(r, i, 0), pct);
    if (w < 0 || (size_t)w >= cap - used)
      break;
    used += (size_t)w;
  }
  PQclear(r);
  *out = buf;
  return TD_OK;
}

/* ---- feedback for matchmaking ---------------------------------------------- */

void fbdb_feedback_free(fbdb_feedback *f)
{
  free(f->examples);
  free(f->skills);
  memset(f, 0, sizeof *f);
}

td_err fbdb_feedback_for_job(PGconn *c, const char *ats_id, time_t now, const fb_params *p,
                             fbdb_feedback *out)
{
  td_err rc;
  fb_event *ev = NULL;
  char **ev_ids = NULL;
  fb_weight *w = NULL;
  size_t n_ev = 0, n_w = 0;
  const char **wid = NULL;
  char *arr = NULL;

  memset(out, 0, sizeof *out);
  const char *kp[] = {ats_id};
  PGresult *r = db_exec(c, &rc,
                        "SELECT talent_record_id, stage_column, extract(epoch FROM at)::bigint"
                        " FROM feedback_events WHERE ats_record_id = $1 AND direction = 'entered'"
                        " ORDER BY id",
                        1, kp);
  if (rc) {
    PQclear(r);
    return rc;
  }
  size_t k = (size_t)PQntuples(r);
  if (k == 0) {
    PQclear(r);
    return TD_OK;
  }
  ev = calloc(k, sizeof *ev);
  ev_ids = calloc(k, sizeof *ev_ids);
  if (!ev || !ev_ids)
    rc = TD_ERR_NOMEM;
  for (size_t i = 0; !rc && i < k; i++) {
    int col = fbdb_column_by_name(PQgetvalue(r, (int)i, 1));
    if (col < 0 || !cfg_is_airtable_id(PQgetvalue(r, (int)i, 0), "rec"))
      continue;
    ev_ids[n_ev] = strdup(PQgetvalue(r, (int)i, 0));
    if (!ev_ids[n_ev]) {
      rc = TD_ERR_NOMEM;
      break;
    }
    ev[n_ev].candidate = ev_ids[n_ev];
    ev[n_ev].column = (fld_id)col;
    ev[n_ev].at = (time_t)strtoll(PQgetvalue(r, (int)i, 2), NULL, 10);
    n_ev++;
  }
  PQclear(r);
  if (rc)
    goto out;
  w = calloc(n_ev + 1, sizeof *w);
  if (!w) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  rc = fb_build(ev, n_ev, now, p, w, n_ev + 1, &n_w);
  if (rc || n_w == 0)
    goto out;
  out->n_weights = n_w;
  wid = calloc(n_w, sizeof *wid);
  if (!wid) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < n_w; i++)
    wid[i] = w[i].candidate;
  arr = db_text_array(n_w, db_strv_item, wid);
  if (!arr) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *sp[] = {arr};
  r = db_exec(c, &rc,
              "SELECT airtable_record_id, skill, rating FROM candidate_skills"
              " WHERE airtable_record_id = ANY($1::text[])"
              " ORDER BY airtable_record_id COLLATE \"C\", rating DESC, skill",
              1, sp);
  size_t ns = rc ? 0 : (size_t)PQntuples(r);
  if (!rc) {
    out->skills = calloc(ns + 1, sizeof *out->skills);
    out->examples = calloc(n_w, sizeof *out->examples);
    if (!out->skills || !out->examples)
      rc = TD_ERR_NOMEM;
  }
  /* both sides are sorted by record id (fb_build sorts, SQL orders); merge */
  size_t row = 0, used = 0, ne = 0;
  for (size_t i = 0; !rc && i < n_w; i++) {
    while (row < ns && strcmp(PQgetvalue(r, (int)row, 0), w[i].candidate) < 0)
      row++;
    size_t first = used;
    int cnt = 0;
    while (row < ns && strcmp(PQgetvalue(r, (int)row, 0), w[i].candidate) == 0) {
      if (cnt < MODEL_MAX_SKILLS) {
        model_skill *s = &out->skills[used++];
        snprintf(s->name, sizeof s->name, "%s", PQgetvalue(r, (int)row, 1));
        s->rating = (uint8_t)strtol(PQgetvalue(r, (int)row, 2), NULL, 10);
        s->years = NAN;
        cnt++;
      }
      row++;
    }
    if (cnt == 0)
      continue;
    out->examples[ne].skills = &out->skills[first];
    out->examples[ne].n_skills = cnt;
    out->examples[ne].weight = w[i].weight;
    ne++;
  }
  PQclear(r);
  if (!rc) {
    out->fb.examples = out->examples;
    out->fb.n_examples = ne;
  }
out:
  for (size_t i = 0; ev_ids && i < n_ev; i++)
    free(ev_ids[i]);
  free(ev_ids);
  free(ev);
  free(w);
  free(wid);
  free(arr);
  if (rc)
    fbdb_feedback_free(out);
  return rc;
}
