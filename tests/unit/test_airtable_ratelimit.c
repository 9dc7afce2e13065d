/* test_airtable_ratelimit — the in-process gate of core/ratelimit.c: at most
 * N starts per window, the caller's deadline, the penalty after a 429.  (The
 * database-shared gate is exercised by tests/http/test_airtable_client.py.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ratelimit.h"

#include <pthread.h>
#include <time.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_window(void **st)
{
  rl_options o = {.rps = 5, .margin_s = 0.05, .penalty_s = 1};
  rl_limiter *rl;
  double t[11], w;
  (void)st;
  assert_int_equal(rl_create("appTEST0000000001", &o, &rl), TD_OK);
  assert_false(rl_shared(rl));
  for (int i = 0; i < 11; i++) {
    assert_int_equal(rl_acquire(rl, 5, &w), TD_OK);
    t[i] = now();
  }
  /* the first five at once, then one window later, then another */
  assert_true(t[4] - t[0] < 0.05);
  assert_true(t[5] - t[0] >= 1.04);
  for (int i = 5; i < 11; i++)
    assert_true(t[i] - t[i - 5] >= 1.04);
  rl_destroy(rl);
}

static void test_deadline(void **st)
{
  rl_options o = {.rps = 2, .margin_s = 0, .penalty_s = 0};
  rl_limiter *rl;
  double t0, w = -1;
  (void)st;
  assert_int_equal(rl_create("appTEST0000000001", &o, &rl), TD_OK);
  assert_int_equal(rl_acquire(rl, 0, NULL), TD_OK);
  assert_int_equal(rl_acquire(rl, 0, NULL), TD_OK);
  t0 = now();
  assert_int_equal(rl_acquire(rl, 0.2, &w), TD_ERR_TIMEOUT); /* next slot is ~1 s away */
  assert_true(now() - t0 < 0.1);                             /* refused at once, not after waiting */
  assert_int_equal(rl_acquire(rl, 2, &w), TD_OK);
  assert_true(w > 0.8);
  rl_destroy(rl);
}

static void test_penalty(void **st)
{
  rl_options o = {.rps = 5, .margin_s = 0, .penalty_s = 1};
  rl_limiter *rl;
  double t0, w;
  (void)st;
  assert_int_equal(rl_create("appTEST0000000001", &o, &rl), TD_OK);
  rl_penalize(rl, 0);
  assert_true(rl_penalty_left(rl) > 0.9);
  assert_int_equal(rl_acquire(rl, 0.5, NULL), TD_ERR_TIMEOUT);
  t0 = now();
  assert_int_equal(rl_acquire(rl, 3, &w), TD_OK);
  assert_true(now() - t0 > 0.4);
  rl_penalize(rl, 1.5); /* a longer Retry-After wins */
  assert_true(rl_penalty_left(rl) > 1.4);
  rl_destroy(rl);
}

typedef struct worker {
  rl_limiter *rl;
  double times[8];
} worker;

static void *run(void *arg)
{
  worker *w = arg;
  for (int i = 0; i < 8; i++) {
    assert_int_equal(rl_acquire(w->rl, 10, NULL), TD_OK);
    w->times[i] = now();
  }
  return NULL;
}

static void test_threads(void **st)
{
  rl_options o = {.rps = 20, .margin_s = 0.01, .penalty_s = 0};
  rl_limiter *rl;
  pthread_t tid[4];
  worker w[4];
  double all[32];
  int n = 0;
  (void)st;
  assert_int_equal(rl_create("appTEST0000000001", &o, &rl), TD_OK);
  for (int i = 0; i < 4; i++) {
    w[i].rl = rl;
    pthread_create(&tid[i], NULL, run, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(tid[i], NULL);
    for (int k = 0; k < 8; k++)
      all[n++] = w[i].times[k];
  }
  /* no 21 starts within any 1 s: with 32 starts, start i+20 is >= 1 s after i */
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (all[j] < all[i]) {
        double x = all[i];
        all[i] = all[j];
        all[j] = x;
      }
  for (int i = 0; i + 20 < n; i++)
    assert_true(all[i + 20] - all[i] >= 1.0);
  rl_destroy(rl);
}

static void test_invalid(void **st)
{
  rl_options o = {.rps = 0};
  rl_limiter *rl;
  (void)st;
  assert_int_equal(rl_create("appX", &o, &rl), TD_ERR_INVALID);
  assert_null(rl);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_window),
    cmocka_unit_test(test_deadline),
    cmocka_unit_test(test_penalty),
    cmocka_unit_test(test_threads),
    cmocka_unit_test(test_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
