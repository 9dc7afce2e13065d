/* tax_data — layout of the generated skill taxonomy tables (core/tax_data.c,
 * written by tools/gen_taxonomy.py).  Internal to the tax module: only tax.c
 * and the generator know this layout, everyone else uses tax.h. */
#ifndef TD_TAX_DATA_H
#define TD_TAX_DATA_H

/* Alias flags: context rules for free text (the Skills field ignores them). */
enum {
  TAX_DATA_CAP = 1,   /* common English word: only when capitalised */
  TAX_DATA_CTX = 2,   /* only with another (unambiguous) tech skill nearby */
  TAX_DATA_EXACT = 4, /* written in capitals or with digits ("R", "TS", "k6") */
  TAX_DATA_LANG = 8,  /* human language: needs "native", "fluent"… nearby in a CV */
  TAX_DATA_BLOCK = 16 /* a phrase that is NOT the skill ("go to", "head chef") */
};

typedef struct tax_data_category { const char *name; int tech; } tax_data_category;
typedef struct tax_data_skill { const char *name; int category; } tax_data_skill;
typedef struct tax_data_alias { const char *key; int skill; int flags; } tax_data_alias;

extern const tax_data_category tax_data_categories[];
extern const int tax_data_n_categories;
extern const tax_data_skill tax_data_skills[];
extern const int tax_data_n_skills;
extern const tax_data_alias tax_data_aliases[]; /* sorted by key, keys unique */
extern const int tax_data_n_aliases;

#endif
