/* Integration tests of the queue and the worker pool against a private
 * PostgreSQL (DATABASE_URL, a fresh database from tests/run.sh):
 * concurrent migrations, 4 workers draining 2,000 noop tasks exactly once,
 * lease-expiry rescue, retry then dead, same-key exclusion, merging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "db.h"
#include "migrate.h"
#include "queue.h"
#include "workers.h"

static const char *url;

static PGconn *conn(void)
{
  td_err rc;
  PGconn *c = db_connect(url, &rc);
  assert_non_null(c);
  return c;
}

static long long scalar(PGconn *c, const char *sql)
{
  td_err rc;
  PGresult *r = db_exec(c, &rc, sql, 0, NULL);
  assert_int_equal(rc, TD_OK);
  long long v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return v;
}

static void *migrate_thread(void *p)
{
  td_err rc;
  int applied = 0;
  PGconn *c = db_connect(url, &rc);
  if (c) {
    rc = migrate_apply(c, &applied);
    PQfinish(c);
  }
  *(td_err *)p = rc;
  return NULL;
}

static void test_migrations_in_parallel(void **state)
{
  pthread_t a, b;
  td_err ra = TD_ERR_INTERNAL, rb = TD_ERR_INTERNAL;
  (void)state;
  pthread_create(&a, NULL, migrate_thread, &ra);
  pthread_create(&b, NULL, migrate_thread, &rb);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  assert_int_equal(ra, TD_OK);
  assert_int_equal(rb, TD_OK);
  PGconn *c = conn();
  assert_int_equal(scalar(c, "SELECT count(*) FROM schema_migrations"), migrate_nfiles);
  td_err rc;
  assert_int_equal(migrate_current(c, &rc), migrate_latest());
  PQfinish(c);
}

static void clear(PGconn *c) { assert_int_equal(db_run(c, "TRUNCATE tasks, events", 0, NULL), TD_OK); }

static void test_merge_identical_queued(void **state)
{
  long long a, b, d;
  queue_task t;
  int got;
  (void)state;
  PGconn *c = conn();
  clear(c);
  assert_int_equal(queue_enqueue(c, "noop", "recMERGE000000001", NULL, 3, 0, &a), TD_OK);
  assert_int_equal(queue_enqueue(c, "noop", "recMERGE000000001", NULL, 3, 0, &b), TD_OK);
  assert_int_equal(a, b);
  assert_int_equal(scalar(c, "SELECT merged FROM tasks"), 1);
  /* a different payload is a different task */
  assert_int_equal(queue_enqueue(c, "noop", "recMERGE000000001", "{\"x\":1}", 3, 0, &d), TD_OK);
  assert_true(d != a);
  /* once running, an identical new task is queued again (a change after the start) */
  assert_int_equal(queue_claim(c, "t", 30, &t, &got), TD_OK);
  assert_int_equal(got, 1);
  assert_int_equal(t.id, a);
  assert_int_equal(queue_enqueue(c, "noop", "recMERGE000000001", NULL, 3, 0, &b), TD_OK);
  assert_true(b != a);
  queue_task_free(&t);
  PQfinish(c);
}

static void test_same_key_never_concurrent(void **state)
{
  long long a, b, o;
  queue_task t1, t2;
  int got;
  (void)state;
  PGconn *c = conn(), *c2 = conn();
  clear(c);
  assert_int_equal(queue_enqueue(c, "noop", "recKEY0000000001", "{\"n\":1}", 3, 0, &a), TD_OK);
  assert_int_equal(queue_enqueue(c, "noop", "recKEY0000000001", "{\"n\":2}", 3, 0, &b), TD_OK);
  assert_int_equal(queue_enqueue(c, "noop", "recKEY0000000002", NULL, 3, 0, &o), TD_OK);
  assert_int_equal(queue_claim(c, "w1", 30, &t1, &got), TD_OK);
  assert_int_equal(t1.id, a);
  /* the second task of the same key is skipped; the other key is taken */
  assert_int_equal(queue_claim(c2, "w2", 30, &t2, &got), TD_OK);
  assert_int_equal(got, 1);
  assert_int_equal(t2.id, o);
  queue_task_free(&t2);
  assert_int_equal(queue_claim(c2, "w2", 30, &t2, &got), TD_OK);
  assert_int_equal(got, 0);
  assert_int_equal(queue_complete(c, &t1), TD_OK);
  assert_int_equal(queue_claim(c2, "w2", 30, &t2, &got), TD_OK);
  assert_int_equal(got, 1);
  assert_int_equal(t2.id, b);
  queue_task_free(&t1);
  queue_task_free(&t2);
  PQfinish(c);
  PQfinish(c2);
}

static void test_lease_expiry_rescue(void **state)
{
  long long id;
  queue_task t, t2;
  int got, n;
  (void)state;
  PGconn *c = conn(), *dying = conn();
  clear(c);
  assert_int_equal(queue_enqueue(c, "noop", "recLEASE00000001", NULL, 3, 0, &id), TD_OK);
  assert_int_equal(queue_claim(dying, "doomed", 1, &t, &got), TD_OK);
  assert_int_equal(got, 1);
  PQfinish(dying); /* the worker dies mid-task: no completion, no heartbeat */
  assert_int_equal(queue_rescue(c, &n), TD_OK);
  assert_int_equal(n, 0); /* lease still valid */
  usleep(1300 * 1000);
  assert_int_equal(queue_rescue(c, &n), TD_OK);
  assert_int_equal(n, 1);
  assert_int_equal(queue_claim(c, "heir", 30, &t2, &got), TD_OK);
  assert_int_equal(got, 1);
  assert_int_equal(t2.id, id);
  assert_int_equal(t2.attempts, 2);
  /* the first worker's late completion is refused by the guard */
  assert_int_equal(queue_complete(c, &t), TD_ERR_CONFLICT);
  assert_int_equal(queue_complete(c, &t2), TD_OK);
  assert_int_equal(queue_complete(c, &t2), TD_ERR_CONFLICT); /* never twice */
  queue_task_free(&t);
  queue_task_free(&t2);
  PQfinish(c);
}

static void test_retry_then_dead(void **state)
{
  long long id;
  queue_task t;
  int got;
  (void)state;
  PGconn *c = conn();
  clear(c);
  assert_int_equal(queue_enqueue(c, "noop", "recRETRY00000001", NULL, 3, 0, &id), TD_OK);
  for (int attempt = 1; attempt <= 3; attempt++) {
    assert_int_equal(queue_claim(c, "w", 30, &t, &got), TD_OK);
    assert_int_equal(got, 1);
    assert_int_equal(t.attempts, attempt);
    assert_int_equal(queue_fail(c, &t, "boom", 1, 0.0), TD_OK);
    queue_task_free(&t);
  }
  td_err rc;
  PGresult *r = db_exec(c, &rc, "SELECT state::text, last_error FROM tasks", 0, NULL);
  assert_string_equal(PQgetvalue(r, 0, 0), "dead");
  assert_string_equal(PQgetvalue(r, 0, 1), "boom");
  PQclear(r);
  /* backoff delays the retry */
  assert_int_equal(queue_retry_dead(c, id), TD_OK);
  assert_int_equal(queue_retry_dead(c, id), TD_ERR_CONFLICT);
  assert_int_equal(queue_retry_dead(c, 999999), TD_ERR_NOT_FOUND);
  assert_int_equal(queue_claim(c, "w", 30, &t, &got), TD_OK);
  assert_int_equal(queue_fail(c, &t, "later", 1, 60.0), TD_OK);
  queue_task_free(&t);
  assert_int_equal(queue_claim(c, "w", 30, &t, &got), TD_OK);
  assert_int_equal(got, 0);
  /* a final error goes to dead at once */
  assert_int_equal(queue_enqueue(c, "noop", "recFINAL00000001", NULL, 5, 0, &id), TD_OK);
  assert_int_equal(queue_claim(c, "w", 30, &t, &got), TD_OK);
  assert_int_equal(queue_fail(c, &t, "bad input", 0, 10.0), TD_OK);
  queue_task_free(&t);
  assert_int_equal(scalar(c, "SELECT count(*) FROM tasks WHERE key = 'recFINAL00000001' AND state = 'dead'"), 1);
  PQfinish(c);
}

static void test_prune_old_done_tasks(void **state)
{
  int n = -1;
  (void)state;
  PGconn *c = conn();
  clear(c);
  assert_int_equal(db_run(c,
                          "INSERT INTO tasks (kind, key, state, finished_at) VALUES"
                          " ('noop', 'recPRUNEOLD000001', 'done', now() - interval '8 days'),"
                          " ('noop', 'recPRUNENEW000002', 'done', now() - interval '1 hour'),"
                          " ('noop', 'recPRUNEDEAD00003', 'dead', now() - interval '30 days')",
                          0, NULL),
                   TD_OK);
  assert_int_equal(db_run(c,
                          "INSERT INTO events (id, body_sha256, type, record_id, body, received_at)"
                          " VALUES ('msg_old', '\\x00', 'noop', 'recPRUNEOLD000001', '{}',"
                          " now() - interval '31 days'), ('msg_new', '\\x00', 'noop',"
                          " 'recPRUNENEW000002', '{}', now())",
                          0, NULL),
                   TD_OK);
  assert_int_equal(queue_prune(c, 7 * 86400, &n), TD_OK);
  assert_int_equal(n, 1);
  /* done and recent, and dead (kept with its error until retried) stay */
  assert_int_equal(scalar(c, "SELECT count(*) FROM tasks"), 2);
  assert_int_equal(scalar(c, "SELECT count(*) FROM tasks WHERE key = 'recPRUNEOLD000001'"), 0);
  assert_int_equal(scalar(c, "SELECT count(*) FROM events"), 1);
  PQfinish(c);
}

static void test_backoff_is_capped_with_jitter(void **state)
{
  (void)state;
  for (int i = 0; i < 200; i++) {
    double b1 = queue_backoff(1, 2, 600), b5 = queue_backoff(5, 2, 600), b30 = queue_backoff(30, 2, 600);
    assert_true(b1 >= 1.0 && b1 < 2.0);
    assert_true(b5 >= 16.0 && b5 < 32.0);
    assert_true(b30 >= 300.0 && b30 < 600.0);
  }
}

/* The real pool: 4 workers drain 2,000 noop tasks; each runs exactly once. */
static void test_pool_drains_exactly_once(void **state)
{
  td_config cfg;
  td_app app;
  (void)state;
  PGconn *c = conn();
  clear(c);
  assert_int_equal(db_run(c,
                          "INSERT INTO tasks (kind, key, payload) SELECT 'noop', 'recDRAIN' || lpad(g::text, 9, '0'),"
                          " '{}' FROM generate_series(1, 2000) g",
                          0, NULL),
                   TD_OK);
  /* a few same-key tasks that sleep, to check exclusion under load */
  for (int i = 0; i < 12; i++) {
    char payload[64];
    snprintf(payload, sizeof payload, "{\"sleep_ms\": 30, \"n\": %d}", i);
    assert_int_equal(queue_enqueue(c, "noop", i % 2 ? "recSAMEKEY0000001" : "recSAMEKEY0000002", payload, 3, 0, NULL),
                     TD_OK);
  }
  memset(&cfg, 0, sizeof cfg);
  memset(&app, 0, sizeof app);
  cfg.database_url = (char *)url;
  app.cfg = &cfg;
  app.lease_seconds = 30;
  app.retry_base_seconds = 0.1;
  app.retry_cap_seconds = 1;
  pthread_mutex_init(&app.wake_mu, NULL);
  pthread_cond_init(&app.wake_cv, NULL);
  db_set_url(url);

  /* capture the noop log lines */
  char logpath[] = "/tmp/talentd-itest-log-XXXXXX";
  int fd = mkstemp(logpath);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  workers *w = workers_start(&app, 4);
  assert_non_null(w);
  for (int i = 0; i < 600; i++) {
    if (scalar(c, "SELECT count(*) FROM tasks WHERE state <> 'done'") == 0)
      break;
    usleep(100 * 1000);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  assert_int_equal(workers_stop(w, 5), 0);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  fprintf(stderr, "drained 2012 tasks with 4 workers in %.2f s\n", secs);

  assert_int_equal(scalar(c, "SELECT count(*) FROM tasks WHERE state = 'done' AND attempts = 1"), 2012);
  /* every task id appears in exactly one "task_noop_ran" line */
  FILE *f = fopen(logpath, "r");
  assert_non_null(f);
  static unsigned char seen[1 << 16];
  char line[1024];
  int runs = 0, dup_runs = 0;
  struct { double s, e; int key; } same[64];
  int nsame = 0;
  while (fgets(line, sizeof line, f)) {
    if (!strstr(line, "\"task_noop_ran\""))
      continue;
    char *p = strstr(line, "\"task_id\":");
    assert_non_null(p);
    long id = strtol(p + 10, NULL, 10);
    if (id >= 0 && id < (1 << 16)) {
      if (seen[id]++)
        dup_runs++;
    }
    runs++;
    if (strstr(line, "recSAMEKEY") && nsame < 64) {
      char *k = strstr(line, "recSAMEKEY000000");
      same[nsame].key = k[16];
      same[nsame].s = strtod(strstr(line, "\"start\":") + 8, NULL);
      same[nsame].e = strtod(strstr(line, "\"end\":") + 6, NULL);
      nsame++;
    }
  }
  fclose(f);
  unlink(logpath);
  assert_int_equal(runs, 2012);
  assert_int_equal(dup_runs, 0);
  assert_int_equal(nsame, 12);
  for (int i = 0; i < nsame; i++)
    for (int j = i + 1; j < nsame; j++)
      if (same[i].key == same[j].key)
        assert_true(same[i].e <= same[j].s || same[j].e <= same[i].s);
  PQfinish(c);
}

int main(void)
{
  url = getenv("DATABASE_URL");
  if (!url) {
    fprintf(stderr, "itest_queue: DATABASE_URL is not set (run through tests/run.sh)\n");
    return 1;
  }
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_migrations_in_parallel),
    cmocka_unit_test(test_merge_identical_queued),
    cmocka_unit_test(test_same_key_never_concurrent),
    cmocka_unit_test(test_lease_expiry_rescue),
    cmocka_unit_test(test_retry_then_dead),
    cmocka_unit_test(test_prune_old_done_tasks),
    cmocka_unit_test(test_backoff_is_capped_with_jitter),
    cmocka_unit_test(test_pool_drains_exactly_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
