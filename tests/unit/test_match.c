/* test_match — the matchmaking engine on hand-made profiles: ranking order,
 * aliases, exclusions, neutral missing data, hard filters, determinism, the
 * top-N heap against a full sort, index maintenance, rendering, feedback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "norm.h"

#define REF_YEAR 2026

/* ---- builders ------------------------------------------------------------- */

static model_candidate *cand_new(const char *id)
{
  model_candidate *c = calloc(1, sizeof *c);
  snprintf(c->record_id, sizeof c->record_id, "%s", id);
  c->years = NAN;
  c->years_recent_tech = NAN;
  c->tz_offset_hours = NAN;
  c->salary = NAN;
  c->lead_years = NAN;
  c->lat = c->lon = NAN;
  return c;
}

static void cand_free(model_candidate *c)
{
  if (c) {
    model_candidate_free(c);
    free(c);
  }
}

static void add_skill(model_candidate *c, const char *name, int rating, int flags, int last)
{
  model_skill *s = &c->skills[c->n_skills++];
  snprintf(s->name, sizeof s->name, "%s", name);
  s->rating = (uint8_t)rating;
  s->flags = (uint8_t)flags;
  s->last_year = (int16_t)last;
  s->years = NAN;
}

static void set_text(model_candidate *c, const char *t)
{
  free(c->text);
  c->text = strdup(t);
}

static void set_place(model_candidate *c, const char *city, const char *cc, model_workpref pref)
{
  snprintf(c->city, sizeof c->city, "%s", city);
  snprintf(c->country, sizeof c->country, "%s", cc);
  c->work_pref = pref;
}

/* A place with coordinates (degrees; GeoNames, rounded). */
static void set_point(model_candidate *c, const char *city, const char *cc, model_workpref pref,
                      float lat, float lon)
{
  set_place(c, city, cc, pref);
  c->lat = lat;
  c->lon = lon;
}

#define CPH_LAT 55.68f /* Copenhagen */
#define CPH_LON 12.57f

/* A backend engineer who matches the test job on every count. */
static model_candidate *strong(const char *id)
{
  model_candidate *c = cand_new(id);
  snprintf(c->title, sizeof c->title, "Senior Backend Engineer");
  c->seniority = SEN_SENIOR;
  c->years = 8;
  c->role_family = NORM_ROLE_BACKEND;
  set_place(c, "Copenhagen", "DK", WORK_HYBRID);
  c->tz_offset_hours = 1;
  add_skill(c, "Python", 5, SKILL_LISTED | SKILL_AT_WORK, 2026);
  add_skill(c, "Django", 5, SKILL_LISTED | SKILL_AT_WORK, 2026);
  add_skill(c, "PostgreSQL", 4, SKILL_LISTED | SKILL_AT_WORK, 2026);
  add_skill(c, "Redis", 3, SKILL_LISTED | SKILL_AT_WORK, 2025);
  set_text(c, "Senior backend engineer: Python and Django REST APIs on PostgreSQL, "
              "Celery and Redis, owned the public API for six years.");
  return c;
}

static model_job *job_new(void)
{
  model_job *j = calloc(1, sizeof *j);
  snprintf(j->title, sizeof j->title, "Senior Backend Engineer (Python/Django)");
  j->seniority = SEN_SENIOR;
  j->min_years = 5;
  snprintf(j->city, sizeof j->city, "Copenhagen");
  snprintf(j->country, sizeof j->country, "DK");
  j->tz_offset_hours = 1;
  j->lat = j->lon = NAN;
  j->remote_policy = WORK_HYBRID;
  j->salary_min = 80000;
  j->salary_max = 100000;
  snprintf(j->currency, sizeof j->currency, "EUR");
  j->role_family = NORM_ROLE_BACKEND;
  const char *req[] = {"Python", "Django", "PostgreSQL"};
  for (int i = 0; i < 3; i++) {
    model_skill *s = &j->skills[j->n_skills++];
    snprintf(s->name, sizeof s->name, "%s", req[i]);
    s->flags = SKILL_REQUIRED;
    s->years = NAN;
  }
  model_skill *s = &j->skills[j->n_skills++];
  snprintf(s->name, sizeof s->name, "Redis");
  s->flags = SKILL_NICE;
  s->years = NAN;
  j->text = strdup("Senior Backend Engineer Python Django. You build REST APIs with Django REST "
                   "Framework on PostgreSQL. Nice to have: Celery, Redis. Hybrid in Copenhagen.");
  return j;
}

static void job_free(model_job *j)
{
  model_job_free(j);
  free(j);
}

static match_query query_of(const model_job *j)
{
  match_query q = {0};
  q.job = j;
  q.ref_year = REF_YEAR;
  return q;
}

/* Runs q and returns the results (caller frees). */
static match_result *run(match_index *ix, const match_query *q, size_t *n)
{
  size_t top = q->top_n ? q->top_n : MATCH_DEFAULT_TOP_N;
  match_result *r = calloc(top, sizeof *r);
  assert_int_equal(match_run(ix, q, r, n), TD_OK);
  return r;
}

static const match_result *find(const match_result *r, size_t n, const char *id)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(r[i].record_id, id))
      return &r[i];
  return NULL;
}

static match_index *index_of(model_candidate **cs, size_t n)
{
  match_index *ix;
  assert_int_equal(match_index_new(&ix), TD_OK);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(match_index_put(ix, cs[i]), TD_OK);
  return ix;
}

static void free_all(model_candidate **cs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    cand_free(cs[i]);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_best_first(void **state)
{
  (void)state;
  model_candidate *cs[4];
  cs[0] = cand_new("recNurse000000001");
  snprintf(cs[0]->title, sizeof cs[0]->title, "Nurse");
  cs[0]->role_family = NORM_ROLE_HEALTHCARE;
  set_text(cs[0], "Registered nurse in a hospital ward, patient care and medication rounds.");
  cs[1] = strong("recStrong00000001");
  cs[2] = cand_new("recPartial0000001");   /* Python only, fewer years */
  cs[2]->years = 3;
  cs[2]->seniority = SEN_MID;
  cs[2]->role_family = NORM_ROLE_BACKEND;
  add_skill(cs[2], "Python", 4, SKILL_LISTED | SKILL_AT_WORK, 2026);
  set_text(cs[2], "Backend developer writing Python services.");
  cs[3] = cand_new("recEmpty000000001");   /* nothing known at all */
  match_index *ix = index_of(cs, 4);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_true(n >= 2);
  assert_string_equal(r[0].record_id, "recStrong00000001");
  assert_string_equal(r[1].record_id, "recPartial0000001");
  assert_true(r[0].score > 0.8);
  const match_result *e = find(r, n, "recEmpty000000001");
  assert_true(!e || e->score == 0.0);   /* an empty profile never scores 45% */
  const match_result *nu = find(r, n, "recNurse000000001");
  assert_true(!nu || nu->score < 0.05);
  /* explanation of the winner */
  assert_int_equal(r[0].ex.n_req_matched, 3);
  assert_int_equal(r[0].ex.n_req_missing, 0);
  assert_int_equal(r[0].ex.n_nice_matched, 1);
  assert_int_equal(r[1].ex.n_req_missing, 2);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 4);
}

/* The normalizer turns "py", "Postgres", "k8s" into canonical names; the
 * engine must then treat them exactly as if written canonically (and fold
 * case, so a taxonomy miss kept "as written" still meets the job). */
static void test_alias_as_canonical(void **state)
{
  (void)state;
  model_candidate *a = strong("recCanon000000001");
  model_candidate *b = strong("recAlias000000001");
  snprintf(b->skills[0].name, sizeof b->skills[0].name, "python");
  snprintf(b->skills[2].name, sizeof b->skills[2].name, "POSTGRESQL");
  model_candidate *cs[] = {a, b};
  match_index *ix = index_of(cs, 2);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_true(r[0].score == r[1].score);
  assert_true(r[0].ex.value[MATCH_C_SKILLS] == r[1].ex.value[MATCH_C_SKILLS]);
  assert_string_equal(r[0].record_id, "recAlias000000001");   /* tie: smaller id */
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 2);
}

static void test_excluded_never_proposed(void **state)
{
  (void)state;
  model_candidate *cs[3] = {strong("recA0000000000001"), strong("recB0000000000001"),
                            strong("recC0000000000001")};
  match_index *ix = index_of(cs, 3);
  model_job *j = job_new();
  match_query q = query_of(j);
  const char *ex[] = {"recB0000000000001", "recZ0000000000009"};
  q.exclude = ex;
  q.n_exclude = 2;
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_null(find(r, n, "recB0000000000001"));
  free(r);
  /* score_one reports the filter */
  match_result one;
  assert_int_equal(match_score_one(ix, &q, cs[1], &one), TD_OK);
  assert_int_equal(one.ex.filter[MATCH_F_EXCLUDED], MATCH_FAIL);
  assert_true(one.score == 0.0);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 3);
}

/* Precise rule: salary is a fit factor.  In range -> value 1, factor 1;
 * unknown -> no value, factor 1.  So the unknown-salary candidate scores
 * exactly what the identical in-range candidate scores; only the salary
 * component differs, and only in being known.  Above the maximum the
 * factor drops; beyond 1.5x the filter fails. */
static void test_unknown_salary_neutral(void **state)
{
  (void)state;
  model_candidate *in = strong("recIn000000000001");
  in->salary = 90000;
  snprintf(in->currency, sizeof in->currency, "EUR");
  model_candidate *unk = strong("recUnk00000000001");
  model_candidate *high = strong("recHigh0000000001");
  high->salary = 125000;
  snprintf(high->currency, sizeof high->currency, "EUR");
  model_candidate *way = strong("recWay00000000001");
  way->salary = 200000;
  snprintf(way->currency, sizeof way->currency, "EUR");
  model_candidate *gbp = strong("recGbp00000000001");   /* GBP 150k = EUR 175k */
  gbp->salary = 150000;
  snprintf(gbp->currency, sizeof gbp->currency, "GBP");
  model_candidate *cs[] = {in, unk, high, way, gbp};
  match_index *ix = index_of(cs, 5);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  const match_result *ri = find(r, n, "recIn000000000001"), *ru = find(r, n, "recUnk00000000001");
  const match_result *rh = find(r, n, "recHigh0000000001");
  assert_non_null(ri);
  assert_non_null(ru);
  assert_non_null(rh);
  assert_true(ri->score == ru->score);
  assert_int_equal(ri->ex.known[MATCH_C_SALARY], 1);
  assert_true(ri->ex.value[MATCH_C_SALARY] == 1.0);
  assert_int_equal(ru->ex.known[MATCH_C_SALARY], 0);
  assert_int_equal(ru->ex.filter[MATCH_F_SALARY], MATCH_UNKNOWN);
  for (int c = 0; c < MATCH_C__COUNT; c++)
    if (c != MATCH_C_SALARY)
      assert_true(ri->ex.value[c] == ru->ex.value[c]);
  assert_true(rh->score < ri->score);
  assert_null(find(r, n, "recWay00000000001"));
  assert_null(find(r, n, "recGbp00000000001"));
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 5);
}

static void test_remote_abroad_filtered(void **state)
{
  (void)state;
  model_candidate *abroad = strong("recAbroad00000001");
  set_place(abroad, "Cape Town", "ZA", WORK_REMOTE);
  model_candidate *reloc = strong("recReloc000000001");
  set_place(reloc, "Cape Town", "ZA", WORK_HYBRID);
  model_candidate *unknown = strong("recUnknown0000001");
  set_place(unknown, "", "", WORK_UNKNOWN);
  model_candidate *home = strong("recHome0000000001");
  set_place(home, "Aarhus", "DK", WORK_REMOTE);
  model_candidate *cs[] = {abroad, reloc, unknown, home};
  match_index *ix = index_of(cs, 4);
  model_job *j = job_new();
  j->remote_policy = WORK_ONSITE;
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_null(find(r, n, "recAbroad00000001"));
  assert_non_null(find(r, n, "recReloc000000001"));
  assert_non_null(find(r, n, "recHome0000000001"));
  const match_result *u = find(r, n, "recUnknown0000001");
  assert_non_null(u);
  assert_int_equal(u->ex.filter[MATCH_F_WORK], MATCH_UNKNOWN);
  assert_string_equal(r[0].record_id, "recUnknown0000001");   /* unknown costs nothing */
  free(r);

  /* a remote job limited to the UK and the EU */
  j->remote_policy = WORK_REMOTE;
  snprintf(j->remote_region, sizeof j->remote_region, "UK,EU");
  r = run(ix, &q, &n);
  assert_null(find(r, n, "recAbroad00000001"));
  assert_null(find(r, n, "recReloc000000001"));
  assert_non_null(find(r, n, "recHome0000000001"));
  assert_non_null(find(r, n, "recUnknown0000001"));
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 4);
}

static double loc_of(const match_result *r)
{
  assert_non_null(r);
  assert_int_equal(r->ex.known[MATCH_C_LOCATION], 1);
  return r->ex.value[MATCH_C_LOCATION];
}

/* On-site and hybrid: the commute decides, not the border. */
static void test_commute_across_border(void **state)
{
  (void)state;
  model_candidate *malmo = strong("recMalmo000000001");       /* SE, ~28 km */
  set_point(malmo, "Malmö", "SE", WORK_HYBRID, 55.61f, 13.00f);
  model_candidate *aalborg = strong("recAalborg0000001");     /* DK, ~220 km */
  set_point(aalborg, "Aalborg", "DK", WORK_HYBRID, 57.05f, 9.92f);
  model_candidate *hamburg = strong("recHamburg0000001");     /* DE, ~290 km */
  set_point(hamburg, "Hamburg", "DE", WORK_HYBRID, 53.55f, 9.99f);
  model_candidate *home = strong("recHome0000000001");        /* the office's city */
  set_point(home, "Copenhagen", "DK", WORK_HYBRID, CPH_LAT, CPH_LON);
  model_candidate *mremote = strong("recMalmoRemote001");     /* near, wants remote */
  set_point(mremote, "Malmö", "SE", WORK_REMOTE, 55.61f, 13.00f);
  model_candidate *hremote = strong("recHamburgRemote1");     /* far abroad, wants remote */
  set_point(hremote, "Hamburg", "DE", WORK_REMOTE, 53.55f, 9.99f);
  model_candidate *cs[] = {malmo, aalborg, hamburg, home, mremote, hremote};
  match_index *ix = index_of(cs, 6);
  model_job *j = job_new();
  j->lat = CPH_LAT;
  j->lon = CPH_LON;
  j->remote_policy = WORK_ONSITE;
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  const match_result *rm = find(r, n, "recMalmo000000001"), *ra = find(r, n, "recAalborg0000001");
  const match_result *rh = find(r, n, "recHome0000000001");
  /* the neighbour across the border beats the far compatriot */
  assert_true(loc_of(rm) > 0.95);
  assert_true(fabs(loc_of(ra) - 0.8) < 1e-6);    /* far: the in-country relocation level */
  assert_true(rm->score > ra->score);
  assert_true(loc_of(rh) == 1.0);
  assert_true(rh->score >= rm->score);
  /* far abroad: the abroad relocation level (same time zone) */
  assert_true(fabs(loc_of(find(r, n, "recHamburg0000001")) - 0.6) < 1e-6);
  /* wanting remote work: a commute across the border passes the filter with
   * the usual cost; from far abroad it fails as before */
  const match_result *rmr = find(r, n, "recMalmoRemote001");
  assert_true(fabs(loc_of(rmr) - loc_of(rm) * 0.6) < 1e-6);
  assert_null(find(r, n, "recHamburgRemote1"));
  free(r);

  /* hybrid: same order, a longer commute allowed, closer to 1 at the same km */
  j->remote_policy = WORK_HYBRID;
  r = run(ix, &q, &n);
  double hyb = loc_of(find(r, n, "recMalmo000000001"));
  assert_true(hyb >= 0.97);
  assert_true(find(r, n, "recMalmo000000001")->score > find(r, n, "recAalborg0000001")->score);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 6);
}

/* Distances fall between the commute limit and the relocation level, and
 * never rise with distance. */
static void test_commute_decay(void **state)
{
  (void)state;
  enum { N = 12 };
  model_candidate *cs[N];
  char id[MODEL_ID_LEN];
  for (int i = 0; i < N; i++) {
    snprintf(id, sizeof id, "recDecay%09u", (unsigned)i % 1000000000u);
    cs[i] = strong(id);
    /* due north of the office in 25 km steps: 0 .. 275 km */
    set_point(cs[i], i ? "Elsewhere" : "Copenhagen", "DK", WORK_HYBRID,
              CPH_LAT + (float)i * 25.0f / 111.19f, CPH_LON);
  }
  match_index *ix = index_of(cs, N);
  model_job *j = job_new();
  j->lat = CPH_LAT;
  j->lon = CPH_LON;
  for (int pol = 0; pol < 2; pol++) {
    j->remote_policy = pol ? WORK_HYBRID : WORK_ONSITE;
    match_query q = query_of(j);
    size_t n;
    match_result *r = run(ix, &q, &n);
    double prev = 2;
    for (int i = 0; i < N; i++) {
      snprintf(id, sizeof id, "recDecay%09u", (unsigned)i % 1000000000u);
      double v = loc_of(find(r, n, id));
      assert_true(v <= prev + 1e-9);
      assert_true(v >= 0.8 - 1e-9 && v <= 1.0);
      if (i * 25 <= 30) assert_true(v == 1.0);                        /* metro */
      if (i * 25 <= (pol ? 80 : 60)) assert_true(v >= 0.95 - 1e-9);   /* commutable */
      if (i * 25 >= (pol ? 250 : 190)) assert_true(fabs(v - 0.8) < 1e-6);
      prev = v;
    }
    free(r);
  }
  match_index_free(ix);
  job_free(j);
  free_all(cs, N);
}

/* Missing coordinates on either side keep the city / country rules; a
 * zero-initialised point (0, 0) counts as missing. */
static void test_unknown_coordinates_neutral(void **state)
{
  (void)state;
  model_candidate *known = strong("recKnown000000001");
  set_point(known, "Copenhagen", "DK", WORK_HYBRID, CPH_LAT, CPH_LON);
  model_candidate *nocoord = strong("recNoCoord0000001");       /* city, no point */
  set_place(nocoord, "Copenhagen", "DK", WORK_HYBRID);
  model_candidate *country = strong("recCountry0000001");       /* country only */
  set_place(country, "", "DK", WORK_HYBRID);
  model_candidate *zero = strong("recZero0000000001");          /* zero-initialised */
  set_point(zero, "Copenhagen", "DK", WORK_HYBRID, 0.0f, 0.0f);
  model_candidate *other = strong("recOtherCity00001");         /* another city, no point */
  set_place(other, "Aarhus", "DK", WORK_HYBRID);
  model_candidate *malmo = strong("recMalmo000000001");
  set_point(malmo, "Malmö", "SE", WORK_HYBRID, 55.61f, 13.00f);
  model_candidate *cs[] = {known, nocoord, country, zero, other, malmo};
  match_index *ix = index_of(cs, 6);
  model_job *j = job_new();
  j->lat = CPH_LAT;
  j->lon = CPH_LON;
  j->remote_policy = WORK_ONSITE;
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  const match_result *rk = find(r, n, "recKnown000000001");
  const char *same[] = {"recNoCoord0000001", "recCountry0000001", "recZero0000000001"};
  for (int i = 0; i < 3; i++) {
    const match_result *x = find(r, n, same[i]);
    assert_true(loc_of(x) == 1.0);
    assert_true(fabs(x->score - rk->score) < 1e-9);
  }
  assert_true(fabs(loc_of(find(r, n, "recOtherCity00001")) - 0.8) < 1e-6);   /* as before */
  free(r);

  /* the office without coordinates: as before distances existed */
  j->lat = j->lon = NAN;
  r = run(ix, &q, &n);
  assert_true(loc_of(find(r, n, "recKnown000000001")) == 1.0);
  assert_true(fabs(loc_of(find(r, n, "recMalmo000000001")) - 0.6) < 1e-6);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 6);
}

/* Remote jobs: regions and time zones decide; distance plays no part. */
static void test_remote_job_ignores_distance(void **state)
{
  (void)state;
  model_candidate *near = strong("recNear0000000001");
  set_point(near, "Malmö", "SE", WORK_REMOTE, 55.61f, 13.00f);
  model_candidate *far = strong("recFar00000000001");
  set_point(far, "Lisbon", "PT", WORK_REMOTE, 38.72f, -9.13f);
  far->tz_offset_hours = 0;
  model_candidate *nopoint = strong("recNoPoint0000001");
  set_place(nopoint, "Lisbon", "PT", WORK_REMOTE);
  nopoint->tz_offset_hours = 0;
  model_candidate *cs[] = {near, far, nopoint};
  match_index *ix = index_of(cs, 3);
  model_job *j = job_new();
  j->lat = CPH_LAT;
  j->lon = CPH_LON;
  j->remote_policy = WORK_REMOTE;
  for (int lim = 0; lim < 2; lim++) {
    snprintf(j->remote_region, sizeof j->remote_region, "%s", lim ? "EU" : "");
    match_query q = query_of(j);
    size_t n;
    match_result *r = run(ix, &q, &n);
    const match_result *a = find(r, n, "recNear0000000001"), *b = find(r, n, "recFar00000000001");
    const match_result *c = find(r, n, "recNoPoint0000001");
    assert_true(loc_of(a) == 1.0 && loc_of(b) == 1.0 && loc_of(c) == 1.0);
    assert_true(fabs(a->score - b->score) < 1e-9);
    assert_true(fabs(b->score - c->score) < 1e-9);
    free(r);
  }
  match_index_free(ix);
  job_free(j);
  free_all(cs, 3);
}

static void test_determinism_and_tiebreak(void **state)
{
  (void)state;
  const char *ids[] = {"recT3000000000000", "recT1000000000000", "recT2000000000000"};
  model_candidate *cs[3];
  for (int i = 0; i < 3; i++)
    cs[i] = strong(ids[i]);
  match_index *ix = index_of(cs, 3);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n1, n2;
  match_result *a = run(ix, &q, &n1);
  match_result *b = run(ix, &q, &n2);
  assert_int_equal(n1, 3);
  assert_int_equal(n2, 3);
  assert_string_equal(a[0].record_id, "recT1000000000000");
  assert_string_equal(a[1].record_id, "recT2000000000000");
  assert_string_equal(a[2].record_id, "recT3000000000000");
  for (size_t i = 0; i < n1; i++) {
    assert_string_equal(a[i].record_id, b[i].record_id);
    assert_true(a[i].score == b[i].score);
  }
  free(a);
  free(b);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 3);
}

static uint64_t rng_state = 42;
static uint32_t rnd(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

static const char *const pool[] = {"Python", "Django", "PostgreSQL", "Redis", "Go", "Java",
                                   "Kubernetes", "Terraform", "Swift", "SQL", "Tableau",
                                   "Playwright", "TypeScript", "React", "Docker", "AWS"};
static const char *const words[] = {"python", "django", "api", "rest", "team", "postgresql",
                                    "backend", "swift", "ios", "data", "sql", "care",
                                    "cloud", "redis", "design", "platform", "nurse"};

static model_candidate *random_cand(int i)
{
  char id[MODEL_ID_LEN];
  snprintf(id, sizeof id, "recR%013d", i);
  model_candidate *c = cand_new(id);
  int ns = (int)(rnd() % 8);
  for (int k = 0; k < ns; k++)
    add_skill(c, pool[rnd() % 16], 1 + (int)(rnd() % 5),
              (rnd() % 2 ? SKILL_AT_WORK : 0) | SKILL_LISTED, 2010 + (int)(rnd() % 17));
  c->years = rnd() % 3 ? (double)(rnd() % 15) : NAN;
  c->seniority = (model_seniority)(rnd() % 7);
  c->role_family = (int)(rnd() % 3);
  static const char *const cc[] = {"", "DK", "SE", "GB", "ZA"};
  set_place(c, "", cc[rnd() % 5], (model_workpref)(rnd() % 4));
  if (rnd() % 2) {
    c->salary = 40000 + rnd() % 120000;
    snprintf(c->currency, sizeof c->currency, "EUR");
  }
  char text[512];
  size_t o = 0;
  int nw = 5 + (int)(rnd() % 30);
  for (int k = 0; k < nw && o < sizeof text - 16; k++)
    o += (size_t)snprintf(text + o, sizeof text - o, "%s ", words[rnd() % 17]);
  set_text(c, text);
  return c;
}

static int cmp_res(const void *a, const void *b)
{
  const match_result *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(x->record_id, y->record_id);
}

static void test_heap_vs_full_sort(void **state)
{
  (void)state;
  enum { N = 3000, TOP = 50 };
  model_candidate **cs = calloc(N, sizeof *cs);
  for (int i = 0; i < N; i++)
    cs[i] = random_cand(i);
  match_index *ix = index_of(cs, N);
  model_job *j = job_new();
  match_query q = query_of(j);
  q.top_n = TOP;
  size_t n;
  match_result *r = run(ix, &q, &n);
  match_result *all = calloc(N, sizeof *all);
  size_t m = 0;
  for (int i = 0; i < N; i++) {
    match_result one;
    assert_int_equal(match_score_one(ix, &q, cs[i], &one), TD_OK);
    int failed = 0;
    for (int f = 0; f < MATCH_F__COUNT; f++)
      failed |= one.ex.filter[f] == MATCH_FAIL;
    if (!failed)
      all[m++] = one;
  }
  qsort(all, m, sizeof *all, cmp_res);
  assert_int_equal(n, m < TOP ? m : TOP);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(r[i].record_id, all[i].record_id);
    assert_true(fabs(r[i].score - all[i].score) < 1e-12);
  }
  free(all);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, N);
  free(cs);
}

static void test_index_maintenance(void **state)
{
  (void)state;
  match_index *ix;
  assert_int_equal(match_index_new(&ix), TD_OK);
  model_candidate *a = strong("recA0000000000001");
  model_candidate *b = cand_new("recB0000000000001");
  add_skill(b, "Python", 3, SKILL_LISTED, 0);
  set_text(b, "python");
  b->role_family = NORM_ROLE_BACKEND;
  assert_int_equal(match_index_put(ix, a), TD_OK);
  assert_int_equal(match_index_put(ix, b), TD_OK);
  assert_int_equal(match_index_count(ix), 2);
  assert_true(match_index_contains(ix, "recB0000000000001"));
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_string_equal(r[0].record_id, "recA0000000000001");
  free(r);

  /* replace b with a stronger version, many times (forces compaction) */
  model_candidate *b2 = strong("recB0000000000001");
  b2->years = 12;
  add_skill(b2, "Celery", 4, SKILL_AT_WORK, 2026);
  for (int i = 0; i < 50; i++)
    assert_int_equal(match_index_put(ix, i % 2 ? b2 : b), TD_OK);
  assert_int_equal(match_index_put(ix, b2), TD_OK);
  assert_int_equal(match_index_count(ix), 2);
  r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_true(r[0].score >= r[1].score);
  const match_result *rb = find(r, n, "recB0000000000001");
  assert_int_equal(rb->ex.n_req_matched, 3);
  free(r);

  /* remove a; it is never proposed again; removing twice is NOT_FOUND */
  assert_int_equal(match_index_remove(ix, "recA0000000000001"), TD_OK);
  assert_int_equal(match_index_remove(ix, "recA0000000000001"), TD_ERR_NOT_FOUND);
  assert_false(match_index_contains(ix, "recA0000000000001"));
  assert_int_equal(match_index_count(ix), 1);
  r = run(ix, &q, &n);
  assert_int_equal(n, 1);
  assert_string_equal(r[0].record_id, "recB0000000000001");
  free(r);

  /* re-add reuses the slot and is found */
  assert_int_equal(match_index_put(ix, a), TD_OK);
  assert_int_equal(match_index_count(ix), 2);
  r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_non_null(find(r, n, "recA0000000000001"));
  free(r);

  /* many removes compact the pools; the rest still scores the same */
  model_candidate *fill[200];
  for (int i = 0; i < 200; i++) {
    fill[i] = random_cand(1000 + i);
    assert_int_equal(match_index_put(ix, fill[i]), TD_OK);
  }
  match_result before, after;
  assert_int_equal(match_score_one(ix, &q, a, &before), TD_OK);
  for (int i = 0; i < 200; i++)
    assert_int_equal(match_index_remove(ix, fill[i]->record_id), TD_OK);
  assert_int_equal(match_index_count(ix), 2);
  r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_int_equal(match_score_one(ix, &q, a, &after), TD_OK);
  assert_true(find(r, n, "recA0000000000001")->score == after.score);
  free(r);
  free_all(fill, 200);

  model_candidate *noid = cand_new("");
  assert_int_equal(match_index_put(ix, noid), TD_ERR_INVALID);
  cand_free(noid);
  match_index_free(ix);
  job_free(j);
  cand_free(a);
  cand_free(b);
  cand_free(b2);
}

static void test_hard_negatives(void **state)
{
  (void)state;
  model_candidate *good = strong("recGood0000000001");
  /* recruiter: lists the whole stack, no work evidence, other role family */
  model_candidate *rec = strong("recRecruiter00001");
  rec->role_family = NORM_ROLE_RECRUITING;
  for (int k = 0; k < rec->n_skills; k++)
    rec->skills[k].flags = SKILL_LISTED | SKILL_IN_CV;
  /* junior with the exact stack */
  model_candidate *jun = strong("recJunior00000001");
  jun->years = 0.4;
  jun->seniority = SEN_JUNIOR;
  /* stale: the stack until 2014 */
  model_candidate *stale = strong("recStale000000001");
  for (int k = 0; k < stale->n_skills; k++)
    stale->skills[k].last_year = 2014;
  stale->last_tech_year = 2014;
  stale->role_family = NORM_ROLE_MANAGEMENT;
  /* aspirational */
  model_candidate *asp = strong("recAspire00000001");
  for (int k = 0; k < asp->n_skills; k++)
    asp->skills[k].flags = SKILL_LISTED | SKILL_ASPIRATIONAL;
  /* a credible neighbour: Python without Django, good years */
  model_candidate *near = strong("recNear0000000001");
  snprintf(near->skills[1].name, sizeof near->skills[1].name, "FastAPI");
  model_candidate *cs[] = {good, rec, jun, stale, asp, near};
  match_index *ix = index_of(cs, 6);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_int_equal(n, 6);
  assert_string_equal(r[0].record_id, "recGood0000000001");
  assert_string_equal(r[1].record_id, "recNear0000000001");
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 6);
}

static void test_alternatives(void **state)
{
  (void)state;
  model_job *j = job_new();
  /* Django or Flask */
  j->skills[1].alt_group = 1;
  model_skill *s = &j->skills[j->n_skills++];
  snprintf(s->name, sizeof s->name, "Flask");
  s->flags = SKILL_REQUIRED;
  s->alt_group = 1;
  model_candidate *a = strong("recDjango00000001");
  model_candidate *b = strong("recFlask000000001");
  snprintf(b->skills[1].name, sizeof b->skills[1].name, "Flask");
  model_candidate *cs[] = {a, b};
  match_index *ix = index_of(cs, 2);
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_int_equal(n, 2);
  assert_true(fabs(r[0].ex.value[MATCH_C_SKILLS] - r[1].ex.value[MATCH_C_SKILLS]) < 1e-12);
  assert_int_equal(r[0].ex.n_req_missing, 0);
  assert_int_equal(r[1].ex.n_req_missing, 0);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 2);
}

static void test_render(void **state)
{
  (void)state;
  model_candidate *a = cand_new("recA0000000000001");
  add_skill(a, "Python", 4, SKILL_AT_WORK, 2026);
  set_text(a, "python developer");
  model_candidate *cs[] = {a};
  match_index *ix = index_of(cs, 1);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_int_equal(n, 1);
  cJSON *o = match_result_json(&r[0]);
  assert_non_null(o);
  char *s = cJSON_PrintUnformatted(o);
  assert_non_null(strstr(s, "\"id\":\"recA0000000000001\""));
  assert_non_null(strstr(s, "\"required_missing\":[\"Django\",\"PostgreSQL\"]"));
  assert_non_null(strstr(s, "\"salary\":null"));
  assert_non_null(strstr(s, "\"work\":\"unknown\""));
  free(s);
  cJSON_Delete(o);
  char line[256];
  int len = match_result_line(&r[0], line, sizeof line);
  assert_true(len > 0);
  assert_non_null(strstr(line, "missing: Django, PostgreSQL"));
  char small[8];
  match_result_line(&r[0], small, sizeof small);
  assert_int_equal(strlen(small), 7);
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 1);
}

static void test_feedback(void **state)
{
  (void)state;
  /* two equal candidates except for one skill the job does not name:
   * Flask for a, Celery for b; without feedback they tie */
  model_candidate *a = strong("recA0000000000001");
  model_candidate *b = strong("recB0000000000001");
  snprintf(a->skills[3].name, sizeof a->skills[3].name, "Flask");
  snprintf(b->skills[3].name, sizeof b->skills[3].name, "Celery");
  model_candidate *cs[] = {a, b};
  match_index *ix = index_of(cs, 2);
  model_job *j = job_new();
  match_query q = query_of(j);
  size_t n;
  match_result *r = run(ix, &q, &n);
  assert_string_equal(r[0].record_id, "recA0000000000001");
  assert_true(r[0].score == r[1].score);
  assert_int_equal(r[0].ex.known[MATCH_C_FEEDBACK], 0);
  free(r);
  /* the recruiter shortlisted a Celery person and rejected a Flask one */
  model_skill pos[1] = {{.name = "Celery", .rating = 5}};
  model_skill neg[1] = {{.name = "Flask", .rating = 5}};
  match_feedback_example ex[2] = {{pos, 1, +1.0}, {neg, 1, -1.0}};
  match_feedback fb = {ex, 2, {0}};
  q.feedback = &fb;
  r = run(ix, &q, &n);
  assert_string_equal(r[0].record_id, "recB0000000000001");
  assert_int_equal(r[0].ex.known[MATCH_C_FEEDBACK], 1);
  assert_true(r[0].ex.value[MATCH_C_FEEDBACK] > 0.5);
  assert_true(r[1].ex.value[MATCH_C_FEEDBACK] < 0.5);
  free(r);
  /* the same through a precomputed delta */
  const char *names[] = {"Celery"};
  const float vals[] = {1.0f};
  match_feedback fb2 = {NULL, 0, {names, vals, 1}};
  q.feedback = &fb2;
  r = run(ix, &q, &n);
  assert_string_equal(r[0].record_id, "recB0000000000001");
  free(r);
  match_index_free(ix);
  job_free(j);
  free_all(cs, 2);
}

/* One writer churning the index while readers rank: every ranking must stay
 * well-formed (sorted, no record twice).  Run under ASan/TSan to mean more. */
typedef struct conc {
  match_index *ix;
  const model_job *job;
  int bad;
} conc;

static void *reader(void *arg)
{
  conc *c = arg;
  match_query q = query_of(c->job);
  q.top_n = 30;
  match_result *r = calloc(30, sizeof *r);
  for (int it = 0; it < 15; it++) {
    size_t n;
    if (match_run(c->ix, &q, r, &n) != TD_OK) {
      c->bad = 1;
      break;
    }
    for (size_t i = 1; i < n; i++)
      if (r[i].score > r[i - 1].score || !strcmp(r[i].record_id, r[i - 1].record_id))
        c->bad = 1;
    for (size_t i = 0; i < n; i++)
      for (size_t k = i + 1; k < n; k++)
        if (!strcmp(r[i].record_id, r[k].record_id))
          c->bad = 1;
  }
  free(r);
  return NULL;
}

static void test_concurrent_readers_writer(void **state)
{
  (void)state;
  enum { N = 6000 };
  model_candidate **cs = calloc(N, sizeof *cs);
  for (int i = 0; i < N; i++)
    cs[i] = random_cand(50000 + i);
  match_index *ix = index_of(cs, N / 2);
  model_job *j = job_new();
  conc c = {ix, j, 0};
  pthread_t th[3];
  for (int t = 0; t < 3; t++)
    assert_int_equal(pthread_create(&th[t], NULL, reader, &c), 0);
  for (int i = 0; i < N; i++) {
    if (i % 3 == 0)
      match_index_remove(ix, cs[i / 2]->record_id);
    else
      assert_int_equal(match_index_put(ix, cs[i]), TD_OK);
  }
  for (int t = 0; t < 3; t++)
    pthread_join(th[t], NULL);
  assert_int_equal(c.bad, 0);
  match_index_free(ix);
  job_free(j);
  free_all(cs, N);
  free(cs);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_best_first),
    cmocka_unit_test(test_alias_as_canonical),
    cmocka_unit_test(test_excluded_never_proposed),
    cmocka_unit_test(test_unknown_salary_neutral),
    cmocka_unit_test(test_remote_abroad_filtered),
    cmocka_unit_test(test_commute_across_border),
    cmocka_unit_test(test_commute_decay),
    cmocka_unit_test(test_unknown_coordinates_neutral),
    cmocka_unit_test(test_remote_job_ignores_distance),
    cmocka_unit_test(test_determinism_and_tiebreak),
    cmocka_unit_test(test_heap_vs_full_sort),
    cmocka_unit_test(test_index_maintenance),
    cmocka_unit_test(test_hard_negatives),
    cmocka_unit_test(test_alternatives),
    cmocka_unit_test(test_render),
    cmocka_unit_test(test_feedback),
    cmocka_unit_test(test_concurrent_readers_writer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
