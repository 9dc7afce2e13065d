/* test_airtable_verify_schema — vs_check() on the complete schema fixture
 * (copied from the judged-dev base) and on copies broken one way each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "verify_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ids[TBL__COUNT] = {"tblOkLOSo4Zjwp0yF", "tbl9KNjT3G08f6oXh",
                                            "tblrbhITEIBOxwcQV"};

typedef struct lines {
  char buf[8192];
  size_t len;
  int n;
} lines;

static void collect(void *arg, const char *line)
{
  lines *l = arg;
  int w = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s\n", line);
  if (w > 0 && (size_t)w < sizeof l->buf - l->len)
    l->len += (size_t)w;
  l->n++;
}

static cJSON *load_fixture(void)
{
  FILE *f = fopen("tests/fixtures/airtable-schema.json", "rb");
  char *buf;
  long n;
  cJSON *root;
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = 0;
  fclose(f);
  root = cJSON_Parse(buf);
  free(buf);
  assert_non_null(root);
  return root;
}

static cJSON *table(cJSON *root, const char *id)
{
  cJSON *t;
  cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "tables"))
    if (strcmp(cJSON_GetObjectItem(t, "id")->valuestring, id) == 0)
      return t;
  fail();
  return NULL;
}

static cJSON *field(cJSON *t, const char *name)
{
  cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItem(t, "fields"))
    if (strcmp(cJSON_GetObjectItem(f, "name")->valuestring, name) == 0)
      return f;
  fail();
  return NULL;
}

static void test_complete(void **st)
{
  cJSON *root = load_fixture();
  lines l = {0};
  vs_result r;
  (void)st;
  assert_int_equal(vs_check(root, ids, collect, &l, &r), TD_OK);
  if (l.n)
    fprintf(stderr, "%s", l.buf);
  assert_int_equal(r.problems, 0);
  assert_int_equal(r.tables_checked, 3);
  assert_int_equal(r.fields_checked, FLD__COUNT);
  cJSON_Delete(root);
}

static void test_broken(void **st)
{
  cJSON *root = load_fixture();
  cJSON *ats = table(root, ids[TBL_ATS]), *talent = table(root, ids[TBL_TALENT]);
  cJSON *fields = cJSON_GetObjectItem(ats, "fields"), *f, *choices;
  lines l = {0};
  vs_result r;
  int i = 0;
  (void)st;
  /* drop "Hired" */
  cJSON_ArrayForEach(f, fields) {
    if (strcmp(cJSON_GetObjectItem(f, "name")->valuestring, "Hired") == 0)
      break;
    i++;
  }
  cJSON_DeleteItemFromArray(fields, i);
  /* (N) Salary becomes text */
  cJSON_ReplaceItemInObject(field(talent, "(N) Salary"), "type", cJSON_CreateString("singleLineText"));
  /* Company links to Talent instead of Customers STT */
  cJSON_ReplaceItemInObject(cJSON_GetObjectItem(field(ats, "Company"), "options"), "linkedTableId",
                            cJSON_CreateString(ids[TBL_TALENT]));
  /* "On Hold" gone from Job Status */
  choices = cJSON_GetObjectItem(cJSON_GetObjectItem(field(ats, "Job Status"), "options"), "choices");
  i = 0;
  cJSON_ArrayForEach(f, choices) {
    if (strcmp(f->valuestring, "On Hold") == 0)
      break;
    i++;
  }
  cJSON_DeleteItemFromArray(choices, i);
  /* a case typo */
  cJSON_ReplaceItemInObject(field(talent, "CV Text"), "name", cJSON_CreateString("CV text"));

  assert_int_equal(vs_check(root, ids, collect, &l, &r), TD_OK);
  fprintf(stderr, "%s", l.buf);
  assert_int_equal(r.problems, 5);
  assert_non_null(strstr(l.buf, "ATS: field \"Hired\": missing\n"));
  assert_non_null(strstr(l.buf, "Talent: field \"(N) Salary\": type singleLineText, expected number"));
  assert_non_null(strstr(l.buf, "ATS: field \"Company\": links to tblOkLOSo4Zjwp0yF, expected Customers STT"));
  assert_non_null(strstr(l.buf, "ATS: field \"Job Status\": choice \"On Hold\" missing\n"));
  assert_non_null(strstr(l.buf, "Talent: field \"CV Text\": missing (a field \"CV text\" differs only in case)"));
  cJSON_Delete(root);
}

static void test_missing_table(void **st)
{
  cJSON *root = load_fixture();
  lines l = {0};
  vs_result r;
  (void)st;
  cJSON_DeleteItemFromArray(cJSON_GetObjectItem(root, "tables"), 1);
  assert_int_equal(vs_check(root, ids, collect, &l, &r), TD_OK);
  assert_int_equal(r.problems, 1); /* the table, not each of its fields */
  assert_non_null(strstr(l.buf, "Customers STT: table tbl9KNjT3G08f6oXh: missing"));
  cJSON_Delete(root);
  root = cJSON_Parse("{\"nope\":1}");
  assert_int_equal(vs_check(root, ids, collect, &l, &r), TD_ERR_PARSE);
  cJSON_Delete(root);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_complete),
    cmocka_unit_test(test_broken),
    cmocka_unit_test(test_missing_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
