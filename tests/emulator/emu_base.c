/* emu_base — the emulator's in-memory Airtable base: fixture loading and
 * dumping, the metadata answer, record lookup, and every rule Airtable
 * applies to a write (types, select choices, typecast, record links and their
 * inverse side, empty values stored as absent).
 *
 * Records keep their cell values as a cJSON object keyed by field name, which
 * is what both the fixture and the API speak, so answers are mostly copies.
 * Each table has an open-addressing index by record id because a 100,000-
 * record base is validated link by link on every write. */
#include "emu.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

int emu_port;
const char *emu_files_dir;

static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static uint64_t rng_state = 0x5eed5eed5eedULL;

void emu_seed(uint64_t seed) { rng_state = seed ^ 0x9e3779b97f4a7c15ULL; }

/* splitmix64: tiny, seedable, good enough for ids and fault dice. */
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void id_from_bits(const char *prefix, uint64_t h1, uint64_t h2, char out[EMU_ID_MAX]) {
  size_t pl = strlen(prefix);
  if (pl > 8) pl = 8;
  memcpy(out, prefix, pl);
  for (int i = 0; i < 14; i++) {
    uint64_t *h = i < 7 ? &h1 : &h2;
    out[pl + (size_t)i] = ALNUM[*h % 62];
    *h /= 62;
  }
  out[pl + 14] = '\0';
}

void emu_random_id(const char *prefix, char out[EMU_ID_MAX]) {
  uint64_t a = rng_next(), c = rng_next();
  id_from_bits(prefix, a, c, out);
}

static uint64_t fnv(const char *s, uint64_t h) {
  for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  return h;
}

void emu_hash_id(const char *prefix, const char *a, const char *b, char out[EMU_ID_MAX]) {
  uint64_t h1 = fnv(b, fnv("\x1f", fnv(a, 0xcbf29ce484222325ULL)));
  uint64_t h2 = fnv(a, fnv("\x1e", fnv(b, 0x84222325cbf29ce4ULL)));
  id_from_bits(prefix, h1, h2, out);
}

void emu_error_set(emu_error *e, int status, const char *type, const char *fmt, ...) {
  va_list ap;
  e->status = status;
  snprintf(e->type, sizeof e->type, "%s", type);
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p) abort();
  memcpy(p, s, n);
  return p;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) abort();
  return q;
}

/* ---------------------------------------------------------------- index -- */

static uint64_t id_hash(const char *id) { return fnv(id, 0xcbf29ce484222325ULL); }

static void index_rebuild(emu_table *t) {
  size_t n = 16;
  while (n < t->nrecs * 2 + 2) n <<= 1;
  free(t->slots);
  t->slots = calloc(n, sizeof *t->slots);
  if (!t->slots) abort();
  t->nslots = n;
  for (size_t i = 0; i < t->nrecs; i++) {
    size_t s = id_hash(t->recs[i]->id) & (n - 1);
    while (t->slots[s]) s = (s + 1) & (n - 1);
    t->slots[s] = i + 1;
  }
}

emu_record *emu_record_find(const emu_table *t, const char *id) {
  if (!t->nslots) return NULL;
  size_t s = id_hash(id) & (t->nslots - 1);
  while (t->slots[s]) {
    emu_record *r = t->recs[t->slots[s] - 1];
    if (strcmp(r->id, id) == 0) return r;
    s = (s + 1) & (t->nslots - 1);
  }
  return NULL;
}

static emu_record *record_append(emu_table *t, const char *id, const char *created, cJSON *fields) {
  emu_record *r = calloc(1, sizeof *r);
  if (!r) abort();
  snprintf(r->id, sizeof r->id, "%s", id);
  snprintf(r->created, sizeof r->created, "%s", created);
  r->fields = fields;
  if (t->nrecs == t->caprecs) {
    t->caprecs = t->caprecs ? t->caprecs * 2 : 64;
    t->recs = xrealloc(t->recs, t->caprecs * sizeof *t->recs);
  }
  t->recs[t->nrecs++] = r;
  if ((t->nrecs + 1) * 2 > t->nslots) {
    index_rebuild(t);
  } else {
    size_t s = id_hash(r->id) & (t->nslots - 1);
    while (t->slots[s]) s = (s + 1) & (t->nslots - 1);
    t->slots[s] = t->nrecs;
  }
  return r;
}

/* ---------------------------------------------------------------- lookup -- */

emu_table *emu_table_find(emu_base *b, const char *id_or_name) {
  for (size_t i = 0; i < b->ntables; i++)
    if (strcmp(b->tables[i].id, id_or_name) == 0) return &b->tables[i];
  for (size_t i = 0; i < b->ntables; i++)
    if (strcmp(b->tables[i].name, id_or_name) == 0) return &b->tables[i];
  return NULL;
}

emu_field *emu_field_find(emu_table *t, const char *name_or_id) {
  for (size_t i = 0; i < t->nfields; i++)
    if (strcmp(t->fields[i].name, name_or_id) == 0) return &t->fields[i];
  for (size_t i = 0; i < t->nfields; i++)
    if (strcmp(t->fields[i].id, name_or_id) == 0) return &t->fields[i];
  return NULL;
}

static int is_type(const emu_field *f, const char *type) { return strcmp(f->type, type) == 0; }

static int is_select(const emu_field *f) {
  return is_type(f, "singleSelect") || is_type(f, "multipleSelects");
}

static int is_text(const emu_field *f) {
  static const char *const t[] = {"singleLineText", "multilineText", "richText", "email", "url",
                                  "phoneNumber", NULL};
  for (int i = 0; t[i]; i++)
    if (is_type(f, t[i])) return 1;
  return 0;
}

static int is_number(const emu_field *f) {
  static const char *const t[] = {"number", "currency", "percent", "rating", "duration", NULL};
  for (int i = 0; t[i]; i++)
    if (is_type(f, t[i])) return 1;
  return 0;
}

static int is_computed(const emu_field *f) {
  static const char *const t[] = {"formula", "rollup", "count", "lookup", "multipleLookupValues",
                                  "createdTime", "lastModifiedTime", "autoNumber", "createdBy",
                                  "lastModifiedBy", "button", NULL};
  for (int i = 0; t[i]; i++)
    if (is_type(f, t[i])) return 1;
  return 0;
}

static emu_choice *choice_find(emu_field *f, const char *name) {
  for (size_t i = 0; i < f->nchoices; i++)
    if (strcmp(f->choices[i].name, name) == 0) return &f->choices[i];
  return NULL;
}

static void choice_add(emu_field *f, const char *name, const char *id, const char *color) {
  static const char *const colors[] = {"blueLight2", "cyanLight2", "tealLight2", "greenLight2",
                                       "yellowLight2", "orangeLight2", "redLight2", "pinkLight2",
                                       "purpleLight2", "grayLight2"};
  char gen[EMU_ID_MAX];
  if (choice_find(f, name)) return;
  if (f->nchoices == f->capchoices) {
    f->capchoices = f->capchoices ? f->capchoices * 2 : 8;
    f->choices = xrealloc(f->choices, f->capchoices * sizeof *f->choices);
  }
  if (!id) {
    emu_hash_id("sel", f->id, name, gen);
    id = gen;
  }
  emu_choice *c = &f->choices[f->nchoices];
  c->id = xstrdup(id);
  c->name = xstrdup(name);
  c->color = xstrdup(color ? color : colors[f->nchoices % 10]);
  f->nchoices++;
}

/* "", [], false and null are how Airtable spells "no value". */
static int is_empty(const cJSON *v) {
  return !v || cJSON_IsNull(v) || cJSON_IsFalse(v) ||
         (cJSON_IsString(v) && v->valuestring[0] == '\0') ||
         (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0);
}

/* ---------------------------------------------------------------- load -- */

static void field_free(emu_field *f) {
  free(f->id);
  free(f->name);
  free(f->type);
  cJSON_Delete(f->options);
  for (size_t i = 0; i < f->nchoices; i++) {
    free(f->choices[i].id);
    free(f->choices[i].name);
    free(f->choices[i].color);
  }
  free(f->choices);
}

void emu_base_free(emu_base *b) {
  if (!b) return;
  for (size_t i = 0; i < b->ntables; i++) {
    emu_table *t = &b->tables[i];
    for (size_t j = 0; j < t->nfields; j++) field_free(&t->fields[j]);
    free(t->fields);
    for (size_t j = 0; j < t->nrecs; j++) {
      cJSON_Delete(t->recs[j]->fields);
      free(t->recs[j]);
    }
    free(t->recs);
    free(t->slots);
    free(t->id);
    free(t->name);
    free(t->view_id);
  }
  free(b->tables);
  free(b->id);
  free(b);
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int load_field(emu_table *t, emu_field *f, const cJSON *jf, char *err, size_t errlen) {
  const char *name = jstr(jf, "name"), *type = jstr(jf, "type"), *id = jstr(jf, "id");
  char gen[EMU_ID_MAX];
  if (!name) {
    snprintf(err, errlen, "table %s: a field has no name", t->name);
    return -1;
  }
  if (!id) {
    emu_hash_id("fld", t->id, name, gen);
    id = gen;
  }
  f->id = xstrdup(id);
  f->name = xstrdup(name);
  f->type = xstrdup(type ? type : "singleLineText");
  const cJSON *opt = cJSON_GetObjectItemCaseSensitive(jf, "options");
  f->options = cJSON_IsObject(opt) ? cJSON_Duplicate(opt, 1) : NULL;
  if (is_select(f)) {
    cJSON *choices = f->options ? cJSON_DetachItemFromObjectCaseSensitive(f->options, "choices") : NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, choices) {
      if (cJSON_IsString(c))
        choice_add(f, c->valuestring, NULL, NULL);
      else if (jstr(c, "name"))
        choice_add(f, jstr(c, "name"), jstr(c, "id"), jstr(c, "color"));
    }
    cJSON_Delete(choices);
  }
  return 0;
}

/* Link targets and inverse fields can only be resolved once every table is
 * loaded.  Fixtures name the inverse by id (Airtable's metadata) or by name
 * (judged-dev's inverseLinkFieldName); both are accepted. */
static int resolve_links(emu_base *b, char *err, size_t errlen) {
  for (size_t i = 0; i < b->ntables; i++) {
    emu_table *t = &b->tables[i];
    for (size_t j = 0; j < t->nfields; j++) {
      emu_field *f = &t->fields[j];
      if (!is_type(f, "multipleRecordLinks")) continue;
      const char *lt = f->options ? jstr(f->options, "linkedTableId") : NULL;
      f->link = lt ? emu_table_find(b, lt) : NULL;
      if (!f->link) {
        snprintf(err, errlen, "field %s.%s: linkedTableId %s is not a table of the base", t->name,
                 f->name, lt ? lt : "(missing)");
        return -1;
      }
      const char *inv = jstr(f->options, "inverseLinkFieldId");
      if (!inv) inv = jstr(f->options, "inverseLinkFieldName");
      if (inv) {
        emu_field *g = emu_field_find(f->link, inv);
        if (g && is_type(g, "multipleRecordLinks") && g->options &&
            jstr(g->options, "linkedTableId") && strcmp(jstr(g->options, "linkedTableId"), t->id) == 0)
          f->inverse = g;
      }
    }
  }
  return 0;
}

static void now_iso(char *out, size_t n) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, n, "%.20s.%03dZ", buf, (int)(ts.tv_nsec / 1000000) % 1000);
}

static int load_table(emu_table *t, const cJSON *jt, size_t index, char *err, size_t errlen) {
  const char *name = jstr(jt, "name"), *id = jstr(jt, "id");
  char gen[EMU_ID_MAX];
  char idx[24];
  snprintf(idx, sizeof idx, "%zu", index);
  if (!name) name = id ? id : "Table";
  if (!id) {
    emu_hash_id("tbl", name, idx, gen);
    id = gen;
  }
  t->id = xstrdup(id);
  t->name = xstrdup(name);
  emu_hash_id("viw", t->id, "Grid view", gen);
  t->view_id = xstrdup(gen);
  const cJSON *jfields = cJSON_GetObjectItemCaseSensitive(jt, "fields");
  int nf = cJSON_GetArraySize(jfields);
  t->fields = calloc((size_t)nf + 1, sizeof *t->fields);
  if (!t->fields) abort();
  const cJSON *jf;
  cJSON_ArrayForEach(jf, jfields) {
    if (load_field(t, &t->fields[t->nfields], jf, err, errlen)) return -1;
    t->nfields++;
  }
  if (t->nfields == 0) {
    snprintf(err, errlen, "table %s has no fields", t->name);
    return -1;
  }
  const char *prim = jstr(jt, "primaryField");
  if (!prim) prim = jstr(jt, "primaryFieldId");
  t->primary = 0;
  if (prim) {
    emu_field *pf = emu_field_find(t, prim);
    if (!pf) {
      snprintf(err, errlen, "table %s: primaryField %s is not a field", t->name, prim);
      return -1;
    }
    t->primary = (size_t)(pf - t->fields);
  }
  return 0;
}

/* Cells in a fixture are trusted (links are not re-validated) but normalized:
 * field ids become names, and empty values are dropped. */
static int load_records(emu_table *t, const cJSON *jt, char *err, size_t errlen) {
  const cJSON *jr;
  char gen[EMU_ID_MAX], created[40];
  now_iso(created, sizeof created);
  cJSON_ArrayForEach(jr, cJSON_GetObjectItemCaseSensitive(jt, "records")) {
    const char *id = jstr(jr, "id");
    const char *ct = jstr(jr, "createdTime");
    if (!id) {
      emu_random_id("rec", gen);
      id = gen;
    }
    if (strlen(id) >= EMU_ID_MAX) {
      snprintf(err, errlen, "table %s: record id %.40s is too long", t->name, id);
      return -1;
    }
    if (emu_record_find(t, id)) {
      snprintf(err, errlen, "table %s: duplicate record id %s", t->name, id);
      return -1;
    }
    cJSON *fields = cJSON_CreateObject();
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(jr, "fields")) {
      emu_field *f = emu_field_find(t, c->string);
      if (!f) {
        snprintf(err, errlen, "table %s record %s: unknown field \"%s\"", t->name, id, c->string);
        cJSON_Delete(fields);
        return -1;
      }
      if (is_empty(c)) continue;
      if (is_select(f)) {
        /* a fixture may use values its schema forgot; add them as Airtable would have */
        if (cJSON_IsString(c)) choice_add(f, c->valuestring, NULL, NULL);
        const cJSON *e;
        if (cJSON_IsArray(c))
          cJSON_ArrayForEach(e, c) if (cJSON_IsString(e)) choice_add(f, e->valuestring, NULL, NULL);
      }
      cJSON_AddItemToObject(fields, f->name, cJSON_Duplicate(c, 1));
    }
    record_append(t, id, ct ? ct : "2026-01-01T00:00:00.000Z", fields);
  }
  return 0;
}

emu_base *emu_base_load(const cJSON *fixture, char *err, size_t errlen) {
  const cJSON *tables = cJSON_GetObjectItemCaseSensitive(fixture, "tables");
  if (!cJSON_IsObject(fixture) || !cJSON_IsArray(tables)) {
    snprintf(err, errlen, "fixture must be an object with a \"tables\" array");
    return NULL;
  }
  emu_base *b = calloc(1, sizeof *b);
  if (!b) abort();
  const char *bid = jstr(fixture, "base_id");
  if (!bid) bid = jstr(fixture, "id");
  b->id = xstrdup(bid ? bid : "appEMULATOR00001");
  int n = cJSON_GetArraySize(tables);
  b->tables = calloc((size_t)n + 1, sizeof *b->tables);
  if (!b->tables) abort();
  const cJSON *jt;
  cJSON_ArrayForEach(jt, tables) {
    if (load_table(&b->tables[b->ntables], jt, b->ntables, err, errlen)) goto fail;
    b->ntables++;
  }
  if (resolve_links(b, err, errlen)) goto fail;
  size_t i = 0;
  cJSON_ArrayForEach(jt, tables) {
    if (load_records(&b->tables[i], jt, err, errlen)) goto fail;
    i++;
  }
  return b;
fail:
  /* count the half-loaded table too so its allocations are freed */
  if (b->ntables < (size_t)n && b->tables[b->ntables].id) b->ntables++;
  emu_base_free(b);
  return NULL;
}

/* ---------------------------------------------------------------- output -- */

static cJSON *choices_json(const emu_field *f) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < f->nchoices; i++) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", f->choices[i].id);
    cJSON_AddStringToObject(c, "name", f->choices[i].name);
    cJSON_AddStringToObject(c, "color", f->choices[i].color);
    cJSON_AddItemToArray(a, c);
  }
  return a;
}

static cJSON *options_json(const emu_field *f, int meta) {
  cJSON *o = f->options ? cJSON_Duplicate(f->options, 1) : NULL;
  if (is_select(f)) {
    if (!o) o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "choices", choices_json(f));
  }
  if (meta && f->link && o) {
    /* the metadata API names the inverse by id only */
    cJSON_DeleteItemFromObjectCaseSensitive(o, "inverseLinkFieldName");
    if (f->inverse && !cJSON_GetObjectItemCaseSensitive(o, "inverseLinkFieldId"))
      cJSON_AddStringToObject(o, "inverseLinkFieldId", f->inverse->id);
  }
  return o;
}

static cJSON *field_schema_json(const emu_field *f, int meta) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", f->id);
  cJSON_AddStringToObject(o, "name", f->name);
  cJSON_AddStringToObject(o, "type", f->type);
  cJSON *opt = options_json(f, meta);
  if (opt) cJSON_AddItemToObject(o, "options", opt);
  return o;
}

cJSON *emu_base_dump(const emu_base *b) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "base_id", b->id);
  cJSON *tables = cJSON_AddArrayToObject(root, "tables");
  for (size_t i = 0; i < b->ntables; i++) {
    const emu_table *t = &b->tables[i];
    cJSON *jt = cJSON_CreateObject();
    cJSON_AddStringToObject(jt, "id", t->id);
    cJSON_AddStringToObject(jt, "name", t->name);
    cJSON_AddStringToObject(jt, "primaryField", t->fields[t->primary].name);
    cJSON *fs = cJSON_AddArrayToObject(jt, "fields");
    for (size_t j = 0; j < t->nfields; j++) cJSON_AddItemToArray(fs, field_schema_json(&t->fields[j], 0));
    cJSON *rs = cJSON_AddArrayToObject(jt, "records");
    for (size_t j = 0; j < t->nrecs; j++) {
      cJSON *r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "id", t->recs[j]->id);
      cJSON_AddStringToObject(r, "createdTime", t->recs[j]->created);
      cJSON_AddItemToObject(r, "fields", cJSON_Duplicate(t->recs[j]->fields, 1));
      cJSON_AddItemToArray(rs, r);
    }
    cJSON_AddItemToArray(tables, jt);
  }
  return root;
}

cJSON *emu_base_meta(const emu_base *b) {
  cJSON *root = cJSON_CreateObject();
  cJSON *tables = cJSON_AddArrayToObject(root, "tables");
  for (size_t i = 0; i < b->ntables; i++) {
    const emu_table *t = &b->tables[i];
    cJSON *jt = cJSON_CreateObject();
    cJSON_AddStringToObject(jt, "id", t->id);
    cJSON_AddStringToObject(jt, "name", t->name);
    cJSON_AddStringToObject(jt, "primaryFieldId", t->fields[t->primary].id);
    cJSON *fs = cJSON_AddArrayToObject(jt, "fields");
    for (size_t j = 0; j < t->nfields; j++) cJSON_AddItemToArray(fs, field_schema_json(&t->fields[j], 1));
    cJSON *views = cJSON_AddArrayToObject(jt, "views");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "id", t->view_id);
    cJSON_AddStringToObject(v, "name", "Grid view");
    cJSON_AddStringToObject(v, "type", "grid");
    cJSON_AddItemToArray(views, v);
    cJSON_AddItemToArray(tables, jt);
  }
  return root;
}

static const char *mime_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot) return "application/octet-stream";
  if (strcasecmp(dot, ".pdf") == 0) return "application/pdf";
  if (strcasecmp(dot, ".txt") == 0) return "text/plain";
  if (strcasecmp(dot, ".png") == 0) return "image/png";
  if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0) return "image/jpeg";
  if (strcasecmp(dot, ".docx") == 0)
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  return "application/octet-stream";
}

/* Attachments are stored as written ({"url":"emu://NAME"} in fixtures) and
 * answered as Airtable does: with an id, size, type and a fetchable URL. */
static cJSON *attachment_json(const emu_record *r, const cJSON *a) {
  cJSON *o = cJSON_Duplicate(a, 1);
  const char *url = jstr(a, "url");
  const char *fn = jstr(a, "filename");
  char buf[1200], id[EMU_ID_MAX];
  if (url && strncmp(url, "emu://", 6) == 0) {
    const char *name = url + 6;
    snprintf(buf, sizeof buf, "http://127.0.0.1:%d/_emu/files/%s", emu_port, name);
    cJSON_ReplaceItemInObjectCaseSensitive(o, "url", cJSON_CreateString(buf));
    if (!fn) cJSON_AddStringToObject(o, "filename", name);
    if (!cJSON_GetObjectItemCaseSensitive(o, "size")) {
      struct stat st;
      char path[1200];
      snprintf(path, sizeof path, "%s/%s", emu_files_dir ? emu_files_dir : ".", name);
      cJSON_AddNumberToObject(o, "size", stat(path, &st) == 0 ? (double)st.st_size : 0);
    }
    if (!cJSON_GetObjectItemCaseSensitive(o, "type")) cJSON_AddStringToObject(o, "type", mime_of(name));
  } else {
    if (!cJSON_GetObjectItemCaseSensitive(o, "size")) cJSON_AddNumberToObject(o, "size", 0);
    if (!cJSON_GetObjectItemCaseSensitive(o, "type"))
      cJSON_AddStringToObject(o, "type", mime_of(fn ? fn : (url ? url : "")));
  }
  if (!jstr(a, "id")) {
    emu_hash_id("att", r->id, url ? url : (fn ? fn : ""), id);
    cJSON_AddStringToObject(o, "id", id);
  }
  return o;
}

cJSON *emu_record_json(const emu_table *t, const emu_record *r, emu_field *const *only, size_t nonly,
                       int by_id) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", r->id);
  cJSON_AddStringToObject(o, "createdTime", r->created);
  cJSON *fs = cJSON_AddObjectToObject(o, "fields");
  const cJSON *c;
  cJSON_ArrayForEach(c, r->fields) {
    emu_field *f = emu_field_find((emu_table *)t, c->string);
    if (!f) continue;
    if (only) {
      size_t k;
      for (k = 0; k < nonly && only[k] != f; k++) {}
      if (k == nonly) continue;
    }
    cJSON *v;
    if (is_type(f, "multipleAttachments") && cJSON_IsArray(c)) {
      v = cJSON_CreateArray();
      const cJSON *a;
      cJSON_ArrayForEach(a, c) cJSON_AddItemToArray(v, attachment_json(r, a));
    } else {
      v = cJSON_Duplicate(c, 1);
    }
    cJSON_AddItemToObject(fs, by_id ? f->id : f->name, v);
  }
  return o;
}

/* ------------------------------------------------------------ cell text -- */

typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf;

static void sb_add(sbuf *s, const char *x, size_t n) {
  if (s->n + n + 1 > s->cap) {
    s->cap = (s->n + n + 1) * 2;
    s->p = xrealloc(s->p, s->cap);
  }
  memcpy(s->p + s->n, x, n);
  s->n += n;
  s->p[s->n] = '\0';
}

static void sb_num(sbuf *s, double d) {
  char b[64];
  if (d == (double)(long long)d && d < 1e15 && d > -1e15)
    snprintf(b, sizeof b, "%lld", (long long)d);
  else
    snprintf(b, sizeof b, "%.15g", d);
  sb_add(s, b, strlen(b));
}

static void scalar_text(sbuf *s, const emu_field *f, const cJSON *v) {
  if (cJSON_IsString(v)) {
    if (f && f->link) {
      const emu_record *lr = emu_record_find(f->link, v->valuestring);
      const cJSON *pv = lr ? cJSON_GetObjectItemCaseSensitive(lr->fields, f->link->fields[f->link->primary].name)
                           : NULL;
      if (pv) {
        scalar_text(s, NULL, pv);
        return;
      }
    }
    sb_add(s, v->valuestring, strlen(v->valuestring));
  } else if (cJSON_IsNumber(v)) {
    sb_num(s, v->valuedouble);
  } else if (cJSON_IsTrue(v)) {
    sb_add(s, "1", 1);
  } else if (cJSON_IsObject(v)) {
    const char *fn = jstr(v, "filename");
    if (!fn) fn = jstr(v, "name");
    if (fn) sb_add(s, fn, strlen(fn));
  }
}

char *emu_cell_text(const emu_field *f, const cJSON *v) {
  sbuf s = {0};
  sb_add(&s, "", 0);
  if (cJSON_IsArray(v)) {
    const cJSON *e;
    int first = 1;
    cJSON_ArrayForEach(e, v) {
      if (!first) sb_add(&s, ", ", 2);
      first = 0;
      scalar_text(&s, f, e);
    }
  } else if (v) {
    scalar_text(&s, f, v);
  }
  return s.p;
}

/* ----------------------------------------------------------------- writes -- */

static int looks_like_record_id(const char *s) {
  if (strncmp(s, "rec", 3) != 0 || strlen(s) != 17) return 0;
  for (const char *p = s + 3; *p; p++)
    if (!strchr(ALNUM, *p)) return 0;
  return 1;
}

static int bad_value(emu_error *err, const emu_field *f) {
  emu_error_set(err, 422, "INVALID_VALUE_FOR_COLUMN", "Field \"%s\" cannot accept the provided value",
                f->name);
  return -1;
}

static int bad_choice(emu_error *err, const char *name) {
  emu_error_set(err, 422, "INVALID_MULTIPLE_CHOICE_OPTIONS",
                "Insufficient permissions to create new select option \"\"%s\"\"", name);
  return -1;
}

/* Validate and normalize one cell; *out is the value to store (NULL = clear). */
static int prepare_cell(emu_base *b, emu_field *f, const cJSON *v, int typecast, cJSON **out,
                        emu_error *err) {
  (void)b;
  *out = NULL;
  if (is_computed(f)) {
    emu_error_set(err, 422, "INVALID_VALUE_FOR_COLUMN",
                  "Field \"%s\" cannot accept a value because the field is computed", f->name);
    return -1;
  }
  if (cJSON_IsNull(v)) return 0;
  if (is_type(f, "multipleRecordLinks")) {
    if (typecast && cJSON_IsString(v)) {
      /* typecast accepts a single id or primary value instead of an array */
      cJSON *a = cJSON_CreateArray();
      cJSON_AddItemToArray(a, cJSON_Duplicate(v, 1));
      int rc = prepare_cell(b, f, a, 0, out, err);
      cJSON_Delete(a);
      return rc;
    }
    if (!cJSON_IsArray(v)) goto not_ids;
    cJSON *a = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
      if (!cJSON_IsString(e)) {
        cJSON_Delete(a);
        goto not_ids;
      }
      const char *id = e->valuestring;
      if (!emu_record_find(f->link, id)) {
        const emu_record *match = NULL;
        if (typecast && !looks_like_record_id(id)) {
          /* typecast matches link text against the primary field */
          const char *pn = f->link->fields[f->link->primary].name;
          for (size_t i = 0; i < f->link->nrecs && !match; i++) {
            const cJSON *pv = cJSON_GetObjectItemCaseSensitive(f->link->recs[i]->fields, pn);
            if (cJSON_IsString(pv) && strcmp(pv->valuestring, id) == 0) match = f->link->recs[i];
          }
        }
        if (!match) {
          cJSON_Delete(a);
          emu_error_set(err, 422, "ROW_DOES_NOT_EXIST", "Record ID %s does not exist in this table", id);
          return -1;
        }
        id = match->id;
      }
      /* Airtable drops repeated links silently */
      const cJSON *x;
      int dup = 0;
      cJSON_ArrayForEach(x, a) if (strcmp(x->valuestring, id) == 0) dup = 1;
      if (!dup) cJSON_AddItemToArray(a, cJSON_CreateString(id));
    }
    if (cJSON_GetArraySize(a) == 0) {
      cJSON_Delete(a);
      return 0;
    }
    *out = a;
    return 0;
  not_ids:
    emu_error_set(err, 422, "INVALID_VALUE_FOR_COLUMN", "Value is not an array of record IDs.");
    return -1;
  }
  if (is_type(f, "singleSelect")) {
    char nb[64];
    const char *name;
    if (cJSON_IsString(v)) {
      name = v->valuestring;
    } else if (typecast && cJSON_IsNumber(v)) {
      snprintf(nb, sizeof nb, "%.15g", v->valuedouble);
      name = nb;
    } else {
      return bad_value(err, f);
    }
    if (name[0] == '\0') return 0;
    if (!choice_find(f, name) && !typecast) return bad_choice(err, name);
    *out = cJSON_CreateString(name);
    return 0;
  }
  if (is_type(f, "multipleSelects")) {
    cJSON *a = cJSON_CreateArray();
    if (typecast && cJSON_IsString(v)) {
      /* typecast splits "a, b" the way pasting into the grid does */
      char *copy = strdup(v->valuestring), *save = NULL;
      if (!copy) abort();
      for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        size_t l = strlen(tok);
        while (l && tok[l - 1] == ' ') tok[--l] = '\0';
        if (l) cJSON_AddItemToArray(a, cJSON_CreateString(tok));
      }
      free(copy);
    } else if (cJSON_IsArray(v)) {
      const cJSON *e;
      cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsString(e)) {
          cJSON_Delete(a);
          return bad_value(err, f);
        }
        if (!choice_find(f, e->valuestring) && !typecast) {
          cJSON_Delete(a);
          return bad_choice(err, e->valuestring);
        }
        cJSON_AddItemToArray(a, cJSON_CreateString(e->valuestring));
      }
    } else {
      cJSON_Delete(a);
      return bad_value(err, f);
    }
    if (cJSON_GetArraySize(a) == 0) {
      cJSON_Delete(a);
      return 0;
    }
    *out = a;
    return 0;
  }
  if (is_number(f)) {
    if (cJSON_IsNumber(v)) {
      *out = cJSON_CreateNumber(v->valuedouble);
      return 0;
    }
    if (typecast && cJSON_IsString(v)) {
      char *end;
      const char *s = v->valuestring;
      while (*s == ' ') s++;
      if (*s == '\0') return 0;
      double d = strtod(s, &end);
      while (*end == ' ') end++;
      if (end != s && *end == '\0') {
        *out = cJSON_CreateNumber(d);
        return 0;
      }
    }
    return bad_value(err, f);
  }
  if (is_type(f, "checkbox")) {
    if (cJSON_IsBool(v)) {
      *out = cJSON_IsTrue(v) ? cJSON_CreateTrue() : NULL;
      return 0;
    }
    if (typecast && (cJSON_IsString(v) || cJSON_IsNumber(v))) {
      int on = cJSON_IsNumber(v) ? v->valuedouble != 0
                                 : (strcasecmp(v->valuestring, "true") == 0 ||
                                    strcasecmp(v->valuestring, "checked") == 0 ||
                                    strcmp(v->valuestring, "1") == 0);
      *out = on ? cJSON_CreateTrue() : NULL;
      return 0;
    }
    return bad_value(err, f);
  }
  if (is_text(f) || is_type(f, "date") || is_type(f, "dateTime")) {
    if (cJSON_IsString(v)) {
      *out = v->valuestring[0] ? cJSON_CreateString(v->valuestring) : NULL;
      return 0;
    }
    if (typecast && (cJSON_IsNumber(v) || cJSON_IsBool(v))) {
      char *s = emu_cell_text(NULL, v);
      *out = cJSON_CreateString(s);
      free(s);
      return 0;
    }
    return bad_value(err, f);
  }
  if (is_type(f, "multipleAttachments")) {
    if (!cJSON_IsArray(v)) return bad_value(err, f);
    const cJSON *e;
    cJSON_ArrayForEach(e, v) if (!cJSON_IsObject(e) || (!jstr(e, "url") && !jstr(e, "id"))) return bad_value(err, f);
    *out = cJSON_Duplicate(v, 1);
    return 0;
  }
  /* a type the emulator does not model: store what was sent */
  if (!is_empty(v)) *out = cJSON_Duplicate(v, 1);
  return 0;
}

int emu_prepare_fields(emu_base *b, emu_table *t, const cJSON *in, int typecast, cJSON **out,
                       emu_error *err) {
  *out = NULL;
  if (!cJSON_IsObject(in)) {
    emu_error_set(err, 422, "INVALID_REQUEST_UNKNOWN",
                  "Invalid request: parameter validation failed. Check your request data.");
    return -1;
  }
  cJSON *norm = cJSON_CreateObject();
  const cJSON *c;
  cJSON_ArrayForEach(c, in) {
    emu_field *f = emu_field_find(t, c->string);
    if (!f) {
      emu_error_set(err, 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"%s\"", c->string);
      cJSON_Delete(norm);
      return -1;
    }
    cJSON *v = NULL;
    if (prepare_cell(b, f, c, typecast, &v, err)) {
      cJSON_Delete(norm);
      return -1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(norm, f->name);
    cJSON_AddItemToObject(norm, f->name, v ? v : cJSON_CreateNull());
  }
  *out = norm;
  return 0;
}

/* ---------------------------------------------------------- inverse links -- */

static void link_remove(emu_record *r, const emu_field *f, const char *id) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(r->fields, f->name);
  if (!cJSON_IsArray(a)) return;
  for (int i = cJSON_GetArraySize(a) - 1; i >= 0; i--) {
    cJSON *e = cJSON_GetArrayItem(a, i);
    if (cJSON_IsString(e) && strcmp(e->valuestring, id) == 0) cJSON_DeleteItemFromArray(a, i);
  }
  if (cJSON_GetArraySize(a) == 0) cJSON_DeleteItemFromObjectCaseSensitive(r->fields, f->name);
}

static void link_add(emu_record *r, const emu_field *f, const char *id) {
  cJSON *a = cJSON_GetObjectItemCaseSensitive(r->fields, f->name);
  if (!cJSON_IsArray(a)) {
    cJSON_DeleteItemFromObjectCaseSensitive(r->fields, f->name);
    a = cJSON_AddArrayToObject(r->fields, f->name);
  }
  const cJSON *e;
  cJSON_ArrayForEach(e, a) if (cJSON_IsString(e) && strcmp(e->valuestring, id) == 0) return;
  cJSON_AddItemToArray(a, cJSON_CreateString(id));
}

static int array_has(const cJSON *a, const char *id) {
  const cJSON *e;
  cJSON_ArrayForEach(e, a) if (cJSON_IsString(e) && strcmp(e->valuestring, id) == 0) return 1;
  return 0;
}

/* Keep the other side of a link field in step with a change on this side. */
static void sync_inverse(const emu_field *f, const emu_record *r, const cJSON *oldv, const cJSON *newv) {
  if (!f->inverse) return;
  const cJSON *e;
  cJSON_ArrayForEach(e, oldv) {
    if (!cJSON_IsString(e) || array_has(newv, e->valuestring)) continue;
    emu_record *o = emu_record_find(f->link, e->valuestring);
    if (o) link_remove(o, f->inverse, r->id);
  }
  cJSON_ArrayForEach(e, newv) {
    if (!cJSON_IsString(e) || array_has(oldv, e->valuestring)) continue;
    emu_record *o = emu_record_find(f->link, e->valuestring);
    if (o) link_add(o, f->inverse, r->id);
  }
}

static void set_cell(emu_table *t, emu_record *r, const char *name, const cJSON *v) {
  emu_field *f = emu_field_find(t, name);
  cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(r->fields, name);
  if (f && is_select(f) && v) {
    /* only typecast lets an unknown choice through prepare: create it now */
    if (cJSON_IsString(v)) choice_add(f, v->valuestring, NULL, NULL);
    const cJSON *e;
    if (cJSON_IsArray(v)) cJSON_ArrayForEach(e, v) choice_add(f, e->valuestring, NULL, NULL);
  }
  if (v && !cJSON_IsNull(v)) cJSON_AddItemToObject(r->fields, name, cJSON_Duplicate(v, 1));
  if (f && f->link) sync_inverse(f, r, old, v && !cJSON_IsNull(v) ? v : NULL);
  cJSON_Delete(old);
}

emu_record *emu_apply_create(emu_table *t, cJSON *norm) {
  char id[EMU_ID_MAX], created[40];
  do emu_random_id("rec", id);
  while (emu_record_find(t, id));
  now_iso(created, sizeof created);
  emu_record *r = record_append(t, id, created, cJSON_CreateObject());
  const cJSON *c;
  cJSON_ArrayForEach(c, norm) set_cell(t, r, c->string, c);
  return r;
}

void emu_apply_update(emu_table *t, emu_record *r, const cJSON *norm, int replace) {
  if (replace) {
    /* PUT: every field not sent is cleared (collect names first: set_cell edits the list) */
    size_t n = (size_t)cJSON_GetArraySize(r->fields), k = 0;
    char **names = calloc(n + 1, sizeof *names);
    if (!names) abort();
    const cJSON *c;
    cJSON_ArrayForEach(c, r->fields) if (!cJSON_GetObjectItemCaseSensitive(norm, c->string)) names[k++] = xstrdup(c->string);
    for (size_t i = 0; i < k; i++) {
      set_cell(t, r, names[i], NULL);
      free(names[i]);
    }
    free(names);
  }
  const cJSON *c;
  cJSON_ArrayForEach(c, norm) set_cell(t, r, c->string, c);
}

int emu_delete_record(emu_base *b, emu_table *t, const char *id) {
  size_t i;
  for (i = 0; i < t->nrecs && strcmp(t->recs[i]->id, id) != 0; i++) {}
  if (i == t->nrecs) return -1;
  emu_record *r = t->recs[i];
  memmove(&t->recs[i], &t->recs[i + 1], (t->nrecs - i - 1) * sizeof *t->recs);
  t->nrecs--;
  index_rebuild(t);
  /* a deleted record disappears from every link cell that pointed at it */
  for (size_t ti = 0; ti < b->ntables; ti++) {
    emu_table *ot = &b->tables[ti];
    for (size_t fi = 0; fi < ot->nfields; fi++) {
      if (ot->fields[fi].link != t) continue;
      for (size_t ri = 0; ri < ot->nrecs; ri++) link_remove(ot->recs[ri], &ot->fields[fi], id);
    }
  }
  cJSON_Delete(r->fields);
  free(r);
  return 0;
}
