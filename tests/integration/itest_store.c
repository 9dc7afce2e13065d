/* Integration tests of the candidate store against a private PostgreSQL:
 * the index refresh (store_candidates_pull) applies new, changed and
 * deleted rows, and catches a row whose transaction committed after a row
 * with a higher revision was already seen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "match.h"
#include "migrate.h"
#include "store.h"

static const char *url;

static PGconn *conn(void)
{
  td_err rc;
  PGconn *c = db_connect(url, &rc);
  assert_non_null(c);
  return c;
}

static void candidate(model_candidate *m, const char *id, const char *skill)
{
  memset(m, 0, sizeof *m);
  snprintf(m->record_id, sizeof m->record_id, "%s", id);
  snprintf(m->name, sizeof m->name, "Test %s", id + 3);
  m->years = 5;
  m->salary = NAN;
  m->tz_offset_hours = NAN;
  m->years_recent_tech = NAN;
  m->lead_years = NAN;
  m->n_skills = 1;
  snprintf(m->skills[0].name, sizeof m->skills[0].name, "%s", skill);
  m->skills[0].rating = 4;
  m->skills[0].flags = SKILL_LISTED;
  m->skills[0].years = NAN;
  m->text = (char *)skill;
}

static void upsert(PGconn *c, const char *id, const char *skill)
{
  model_candidate m;
  candidate(&m, id, skill);
  assert_int_equal(store_candidate_upsert(c, &m, "", "{}", "h", NULL), TD_OK);
}

static void test_pull_applies_changes_and_late_commits(void **state)
{
  match_index *ix;
  store_pull st = {0, 0};
  int applied, stale;
  (void)state;
  PGconn *a = conn(), *b = conn();
  int n = 0;
  assert_int_equal(migrate_apply(a, &n), TD_OK);
  assert_int_equal(match_index_new(&ix), TD_OK);

  upsert(a, "recSTOREA00000001", "Go");
  upsert(a, "recSTOREB00000002", "Rust");
  assert_int_equal(store_candidates_pull(a, ix, &st, &applied, &stale), TD_OK);
  assert_int_equal(applied, 2);
  assert_int_equal(match_index_count(ix), 2);

  /* A writes C inside an open transaction (its revision is drawn now);
   * B writes D and commits: D's revision is higher than C's. */
  assert_int_equal(db_run(a, "BEGIN", 0, NULL), TD_OK);
  upsert(a, "recSTOREC00000003", "Python");
  upsert(b, "recSTORED00000004", "Java");
  assert_int_equal(store_candidates_pull(b, ix, &st, &applied, &stale), TD_OK);
  assert_true(match_index_contains(ix, "recSTORED00000004"));
  assert_false(match_index_contains(ix, "recSTOREC00000003")); /* not visible yet */
  assert_int_equal(db_run(a, "COMMIT", 0, NULL), TD_OK);
  /* C committed below the revision already seen: the look-back finds it */
  assert_int_equal(store_candidates_pull(b, ix, &st, &applied, &stale), TD_OK);
  assert_true(match_index_contains(ix, "recSTOREC00000003"));
  assert_int_equal(match_index_count(ix), 4);

  /* a deletion removes the candidate from the index */
  assert_int_equal(store_candidate_mark_deleted(a, "recSTOREB00000002"), TD_OK);
  assert_int_equal(store_candidates_pull(b, ix, &st, &applied, &stale), TD_OK);
  assert_false(match_index_contains(ix, "recSTOREB00000002"));
  assert_int_equal(match_index_count(ix), 3);

  /* a model from another build's layout is skipped and counted as stale */
  assert_int_equal(db_run(a, "UPDATE normalized_candidates SET model_layout = 1,"
                             " rev = nextval('normalized_rev'), updated_at = now()"
                             " WHERE airtable_record_id = 'recSTOREA00000001'", 0, NULL), TD_OK);
  assert_int_equal(store_candidates_pull(b, ix, &st, &applied, &stale), TD_OK);
  assert_int_equal(stale, 1);

  /* nothing changed: a pull applies only the look-back rows again, and no new ones */
  long long rev = st.rev;
  assert_int_equal(store_candidates_pull(b, ix, &st, &applied, &stale), TD_OK);
  assert_int_equal(st.rev, rev);
  match_index_free(ix);
  PQfinish(a);
  PQfinish(b);
}

int main(void)
{
  url = getenv("DATABASE_URL");
  if (!url) {
    fprintf(stderr, "itest_store: DATABASE_URL is not set (run through tests/run.sh)\n");
    return 1;
  }
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pull_applies_changes_and_late_commits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
