/* geo_data — layout of the generated geography tables (core/geo_data.c,
 * written by tools/gen_taxonomy.py).  Internal to the geo module. */
#ifndef TD_GEO_DATA_H
#define TD_GEO_DATA_H

#include <stdint.h>

typedef struct geo_data_zone { const char *name; int std_offset_min; } geo_data_zone;
typedef struct geo_data_country {
  const char *cc, *name, *currency; int zone; /* default zone index or -1 */
} geo_data_country;
typedef struct geo_data_country_key { const char *key; const char *cc; } geo_data_country_key;
typedef struct geo_data_city {
  const char *key;     /* folded lower-case spelling, sorted */
  const char *display; /* the name we write back */
  const char *cc; int zone; int pop;
  int16_t lat, lon;    /* GeoNames coordinates in hundredths of a degree (~1 km) */
} geo_data_city;

extern const geo_data_zone geo_data_zones[];
extern const int geo_data_n_zones;
extern const geo_data_country geo_data_countries[]; /* sorted by cc */
extern const int geo_data_n_countries;
extern const geo_data_country_key geo_data_country_keys[]; /* sorted by key */
extern const int geo_data_n_country_keys;
extern const geo_data_city geo_data_cities[]; /* sorted by key, then population desc */
extern const int geo_data_n_cities;

#endif
