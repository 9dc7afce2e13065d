/* cmd_verify_schema — fetch the base schema and report what talentd lacks.
 *
 * The check itself is core/verify_schema.c; this file owns the I/O and the
 * exit status.  "Could not check" (2) is kept apart from "problems" (1) so
 * that a deploy script can tell a broken base from a broken network or token.
 * Messages name the HTTP status and Airtable's error type, never the token. */
#include "cmd_verify_schema.h"

#include "airtable.h"
#include "fields.h"
#include "verify_schema.h"

#include <stdio.h>

static void print_line(void *arg, const char *line)
{
  (void)arg;
  printf("%s\n", line);
}

int cmd_verify_schema(const td_config *cfg)
{
  at_options opt = {.max_attempts = 3, .connect_timeout_ms = 5000, .timeout_ms = 20000};
  at_client *c = NULL;
  at_error e = {0};
  cJSON *meta = NULL;
  vs_result res;
  const char *ids[TBL__COUNT];
  td_err rc;
  int status = 2;

  if (!cfg || !cfg->airtable_token || !cfg->airtable_base_id[0]) {
    fprintf(stderr, "verify-schema: AIRTABLE_TOKEN and AIRTABLE_BASE_ID are required\n");
    return 2;
  }
  ids[TBL_TALENT] = cfg->talent_table;
  ids[TBL_CUSTOMERS] = cfg->customers_table;
  ids[TBL_ATS] = cfg->ats_table;
  rc = at_client_new(cfg, &opt, &c);
  if (rc) {
    fprintf(stderr, "verify-schema: cannot create the Airtable client: %s\n", td_strerror(rc));
    goto out;
  }
  rc = at_get_tables(c, &meta, &e);
  if (rc) {
    if (e.http_status)
      fprintf(stderr, "verify-schema: cannot read the schema of base %s: HTTP %d %s%s%s\n",
              cfg->airtable_base_id, e.http_status, e.type, e.message[0] ? ": " : "", e.message);
    else
      fprintf(stderr, "verify-schema: cannot read the schema of base %s: %s%s%s\n",
              cfg->airtable_base_id, td_strerror(rc), e.message[0] ? ": " : "", e.message);
    goto out;
  }
  rc = vs_check(meta, ids, print_line, NULL, &res);
  if (rc) {
    fprintf(stderr, "verify-schema: the metadata answer has no tables array\n");
    goto out;
  }
  if (res.problems)
    printf("verify-schema: %d problem%s in %d tables, %d fields checked\n", res.problems,
           res.problems == 1 ? "" : "s", res.tables_checked, res.fields_checked);
  else
    printf("verify-schema: ok, %d tables, %d fields checked\n", res.tables_checked,
           res.fields_checked);
  status = res.problems ? 1 : 0;
out:
  fflush(stdout);
  cJSON_Delete(meta);
  at_client_free(c);
  return status;
}
