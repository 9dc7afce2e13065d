/* bench_match — how fast the matcher ranks 10,000 and 100,000 candidates,
 * against the physical floor of merely streaming the index's bytes.
 *
 * Candidates are synthetic but shaped like real profiles (10-30 skills from a
 * vocabulary of 2,000, about 200 words of text from a Zipf-like vocabulary of
 * 20,000, mixed countries, preferences, salaries, some unknowns) and generated
 * by a fixed xorshift PRNG, so every run ranks the same data.  One model_candidate
 * is filled and put at a time: 100k full structs would be ~800 MB.
 * Prints figures only; never fails on timing (exit status 1 only on errors). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"

#define N_SKILL_VOCAB 2000
#define N_WORDS 20000
#define RUNS 7

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Zipf-ish: small ids far more likely, like words in CVs. */
static uint32_t zipf(uint32_t n)
{
  double u = (rnd() % 1000000 + 1) / 1e6;
  uint32_t k = (uint32_t)(pow((double)n, u)) - 1;
  return k < n ? k : n - 1;
}

static void skill_name(char *out, size_t n, uint32_t id)
{
  snprintf(out, n, "Skill%04u", (unsigned)id);
}

static const char *const countries[] = {"DK", "SE", "DE", "GB", "PL", "IE", "CH", "US", "IN", ""};
static const char *const currencies[] = {"EUR", "EUR", "EUR", "GBP", "EUR", "EUR", "CHF", "USD", "INR", ""};

static void fill_candidate(model_candidate *c, size_t i, char *text, size_t text_cap)
{
  memset(c, 0, sizeof *c);
  snprintf(c->record_id, sizeof c->record_id, "rec%014zu", i % 100000000000000u);
  c->seniority = (model_seniority)(rnd() % 7);
  c->years = rnd() % 5 ? (double)(rnd() % 25) : NAN;
  c->years_recent_tech = NAN;
  c->lead_years = rnd() % 4 ? NAN : (double)(rnd() % 6);
  int ci = (int)(rnd() % 10);
  snprintf(c->country, sizeof c->country, "%s", countries[ci]);
  snprintf(c->city, sizeof c->city, "City%u", (unsigned)(rnd() % 50));
  c->tz_offset_hours = rnd() % 6 ? (double)(rnd() % 3) : NAN;
  c->work_pref = (model_workpref)(rnd() % 4);
  if (rnd() % 3) {
    c->salary = 30000 + rnd() % 150000;
    snprintf(c->currency, sizeof c->currency, "%s", currencies[ci]);
  } else {
    c->salary = NAN;
  }
  c->role_family = (int)(rnd() % 12);
  c->n_skills = 10 + (int)(rnd() % 21);
  for (int k = 0; k < c->n_skills; k++) {
    model_skill *s = &c->skills[k];
    skill_name(s->name, sizeof s->name, zipf(N_SKILL_VOCAB));
    s->rating = (uint8_t)(1 + rnd() % 5);
    s->flags = (uint8_t)(SKILL_LISTED | (rnd() % 2 ? SKILL_AT_WORK : 0) |
                         (rnd() % 15 ? 0 : SKILL_ASPIRATIONAL));
    s->last_year = (int16_t)(rnd() % 4 ? 2015 + rnd() % 12 : 0);
    s->years = NAN;
  }
  size_t o = 0;
  int nw = 150 + (int)(rnd() % 100);
  for (int k = 0; k < nw && o + 16 < text_cap; k++)
    o += (size_t)snprintf(text + o, text_cap - o, "w%u ", (unsigned)zipf(N_WORDS));
  text[o] = '\0';
  c->text = text;   /* borrowed: put() copies what it keeps */
}

static void fill_job(model_job *j, int which)
{
  memset(j, 0, sizeof *j);
  snprintf(j->title, sizeof j->title, "Job %d", which);
  j->seniority = SEN_SENIOR;
  j->min_years = 3 + which;
  snprintf(j->country, sizeof j->country, "%s", countries[which % 4]);
  snprintf(j->city, sizeof j->city, "City%d", which);
  j->tz_offset_hours = 1;
  j->remote_policy = (model_workpref)(1 + which % 3);
  if (j->remote_policy == WORK_REMOTE)
    snprintf(j->remote_region, sizeof j->remote_region, "UK,EU");
  j->salary_min = 60000;
  j->salary_max = 90000;
  snprintf(j->currency, sizeof j->currency, "EUR");
  j->role_family = 1 + which;
  for (int k = 0; k < 8; k++) {
    model_skill *s = &j->skills[j->n_skills++];
    skill_name(s->name, sizeof s->name, (uint32_t)(which * 37 + k * 11) % 300);
    s->flags = k < 4 ? SKILL_REQUIRED : SKILL_NICE;
    s->alt_group = k == 2 || k == 3 ? 1 : 0;
    s->years = NAN;
  }
  static char text[4][4096];
  size_t o = 0;
  for (int k = 0; k < 250; k++)
    o += (size_t)snprintf(text[which] + o, sizeof text[which] - o, "w%u ", (unsigned)zipf(N_WORDS));
  j->text = text[which];
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof *v, cmp_d);
  return v[n / 2];
}

static int bench(size_t n_cands)
{
  match_index *ix;
  if (match_index_new(&ix))
    return 1;
  model_candidate *c = malloc(sizeof *c);
  char *text = malloc(8192);
  double t0 = now_ms();
  for (size_t i = 0; i < n_cands; i++) {
    fill_candidate(c, i, text, 8192);
    if (match_index_put(ix, c)) {
      fprintf(stderr, "bench_match: put failed\n");
      return 1;
    }
  }
  double build_ms = now_ms() - t0;
  free(c);
  free(text);

  model_job jobs[4];
  double per_job[4];
  match_result *res = calloc(MATCH_DEFAULT_TOP_N, sizeof *res);
  for (int j = 0; j < 4; j++) {
    fill_job(&jobs[j], j);
    match_query q = {.job = &jobs[j], .ref_year = 2026};
    const char *excl[] = {"rec00000000000001", "rec00000000000002"};
    q.exclude = excl;
    q.n_exclude = 2;
    double t[RUNS];
    size_t n = 0;
    for (int r = 0; r < RUNS; r++) {
      double s = now_ms();
      if (match_run(ix, &q, res, &n))
        return 1;
      t[r] = now_ms() - s;
    }
    per_job[j] = median(t, RUNS);
  }
  double ms = median(per_job, 4);

  size_t bytes = match_index_scan_bytes(ix);
  double st[RUNS];
  volatile uint64_t sink = 0;
  for (int r = 0; r < RUNS; r++) {
    double s = now_ms();
    sink += match_index_stream(ix);
    st[r] = now_ms() - s;
  }
  double floor_ms = median(st, RUNS);
  (void)sink;

  printf("  %6zu candidates: build %7.1f ms | rank %7.2f ms/job (median of %d runs x 4 jobs:"
         " %.2f %.2f %.2f %.2f)\n",
         n_cands, build_ms, ms, RUNS, per_job[0], per_job[1], per_job[2], per_job[3]);
  printf("  %6zu candidates: index %.1f MB scanned | stream floor %.2f ms (%.1f GB/s) | "
         "ratio rank/floor %.1fx\n",
         n_cands, bytes / 1e6, floor_ms, bytes / 1e6 / floor_ms, ms / floor_ms);
  if (n_cands == 100000)
    printf("  budget: 100k in <= 50 ms/job on one core: %s\n", ms <= 50 ? "met" : "NOT met");
  free(res);
  match_index_free(ix);
  return 0;
}

int main(void)
{
  printf("== match: ranking synthetic candidates (one core) ==\n");
  if (bench(10000) || bench(100000))
    return 1;
  return 0;
}
