/* test_feedback — recruiter feedback, pure part: the signal of every stage
 * column, snapshot diffs (enter, leave, move, duplicates, replay), Rocchio
 * weights with decay and one signal per candidate, the optional rejection
 * decrements, rating clamping, and the Feedback-field parser (well-formed,
 * malformed, prose, unresolved, ambiguous, accents) with its line identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "feedback.h"
#include "tax.h"

#define DAY 86400
#define NOW ((time_t)1790000000)

/* ---- stage signals -------------------------------------------------------- */

static void test_column_signals(void **state)
{
  (void)state;
  static const struct {
    fld_id col;
    fb_signal sig;
    fb_stage stage;
    int excludes;
  } cases[] = {
    {FLD_A_FIT_AI, FB_NONE, FB_STAGE_PROPOSED, 0},
    {FLD_A_AI_REJECTION, FB_NOT_A_FIT, FB_STAGE_PROPOSED, 1},
    {FLD_A_FIT, FB_PROGRESS, FB_STAGE_POTENTIAL, 0},
    {FLD_A_FIT_NICK, FB_PROGRESS, FB_STAGE_POTENTIAL, 0},
    {FLD_A_FIT_NOE, FB_PROGRESS, FB_STAGE_POTENTIAL, 0},
    {FLD_A_SHORTLISTED, FB_PROGRESS, FB_STAGE_SHORTLIST, 0},
    {FLD_A_CLIENT_INTRO, FB_PROGRESS, FB_STAGE_INTRO, 0},
    {FLD_A_INTERVIEW_1, FB_PROGRESS, FB_STAGE_INTERVIEW, 0},
    {FLD_A_ASSIGNMENT, FB_PROGRESS, FB_STAGE_ASSIGNMENT, 0},
    {FLD_A_INTERVIEW_2, FB_PROGRESS, FB_STAGE_INTERVIEW, 0},
    {FLD_A_INTERVIEW_3, FB_PROGRESS, FB_STAGE_INTERVIEW, 0},
    {FLD_A_INTERVIEW_4, FB_PROGRESS, FB_STAGE_INTERVIEW, 0},
    {FLD_A_NEGOTIATIONS, FB_PROGRESS, FB_STAGE_NEGOTIATION, 0},
    {FLD_A_HIRED, FB_HIRED, FB_STAGE_HIRED, 0},
    {FLD_A_INTRO_REJECTED, FB_REJECTED, FB_STAGE_INTRO, 1},
    {FLD_A_INTERVIEW_REJECTED, FB_REJECTED, FB_STAGE_INTERVIEW, 1},
    {FLD_A_ASSIGNMENT_REJECTED, FB_REJECTED, FB_STAGE_ASSIGNMENT, 1},
    {FLD_A_NEGOTIATIONS_REJECTED, FB_REJECTED, FB_STAGE_NEGOTIATION, 1},
    {FLD_A_TALENT_REJECTED_JOB, FB_DECLINED, FB_STAGE_NONE, 1},
    {FLD_A_ON_HOLD, FB_NONE, FB_STAGE_NONE, 0},
    {FLD_A_FEEDBACK, FB_NONE, FB_STAGE_NONE, 0},
    {FLD_T_NAME, FB_NONE, FB_STAGE_NONE, 0},
  };
  int covered = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(fb_column_signal(cases[i].col), cases[i].sig);
    assert_int_equal(fb_column_stage(cases[i].col), cases[i].stage);
    assert_int_equal(fb_signal_excludes(fb_column_signal(cases[i].col)), cases[i].excludes);
    covered += fields_is_stage(cases[i].col);
  }
  /* every stage column is in the table above */
  assert_int_equal(covered, FLD_A_LAST_STAGE - FLD_A_FIRST_STAGE + 1);

  /* progress ranks follow the pipeline */
  static const fld_id order[] = {FLD_A_FIT, FLD_A_SHORTLISTED, FLD_A_CLIENT_INTRO,
                                 FLD_A_INTERVIEW_1, FLD_A_ASSIGNMENT, FLD_A_INTERVIEW_2,
                                 FLD_A_INTERVIEW_3, FLD_A_INTERVIEW_4, FLD_A_NEGOTIATIONS,
                                 FLD_A_HIRED};
  for (size_t i = 1; i < sizeof order / sizeof order[0]; i++)
    assert_true(fb_column_rank(order[i]) > fb_column_rank(order[i - 1]));

  assert_string_equal(fb_signal_name(FB_NOT_A_FIT), "not_a_fit");
  assert_string_equal(fb_signal_name(FB_DECLINED), "declined");
  assert_string_equal(fb_signal_name((fb_signal)99), "unknown");
  assert_string_equal(fb_stage_name(FB_STAGE_NEGOTIATION), "negotiation");
  assert_string_equal(fb_stage_name((fb_stage)-1), "unknown");
  assert_int_equal(fb_signal_excludes(FB_HIRED), 0);
  assert_int_equal(fb_signal_excludes(FB_PROGRESS), 0);
}

/* ---- snapshot diff -------------------------------------------------------- */

#define MAXL 8
typedef struct diff_case {
  const char *name;
  fb_link prev[MAXL];
  size_t n_prev;
  fb_link cur[MAXL];
  size_t n_cur;
  const char *want;  /* render_moves of the expected output */
} diff_case;

#define A "recAAAAAAAAAAAAAA"
#define B "recBBBBBBBBBBBBBB"
#define C "recCCCCCCCCCCCCCC"

/* Columns as one letter in the expected strings. */
static char col_letter(fld_id c)
{
  switch (c) {
  case FLD_A_FIT_AI: return 'F';
  case FLD_A_AI_REJECTION: return 'R';
  case FLD_A_FIT: return 'P';
  case FLD_A_SHORTLISTED: return 'S';
  case FLD_A_CLIENT_INTRO: return 'I';
  case FLD_A_INTERVIEW_REJECTED: return 'X';
  case FLD_A_HIRED: return 'H';
  default: return '?';
  }
}

/* "-F:A +R:A": direction, column letter, the candidate's 4th character */
static void render_moves(const fb_move *m, size_t n, char *buf, size_t len)
{
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && o < len; i++) {
    int w = snprintf(buf + o, len - o, "%s%c%c:%c", i ? " " : "", m[i].dir == FB_ENTERED ? '+' : '-',
                     col_letter(m[i].column), m[i].candidate[3]);
    if (w < 0)
      break;
    o += (size_t)w;
  }
}

static void test_diff(void **state)
{
  (void)state;
  static const diff_case cases[] = {
    {"empty", {{0, NULL}}, 0, {{0, NULL}}, 0, ""},
    {"enter", {{0, NULL}}, 0, {{FLD_A_FIT_AI, A}}, 1, "+F:A"},
    {"leave", {{FLD_A_FIT_AI, A}}, 1, {{0, NULL}}, 0, "-F:A"},
    {"move", {{FLD_A_FIT_AI, A}, {FLD_A_SHORTLISTED, B}}, 2,
     {{FLD_A_AI_REJECTION, A}, {FLD_A_SHORTLISTED, B}}, 2, "-F:A +R:A"},
    {"replay same", {{FLD_A_FIT_AI, A}, {FLD_A_HIRED, B}}, 2,
     {{FLD_A_FIT_AI, A}, {FLD_A_HIRED, B}}, 2, ""},
    {"replay reordered with duplicates", {{FLD_A_FIT_AI, A}, {FLD_A_HIRED, B}, {FLD_A_FIT_AI, C}}, 3,
     {{FLD_A_FIT_AI, C}, {FLD_A_HIRED, B}, {FLD_A_FIT_AI, A}, {FLD_A_FIT_AI, A}, {FLD_A_HIRED, B}}, 5,
     ""},
    {"duplicate in prev only", {{FLD_A_FIT_AI, A}, {FLD_A_FIT_AI, A}}, 2, {{FLD_A_FIT_AI, A}}, 1, ""},
    {"in two columns, leaves one", {{FLD_A_FIT, A}, {FLD_A_SHORTLISTED, A}}, 2,
     {{FLD_A_SHORTLISTED, A}}, 1, "-P:A"},
    {"several", {{FLD_A_FIT_AI, C}, {FLD_A_FIT_AI, B}, {FLD_A_FIT_AI, A}}, 3,
     {{FLD_A_CLIENT_INTRO, B}, {FLD_A_FIT_AI, A}, {FLD_A_INTERVIEW_REJECTED, C}, {FLD_A_HIRED, C}}, 4,
     "-F:B +I:B -F:C +H:C +X:C"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const diff_case *dc = &cases[i];
    fb_move out[2 * MAXL];
    size_t n = 99;
    char got[256];
    assert_int_equal(fb_diff(dc->prev, dc->n_prev, dc->cur, dc->n_cur, out, 2 * MAXL, &n), TD_OK);
    render_moves(out, n, got, sizeof got);
    if (strcmp(got, dc->want))
      fail_msg("case '%s': got '%s', want '%s'", dc->name, got, dc->want);
  }
}

static void test_diff_errors(void **state)
{
  (void)state;
  fb_move out[4];
  size_t n;
  fb_link prev[] = {{FLD_A_FIT_AI, A}, {FLD_A_FIT_AI, B}, {FLD_A_FIT_AI, C}};
  fb_link bad_col[] = {{FLD_A_FEEDBACK, A}};
  fb_link bad_id[] = {{FLD_A_FIT_AI, ""}};
  fb_link long_id[] = {{FLD_A_FIT_AI, "recAAAAAAAAAAAAAAAAAAAAA"}};
  fb_link null_id[] = {{FLD_A_FIT_AI, NULL}};

  /* too small: the count is still reported */
  assert_int_equal(fb_diff(prev, 3, NULL, 0, out, 2, &n), TD_ERR_INVALID);
  assert_int_equal(n, 3);
  assert_int_equal(fb_diff(bad_col, 1, NULL, 0, out, 4, &n), TD_ERR_INVALID);
  assert_int_equal(fb_diff(NULL, 0, bad_id, 1, out, 4, &n), TD_ERR_INVALID);
  assert_int_equal(fb_diff(NULL, 0, long_id, 1, out, 4, &n), TD_ERR_INVALID);
  assert_int_equal(fb_diff(NULL, 0, null_id, 1, out, 4, &n), TD_ERR_INVALID);
  assert_int_equal(fb_diff(NULL, 2, NULL, 0, out, 4, &n), TD_ERR_INVALID);
  assert_int_equal(fb_diff(NULL, 0, NULL, 0, NULL, 0, &n), TD_OK);
  assert_int_equal(n, 0);
}

/* ---- Rocchio weights ------------------------------------------------------ */

static void test_weight_table(void **state)
{
  (void)state;
  static const struct { fld_id col; double w; } cases[] = {
    {FLD_A_HIRED, 1.0}, {FLD_A_NEGOTIATIONS, 0.8}, {FLD_A_INTERVIEW_1, 0.6},
    {FLD_A_INTERVIEW_4, 0.6}, {FLD_A_ASSIGNMENT, 0.6}, {FLD_A_CLIENT_INTRO, 0.5},
    {FLD_A_SHORTLISTED, 0.3}, {FLD_A_FIT_NOE, 0.2}, {FLD_A_AI_REJECTION, -1.0},
    {FLD_A_ASSIGNMENT_REJECTED, -0.6}, {FLD_A_INTERVIEW_REJECTED, -0.5},
    {FLD_A_INTRO_REJECTED, -0.4}, {FLD_A_NEGOTIATIONS_REJECTED, -0.1},
    {FLD_A_TALENT_REJECTED_JOB, 0}, {FLD_A_FIT_AI, 0}, {FLD_A_ON_HOLD, 0}, {FLD_A_FEEDBACK, 0},
  };
  fb_params p;
  fb_params_default(&p);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_float_equal(fb_column_weight(&p, cases[i].col), cases[i].w, 1e-12);
    assert_float_equal(fb_column_weight(NULL, cases[i].col), cases[i].w, 1e-12);
  }
  p.w_interview = 0.7;
  assert_float_equal(fb_column_weight(&p, FLD_A_INTERVIEW_2), 0.7, 1e-12);
}

static void test_decay(void **state)
{
  (void)state;
  fb_params p;
  fb_params_default(&p);
  assert_float_equal(fb_decay(&p, NOW, NOW), 1.0, 1e-12);
  assert_float_equal(fb_decay(&p, NOW - 90 * DAY, NOW), 0.5, 1e-9);
  assert_float_equal(fb_decay(NULL, NOW - 180 * DAY, NOW), 0.25, 1e-9);
  assert_float_equal(fb_decay(&p, NOW + 5 * DAY, NOW), 1.0, 1e-12); /* clock skew */
  p.half_life_days = 30;
  assert_float_equal(fb_decay(&p, NOW - 30 * DAY, NOW), 0.5, 1e-9);
  p.half_life_days = 0;
  assert_float_equal(fb_decay(&p, NOW - 900 * DAY, NOW), 1.0, 1e-12);
}

typedef struct build_case {
  const char *name;
  fb_event ev[8];
  size_t n;
  /* expected: one candidate's outcome, or want_n == 0 */
  size_t want_n;
  fld_id want_col;
  double want_w;
} build_case;

static void test_build(void **state)
{
  (void)state;
  const double day1 = pow(0.5, 1.0 / 90);  /* decay of a one-day-old move */
  const build_case cases[] = {
    {"hired", {{A, FLD_A_HIRED, NOW}}, 1, 1, FLD_A_HIRED, 1.0},
    {"hired 90 days ago weighs half", {{A, FLD_A_HIRED, NOW - 90 * DAY}}, 1, 1, FLD_A_HIRED, 0.5},
    {"deepest progress counts once",
     {{A, FLD_A_SHORTLISTED, NOW - 3 * DAY}, {A, FLD_A_CLIENT_INTRO, NOW - 2 * DAY},
      {A, FLD_A_INTERVIEW_2, NOW - DAY}}, 3, 1, FLD_A_INTERVIEW_2, 0.6 * day1},
    {"demotion keeps the deepest, timed at the latest move",
     {{A, FLD_A_NEGOTIATIONS, NOW - 180 * DAY}, {A, FLD_A_SHORTLISTED, NOW - 90 * DAY}}, 2, 1,
     FLD_A_NEGOTIATIONS, 0.4},
    {"rejected after interview",
     {{A, FLD_A_CLIENT_INTRO, NOW - 3 * DAY}, {A, FLD_A_INTERVIEW_1, NOW - 2 * DAY},
      {A, FLD_A_INTERVIEW_REJECTED, NOW}}, 3, 1, FLD_A_INTERVIEW_REJECTED, -0.5},
    {"rejection undone", {{A, FLD_A_INTRO_REJECTED, NOW - DAY}, {A, FLD_A_INTERVIEW_1, NOW}}, 2, 1,
     FLD_A_INTERVIEW_1, 0.6},
    {"not a fit", {{A, FLD_A_FIT_AI, NOW - DAY}, {A, FLD_A_AI_REJECTION, NOW}}, 2, 1,
     FLD_A_AI_REJECTION, -1.0},
    {"declined is transparent", {{A, FLD_A_CLIENT_INTRO, NOW - DAY}, {A, FLD_A_TALENT_REJECTED_JOB, NOW}},
     2, 1, FLD_A_CLIENT_INTRO, 0.5 * day1},
    {"declined alone is left out", {{A, FLD_A_TALENT_REJECTED_JOB, NOW}}, 1, 0, 0, 0},
    {"no signal is left out", {{A, FLD_A_FIT_AI, NOW}, {A, FLD_A_ON_HOLD, NOW}}, 2, 0, 0, 0},
    {"same second: terminal wins", {{A, FLD_A_INTERVIEW_REJECTED, NOW}, {A, FLD_A_INTERVIEW_3, NOW}}, 2,
     1, FLD_A_INTERVIEW_REJECTED, -0.5},
    {"hired after negotiations, on hold in between",
     {{A, FLD_A_NEGOTIATIONS, NOW - 2 * DAY}, {A, FLD_A_ON_HOLD, NOW - DAY}, {A, FLD_A_HIRED, NOW}}, 3,
     1, FLD_A_HIRED, 1.0},
    {"events out of order", {{A, FLD_A_HIRED, NOW}, {A, FLD_A_SHORTLISTED, NOW - 10 * DAY}}, 2, 1,
     FLD_A_HIRED, 1.0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const build_case *bc = &cases[i];
    fb_weight out[8];
    size_t n = 99;
    assert_int_equal(fb_build(bc->ev, bc->n, NOW, NULL, out, 8, &n), TD_OK);
    if (n != bc->want_n)
      fail_msg("case '%s': %zu weights, want %zu", bc->name, n, bc->want_n);
    if (n == 1) {
      if (out[0].column != bc->want_col || fabs(out[0].weight - bc->want_w) > 1e-9)
        fail_msg("case '%s': column %d weight %f, want %d %f", bc->name, (int)out[0].column,
                 out[0].weight, (int)bc->want_col, bc->want_w);
      assert_string_equal(out[0].candidate, A);
      assert_int_equal(out[0].signal, fb_column_signal(bc->want_col));
    }
  }
}

static void test_build_many(void **state)
{
  (void)state;
  fb_event ev[] = {
    {C, FLD_A_AI_REJECTION, NOW}, {A, FLD_A_SHORTLISTED, NOW}, {B, FLD_A_TALENT_REJECTED_JOB, NOW},
    {A, FLD_A_HIRED, NOW}, {C, FLD_A_FIT_AI, NOW - DAY},
  };
  fb_weight out[5];
  size_t n;
  assert_int_equal(fb_build(ev, 5, NOW, NULL, out, 5, &n), TD_OK);
  assert_int_equal(n, 2);  /* B declined only: left out */
  assert_string_equal(out[0].candidate, A);
  assert_float_equal(out[0].weight, 1.0, 1e-12);
  assert_string_equal(out[1].candidate, C);
  assert_float_equal(out[1].weight, -1.0, 1e-12);
  assert_int_equal(out[1].signal, FB_NOT_A_FIT);

  /* custom params */
  fb_params p;
  fb_params_default(&p);
  p.w_not_a_fit = -0.7;
  p.half_life_days = 0;
  ev[0].at = NOW - 1000 * DAY;
  assert_int_equal(fb_build(ev, 5, NOW, &p, out, 5, &n), TD_OK);
  assert_float_equal(out[1].weight, -0.7, 1e-12);

  /* errors */
  assert_int_equal(fb_build(ev, 5, NOW, NULL, out, 1, &n), TD_ERR_INVALID);
  assert_int_equal(n, 2);
  fb_event bad[] = {{NULL, FLD_A_HIRED, NOW}};
  assert_int_equal(fb_build(bad, 1, NOW, NULL, out, 5, &n), TD_ERR_INVALID);
  assert_int_equal(fb_build(NULL, 3, NOW, NULL, out, 5, &n), TD_ERR_INVALID);
  assert_int_equal(fb_build(NULL, 0, NOW, NULL, NULL, 0, &n), TD_OK);
  assert_int_equal(n, 0);
}

/* ---- rating changes ------------------------------------------------------- */

static void test_apply_rating(void **state)
{
  (void)state;
  static const int cases[][3] = {
    {3, 1, 4}, {3, -2, 1}, {1, -1, 1}, {5, 2, 5}, {4, 4, 5}, {2, -4, 1},
    {0, 2, 2}, {0, -1, 1}, {9, -1, 4}, {-3, 1, 1}, {3, 1000, 5}, {3, -1000, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(fb_apply_rating(cases[i][0], cases[i][1]), cases[i][2]);
}

static model_skill mk(const char *name, int rating, int flags)
{
  model_skill s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "%s", name);
  s.rating = (uint8_t)rating;
  s.flags = (uint8_t)flags;
  s.years = NAN;
  return s;
}

static void test_rejection_decrements(void **state)
{
  (void)state;
  model_skill cand[] = {mk("Go", 4, SKILL_LISTED), mk("Kubernetes", 1, SKILL_LISTED),
                        mk("PostgreSQL", 3, SKILL_LISTED), mk("React", 5, SKILL_LISTED)};
  model_skill job[] = {mk("go", 0, SKILL_REQUIRED), mk("Kubernetes", 0, SKILL_REQUIRED),
                       mk("PostgreSQL", 0, SKILL_REQUIRED), mk("React", 0, SKILL_NICE),
                       mk("Rust", 0, SKILL_REQUIRED), mk("Go", 0, SKILL_REQUIRED)};
  fb_adjust out[8];
  fb_params p;
  fb_params_default(&p);

  /* off by default */
  assert_int_equal(fb_rejection_decrements(&p, FLD_A_INTERVIEW_REJECTED, cand, 4, job, 6, out, 8), 0);
  assert_int_equal(fb_rejection_decrements(NULL, FLD_A_INTERVIEW_REJECTED, cand, 4, job, 6, out, 8), 0);

  p.reject_lowers_skills = 1;
  int n = fb_rejection_decrements(&p, FLD_A_INTERVIEW_REJECTED, cand, 4, job, 6, out, 8);
  /* Go and PostgreSQL: Kubernetes is already 1, React is nice-to-have, Rust
   * is missing, the second Go is a duplicate */
  assert_int_equal(n, 2);
  assert_string_equal(out[0].skill, "Go");
  assert_int_equal(out[0].delta, -1);
  assert_string_equal(out[1].skill, "PostgreSQL");
  assert_int_equal(out[1].delta, -1);
  assert_true(out[0].skill_id >= 0);

  p.reject_skill_step = 3;  /* floor at 1 */
  n = fb_rejection_decrements(&p, FLD_A_ASSIGNMENT_REJECTED, cand, 4, job, 6, out, 8);
  assert_int_equal(n, 2);
  assert_int_equal(out[0].delta, -3);
  assert_int_equal(out[1].delta, -2);

  /* only where skills were tested */
  assert_int_equal(fb_rejection_decrements(&p, FLD_A_INTRO_REJECTED, cand, 4, job, 6, out, 8), 0);
  assert_int_equal(fb_rejection_decrements(&p, FLD_A_AI_REJECTION, cand, 4, job, 6, out, 8), 0);
  /* cap */
  assert_int_equal(fb_rejection_decrements(&p, FLD_A_INTERVIEW_REJECTED, cand, 4, job, 6, out, 1), 1);
}

/* ---- the Feedback parser -------------------------------------------------- */

static const fb_person people[] = {
  {"recJaneDoe0000001", "Jane Doe"},
  {"recJoseAlvarez001", "Jos\xC3\xA9 \xC3\x81lvarez"},          /* José Álvarez */
  {"recJohnSmithA0001", "John Smith"},
  {"recJohnSmithB0002", "john  smith"},
  {"recChloeOBrien001", "Chlo\xC3\xAB O\xE2\x80\x99" "Brien"},  /* Chloë O’Brien */
  {"recJaneDoe0000001", "Jane Doe"},                            /* listed twice: one person */
  {"recNoName00000001", NULL},
  {"recAnnaNfd0000001", "Anna Mu\x6E\xCC\x83oz"},               /* Muñoz, decomposed */
};
#define NPEOPLE (sizeof people / sizeof people[0])

static void render_items(const fb_line *l, char *buf, size_t len)
{
  size_t o = 0;
  buf[0] = '\0';
  for (int i = 0; i < l->n_items && o < len; i++) {
    int w = snprintf(buf + o, len - o, "%s%s%+d", i ? "," : "", l->items[i].skill, l->items[i].delta);
    if (w < 0)
      break;
    o += (size_t)w;
  }
}

typedef struct parse_case {
  const char *line;
  fb_line_status status;
  const char *candidate;  /* for OK */
  const char *items;      /* rendered, for OK / UNRESOLVED / AMBIGUOUS */
} parse_case;

static void run_parse_cases(const parse_case *cases, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    fb_line l;
    char items[512];
    fb_line_status st = fb_parse_line(cases[i].line, strlen(cases[i].line), people, NPEOPLE, &l);
    if (st != cases[i].status)
      fail_msg("'%s': status %s, want %s (%s)", cases[i].line, fb_line_status_name(st),
               fb_line_status_name(cases[i].status), l.reason);
    assert_int_equal(l.status, st);
    if (st == FB_LINE_OK)
      assert_string_equal(l.candidate, cases[i].candidate);
    else
      assert_string_equal(l.candidate, "");
    if (cases[i].items) {
      render_items(&l, items, sizeof items);
      if (strcmp(items, cases[i].items))
        fail_msg("'%s': items '%s', want '%s'", cases[i].line, items, cases[i].items);
    }
    if (st == FB_LINE_MALFORMED || st == FB_LINE_UNRESOLVED || st == FB_LINE_AMBIGUOUS)
      assert_true(l.reason[0] != '\0');
    if (st == FB_LINE_MALFORMED)
      assert_int_equal(l.n_items, 0);
  }
}

static void test_parse_ok(void **state)
{
  (void)state;
  static const parse_case cases[] = {
    {"Jane Doe: Kubernetes -1", FB_LINE_OK, "recJaneDoe0000001", "Kubernetes-1"},
    {"Jane Doe: k8s -2", FB_LINE_OK, "recJaneDoe0000001", "Kubernetes-2"},
    {"jane doe: golang +2, postgres -1, React +4", FB_LINE_OK, "recJaneDoe0000001",
     "Go+2,PostgreSQL-1,React+4"},
    {"  JANE   DOE :  Go +1 ,k8s-3  ", FB_LINE_OK, "recJaneDoe0000001", "Go+1,Kubernetes-3"},
    {"recJohnSmithB0002: C++ +1, C# -1", FB_LINE_OK, "recJohnSmithB0002", "C+++1,C#-1"},
    {"recJaneDoe0000001: Node.js +2", FB_LINE_OK, "recJaneDoe0000001", "Node.js+2"},
    {"Jose Alvarez: Go +1", FB_LINE_OK, "recJoseAlvarez001", "Go+1"},
    {"JOSÉ ÁLVAREZ: Go +1", FB_LINE_OK, "recJoseAlvarez001", "Go+1"},
    {"Chloe O'Brien: Python -1", FB_LINE_OK, "recChloeOBrien001", "Python-1"},
    {"Anna Muñoz: Go +1", FB_LINE_OK, "recAnnaNfd0000001", "Go+1"},
    {"Jane Doe: Go \xE2\x88\x92" "2", FB_LINE_OK, "recJaneDoe0000001", "Go-2"},   /* U+2212 */
    {"Jane Doe: Go \xE2\x80\x93" "1", FB_LINE_OK, "recJaneDoe0000001", "Go-1"},   /* en dash */
    {"Jane Doe: Go - 2", FB_LINE_OK, "recJaneDoe0000001", "Go-2"},
    {"- Jane Doe: Go +1.", FB_LINE_OK, "recJaneDoe0000001", "Go+1"},
    {"\xE2\x80\xA2 Jane Doe: Go +1\r", FB_LINE_OK, "recJaneDoe0000001", "Go+1"},
    {"Jane Doe: Obscure Inhouse Tool +1", FB_LINE_OK, "recJaneDoe0000001", "Obscure Inhouse Tool+1"},
    {"Jane Doe: Spring-Boot -1", FB_LINE_OK, "recJaneDoe0000001", "Spring Boot-1"},
    /* parsed, but never guessed */
    {"Jane Dough: Go +1", FB_LINE_UNRESOLVED, NULL, "Go+1"},
    {"Jane: Go +1", FB_LINE_UNRESOLVED, NULL, "Go+1"},
    {"recZZZZZZZZZZZZZZ: Go +1", FB_LINE_UNRESOLVED, NULL, "Go+1"},
    {"recjanedoe0000001: Go +1", FB_LINE_UNRESOLVED, NULL, "Go+1"},  /* ids are case-sensitive */
    {"John Smith: Go +1", FB_LINE_AMBIGUOUS, NULL, "Go+1"},
  };
  run_parse_cases(cases, sizeof cases / sizeof cases[0]);

  /* a skill id comes with known skills only */
  fb_line l;
  assert_int_equal(fb_parse_line("Jane Doe: k8s -2, Frobnicator +1", 32, people, NPEOPLE, &l), FB_LINE_OK);
  assert_true(l.items[0].skill_id >= 0);
  assert_int_equal(l.items[1].skill_id, -1);
  /* no people: nothing resolves */
  assert_int_equal(fb_parse_line("Jane Doe: Go +1", 15, NULL, 0, &l), FB_LINE_UNRESOLVED);
}

static void test_parse_malformed(void **state)
{
  (void)state;
  static const parse_case cases[] = {
    {"Jane Doe: Go +5", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go +0", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go -12", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go 3", FB_LINE_MALFORMED, NULL, NULL},         /* no sign */
    {"Jane Doe: Go +1, Rust", FB_LINE_MALFORMED, NULL, NULL},  /* no change for Rust */
    {"Jane Doe: Go +1 Rust +2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go +1,, Rust +2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go +1,", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: +2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go => +2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go +1, golang -1", FB_LINE_MALFORMED, NULL, NULL},  /* same skill twice */
    {"Jane Doe: Go +2.5", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go 2.5", FB_LINE_IGNORED, NULL, NULL},  /* unsigned decimal: prose */
    {"Jane Doe: Go ++2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: Go + +2", FB_LINE_MALFORMED, NULL, NULL},
    {"Jane Doe: C+++2", FB_LINE_MALFORMED, NULL, NULL},  /* write "C++ +2" */
    {"Jane Doe: Go +-1", FB_LINE_MALFORMED, NULL, NULL},
    {"recJaneDoe0000001: strong communicator", FB_LINE_MALFORMED, NULL, NULL},
    {"recJaneDoe0000001:", FB_LINE_MALFORMED, NULL, NULL},
    {"Budget: max 100", FB_LINE_MALFORMED, NULL, NULL},
    {"Call: +44 20 7946 0000", FB_LINE_MALFORMED, NULL, NULL},
    {"Unknown Person: Go +9", FB_LINE_MALFORMED, NULL, NULL},  /* syntax first */
  };
  run_parse_cases(cases, sizeof cases / sizeof cases[0]);

  fb_line l;
  fb_parse_line("Jane Doe: Go +5", 15, people, NPEOPLE, &l);
  assert_non_null(strstr(l.reason, "1 to 4"));
  assert_null(strstr(l.reason, "Jane"));  /* reasons never carry the name */
  fb_parse_line("Jane Doe: Go 3", 14, people, NPEOPLE, &l);
  assert_non_null(strstr(l.reason, "+ or -"));
  /* a long item is quoted shortened */
  char longl[300];
  snprintf(longl, sizeof longl, "Jane Doe: %0200d +1", 0);
  memcpy(longl + 10, "Go", 2);
  assert_int_equal(fb_parse_line(longl, strlen(longl), people, NPEOPLE, &l), FB_LINE_MALFORMED);
}

static void test_parse_ignored(void **state)
{
  (void)state;
  static const parse_case cases[] = {
    {"Client feedback 2026-11-12: prioritise people who owned an API.", FB_LINE_IGNORED, NULL, NULL},
    {"Meeting at 10:30 with the hiring manager", FB_LINE_IGNORED, NULL, NULL},
    {"Budget: max 100k", FB_LINE_IGNORED, NULL, NULL},
    {"Salary: +10% compared to last year", FB_LINE_IGNORED, NULL, NULL},
    {"Note: 2 candidates withdrew", FB_LINE_IGNORED, NULL, NULL},
    {"Timeline: start 2026-11-12", FB_LINE_IGNORED, NULL, NULL},
    {"Jane Doe: great communicator, strong in Go", FB_LINE_IGNORED, NULL, NULL},
    {"Jane Doe +1", FB_LINE_IGNORED, NULL, NULL},  /* no colon */
    {"The client told us on the phone call: Go +1", FB_LINE_IGNORED, NULL, NULL},  /* 7 words */
    {"", FB_LINE_IGNORED, NULL, NULL},
    {"   ", FB_LINE_IGNORED, NULL, NULL},
    {"https://example.com/jd: v2", FB_LINE_IGNORED, NULL, NULL},
    {"Range: 10-20 years", FB_LINE_IGNORED, NULL, NULL},
  };
  run_parse_cases(cases, sizeof cases / sizeof cases[0]);
  fb_line l;
  assert_int_equal(fb_parse_line(NULL, 0, people, NPEOPLE, &l), FB_LINE_IGNORED);
}

static void test_identity(void **state)
{
  (void)state;
  char a[FB_ID_HEX], b[FB_ID_HEX], c[FB_ID_HEX], d[FB_ID_HEX], e[FB_ID_HEX];
  const char *line = "Jane Doe: Go +1";
  fb_line_identity("recATS00000000001", line, strlen(line), 0, a);
  fb_line_identity("recATS00000000001", line, strlen(line), 0, b);
  assert_string_equal(a, b);
  assert_int_equal(strlen(a), 64);
  /* another job, another identity */
  fb_line_identity("recATS00000000002", line, strlen(line), 0, c);
  assert_string_not_equal(a, c);
  /* case and spacing do not matter */
  const char *line2 = "  jane   DOE:  go +1 \r";
  fb_line_identity("recATS00000000001", line2, strlen(line2), 0, d);
  assert_string_equal(a, d);
  /* the second equal line is a new correction */
  fb_line_identity("recATS00000000001", line, strlen(line), 1, e);
  assert_string_not_equal(a, e);
  /* the id and the line do not run together */
  fb_line_identity("recATS0000000000", "1Jane Doe: Go +1", 16, 0, e);
  assert_string_not_equal(a, e);
  /* long lines are hashed in chunks exactly as short ones */
  char big[2000], big2[2100];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  snprintf(big2, sizeof big2, "   %s   ", big);
  fb_line_identity("recATS00000000001", big, strlen(big), 0, d);
  fb_line_identity("recATS00000000001", big2, strlen(big2), 0, e);
  assert_string_equal(d, e);
}

static void test_parse_feedback(void **state)
{
  (void)state;
  const char *text =
      "Client feedback 2026-11-12: prioritise people who owned an API.\r\n"
      "Jane Doe: k8s -2\r\n"
      "\n"
      "John Smith: Go +1\n"
      "Jane Doe: Go +7\n"
      "  jane doe:  K8S -2\n"
      "Nobody Here: Rust +1";
  fb_line out[8];
  size_t n;
  assert_int_equal(fb_parse_feedback("recATS00000000001", text, people, NPEOPLE, out, 8, &n), TD_OK);
  assert_int_equal(n, 5);
  assert_int_equal(out[0].line_no, 2);
  assert_int_equal(out[0].status, FB_LINE_OK);
  assert_string_equal(out[0].candidate, "recJaneDoe0000001");
  assert_int_equal(out[1].line_no, 4);
  assert_int_equal(out[1].status, FB_LINE_AMBIGUOUS);
  assert_int_equal(out[2].line_no, 5);
  assert_int_equal(out[2].status, FB_LINE_MALFORMED);
  assert_int_equal(out[3].line_no, 6);
  assert_int_equal(out[3].status, FB_LINE_OK);
  assert_int_equal(out[4].status, FB_LINE_UNRESOLVED);
  assert_int_equal(out[4].line_no, 7);

  /* identities: as fb_line_identity says; the repeated line is occurrence 1 */
  char want[FB_ID_HEX];
  fb_line_identity("recATS00000000001", "Jane Doe: k8s -2", 16, 0, want);
  assert_string_equal(out[0].id, want);
  fb_line_identity("recATS00000000001", "Jane Doe: k8s -2", 16, 1, want);
  assert_string_equal(out[3].id, want);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      assert_string_not_equal(out[i].id, out[j].id);

  /* replayed text -> the same identities; other job -> different ones */
  fb_line again[8], other[8];
  size_t n2;
  assert_int_equal(fb_parse_feedback("recATS00000000001", text, people, NPEOPLE, again, 8, &n2), TD_OK);
  assert_int_equal(n2, n);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(again[i].id, out[i].id);
  assert_int_equal(fb_parse_feedback("recATS00000000002", text, people, NPEOPLE, other, 8, &n2), TD_OK);
  for (size_t i = 0; i < n; i++)
    assert_string_not_equal(other[i].id, out[i].id);

  /* editing another line keeps an identity */
  const char *edited = "Jane Doe: k8s -2\nNew prose line: nothing to see.\n";
  assert_int_equal(fb_parse_feedback("recATS00000000001", edited, people, NPEOPLE, again, 8, &n2), TD_OK);
  assert_int_equal(n2, 1);
  assert_string_equal(again[0].id, out[0].id);

  /* cap too small: the first ones are written and the count reported */
  assert_int_equal(fb_parse_feedback("recATS00000000001", text, people, NPEOPLE, again, 2, &n2),
                   TD_ERR_INVALID);
  assert_int_equal(n2, 5);
  assert_string_equal(again[1].id, out[1].id);

  /* edges */
  assert_int_equal(fb_parse_feedback("recATS00000000001", NULL, people, NPEOPLE, out, 8, &n), TD_OK);
  assert_int_equal(n, 0);
  assert_int_equal(fb_parse_feedback("recATS00000000001", "", people, NPEOPLE, out, 8, &n), TD_OK);
  assert_int_equal(n, 0);
  assert_int_equal(fb_parse_feedback("", text, people, NPEOPLE, out, 8, &n), TD_ERR_INVALID);
  assert_int_equal(fb_parse_feedback(NULL, text, people, NPEOPLE, out, 8, &n), TD_ERR_INVALID);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_column_signals),
    cmocka_unit_test(test_diff),
    cmocka_unit_test(test_diff_errors),
    cmocka_unit_test(test_weight_table),
    cmocka_unit_test(test_decay),
    cmocka_unit_test(test_build),
    cmocka_unit_test(test_build_many),
    cmocka_unit_test(test_apply_rating),
    cmocka_unit_test(test_rejection_decrements),
    cmocka_unit_test(test_parse_ok),
    cmocka_unit_test(test_parse_malformed),
    cmocka_unit_test(test_parse_ignored),
    cmocka_unit_test(test_identity),
    cmocka_unit_test(test_parse_feedback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
