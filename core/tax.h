/* tax — the skill taxonomy: canonical names, aliases, categories, and a
 * scanner that finds skills in free text.
 *
 * The tables are generated (core/tax_data.c, tools/gen_taxonomy.py) and turned
 * into an open-addressing hash once per process by tax_init(), which is
 * thread-safe (pthread_once) and cheap (~1 ms), so worker threads share one
 * read-only index.  Every lookup is case-insensitive.  Pure: no I/O. */
#ifndef TD_TAX_H
#define TD_TAX_H

#include <stddef.h>
#include <stdint.h>

/* Builds the index.  Safe to call from many threads, any number of times;
 * every other tax_ function calls it.  Returns 0 (TD_OK) or TD_ERR_NOMEM. */
int tax_init(void);

/* Skill id for a name or alias as written ("k8s", "Postgres", "golang"),
 * ignoring free-text context rules; -1 when unknown.  Leading/trailing space
 * and punctuation are ignored, hyphens count as spaces. */
int tax_lookup(const char *name, size_t len);

/* Canonical name of a skill id; "" for a bad id. */
const char *tax_skill_name(int id);
/* Category id of a skill (1..), 0 for a bad id. */
int tax_skill_category(int id);
const char *tax_category_name(int category);
/* 1 when a category is technical (software, cloud, data…), else 0. */
int tax_category_is_tech(int category);
int tax_skill_is_tech(int id);
/* Number of skills in the taxonomy (ids are 0..n-1). */
int tax_skill_count(void);

/* Canonical form of a user-typed skill: the taxonomy name when known, else
 * the input trimmed of surrounding space (kept as written, never dropped).
 * Writes a NUL-terminated string to out (truncated to outlen) and returns the
 * skill id or -1. */
int tax_canonical(const char *in, char *out, size_t outlen);

/* Scan modes: how much free-text context a match needs. */
enum {
  TAX_SCAN_CV = 0,   /* a CV: every context rule applies */
  TAX_SCAN_JOB = 1,  /* a job text: human languages need no context */
  TAX_SCAN_LIST = 2  /* a list the user typed as skills: no context rules */
};

/* One skill found in text. */
typedef struct tax_hit {
  int skill;          /* skill id */
  uint32_t start, end;/* byte span in the text */
  uint32_t token;     /* index of the first token, for distances */
  uint8_t or_next;    /* joined to the next hit by "or" / "either…or" */
  uint8_t slash_next; /* joined to the next hit by "/" ("Tableau/Looker") */
  uint8_t ambiguous;  /* accepted through a context rule */
} tax_hit;

/* Finds skills in text, longest match first ("Spring Boot" before
 * "Spring"); tokens like C++, C#, .NET, Node.js, CI/CD and A/B survive.
 * Writes at most max hits in text order and returns how many were written
 * (0 on a NULL text), or -1 when out of memory. */
int tax_scan(const char *text, size_t len, int mode, tax_hit *hits, int max);

#endif
