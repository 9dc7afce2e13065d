/* Unit tests: Standard Webhooks verification against the published vectors
 * (../shared/docs/reference/webhooks.md §1), several secrets, decoys,
 * header parsing edge cases and timestamp tolerance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "cfg.h"
#include "whsig.h"

#define V1_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define V1_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define V1_TS "1614265330"
#define V1_BODY "{\"test\": 2432232314}"
#define V1_SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

#define V2_SECRET "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
#define V2_ID "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk"
#define V2_TS "1649367553"
#define V2_BODY "{\"email\":\"test@example.com\",\"username\":\"test_user\"}"
#define V2_SIG "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="

static whsig_result verify(const char *const *secrets, int n, const char *id, const char *ts,
                           const char *body, const char *header, size_t chunk)
{
  cfg_secret s[CFG_MAX_SECRETS];
  whsig_state st;
  for (int i = 0; i < n; i++)
    assert_int_equal(cfg_parse_whsec(secrets[i], &s[i]), 0);
  whsig_begin(&st, s, n, id, ts);
  size_t len = strlen(body);
  for (size_t off = 0; off < len; off += chunk)
    whsig_update(&st, body + off, len - off < chunk ? len - off : chunk);
  return whsig_verify(&st, header);
}

static void test_vectors_pass(void **state)
{
  (void)state;
  const char *s1[] = {V1_SECRET}, *s2[] = {V2_SECRET};
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, V1_SIG, 1000), WHSIG_OK);
  assert_int_equal(verify(s2, 1, V2_ID, V2_TS, V2_BODY, V2_SIG, 1000), WHSIG_OK);
  /* streaming in tiny chunks gives the same MAC */
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, V1_SIG, 1), WHSIG_OK);
  assert_int_equal(verify(s2, 1, V2_ID, V2_TS, V2_BODY, V2_SIG, 3), WHSIG_OK);
}

static void test_secret_is_24_bytes(void **state)
{
  cfg_secret s;
  (void)state;
  assert_int_equal(cfg_parse_whsec(V1_SECRET, &s), 0);
  assert_int_equal(s.len, 24);
  assert_int_equal(cfg_parse_whsec("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &s), -1); /* no prefix */
  assert_int_equal(cfg_parse_whsec("whsec_***", &s), -1);
  assert_int_equal(cfg_parse_whsec("whsec_", &s), -1);
}

static void test_vectors_must_fail(void **state)
{
  (void)state;
  const char *s1[] = {V1_SECRET}, *s2[] = {V2_SECRET};
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY,
                          "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", 100), WHSIG_NO_MATCH);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "v1,", 100), WHSIG_NO_MATCH);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJE", 100),
                   WHSIG_NO_MATCH);
  assert_int_equal(verify(s2, 1, V2_ID, V2_TS, V2_BODY,
                          "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=", 100), WHSIG_NO_MATCH);
  /* right signature, wrong body / id / timestamp */
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, "{\"test\": 2432232315}", V1_SIG, 100), WHSIG_NO_MATCH);
  assert_int_equal(verify(s1, 1, "msg_other", V1_TS, V1_BODY, V1_SIG, 100), WHSIG_NO_MATCH);
  assert_int_equal(verify(s1, 1, V1_ID, "1614265331", V1_BODY, V1_SIG, 100), WHSIG_NO_MATCH);
  /* the other vector's secret */
  assert_int_equal(verify(s2, 1, V1_ID, V1_TS, V1_BODY, V1_SIG, 100), WHSIG_NO_MATCH);
}

static void test_decoys_and_versions(void **state)
{
  (void)state;
  const char *s1[] = {V1_SECRET};
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY,
                          "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " V1_SIG
                          " v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", 100), WHSIG_OK);
  /* a valid MAC under another version tag does not count */
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 100),
                   WHSIG_NO_MATCH);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 100),
                   WHSIG_NO_MATCH);
  /* extra spaces are tolerated */
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "  " V1_SIG "  ", 100), WHSIG_OK);
}

static void test_several_secrets(void **state)
{
  (void)state;
  const char *both[] = {V2_SECRET, V1_SECRET};
  assert_int_equal(verify(both, 2, V1_ID, V1_TS, V1_BODY, V1_SIG, 7), WHSIG_OK);
  assert_int_equal(verify(both, 2, V2_ID, V2_TS, V2_BODY, V2_SIG, 7), WHSIG_OK);
  assert_int_equal(verify(both, 2, V2_ID, V2_TS, V2_BODY, V1_SIG, 7), WHSIG_NO_MATCH);
}

static void test_malformed_header(void **state)
{
  (void)state;
  const char *s1[] = {V1_SECRET};
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, NULL, 100), WHSIG_MISSING);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "", 100), WHSIG_MISSING);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "garbage", 100), WHSIG_MISSING);
  assert_int_equal(verify(s1, 1, V1_ID, V1_TS, V1_BODY, "v1,!!!notbase64!!!", 100), WHSIG_NO_MATCH);
}

static void test_headers_and_tolerance(void **state)
{
  (void)state;
  long long now = 1614265330;
  assert_int_equal(whsig_check_headers(V1_ID, V1_TS, now), WHSIG_OK);
  assert_int_equal(whsig_check_headers(V1_ID, V1_TS, now + 300), WHSIG_OK);
  assert_int_equal(whsig_check_headers(V1_ID, V1_TS, now - 300), WHSIG_OK);
  assert_int_equal(whsig_check_headers(V1_ID, V1_TS, now + 301), WHSIG_STALE);
  assert_int_equal(whsig_check_headers(V1_ID, V1_TS, now - 301), WHSIG_STALE);
  assert_int_equal(whsig_check_headers(NULL, V1_TS, now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers("", V1_TS, now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers("a.b", V1_TS, now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers(V1_ID, NULL, now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers(V1_ID, "16142653.0", now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers(V1_ID, "-1614265330", now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers(V1_ID, "99999999999999999999", now), WHSIG_MISSING);
  assert_int_equal(whsig_check_headers(V1_ID, " 1614265330", now), WHSIG_MISSING);
}

static void test_sign_roundtrip(void **state)
{
  cfg_secret s;
  char out[128];
  (void)state;
  assert_int_equal(cfg_parse_whsec(V1_SECRET, &s), 0);
  assert_int_equal(whsig_sign(&s, V1_ID, V1_TS, V1_BODY, strlen(V1_BODY), out, sizeof out), 0);
  assert_string_equal(out, V1_SIG);
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vectors_pass),      cmocka_unit_test(test_secret_is_24_bytes),
    cmocka_unit_test(test_vectors_must_fail), cmocka_unit_test(test_decoys_and_versions),
    cmocka_unit_test(test_several_secrets),   cmocka_unit_test(test_malformed_header),
    cmocka_unit_test(test_headers_and_tolerance), cmocka_unit_test(test_sign_roundtrip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
