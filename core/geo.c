/* geo — location parsing over the generated GeoNames/IANA tables.
 *
 * Strings are folded (diacritics removed, lower case) before lookup, so
 * "Malmö", "Malmo" and GeoNames' "Malmoe" meet; the generator adds the
 * spellings people use (Gothenburg/Göteborg, München, København, Warszawa).
 * A city name shared by several places (London GB / London CA) resolves to
 * the one in the named country, else the most populous.  Tables are sorted at
 * generation time, so lookups are binary searches with no init step. */
#include "geo.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo_data.h"

static const char FOLD_C0[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
static const char FOLD_100[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSs"
    "SsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

size_t geo_fold(const char *in, size_t len, char *out, size_t cap) {
  size_t o = 0;
  if (!cap) return 0;
  for (size_t i = 0; i < len && in[i] && o + 2 < cap; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c < 0x80) {
      out[o++] = (char)tolower(c);
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < len) {
      unsigned cp = ((unsigned)(c & 0x1F) << 6) | ((unsigned char)in[i + 1] & 0x3F);
      i++;
      if (cp == 0xC6 || cp == 0xE6) { out[o++] = 'a'; out[o++] = 'e'; continue; }
      if (cp == 0xDF) { out[o++] = 's'; out[o++] = 's'; continue; }
      char f = 0;
      if (cp >= 0xC0 && cp < 0x100) f = FOLD_C0[cp - 0xC0];
      else if (cp >= 0x100 && cp < 0x180) f = FOLD_100[cp - 0x100];
      else if (cp >= 0x218 && cp <= 0x21B) f = "SsTt"[cp - 0x218]; /* Romanian comma below */
      if (f) out[o++] = (char)tolower((unsigned char)f);
      continue;
    }
    /* other scripts: keep the bytes, they can still match exactly */
    out[o++] = (char)c;
  }
  out[o] = '\0';
  return o;
}

/* Trims and folds a span; hyphens and dots stay (city names use them). */
static size_t fold_trim(const char *s, size_t n, char *out, size_t cap) {
  while (n && (isspace((unsigned char)*s) || strchr(",.;:()[]-", *s))) s++, n--;
  while (n && (isspace((unsigned char)s[n - 1]) || strchr(",;:()[]-", s[n - 1]))) n--;
  size_t k = geo_fold(s, n, out, cap);
  /* collapse inner runs of space; hyphens count as spaces, as in the tables */
  size_t w = 0;
  for (size_t r = 0; r < k; r++) {
    if (isspace((unsigned char)out[r]) || out[r] == '-') {
      if (w && out[w - 1] != ' ') out[w++] = ' ';
    } else {
      out[w++] = out[r];
    }
  }
  while (w && out[w - 1] == ' ') w--;
  out[w] = '\0';
  return w;
}

static int cmp_country_key(const void *k, const void *e) {
  return strcmp((const char *)k, ((const geo_data_country_key *)e)->key);
}

static int cmp_country(const void *k, const void *e) {
  return strcmp((const char *)k, ((const geo_data_country *)e)->cc);
}

static const geo_data_country *country_rec(const char *cc) {
  if (!cc || !cc[0]) return NULL;
  return bsearch(cc, geo_data_countries, (size_t)geo_data_n_countries, sizeof geo_data_countries[0],
                 cmp_country);
}

int geo_country_code(const char *name, size_t len, char cc[3]) {
  char key[96];
  cc[0] = '\0';
  if (!name) return 0;
  size_t n = fold_trim(name, len, key, sizeof key);
  if (n > 1 && key[n - 1] == '.') key[--n] = '\0';
  if (!n) return 0;
  if (strncmp(key, "the ", 4) == 0 && !bsearch(key, geo_data_country_keys, (size_t)geo_data_n_country_keys,
                                               sizeof geo_data_country_keys[0], cmp_country_key))
    memmove(key, key + 4, n - 3);
  const geo_data_country_key *k = bsearch(key, geo_data_country_keys, (size_t)geo_data_n_country_keys,
                                          sizeof geo_data_country_keys[0], cmp_country_key);
  if (!k) return 0;
  memcpy(cc, k->cc, 3);
  return 1;
}

const char *geo_country_name(const char *cc) {
  const geo_data_country *c = country_rec(cc);
  return c ? c->name : "";
}

const char *geo_country_currency(const char *cc) {
  const geo_data_country *c = country_rec(cc);
  return c ? c->currency : "";
}

/* First city entry with this folded key in country cc (or any country). */
static const geo_data_city *city_find(const char *key, const char *cc) {
  size_t lo = 0, hi = (size_t)geo_data_n_cities;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(geo_data_cities[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  const geo_data_city *best = NULL;
  for (size_t i = lo; i < (size_t)geo_data_n_cities && strcmp(geo_data_cities[i].key, key) == 0; i++) {
    if (!best) best = &geo_data_cities[i]; /* sorted by population, largest first */
    if (cc && cc[0] && strcmp(geo_data_cities[i].cc, cc) == 0) return &geo_data_cities[i];
  }
  if (cc && cc[0]) return NULL;
  return best;
}

static void set_zone(geo_place *p, int zone) {
  if (zone < 0 || zone >= geo_data_n_zones) return;
  snprintf(p->timezone, sizeof p->timezone, "%s", geo_data_zones[zone].name);
  if (geo_data_zones[zone].std_offset_min != -32768)
    p->tz_offset_hours = geo_data_zones[zone].std_offset_min / 60.0;
}

/* ------------------------------------------------------------- regions */

static const char EU27[] = "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE";
static const char EUROPE_EXTRA[] = "GB,CH,NO,IS,LI,UA,RS,BA,ME,MK,AL,MD,XK,AD,MC,SM,VA,GI,FO,IM,JE,GG,BY";
static const char MIDDLE_EAST[] = "AE,SA,QA,BH,KW,OM,IL,JO,LB,TR,EG,IQ,IR,SY,YE,PS";

static int in_list(const char *cc, const char *list) {
  size_t n = strlen(list);
  for (size_t i = 0; i + 1 < n + 1; i += 3)
    if (list[i] == cc[0] && list[i + 1] == cc[1]) return 1;
  return 0;
}

static int zone_prefix(const char *cc, const char *prefix) {
  const geo_data_country *c = country_rec(cc);
  if (!c || c->zone < 0) return 0;
  return strncmp(geo_data_zones[c->zone].name, prefix, strlen(prefix)) == 0;
}

static int in_one_region(const char *cc, const char *r, size_t n) {
  char reg[16];
  if (n == 0 || n >= sizeof reg) return 0;
  for (size_t i = 0; i < n; i++) reg[i] = (char)toupper((unsigned char)r[i]);
  reg[n] = '\0';
  if (!strcmp(reg, "EU")) return in_list(cc, EU27);
  if (!strcmp(reg, "UK")) return cc[0] == 'G' && cc[1] == 'B';
  if (n == 2) return reg[0] == cc[0] && reg[1] == cc[1];
  if (!strcmp(reg, "EEA")) return in_list(cc, EU27) || in_list(cc, "NO,IS,LI");
  if (!strcmp(reg, "EUROPE")) return in_list(cc, EU27) || in_list(cc, EUROPE_EXTRA);
  if (!strcmp(reg, "NORDICS")) return in_list(cc, "DK,SE,NO,FI,IS");
  if (!strcmp(reg, "DACH")) return in_list(cc, "DE,AT,CH");
  if (!strcmp(reg, "BENELUX")) return in_list(cc, "BE,NL,LU");
  if (!strcmp(reg, "EMEA"))
    return in_list(cc, EU27) || in_list(cc, EUROPE_EXTRA) || in_list(cc, MIDDLE_EAST) ||
           zone_prefix(cc, "Africa/");
  if (!strcmp(reg, "AMERICAS")) return zone_prefix(cc, "America/");
  if (!strcmp(reg, "NA")) return in_list(cc, "US,CA,MX");
  if (!strcmp(reg, "LATAM")) return zone_prefix(cc, "America/") && !in_list(cc, "US,CA");
  if (!strcmp(reg, "APAC")) return zone_prefix(cc, "Asia/") || zone_prefix(cc, "Australia/") ||
                                   zone_prefix(cc, "Pacific/");
  return 0;
}

int geo_in_region(const char *cc, const char *regions) {
  if (!cc || strlen(cc) != 2 || !regions || !regions[0]) return -1;
  const char *p = regions;
  while (*p) {
    while (*p == ',' || *p == ' ') p++;
    const char *e = p;
    while (*e && *e != ',') e++;
    size_t n = (size_t)(e - p);
    while (n && p[n - 1] == ' ') n--;
    if (in_one_region(cc, p, n)) return 1;
    p = e;
  }
  return 0;
}

static void add_region(char *out, size_t cap, const char *code, int *count) {
  size_t n = strlen(code), len = strlen(out);
  for (const char *p = out; *p;) {
    const char *e = strchr(p, ',');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    if (k == n && strncmp(p, code, n) == 0) return;
    p = e ? e + 1 : p + k;
  }
  if (len + n + 2 > cap) return;
  if (len) out[len++] = ',';
  memcpy(out + len, code, n + 1);
  (*count)++;
}

/* Multi-word names that stand for a region rather than a country. */
static const struct { const char *key, *code; } REGION_NAMES[] = {
  {"european union", "EU"}, {"eu", "EU"}, {"eea", "EEA"}, {"europe", "EUROPE"},
  {"emea", "EMEA"}, {"nordics", "NORDICS"}, {"nordic countries", "NORDICS"},
  {"scandinavia", "NORDICS"}, {"dach", "DACH"}, {"benelux", "BENELUX"},
  {"americas", "AMERICAS"}, {"north america", "NA"}, {"latam", "LATAM"},
  {"latin america", "LATAM"}, {"apac", "APAC"}, {"asia pacific", "APAC"}, {NULL, NULL}};

int geo_find_regions(const char *text, size_t len, char *out, size_t cap) {
  int count = 0;
  if (!out || !cap) return 0;
  out[0] = '\0';
  if (!text) return 0;
  /* word spans */
  size_t starts[512], ends[512], nw = 0;
  for (size_t i = 0; i < len && nw < 512;) {
    while (i < len && !(isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80 || text[i] == '.')) i++;
    if (i >= len) break;
    size_t a = i;
    while (i < len && (isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80 || text[i] == '.')) i++;
    size_t b = i;
    while (b > a && text[b - 1] == '.') b--;
    if (b > a) {
      starts[nw] = a;
      ends[nw] = b;
      nw++;
    }
  }
  char key[96], cc[3];
  for (size_t w = 0; w < nw;) {
    size_t used = 0;
    for (size_t k = 3; k >= 1 && !used; k--) {
      if (w + k > nw) continue;
      size_t a = starts[w], b = ends[w + k - 1];
      size_t n = fold_trim(text + a, b - a, key, sizeof key);
      if (!n) continue;
      for (int r = 0; REGION_NAMES[r].key; r++) {
        if (strcmp(REGION_NAMES[r].key, key) == 0) {
          /* "eu" must be written EU: the letters occur inside words */
          if (n == 2 && !(isupper((unsigned char)text[a]) && isupper((unsigned char)text[a + 1]))) continue;
          add_region(out, cap, REGION_NAMES[r].code, &count);
          used = k;
          break;
        }
      }
      if (used) break;
      /* a country: codes only in capitals ("UK", "US"), names capitalised */
      if (!isupper((unsigned char)text[a])) continue;
      if (n <= 3 && !(b - a >= 2 && isupper((unsigned char)text[a + 1]))) continue;
      if (geo_country_code(text + a, b - a, cc)) {
        add_region(out, cap, cc, &count);
        used = k;
      }
    }
    w += used ? used : 1;
  }
  return count;
}

/* ------------------------------------------------------------ distances */

double geo_distance_km(double lat1, double lon1, double lat2, double lon2) {
  if (isnan(lat1) || isnan(lon1) || isnan(lat2) || isnan(lon2)) return NAN;
  const double rad = 3.14159265358979323846 / 180.0;
  double sdlat = sin((lat2 - lat1) * rad / 2), sdlon = sin((lon2 - lon1) * rad / 2);
  double a = sdlat * sdlat + cos(lat1 * rad) * cos(lat2 * rad) * sdlon * sdlon;
  if (a > 1) a = 1; /* rounding near the antipode */
  return 2 * 6371.0 * asin(sqrt(a));
}

/* ------------------------------------------------------------ locations */

int geo_parse_location(const char *text, geo_place *out) {
  memset(out, 0, sizeof *out);
  out->tz_offset_hours = NAN;
  out->lat = out->lon = NAN;
  if (!text) return 0;
  size_t len = strlen(text);
  char folded[512];
  geo_fold(text, len, folded, sizeof folded);
  if (strstr(folded, "remote") || strstr(folded, "anywhere")) out->remote = 1;

  /* parts split on , / ( ) | ; and " - " */
  size_t pa[16], pb[16], np = 0;
  size_t i = 0;
  while (i < len && np < 16) {
    size_t a = i;
    while (i < len && !strchr(",/()|;", text[i]) &&
           !(text[i] == ' ' && i + 2 < len && text[i + 1] == '-' && text[i + 2] == ' '))
      i++;
    if (i > a) {
      pa[np] = a;
      pb[np] = i;
      np++;
    }
    i++;
  }
  char cc[3] = "";
  int country_part = -1;
  for (int p = (int)np - 1; p >= 0 && !cc[0]; p--) {
    if (geo_country_code(text + pa[p], pb[p] - pa[p], cc)) country_part = p;
  }
  const geo_data_city *city = NULL;
  char key[128];
  for (size_t p = 0; p < np && !city; p++) {
    if ((int)p == country_part) continue;
    size_t n = fold_trim(text + pa[p], pb[p] - pa[p], key, sizeof key);
    if (!n || !strcmp(key, "remote") || !strcmp(key, "hybrid")) continue;
    city = city_find(key, cc);
    if (!city && !cc[0]) {
      /* "Berlin Germany", "Zurich CH": last word(s) may be the country */
      for (size_t s = n; s > 0 && !city; s--) {
        if (key[s - 1] != ' ') continue;
        char c2[3];
        if (geo_country_code(key + s, n - s, c2)) {
          key[s - 1] = '\0';
          city = city_find(key, c2);
          if (city) memcpy(cc, c2, 3);
        }
      }
    }
  }
  if (city) {
    snprintf(out->city, sizeof out->city, "%s", city->display);
    memcpy(out->country, city->cc, 3);
    set_zone(out, city->zone);
    out->lat = city->lat / 100.0;
    out->lon = city->lon / 100.0;
  } else if (cc[0]) {
    memcpy(out->country, cc, 3);
    const geo_data_country *c = country_rec(cc);
    if (c) set_zone(out, c->zone);
  }
  if (!out->country[0] || out->remote) {
    int nr = geo_find_regions(text, len, out->region, sizeof out->region);
    (void)nr;
  }
  return out->city[0] || out->country[0] || out->region[0];
}
