/* test_cvtext — PDF and plain-text CV extraction, including broken input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvtext.h"
#include "err.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *b = malloc(65536);
  *len = b ? fread(b, 1, 65536, f) : 0;
  fclose(f);
  return b;
}

static void test_pdf(void **state) {
  (void)state;
  size_t len;
  char *pdf = slurp("tests/fixtures/cv/simple.pdf", &len);
  assert_non_null(pdf);
  char *txt = NULL;
  assert_int_equal(cv_pdf_to_text(pdf, len, &txt), TD_OK);
  assert_non_null(strstr(txt, "Backend Engineer at Acme (2019 - present)"));
  free(txt);
  assert_int_equal(cv_text_from_bytes(pdf, len, "application/pdf", &txt), TD_OK);
  free(txt);
  free(pdf);
}

static void test_broken(void **state) {
  (void)state;
  size_t len;
  char *pdf = slurp("tests/fixtures/cv/truncated.pdf", &len);
  assert_non_null(pdf);
  char *txt = NULL;
  int rc = cv_pdf_to_text(pdf, len, &txt);
  /* poppler may recover a truncated file or not; it must never crash */
  assert_true(rc == TD_OK || rc == TD_ERR_PARSE);
  free(txt);
  free(pdf);
  assert_int_equal(cv_pdf_to_text("hello", 5, &txt), TD_ERR_PARSE);
  assert_int_equal(cv_pdf_to_text("%PDF-1.4 garbage garbage", 24, &txt), TD_ERR_PARSE);
  assert_int_equal(cv_pdf_to_text(NULL, 0, &txt), TD_ERR_INVALID);
}

static void test_plain(void **state) {
  (void)state;
  char *txt = NULL;
  const char in[] = "\xEF\xBB\xBFMalm\xC3\xB6\r\nZ\xFCrich\x01 ok";
  assert_int_equal(cv_text_from_bytes(in, sizeof in - 1, "text/plain; charset=utf-8", &txt), TD_OK);
  assert_string_equal(txt, "Malm\xC3\xB6\nZ\xC3\xBCrich ok");
  free(txt);
  assert_int_equal(cv_text_from_bytes("x", 1, "image/png", &txt), TD_ERR_NOT_IMPLEMENTED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pdf), cmocka_unit_test(test_broken), cmocka_unit_test(test_plain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
