/* verify_schema — compare the base's metadata with core/fields.h.
 *
 * A problem is reported once, where an operator would fix it: a missing
 * table hides its fields (they would all be "missing" too), and a field of the
 * wrong type is not checked further.  Names are compared exactly, as the REST
 * API does; a field that differs only in case is named in the message because
 * that is the usual typo. */
#include "verify_schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The statuses whose transitions talentd acts on (contract §6), plus the
 * active ones that re-enable a paused job. */
static const char *const needed_status[] = {
  "Sourcing", "Initial Recruiting", "On Hold", "Position closed", "Disqualified", "Hired",
  "Ongoing Recruiting", "Client Introduction", "In Interview",
};

typedef struct ctx {
  vs_report_fn report;
  void *arg;
  vs_result *res;
} ctx;

static void problem(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(ctx *c, const char *fmt, ...)
{
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  c->res->problems++;
  if (c->report)
    c->report(c->arg, line);
}

static const char *jstr(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *find_table(const cJSON *tables, const char *id)
{
  const cJSON *t;
  cJSON_ArrayForEach(t, tables) {
    const char *tid = jstr(t, "id");
    if (tid && strcmp(tid, id) == 0)
      return t;
  }
  return NULL;
}

static const cJSON *find_field(const cJSON *table, const char *name, int nocase)
{
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(table, "fields")) {
    const char *n = jstr(f, "name");
    if (n && (nocase ? strcasecmp(n, name) : strcmp(n, name)) == 0)
      return f;
  }
  return NULL;
}

/* 1 when type is one of the '|'-separated accepted types. */
static int type_ok(const char *accepted, const char *type)
{
  size_t n = strlen(type);
  const char *p = accepted;
  while (*p) {
    size_t len = strcspn(p, "|");
    if (len == n && strncmp(p, type, n) == 0)
      return 1;
    p += len;
    if (*p == '|')
      p++;
  }
  return 0;
}

/* "a|b|c" -> "a, b or c" for messages. */
static void type_list(const char *accepted, char *out, size_t cap)
{
  size_t o = 0, total = 1;
  for (const char *q = accepted; *q; q++)
    total += *q == '|';
  out[0] = 0;
  for (size_t i = 0; *accepted && o < cap; i++) {
    size_t len = strcspn(accepted, "|");
    int w = snprintf(out + o, cap - o, "%s%.*s", i == 0 ? "" : (i + 1 == total ? " or " : ", "),
                     (int)len, accepted);
    if (w < 0)
      break;
    o += (size_t)w;
    accepted += len;
    if (*accepted == '|')
      accepted++;
  }
}

static int has_choice(const cJSON *field, const char *name)
{
  const cJSON *opts = cJSON_GetObjectItemCaseSensitive(field, "options");
  const cJSON *ch;
  cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(opts, "choices")) {
    /* The API sends {"id","name","color"}; plain strings are tolerated. */
    const char *n = cJSON_IsString(ch) ? ch->valuestring : jstr(ch, "name");
    if (n && strcmp(n, name) == 0)
      return 1;
  }
  return 0;
}

/* The table a link field must point at, or -1 for a non-link field. */
static int link_target(fld_id f)
{
  if (f == FLD_C_ATS_JOBS)
    return TBL_ATS;
  if (f == FLD_A_COMPANY)
    return TBL_CUSTOMERS;
  if (fields_is_stage(f))
    return TBL_TALENT;
  return -1;
}

static void check_field(ctx *c, fld_id id, const cJSON *table, const char *const ids[TBL__COUNT])
{
  const fld_info *fi = fields_info(id);
  const char *tname = fields_table_name(fi->table);
  const char *name = fields_name(id);
  const cJSON *f = find_field(table, name, 0);
  const char *type;
  int target;

  c->res->fields_checked++;
  if (!f) {
    const cJSON *alt = find_field(table, name, 1);
    if (alt && jstr(alt, "name"))
      problem(c, "%s: field \"%s\": missing (a field \"%s\" differs only in case)", tname, name,
              jstr(alt, "name"));
    else
      problem(c, "%s: field \"%s\": missing", tname, name);
    return;
  }
  type = jstr(f, "type");
  if (!type || !type_ok(fi->types, type)) {
    char want[160];
    type_list(fi->types, want, sizeof want);
    problem(c, "%s: field \"%s\": type %s, expected %s", tname, name, type ? type : "(none)", want);
    return;
  }
  target = link_target(id);
  if (target >= 0) {
    const char *linked = jstr(cJSON_GetObjectItemCaseSensitive(f, "options"), "linkedTableId");
    if (!linked || strcmp(linked, ids[target]) != 0)
      problem(c, "%s: field \"%s\": links to %s, expected %s (%s)", tname, name,
              linked ? linked : "(unknown table)", fields_table_name((fld_table)target), ids[target]);
  }
  if (id == FLD_A_JOB_STATUS) {
    for (size_t i = 0; i < sizeof needed_status / sizeof *needed_status; i++)
      if (!has_choice(f, needed_status[i]))
        problem(c, "%s: field \"%s\": choice \"%s\" missing", tname, name, needed_status[i]);
  }
}

td_err vs_check(const cJSON *meta, const char *const table_ids[TBL__COUNT], vs_report_fn report,
                void *arg, vs_result *res)
{
  const cJSON *tables = cJSON_GetObjectItemCaseSensitive(meta, "tables");
  const cJSON *found[TBL__COUNT];
  ctx c = {report, arg, res};

  memset(res, 0, sizeof *res);
  if (!cJSON_IsArray(tables))
    return TD_ERR_PARSE;
  for (int t = 0; t < TBL__COUNT; t++) {
    found[t] = find_table(tables, table_ids[t]);
    res->tables_checked++;
    if (!found[t])
      problem(&c, "%s: table %s: missing from the base", fields_table_name((fld_table)t),
              table_ids[t]);
  }
  for (int f = 0; f < FLD__COUNT; f++) {
    fld_table t = fields_info((fld_id)f)->table;
    if (found[t])
      check_field(&c, (fld_id)f, found[t], table_ids);
  }
  return TD_OK;
}
