/* match — candidate index and ranking (see match.h for the contract).
 *
 * DESIGN
 *
 * Layout.  A match run touches every candidate, so the index is a structure
 * of arrays indexed by a slot number: one array per scalar feature (years as
 * float, seniority and work preference as bytes, country as two packed
 * letters, ...), and two flat pools with per-slot offsets, one for skills
 * (skill id as uint16 interned from the case-folded canonical name, rating
 * and flags as bytes, last year of use as int16) and one for text (unique
 * 32-bit term hashes with a byte of term frequency).  A run streams these
 * arrays front to back; nothing is a pointer per candidate.
 *
 * Updates.  put() of a known record id rewrites the slot's scalars in place
 * and appends its new skills and terms to the pools, leaving the old ones as
 * garbage; remove() marks the slot dead and puts it on a free list.  When
 * garbage passes half a pool, the pool is compacted under the write lock.
 * Document frequencies for BM25 are kept incrementally in a hash map.
 *
 * Locking.  One writer, many readers: a pthread rwlock that prefers writers.
 * A run holds the read lock for one chunk of MATCH_CHUNK slots at a time
 * (well under a millisecond), re-reading the slot count and the pool pointers
 * each time, so a writer never waits for a whole run and a compaction in
 * between chunks is harmless.  What a run sees is therefore not one
 * snapshot: a candidate replaced mid-run is scored in either version, and a
 * candidate removed and re-added under a new slot could be seen twice, which
 * the heap absorbs by refusing a record id it already holds.  The query's
 * text statistics (IDF, average length) are taken once, at the start.
 *
 * Scoring.  Hard filters first (exclusion set, work arrangement, salary
 * ceiling), each pass / fail / unknown; only a fail removes.  Then
 *   relevance = weighted mean of skills, text and (with feedback) feedback,
 *   score     = relevance * prod over experience, role, location, salary of
 *               (1 - w_k * (1 - v_k)), where an unknown v_k gives exactly 1.
 * Relevance is the evidence that this person does this work; the factors can
 * only take away, for a reason that can be named.  That split is what keeps
 * missing data neutral (an unknown salary is a factor of 1, the same as a
 * salary inside the range) and an empty profile at 0.  The factors are
 * multiplicative rather than additive because the hard negatives a recruiter
 * rejects (a recruiter who lists the whole stack, a junior with the exact
 * stack) have near-perfect relevance, and only a product can pull them below
 * a genuine candidate with one gap.
 *
 * Skills.  Each job skill is a requirement of some importance (named in the
 * title 2, technical 1, practice / soft / language 0.4); required skills
 * that are alternatives (alt_group) form one group credited by its best
 * member.  A candidate skill proves a job skill by the same canonical name
 * (case-folded), or at 0.9 by a specialisation ("Spring Boot" for
 * "Spring").  Its credit is rating x evidence (at work 1, listed only 0.6
 * and less in a long unbacked list, aspirational 0.15) x a mild decay for
 * old use.  skills = (1 - nice_share) x weighted required coverage +
 * nice_share x weighted nice coverage.  Staleness of the whole profile
 * (last_tech_year) and leadership for lead roles live in experience; the
 * person's function (recruiter, sales, facilities) lives in role.
 *
 * Location.  For an on-site or hybrid job the question is the commute.
 * When both cities' coordinates are known, the fit follows the great-circle
 * distance to the office alone: 1 within a metropolitan area (30 km), a
 * little under 1 up to a commutable distance (60 km on-site, 80 km hybrid:
 * fewer trips), then a smoothstep down to the relocation level, reached at
 * three times the commutable distance.  A border does not matter while the
 * distance is commutable (Malmö for a Copenhagen office, 28 km); beyond,
 * the relocation level is the one used without coordinates: 0.8 within the
 * country, 0.6 from abroad in the same time zone, 0.45 otherwise (moving
 * countries is harder than moving cities), and a candidate who wants remote
 * work fails only when abroad and out of commuting range.  Without
 * coordinates (a country without a city, an unknown city) the country, city
 * name and time zone decide as before, so unknown costs nothing.  A remote
 * job ignores distance: its region list, else the time-zone gap, decides.
 * With arrangement unknown only the country says something.  Coordinates sit
 * in the index as int16 hundredths of a degree (~1 km); (0, 0) is what a
 * zero-initialised model holds, not a city, and counts as unknown.  A
 * latitude gap beyond the relocation distance skips the trigonometry.
 *
 * Speed.  Cheap components first; the text component (BM25) is the costly
 * one, and it is skipped when even a perfect text score could not lift the
 * candidate above the current heap minimum.  Query terms sit in a small
 * open-addressing table behind a 16 Kbit bitmap, so a candidate's term that
 * is not in the query costs one bit test. */
#include "match.h"
#include "match_geo.h"
#include "geo.h"
#include "norm.h"
#include "tax.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MATCH_CHUNK 4096          /* slots scanned per read-lock hold */
#define SKILL_NONE 0xFFFFu        /* skill id space exhausted: unmatchable */
#define MAX_QTERMS 2048
#define QBITS 14                  /* bitmap of 2^14 bits in front of the query table */
#define BM25_K1 1.2
#define BM25_B 0.75

/* ---- small utilities ------------------------------------------------------ */

static uint64_t fnv64_fold(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) {
    h ^= (unsigned char)tolower((unsigned char)*s);
    h *= 1099511628211ull;
  }
  return h ? h : 1;
}

static uint64_t fnv64(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h ? h : 1;
}

static uint64_t mix64(uint64_t x)
{
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

static double clamp01(double x)
{
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* ---- u64 -> u32 open-addressing map (key 0 = empty) ----------------------- */

typedef struct u64map {
  uint64_t *keys;
  uint32_t *vals;
  size_t cap, n;   /* cap is a power of two */
} u64map;

static void map_free(u64map *m)
{
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static uint32_t *map_get(const u64map *m, uint64_t k)
{
  if (!m->cap)
    return NULL;
  size_t mask = m->cap - 1;
  for (size_t i = mix64(k) & mask;; i = (i + 1) & mask) {
    if (m->keys[i] == k)
      return &m->vals[i];
    if (!m->keys[i])
      return NULL;
  }
}

static td_err map_grow(u64map *m)
{
  size_t cap = m->cap ? m->cap * 2 : 64;
  u64map nm = {calloc(cap, sizeof(uint64_t)), calloc(cap, sizeof(uint32_t)), cap, 0};
  if (!nm.keys || !nm.vals) {
    map_free(&nm);
    return TD_ERR_NOMEM;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t j = mix64(m->keys[i]) & (cap - 1);
    while (nm.keys[j])
      j = (j + 1) & (cap - 1);
    nm.keys[j] = m->keys[i];
    nm.vals[j] = m->vals[i];
    nm.n++;
  }
  map_free(m);
  *m = nm;
  return TD_OK;
}

/* Returns the value cell for k, inserting it with value `init` if absent. */
static uint32_t *map_put(u64map *m, uint64_t k, uint32_t init)
{
  if ((m->n + 1) * 10 > m->cap * 7 && map_grow(m))
    return NULL;
  size_t mask = m->cap - 1;
  size_t i = mix64(k) & mask;
  while (m->keys[i] && m->keys[i] != k)
    i = (i + 1) & mask;
  if (!m->keys[i]) {
    m->keys[i] = k;
    m->vals[i] = init;
    m->n++;
  }
  return &m->vals[i];
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void map_del(u64map *m, uint64_t k)
{
  if (!m->cap)
    return;
  size_t mask = m->cap - 1;
  size_t i = mix64(k) & mask;
  while (m->keys[i] != k) {
    if (!m->keys[i])
      return;
    i = (i + 1) & mask;
  }
  size_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!m->keys[j])
      break;
    size_t home = mix64(m->keys[j]) & mask;
    /* move j back to i unless its home lies cyclically in (i, j] */
    if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
      m->keys[i] = m->keys[j];
      m->vals[i] = m->vals[j];
      i = j;
    }
  }
  m->keys[i] = 0;
  m->n--;
}

/* ---- tokenizer ------------------------------------------------------------ */

/* Tokens keep + # and inner dots so that C++, C#, Node.js and .NET survive
 * (the OpenCATS lesson); bytes >= 0x80 are letters so that UTF-8 words stay
 * whole.  Case-folded FNV-1a, 32 bits: collisions cost a little precision in
 * BM25, never correctness. */
static int tok_char(unsigned char c)
{
  return isalnum(c) || c == '+' || c == '#' || c >= 0x80;
}

typedef void (*tok_fn)(uint32_t term, void *ctx);

static size_t tokenize(const char *s, tok_fn fn, void *ctx)
{
  size_t count = 0;
  if (!s)
    return 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (!tok_char(*p) && !(*p == '.' && tok_char(p[1]) && p[1] != '+' && p[1] != '#')) {
      p++;
      continue;
    }
    uint32_t h = 2166136261u;
    size_t len = 0;
    while (*p && (tok_char(*p) || (*p == '.' && tok_char(p[1])))) {
      h ^= (unsigned char)tolower(*p);
      h *= 16777619u;
      p++;
      len++;
    }
    if (len) {
      fn(h, ctx);
      count++;
    }
  }
  return count;
}

static uint32_t term_hash(const char *word)
{
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)word; *p; p++) {
    h ^= (unsigned char)tolower(*p);
    h *= 16777619u;
  }
  return h;
}

/* ---- the index ------------------------------------------------------------ */

struct match_index {
  pthread_rwlock_t lock;

  /* per slot */
  size_t n_slots, cap_slots;
  char (*rec)[MODEL_ID_LEN];
  uint64_t *rec_hash;
  uint8_t *alive;
  float *years;         /* NAN unknown; years_recent_tech when given */
  float *lead;          /* leadership evidence in [0,1], NAN unknown */
  float *salary;        /* raw yearly value, NAN unknown */
  uint8_t *cur;         /* FX index, 0 unknown */
  uint8_t *sen;         /* model_seniority */
  uint8_t *pref;        /* model_workpref */
  uint16_t *country;    /* packed alpha-2, 0 unknown */
  uint32_t *city;       /* case-folded hash, 0 unknown */
  int16_t *tzq;         /* UTC offset in quarter hours, INT16_MIN unknown */
  int16_t *lat, *lon;   /* city coordinates in hundredths of a degree, INT16_MIN unknown */
  int32_t *role;        /* role family (norm_role), 0 unknown */
  int16_t *ltech;       /* last year of technical work, 0 unknown */
  uint32_t *sk_off;
  uint8_t *sk_n;
  uint32_t *tx_off;
  uint16_t *tx_n;
  uint16_t *dl;         /* document length in tokens (capped) */

  /* skill pool */
  uint16_t *sk_id;
  uint8_t *sk_rating, *sk_flags;
  int16_t *sk_last;
  size_t sk_len, sk_cap, sk_garbage;

  /* text pool */
  uint32_t *tx_term;
  uint8_t *tx_tf;
  size_t tx_len, tx_cap, tx_garbage;

  /* dictionaries */
  u64map by_rec;        /* rec hash -> slot */
  u64map df;            /* term + 2^32 -> document frequency */
  u64map skill_ids;     /* folded name hash -> skill id */
  size_t n_skill_ids;
  char **skill_names;   /* by id, as first written */
  size_t cap_skill_names;
  uint32_t *free_slots;
  size_t n_free, cap_free;
  size_t n_alive;
  uint64_t total_dl;
};

#define DF_KEY(t) ((uint64_t)(t) | (1ull << 32))

td_err match_index_new(match_index **out)
{
  match_index *ix = calloc(1, sizeof *ix);
  if (!ix)
    return TD_ERR_NOMEM;
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  /* glibc's default lets a stream of readers starve the writer */
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  int rc = pthread_rwlock_init(&ix->lock, &attr);
  pthread_rwlockattr_destroy(&attr);
  if (rc) {
    free(ix);
    return TD_ERR_NOMEM;
  }
  *out = ix;
  return TD_OK;
}

void match_index_free(match_index *ix)
{
  if (!ix)
    return;
  pthread_rwlock_destroy(&ix->lock);
  free(ix->rec); free(ix->rec_hash); free(ix->alive); free(ix->years); free(ix->lead);
  free(ix->salary); free(ix->cur); free(ix->sen); free(ix->pref); free(ix->country);
  free(ix->city); free(ix->tzq); free(ix->lat); free(ix->lon); free(ix->role); free(ix->ltech);
  free(ix->sk_off); free(ix->sk_n);
  free(ix->tx_off); free(ix->tx_n); free(ix->dl);
  free(ix->sk_id); free(ix->sk_rating); free(ix->sk_flags); free(ix->sk_last);
  free(ix->tx_term); free(ix->tx_tf);
  map_free(&ix->by_rec); map_free(&ix->df); map_free(&ix->skill_ids);
  for (size_t i = 0; i < ix->n_skill_ids; i++)
    free(ix->skill_names[i]);
  free(ix->skill_names);
  free(ix->free_slots);
  free(ix);
}

static int grow(void **p, size_t elem, size_t cap)
{
  void *q = realloc(*p, elem * cap);
  if (!q)
    return -1;
  *p = q;
  return 0;
}

#define GROW(ptr, cap) grow((void **)&(ptr), sizeof *(ptr), (cap))

static td_err grow_slots(match_index *ix)
{
  size_t cap = ix->cap_slots ? ix->cap_slots * 2 : 1024;
  if (GROW(ix->rec, cap) || GROW(ix->rec_hash, cap) || GROW(ix->alive, cap) ||
      GROW(ix->years, cap) || GROW(ix->lead, cap) || GROW(ix->salary, cap) ||
      GROW(ix->cur, cap) || GROW(ix->sen, cap) || GROW(ix->pref, cap) ||
      GROW(ix->country, cap) || GROW(ix->city, cap) || GROW(ix->tzq, cap) ||
      GROW(ix->lat, cap) || GROW(ix->lon, cap) ||
      GROW(ix->role, cap) || GROW(ix->ltech, cap) || GROW(ix->sk_off, cap) || GROW(ix->sk_n, cap) ||
      GROW(ix->tx_off, cap) || GROW(ix->tx_n, cap) || GROW(ix->dl, cap))
    return TD_ERR_NOMEM;   /* arrays already grown stay valid and larger */
  ix->cap_slots = cap;
  return TD_OK;
}

static td_err reserve_skills(match_index *ix, size_t extra)
{
  if (ix->sk_len + extra <= ix->sk_cap)
    return TD_OK;
  size_t cap = ix->sk_cap ? ix->sk_cap : 4096;
  while (cap < ix->sk_len + extra)
    cap *= 2;
  if (GROW(ix->sk_id, cap) || GROW(ix->sk_rating, cap) || GROW(ix->sk_flags, cap) ||
      GROW(ix->sk_last, cap))
    return TD_ERR_NOMEM;
  ix->sk_cap = cap;
  return TD_OK;
}

static td_err reserve_text(match_index *ix, size_t extra)
{
  if (ix->tx_len + extra <= ix->tx_cap)
    return TD_OK;
  size_t cap = ix->tx_cap ? ix->tx_cap : 65536;
  while (cap < ix->tx_len + extra)
    cap *= 2;
  if (GROW(ix->tx_term, cap) || GROW(ix->tx_tf, cap))
    return TD_ERR_NOMEM;
  ix->tx_cap = cap;
  return TD_OK;
}

/* Copies alive slots' pool entries to the front, in slot order. */
static void compact(match_index *ix)
{
  if (ix->sk_garbage * 2 > ix->sk_len) {
    /* order by offset is not slot order after replacements, so copy through
     * fresh arrays */
    size_t live = ix->sk_len - ix->sk_garbage, o = 0;
    uint16_t *id = malloc(live * sizeof *id + 1);
    uint8_t *ra = malloc(live + 1), *fl = malloc(live + 1);
    int16_t *la = malloc(live * sizeof *la + 1);
    if (id && ra && fl && la) {
      for (size_t s = 0; s < ix->n_slots; s++) {
        if (!ix->alive[s])
          continue;
        size_t n = ix->sk_n[s], from = ix->sk_off[s];
        memcpy(id + o, ix->sk_id + from, n * sizeof *id);
        memcpy(ra + o, ix->sk_rating + from, n);
        memcpy(fl + o, ix->sk_flags + from, n);
        memcpy(la + o, ix->sk_last + from, n * sizeof *la);
        ix->sk_off[s] = (uint32_t)o;
        o += n;
      }
      memcpy(ix->sk_id, id, o * sizeof *id);
      memcpy(ix->sk_rating, ra, o);
      memcpy(ix->sk_flags, fl, o);
      memcpy(ix->sk_last, la, o * sizeof *la);
      ix->sk_len = o;
      ix->sk_garbage = 0;
    } /* out of memory: keep the garbage, try again next time */
    free(id); free(ra); free(fl); free(la);
  }
  if (ix->tx_garbage * 2 > ix->tx_len) {
    size_t live = ix->tx_len - ix->tx_garbage, o = 0;
    uint32_t *te = malloc(live * sizeof *te + 1);
    uint8_t *tf = malloc(live + 1);
    if (te && tf) {
      for (size_t s = 0; s < ix->n_slots; s++) {
        if (!ix->alive[s])
          continue;
        size_t n = ix->tx_n[s], from = ix->tx_off[s];
        memcpy(te + o, ix->tx_term + from, n * sizeof *te);
        memcpy(tf + o, ix->tx_tf + from, n);
        ix->tx_off[s] = (uint32_t)o;
        o += n;
      }
      memcpy(ix->tx_term, te, o * sizeof *te);
      memcpy(ix->tx_tf, tf, o);
      ix->tx_len = o;
      ix->tx_garbage = 0;
    }
    free(te); free(tf);
  }
}

/* Unique terms of a text with their frequencies; the scratch table is local
 * to one put() call. */
typedef struct term_acc {
  u64map m;
  uint32_t *terms;
  uint8_t *tf;
  size_t n, cap;
  int nomem;
} term_acc;

static void acc_term(uint32_t t, void *ctx)
{
  term_acc *a = ctx;
  if (a->nomem)
    return;
  uint32_t *v = map_put(&a->m, DF_KEY(t), UINT32_MAX);
  if (!v) {
    a->nomem = 1;
    return;
  }
  if (*v == UINT32_MAX) {
    if (a->n == a->cap) {
      size_t cap = a->cap ? a->cap * 2 : 256;
      if (GROW(a->terms, cap) || GROW(a->tf, cap)) {
        a->nomem = 1;
        return;
      }
      a->cap = cap;
    }
    *v = (uint32_t)a->n;
    a->terms[a->n] = t;
    a->tf[a->n] = 0;
    a->n++;
  }
  if (a->tf[*v] < 255)
    a->tf[*v]++;
}

static void df_adjust(match_index *ix, size_t slot, int delta)
{
  size_t off = ix->tx_off[slot];
  for (size_t k = 0; k < ix->tx_n[slot]; k++) {
    uint64_t key = DF_KEY(ix->tx_term[off + k]);
    if (delta > 0) {
      uint32_t *v = map_put(&ix->df, key, 0);
      if (v)
        (*v)++;
    } else {
      uint32_t *v = map_get(&ix->df, key);
      if (v && --(*v) == 0)
        map_del(&ix->df, key);
    }
  }
}

static uint16_t intern_skill(match_index *ix, const char *name)
{
  if (!*name)
    return SKILL_NONE;
  uint64_t k = fnv64_fold(name);
  uint32_t *v = map_get(&ix->skill_ids, k);
  if (v)
    return (uint16_t)*v;
  if (ix->n_skill_ids >= SKILL_NONE)
    return SKILL_NONE;   /* 65535 distinct skills: later ones cannot match */
  if (ix->n_skill_ids == ix->cap_skill_names) {
    size_t cap = ix->cap_skill_names ? ix->cap_skill_names * 2 : 256;
    if (GROW(ix->skill_names, cap))
      return SKILL_NONE;
    ix->cap_skill_names = cap;
  }
  char *copy = strdup(name);
  if (!copy)
    return SKILL_NONE;
  v = map_put(&ix->skill_ids, k, (uint32_t)ix->n_skill_ids);
  if (!v) {
    free(copy);
    return SKILL_NONE;
  }
  ix->skill_names[ix->n_skill_ids++] = copy;
  return (uint16_t)*v;
}

static uint16_t lookup_skill(const match_index *ix, const char *name)
{
  if (!*name)
    return SKILL_NONE;
  uint32_t *v = map_get(&ix->skill_ids, fnv64_fold(name));
  return v ? (uint16_t)*v : SKILL_NONE;
}

static const char *const lead_words[] = {"led", "lead", "leading", "leads", "mentored",
                                         "mentoring", "managed", "manager", "head"};

static uint32_t lead_hash[sizeof lead_words / sizeof lead_words[0]];
static pthread_once_t lead_once = PTHREAD_ONCE_INIT;

static void lead_init(void)
{
  for (size_t i = 0; i < sizeof lead_hash / sizeof lead_hash[0]; i++)
    lead_hash[i] = term_hash(lead_words[i]);
}

static int is_lead_term(uint32_t t)
{
  pthread_once(&lead_once, lead_init);
  for (size_t i = 0; i < sizeof lead_hash / sizeof lead_hash[0]; i++)
    if (lead_hash[i] == t)
      return 1;
  return 0;
}

/* Leadership evidence in [0,1]: dated lead roles from the normalizer count
 * most, a lead/principal seniority next, leadership words in the CV least. */
static float lead_evidence(const model_candidate *c, const term_acc *a)
{
  double e = NAN;
  if (!isnan(c->lead_years) && c->lead_years > 0)
    e = fmin(1.0, 0.5 + 0.25 * c->lead_years);
  if (c->seniority >= SEN_LEAD)
    e = isnan(e) ? 0.9 : fmax(e, 0.9);
  int words = 0;
  for (size_t k = 0; k < a->n; k++)
    words += is_lead_term(a->terms[k]) ? a->tf[k] : 0;
  if (words)
    e = isnan(e) ? fmin(0.7, 0.35 + 0.1 * words) : fmax(e, fmin(0.7, 0.35 + 0.1 * words));
  if (isnan(e) && (c->n_skills || (c->text && *c->text)))
    e = 0.3;   /* a real profile without a trace of leading anyone */
  return (float)e;
}

static int16_t tz_quarters(double h)
{
  if (isnan(h) || h < -14 || h > 14)
    return INT16_MIN;
  return (int16_t)lround(h * 4);
}

/* Degrees as int16 hundredths (~1 km), INT16_MIN for unknown or out of range. */
static int16_t centi_deg(double deg, double limit)
{
  if (isnan(deg) || deg < -limit || deg > limit)
    return INT16_MIN;
  return (int16_t)lround(deg * 100);
}

/* A point as centi-degrees, both INT16_MIN when either is unknown.  (0, 0),
 * in the Gulf of Guinea, is no city's place but what a zero-initialised
 * model holds: unknown, never a distance of thousands of km. */
static void centi_point(double lat, double lon, int16_t *la, int16_t *lo)
{
  *la = centi_deg(lat, 90);
  *lo = centi_deg(lon, 180);
  if (*la == INT16_MIN || *lo == INT16_MIN || (*la == 0 && *lo == 0))
    *la = *lo = INT16_MIN;
}

static td_err put_locked(match_index *ix, const model_candidate *c)
{
  term_acc acc = {0};
  size_t dl = tokenize(c->text, acc_term, &acc);
  td_err rc = TD_OK;
  if (acc.nomem) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  int n_sk = c->n_skills < 0 ? 0 : c->n_skills > MODEL_MAX_SKILLS ? MODEL_MAX_SKILLS : c->n_skills;
  if ((rc = reserve_skills(ix, (size_t)n_sk)) || (rc = reserve_text(ix, acc.n)))
    goto out;

  uint64_t h = fnv64(c->record_id);
  uint32_t *sp = map_get(&ix->by_rec, h);
  size_t s;
  if (sp) {
    s = *sp;
    df_adjust(ix, s, -1);
    ix->total_dl -= ix->dl[s];
    ix->sk_garbage += ix->sk_n[s];
    ix->tx_garbage += ix->tx_n[s];
  } else {
    if (ix->n_free) {
      s = ix->free_slots[--ix->n_free];
    } else {
      if (ix->n_slots == ix->cap_slots && (rc = grow_slots(ix)))
        goto out;
      s = ix->n_slots;
    }
    uint32_t *v = map_put(&ix->by_rec, h, (uint32_t)s);
    if (!v) {
      if (s != ix->n_slots)
        ix->free_slots[ix->n_free++] = (uint32_t)s;
      rc = TD_ERR_NOMEM;
      goto out;
    }
    if (s == ix->n_slots)
      ix->n_slots++;
    ix->n_alive++;
  }

  snprintf(ix->rec[s], MODEL_ID_LEN, "%s", c->record_id);
  ix->rec_hash[s] = h;
  double y = !isnan(c->years_recent_tech) ? c->years_recent_tech : c->years;
  ix->years[s] = isnan(y) || y < 0 ? NAN : (float)y;
  ix->lead[s] = lead_evidence(c, &acc);
  ix->salary[s] = isnan(c->salary) || c->salary <= 0 ? NAN : (float)c->salary;
  ix->country[s] = match_geo_country(c->country);
  ix->cur[s] = match_geo_currency(c->currency);
  if (!ix->cur[s])
    ix->cur[s] = match_geo_country_currency(ix->country[s]);
  ix->sen[s] = (uint8_t)c->seniority;
  ix->pref[s] = (uint8_t)c->work_pref;
  ix->city[s] = c->city[0] ? (uint32_t)(fnv64_fold(c->city) | 1) : 0;
  ix->tzq[s] = tz_quarters(c->tz_offset_hours);
  centi_point(c->lat, c->lon, &ix->lat[s], &ix->lon[s]);
  ix->role[s] = c->role_family;
  ix->ltech[s] = (int16_t)(c->last_tech_year > 0 && c->last_tech_year < 3000 ? c->last_tech_year : 0);

  ix->sk_off[s] = (uint32_t)ix->sk_len;
  ix->sk_n[s] = (uint8_t)n_sk;
  for (int k = 0; k < n_sk; k++) {
    const model_skill *sk = &c->skills[k];
    size_t o = ix->sk_len++;
    ix->sk_id[o] = intern_skill(ix, sk->name);
    ix->sk_rating[o] = sk->rating > 5 ? 5 : sk->rating;
    ix->sk_flags[o] = sk->flags;
    ix->sk_last[o] = sk->last_year;
  }

  ix->tx_off[s] = (uint32_t)ix->tx_len;
  ix->tx_n[s] = (uint16_t)(acc.n > UINT16_MAX ? UINT16_MAX : acc.n);
  for (size_t k = 0; k < ix->tx_n[s]; k++) {
    ix->tx_term[ix->tx_len] = acc.terms[k];
    ix->tx_tf[ix->tx_len] = acc.tf[k];
    ix->tx_len++;
  }
  ix->dl[s] = (uint16_t)(dl > UINT16_MAX ? UINT16_MAX : dl);
  ix->total_dl += ix->dl[s];
  df_adjust(ix, s, +1);
  ix->alive[s] = 1;
  compact(ix);
out:
  map_free(&acc.m);
  free(acc.terms);
  free(acc.tf);
  return rc;
}

td_err match_index_put(match_index *ix, const model_candidate *c)
{
  if (!ix || !c || !c->record_id[0])
    return TD_ERR_INVALID;
  pthread_rwlock_wrlock(&ix->lock);
  td_err rc = put_locked(ix, c);
  pthread_rwlock_unlock(&ix->lock);
  return rc;
}

td_err match_index_put_all(match_index *ix, const model_candidate *c, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    td_err rc = match_index_put(ix, &c[i]);
    if (rc)
      return rc;
  }
  return TD_OK;
}

td_err match_index_remove(match_index *ix, const char *record_id)
{
  if (!ix || !record_id)
    return TD_ERR_INVALID;
  td_err rc = TD_OK;
  pthread_rwlock_wrlock(&ix->lock);
  uint64_t h = fnv64(record_id);
  uint32_t *sp = map_get(&ix->by_rec, h);
  if (!sp) {
    rc = TD_ERR_NOT_FOUND;
    goto out;
  }
  size_t s = *sp;
  if (ix->n_free == ix->cap_free) {
    size_t cap = ix->cap_free ? ix->cap_free * 2 : 64;
    if (GROW(ix->free_slots, cap)) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    ix->cap_free = cap;
  }
  df_adjust(ix, s, -1);
  ix->total_dl -= ix->dl[s];
  ix->sk_garbage += ix->sk_n[s];
  ix->tx_garbage += ix->tx_n[s];
  ix->alive[s] = 0;
  ix->n_alive--;
  map_del(&ix->by_rec, h);
  ix->free_slots[ix->n_free++] = (uint32_t)s;
  compact(ix);
out:
  pthread_rwlock_unlock(&ix->lock);
  return rc;
}

size_t match_index_count(match_index *ix)
{
  pthread_rwlock_rdlock(&ix->lock);
  size_t n = ix->n_alive;
  pthread_rwlock_unlock(&ix->lock);
  return n;
}

int match_index_contains(match_index *ix, const char *record_id)
{
  pthread_rwlock_rdlock(&ix->lock);
  int yes = map_get(&ix->by_rec, fnv64(record_id)) != NULL;
  pthread_rwlock_unlock(&ix->lock);
  return yes;
}

/* Bytes per slot that a run reads, and the pools. */
static size_t scan_bytes_locked(const match_index *ix)
{
  size_t per_slot = sizeof(uint64_t) + 1 + 4 + 4 + 4 + 1 + 1 + 1 + 2 + 4 + 2 + 4 + 2 + 4 + 1 + 4 + 2 + 2;
  return ix->n_slots * per_slot + ix->sk_len * (2 + 1 + 1 + 2) + ix->tx_len * (4 + 1);
}

size_t match_index_scan_bytes(match_index *ix)
{
  pthread_rwlock_rdlock(&ix->lock);
  size_t b = scan_bytes_locked(ix);
  pthread_rwlock_unlock(&ix->lock);
  return b;
}

static uint64_t sum_bytes(const void *p, size_t n)
{
  const unsigned char *b = p;
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, b + i, 8);
    acc += w;
  }
  for (; i < n; i++)
    acc += b[i];
  return acc;
}

uint64_t match_index_stream(match_index *ix)
{
  pthread_rwlock_rdlock(&ix->lock);
  size_t n = ix->n_slots;
  uint64_t a = sum_bytes(ix->rec_hash, n * 8) + sum_bytes(ix->alive, n) +
               sum_bytes(ix->years, n * 4) + sum_bytes(ix->lead, n * 4) +
               sum_bytes(ix->salary, n * 4) + sum_bytes(ix->cur, n) + sum_bytes(ix->sen, n) +
               sum_bytes(ix->pref, n) + sum_bytes(ix->country, n * 2) +
               sum_bytes(ix->city, n * 4) + sum_bytes(ix->tzq, n * 2) +
               sum_bytes(ix->lat, n * 2) + sum_bytes(ix->lon, n * 2) +
               sum_bytes(ix->role, n * 4) + sum_bytes(ix->ltech, n * 2) +
               sum_bytes(ix->sk_off, n * 4) +
               sum_bytes(ix->sk_n, n) + sum_bytes(ix->tx_off, n * 4) +
               sum_bytes(ix->tx_n, n * 2) + sum_bytes(ix->dl, n * 2) +
               sum_bytes(ix->sk_id, ix->sk_len * 2) + sum_bytes(ix->sk_rating, ix->sk_len) +
               sum_bytes(ix->sk_flags, ix->sk_len) + sum_bytes(ix->sk_last, ix->sk_len * 2) +
               sum_bytes(ix->tx_term, ix->tx_len * 4) + sum_bytes(ix->tx_tf, ix->tx_len);
  pthread_rwlock_unlock(&ix->lock);
  return a;
}

/* ---- weights -------------------------------------------------------------- */

void match_weights_default(match_weights *w)
{
  /* Skills carry most of the relevance because both sides are canonical and
   * carry evidence (rating, used at work, last year); text is there for what
   * the taxonomy does not know (domain words: "audio", "payments", "retail")
   * and breaks ties between equal skill sets. */
  w->skills = 0.75;
  w->text = 0.25;
  w->feedback = 0.20;
  /* The factors are what a recruiter filters on after the stack: the wrong
   * function (role) and far too little experience are the strongest, a
   * location or salary mismatch that survived the hard filters somewhat
   * less (relocation and negotiation happen). */
  w->experience = 0.70;
  w->role = 0.75;
  w->location = 0.60;
  w->salary = 0.60;
  w->nice_share = 0.15;
  w->salary_fail_ratio = 1.5;
  w->text_scale = 0.30;
}

/* ---- role families -------------------------------------------------------- */

/* Only the norm_role enum is used (no call into the normalizer), so that the
 * matcher links and tests on its own. */
static int role_is_tech(int r)
{
  switch (r) {
  case NORM_ROLE_BACKEND: case NORM_ROLE_FRONTEND: case NORM_ROLE_FULLSTACK:
  case NORM_ROLE_MOBILE: case NORM_ROLE_DATA: case NORM_ROLE_ML: case NORM_ROLE_DEVOPS:
  case NORM_ROLE_QA: case NORM_ROLE_SECURITY: case NORM_ROLE_SOFTWARE:
  case NORM_ROLE_IT_SUPPORT: case NORM_ROLE_ENG_MGMT:
    return 1;
  default:
    return 0;
  }
}

static int role_is_dev(int r)
{
  return r == NORM_ROLE_BACKEND || r == NORM_ROLE_FRONTEND || r == NORM_ROLE_FULLSTACK ||
         r == NORM_ROLE_MOBILE || r == NORM_ROLE_SOFTWARE;
}

static int pair_is(int a, int b, int x, int y)
{
  return (a == x && b == y) || (a == y && b == x);
}

/* Can someone from family `c` do a job of family `j`?  Directed, in [0,1].
 * The point is the bottom of the table: a recruiter, salesperson or office
 * manager whose CV is full of the job's stack gets almost nothing, whatever
 * the keywords say.  Neighbouring engineering families get partial credit,
 * which is what makes them "good, one gap" rather than unfit. */
static double role_fit(int j, int c)
{
  if (j == c)
    return 1.0;
  if (role_is_tech(j) && !role_is_tech(c))
    return c == NORM_ROLE_PRODUCT || c == NORM_ROLE_DESIGN ? 0.15 : 0.05;
  if (role_is_dev(j) && role_is_dev(c)) {
    if (j == NORM_ROLE_SOFTWARE || c == NORM_ROLE_SOFTWARE)
      return 0.75;
    if (j == NORM_ROLE_FULLSTACK || c == NORM_ROLE_FULLSTACK)
      return 0.7;
    if (pair_is(j, c, NORM_ROLE_MOBILE, NORM_ROLE_FRONTEND))
      return 0.45;
    return 0.35;
  }
  if (c == NORM_ROLE_ENG_MGMT && role_is_tech(j))
    return 0.6;   /* a manager who came from the trade; the stack says which */
  if (j == NORM_ROLE_ENG_MGMT && role_is_dev(c))
    return 0.6;
  if (pair_is(j, c, NORM_ROLE_DATA, NORM_ROLE_ML))
    return 0.6;
  if (pair_is(j, c, NORM_ROLE_DEVOPS, NORM_ROLE_BACKEND) ||
      pair_is(j, c, NORM_ROLE_DEVOPS, NORM_ROLE_SOFTWARE) ||
      pair_is(j, c, NORM_ROLE_DEVOPS, NORM_ROLE_SECURITY))
    return 0.45;
  if (j == NORM_ROLE_QA && role_is_dev(c))
    return 0.45;
  if (role_is_dev(j) && c == NORM_ROLE_QA)
    return 0.3;
  if (pair_is(j, c, NORM_ROLE_DATA, NORM_ROLE_BACKEND) ||
      pair_is(j, c, NORM_ROLE_DATA, NORM_ROLE_SOFTWARE))
    return 0.3;
  if (c == NORM_ROLE_IT_SUPPORT)
    return j == NORM_ROLE_DEVOPS ? 0.3 : 0.15;
  if (j == NORM_ROLE_DATA && (c == NORM_ROLE_PRODUCT || c == NORM_ROLE_FINANCE))
    return 0.3;
  return 0.15;
}

/* ---- a prepared query ----------------------------------------------------- */

typedef struct qterm_tab {
  uint32_t *keys;
  float *w;       /* idf * query weight */
  uint8_t *used;
  size_t mask;
  uint64_t bits[(1u << QBITS) / 64];
} qterm_tab;

typedef struct prep {
  const model_job *job;
  match_weights w;
  int ref_year;
  /* exclusion: sorted hashes, confirmed by string */
  uint64_t *excl;
  const char **excl_id;
  size_t n_excl;
  /* job skills */
  uint8_t *jslot;          /* skill id -> job skill index + 1 */
  uint8_t *jspec;          /* skill id -> job skill it specialises + 1 */
  size_t n_jslot;
  int n_js;
  int js_group[MODEL_MAX_SKILLS];  /* group index of each job skill, -1 skipped */
  int n_groups;
  uint8_t group_req[MODEL_MAX_SKILLS];
  double group_w[MODEL_MAX_SKILLS];  /* importance of each group */
  double req_wsum, nice_wsum;
  /* text */
  qterm_tab *qt;
  double text_norm;
  double avgdl;
  int has_text;
  /* place and arrangement */
  uint16_t jcountry;
  uint32_t jcity;
  int16_t jtzq;
  int16_t jlat, jlon;   /* office coordinates, centi-degrees, INT16_MIN unknown */
  int policy;
  const char *region;
  /* salary */
  double jmax_eur;
  /* experience */
  double jmin_years;
  int jsen;
  int lead_role;
  int jrole;
  int tech_job;        /* staleness of technical work matters */
  /* feedback, dense by skill id */
  float *fb;
  double fb_norm;
  int has_fb;
} prep;

static void prep_free(prep *p)
{
  free(p->excl);
  free(p->excl_id);
  free(p->jslot);
  free(p->jspec);
  if (p->qt) {
    free(p->qt->keys);
    free(p->qt->w);
    free(p->qt->used);
    free(p->qt);
  }
  free(p->fb);
  memset(p, 0, sizeof *p);
}

static int cmp_excl(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct qacc {
  u64map m;
  uint32_t terms[MAX_QTERMS];
  uint32_t qtf[MAX_QTERMS];
  size_t n;
  int nomem;
} qacc;

static void acc_qterm(uint32_t t, void *ctx)
{
  qacc *a = ctx;
  if (a->nomem)
    return;
  uint32_t *v = map_get(&a->m, DF_KEY(t));
  if (v) {
    a->qtf[*v]++;
    return;
  }
  if (a->n == MAX_QTERMS)
    return;
  v = map_put(&a->m, DF_KEY(t), (uint32_t)a->n);
  if (!v) {
    a->nomem = 1;
    return;
  }
  a->terms[a->n] = t;
  a->qtf[a->n] = 1;
  a->n++;
}

static int seniority_min_years(int sen)
{
  switch (sen) {
  case SEN_INTERN: return 0;
  case SEN_JUNIOR: return 0;
  case SEN_MID: return 2;
  case SEN_SENIOR: return 5;
  case SEN_LEAD: return 7;
  case SEN_PRINCIPAL: return 10;
  default: return -1;
  }
}

static const char *ci_strstr(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (!strncasecmp(hay, needle, n))
      return hay;
  return NULL;
}

/* How much one job skill matters among its peers.  The stack a job title
 * names ("Backend Lead (Java/Spring)") is the core of the role and weighs
 * double; practices, soft skills, management and human languages ("Code
 * review", "Mentoring") are real asks but rarely written down by the people
 * who have them, so they weigh 0.4 and cannot sink a candidate alone. */
static double skill_importance(const model_job *job, const model_skill *sk)
{
  const char *t = job->title;
  size_t L = strlen(sk->name);
  for (const char *h = t; L && (h = ci_strstr(h, sk->name)); h++) {
    int before = h == t || !isalnum((unsigned char)h[-1]);
    int after = !isalnum((unsigned char)h[L]) && h[L] != '+' && h[L] != '#';
    if (before && after)
      return 2.0;
  }
  int id = tax_lookup(sk->name, L);
  int cat = sk->category ? sk->category : (id >= 0 ? tax_skill_category(id) : 0);
  if (cat && !tax_category_is_tech(cat))
    return 0.4;
  return 1.0;
}

/* Prepares everything that depends on the job only.  `ix` supplies the skill
 * ids; `stats` the text statistics (may be NULL: every term weighs 1). */
static td_err prep_query(prep *p, const match_query *q, match_index *ix, match_index *stats)
{
  td_err rc = TD_OK;
  const model_job *job = q->job;
  memset(p, 0, sizeof *p);
  p->job = job;
  if (q->weights)
    p->w = *q->weights;
  else
    match_weights_default(&p->w);
  if (!(p->w.salary_fail_ratio > 1.0))
    p->w.salary_fail_ratio = 1.5;
  if (!(p->w.text_scale > 0))
    p->w.text_scale = 0.30;
  p->ref_year = q->ref_year;
  if (p->ref_year <= 0) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    p->ref_year = tm.tm_year + 1900;
  }

  /* exclusion set */
  if (q->n_exclude) {
    p->excl = malloc(q->n_exclude * sizeof *p->excl);
    p->excl_id = malloc(q->n_exclude * sizeof *p->excl_id);
    if (!p->excl || !p->excl_id)
      return TD_ERR_NOMEM;
    /* pair hash and id by packing the index into a parallel sort */
    uint64_t *tmp = malloc(q->n_exclude * 2 * sizeof *tmp);
    if (!tmp)
      return TD_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < q->n_exclude; i++) {
      if (!q->exclude[i])
        continue;
      tmp[2 * n] = fnv64(q->exclude[i]);
      tmp[2 * n + 1] = i;
      n++;
    }
    qsort(tmp, n, 2 * sizeof *tmp, cmp_excl);
    for (size_t i = 0; i < n; i++) {
      p->excl[i] = tmp[2 * i];
      p->excl_id[i] = q->exclude[tmp[2 * i + 1]];
    }
    p->n_excl = n;
    free(tmp);
  }

  /* job skills -> groups; required alternatives share a group */
  pthread_rwlock_rdlock(&ix->lock);
  p->n_jslot = ix->n_skill_ids;
  p->jslot = calloc(p->n_jslot + 1, 1);
  p->jspec = calloc(p->n_jslot + 1, 1);
  if (!p->jslot || !p->jspec) {
    pthread_rwlock_unlock(&ix->lock);
    return TD_ERR_NOMEM;
  }
  p->n_js = job->n_skills < 0 ? 0 : job->n_skills > MODEL_MAX_SKILLS ? MODEL_MAX_SKILLS : job->n_skills;
  int alt_group_of[256];
  for (int g = 0; g < 256; g++)
    alt_group_of[g] = -1;
  for (int k = 0; k < p->n_js; k++) {
    const model_skill *sk = &job->skills[k];
    int req = !(sk->flags & SKILL_NICE) || (sk->flags & SKILL_REQUIRED);
    p->js_group[k] = -1;
    if (!sk->name[0])
      continue;
    int dup = 0;
    for (int j = 0; j < k; j++)
      if (!strcasecmp(job->skills[j].name, sk->name))
        dup = 1;
    if (dup)
      continue;
    uint16_t id = lookup_skill(ix, sk->name);
    if (id != SKILL_NONE && id < p->n_jslot)
      p->jslot[id] = (uint8_t)(k + 1);
    int g;
    if (sk->alt_group && alt_group_of[sk->alt_group] >= 0 &&
        p->group_req[alt_group_of[sk->alt_group]] == req) {
      g = alt_group_of[sk->alt_group];
    } else {
      g = p->n_groups++;
      p->group_req[g] = (uint8_t)req;
      p->group_w[g] = 0;
      if (sk->alt_group)
        alt_group_of[sk->alt_group] = g;
    }
    p->js_group[k] = g;
    double wk = skill_importance(job, sk);
    if (wk > p->group_w[g])
      p->group_w[g] = wk;
  }
  for (int g = 0; g < p->n_groups; g++) {
    if (p->group_req[g])
      p->req_wsum += p->group_w[g];
    else
      p->nice_wsum += p->group_w[g];
  }
  /* Specialisations: a candidate skill whose name extends a job skill's by
   * whole words ("Spring Boot" for "Spring", "Django REST Framework" for
   * "Django") proves the general skill; credited at 0.9. */
  for (size_t id = 0; id < p->n_jslot; id++) {
    const char *nm = ix->skill_names[id];
    for (int k = 0; k < p->n_js && !p->jspec[id]; k++) {
      const char *jn = job->skills[k].name;
      size_t L = strlen(jn);
      if (p->js_group[k] >= 0 && L >= 2 && !strncasecmp(nm, jn, L) && nm[L] == ' ' &&
          !p->jslot[id])
        p->jspec[id] = (uint8_t)(k + 1);
    }
  }

  /* feedback: q = delta + sum(w_i x_i) / sum|w_i|, dense over skill ids */
  const match_feedback *fb = q->feedback;
  if (fb && (fb->n_examples || fb->delta.n)) {
    p->fb = calloc(p->n_jslot + 1, sizeof *p->fb);
    if (!p->fb) {
      pthread_rwlock_unlock(&ix->lock);
      return TD_ERR_NOMEM;
    }
    for (size_t i = 0; i < fb->delta.n; i++) {
      uint16_t id = fb->delta.names[i] ? lookup_skill(ix, fb->delta.names[i]) : SKILL_NONE;
      if (id < p->n_jslot)
        p->fb[id] += fb->delta.values ? fb->delta.values[i] : 1.0f;
    }
    double wsum = 0;
    for (size_t i = 0; i < fb->n_examples; i++)
      wsum += fabs(fb->examples[i].weight);
    for (size_t i = 0; wsum > 0 && i < fb->n_examples; i++) {
      const match_feedback_example *e = &fb->examples[i];
      for (int k = 0; k < e->n_skills; k++) {
        uint16_t id = lookup_skill(ix, e->skills[k].name);
        if (id < p->n_jslot) {
          double x = e->skills[k].rating ? e->skills[k].rating / 5.0 : 0.6;
          p->fb[id] += (float)(e->weight * x / wsum);
        }
      }
    }
    double nn = 0;
    for (size_t i = 0; i < p->n_jslot; i++)
      nn += (double)p->fb[i] * p->fb[i];
    p->fb_norm = sqrt(nn);
    p->has_fb = p->fb_norm > 0;
  }
  pthread_rwlock_unlock(&ix->lock);

  /* query terms with BM25 IDF from the statistics index */
  qacc *qa = calloc(1, sizeof *qa);
  if (!qa)
    return TD_ERR_NOMEM;
  tokenize(job->text, acc_qterm, qa);
  if (qa->nomem) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  p->qt = calloc(1, sizeof *p->qt);
  size_t cap = 64;
  while (cap < qa->n * 2)
    cap *= 2;
  if (!p->qt || !(p->qt->keys = calloc(cap, sizeof(uint32_t))) ||
      !(p->qt->w = calloc(cap, sizeof(float))) || !(p->qt->used = calloc(cap, 1))) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  p->qt->mask = cap - 1;
  double N = 0;
  if (stats) {
    pthread_rwlock_rdlock(&stats->lock);
    N = (double)stats->n_alive;
    p->avgdl = stats->n_alive ? (double)stats->total_dl / (double)stats->n_alive : 1.0;
  }
  for (size_t i = 0; i < qa->n; i++) {
    double idf = 1.0;
    if (stats) {
      uint32_t *df = map_get(&stats->df, DF_KEY(qa->terms[i]));
      double d = df ? *df : 0;
      if (d == 0)
        continue;   /* no candidate has the term: it cannot score */
      idf = log(1.0 + (N - d + 0.5) / (d + 0.5));
    }
    double qw = 1.0 + log((double)qa->qtf[i]);
    double wt = idf * qw;
    if (wt <= 0)
      continue;
    uint32_t t = qa->terms[i];
    size_t j = mix64(t) & p->qt->mask;
    while (p->qt->used[j])
      j = (j + 1) & p->qt->mask;
    p->qt->used[j] = 1;
    p->qt->keys[j] = t;
    p->qt->w[j] = (float)wt;
    p->qt->bits[(t & ((1u << QBITS) - 1)) >> 6] |= 1ull << (t & 63);
    p->text_norm += wt * (BM25_K1 + 1);
  }
  if (stats)
    pthread_rwlock_unlock(&stats->lock);
  if (!stats || p->avgdl <= 0)
    p->avgdl = 1.0;
  p->has_text = p->text_norm > 0;

  /* place, money, experience */
  p->jcountry = match_geo_country(job->country);
  p->jcity = job->city[0] ? (uint32_t)(fnv64_fold(job->city) | 1) : 0;
  p->jtzq = tz_quarters(job->tz_offset_hours);
  centi_point(job->lat, job->lon, &p->jlat, &p->jlon);
  p->policy = job->remote_policy;
  p->region = job->remote_region[0] ? job->remote_region : NULL;
  uint8_t jcur = match_geo_currency(job->currency);
  if (!jcur)
    jcur = match_geo_country_currency(p->jcountry);
  double jmax = job->salary_max;
  if ((isnan(jmax) || jmax <= 0) && !isnan(job->salary_min) && job->salary_min > 0)
    jmax = job->salary_min * 1.25;   /* a lone minimum: assume the usual ~25% band */
  p->jmax_eur = (!isnan(jmax) && jmax > 0 && jcur) ? jmax * match_geo_to_eur(jcur) : NAN;
  p->jsen = job->seniority;
  p->jmin_years = job->min_years;
  if (isnan(p->jmin_years) || p->jmin_years < 0) {
    int m = seniority_min_years(p->jsen);
    p->jmin_years = m >= 0 ? m : NAN;
  }
  p->lead_role = p->jsen >= SEN_LEAD || ci_strstr(job->title, "lead") ||
                 ci_strstr(job->title, "head of") || ci_strstr(job->title, "manager");
  p->jrole = job->role_family;
  p->tech_job = p->jrole ? role_is_tech(p->jrole) : 0;
  for (int k = 0; !p->jrole && k < p->n_js; k++)
    p->tech_job |= job->skills[k].category && tax_category_is_tech(job->skills[k].category);
out:
  map_free(&qa->m);
  free(qa);
  return rc;
}

/* ---- scoring one slot ----------------------------------------------------- */

static int excluded(const prep *p, const match_index *ix, size_t s)
{
  if (!p->n_excl)
    return 0;
  uint64_t h = ix->rec_hash[s];
  size_t lo = 0, hi = p->n_excl;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (p->excl[mid] < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < p->n_excl && p->excl[lo] == h; lo++)
    if (!strcmp(p->excl_id[lo], ix->rec[s]))
      return 1;
  return 0;
}

/* Credit of one candidate skill in [0,1]: how much it proves the skill.
 * Rating scales it (an unrated skill counts as a solid 4), evidence from a
 * dated work entry counts fully, a skill only listed counts 0.6 (less when
 * the list is long and little of it is backed by work: keyword stuffing),
 * aspirational use 0.15; use that ended years ago decays with a half-life of
 * five years after a three-year grace, down to 0.3.  The decay is mild on
 * purpose: a CV names a skill where it was introduced, not every year it was
 * used ("Java" in 2014-2019, "Spring Boot" since), so the strong "stale"
 * signal is the profile's last technical work (experience), not this. */
static double skill_credit(uint8_t rating, uint8_t flags, int16_t last, int ref_year,
                           double listed_only_credit)
{
  double r = rating ? 0.5 + 0.1 * rating : 0.9;
  double e;
  if (flags & SKILL_ASPIRATIONAL)
    e = 0.15;
  else if (flags & SKILL_AT_WORK)
    e = 1.0;
  else
    e = listed_only_credit;
  double st = 1.0;
  if (last > 0 && ref_year - last > 3)
    st = fmax(0.3, pow(0.5, (ref_year - last - 3) / 5.0));
  return r * e * st;
}

typedef struct scratch {
  double best[MODEL_MAX_SKILLS];   /* per job skill */
  double gbest[MODEL_MAX_SKILLS];  /* per group */
} scratch;

static double score_skills(const prep *p, const match_index *ix, size_t s, scratch *sc,
                           int *known)
{
  *known = p->n_groups > 0;
  if (!*known)
    return 0;
  size_t off = ix->sk_off[s], n = ix->sk_n[s];
  for (int k = 0; k < p->n_js; k++)
    sc->best[k] = 0;
  /* keyword stuffing: many skills, little of it from work */
  size_t at_work = 0;
  for (size_t k = 0; k < n; k++)
    at_work += (ix->sk_flags[off + k] & SKILL_AT_WORK) != 0;
  double listed_only = 0.6;
  size_t unbacked = n - at_work;
  if (unbacked > 20)
    listed_only *= sqrt(20.0 / (double)unbacked);
  for (size_t k = 0; k < n; k++) {
    uint16_t id = ix->sk_id[off + k];
    if (id >= p->n_jslot || !(p->jslot[id] | p->jspec[id]))
      continue;
    int j = (p->jslot[id] ? p->jslot[id] : p->jspec[id]) - 1;
    double c = skill_credit(ix->sk_rating[off + k], ix->sk_flags[off + k], ix->sk_last[off + k],
                            p->ref_year, listed_only);
    if (!p->jslot[id])
      c *= 0.9;
    if (c > sc->best[j])
      sc->best[j] = c;
  }
  for (int g = 0; g < p->n_groups; g++)
    sc->gbest[g] = 0;
  for (int k = 0; k < p->n_js; k++) {
    int g = p->js_group[k];
    if (g >= 0 && sc->best[k] > sc->gbest[g])
      sc->gbest[g] = sc->best[k];
  }
  double req = 0, nice = 0;
  for (int g = 0; g < p->n_groups; g++) {
    if (p->group_req[g])
      req += p->group_w[g] * sc->gbest[g];
    else
      nice += p->group_w[g] * sc->gbest[g];
  }
  if (p->req_wsum > 0 && p->nice_wsum > 0)
    return (1 - p->w.nice_share) * req / p->req_wsum + p->w.nice_share * nice / p->nice_wsum;
  if (p->req_wsum > 0)
    return req / p->req_wsum;
  return nice / p->nice_wsum;
}

static double score_text(const prep *p, const match_index *ix, size_t s)
{
  const qterm_tab *qt = p->qt;
  size_t off = ix->tx_off[s], n = ix->tx_n[s];
  double K = BM25_K1 * (1 - BM25_B + BM25_B * (double)ix->dl[s] / p->avgdl);
  double acc = 0;
  const uint32_t *terms = ix->tx_term + off;
  const uint8_t *tf = ix->tx_tf + off;
  for (size_t k = 0; k < n; k++) {
    uint32_t t = terms[k];
    if (!(qt->bits[(t & ((1u << QBITS) - 1)) >> 6] & (1ull << (t & 63))))
      continue;
    for (size_t j = mix64(t) & qt->mask; qt->used[j]; j = (j + 1) & qt->mask) {
      if (qt->keys[j] == t) {
        double f = tf[k];
        acc += qt->w[j] * f * (BM25_K1 + 1) / (f + K);
        break;
      }
    }
  }
  return clamp01(acc / p->text_norm / p->w.text_scale);
}

/* Experience fit: years against the minimum (concave, so 4 of 5 years is
 * still 0.84 while a few months is near 0), seniority steps, and for lead
 * roles leadership evidence.  Each part known or not; mean of known parts. */
static double score_experience(const prep *p, const match_index *ix, size_t s, int *known)
{
  double sum = 0, wsum = 0;
  double y = ix->years[s];
  if (!isnan(p->jmin_years) && !isnan(y)) {
    double f = p->jmin_years <= 0 || y >= p->jmin_years ? 1.0 : pow(y / p->jmin_years, 0.75);
    sum += 0.5 * f;
    wsum += 0.5;
  }
  int cs = ix->sen[s];
  if (p->jsen != SEN_UNKNOWN && cs != SEN_UNKNOWN) {
    int gap = p->jsen - cs;
    if (p->jsen >= SEN_LEAD && cs == SEN_SENIOR)
      gap = 1;   /* a senior stepping up to lead is the usual path */
    double f = gap <= 0 ? 1.0 : gap == 1 ? 0.7 : gap == 2 ? 0.35 : 0.15;
    sum += 0.3 * f;
    wsum += 0.3;
  }
  if (p->lead_role && !isnan(ix->lead[s])) {
    sum += 0.25 * ix->lead[s];
    wsum += 0.25;
  }
  /* recency: the stack a decade ago, then years of something else, is not
   * experience for this job; it scales the rest rather than averaging in */
  double rec = 1.0;
  int lt = ix->ltech[s];
  if (p->tech_job && lt > 0 && p->ref_year - lt > 2)
    rec = fmax(0.05, pow(0.5, (p->ref_year - lt - 2) / 2.5));
  if (wsum <= 0) {
    *known = rec < 1.0;
    return rec < 1.0 ? rec : 0;
  }
  *known = 1;
  return sum / wsum * rec;
}

static double score_role(const prep *p, const match_index *ix, size_t s, int *known)
{
  int cr = ix->role[s];
  *known = p->jrole && cr;
  if (!*known)
    return 0;
  return role_fit(p->jrole, cr);
}

/* Commuting distance to an office (DESIGN, Location). */
#define METRO_KM 30.0            /* same metropolitan area: no cost */
#define COMMUTE_KM_HYBRID 80.0   /* a commute for one to three office days a week */
#define COMMUTE_KM_ONSITE 60.0   /* a daily commute */
#define COMMUTE_FIT 0.95         /* fit at the commute limit */
#define RELOCATE_AT 3.0          /* x the commute limit: the relocation level */
#define KM_PER_CENTI_DEG 1.1119  /* one hundredth of a degree of latitude */

/* Fit at km from the office: 1 in the metro area, down to COMMUTE_FIT at the
 * commute limit, then a smoothstep to `reloc` (reached at RELOCATE_AT x the
 * limit).  Continuous and non-increasing in km for any reloc <= COMMUTE_FIT. */
static double commute_fit(double km, double limit, double reloc)
{
  if (km <= METRO_KM)
    return 1.0;
  if (km <= limit)
    return 1.0 - (1.0 - COMMUTE_FIT) * (km - METRO_KM) / (limit - METRO_KM);
  double far = limit * RELOCATE_AT;
  if (km >= far)
    return reloc;
  double t = (km - limit) / (far - limit);
  return reloc + (COMMUTE_FIT - reloc) * (1.0 - t * t * (3.0 - 2.0 * t));
}

/* Great-circle km from the slot's city to the office, NAN when either is
 * unknown.  Beyond `far_km` in latitude alone the exact figure does not
 * matter (the fit is flat there), so the trigonometry is skipped. */
static double office_km(const prep *p, const match_index *ix, size_t s, double far_km)
{
  int16_t la = ix->lat[s];
  if (la == INT16_MIN || p->jlat == INT16_MIN)
    return NAN;
  double dlat_km = fabs((double)(la - p->jlat)) * KM_PER_CENTI_DEG;
  if (dlat_km > far_km)
    return dlat_km;
  return geo_distance_km(la / 100.0, ix->lon[s] / 100.0, p->jlat / 100.0, p->jlon / 100.0);
}

/* Work arrangement filter and location fit together, since both read the
 * same facts.  Returns the filter outcome; *loc gets the fit (or NAN). */
static match_tri score_location(const prep *p, const match_index *ix, size_t s, double *loc)
{
  uint16_t cc = ix->country[s];
  int cp = ix->pref[s];
  *loc = NAN;
  if (p->policy == WORK_ONSITE || p->policy == WORK_HYBRID) {
    if (!cc || !p->jcountry)
      return MATCH_UNKNOWN;
    double limit = p->policy == WORK_ONSITE ? COMMUTE_KM_ONSITE : COMMUTE_KM_HYBRID;
    double km = office_km(p, ix, s, limit * RELOCATE_AT);
    int commutable = !isnan(km) && km <= limit;
    double f;
    if (cc == p->jcountry) {
      /* another city in the country: a move, but an easy one */
      f = (p->jcity && ix->city[s] && p->jcity != ix->city[s]) ? 0.8 : 1.0;
      if (!isnan(km))
        f = commute_fit(km, limit, 0.8);
    } else {
      /* a commute across a border is a commute; someone who wants to work
       * remotely from abroad does not want this job */
      if (cp == WORK_REMOTE && !commutable)
        return MATCH_FAIL;
      /* abroad but open to an office: relocation, easier from a neighbouring
       * country in the same time zone */
      int16_t tz = ix->tzq[s];
      f = (tz != INT16_MIN && p->jtzq != INT16_MIN && tz == p->jtzq) ? 0.6 : 0.45;
      if (!isnan(km))
        f = commute_fit(km, limit, f);
    }
    if (cp == WORK_REMOTE)
      f *= p->policy == WORK_ONSITE ? 0.6 : 0.8;
    *loc = f;
    return MATCH_PASS;
  }
  if (p->policy == WORK_REMOTE) {
    if (p->region && cc) {
      char ccs[3] = {(char)(cc >> 8), (char)(cc & 0xff), 0};
      int in = geo_in_region(ccs, p->region);
      if (in < 0)
        in = match_geo_in_region(p->region, cc);
      if (in == 0)
        return MATCH_FAIL;
      if (in == 1) {
        *loc = 1.0;
        return MATCH_PASS;
      }
    }
    int16_t tz = ix->tzq[s];
    if (tz != INT16_MIN && p->jtzq != INT16_MIN) {
      double d = fabs((double)(tz - p->jtzq)) / 4.0;
      *loc = d <= 3 ? 1.0 : fmax(0.4, 1.0 - (d - 3) * 0.12);
      return MATCH_PASS;
    }
    return MATCH_UNKNOWN;
  }
  /* arrangement unknown: only the country says something */
  if (cc && p->jcountry) {
    *loc = cc == p->jcountry ? 1.0 : 0.75;
    return MATCH_PASS;
  }
  return MATCH_UNKNOWN;
}

static match_tri score_salary(const prep *p, const match_index *ix, size_t s, double *sal)
{
  *sal = NAN;
  double v = ix->salary[s];
  double rate = match_geo_to_eur(ix->cur[s]);
  if (isnan(v) || isnan(p->jmax_eur) || rate <= 0)
    return MATCH_UNKNOWN;
  double ratio = v * rate / p->jmax_eur;
  if (ratio > p->w.salary_fail_ratio)
    return MATCH_FAIL;
  *sal = ratio <= 1.0 ? 1.0 : 1.0 - 0.75 * (ratio - 1.0) / (p->w.salary_fail_ratio - 1.0);
  return MATCH_PASS;
}

static double score_feedback(const prep *p, const match_index *ix, size_t s, int *known)
{
  *known = p->has_fb;
  if (!p->has_fb)
    return 0;
  size_t off = ix->sk_off[s], n = ix->sk_n[s];
  double dot = 0, nn = 0;
  for (size_t k = 0; k < n; k++) {
    double x = ix->sk_rating[off + k] ? ix->sk_rating[off + k] / 5.0 : 0.6;
    nn += x * x;
    uint16_t id = ix->sk_id[off + k];
    if (id < p->n_jslot)
      dot += x * p->fb[id];
  }
  if (nn <= 0)
    return 0.5;
  return clamp01(0.5 + 0.5 * dot / (sqrt(nn) * p->fb_norm));
}

static double factor(double w, double v)
{
  return 1.0 - clamp01(w) * (1.0 - clamp01(v));
}

/* Scores slot s.  Returns -1 when a filter fails or when the candidate
 * cannot beat `floor` (pruning; floor < 0 disables it); fills ex if given. */
static double score_slot(const prep *p, const match_index *ix, size_t s, double floor,
                         scratch *sc, match_explain *ex)
{
  match_tri f_ex = excluded(p, ix, s) ? MATCH_FAIL : MATCH_PASS;
  double loc, sal;
  match_tri f_work = score_location(p, ix, s, &loc);
  match_tri f_sal = score_salary(p, ix, s, &sal);
  if (ex) {
    memset(ex, 0, sizeof *ex);
    ex->filter[MATCH_F_EXCLUDED] = f_ex;
    ex->filter[MATCH_F_WORK] = f_work;
    ex->filter[MATCH_F_SALARY] = f_sal;
    for (int c = 0; c < MATCH_C__COUNT; c++)
      ex->factor[c] = 1.0;
  }
  if (f_ex == MATCH_FAIL || f_work == MATCH_FAIL || f_sal == MATCH_FAIL)
    return -1;

  int k_sk, k_exp, k_role, k_fb;
  double vs = score_skills(p, ix, s, sc, &k_sk);
  double ve = score_experience(p, ix, s, &k_exp);
  double vr = score_role(p, ix, s, &k_role);
  double vf = score_feedback(p, ix, s, &k_fb);
  double fac = 1.0;
  if (k_exp)
    fac *= factor(p->w.experience, ve);
  if (k_role)
    fac *= factor(p->w.role, vr);
  if (!isnan(loc))
    fac *= factor(p->w.location, loc);
  if (!isnan(sal))
    fac *= factor(p->w.salary, sal);

  double num = 0, den = 0;
  if (k_sk) {
    num += p->w.skills * vs;
    den += p->w.skills;
  }
  if (k_fb) {
    num += p->w.feedback * vf;
    den += p->w.feedback;
  }
  double wt = p->has_text ? p->w.text : 0;
  if (den + wt <= 0)
    return ex ? 0 : -1;   /* a job with neither skills nor text ranks no one */
  if (floor >= 0 && (num + wt) / (den + wt) * fac < floor)
    return -1;
  double vt = 0;
  if (p->has_text && ix->tx_n[s])
    vt = score_text(p, ix, s);
  num += wt * vt;
  den += wt;
  double rel = num / den;
  double score = clamp01(rel * fac);

  if (ex) {
    ex->relevance = rel;
    ex->value[MATCH_C_SKILLS] = vs;          ex->known[MATCH_C_SKILLS] = (uint8_t)k_sk;
    ex->value[MATCH_C_EXPERIENCE] = ve;      ex->known[MATCH_C_EXPERIENCE] = (uint8_t)k_exp;
    ex->value[MATCH_C_ROLE] = vr;            ex->known[MATCH_C_ROLE] = (uint8_t)k_role;
    ex->value[MATCH_C_FEEDBACK] = vf;        ex->known[MATCH_C_FEEDBACK] = (uint8_t)k_fb;
    ex->value[MATCH_C_TEXT] = vt;            ex->known[MATCH_C_TEXT] = (uint8_t)p->has_text;
    ex->value[MATCH_C_LOCATION] = isnan(loc) ? 0 : loc;
    ex->known[MATCH_C_LOCATION] = !isnan(loc);
    ex->value[MATCH_C_SALARY] = isnan(sal) ? 0 : sal;
    ex->known[MATCH_C_SALARY] = !isnan(sal);
    if (k_exp)
      ex->factor[MATCH_C_EXPERIENCE] = factor(p->w.experience, ve);
    if (k_role)
      ex->factor[MATCH_C_ROLE] = factor(p->w.role, vr);
    if (!isnan(loc))
      ex->factor[MATCH_C_LOCATION] = factor(p->w.location, loc);
    if (!isnan(sal))
      ex->factor[MATCH_C_SALARY] = factor(p->w.salary, sal);
    /* names: a required group is matched when any member is; its missing
     * entry names the first member (the one the job lists first) */
    if (k_sk) {
      uint8_t group_seen[MODEL_MAX_SKILLS] = {0};
      for (int k = 0; k < p->n_js; k++) {
        int g = p->js_group[k];
        if (g < 0)
          continue;
        const char *name = p->job->skills[k].name;
        if (sc->best[k] > 0) {
          if (p->group_req[g])
            ex->req_matched[ex->n_req_matched++] = name;
          else
            ex->nice_matched[ex->n_nice_matched++] = name;
        }
      }
      for (int k = 0; k < p->n_js; k++) {
        int g = p->js_group[k];
        if (g < 0 || !p->group_req[g] || sc->gbest[g] > 0 || group_seen[g])
          continue;
        group_seen[g] = 1;
        ex->req_missing[ex->n_req_missing++] = p->job->skills[k].name;
      }
    }
  }
  return score;
}

/* ---- top-N heap ----------------------------------------------------------- */

/* 1 if a ranks below b: lower score, or the same score and a larger id. */
static int worse(const match_result *a, const match_result *b)
{
  if (a->score != b->score)
    return a->score < b->score;
  return strcmp(a->record_id, b->record_id) > 0;
}

static void sift_down(match_result *h, size_t n, size_t i, match_result *tmp)
{
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && worse(&h[l], &h[m]))
      m = l;
    if (r < n && worse(&h[r], &h[m]))
      m = r;
    if (m == i)
      return;
    *tmp = h[i];
    h[i] = h[m];
    h[m] = *tmp;
    i = m;
  }
}

static void sift_up(match_result *h, size_t i, match_result *tmp)
{
  while (i) {
    size_t parent = (i - 1) / 2;
    if (!worse(&h[i], &h[parent]))
      return;
    *tmp = h[i];
    h[i] = h[parent];
    h[parent] = *tmp;
    i = parent;
  }
}

static int cmp_best_first(const void *a, const void *b)
{
  const match_result *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(x->record_id, y->record_id);
}

/* ---- runs ----------------------------------------------------------------- */

td_err match_run(match_index *ix, const match_query *q, match_result *out, size_t *n_out)
{
  if (!ix || !q || !q->job || !out || !n_out)
    return TD_ERR_INVALID;
  *n_out = 0;
  size_t top = q->top_n ? q->top_n : MATCH_DEFAULT_TOP_N;
  if (top > MATCH_MAX_TOP_N)
    top = MATCH_MAX_TOP_N;
  prep p;
  td_err rc = prep_query(&p, q, ix, ix);
  scratch *sc = malloc(sizeof *sc);
  match_result *tmp = malloc(sizeof *tmp);
  match_result *cand = malloc(sizeof *cand);
  if (!rc && (!sc || !tmp || !cand))
    rc = TD_ERR_NOMEM;
  if (rc)
    goto out;

  size_t n = 0;   /* heap of the best so far; out[0] is the worst of them */
  for (size_t start = 0;; start += MATCH_CHUNK) {
    pthread_rwlock_rdlock(&ix->lock);
    size_t end = ix->n_slots;
    if (start >= end) {
      pthread_rwlock_unlock(&ix->lock);
      break;
    }
    if (end > start + MATCH_CHUNK)
      end = start + MATCH_CHUNK;
    /* skills interned after prep cannot be job skills: jslot is sized for
     * the ids known then, and score_skills bounds-checks ids */
    for (size_t s = start; s < end; s++) {
      if (!ix->alive[s])
        continue;
      double floor = n == top ? out[0].score : -1;
      double sc_v = score_slot(&p, ix, s, floor, sc, NULL);
      if (sc_v < 0)
        continue;
      if (n == top) {
        /* cheap test first: is it better than the worst kept? */
        match_result probe;
        probe.score = sc_v;
        memcpy(probe.record_id, ix->rec[s], MODEL_ID_LEN);
        if (!worse(&out[0], &probe))
          continue;
      }
      int dup = 0;
      for (size_t k = 0; k < n && !dup; k++)
        dup = !strcmp(out[k].record_id, ix->rec[s]);
      if (dup)
        continue;
      memcpy(cand->record_id, ix->rec[s], MODEL_ID_LEN);
      cand->score = score_slot(&p, ix, s, -1, sc, &cand->ex);
      if (n < top) {
        out[n] = *cand;
        sift_up(out, n, tmp);
        n++;
      } else {
        out[0] = *cand;
        sift_down(out, n, 0, tmp);
      }
    }
    pthread_rwlock_unlock(&ix->lock);
  }
  qsort(out, n, sizeof *out, cmp_best_first);
  *n_out = n;
out:
  free(sc);
  free(tmp);
  free(cand);
  prep_free(&p);
  return rc;
}

td_err match_score_one(match_index *ix, const match_query *q, const model_candidate *c,
                       match_result *out)
{
  if (!q || !q->job || !c || !out)
    return TD_ERR_INVALID;
  match_index *one;
  td_err rc = match_index_new(&one);
  if (rc)
    return rc;
  prep p;
  memset(&p, 0, sizeof p);
  scratch *sc = malloc(sizeof *sc);
  if (!sc) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  if ((rc = match_index_put(one, c)) || (rc = prep_query(&p, q, one, ix)))
    goto out;
  memset(out, 0, sizeof *out);
  snprintf(out->record_id, sizeof out->record_id, "%s", c->record_id);
  double v = score_slot(&p, one, 0, -1, sc, &out->ex);
  out->score = v < 0 ? 0 : v;
out:
  free(sc);
  prep_free(&p);
  match_index_free(one);
  return rc;
}

/* ---- rendering ------------------------------------------------------------ */

static const char *const comp_names[MATCH_C__COUNT] = {
  "skills", "experience", "location", "salary", "text", "role", "feedback"};
static const char *const filter_names[MATCH_F__COUNT] = {"excluded", "work", "salary"};

const char *match_component_name(int c)
{
  return c >= 0 && c < MATCH_C__COUNT ? comp_names[c] : "?";
}

const char *match_filter_name(int f)
{
  return f >= 0 && f < MATCH_F__COUNT ? filter_names[f] : "?";
}

const char *match_tri_name(match_tri t)
{
  return t == MATCH_PASS ? "pass" : t == MATCH_FAIL ? "fail" : "unknown";
}

static double round3(double x)
{
  return round(x * 1000.0) / 1000.0;
}

static cJSON *name_array(const char *const *names, int n)
{
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; a && i < n; i++) {
    cJSON *s = cJSON_CreateString(names[i] ? names[i] : "");
    if (!s || !cJSON_AddItemToArray(a, s)) {
      cJSON_Delete(s);
      cJSON_Delete(a);
      return NULL;
    }
  }
  return a;
}

cJSON *match_result_json(const match_result *r)
{
  cJSON *o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON *comp = cJSON_CreateObject(), *fac = cJSON_CreateObject(), *fil = cJSON_CreateObject();
  cJSON *sk = cJSON_CreateObject();
  int ok = comp && fac && fil && sk;
  ok = ok && cJSON_AddStringToObject(o, "id", r->record_id);
  ok = ok && cJSON_AddNumberToObject(o, "score", round3(r->score));
  ok = ok && cJSON_AddNumberToObject(o, "percent", (double)lround(r->score * 100.0));
  ok = ok && cJSON_AddNumberToObject(o, "relevance", round3(r->ex.relevance));
  for (int c = 0; ok && c < MATCH_C__COUNT; c++) {
    if (r->ex.known[c])
      ok = cJSON_AddNumberToObject(comp, comp_names[c], round3(r->ex.value[c])) != NULL;
    else
      ok = cJSON_AddNullToObject(comp, comp_names[c]) != NULL;
    if (ok && r->ex.factor[c] != 1.0)
      ok = cJSON_AddNumberToObject(fac, comp_names[c], round3(r->ex.factor[c])) != NULL;
  }
  for (int f = 0; ok && f < MATCH_F__COUNT; f++)
    ok = cJSON_AddStringToObject(fil, filter_names[f], match_tri_name(r->ex.filter[f])) != NULL;
  cJSON *a1 = ok ? name_array(r->ex.req_matched, r->ex.n_req_matched) : NULL;
  cJSON *a2 = ok ? name_array(r->ex.nice_matched, r->ex.n_nice_matched) : NULL;
  cJSON *a3 = ok ? name_array(r->ex.req_missing, r->ex.n_req_missing) : NULL;
  ok = ok && a1 && a2 && a3;
  if (ok) {
    cJSON_AddItemToObject(sk, "required_matched", a1);
    cJSON_AddItemToObject(sk, "nice_matched", a2);
    cJSON_AddItemToObject(sk, "required_missing", a3);
    a1 = a2 = a3 = NULL;
    cJSON_AddItemToObject(o, "components", comp);
    cJSON_AddItemToObject(o, "factors", fac);
    cJSON_AddItemToObject(o, "filters", fil);
    cJSON_AddItemToObject(o, "skills", sk);
    return o;
  }
  cJSON_Delete(a1); cJSON_Delete(a2); cJSON_Delete(a3);
  cJSON_Delete(comp); cJSON_Delete(fac); cJSON_Delete(fil); cJSON_Delete(sk);
  cJSON_Delete(o);
  return NULL;
}

int match_result_line(const match_result *r, char *buf, size_t size)
{
  static const char *const abbrev[MATCH_C__COUNT] = {"skills", "exp", "loc", "salary",
                                                     "text", "role", "fb"};
  char tmp[1024];
  size_t o = 0;
  int n = snprintf(tmp, sizeof tmp, "%s %3ld%%", r->record_id, lround(r->score * 100.0));
  o = n > 0 ? (size_t)n : 0;
  for (int c = 0; c < MATCH_C__COUNT && o < sizeof tmp; c++) {
    if (r->ex.known[c])
      n = snprintf(tmp + o, sizeof tmp - o, " %s %.2f", abbrev[c], r->ex.value[c]);
    else if (c != MATCH_C_FEEDBACK)
      n = snprintf(tmp + o, sizeof tmp - o, " %s -", abbrev[c]);
    else
      n = 0;
    o += n > 0 ? (size_t)n : 0;
  }
  for (int i = 0; i < r->ex.n_req_missing && o < sizeof tmp; i++) {
    n = snprintf(tmp + o, sizeof tmp - o, "%s%s", i ? ", " : " missing: ", r->ex.req_missing[i]);
    o += n > 0 ? (size_t)n : 0;
  }
  if (o >= sizeof tmp)
    o = sizeof tmp - 1;
  return snprintf(buf, size, "%.*s", (int)o, tmp);
}
