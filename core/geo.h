/* geo — free-text locations to city (with coordinates), country, IANA time
 * zone and UTC offset; distances between places;
 * country currencies; region membership ("EU", "UK", "EMEA") for remote rules.
 *
 * Backed by generated tables (core/geo_data.c from GeoNames and IANA tz, see
 * tools/gen_taxonomy.py).  Pure and read-only: safe from any thread. */
#ifndef TD_GEO_H
#define TD_GEO_H

#include <stddef.h>

typedef struct geo_place {
  char city[64];          /* display name, "" unknown */
  char country[3];        /* ISO 3166-1 alpha-2, "" unknown */
  char timezone[48];      /* IANA zone, "" unknown */
  double tz_offset_hours; /* standard (winter) offset, NAN unknown */
  char region[64];        /* "EU", "GB,EU"… when a region rather than a place is named */
  int remote;             /* the text says remote ("Remote (EU)") */
  double lat, lon;        /* the city's coordinates in degrees (GeoNames, ~1 km);
                             NAN unless a city was recognized -- a country alone
                             has no point */
} geo_place;

/* Parses "Copenhagen, Denmark", "Malmö, Sweden", "London, UK", "Remote (EU)",
 * "Berlin", "Zürich".  Fills *out (unknown parts stay ""/NAN) and returns 1
 * when a city, country or region was recognized, else 0. */
int geo_parse_location(const char *text, geo_place *out);

/* Great-circle (haversine) distance in km between two points given in
 * degrees, on a sphere of the Earth's mean radius (6371 km; within 0.5% of
 * the ellipsoid).  NAN when any coordinate is NAN. */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* ISO code for a country name, local name or code ("United Kingdom", "UK",
 * "Deutschland", "de"); writes cc[3] and returns 1, or 0 when unknown. */
int geo_country_code(const char *name, size_t len, char cc[3]);

/* English name / ISO 4217 currency of a country code; "" when unknown. */
const char *geo_country_name(const char *cc);
const char *geo_country_currency(const char *cc);

/* Region codes named in free text ("anywhere in the UK or the EU" ->
 * "GB,EU"), comma-separated without duplicates into out.  Returns how many. */
int geo_find_regions(const char *text, size_t len, char *out, size_t cap);

/* Is country cc inside a comma-separated list of regions/countries
 * ("GB,EU", "EMEA", "DACH", "US")?  1 yes, 0 no, -1 when cc or the list is
 * empty (unknown). */
int geo_in_region(const char *cc, const char *regions);

/* Folds Latin letters with diacritics to ASCII and lower-cases
 * ("Łódź" -> "lodz", "Göteborg" -> "goteborg", "Æ" -> "ae").  Returns the
 * length written (NUL-terminated, truncated to cap). */
size_t geo_fold(const char *in, size_t len, char *out, size_t cap);

#endif
