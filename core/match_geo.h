/* match_geo — the small static tables the matcher needs about places and
 * money: which region a country belongs to, a country's usual currency, and
 * a static FX table.  Internal to the match module (match*.c). */
#ifndef TD_MATCH_GEO_H
#define TD_MATCH_GEO_H

#include <stdint.h>

/* Two upper-case ASCII letters packed into 16 bits; 0 for unknown.  "UK" is
 * read as "GB".  Accepts "gb", "GB", "uk". */
uint16_t match_geo_country(const char *iso2);

/* Whether the country is inside a region list such as "UK,EU" or
 * "EU, EEA; CH" (separators , ; / | and spaces; tokens EU, EEA, EUROPE,
 * UK, DACH, NORDICS, BENELUX, CEE, US, NA, NORTH AMERICA, LATAM, APAC,
 * or ISO alpha-2 codes).  1 inside, 0 outside, -1 when no token of the list
 * is understood (unknown, so it must not exclude). */
int match_geo_in_region(const char *regions, uint16_t country);

/* Index of a currency code in the FX table (1..), 0 unknown. */
uint8_t match_geo_currency(const char *iso4217);
/* The usual currency of a country, 0 unknown. */
uint8_t match_geo_country_currency(uint16_t country);
/* Value of one unit of currency `cur` in EUR; 0 when unknown. */
double match_geo_to_eur(uint8_t cur);

#endif
