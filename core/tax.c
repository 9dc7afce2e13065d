/* tax — skill taxonomy index and free-text skill scanner.
 *
 * DESIGN.  The generated alias table (sorted, ~10k keys) is loaded into an
 * open-addressing hash keyed by the normalized alias (lower-case ASCII, one
 * space between words, hyphens as spaces).  Multi-word aliases also register
 * their first word as a "prefix" entry carrying the longest word count that
 * starts with it, so the scanner only tries longer windows where a longer
 * alias can exist: the scan is one hash probe per token in the common case.
 *
 * False positives are the real danger in CV text: "Go", "Swift", "Chef",
 * "Excel" are English words, "C" and "R" are letters.  Each alias carries
 * context flags (tax_data.h); a flagged match is kept only when the text
 * supports it (capitalised, an unflagged tech skill within a few tokens, a
 * language word near a human language).  Phrases such as "go to market" or
 * "head chef" are BLOCK entries: the longest match consumes them first. */
#include "tax.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tax_data.h"

#define KEY_MAX 128
#define NEIGHBOR_TOKENS 8
#define MAX_WORDS 8

typedef struct entry {
  const char *key;   /* NULL = empty slot */
  uint32_t keylen;
  uint32_t hash;
  int32_t alias;     /* index into tax_data_aliases, -1 = prefix only */
  uint8_t maxw;      /* longest alias (in words) starting with this key */
} entry;

static entry *g_tab;
static uint32_t g_mask;
static char *g_arena;       /* first words of multi-word aliases */
static int g_init_rc;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static entry *find_slot(const char *key, size_t n, uint32_t h) {
  uint32_t i = h & g_mask;
  for (;;) {
    entry *e = &g_tab[i];
    if (!e->key || (e->hash == h && e->keylen == n && memcmp(e->key, key, n) == 0))
      return e;
    i = (i + 1) & g_mask;
  }
}

static void put(const char *key, size_t n, int alias, int words) {
  uint32_t h = hash_bytes(key, n);
  entry *e = find_slot(key, n, h);
  if (!e->key) {
    e->key = key;
    e->keylen = (uint32_t)n;
    e->hash = h;
    e->alias = -1;
    e->maxw = 1;
  }
  if (alias >= 0) e->alias = alias;
  if (words > e->maxw) e->maxw = (uint8_t)(words > 255 ? 255 : words);
}

static void build(void) {
  size_t cap = 1;
  size_t need = (size_t)tax_data_n_aliases * 2u;
  while (cap < need * 2u) cap <<= 1;
  g_tab = calloc(cap, sizeof *g_tab);
  size_t arena_len = 0;
  for (int i = 0; i < tax_data_n_aliases; i++) arena_len += strlen(tax_data_aliases[i].key) + 1;
  g_arena = malloc(arena_len ? arena_len : 1);
  if (!g_tab || !g_arena) {
    free(g_tab);
    free(g_arena);
    g_tab = NULL;
    g_arena = NULL;
    g_init_rc = TD_ERR_NOMEM;
    return;
  }
  g_mask = (uint32_t)(cap - 1);
  size_t used = 0;
  for (int i = 0; i < tax_data_n_aliases; i++) {
    const char *k = tax_data_aliases[i].key;
    size_t n = strlen(k);
    int words = 1;
    for (size_t j = 0; j < n; j++) words += k[j] == ' ';
    put(k, n, i, words);
    if (words > 1) {
      size_t fw = (size_t)(strchr(k, ' ') - k);
      memcpy(g_arena + used, k, fw);
      g_arena[used + fw] = '\0';
      put(g_arena + used, fw, -1, words);
      used += fw + 1;
    }
  }
  g_init_rc = TD_OK;
}

int tax_init(void) {
  pthread_once(&g_once, build);
  return g_init_rc;
}

static const entry *lookup_key(const char *key, size_t n) {
  if (tax_init() != TD_OK || n == 0) return NULL;
  const entry *e = find_slot(key, n, hash_bytes(key, n));
  return e->key ? e : NULL;
}

/* Normalizes a user-typed name the way the generator normalizes keys. */
static size_t normalize(const char *in, size_t len, char *out, size_t cap) {
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < len && o + 1 < cap; i++) {
    unsigned char c = (unsigned char)in[i];
    /* U+2010..U+2015 (hyphens and dashes) are E2 80 90..95 */
    if (c == 0xE2 && i + 2 < len && (unsigned char)in[i + 1] == 0x80 &&
        (unsigned char)in[i + 2] >= 0x90 && (unsigned char)in[i + 2] <= 0x95) {
      c = '-';
      i += 2;
    }
    if (c == '-' || isspace(c)) {
      space = o > 0;
      continue;
    }
    if (space) {
      out[o++] = ' ';
      space = 0;
      if (o + 1 >= cap) break;
    }
    out[o++] = (char)(c < 0x80 ? tolower(c) : c);
  }
  while (o > 0 && strchr(".,;:", out[o - 1])) o--;
  size_t s = 0;
  while (s < o && strchr(".,;:", out[s]) && !(out[s] == '.' && s + 1 < o && isalnum((unsigned char)out[s + 1]))) s++;
  if (s) memmove(out, out + s, o - s);
  o -= s;
  out[o] = '\0';
  return o;
}

int tax_lookup(const char *name, size_t len) {
  char key[KEY_MAX];
  if (!name) return -1;
  size_t n = normalize(name, len, key, sizeof key);
  const entry *e = lookup_key(key, n);
  if (!e || e->alias < 0) return -1;
  return tax_data_aliases[e->alias].skill; /* -1 for BLOCK phrases */
}

const char *tax_skill_name(int id) {
  return id >= 0 && id < tax_data_n_skills ? tax_data_skills[id].name : "";
}

int tax_skill_category(int id) {
  return id >= 0 && id < tax_data_n_skills ? tax_data_skills[id].category : 0;
}

const char *tax_category_name(int category) {
  return category > 0 && category < tax_data_n_categories ? tax_data_categories[category].name : "";
}

int tax_category_is_tech(int category) {
  return category > 0 && category < tax_data_n_categories ? tax_data_categories[category].tech : 0;
}

int tax_skill_is_tech(int id) { return tax_category_is_tech(tax_skill_category(id)); }

int tax_skill_count(void) { return tax_data_n_skills; }

int tax_canonical(const char *in, char *out, size_t outlen) {
  if (!out || outlen == 0) return -1;
  out[0] = '\0';
  if (!in) return -1;
  size_t len = strlen(in);
  int id = tax_lookup(in, len);
  const char *src = in;
  size_t n = len;
  if (id >= 0) {
    src = tax_skill_name(id);
    n = strlen(src);
  } else {
    while (n && isspace((unsigned char)src[0])) src++, n--;
    while (n && isspace((unsigned char)src[n - 1])) n--;
  }
  if (n >= outlen) {
    n = outlen - 1;
    /* do not cut a UTF-8 sequence in half */
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  }
  memcpy(out, src, n);
  out[n] = '\0';
  return id;
}

/* ------------------------------------------------------------- scanning */

enum { SEP_NONE = 0, SEP_SPACE, SEP_COMMA, SEP_SENT, SEP_SLASH };

typedef struct token {
  uint32_t start, end;  /* byte span in the text */
  uint32_t low;         /* offset of the lower-case copy in the scratch buffer */
  uint16_t lowlen;
  uint8_t sep_before;   /* SEP_* between the previous token and this one */
  uint8_t cap;          /* first letter upper case */
  uint8_t has_lower;    /* any lower-case ASCII letter */
  uint8_t has_digit;
} token;

static int is_tokch(unsigned char c) {
  return isalnum(c) || c >= 0x80 || c == '+' || c == '#' || c == '.' || c == '&' ||
         c == '\'' || c == '/' || c == '_';
}

typedef struct scan {
  const char *text;
  token *tok;
  size_t ntok, cap;
  char *low;
  size_t lowlen, lowcap;
} scan;

static int push_token(scan *s, size_t a, size_t b, int sep) {
  if (b <= a) return 0;
  if (s->ntok == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 256;
    token *t = realloc(s->tok, nc * sizeof *t);
    if (!t) return -1;
    s->tok = t;
    s->cap = nc;
  }
  if (s->lowlen + (b - a) + 1 > s->lowcap) {
    size_t nc = (s->lowcap ? s->lowcap * 2 : 4096) + (b - a);
    char *l = realloc(s->low, nc);
    if (!l) return -1;
    s->low = l;
    s->lowcap = nc;
  }
  token *t = &s->tok[s->ntok++];
  memset(t, 0, sizeof *t);
  t->start = (uint32_t)a;
  t->end = (uint32_t)b;
  t->low = (uint32_t)s->lowlen;
  t->lowlen = (uint16_t)((b - a) > 0xFFFF ? 0xFFFF : (b - a));
  t->sep_before = (uint8_t)sep;
  for (size_t i = a; i < b; i++) {
    unsigned char c = (unsigned char)s->text[i];
    if (isupper(c) && i == a) t->cap = 1;
    if (islower(c)) t->has_lower = 1;
    if (isdigit(c)) t->has_digit = 1;
    s->low[s->lowlen++] = (char)(c < 0x80 ? tolower(c) : c);
  }
  s->low[s->lowlen++] = '\0';
  return 0;
}

/* Is this lower-case word (part of) a known key?  Used to keep "CI/CD" and
 * "A/B" whole while splitting "Python/Django". */
static int known_word(const char *w, size_t n) { return lookup_key(w, n) != NULL; }

static int tokenize(scan *s, size_t len) {
  const char *t = s->text;
  size_t i = 0;
  int sep = SEP_SENT;
  char tmp[KEY_MAX];
  while (i < len) {
    unsigned char c = (unsigned char)t[i];
    if (!is_tokch(c)) {
      if (c == ',' || c == ';' || c == '(' || c == ')' || c == '[' || c == ']' || c == '"') {
        if (sep < SEP_COMMA) sep = SEP_COMMA;
        if (c == ';' && sep < SEP_SENT) sep = SEP_SENT;
      } else if (c == ':' || c == '!' || c == '?' || c == '\n' || c == '|' || c == '*') {
        sep = SEP_SENT;
      } else if (sep < SEP_SPACE) {
        sep = SEP_SPACE;
      }
      i++;
      continue;
    }
    /* UTF-8 dashes and bullets are separators, not word characters */
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] >= 0x90 && (unsigned char)t[i + 2] <= 0xA2)) {
      if ((unsigned char)t[i + 2] == 0xA2) sep = SEP_SENT; /* bullet */
      else if (sep < SEP_SPACE) sep = SEP_SPACE;
      i += 3;
      continue;
    }
    size_t a = i;
    while (i < len && is_tokch((unsigned char)t[i]) &&
           !((unsigned char)t[i] == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
             (unsigned char)t[i + 2] >= 0x90 && (unsigned char)t[i + 2] <= 0xA2))
      i++;
    size_t b = i;
    int end_sent = 0;
    /* trailing sentence punctuation and possessives */
    for (;;) {
      if (b > a + 1 && t[b - 1] == '.') {
        b--;
        end_sent = 1;
      } else if (b > a + 2 && t[b - 2] == '\'' && (t[b - 1] == 's' || t[b - 1] == 'S')) {
        b -= 2;
      } else if (b > a && (t[b - 1] == '\'' || t[b - 1] == '/' || t[b - 1] == '&')) {
        b--;
      } else {
        break;
      }
    }
    while (a < b && (t[a] == '\'' || t[a] == '/' || t[a] == '&' ||
                     (t[a] == '.' && !(a + 1 < b && isalpha((unsigned char)t[a + 1])))))
      a++;
    if (b > a) {
      /* an abbreviation such as "B.Sc." or "e.g." does not end a sentence */
      if (end_sent && memchr(t + a, '.', b - a)) end_sent = 0;
      const char *slash = memchr(t + a, '/', b - a);
      size_t n = b - a;
      int whole = 1;
      if (slash && n < sizeof tmp) {
        for (size_t k = 0; k < n; k++) {
          unsigned char ch = (unsigned char)t[a + k];
          tmp[k] = (char)(ch < 0x80 ? tolower(ch) : ch);
        }
        whole = known_word(tmp, n);
      }
      if (whole) {
        if (push_token(s, a, b, sep)) return -1;
      } else {
        size_t p = a;
        int sp = sep;
        while (p < b) {
          size_t q = p;
          while (q < b && t[q] != '/') q++;
          if (push_token(s, p, q, sp)) return -1;
          sp = SEP_SLASH;
          p = q + 1;
        }
      }
      sep = end_sent ? SEP_SENT : SEP_NONE;
    }
  }
  return 0;
}

static const char *tok_low(const scan *s, size_t i) { return s->low + s->tok[i].low; }

static int tok_is(const scan *s, size_t i, const char *w) {
  return i < s->ntok && strcmp(tok_low(s, i), w) == 0;
}

static const char *const LANG_WORDS[] = {
  "native", "fluent", "fluently", "speak", "speaks", "spoken", "language", "languages",
  "mother", "tongue", "proficient", "proficiency", "bilingual", "conversational",
  "understand", "read", "write", "written", "business", "working", "basic", "a1", "a2",
  "b1", "b2", "c1", "c2", "level", "intermediate", "advanced", NULL};

static int lang_context(const scan *s, size_t ti, size_t tn) {
  size_t lo = ti > 3 ? ti - 3 : 0, hi = ti + tn + 3;
  for (size_t j = lo; j < hi && j < s->ntok; j++) {
    if (j >= ti && j < ti + tn) continue;
    for (int k = 0; LANG_WORDS[k]; k++)
      if (tok_is(s, j, LANG_WORDS[k])) return 1;
  }
  return 0;
}

/* ISO 4217 codes people write next to pay.  "Salary CAD 124,000" is
 * Canadian dollars, not computer-aided design; the same letters stay a
 * skill in "CAD and Revit". */
static const char *const CURRENCY_CODES[] = {"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD",
  "SEK", "DKK", "NOK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN", "HRK", "RSD", "UAH", "TRY",
  "ILS", "AED", "SAR", "INR", "JPY", "CNY", "HKD", "SGD", "KRW", "ZAR", "BRL", "MXN", "ARS",
  NULL};
static const char *const PAY_WORDS[] = {"salary", "salaries", "compensation", "pay", "paid",
  "payment", "wage", "wages", "remuneration", "income", "budget", "rate", "stipend", "gross",
  "per", "annum", "annually", "yearly", "monthly", "hourly", "currency", "bonus", NULL};

/* An amount: digits with separators, optionally "k"/"m" ("124", "000", "80k"). */
static int tok_amount(const scan *s, size_t i) {
  const char *w = tok_low(s, i);
  size_t n = s->tok[i].lowlen, d = 0;
  if (n && (w[n - 1] == 'k' || w[n - 1] == 'm')) n--;
  for (size_t k = 0; k < n; k++) {
    if (isdigit((unsigned char)w[k])) d++;
    else if (w[k] != '.' && w[k] != ',') return 0;
  }
  return d > 0;
}

/* A currency code beside an amount or in a pay clause is money. */
static int currency_context(const scan *s, size_t ti) {
  const token *t = &s->tok[ti];
  if (t->end - t->start != 3 || t->has_lower) return 0;
  char code[4];
  memcpy(code, s->text + t->start, 3);
  code[3] = '\0';
  int known = 0;
  for (int i = 0; CURRENCY_CODES[i] && !known; i++) known = !strcmp(code, CURRENCY_CODES[i]);
  if (!known) return 0;
  if (ti + 1 < s->ntok && s->tok[ti + 1].sep_before <= SEP_SPACE && tok_amount(s, ti + 1)) return 1;
  if (ti > 0 && t->sep_before <= SEP_SPACE && tok_amount(s, ti - 1)) return 1;
  size_t lo = ti > 4 ? ti - 4 : 0, hi = ti + 3;
  for (size_t j = lo; j < hi && j < s->ntok; j++) {
    if (j == ti) continue;
    for (int k = 0; PAY_WORDS[k]; k++)
      if (tok_is(s, j, PAY_WORDS[k])) return 1;
  }
  return 0;
}

typedef struct cand {
  tax_hit h;
  uint32_t ntok;
  int flags;
  int pending;
} cand;

int tax_scan(const char *text, size_t len, int mode, tax_hit *hits, int max) {
  if (!text || max <= 0) return 0;
  if (tax_init() != TD_OK) return -1;
  scan s = {.text = text};
  cand *cs = NULL;
  size_t nc = 0, ccap = 0;
  int out = -1;
  char key[KEY_MAX];
  if (tokenize(&s, len)) goto done;

  for (size_t i = 0; i < s.ntok;) {
    const token *t0 = &s.tok[i];
    const entry *e = lookup_key(tok_low(&s, i), t0->lowlen);
    if (!e) {
      i++;
      continue;
    }
    size_t maxw = e->maxw > MAX_WORDS ? MAX_WORDS : e->maxw;
    size_t matched = 0;
    int alias = -1;
    for (size_t w = maxw; w >= 1; w--) {
      if (i + w > s.ntok) continue;
      size_t kn = 0;
      int ok = 1;
      for (size_t j = 0; j < w && ok; j++) {
        const token *tj = &s.tok[i + j];
        /* a multi-word skill never spans a comma, a sentence or a slash */
        if (j > 0 && tj->sep_before != SEP_NONE && tj->sep_before != SEP_SPACE) ok = 0;
        if (kn + tj->lowlen + 2 > sizeof key) ok = 0;
        if (!ok) break;
        if (j > 0) key[kn++] = ' ';
        memcpy(key + kn, tok_low(&s, i + j), tj->lowlen);
        kn += tj->lowlen;
      }
      if (!ok) continue;
      const entry *m = w == 1 ? e : lookup_key(key, kn);
      if (m && m->alias >= 0) {
        matched = w;
        alias = m->alias;
        break;
      }
    }
    if (!matched) {
      i++;
      continue;
    }
    const tax_data_alias *al = &tax_data_aliases[alias];
    if (al->flags & TAX_DATA_BLOCK || al->skill < 0 ||
        (mode != TAX_SCAN_LIST && matched == 1 && currency_context(&s, i))) {
      i += matched;
      continue;
    }
    if (nc == ccap) {
      size_t ncap = ccap ? ccap * 2 : 64;
      cand *p = realloc(cs, ncap * sizeof *p);
      if (!p) goto done;
      cs = p;
      ccap = ncap;
    }
    cand *c = &cs[nc++];
    memset(c, 0, sizeof *c);
    c->h.skill = al->skill;
    c->h.start = t0->start;
    c->h.end = s.tok[i + matched - 1].end;
    c->h.token = (uint32_t)i;
    c->ntok = (uint32_t)matched;
    c->flags = mode == TAX_SCAN_LIST ? 0 : al->flags;
    c->pending = (c->flags & (TAX_DATA_CAP | TAX_DATA_CTX | TAX_DATA_EXACT | TAX_DATA_LANG)) != 0;
    i += matched;
  }

  /* Resolve context rules.  Pass 0 settles matches that need no neighbour
   * ("Cypress" capitalised mid-sentence), so they can vouch for the others in
   * pass 1 ("Playwright or Cypress" at the start of a sentence). */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t k = 0; k < nc; k++) {
      cand *c = &cs[k];
      if (c->pending != 1) continue;
      const token *t0 = &s.tok[c->h.token];
      int ok = 1;
      int need_neighbor = (c->flags & TAX_DATA_CTX) != 0;
      if (c->flags & TAX_DATA_EXACT) {
        int any_lower = 0, any_digit = 0;
        for (uint32_t j = 0; j < c->ntok; j++) {
          any_lower |= s.tok[c->h.token + j].has_lower;
          any_digit |= s.tok[c->h.token + j].has_digit;
        }
        if (any_lower && !any_digit) ok = 0;
      }
      if (c->flags & TAX_DATA_CAP) {
        if (!t0->cap) ok = 0;
        else if (t0->sep_before == SEP_SENT) need_neighbor = 1; /* "Go to…" */
      }
      if (ok && (c->flags & TAX_DATA_LANG) && mode == TAX_SCAN_CV)
        ok = lang_context(&s, c->h.token, c->ntok);
      if (ok && need_neighbor) {
        if (pass == 0) continue;
        int found = 0;
        for (size_t j = 0; j < nc && !found; j++) {
          if (j == k || cs[j].pending || !tax_skill_is_tech(cs[j].h.skill)) continue;
          uint32_t a = cs[j].h.token, b = c->h.token;
          uint32_t d = a > b ? a - b : b - a;
          if (d <= NEIGHBOR_TOKENS) found = 1;
        }
        ok = found;
      }
      c->pending = ok ? 0 : 2;
      c->h.ambiguous = 1;
    }
  }

  out = 0;
  for (size_t k = 0; k < nc && out < max; k++) {
    if (cs[k].pending) continue;
    hits[out] = cs[k].h;
    hits[out].or_next = 0;
    hits[out].slash_next = 0;
    /* relation to the next accepted match */
    for (size_t n = k + 1; n < nc; n++) {
      if (cs[n].pending) continue;
      uint32_t after = cs[k].h.token + cs[k].ntok, nt = cs[n].h.token;
      if (nt == after && s.tok[nt].sep_before == SEP_SLASH) hits[out].slash_next = 1;
      if (nt == after + 1 && tok_is(&s, after, "or") && s.tok[after].sep_before <= SEP_SPACE &&
          s.tok[nt].sep_before <= SEP_SPACE)
        hits[out].or_next = 1;
      break;
    }
    out++;
  }
done:
  free(s.tok);
  free(s.low);
  free(cs);
  return out;
}
