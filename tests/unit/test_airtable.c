/* test_airtable — the pure parts of the Airtable client: every error body
 * shape of reference/airtable-api.md §3, retry classification, URL and
 * listRecords body building, backoff bounds.  No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "airtable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void parse(int status, const char *body, at_error *e)
{
  at_error_parse(status, body, body ? strlen(body) : 0, e);
}

static void test_error_object(void **st)
{
  at_error e;
  (void)st;
  parse(422, "{\"error\":{\"type\":\"INVALID_VALUE_FOR_COLUMN\",\"message\":\"Value is not an array of record IDs.\"}}", &e);
  assert_int_equal(e.http_status, 422);
  assert_string_equal(e.type, "INVALID_VALUE_FOR_COLUMN");
  assert_string_equal(e.message, "Value is not an array of record IDs.");
  assert_false(e.retryable);
  assert_int_equal(at_error_td(&e), TD_ERR_AIRTABLE);
}

static void test_error_bare_string(void **st)
{
  at_error e;
  (void)st;
  parse(404, "{\"error\":\"NOT_FOUND\"}", &e);
  assert_string_equal(e.type, "NOT_FOUND");
  assert_string_equal(e.message, "");
  assert_false(e.retryable);
  assert_int_equal(at_error_td(&e), TD_ERR_NOT_FOUND);
}

static void test_error_array(void **st)
{
  at_error e;
  (void)st;
  parse(429, "{\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\",\"message\":\"Rate limit exceeded. Please try again later\"}]}", &e);
  assert_string_equal(e.type, "RATE_LIMIT_REACHED");
  assert_string_equal(e.message, "Rate limit exceeded. Please try again later");
  assert_true(e.retryable);
  assert_int_equal(at_error_td(&e), TD_ERR_AIRTABLE_RETRY);
}

static void test_error_type_only(void **st)
{
  at_error e;
  (void)st;
  parse(422, "{\"error\":{\"type\":\"FAILED_STATE_CHECK\"}}", &e);
  assert_string_equal(e.type, "FAILED_STATE_CHECK");
  assert_string_equal(e.message, "");
  assert_false(e.retryable);
}

static void test_error_not_json(void **st)
{
  at_error e;
  (void)st;
  parse(500, "<html>\n  <body>Internal   error</body></html>", &e);
  assert_int_equal(e.http_status, 500);
  assert_string_equal(e.type, "HTTP_500");
  assert_string_equal(e.message, "<html> <body>Internal error</body></html>");
  assert_true(e.retryable);
  parse(502, NULL, &e);
  assert_string_equal(e.type, "HTTP_502");
  assert_true(e.retryable);
  parse(400, "{\"weird\":1}", &e);
  assert_string_equal(e.type, "HTTP_400");
  assert_false(e.retryable);
  parse(503, "[1,2", &e); /* truncated JSON */
  assert_string_equal(e.type, "HTTP_503");
  assert_true(e.retryable);
}

static void test_error_long_fields_truncated(void **st)
{
  char body[2048], type[201], msg[601];
  at_error e;
  (void)st;
  memset(type, 'T', 200);
  type[200] = 0;
  memset(msg, 'm', 600);
  msg[600] = 0;
  snprintf(body, sizeof body, "{\"error\":{\"type\":\"%s\",\"message\":\"%s\"}}", type, msg);
  parse(422, body, &e);
  assert_int_equal(strlen(e.type), sizeof e.type - 1);
  assert_int_equal(strlen(e.message), sizeof e.message - 1);
}

static void test_classification(void **st)
{
  at_error e;
  static const int retry[] = {500, 502, 503, 504};
  static const int final[] = {400, 401, 403, 404, 413, 422};
  (void)st;
  for (size_t i = 0; i < sizeof retry / sizeof *retry; i++)
    assert_true(at_error_is_retryable(retry[i], "X"));
  for (size_t i = 0; i < sizeof final / sizeof *final; i++)
    assert_false(at_error_is_retryable(final[i], "X"));
  assert_true(at_error_is_retryable(429, "RATE_LIMIT_REACHED"));
  assert_false(at_error_is_retryable(429, "PUBLIC_API_BILLING_LIMIT_EXCEEDED"));
  parse(429, "{\"error\":{\"type\":\"PUBLIC_API_BILLING_LIMIT_EXCEEDED\",\"message\":\"quota\"}}", &e);
  assert_false(e.retryable);
  assert_int_equal(at_error_td(&e), TD_ERR_AIRTABLE);
  parse(401, "{\"error\":{\"type\":\"AUTHENTICATION_REQUIRED\",\"message\":\"Authentication required\"}}", &e);
  assert_int_equal(at_error_td(&e), TD_ERR_AIRTABLE);
  parse(422, "{\"error\":{\"type\":\"ROW_DOES_NOT_EXIST\",\"message\":\"Record ID rec2VdcJzQlsKFHtP does not exist in this table\"}}", &e);
  assert_int_equal(at_error_td(&e), TD_ERR_NOT_FOUND);
  parse(503, "", &e);
  assert_int_equal(at_error_td(&e), TD_ERR_AIRTABLE_RETRY);
}

static void expect_quote(const char *in, const char *want)
{
  char buf[256];
  size_t n = at_formula_quote(in, buf, sizeof buf);
  assert_int_equal(n, strlen(want));
  assert_string_equal(buf, want);
  char *d = at_formula_quote_dup(in);
  assert_string_equal(d, want);
  free(d);
}

static void test_formula_quote(void **st)
{
  (void)st;
  expect_quote("", "\"\"");
  expect_quote("Sourcing", "\"Sourcing\"");
  expect_quote("O'Brien", "\"O'Brien\"");
  expect_quote("say \"hi\"", "\"say \\\"hi\\\"\"");
  expect_quote("a\\b", "\"a\\\\b\"");
  expect_quote("end\\", "\"end\\\\\"");        /* a trailing backslash must not eat the quote */
  expect_quote("\\\"", "\"\\\\\\\"\"");
  expect_quote("line1\nline2\r\tx", "\"line1\\nline2\\r\\tx\"");
  expect_quote("'); DROP TABLE tasks; --", "\"'); DROP TABLE tasks; --\"");
  expect_quote("\") , TRUE(), (\"", "\"\\\") , TRUE(), (\\\"\"");
  expect_quote("Zoë 🚀 東京", "\"Zoë 🚀 東京\"");
  expect_quote(NULL, "\"\"");
  /* Invalid UTF-8 (stray continuation, truncated sequence, overlong, surrogate). */
  expect_quote("a\x80z", "\"a\xEF\xBF\xBDz\"");
  expect_quote("a\xE2\x82", "\"a\xEF\xBF\xBD\xEF\xBF\xBD\"");
  expect_quote("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  expect_quote("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

static void test_formula_quote_truncation(void **st)
{
  char small[6];
  (void)st;
  assert_int_equal(at_formula_quote("abcdefgh", small, sizeof small), 10);
  assert_string_equal(small, "\"abcd");
  assert_int_equal(at_formula_quote("abc", NULL, 0), 5);
}

static void test_formula_record_ids(void **st)
{
  const char *ids[] = {"recAAAAAAAAAAAAAA", "recBBBBBBBBBBBBBB", "x\"y"};
  char *f;
  (void)st;
  f = at_formula_record_ids(ids, 0);
  assert_string_equal(f, "FALSE()");
  free(f);
  f = at_formula_record_ids(ids, 1);
  assert_string_equal(f, "RECORD_ID()=\"recAAAAAAAAAAAAAA\"");
  free(f);
  f = at_formula_record_ids(ids, 3);
  assert_string_equal(f, "OR(RECORD_ID()=\"recAAAAAAAAAAAAAA\",RECORD_ID()=\"recBBBBBBBBBBBBBB\","
                         "RECORD_ID()=\"x\\\"y\")");
  free(f);
}

static void test_list_url(void **st)
{
  const char *fields[] = {"Name", "(N) Skills", "Job Status"};
  at_list_opts o = {.fields = fields, .n_fields = 3, .formula = "{Job Status}=\"On Hold\"",
                    .max_records = 250, .return_fields_by_id = 1};
  char *u;
  (void)st;
  u = at_list_url("http://127.0.0.1:9", "appTEST0000000001", "tblOkLOSo4Zjwp0yF", NULL, NULL);
  assert_string_equal(u, "http://127.0.0.1:9/v0/appTEST0000000001/tblOkLOSo4Zjwp0yF?pageSize=100");
  free(u);
  u = at_list_url("https://api.airtable.com", "appX", "Customers STT", &o, "itr123/rec456");
  assert_string_equal(u,
    "https://api.airtable.com/v0/appX/Customers%20STT?pageSize=100"
    "&fields%5B%5D=Name&fields%5B%5D=%28N%29%20Skills&fields%5B%5D=Job%20Status"
    "&filterByFormula=%7BJob%20Status%7D%3D%22On%20Hold%22&maxRecords=250"
    "&returnFieldsByFieldId=true&offset=itr123%2Frec456");
  free(u);
  o.fields = NULL;
  o.formula = "{Name}=\"Zoë & co\"";
  o.max_records = 0;
  o.return_fields_by_id = 0;
  o.view = "Grid view";
  u = at_list_url("http://h", "appX", "tblY", &o, NULL);
  assert_string_equal(u, "http://h/v0/appX/tblY?pageSize=100&filterByFormula=%7BName%7D%3D%22Zo%C3%AB%20%26%20co%22&view=Grid%20view");
  free(u);
}

static void test_list_body(void **st)
{
  const char *fields[] = {"Name", "Skills"};
  at_list_opts o = {.fields = fields, .n_fields = 2, .formula = "RECORD_ID()=\"a\"",
                    .return_fields_by_id = 1};
  char *b;
  (void)st;
  b = at_list_body(&o, "itr1/rec1");
  assert_string_equal(b, "{\"pageSize\":100,\"fields\":[\"Name\",\"Skills\"],"
                         "\"filterByFormula\":\"RECORD_ID()=\\\"a\\\"\",\"returnFieldsByFieldId\":true,"
                         "\"offset\":\"itr1/rec1\"}");
  free(b);
  b = at_list_body(NULL, NULL);
  assert_string_equal(b, "{\"pageSize\":100}");
  free(b);
}

static void test_long_formula_exceeds_url_limit(void **st)
{
  /* 600 record ids make a formula whose URL is well over 16,000 chars: the
   * client must switch to POST listRecords for it. */
  const char *ids[600];
  char *f, *u;
  (void)st;
  for (int i = 0; i < 600; i++)
    ids[i] = "recAAAAAAAAAAAAAA";
  f = at_formula_record_ids(ids, 600);
  at_list_opts o = {.formula = f};
  u = at_list_url("http://h", "appX", "tblY", &o, NULL);
  assert_true(strlen(u) > AT_MAX_URL);
  free(u);
  free(f);
}

static void test_backoff(void **st)
{
  (void)st;
  assert_true(at_backoff_s(1, 0.5, 8, 0.999) < 0.5);
  assert_true(at_backoff_s(2, 0.5, 8, 0.999) < 1.0 && at_backoff_s(2, 0.5, 8, 0.999) > 0.99);
  assert_true(at_backoff_s(3, 0.5, 8, 0.5) == 1.0);
  assert_true(at_backoff_s(10, 0.5, 8, 0.999) <= 8.0);
  assert_true(at_backoff_s(10, 0.5, 8, 0.999) > 7.9);
  assert_true(at_backoff_s(4, 0.5, 8, 0) == 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_error_object),
    cmocka_unit_test(test_error_bare_string),
    cmocka_unit_test(test_error_array),
    cmocka_unit_test(test_error_type_only),
    cmocka_unit_test(test_error_not_json),
    cmocka_unit_test(test_error_long_fields_truncated),
    cmocka_unit_test(test_classification),
    cmocka_unit_test(test_formula_quote),
    cmocka_unit_test(test_formula_quote_truncation),
    cmocka_unit_test(test_formula_record_ids),
    cmocka_unit_test(test_list_url),
    cmocka_unit_test(test_list_body),
    cmocka_unit_test(test_long_formula_exceeds_url_limit),
    cmocka_unit_test(test_backoff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
