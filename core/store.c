/* store — normalized candidates and jobs in PostgreSQL. */
#include "store.h"
#include "db.h"
#include "log.h"
#include "norm.h"

#include <math.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bumped by hand when a field of model_candidate changes meaning without
 * changing its size. */
#define MODEL_LAYOUT_VERSION 3 /* 2: packed (only the skills in use); 3: + lat, lon */

long long store_model_layout(void)
{
  return (long long)MODEL_LAYOUT_VERSION << 48 ^ (long long)sizeof(model_candidate) << 16 ^
         (long long)sizeof(model_skill) ^ (long long)offsetof(model_candidate, skills) << 32;
}

void store_hash(char out[65], const char *const *parts, int n)
{
  crypto_hash_sha256_state st;
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_init(&st);
  for (int i = 0; i < n; i++) {
    const char *p = parts[i] ? parts[i] : "";
    crypto_hash_sha256_update(&st, (const unsigned char *)p, strlen(p));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\x1f", 1); /* unit separator */
  }
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(out, 65, h, sizeof h);
}

static char *dbl(char *buf, size_t len, double v)
{
  if (isnan(v))
    return NULL;
  snprintf(buf, len, "%.17g", v);
  return buf;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

td_err store_candidate_state(PGconn *c, const char *record_id, char hash[65], cJSON **written)
{
  td_err rc;
  if (written)
    *written = NULL;
  char layout[32];
  snprintf(layout, sizeof layout, "%lld", store_model_layout());
  const char *p2[] = {record_id, layout};
  PGresult *r = db_exec(c, &rc,
              "SELECT source_hash, written::text, model_layout = $2::bigint"
              " FROM normalized_candidates WHERE airtable_record_id = $1 AND NOT deleted",
              2, p2);
  if (!rc && PQntuples(r) == 0)
    rc = TD_ERR_NOT_FOUND;
  if (!rc) {
    /* a row in another layout counts as changed: it must be re-derived */
    snprintf(hash, 65, "%s", PQgetvalue(r, 0, 2)[0] == 't' ? PQgetvalue(r, 0, 0) : "");
    if (written && !PQgetisnull(r, 0, 1))
      *written = cJSON_Parse(PQgetvalue(r, 0, 1));
  }
  PQclear(r);
  return rc;
}

static td_err begin(PGconn *c) { return db_run(c, "BEGIN", 0, NULL); }

static td_err finish(PGconn *c, td_err rc)
{
  td_err rc2 = db_run(c, rc ? "ROLLBACK" : "COMMIT", 0, NULL);
  return rc ? rc : rc2;
}

/* Append v to an array literal as a quoted element ("" escapes per the
 * array syntax: backslash before " and \\); NULL becomes NULL. */
static void arr_add(char *buf, size_t cap, size_t *len, const char *v)
{
  if (*len + 1 < cap && *len > 1)
    buf[(*len)++] = ',';
  if (!v) {
    for (const char *p = "NULL"; *p && *len + 1 < cap; p++)
      buf[(*len)++] = *p;
    buf[*len] = 0;
    return;
  }
  if (*len + 1 < cap)
    buf[(*len)++] = '"';
  for (; *v && *len + 3 < cap; v++) {
    if (*v == '"' || *v == '\\')
      buf[(*len)++] = '\\';
    buf[(*len)++] = *v;
  }
  if (*len + 1 < cap)
    buf[(*len)++] = '"';
  buf[*len] = 0;
}

/* The skills of m as six array literals (name, rating, source, at_work,
 * aspirational, last_year), malloc'd into arr (caller frees each). */
enum { SKILL_COLS = 6 };
static td_err skill_arrays(const model_candidate *m, char *arr[SKILL_COLS])
{
  size_t cap = (size_t)m->n_skills * (MODEL_SKILL_LEN * 2 + 8) + 16;
  size_t len[SKILL_COLS];
  td_err rc = TD_OK;
  for (int k = 0; k < SKILL_COLS; k++) {
    arr[k] = malloc(cap);
    if (!arr[k]) {
      rc = TD_ERR_NOMEM;
      continue;
    }
    arr[k][0] = '{';
    arr[k][1] = 0;
    len[k] = 1;
  }
  for (int i = 0; !rc && i < m->n_skills; i++) {
    const model_skill *sk = &m->skills[i];
    char rating[8], last[8];
    int rt = sk->rating < 1 ? 1 : sk->rating > 5 ? 5 : sk->rating;
    snprintf(rating, sizeof rating, "%d", rt);
    snprintf(last, sizeof last, "%d", sk->last_year);
    const char *source = (sk->flags & SKILL_LISTED) && (sk->flags & SKILL_IN_CV) ? "listed+cv"
                         : (sk->flags & SKILL_LISTED)                             ? "listed"
                                                                                  : "cv";
    arr_add(arr[0], cap, &len[0], sk->name);
    arr_add(arr[1], cap, &len[1], rating);
    arr_add(arr[2], cap, &len[2], source);
    arr_add(arr[3], cap, &len[3], (sk->flags & SKILL_AT_WORK) ? "t" : "f");
    arr_add(arr[4], cap, &len[4], (sk->flags & SKILL_ASPIRATIONAL) ? "t" : "f");
    arr_add(arr[5], cap, &len[5], sk->last_year ? last : NULL);
  }
  for (int k = 0; !rc && k < SKILL_COLS; k++) {
    if (len[k] + 2 > cap) {
      rc = TD_ERR_INTERNAL;
      break;
    }
    arr[k][len[k]++] = '}';
    arr[k][len[k]] = 0;
  }
  return rc;
}

int store_model_adjust(model_candidate *m, const char *skill, int delta, int *old_rating)
{
  int idx = -1;
  *old_rating = 0;
  for (int k = 0; k < m->n_skills; k++)
    if (strcasecmp(m->skills[k].name, skill) == 0) {
      idx = k;
      *old_rating = m->skills[k].rating;
      break;
    }
  if (idx < 0 && delta < 0)
    return 0; /* nothing to lower */
  int nw = *old_rating + delta;
  nw = nw < 1 ? 1 : nw > 5 ? 5 : nw;
  if (idx < 0) {
    if (m->n_skills >= MODEL_MAX_SKILLS)
      return 0;
    model_skill *s = &m->skills[m->n_skills++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", skill);
    s->flags = SKILL_LISTED;
    s->years = NAN;
  }
  m->skills[idx < 0 ? m->n_skills - 1 : idx].rating = (uint8_t)nw;
  return nw;
}

/* Recruiters' skill corrections (skill_adjustments, from the ATS Feedback
 * field) outlive re-normalization: replay them, in order, on the fresh
 * model before it is stored. */
static td_err replay_adjustments(PGconn *c, model_candidate *m)
{
  td_err rc;
  const char *p[] = {m->record_id};
  PGresult *r = db_exec(c, &rc,
                        "SELECT skill, delta FROM skill_adjustments WHERE talent_record_id = $1"
                        " ORDER BY id",
                        1, p);
  for (int i = 0; !rc && i < PQntuples(r); i++) {
    int old;
    store_model_adjust(m, PQgetvalue(r, i, 0), (int)strtol(PQgetvalue(r, i, 1), NULL, 10), &old);
  }
  PQclear(r);
  return rc;
}

/* One statement (atomic by itself, one round trip): the row, then its
 * skills replaced.  The backfill's cost is dominated by round trips. */
td_err store_candidate_upsert(PGconn *c, const model_candidate *m, const char *cv_text,
                              const char *raw_json, const char *source_hash,
                              const char *written_json)
{
  char years[40], salary[40], layout[32];
  char *arr[SKILL_COLS] = {0};
  td_err rc;
  model_candidate copy = *m;
  copy.text = NULL; /* the pointer means nothing outside this process */
  snprintf(layout, sizeof layout, "%lld", store_model_layout());

  rc = replay_adjustments(c, &copy);
  if (rc)
    goto out;
  rc = skill_arrays(&copy, arr);
  if (rc)
    goto out;
  const char *values[17] = {
    m->record_id, nz(m->name), nz(m->title), nz(norm_seniority_name(m->seniority)),
    dbl(years, sizeof years, m->years), nz(norm_role_name(m->role_family)), nz(m->city),
    nz(m->country), nz(m->timezone), nz(norm_workpref_name(m->work_pref)),
    dbl(salary, sizeof salary, m->salary), nz(m->currency), cv_text, raw_json ? raw_json : "{}",
    source_hash, layout, NULL,
  };
  const char *text = m->text ? m->text : "";
  enum { NP = 19 + SKILL_COLS };
  int lengths[NP] = {0};
  int formats[NP] = {0};
  const char *params[NP];
  for (int i = 0; i < 16; i++)
    params[i] = values[i];
  unsigned char packed[sizeof copy];
  params[16] = (const char *)packed;
  lengths[16] = (int)store_model_pack(&copy, packed, sizeof packed);
  formats[16] = 1; /* binary bytea */
  params[17] = text;
  params[18] = written_json;
  for (int k = 0; k < SKILL_COLS; k++)
    params[19 + k] = arr[k];

  PGresult *r = PQexecParams(
      c,
      "WITH cand AS (INSERT INTO normalized_candidates (airtable_record_id, name, title,"
      " seniority, years, role_family, city, country, timezone, work_pref, salary, currency,"
      " cv_text, raw, source_hash, model_layout, model_bin, model_text, written, deleted, rev,"
      " updated_at)"
      " VALUES ($1,$2,$3,$4,$5::float8,$6,$7,$8,$9,$10,$11::float8,$12,$13,$14::jsonb,$15,"
      " $16::bigint,$17::bytea,$18,$19::jsonb,false,nextval('normalized_rev'),now())"
      " ON CONFLICT (airtable_record_id) DO UPDATE SET name = excluded.name,"
      " title = excluded.title, seniority = excluded.seniority, years = excluded.years,"
      " role_family = excluded.role_family, city = excluded.city, country = excluded.country,"
      " timezone = excluded.timezone, work_pref = excluded.work_pref, salary = excluded.salary,"
      " currency = excluded.currency, cv_text = excluded.cv_text, raw = excluded.raw,"
      " source_hash = excluded.source_hash, model_layout = excluded.model_layout,"
      " model_bin = excluded.model_bin, model_text = excluded.model_text,"
      " written = coalesce(excluded.written, normalized_candidates.written), deleted = false,"
      " rev = nextval('normalized_rev'), updated_at = now() RETURNING airtable_record_id),"
      " del AS (DELETE FROM candidate_skills WHERE airtable_record_id = $1"
      "  AND NOT (skill = ANY($20::text[])))"
      " INSERT INTO candidate_skills (airtable_record_id, skill, rating, source, at_work,"
      " aspirational, last_year)"
      " SELECT DISTINCT ON (u.s) cand.airtable_record_id, u.s, u.r, u.src, u.w, u.a, u.y"
      " FROM cand, unnest($20::text[], $21::smallint[], $22::text[], $23::boolean[],"
      " $24::boolean[], $25::smallint[]) WITH ORDINALITY AS u(s, r, src, w, a, y, o)"
      " ORDER BY u.s, u.o"
      " ON CONFLICT (airtable_record_id, skill) DO UPDATE SET rating = excluded.rating,"
      " source = excluded.source, at_work = excluded.at_work,"
      " aspirational = excluded.aspirational, last_year = excluded.last_year",
      NP, NULL, params, lengths, formats, 0);
  char err[256];
  rc = db_check(c, r, err, sizeof err);
  PQclear(r);
  if (rc)
    LOG(LOG_WARN, "store_candidate_failed", LOG_S("record_id", m->record_id), LOG_S("error", err));
out:
  for (int k = 0; k < SKILL_COLS; k++)
    free(arr[k]);
  return rc;
}

td_err store_candidate_set_written(PGconn *c, const char *record_id, const char *written_json)
{
  const char *p[] = {record_id, written_json};
  return db_run(c, "UPDATE normalized_candidates SET written = $2::jsonb WHERE airtable_record_id = $1",
                2, p);
}

td_err store_candidate_mark_deleted(PGconn *c, const char *record_id)
{
  const char *p[] = {record_id};
  return db_run(c,
                "UPDATE normalized_candidates SET deleted = true, rev = nextval('normalized_rev'),"
                " updated_at = now() WHERE airtable_record_id = $1 AND NOT deleted",
                1, p);
}

/* The packed model: the fields before the skills, the fields after them,
 * then only the n_skills skills in use -- most candidates use a small part
 * of MODEL_MAX_SKILLS, and 100k stored models are read at every start. */
#define PACK_HEAD offsetof(model_candidate, skills)
#define PACK_TAIL (sizeof(model_candidate) - offsetof(model_candidate, text))

size_t store_model_pack(const model_candidate *m, unsigned char *buf, size_t cap)
{
  int n = m->n_skills < 0 ? 0 : m->n_skills > MODEL_MAX_SKILLS ? MODEL_MAX_SKILLS : m->n_skills;
  size_t len = PACK_HEAD + PACK_TAIL + (size_t)n * sizeof(model_skill);
  if (len > cap)
    return 0;
  model_candidate copy = *m;
  copy.text = NULL; /* a pointer means nothing outside this process */
  copy.n_skills = n;
  memcpy(buf, &copy, PACK_HEAD);
  memcpy(buf + PACK_HEAD, (const unsigned char *)&copy + offsetof(model_candidate, text), PACK_TAIL);
  memcpy(buf + PACK_HEAD + PACK_TAIL, copy.skills, (size_t)n * sizeof(model_skill));
  return len;
}

int store_model_unpack(const void *data, size_t len, model_candidate *out)
{
  const unsigned char *b = data;
  if (len < PACK_HEAD + PACK_TAIL)
    return -1;
  memset(out, 0, sizeof *out);
  memcpy(out, b, PACK_HEAD);
  int n = out->n_skills;
  if (n < 0 || n > MODEL_MAX_SKILLS || len != PACK_HEAD + PACK_TAIL + (size_t)n * sizeof(model_skill))
    return -1;
  memcpy((unsigned char *)out + offsetof(model_candidate, text), b + PACK_HEAD, PACK_TAIL);
  memcpy(out->skills, b + PACK_HEAD + PACK_TAIL, (size_t)n * sizeof(model_skill));
  out->text = NULL;
  return 0;
}

/* Decode (model_bin, model_text) of a row fetched in binary format. */
static int decode_model(PGresult *r, int row, int col_bin, int col_text, model_candidate *out)
{
  if (store_model_unpack(PQgetvalue(r, row, col_bin), (size_t)PQgetlength(r, row, col_bin), out) != 0)
    return -1;
  out->text = strndup(PQgetvalue(r, row, col_text), (size_t)PQgetlength(r, row, col_text));
  return out->text ? 0 : -1;
}

/* A binary-format query (all result columns binary: text comes as its
 * bytes, bytea as raw bytes, booleans as one byte, int8 as 8 big-endian
 * bytes): half the transfer of hex-escaped bytea. */
static PGresult *exec_binary(PGconn *c, td_err *rc, const char *sql, int n, const char *const *p)
{
  PGresult *r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 1);
  char err[256];
  *rc = db_check(c, r, err, sizeof err);
  if (*rc)
    LOG(LOG_WARN, "db_error", LOG_S("error", err));
  if (!r)
    r = PQmakeEmptyPGresult(c, PGRES_FATAL_ERROR);
  return r;
}

static long long bin_int8(const PGresult *r, int row, int col)
{
  const unsigned char *v = (const unsigned char *)PQgetvalue(r, row, col);
  unsigned long long x = 0;
  for (int i = 0; i < 8 && PQgetlength(r, row, col) == 8; i++)
    x = x << 8 | v[i];
  return (long long)x;
}

static int bin_bool(const PGresult *r, int row, int col)
{
  return PQgetlength(r, row, col) == 1 && PQgetvalue(r, row, col)[0] == 1;
}

/* Apply a result of (id, rev, deleted, layout ok, model_bin, model_text)
 * rows to the index; moves *rev forward. */
static td_err apply_rows(PGresult *r, match_index *ix, long long *rev, int *applied, int *stale)
{
  td_err rc = TD_OK;
  for (int i = 0; i < PQntuples(r) && !rc; i++) {
    long long rv = bin_int8(r, i, 1);
    if (rv > *rev)
      *rev = rv;
    if (bin_bool(r, i, 2)) {
      match_index_remove(ix, PQgetvalue(r, i, 0));
      (*applied)++;
      continue;
    }
    if (!bin_bool(r, i, 3)) {
      (*stale)++;
      continue;
    }
    model_candidate *m = malloc(sizeof *m);
    if (!m || decode_model(r, i, 4, 5, m) != 0) {
      free(m);
      (*stale)++;
      continue;
    }
    rc = match_index_put(ix, m);
    model_candidate_free(m);
    free(m);
    (*applied)++;
  }
  return rc;
}

#define PULL_COLUMNS                                                                             \
  "SELECT airtable_record_id, rev, deleted, model_layout = $2::bigint, model_bin, model_text"   \
  " FROM normalized_candidates "

td_err store_candidates_pull(PGconn *c, match_index *ix, store_pull *st, int *applied, int *stale)
{
  char since[32], layout[32], at[40];
  td_err rc;
  *applied = *stale = 0;
  snprintf(layout, sizeof layout, "%lld", store_model_layout());
  /* The time of this look, taken before reading anything: a row committed
   * while we read is caught by the next pull's look-back. */
  PGresult *r = db_exec(c, &rc, "SELECT extract(epoch FROM clock_timestamp())", 0, NULL);
  double now = rc ? 0 : strtod(PQgetvalue(r, 0, 0), NULL);
  PQclear(r);
  if (rc)
    return rc;
  if (st->rev > 0) {
    /* Revisions are drawn before commit, so a row can become visible after
     * one with a higher revision that we already saw.  Such a row was
     * written by a transaction running at our last look: look back at the
     * rows changed shortly before it (writers are single short statements;
     * the margin is generous).  Puts are idempotent. */
    snprintf(since, sizeof since, "%lld", st->rev);
    snprintf(at, sizeof at, "%.6f", st->at - STORE_PULL_LOOKBACK);
    const char *p[] = {since, layout, at};
    r = exec_binary(c, &rc,
                    PULL_COLUMNS "WHERE rev <= $1::bigint AND updated_at > to_timestamp($3::float8)",
                    3, p);
    long long ignored = st->rev;
    if (!rc)
      rc = apply_rows(r, ix, &ignored, applied, stale);
    PQclear(r);
    if (rc)
      return rc;
  }
  /* Then everything newer, in pages, so that a first load of 100k rows does
   * not hold one huge result in memory twice. */
  for (;;) {
    snprintf(since, sizeof since, "%lld", st->rev);
    const char *p[] = {since, layout};
    r = exec_binary(c, &rc, PULL_COLUMNS "WHERE rev > $1::bigint ORDER BY rev LIMIT 5000", 2, p);
    int n = rc ? 0 : PQntuples(r);
    if (!rc)
      rc = apply_rows(r, ix, &st->rev, applied, stale);
    PQclear(r);
    if (rc || n < 5000)
      break;
  }
  if (!rc)
    st->at = now;
  return rc;
}

td_err store_candidate_model(PGconn *c, const char *record_id, model_candidate *out)
{
  char layout[32];
  td_err rc;
  snprintf(layout, sizeof layout, "%lld", store_model_layout());
  const char *p[] = {record_id, layout};
  PGresult *r = exec_binary(c, &rc,
                            "SELECT model_bin, model_text FROM normalized_candidates"
                            " WHERE airtable_record_id = $1 AND NOT deleted AND model_layout = $2::bigint",
                            2, p);
  if (!rc && PQntuples(r) == 0)
    rc = TD_ERR_NOT_FOUND;
  if (!rc && decode_model(r, 0, 0, 1, out) != 0)
    rc = TD_ERR_PARSE;
  PQclear(r);
  return rc;
}

td_err store_candidate_names(PGconn *c, const char *const *ids, size_t n, char ***names)
{
  td_err rc;
  *names = calloc(n ? n : 1, sizeof **names);
  if (!*names)
    return TD_ERR_NOMEM;
  if (n == 0)
    return TD_OK;
  char *arr = db_text_array(n, db_strv_item, ids); /* one round trip for all names */
  if (!arr)
    return TD_ERR_NOMEM;
  const char *p[] = {arr};
  PGresult *r = db_exec(c, &rc,
                        "SELECT airtable_record_id, name FROM normalized_candidates"
                        " WHERE airtable_record_id = ANY($1::text[])",
                        1, p);
  free(arr);
  for (int i = 0; !rc && i < PQntuples(r); i++)
    for (size_t k = 0; k < n; k++)
      if (!(*names)[k] && strcmp(ids[k], PQgetvalue(r, i, 0)) == 0 && !PQgetisnull(r, i, 1))
        (*names)[k] = strdup(PQgetvalue(r, i, 1));
  PQclear(r);
  return rc;
}

td_err store_candidate_directory(PGconn *c, char ***ids, char ***names, size_t *n)
{
  td_err rc;
  *ids = *names = NULL;
  *n = 0;
  PGresult *r = db_exec(c, &rc,
                        "SELECT airtable_record_id, coalesce(name, '') FROM normalized_candidates"
                        " WHERE NOT deleted ORDER BY airtable_record_id",
                        0, NULL);
  if (!rc) {
    size_t k = (size_t)PQntuples(r);
    *ids = calloc(k + 1, sizeof **ids);
    *names = calloc(k + 1, sizeof **names);
    if (!*ids || !*names) {
      rc = TD_ERR_NOMEM;
    } else {
      for (size_t i = 0; i < k; i++) {
        (*ids)[i] = strdup(PQgetvalue(r, (int)i, 0));
        (*names)[i] = strdup(PQgetvalue(r, (int)i, 1));
      }
      *n = k;
    }
  }
  PQclear(r);
  return rc;
}

td_err store_job_state(PGconn *c, const char *customer_id, const char *ats_id, char hash[65],
                       cJSON **raw, cJSON **written)
{
  td_err rc;
  const char *p[] = {customer_id, ats_id};
  if (raw)
    *raw = NULL;
  if (written)
    *written = NULL;
  PGresult *r = db_exec(c, &rc,
                        "SELECT source_hash, raw::text, written::text FROM normalized_jobs"
                        " WHERE customer_record_id = $1 AND ats_record_id IS NOT DISTINCT FROM $2",
                        2, p);
  if (!rc && PQntuples(r) == 0)
    rc = TD_ERR_NOT_FOUND;
  if (!rc) {
    snprintf(hash, 65, "%s", PQgetvalue(r, 0, 0));
    if (raw)
      *raw = cJSON_Parse(PQgetvalue(r, 0, 1));
    if (written && !PQgetisnull(r, 0, 2))
      *written = cJSON_Parse(PQgetvalue(r, 0, 2));
  }
  PQclear(r);
  return rc;
}

td_err store_job_upsert(PGconn *c, const model_job *j, const char *company, const char *raw_json,
                        const char *source_hash, const char *written_json, long long *job_id)
{
  char miny[40], smin[40], smax[40];
  td_err rc = begin(c);
  if (rc)
    return rc;
  const char *p[] = {j->customer_record_id, nz(j->ats_record_id), nz(company), nz(j->title),
                     nz(norm_seniority_name(j->seniority)), dbl(miny, sizeof miny, j->min_years),
                     nz(j->city), nz(j->country), nz(norm_workpref_name(j->remote_policy)),
                     nz(j->remote_region), dbl(smin, sizeof smin, j->salary_min),
                     dbl(smax, sizeof smax, j->salary_max), nz(j->currency),
                     raw_json ? raw_json : "{}", source_hash, written_json};
  PGresult *r = db_exec(
      c, &rc,
      "INSERT INTO normalized_jobs (customer_record_id, ats_record_id, company, title, seniority,"
      " min_years, city, country, remote_policy, remote_region, salary_min, salary_max, currency,"
      " raw, source_hash, written) VALUES ($1,$2,$3,$4,$5,$6::float8,$7,$8,$9,$10,$11::float8,"
      " $12::float8,$13,$14::jsonb,$15,$16::jsonb)"
      " ON CONFLICT (customer_record_id, ats_record_id) DO UPDATE SET company = excluded.company,"
      " title = excluded.title, seniority = excluded.seniority, min_years = excluded.min_years,"
      " city = excluded.city, country = excluded.country, remote_policy = excluded.remote_policy,"
      " remote_region = excluded.remote_region, salary_min = excluded.salary_min,"
      " salary_max = excluded.salary_max, currency = excluded.currency, raw = excluded.raw,"
      " source_hash = excluded.source_hash,"
      " written = coalesce(excluded.written, normalized_jobs.written), updated_at = now()"
      " RETURNING id",
      16, p);
  long long id = rc ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  char ids[32];
  snprintf(ids, sizeof ids, "%lld", id);
  if (!rc) {
    const char *d[] = {ids};
    rc = db_run(c, "DELETE FROM job_skills WHERE job_id = $1::bigint", 1, d);
  }
  for (int i = 0; !rc && i < j->n_skills; i++) {
    char alt[8];
    snprintf(alt, sizeof alt, "%d", j->skills[i].alt_group);
    const char *q[] = {ids, j->skills[i].name, (j->skills[i].flags & SKILL_REQUIRED) ? "required" : "nice",
                       alt};
    rc = db_run(c,
                "INSERT INTO job_skills (job_id, skill, kind, alt_group) VALUES ($1::bigint, $2, $3,"
                " $4::smallint) ON CONFLICT DO NOTHING",
                4, q);
  }
  if (job_id)
    *job_id = id;
  return finish(c, rc);
}

td_err store_job_set_written(PGconn *c, const char *customer_id, const char *ats_id,
                             const char *written_json)
{
  const char *p[] = {customer_id, ats_id, written_json};
  return db_run(c,
                "UPDATE normalized_jobs SET written = $3::jsonb WHERE customer_record_id = $1"
                " AND ats_record_id IS NOT DISTINCT FROM $2",
                3, p);
}

td_err store_job_delete(PGconn *c, const char *customer_id, const char *ats_id)
{
  const char *p[] = {customer_id, ats_id};
  return db_run(c,
                "DELETE FROM normalized_jobs WHERE customer_record_id = $1"
                " AND ats_record_id IS NOT DISTINCT FROM $2",
                2, p);
}
