/* test_geo — locations with English and local spellings, countries, regions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "geo.h"

static void test_locations(void **state) {
  (void)state;
  static const struct { const char *in, *city, *cc, *tz; double off; } cases[] = {
    {"Copenhagen, Denmark", "Copenhagen", "DK", "Europe/Copenhagen", 1},
    {"København", "Copenhagen", "DK", "Europe/Copenhagen", 1},
    {"Malmö, Sweden", "Malmö", "SE", "Europe/Stockholm", 1},
    {"Malmo", "Malmö", "SE", "Europe/Stockholm", 1},
    {"Gothenburg, Sweden", "Gothenburg", "SE", "Europe/Stockholm", 1},
    {"Göteborg", "Gothenburg", "SE", "Europe/Stockholm", 1},
    {"Łódź, Poland", "Łódź", "PL", "Europe/Warsaw", 1},
    {"Lodz", "Łódź", "PL", "Europe/Warsaw", 1},
    {"Iași, Romania", "Iași", "RO", "Europe/Bucharest", 2},
    {"Munich", "Munich", "DE", "Europe/Berlin", 1},
    {"München, Deutschland", "Munich", "DE", "Europe/Berlin", 1},
    {"Zürich", "Zurich", "CH", "Europe/Zurich", 1},
    {"Warszawa", "Warsaw", "PL", "Europe/Warsaw", 1},
    {"London, UK", "London", "GB", "Europe/London", 0},
    {"London, Canada", "London", "CA", "America/Toronto", -5},
    {"Pune, India", "Pune", "IN", "Asia/Kolkata", 5.5},
    {"Cluj-Napoca, Romania", "Cluj-Napoca", "RO", "Europe/Bucharest", 2},
    {"United Kingdom", "", "GB", "Europe/London", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    geo_place p;
    assert_int_equal(geo_parse_location(cases[i].in, &p), 1);
    assert_string_equal(p.city, cases[i].city);
    assert_string_equal(p.country, cases[i].cc);
    assert_string_equal(p.timezone, cases[i].tz);
    assert_true(fabs(p.tz_offset_hours - cases[i].off) < 1e-9);
  }
}

static void test_remote_and_unknown(void **state) {
  (void)state;
  geo_place p;
  assert_int_equal(geo_parse_location("Remote (EU)", &p), 1);
  assert_true(p.remote);
  assert_string_equal(p.region, "EU");
  assert_string_equal(p.country, "");
  assert_true(isnan(p.tz_offset_hours));
  assert_int_equal(geo_parse_location("Atlantis", &p), 0);
  assert_int_equal(geo_parse_location(NULL, &p), 0);
  assert_string_equal(p.city, "");
}

static void test_regions(void **state) {
  (void)state;
  char r[64];
  const char *t = "fully remote from anywhere in the UK or the EU, with core hours";
  assert_int_equal(geo_find_regions(t, strlen(t), r, sizeof r), 2);
  assert_string_equal(r, "GB,EU");
  assert_int_equal(geo_in_region("DE", "GB,EU"), 1);
  assert_int_equal(geo_in_region("GB", "GB,EU"), 1);
  assert_int_equal(geo_in_region("ZA", "GB,EU"), 0);
  assert_int_equal(geo_in_region("CH", "DACH"), 1);
  assert_int_equal(geo_in_region("", "EU"), -1);
  assert_string_equal(geo_country_currency("CH"), "CHF");
  assert_string_equal(geo_country_currency("IE"), "EUR");
  char cc[3];
  assert_int_equal(geo_country_code("U.K.", 4, cc), 1);
  assert_string_equal(cc, "GB");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_locations), cmocka_unit_test(test_remote_and_unknown),
    cmocka_unit_test(test_regions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
