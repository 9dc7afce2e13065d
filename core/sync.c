/* sync — normalize Talent / Customers STT records and write (N) fields back.
 * See sync.h for the decisions. */
#include "sync.h"

#include "db.h"
#include "fields.h"
#include "log.h"
#include "model.h"
#include "norm.h"
#include "store.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SKILLS_TEXT 8192
#define MAX_RAW_SKILLS 256
#define NUM_TOLERANCE 0.01

/* ---- field lists --------------------------------------------------------- */

static const fld_id talent_in[] = {FLD_T_NAME, FLD_T_CV, FLD_T_CV_TEXT, FLD_T_SKILLS,
                                   FLD_T_CURRENT_TITLE, FLD_T_YEARS, FLD_T_LOCATION,
                                   FLD_T_WORK_PREF, FLD_T_DESIRED_SALARY};
static const fld_id talent_out[] = {FLD_T_N_TITLE, FLD_T_N_SENIORITY, FLD_T_N_YEARS,
                                    FLD_T_N_SKILLS, FLD_T_N_LOCATION, FLD_T_N_TIMEZONE,
                                    FLD_T_N_SALARY};
static const fld_id cust_in[] = {FLD_C_COMPANY, FLD_C_JOB_DESCRIPTION, FLD_C_LOCATION,
                                 FLD_C_SALARY_RANGE, FLD_C_REMOTE_POLICY};
static const fld_id cust_out[] = {FLD_C_N_JOB_TITLE, FLD_C_N_REQUIRED,   FLD_C_N_NICE,
                                  FLD_C_N_SENIORITY, FLD_C_N_MIN_YEARS,  FLD_C_N_LOCATION,
                                  FLD_C_N_REMOTE,    FLD_C_N_SALARY_MIN, FLD_C_N_SALARY_MAX};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *read_names[2][NELEM(talent_in) + NELEM(cust_out) + 1];
static size_t n_read_names[2];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_init(void)
{
  size_t n = 0;
  for (size_t i = 0; i < NELEM(talent_in); i++)
    read_names[0][n++] = fields_name(talent_in[i]);
  for (size_t i = 0; i < NELEM(talent_out); i++)
    read_names[0][n++] = fields_name(talent_out[i]);
  n_read_names[0] = n;
  n = 0;
  for (size_t i = 0; i < NELEM(cust_in); i++)
    read_names[1][n++] = fields_name(cust_in[i]);
  for (size_t i = 0; i < NELEM(cust_out); i++)
    read_names[1][n++] = fields_name(cust_out[i]);
  n_read_names[1] = n;
}

const char *const *sync_read_fields(sync_table t, size_t *n)
{
  pthread_once(&names_once, names_init);
  *n = n_read_names[t];
  return read_names[t];
}

const char *sync_table_id(const sync_ctx *s, sync_table t)
{
  return t == SYNC_TALENT ? s->cfg->talent_table : s->cfg->customers_table;
}

const char *sync_table_name(sync_table t) { return t == SYNC_TALENT ? "talent" : "customers"; }

/* ---- context ------------------------------------------------------------- */

void sync_init(sync_ctx *s, at_client *at, PGconn *db, const td_config *cfg, int batch)
{
  time_t now = time(NULL);
  struct tm tm;
  memset(s, 0, sizeof *s);
  s->at = at;
  s->db = db;
  s->cfg = cfg;
  s->batch = batch;
  gmtime_r(&now, &tm);
  s->ref_year = tm.tm_year + 1900;
  s->ref_month = tm.tm_mon + 1;
}

static void pend_clear(sync_ctx *s)
{
  cJSON_Delete(s->pend);
  s->pend = NULL;
  for (int i = 0; i < s->n_pend; i++) {
    free(s->pend_written[i]);
    s->pend_written[i] = NULL;
  }
  s->n_pend = 0;
}

void sync_done(sync_ctx *s) { pend_clear(s); }

/* ---- helpers ------------------------------------------------------------- */

static const cJSON *fget(const cJSON *fields, fld_id f)
{
  return cJSON_GetObjectItemCaseSensitive(fields, fields_name(f));
}

static const char *fstr(const cJSON *fields, fld_id f)
{
  const cJSON *v = fget(fields, f);
  return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

static double fnum(const cJSON *fields, fld_id f)
{
  const cJSON *v = fget(fields, f);
  if (cJSON_IsNumber(v))
    return v->valuedouble;
  if (cJSON_IsString(v) && *v->valuestring) {
    char *end;
    double d = strtod(v->valuestring, &end);
    if (end != v->valuestring)
      return d;
  }
  return NAN;
}

static double round_to(double v, double step) { return isnan(v) ? v : round(v / step) * step; }

/* Copy the input fields into raw (CV attachments without their URLs). */
static int raw_copy(const cJSON *fields, const fld_id *in, size_t n, cJSON *raw)
{
  for (size_t i = 0; i < n; i++) {
    const cJSON *v = fget(fields, in[i]);
    cJSON *cp;
    if (!v)
      continue;
    if (in[i] == FLD_T_CV && cJSON_IsArray(v)) {
      const cJSON *a;
      cp = cJSON_CreateArray();
      if (!cp)
        return -1;
      cJSON_ArrayForEach(a, v) {
        cJSON *o = cJSON_CreateObject();
        static const char *keep[] = {"id", "filename", "size", "type"};
        if (!o || !cJSON_AddItemToArray(cp, o))
          break;
        for (size_t k = 0; k < NELEM(keep); k++) {
          const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, keep[k]);
          if (x)
            cJSON_AddItemToObject(o, keep[k], cJSON_Duplicate(x, 1));
        }
      }
    } else {
      cp = cJSON_Duplicate(v, 1);
    }
    if (!cp || !cJSON_AddItemToObject(raw, fields_name(in[i]), cp))
      return -1;
  }
  return 0;
}

static void put_str(cJSON *o, fld_id f, const char *v)
{
  if (v && *v)
    cJSON_AddStringToObject(o, fields_name(f), v);
  else
    cJSON_AddNullToObject(o, fields_name(f));
}

static void put_num(cJSON *o, fld_id f, double v)
{
  if (isnan(v) || isinf(v))
    cJSON_AddNullToObject(o, fields_name(f));
  else
    cJSON_AddNumberToObject(o, fields_name(f), v);
}

/* 1 when the cell already holds the wanted value (NULL = empty). */
static int same_value(const cJSON *want, const cJSON *cell)
{
  int empty = !cell || cJSON_IsNull(cell) || (cJSON_IsString(cell) && !*cell->valuestring) ||
              (cJSON_IsArray(cell) && cJSON_GetArraySize(cell) == 0);
  if (!want || cJSON_IsNull(want))
    return empty;
  if (empty)
    return 0;
  if (cJSON_IsNumber(want)) {
    double c;
    if (cJSON_IsNumber(cell))
      c = cell->valuedouble;
    else if (cJSON_IsString(cell))
      c = strtod(cell->valuestring, NULL);
    else
      return 0;
    return fabs(c - want->valuedouble) <= NUM_TOLERANCE + 1e-9 * fabs(want->valuedouble);
  }
  if (cJSON_IsString(want)) {
    if (cJSON_IsString(cell))
      return strcmp(cell->valuestring, want->valuestring) == 0;
    if (cJSON_IsObject(cell)) { /* a select answered as an object */
      const cJSON *nm = cJSON_GetObjectItemCaseSensitive(cell, "name");
      return cJSON_IsString(nm) && strcmp(nm->valuestring, want->valuestring) == 0;
    }
    return 0;
  }
  return cJSON_Compare(want, cell, 1);
}

/* The fields of `want` whose cell in `fields` differs (new object; empty
 * when nothing differs).  NULL on allocation failure. */
static cJSON *diff_fields(const cJSON *want, const cJSON *fields)
{
  cJSON *patch = cJSON_CreateObject();
  const cJSON *w;
  if (!patch)
    return NULL;
  cJSON_ArrayForEach(w, want) {
    const cJSON *cell = cJSON_GetObjectItemCaseSensitive(fields, w->string);
    if (!same_value(w, cell) && !cJSON_AddItemToObject(patch, w->string, cJSON_Duplicate(w, 1))) {
      cJSON_Delete(patch);
      return NULL;
    }
  }
  return patch;
}

static int all_written(const cJSON *written, const fld_id *out, size_t n)
{
  if (!cJSON_IsObject(written))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!cJSON_GetObjectItemCaseSensitive(written, fields_name(out[i])))
      return 0;
  return 1;
}

/* ---- (N) values ------------------------------------------------------------ */

static cJSON *candidate_n(const model_candidate *m)
{
  char buf[SKILLS_TEXT];
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  put_str(o, FLD_T_N_TITLE, m->title);
  put_str(o, FLD_T_N_SENIORITY, norm_seniority_name(m->seniority));
  put_num(o, FLD_T_N_YEARS, round_to(m->years, 0.1));
  buf[0] = 0;
  norm_format_skills(m->skills, m->n_skills, 1, buf, sizeof buf);
  put_str(o, FLD_T_N_SKILLS, buf);
  buf[0] = 0;
  norm_format_location(m->city, m->country, buf, sizeof buf);
  put_str(o, FLD_T_N_LOCATION, buf);
  buf[0] = 0;
  norm_format_timezone(m->timezone, m->tz_offset_hours, buf, sizeof buf);
  put_str(o, FLD_T_N_TIMEZONE, buf);
  put_num(o, FLD_T_N_SALARY, round_to(m->salary, 1));
  return o;
}

static void job_skills_text(const model_job *j, int flag, char *buf, size_t len)
{
  static _Thread_local model_skill sel[MODEL_MAX_SKILLS];
  int n = 0;
  for (int i = 0; i < j->n_skills && n < MODEL_MAX_SKILLS; i++)
    if (j->skills[i].flags & flag)
      sel[n++] = j->skills[i];
  buf[0] = 0;
  norm_format_skills(sel, n, 0, buf, len);
}

static cJSON *job_n(const model_job *j)
{
  char buf[SKILLS_TEXT];
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  put_str(o, FLD_C_N_JOB_TITLE, j->title);
  job_skills_text(j, SKILL_REQUIRED, buf, sizeof buf);
  put_str(o, FLD_C_N_REQUIRED, buf);
  job_skills_text(j, SKILL_NICE, buf, sizeof buf);
  put_str(o, FLD_C_N_NICE, buf);
  put_str(o, FLD_C_N_SENIORITY, norm_seniority_name(j->seniority));
  put_num(o, FLD_C_N_MIN_YEARS, round_to(j->min_years, 0.1));
  buf[0] = 0;
  norm_format_location(j->city, j->country, buf, sizeof buf);
  put_str(o, FLD_C_N_LOCATION, buf);
  buf[0] = 0;
  norm_format_remote(j->remote_policy, j->remote_region, buf, sizeof buf);
  put_str(o, FLD_C_N_REMOTE, buf);
  put_num(o, FLD_C_N_SALARY_MIN, round_to(j->salary_min, 1));
  put_num(o, FLD_C_N_SALARY_MAX, round_to(j->salary_max, 1));
  return o;
}

/* ---- writes ---------------------------------------------------------------- */

static td_err set_written(sync_ctx *s, sync_table t, const char *id, const char *written)
{
  return t == SYNC_TALENT ? store_candidate_set_written(s->db, id, written)
                          : store_job_set_written(s->db, id, NULL, written);
}

static td_err queue_patch(sync_ctx *s, sync_table t, const char *id, cJSON *patch,
                          const char *desired_json)
{
  td_err rc;
  if (s->n_pend && s->pend_table != t && (rc = sync_flush(s)))
    return rc;
  if (!s->pend && !(s->pend = cJSON_CreateArray()))
    return TD_ERR_NOMEM;
  cJSON *item = cJSON_CreateObject();
  char *w = strdup(desired_json);
  if (!item || !w || !cJSON_AddItemToArray(s->pend, item)) {
    cJSON_Delete(item);
    free(w);
    return TD_ERR_NOMEM;
  }
  cJSON_AddStringToObject(item, "id", id);
  cJSON_AddItemToObject(item, "fields", cJSON_Duplicate(patch, 1));
  s->pend_table = t;
  s->pend_written[s->n_pend++] = w;
  if (!s->batch || s->n_pend >= AT_MAX_BATCH)
    return sync_flush(s);
  return TD_OK;
}

static const char *rec_id(const cJSON *item)
{
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
  return cJSON_IsString(id) ? id->valuestring : "";
}

td_err sync_flush(sync_ctx *s)
{
  at_error e = {0};
  td_err rc = TD_OK;
  if (!s->n_pend)
    return TD_OK;
  const char *table = sync_table_id(s, s->pend_table);
  rc = at_update(s->at, table, s->pend, 1, NULL, &e);
  s->st.requests++;
  if (!rc) {
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, s->pend) {
      td_err r2 = set_written(s, s->pend_table, rec_id(item), s->pend_written[i++]);
      if (r2 && !rc)
        rc = r2;
    }
    s->st.written += s->n_pend;
  } else if (rc == TD_ERR_AIRTABLE || rc == TD_ERR_NOT_FOUND) {
    /* A final refusal (e.g. a deleted record or a value the field refuses):
     * find the record(s) at fault one by one, skip them, keep the rest. */
    LOG(LOG_WARN, "sync_patch_refused", LOG_S("table", sync_table_name(s->pend_table)),
        LOG_I("records", s->n_pend), LOG_I("status", e.http_status), LOG_S("type", e.type));
    rc = TD_OK;
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, s->pend) {
      const char *w = s->pend_written[i++];
      td_err r1 = TD_ERR_AIRTABLE;
      if (s->n_pend > 1) {
        cJSON *one = cJSON_CreateArray();
        if (!one || !cJSON_AddItemToArray(one, cJSON_Duplicate(item, 1))) {
          cJSON_Delete(one);
          rc = TD_ERR_NOMEM;
          break;
        }
        r1 = at_update(s->at, table, one, 1, NULL, &e);
        s->st.requests++;
        cJSON_Delete(one);
      }
      if (!r1) {
        s->st.written++;
        if ((r1 = set_written(s, s->pend_table, rec_id(item), w)))
          rc = r1;
      } else if (r1 == TD_ERR_AIRTABLE || r1 == TD_ERR_NOT_FOUND) {
        s->st.write_failed++;
        LOG(LOG_WARN, "sync_record_write_refused", LOG_S("record_id", rec_id(item)),
            LOG_I("status", e.http_status), LOG_S("type", e.type));
      } else {
        rc = r1;
        break;
      }
    }
  } else {
    LOG(LOG_WARN, "sync_patch_failed", LOG_S("table", sync_table_name(s->pend_table)),
        LOG_I("records", s->n_pend), LOG_I("status", e.http_status), LOG_S("type", e.type),
        LOG_S("error", td_strerror(rc)));
  }
  pend_clear(s);
  return rc;
}

/* ---- records --------------------------------------------------------------- */

/* Shared tail: compare, store, queue the write.  desired is consumed. */
static td_err finish_record(sync_ctx *s, sync_table t, const char *id, const cJSON *fields,
                            cJSON *desired, int store_full,
                            td_err (*store_fn)(sync_ctx *, void *, const char *), void *arg)
{
  td_err rc = TD_OK;
  cJSON *patch = desired ? diff_fields(desired, fields) : NULL;
  char *dj = desired ? cJSON_PrintUnformatted(desired) : NULL;
  if (!patch || !dj) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  int need = cJSON_GetArraySize(patch) > 0;
  /* while a write is pending, `written` is JSON null: see sync.h */
  const char *wj = need ? "null" : dj;
  rc = store_full ? store_fn(s, arg, wj) : set_written(s, t, id, wj);
  if (!rc && need)
    rc = queue_patch(s, t, id, patch, dj);
out:
  cJSON_Delete(patch);
  cJSON_Delete(desired);
  free(dj);
  return rc;
}

typedef struct cand_store {
  const model_candidate *m;
  const char *cv_text, *raw_json, *hash;
} cand_store;

static td_err cand_store_fn(sync_ctx *s, void *arg, const char *written)
{
  cand_store *a = arg;
  return store_candidate_upsert(s->db, a->m, a->cv_text, a->raw_json, a->hash, written);
}

typedef struct job_store {
  const model_job *j;
  const char *company, *raw_json, *hash;
} job_store;

static td_err job_store_fn(sync_ctx *s, void *arg, const char *written)
{
  job_store *a = arg;
  return store_job_upsert(s->db, a->j, a->company, a->raw_json, a->hash, written, NULL);
}

/* Skip a record whose input hash is unchanged and whose (N) cells in
 * Airtable still hold what we last wrote: nothing to normalize or send. */
static int unchanged(sync_ctx *s, const char *old, const char *hash, const cJSON *written,
                     const fld_id *out, size_t n, const cJSON *fields)
{
  if (s->force || strcmp(old, hash) != 0 || !all_written(written, out, n))
    return 0;
  cJSON *d = diff_fields(written, fields);
  int clean = d && cJSON_GetArraySize(d) == 0;
  cJSON_Delete(d);
  if (clean)
    s->st.unchanged++;
  return clean;
}

static td_err sync_candidate(sync_ctx *s, const char *id, const cJSON *fields)
{
  char hash[65], old[65] = "";
  cJSON *raw = cJSON_CreateObject(), *written = NULL;
  char *raw_json = NULL, *cv = NULL;
  const char *skills[MAX_RAW_SKILLS];
  static _Thread_local model_candidate m;
  int have_m = 0;
  td_err rc;

  if (!raw || raw_copy(fields, talent_in, NELEM(talent_in), raw) != 0 ||
      !(raw_json = cJSON_PrintUnformatted(raw))) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *parts[] = {SYNC_NORM_VERSION, raw_json};
  store_hash(hash, parts, 2);
  rc = store_candidate_state(s->db, id, old, &written);
  if (rc == TD_ERR_NOT_FOUND)
    rc = TD_OK;
  if (rc)
    goto out;
  int same_input = strcmp(old, hash) == 0;
  if (unchanged(s, old, hash, written, talent_out, NELEM(talent_out), fields))
    goto out;

  /* normalize */
  cvf_stats cst;
  rc = cvf_collect(id, fstr(fields, FLD_T_CV_TEXT), fget(fields, FLD_T_CV), &s->cvf, &cv, &cst);
  if (rc)
    goto out;
  s->st.cv_failed += cst.files_failed;
  model_raw_candidate in = {.record_id = id,
                            .name = fstr(fields, FLD_T_NAME),
                            .cv_text = cv,
                            .skills = skills,
                            .current_title = fstr(fields, FLD_T_CURRENT_TITLE),
                            .years = fnum(fields, FLD_T_YEARS),
                            .location = fstr(fields, FLD_T_LOCATION),
                            .work_pref = fstr(fields, FLD_T_WORK_PREF),
                            .desired_salary = fnum(fields, FLD_T_DESIRED_SALARY)};
  const cJSON *sk = fget(fields, FLD_T_SKILLS), *x;
  if (cJSON_IsArray(sk)) {
    cJSON_ArrayForEach(x, sk) if (cJSON_IsString(x) && in.n_skills < MAX_RAW_SKILLS)
        skills[in.n_skills++] = x->valuestring;
  } else if (cJSON_IsString(sk) && *sk->valuestring) {
    skills[in.n_skills++] = sk->valuestring;
  }
  rc = (td_err)norm_candidate_at(&in, s->ref_year, s->ref_month, &m);
  if (rc)
    goto out;
  have_m = 1;
  cand_store a = {&m, cv, raw_json, hash};
  int store_full = !same_input || s->force;
  if (!same_input)
    s->st.changed++;
  rc = finish_record(s, SYNC_TALENT, id, fields, candidate_n(&m), store_full, cand_store_fn, &a);
out:
  if (rc)
    LOG(LOG_WARN, "sync_record_failed", LOG_S("record_id", id), LOG_S("error", td_strerror(rc)));
  if (have_m)
    model_candidate_free(&m);
  cJSON_Delete(raw);
  cJSON_Delete(written);
  free(raw_json);
  free(cv);
  return rc;
}

static td_err sync_job(sync_ctx *s, const char *id, const cJSON *fields)
{
  char hash[65], old[65] = "";
  cJSON *raw = cJSON_CreateObject(), *written = NULL;
  char *raw_json = NULL;
  static _Thread_local model_job j;
  int have_j = 0;
  td_err rc;

  if (!raw || raw_copy(fields, cust_in, NELEM(cust_in), raw) != 0 ||
      !(raw_json = cJSON_PrintUnformatted(raw))) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *parts[] = {SYNC_NORM_VERSION, raw_json};
  store_hash(hash, parts, 2);
  rc = store_job_state(s->db, id, NULL, old, NULL, &written);
  if (rc == TD_ERR_NOT_FOUND)
    rc = TD_OK;
  if (rc)
    goto out;
  int same_input = strcmp(old, hash) == 0;
  if (unchanged(s, old, hash, written, cust_out, NELEM(cust_out), fields))
    goto out;
  model_raw_job in = {.customer_record_id = id,
                      .ats_record_id = NULL,
                      .company = fstr(fields, FLD_C_COMPANY),
                      .position_title = NULL,
                      .profile = NULL,
                      .description = fstr(fields, FLD_C_JOB_DESCRIPTION),
                      .location = fstr(fields, FLD_C_LOCATION),
                      .salary_range = fstr(fields, FLD_C_SALARY_RANGE),
                      .remote_policy = fstr(fields, FLD_C_REMOTE_POLICY)};
  rc = (td_err)norm_job(&in, s->ref_year, &j);
  if (rc)
    goto out;
  have_j = 1;
  job_store a = {&j, in.company, raw_json, hash};
  int store_full = !same_input || s->force;
  if (!same_input)
    s->st.changed++;
  rc = finish_record(s, SYNC_CUSTOMERS, id, fields, job_n(&j), store_full, job_store_fn, &a);
out:
  if (rc)
    LOG(LOG_WARN, "sync_record_failed", LOG_S("record_id", id), LOG_S("error", td_strerror(rc)));
  if (have_j)
    model_job_free(&j);
  cJSON_Delete(raw);
  cJSON_Delete(written);
  free(raw_json);
  return rc;
}

td_err sync_record(sync_ctx *s, sync_table t, const cJSON *record)
{
  const char *id = rec_id(record);
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(record, "fields");
  s->st.read++;
  if (!cfg_is_airtable_id(id, "rec") || !cJSON_IsObject(fields)) {
    s->st.invalid++;
    LOG(LOG_WARN, "sync_record_invalid", LOG_S("record_id", cfg_is_airtable_id(id, "rec") ? id : ""));
    return TD_OK;
  }
  return t == SYNC_TALENT ? sync_candidate(s, id, fields) : sync_job(s, id, fields);
}

td_err sync_one(sync_ctx *s, sync_table t, const char *record_id, char *err, size_t errlen)
{
  cJSON *rec = NULL;
  at_error e = {0};
  td_err rc = at_get(s->at, sync_table_id(s, t), record_id, &rec, &e);
  if (rc == TD_ERR_NOT_FOUND) {
    rc = t == SYNC_TALENT ? store_candidate_mark_deleted(s->db, record_id)
                          : store_job_delete(s->db, record_id, NULL);
    if (!rc) {
      s->st.deleted++;
      LOG(LOG_INFO, "sync_record_gone", LOG_S("record_id", record_id),
          LOG_S("table", sync_table_name(t)));
    } else {
      snprintf(err, errlen, "record gone; marking it deleted failed: %s", td_strerror(rc));
    }
    return rc;
  }
  if (rc) {
    if (e.http_status)
      snprintf(err, errlen, "reading the record: HTTP %d %s", e.http_status, e.type);
    else
      snprintf(err, errlen, "reading the record: %s", td_strerror(rc));
    return rc;
  }
  rc = sync_record(s, t, rec);
  if (!rc)
    rc = sync_flush(s);
  cJSON_Delete(rec);
  if (rc)
    snprintf(err, errlen, "%s sync of the record failed: %s", sync_table_name(t), td_strerror(rc));
  else if (s->st.write_failed)
    snprintf(err, errlen, "Airtable refused the (N) fields");
  sync_done(s);
  return rc;
}

/* ---- bookkeeping ------------------------------------------------------------ */

long sync_known_rows(PGconn *db, sync_table t)
{
  td_err rc;
  PGresult *r = db_exec(db, &rc,
                        t == SYNC_TALENT
                            ? "SELECT count(*) FROM normalized_candidates WHERE NOT deleted"
                            : "SELECT count(*) FROM normalized_jobs WHERE ats_record_id IS NULL",
                        0, NULL);
  long n = rc ? -1 : strtol(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return n;
}

long long sync_run_begin(PGconn *db, const char *table_name)
{
  td_err rc;
  const char *p[] = {table_name};
  PGresult *r = db_exec(db, &rc, "INSERT INTO sync_runs (table_name) VALUES ($1) RETURNING id", 1, p);
  long long id = rc ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return id;
}

void sync_run_end(PGconn *db, long long run_id, const sync_stats *st, int interrupted)
{
  char id[24], rd[24], ch[24], wr[24], sk[24];
  if (!run_id)
    return;
  snprintf(id, sizeof id, "%lld", run_id);
  snprintf(rd, sizeof rd, "%ld", st->read);
  snprintf(ch, sizeof ch, "%ld", st->changed);
  snprintf(wr, sizeof wr, "%ld", st->written);
  snprintf(sk, sizeof sk, "%ld", st->unchanged + st->invalid + st->write_failed);
  const char *p[] = {id, rd, ch, wr, sk, interrupted ? "t" : "f"};
  td_err rc = db_run(db,
                     "UPDATE sync_runs SET finished_at = now(), read = $2::int, changed = $3::int,"
                     " written = $4::int, skipped = $5::int, interrupted = $6::boolean"
                     " WHERE id = $1::bigint",
                     6, p);
  if (rc)
    LOG(LOG_WARN, "sync_run_record_failed", LOG_S("error", td_strerror(rc)));
}

/* ids packed 18 bytes apart (cmd_sync's list of seen records) */
static const char *packed_id(size_t i, const void *ids) { return (const char *)ids + i * 18; }

td_err sync_retire_missing(PGconn *db, sync_table t, const char *ids, size_t n, long *removed)
{
  td_err rc;
  char *arr = db_text_array(n, packed_id, ids);
  *removed = 0;
  if (!arr)
    return TD_ERR_NOMEM;
  const char *p[] = {arr};
  PGresult *r = db_exec(db, &rc,
                        t == SYNC_TALENT
                            ? "UPDATE normalized_candidates SET deleted = true,"
                              " rev = nextval('normalized_rev'), updated_at = now()"
                              " WHERE NOT deleted AND NOT (airtable_record_id = ANY($1::text[]))"
                            : "DELETE FROM normalized_jobs WHERE ats_record_id IS NULL"
                              " AND NOT (customer_record_id = ANY($1::text[]))",
                        1, p);
  if (!rc)
    *removed = strtol(PQcmdTuples(r), NULL, 10);
  PQclear(r);
  free(arr);
  if (*removed)
    LOG(LOG_INFO, "sync_retired_missing", LOG_S("table", sync_table_name(t)),
        LOG_I("count", *removed));
  return rc;
}
