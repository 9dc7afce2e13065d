/* cfg — configuration from the environment (contract §3).
 *
 * One declarative table lists every variable with its default and validator.
 * Secrets may come from NAME_FILE instead of NAME.  cfg_load() never prints a
 * secret's value, only the variable's name. */
#ifndef TD_CFG_H
#define TD_CFG_H

#include <stddef.h>

#define CFG_MAX_SECRETS 8

typedef struct cfg_secret {
  unsigned char key[128];
  size_t len;
} cfg_secret;

typedef struct td_config {
  char *database_url;
  char listen_addr[64];
  int listen_port;
  int workers;
  cfg_secret webhook_secrets[CFG_MAX_SECRETS];
  int n_webhook_secrets;
  char *admin_token;         /* NULL = admin endpoints disabled */
  size_t max_body;
  int top_n;
  int reconcile_interval;    /* seconds; 0 = only on demand */
  char *field_map_path;
  int log_level;
  char *airtable_api_url;    /* without trailing slash */
  char *airtable_token;
  char airtable_base_id[32];
  char talent_table[32];
  char customers_table[32];
  char ats_table[32];
  double rate_limit_rps;
  int rate_limit_penalty;    /* seconds */
} td_config;

/* What a command needs; decides which variables are required. */
enum {
  CFG_NEED_DB = 1,
  CFG_NEED_WEBHOOK = 2,
  CFG_NEED_AIRTABLE = 4, /* token + base id */
  CFG_NEED_BASE = 8,     /* base id only */
};

/* Load and validate.  On error writes "config: VAR: reason" into err and
 * returns -1 (the caller exits 2).  getenv_fn may be NULL for getenv. */
int cfg_load(td_config *c, int need, char *err, size_t errlen,
             const char *(*getenv_fn)(const char *));
void cfg_free(td_config *c);

/* Decode one "whsec_<base64>" secret; 0 ok, -1 malformed. */
int cfg_parse_whsec(const char *s, cfg_secret *out);

/* 1 when s has the form prefix + 14 letters/digits (Airtable ids). */
int cfg_is_airtable_id(const char *s, const char *prefix);

#endif
