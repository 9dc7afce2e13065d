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

static void test_coordinates(void **state) {
  (void)state;
  static const struct { const char *in; double lat, lon; } cases[] = {
    {"Copenhagen, Denmark", 55.68, 12.57},
    {"København", 55.68, 12.57},
    {"Malmö, Sweden", 55.61, 13.00},
    {"London, UK", 51.51, -0.13},
    {"London, Canada", 42.98, -81.23},
    {"Pune, India", 18.52, 73.86},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    geo_place p;
    assert_int_equal(geo_parse_location(cases[i].in, &p), 1);
    assert_true(fabs(p.lat - cases[i].lat) < 0.015);
    assert_true(fabs(p.lon - cases[i].lon) < 0.015);
  }
  /* a country or a region is no point; nothing parsed is no point */
  geo_place p;
  const char *nopoint[] = {"United Kingdom", "Denmark", "Remote (EU)", "Atlantis"};
  for (size_t i = 0; i < sizeof nopoint / sizeof nopoint[0]; i++) {
    geo_parse_location(nopoint[i], &p);
    assert_true(isnan(p.lat) && isnan(p.lon));
  }
  geo_parse_location(NULL, &p);
  assert_true(isnan(p.lat) && isnan(p.lon));
}

static void test_distance(void **state) {
  (void)state;
  assert_true(geo_distance_km(55.68, 12.57, 55.68, 12.57) < 1e-9);
  /* Copenhagen - Malmö across the Øresund: about 28 km */
  double d = geo_distance_km(55.68, 12.57, 55.61, 13.00);
  assert_true(d > 25 && d < 31);
  /* symmetric */
  assert_true(fabs(d - geo_distance_km(55.61, 13.00, 55.68, 12.57)) < 1e-9);
  /* London - Paris: 344 km */
  d = geo_distance_km(51.5074, -0.1278, 48.8566, 2.3522);
  assert_true(fabs(d - 343.6) < 2);
  /* one degree of latitude: 111.2 km; across the antimeridian stays short */
  assert_true(fabs(geo_distance_km(10, 20, 11, 20) - 111.19) < 0.1);
  assert_true(fabs(geo_distance_km(0, 179.5, 0, -179.5) - 111.19) < 0.1);
  /* antipodes: half the circumference, no NAN from rounding */
  d = geo_distance_km(40, -3, -40, 177);
  assert_true(fabs(d - 3.14159265358979 * 6371) < 0.5);
  assert_true(isnan(geo_distance_km(NAN, 12.57, 55.61, 13.00)));
  assert_true(isnan(geo_distance_km(55.68, 12.57, 55.61, NAN)));
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
    cmocka_unit_test(test_regions), cmocka_unit_test(test_coordinates),
    cmocka_unit_test(test_distance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
