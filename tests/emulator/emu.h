/* emu — internal API shared by the Airtable emulator's source files.
 *
 * The emulator is a test double, not part of talentd: it keeps one Airtable
 * base in memory and answers the REST API with Airtable's documented
 * semantics so that talentd's client, its rate limiter and its error handling
 * can be exercised without the network.  The files split along the lines a
 * reader would look for: emu_base.c (the data model and every write rule),
 * emu_formula.c (filterByFormula), emu_main.c (HTTP, routing, rate limiting,
 * faults and the control API).  One mutex in emu_main.c guards the whole base,
 * so nothing here is thread-safe on its own. */
#ifndef EMU_H
#define EMU_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define EMU_ID_MAX 32

typedef struct emu_choice {
  char *id;
  char *name;
  char *color;
} emu_choice;

struct emu_table;

typedef struct emu_field {
  char *id;
  char *name;
  char *type;
  cJSON *options;            /* as loaded, without "choices" (rebuilt on output) */
  emu_choice *choices;       /* select fields only */
  size_t nchoices, capchoices;
  struct emu_table *link;    /* multipleRecordLinks: the linked table */
  struct emu_field *inverse; /* the field on the other side, when declared */
} emu_field;

typedef struct emu_record {
  char id[EMU_ID_MAX];
  char created[40];
  cJSON *fields; /* object keyed by field name; empty values never stored */
} emu_record;

typedef struct emu_table {
  char *id;
  char *name;
  char *view_id;
  size_t primary; /* index into fields */
  emu_field *fields;
  size_t nfields;
  emu_record **recs; /* stable order: fixture order, then creation order */
  size_t nrecs, caprecs;
  size_t *slots; /* open-addressing index by record id: recs index + 1 */
  size_t nslots;
} emu_table;

typedef struct emu_base {
  char *id;
  emu_table *tables;
  size_t ntables;
} emu_base;

typedef struct emu_error {
  int status;
  char type[64];
  char message[600];
} emu_error;

/* Settings the answers depend on (set once by main before serving). */
extern int emu_port;
extern const char *emu_files_dir;

/* ---- ids and randomness (emu_base.c) ---- */
void emu_seed(uint64_t seed);
/* Fresh random id: prefix + 14 letters/digits. */
void emu_random_id(const char *prefix, char out[EMU_ID_MAX]);
/* Stable id derived from two strings (for select choices, views, attachments). */
void emu_hash_id(const char *prefix, const char *a, const char *b, char out[EMU_ID_MAX]);
void emu_error_set(emu_error *e, int status, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- the base (emu_base.c) ---- */
emu_base *emu_base_load(const cJSON *fixture, char *err, size_t errlen);
void emu_base_free(emu_base *b);
cJSON *emu_base_dump(const emu_base *b);
cJSON *emu_base_meta(const emu_base *b);
emu_table *emu_table_find(emu_base *b, const char *id_or_name);
emu_field *emu_field_find(emu_table *t, const char *name_or_id);
emu_record *emu_record_find(const emu_table *t, const char *id);
/* A record as the API answers it.  only/nonly restrict the fields (fields[]);
 * by_id keys them by field id (returnFieldsByFieldId). */
cJSON *emu_record_json(const emu_table *t, const emu_record *r, emu_field *const *only, size_t nonly,
                       int by_id);
/* Text of a cell as formulas and sorting see it (links: primary values of the
 * linked records, arrays joined with ", "); caller frees. */
char *emu_cell_text(const emu_field *f, const cJSON *v);

/* Writes happen in two steps so that a batch is all-or-nothing: prepare
 * validates one record's "fields" into a normalized object (field name ->
 * value, or JSON null for "clear"), apply changes the base and keeps inverse
 * links consistent.  prepare returns 0 or fills err. */
int emu_prepare_fields(emu_base *b, emu_table *t, const cJSON *in, int typecast, cJSON **out,
                       emu_error *err);
emu_record *emu_apply_create(emu_table *t, cJSON *norm);
void emu_apply_update(emu_table *t, emu_record *r, const cJSON *norm, int replace);
/* Removes the record and every link to it; 0 when done, -1 when missing. */
int emu_delete_record(emu_base *b, emu_table *t, const char *id);

/* ---- filterByFormula (emu_formula.c) ---- */
typedef struct emu_formula emu_formula;
emu_formula *emu_formula_parse(const char *src, emu_table *t, char *err, size_t errlen);
int emu_formula_match(const emu_formula *f, const emu_table *t, const emu_record *r);
void emu_formula_free(emu_formula *f);

#endif
