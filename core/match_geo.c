/* match_geo — static tables of regions, currencies and exchange rates for the
 * matcher's location and salary checks.
 *
 * The FX rates are deliberately static and approximate (mid-2020s levels):
 * the matcher only asks "is this desired salary far above the job's maximum",
 * where a few percent of drift does not change the answer, and a pure module
 * must not fetch rates.  A currency missing from the table is unknown, and an
 * unknown value never excludes anyone. */
#include "match_geo.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define CC(a, b) ((uint16_t)(((unsigned)(a) << 8) | (unsigned)(b)))

static uint16_t pack2(const char *s, size_t n)
{
  if (n != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
    return 0;
  uint16_t c = CC(toupper((unsigned char)s[0]), toupper((unsigned char)s[1]));
  return c == CC('U', 'K') ? CC('G', 'B') : c;
}

uint16_t match_geo_country(const char *iso2)
{
  return iso2 ? pack2(iso2, strlen(iso2)) : 0;
}

/* Regions as space-separated alpha-2 lists; kept as strings so that they are
 * easy to read and to check against a map. */
static const struct {
  const char *name;
  const char *members;
} regions[] = {
  {"EU", "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU"},
  {"EEA", "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU IS LI NO"},
  {"EUROPE", "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU IS LI NO "
             "GB CH UA RS BA ME MK AL MD XK AD MC SM VA"},
  {"EMEA", "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU IS LI NO "
           "GB CH UA RS BA ME MK AL MD XK AD MC SM VA TR IL AE SA QA EG MA TN ZA NG KE GH"},
  {"UK", "GB"},
  {"GB", "GB"},
  {"DACH", "DE AT CH"},
  {"NORDICS", "DK FI IS NO SE"},
  {"SCANDINAVIA", "DK NO SE"},
  {"BENELUX", "BE NL LU"},
  {"CEE", "PL CZ SK HU RO BG HR SI EE LV LT RS BA ME MK AL UA MD"},
  {"US", "US"},
  {"USA", "US"},
  {"NA", "US CA"},
  {"NORTHAMERICA", "US CA"},
  {"LATAM", "MX BR AR CL CO PE UY PY BO EC VE CR PA GT HN SV NI DO CU"},
  {"APAC", "AU NZ JP KR SG IN CN HK TW MY TH VN PH ID"},
};

static int member_of(const char *members, uint16_t country)
{
  for (const char *p = members; *p;) {
    while (*p == ' ')
      p++;
    if (p[0] && p[1] && CC(p[0], p[1]) == country)
      return 1;
    while (*p && *p != ' ')
      p++;
  }
  return 0;
}

int match_geo_in_region(const char *list, uint16_t country)
{
  if (!list || !*list || !country)
    return -1;
  int understood = 0;
  const char *p = list;
  while (*p) {
    while (*p && strchr(",;/| ", *p))
      p++;
    /* a token runs to the next separator other than a space, so that
     * "North America" reads as one name; spaces inside are dropped */
    char tok[32];
    size_t n = 0;
    while (*p && !strchr(",;/|", *p)) {
      if (*p != ' ' && *p != '-' && n + 1 < sizeof tok)
        tok[n++] = (char)toupper((unsigned char)*p);
      p++;
    }
    tok[n] = '\0';
    if (!n)
      continue;
    int known = 0;
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
      if (!strcmp(tok, regions[i].name)) {
        known = 1;
        if (member_of(regions[i].members, country))
          return 1;
      }
    }
    if (!known && n == 2) {
      known = 1;
      if (pack2(tok, 2) == country)
        return 1;
    }
    understood |= known;
  }
  return understood ? 0 : -1;
}

static const struct {
  const char *code;
  double eur;
} fx[] = {
  {"", 0.0},  /* index 0: unknown */
  {"EUR", 1.0},    {"USD", 0.92},   {"GBP", 1.17},   {"CHF", 1.05},   {"SEK", 0.088},
  {"NOK", 0.086},  {"DKK", 0.134},  {"PLN", 0.23},   {"CZK", 0.040},  {"HUF", 0.0025},
  {"RON", 0.20},   {"BGN", 0.51},   {"ISK", 0.0067}, {"CAD", 0.68},   {"AUD", 0.61},
  {"NZD", 0.56},   {"JPY", 0.0062}, {"INR", 0.011},  {"BRL", 0.17},   {"MXN", 0.05},
  {"ZAR", 0.05},   {"TRY", 0.027},  {"ILS", 0.25},   {"RSD", 0.0085}, {"UAH", 0.022},
  {"SGD", 0.69},   {"CNY", 0.13},   {"AED", 0.25},   {"HKD", 0.12},   {"KRW", 0.00068},
};

uint8_t match_geo_currency(const char *code)
{
  if (!code || strlen(code) != 3)
    return 0;
  char up[4];
  for (int i = 0; i < 3; i++)
    up[i] = (char)toupper((unsigned char)code[i]);
  up[3] = '\0';
  for (size_t i = 1; i < sizeof fx / sizeof fx[0]; i++)
    if (!strcmp(up, fx[i].code))
      return (uint8_t)i;
  return 0;
}

double match_geo_to_eur(uint8_t cur)
{
  return cur < sizeof fx / sizeof fx[0] ? fx[cur].eur : 0.0;
}

static const struct {
  const char *members;
  const char *code;
} country_cur[] = {
  {"AT BE BG HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES ME XK AD MC SM VA", "EUR"},
  {"GB", "GBP"}, {"CH LI", "CHF"}, {"US", "USD"}, {"SE", "SEK"}, {"NO", "NOK"},
  {"DK", "DKK"}, {"PL", "PLN"}, {"CZ", "CZK"}, {"HU", "HUF"}, {"RO", "RON"},
  {"IS", "ISK"}, {"CA", "CAD"}, {"AU", "AUD"}, {"NZ", "NZD"}, {"JP", "JPY"},
  {"IN", "INR"}, {"BR", "BRL"}, {"MX", "MXN"}, {"ZA", "ZAR"}, {"TR", "TRY"},
  {"IL", "ILS"}, {"RS", "RSD"}, {"UA", "UAH"}, {"SG", "SGD"}, {"CN", "CNY"},
  {"AE", "AED"}, {"HK", "HKD"}, {"KR", "KRW"},
};

uint8_t match_geo_country_currency(uint16_t country)
{
  if (!country)
    return 0;
  for (size_t i = 0; i < sizeof country_cur / sizeof country_cur[0]; i++)
    if (member_of(country_cur[i].members, country))
      return match_geo_currency(country_cur[i].code);
  return 0;
}
