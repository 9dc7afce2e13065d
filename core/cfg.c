/* cfg — environment configuration with one validator per variable. */
#include "cfg.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef const char *(*getenv_t)(const char *);

static const char *sys_getenv(const char *n) { return getenv(n); }

int cfg_is_airtable_id(const char *s, const char *prefix)
{
  size_t pl = strlen(prefix);
  if (!s || strncmp(s, prefix, pl) != 0 || strlen(s) != pl + 14)
    return 0;
  for (const char *p = s + pl; *p; p++)
    if (!isalnum((unsigned char)*p))
      return 0;
  return 1;
}

int cfg_parse_whsec(const char *s, cfg_secret *out)
{
  size_t binlen = 0;
  if (strncmp(s, "whsec_", 6) != 0)
    return -1;
  if (sodium_base642bin(out->key, sizeof out->key, s + 6, strlen(s + 6), NULL, &binlen, NULL,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      binlen == 0)
    return -1;
  out->len = binlen;
  return 0;
}

/* Read NAME, or the content of the file NAME_FILE (trailing newline
 * stripped).  Returns a malloc'd string, NULL when unset, or sets *bad. */
static char *get_secret(getenv_t ge, const char *name, char *err, size_t errlen, int *bad)
{
  char fname[96];
  const char *v = ge(name);
  snprintf(fname, sizeof fname, "%s_FILE", name);
  const char *path = ge(fname);
  if (v && *v)
    return strdup(v);
  if (!path || !*path)
    return NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "config: %s: cannot read %s: %s", fname, path, strerror(errno));
    *bad = 1;
    return NULL;
  }
  char *buf = malloc(65536);
  size_t n = buf ? fread(buf, 1, 65535, f) : 0;
  fclose(f);
  if (!buf) {
    *bad = 1;
    snprintf(err, errlen, "config: %s: out of memory", fname);
    return NULL;
  }
  buf[n] = 0;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
    buf[--n] = 0;
  return buf;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

#define FAIL(...)                                                              \
  do {                                                                         \
    snprintf(err, errlen, __VA_ARGS__);                                        \
    goto fail;                                                                 \
  } while (0)

static const char *dflt(getenv_t ge, const char *name, const char *d)
{
  const char *v = ge(name);
  return (v && *v) ? v : d;
}

static int table_id(getenv_t ge, const char *name, const char *d, char *out, size_t outlen,
                    char *err, size_t errlen)
{
  const char *v = dflt(ge, name, d);
  if (!cfg_is_airtable_id(v, "tbl")) {
    snprintf(err, errlen, "config: %s: expected tbl followed by 14 letters or digits", name);
    return -1;
  }
  snprintf(out, outlen, "%s", v);
  return 0;
}

int cfg_load(td_config *c, int need, char *err, size_t errlen, getenv_t ge)
{
  long v;
  int bad = 0;
  char *s = NULL;
  const char *p;

  if (!ge)
    ge = sys_getenv;
  memset(c, 0, sizeof *c);
  err[0] = 0;

  s = get_secret(ge, "DATABASE_URL", err, errlen, &bad);
  if (bad)
    goto fail;
  if (!s && (need & CFG_NEED_DB))
    FAIL("config: DATABASE_URL: required");
  c->database_url = s;
  s = NULL;

  p = dflt(ge, "TALENTD_LISTEN", "127.0.0.1:8080");
  {
    const char *colon = strrchr(p, ':');
    if (!colon || colon == p || (size_t)(colon - p) >= sizeof c->listen_addr ||
        parse_long(colon + 1, 1, 65535, &v))
      FAIL("config: TALENTD_LISTEN: expected address:port");
    memcpy(c->listen_addr, p, (size_t)(colon - p));
    c->listen_addr[colon - p] = 0;
    c->listen_port = (int)v;
  }

  if (parse_long(dflt(ge, "TALENTD_WORKERS", "4"), 1, 256, &v))
    FAIL("config: TALENTD_WORKERS: expected an integer from 1 to 256");
  c->workers = (int)v;

  s = get_secret(ge, "TALENTD_WEBHOOK_SECRET", err, errlen, &bad);
  if (bad)
    goto fail;
  if (s) {
    char *save = NULL;
    for (char *tok = strtok_r(s, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
      if (c->n_webhook_secrets >= CFG_MAX_SECRETS)
        FAIL("config: TALENTD_WEBHOOK_SECRET: at most %d secrets", CFG_MAX_SECRETS);
      if (cfg_parse_whsec(tok, &c->webhook_secrets[c->n_webhook_secrets]))
        FAIL("config: TALENTD_WEBHOOK_SECRET: secret %d is not whsec_<base64>",
             c->n_webhook_secrets + 1);
      c->n_webhook_secrets++;
    }
    sodium_memzero(s, strlen(s));
    free(s);
    s = NULL;
  }
  if ((need & CFG_NEED_WEBHOOK) && c->n_webhook_secrets == 0)
    FAIL("config: TALENTD_WEBHOOK_SECRET: required");

  c->admin_token = get_secret(ge, "TALENTD_ADMIN_TOKEN", err, errlen, &bad);
  if (bad)
    goto fail;
  if (c->admin_token && strlen(c->admin_token) < 8)
    FAIL("config: TALENTD_ADMIN_TOKEN: must be at least 8 characters");

  if (parse_long(dflt(ge, "TALENTD_MAX_BODY", "1048576"), 64, 64L * 1024 * 1024, &v))
    FAIL("config: TALENTD_MAX_BODY: expected bytes from 64 to 67108864");
  c->max_body = (size_t)v;

  if (parse_long(dflt(ge, "TALENTD_TOP_N", "20"), 1, 1000, &v))
    FAIL("config: TALENTD_TOP_N: expected an integer from 1 to 1000");
  c->top_n = (int)v;

  if (parse_long(dflt(ge, "TALENTD_RECONCILE_INTERVAL", "300"), 0, 86400 * 7, &v))
    FAIL("config: TALENTD_RECONCILE_INTERVAL: expected seconds from 0 to 604800");
  c->reconcile_interval = (int)v;

  p = ge("TALENTD_FIELD_MAP");
  if (p && *p)
    c->field_map_path = strdup(p);

  c->log_level = log_level_parse(dflt(ge, "TALENTD_LOG_LEVEL", "info"));
  if (c->log_level < 0)
    FAIL("config: TALENTD_LOG_LEVEL: expected debug, info, warn or error");

  p = dflt(ge, "AIRTABLE_API_URL", "https://api.airtable.com");
  if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0)
    FAIL("config: AIRTABLE_API_URL: expected an http:// or https:// URL");
  c->airtable_api_url = strdup(p);
  {
    size_t n = strlen(c->airtable_api_url);
    while (n > 0 && c->airtable_api_url[n - 1] == '/')
      c->airtable_api_url[--n] = 0;
  }

  c->airtable_token = get_secret(ge, "AIRTABLE_TOKEN", err, errlen, &bad);
  if (bad)
    goto fail;
  if (!c->airtable_token && (need & CFG_NEED_AIRTABLE))
    FAIL("config: AIRTABLE_TOKEN: required");

  p = ge("AIRTABLE_BASE_ID");
  if (p && *p) {
    if (!cfg_is_airtable_id(p, "app"))
      FAIL("config: AIRTABLE_BASE_ID: expected app followed by 14 letters or digits");
    snprintf(c->airtable_base_id, sizeof c->airtable_base_id, "%s", p);
  } else if (need & (CFG_NEED_AIRTABLE | CFG_NEED_BASE)) {
    FAIL("config: AIRTABLE_BASE_ID: required");
  }

  if (table_id(ge, "AIRTABLE_TALENT_TABLE_ID", "tblOkLOSo4Zjwp0yF", c->talent_table,
               sizeof c->talent_table, err, errlen) ||
      table_id(ge, "AIRTABLE_CUSTOMERS_TABLE_ID", "tbl9KNjT3G08f6oXh", c->customers_table,
               sizeof c->customers_table, err, errlen) ||
      table_id(ge, "AIRTABLE_ATS_TABLE_ID", "tblrbhITEIBOxwcQV", c->ats_table,
               sizeof c->ats_table, err, errlen))
    goto fail;

  {
    char *end;
    p = dflt(ge, "AIRTABLE_RATE_LIMIT_RPS", "5");
    errno = 0;
    double d = strtod(p, &end);
    if (errno || end == p || *end || !(d > 0) || d > 1000)
      FAIL("config: AIRTABLE_RATE_LIMIT_RPS: expected a number above 0 and at most 1000");
    c->rate_limit_rps = d;
  }
  if (parse_long(dflt(ge, "AIRTABLE_RATE_LIMIT_PENALTY", "30"), 0, 3600, &v))
    FAIL("config: AIRTABLE_RATE_LIMIT_PENALTY: expected seconds from 0 to 3600");
  c->rate_limit_penalty = (int)v;
  return 0;

fail:
  free(s);
  cfg_free(c);
  return -1;
}

static void free_secret_str(char **p)
{
  if (*p) {
    sodium_memzero(*p, strlen(*p));
    free(*p);
    *p = NULL;
  }
}

void cfg_free(td_config *c)
{
  free_secret_str(&c->database_url);
  free_secret_str(&c->admin_token);
  free_secret_str(&c->airtable_token);
  free(c->field_map_path);
  c->field_map_path = NULL;
  free(c->airtable_api_url);
  c->airtable_api_url = NULL;
  sodium_memzero(c->webhook_secrets, sizeof c->webhook_secrets);
  c->n_webhook_secrets = 0;
}
