/* Unit tests: configuration parsing (contract §3) and event validation
 * (contract §4.1), both pure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "event.h"

/* A fake environment: NULL-terminated name=value pairs. */
static const char **fake_env;
static const char *fake_getenv(const char *name)
{
  size_t n = strlen(name);
  for (const char **e = fake_env; e && *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
      return *e + n + 1;
  return NULL;
}

static int load(const char **env, int need, td_config *c, char *err, size_t errlen)
{
  fake_env = env;
  return cfg_load(c, need, err, errlen, fake_getenv);
}

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define NEED_ALL (CFG_NEED_DB | CFG_NEED_WEBHOOK | CFG_NEED_AIRTABLE)

static void test_defaults(void **state)
{
  td_config c;
  char err[256];
  (void)state;
  const char *env[] = {"DATABASE_URL=postgresql:///x", "TALENTD_WEBHOOK_SECRET=" SECRET,
                       "AIRTABLE_TOKEN=patABC", "AIRTABLE_BASE_ID=appDv7JudgedSetQ9", NULL};
  assert_int_equal(load(env, NEED_ALL, &c, err, sizeof err), 0);
  assert_string_equal(c.listen_addr, "127.0.0.1");
  assert_int_equal(c.listen_port, 8080);
  assert_int_equal(c.workers, 4);
  assert_int_equal(c.max_body, 1048576);
  assert_int_equal(c.top_n, 20);
  assert_int_equal(c.reconcile_interval, 300);
  assert_null(c.admin_token);
  assert_string_equal(c.airtable_api_url, "https://api.airtable.com");
  assert_string_equal(c.talent_table, "tblOkLOSo4Zjwp0yF");
  assert_string_equal(c.customers_table, "tbl9KNjT3G08f6oXh");
  assert_string_equal(c.ats_table, "tblrbhITEIBOxwcQV");
  assert_true(c.rate_limit_rps == 5.0);
  assert_int_equal(c.rate_limit_penalty, 30);
  assert_int_equal(c.n_webhook_secrets, 1);
  assert_int_equal(c.webhook_secrets[0].len, 24);
  cfg_free(&c);
}

static void expect_error(const char *bad, const char *var)
{
  td_config c;
  char err[256];
  const char *env[] = {"DATABASE_URL=postgresql:///x", "TALENTD_WEBHOOK_SECRET=" SECRET,
                       "AIRTABLE_TOKEN=patABC", "AIRTABLE_BASE_ID=appDv7JudgedSetQ9", bad, NULL};
  /* the bad entry comes last, but fake_getenv returns the first match: put it first */
  const char *env2[] = {bad, env[0], env[1], env[2], env[3], NULL};
  (void)env;
  assert_int_equal(load(env2, NEED_ALL, &c, err, sizeof err), -1);
  if (!strstr(err, var))
    fail_msg("error \"%s\" does not name %s", err, var);
}

static void test_bad_values_name_the_variable(void **state)
{
  (void)state;
  expect_error("TALENTD_LISTEN=nonsense", "TALENTD_LISTEN");
  expect_error("TALENTD_LISTEN=127.0.0.1:99999", "TALENTD_LISTEN");
  expect_error("TALENTD_WORKERS=0", "TALENTD_WORKERS");
  expect_error("TALENTD_WORKERS=4x", "TALENTD_WORKERS");
  expect_error("TALENTD_WEBHOOK_SECRET=notasecret", "TALENTD_WEBHOOK_SECRET");
  expect_error("TALENTD_MAX_BODY=-1", "TALENTD_MAX_BODY");
  expect_error("TALENTD_TOP_N=0", "TALENTD_TOP_N");
  expect_error("TALENTD_RECONCILE_INTERVAL=-5", "TALENTD_RECONCILE_INTERVAL");
  expect_error("TALENTD_LOG_LEVEL=verbose", "TALENTD_LOG_LEVEL");
  expect_error("AIRTABLE_API_URL=ftp://x", "AIRTABLE_API_URL");
  expect_error("AIRTABLE_BASE_ID=base1", "AIRTABLE_BASE_ID");
  expect_error("AIRTABLE_TALENT_TABLE_ID=tblshort", "AIRTABLE_TALENT_TABLE_ID");
  expect_error("AIRTABLE_RATE_LIMIT_RPS=0", "AIRTABLE_RATE_LIMIT_RPS");
  expect_error("AIRTABLE_RATE_LIMIT_PENALTY=abc", "AIRTABLE_RATE_LIMIT_PENALTY");
  expect_error("TALENTD_ADMIN_TOKEN=short", "TALENTD_ADMIN_TOKEN");
}

static void test_required_and_secrets_never_echoed(void **state)
{
  td_config c;
  char err[256];
  (void)state;
  const char *none[] = {NULL};
  assert_int_equal(load(none, NEED_ALL, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "DATABASE_URL"));
  const char *bad[] = {"DATABASE_URL=postgresql:///x", "TALENTD_WEBHOOK_SECRET=whsec_SUPERSECRETVALUE!!",
                       NULL};
  assert_int_equal(load(bad, NEED_ALL, &c, err, sizeof err), -1);
  assert_null(strstr(err, "SUPERSECRET"));
  /* migrate needs only the database */
  const char *db[] = {"DATABASE_URL=postgresql:///x", NULL};
  assert_int_equal(load(db, CFG_NEED_DB, &c, err, sizeof err), 0);
  cfg_free(&c);
}

static void test_rotation_and_file_variants(void **state)
{
  td_config c;
  char err[256], path[] = "/tmp/talentd-secret-XXXXXX";
  (void)state;
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs("patFROMFILE\n", f);
  fclose(f);
  char tokfile[80];
  snprintf(tokfile, sizeof tokfile, "AIRTABLE_TOKEN_FILE=%s", path);
  const char *env[] = {"DATABASE_URL=postgresql:///x",
                       "TALENTD_WEBHOOK_SECRET=" SECRET " whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                       tokfile, "AIRTABLE_BASE_ID=appDv7JudgedSetQ9",
                       "TALENTD_LISTEN=[::1]:9000", NULL};
  assert_int_equal(load(env, NEED_ALL, &c, err, sizeof err), 0);
  assert_int_equal(c.n_webhook_secrets, 2);
  assert_string_equal(c.airtable_token, "patFROMFILE");
  assert_string_equal(c.listen_addr, "[::1]");
  assert_int_equal(c.listen_port, 9000);
  cfg_free(&c);
  const char *missing[] = {"DATABASE_URL_FILE=/nonexistent/talentd", NULL};
  assert_int_equal(load(missing, CFG_NEED_DB, &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "DATABASE_URL_FILE"));
  unlink(path);
}

static td_config ev_cfg;

static event_status ev(const char *body, char *msg)
{
  event_info info;
  return event_validate(&ev_cfg, body, strlen(body), &info, msg, 200);
}

static void test_event_validation(void **state)
{
  char msg[200];
  (void)state;
  const char *ok = "{\"type\":\"ats.status_changed\",\"base_id\":\"appDv7JudgedSetQ9\","
                   "\"table_id\":\"tblrbhITEIBOxwcQV\",\"record_id\":\"reckszRviNHBnlZF4\","
                   "\"fields\":{\"Job Status\":\"Sourcing\"}}";
  assert_int_equal(ev(ok, msg), EVENT_OK);
  assert_int_equal(ev("{\"type\":", msg), EVENT_INVALID_JSON);
  assert_int_equal(ev("", msg), EVENT_INVALID_JSON);
  assert_int_equal(ev("{} trailing", msg), EVENT_INVALID_JSON);
  assert_int_equal(ev("[1,2]", msg), EVENT_INVALID);
  assert_int_equal(ev("{\"type\":\"talent.updated\"}", msg), EVENT_INVALID);
  assert_non_null(strstr(msg, "base_id"));
  assert_int_equal(ev("{\"type\":7,\"base_id\":\"a\",\"table_id\":\"b\",\"record_id\":\"c\"}", msg),
                   EVENT_INVALID);
  assert_int_equal(ev("{\"type\":\"talent.updated\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tblOkLOSo4Zjwp0yF\",\"record_id\":\"rec6EoEEQqnaypMWT\",\"fields\":3}", msg),
                   EVENT_INVALID);
  /* 422s */
  assert_int_equal(ev("{\"type\":\"talent.deleted\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tblOkLOSo4Zjwp0yF\",\"record_id\":\"rec6EoEEQqnaypMWT\"}", msg),
                   EVENT_UNPROCESSABLE);
  assert_int_equal(ev("{\"type\":\"talent.updated\",\"base_id\":\"appOTHERBASE00001\","
                      "\"table_id\":\"tblOkLOSo4Zjwp0yF\",\"record_id\":\"rec6EoEEQqnaypMWT\"}", msg),
                   EVENT_UNPROCESSABLE);
  assert_int_equal(ev("{\"type\":\"talent.updated\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tblrbhITEIBOxwcQV\",\"record_id\":\"rec6EoEEQqnaypMWT\"}", msg),
                   EVENT_UNPROCESSABLE);
  assert_int_equal(ev("{\"type\":\"talent.updated\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tblOkLOSo4Zjwp0yF\",\"record_id\":\"rec6EoEEQqnaypMW\"}", msg),
                   EVENT_UNPROCESSABLE);
  assert_int_equal(ev("{\"type\":\"talent.updated\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tblOkLOSo4Zjwp0yF\",\"record_id\":\"rec6EoEEQqnaypM-T\"}", msg),
                   EVENT_UNPROCESSABLE);
  assert_int_equal(ev("{\"type\":\"customer.start_matchmaking\",\"base_id\":\"appDv7JudgedSetQ9\","
                      "\"table_id\":\"tbl9KNjT3G08f6oXh\",\"record_id\":\"reco2LKwMJ1zJXbr2\"}", msg),
                   EVENT_OK);
}

static void test_airtable_ids(void **state)
{
  (void)state;
  assert_true(cfg_is_airtable_id("rec6EoEEQqnaypMWT", "rec"));
  assert_false(cfg_is_airtable_id("rec6EoEEQqnaypMWTx", "rec"));
  assert_false(cfg_is_airtable_id("tbl6EoEEQqnaypMWT", "rec"));
  assert_false(cfg_is_airtable_id("rec6EoEEQqnay\xc3\xa9MW", "rec"));
  assert_false(cfg_is_airtable_id(NULL, "rec"));
}

int main(void)
{
  char err[256];
  const char *env[] = {"AIRTABLE_BASE_ID=appDv7JudgedSetQ9", NULL};
  if (sodium_init() < 0)
    return 1;
  fake_env = env;
  if (cfg_load(&ev_cfg, 0, err, sizeof err, fake_getenv) != 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defaults),
    cmocka_unit_test(test_bad_values_name_the_variable),
    cmocka_unit_test(test_required_and_secrets_never_echoed),
    cmocka_unit_test(test_rotation_and_file_variants),
    cmocka_unit_test(test_event_validation),
    cmocka_unit_test(test_airtable_ids),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cfg_free(&ev_cfg);
  return rc;
}
