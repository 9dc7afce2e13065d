/* main — `talentd <command>`: configuration, then one command (contract §2).
 *
 * Exit statuses: 0 ok, 1 failure, 2 bad usage or bad configuration. */
#include "cfg.h"
#include "cmd_feedback.h"
#include "cmd_match.h"
#include "cmd_sync.h"
#include "cmd_verify_schema.h"
#include "db.h"
#include "fields.h"
#include "log.h"
#include "migrate.h"
#include "serve.h"
#include "version.h"
#include "whsig.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
  fprintf(f,
          "usage: talentd <command> [options]\n"
          "  serve                      HTTP server and worker pool until SIGTERM/SIGINT\n"
          "  migrate                    apply pending schema migrations\n"
          "  verify-schema              check the Airtable base has every table and field\n"
          "  match <atsRecordId> [--dry-run] [--json]\n"
          "                             rank candidates for one ATS job\n"
          "  sync talent|customers|all  normalize every record and write (N) fields\n"
          "  feedback report [--json] [--job ID]\n"
          "                             what recruiters made of the AI proposals\n"
          "  sign [BODY|-] [--id ID]    print Standard Webhooks headers for BODY\n"
          "  version                    print the version\n"
          "Configuration comes from the environment; see README.md.\n");
}

static int load_config(td_config *cfg, int need)
{
  char err[512];
  if (cfg_load(cfg, need, err, sizeof err, NULL) != 0) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  log_set_level((log_level)cfg->log_level);
  if (cfg->field_map_path && fields_load_map(cfg->field_map_path, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  db_set_url(cfg->database_url);
  return 0;
}

static int cmd_migrate(td_config *cfg)
{
  td_err rc;
  int applied = 0;
  PGconn *c = db_connect(cfg->database_url, &rc);
  if (!c) {
    fprintf(stderr, "talentd migrate: cannot connect to the database (DATABASE_URL)\n");
    return 1;
  }
  rc = migrate_apply(c, &applied);
  int v = rc ? -1 : migrate_current(c, &rc);
  PQfinish(c);
  if (rc) {
    fprintf(stderr, "talentd migrate: failed: %s\n", td_strerror(rc));
    return 1;
  }
  printf("schema at version %d (%d migration%s applied)\n", v, applied, applied == 1 ? "" : "s");
  return 0;
}

static char *read_all(FILE *f, size_t *len)
{
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0)
      break;
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
      cap *= 2;
    }
  }
  if (buf)
    buf[n] = 0;
  *len = n;
  return buf;
}

/* Print the three Standard Webhooks headers for a body, signed with the
 * first configured secret, in the form `curl -H @-` reads. */
static int cmd_sign(td_config *cfg, int argc, char **argv)
{
  const char *body_arg = NULL, *id = NULL;
  char idbuf[40], ts[24], sig[128];
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
      id = argv[++i];
    else if (!body_arg)
      body_arg = argv[i];
    else {
      usage(stderr);
      return 2;
    }
  }
  size_t len;
  char *body = (!body_arg || strcmp(body_arg, "-") == 0) ? read_all(stdin, &len) : strdup(body_arg);
  if (!body)
    return 1;
  len = strlen(body);
  if (!id) {
    unsigned char rnd[12];
    randombytes_buf(rnd, sizeof rnd);
    memcpy(idbuf, "msg_", 4);
    sodium_bin2hex(idbuf + 4, sizeof idbuf - 4, rnd, sizeof rnd);
    id = idbuf;
  }
  snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
  if (whsig_sign(&cfg->webhook_secrets[0], id, ts, body, len, sig, sizeof sig)) {
    free(body);
    return 1;
  }
  printf("webhook-id: %s\nwebhook-timestamp: %s\nwebhook-signature: %s\n", id, ts, sig);
  free(body);
  return 0;
}

int main(int argc, char **argv)
{
  td_config cfg;
  int rc;

  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("talentd %s\n", TALENTD_VERSION);
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "talentd: libsodium failed to initialise\n");
    return 1;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);

  if (strcmp(cmd, "serve") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_DB | CFG_NEED_WEBHOOK | CFG_NEED_AIRTABLE)))
      return rc;
    rc = serve_main(&cfg);
  } else if (strcmp(cmd, "migrate") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_DB)))
      return rc;
    rc = cmd_migrate(&cfg);
  } else if (strcmp(cmd, "verify-schema") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_AIRTABLE)))
      return rc;
    rc = cmd_verify_schema(&cfg);
  } else if (strcmp(cmd, "match") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_DB | CFG_NEED_AIRTABLE)))
      return rc;
    rc = cmd_match(&cfg, argc - 2, argv + 2);
  } else if (strcmp(cmd, "sync") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_DB | CFG_NEED_AIRTABLE)))
      return rc;
    rc = cmd_sync(&cfg, argc - 2, argv + 2);
  } else if (strcmp(cmd, "feedback") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_DB)))
      return rc;
    rc = cmd_feedback(&cfg, argc - 2, argv + 2);
  } else if (strcmp(cmd, "sign") == 0) {
    if ((rc = load_config(&cfg, CFG_NEED_WEBHOOK)))
      return rc;
    rc = cmd_sign(&cfg, argc - 2, argv + 2);
  } else {
    fprintf(stderr, "talentd: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
  }
  cfg_free(&cfg);
  curl_global_cleanup();
  return rc;
}
