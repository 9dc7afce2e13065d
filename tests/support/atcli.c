/* atcli — drive the Airtable client from tests (build/atcli).
 *
 * Reads the configuration from the environment like talentd (AIRTABLE_*,
 * optional DATABASE_URL for the shared rate budget) so that the Python tests
 * can exercise at_* against the emulator and assert on its request log.
 *   atcli list TABLE [FORMULA]         print "records N"
 *   atcli get TABLE RECORD             print the record's JSON
 *   atcli update TABLE N FIELD         set FIELD="atcli <i>" on the first N records
 *   atcli hammer THREADS REQUESTS TABLE  REQUESTS one-request lists over THREADS threads
 *   atcli longlist TABLE N             list with a formula of N record ids (POST listRecords)
 * Exit 0 on success, 1 on a client error (printed), 2 on bad usage/config. */
#include "airtable.h"
#include "cfg.h"
#include "err.h"
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static at_client *cli;

static void report(const char *what, td_err rc, const at_error *e)
{
  printf("error %s: %s http=%d type=%s message=%s\n", what, td_strerror(rc), e->http_status, e->type,
         e->message);
}

static long num(const char *s)
{
  char *end;
  long v = strtol(s, &end, 10);
  return *end || v < 0 ? -1 : v;
}

static int cmd_list(const char *table, const char *formula)
{
  at_list_opts o = {.formula = formula};
  at_error e;
  cJSON *recs = NULL;
  td_err rc = at_list_all(cli, table, &o, &recs, &e);
  if (rc) {
    report("list", rc, &e);
    return 1;
  }
  printf("records %d\n", cJSON_GetArraySize(recs));
  cJSON_Delete(recs);
  return 0;
}

static int cmd_get(const char *table, const char *id)
{
  at_error e;
  cJSON *rec = NULL;
  char *s;
  td_err rc = at_get(cli, table, id, &rec, &e);
  if (rc) {
    report("get", rc, &e);
    return rc == TD_ERR_NOT_FOUND ? 3 : 1;
  }
  s = cJSON_PrintUnformatted(rec);
  printf("%s\n", s);
  free(s);
  cJSON_Delete(rec);
  return 0;
}

static int cmd_update(const char *table, long n, const char *field)
{
  at_list_opts o = {.fields = (const char *const[]){field}, .n_fields = 1, .max_records = n};
  at_error e;
  cJSON *recs = NULL, *upd = cJSON_CreateArray(), *r, *out = NULL;
  long i = 0;
  td_err rc = at_list_all(cli, table, &o, &recs, &e);
  if (rc) {
    report("list", rc, &e);
    return 1;
  }
  cJSON_ArrayForEach(r, recs) {
    char val[64];
    cJSON *item = cJSON_CreateObject(), *fields = cJSON_AddObjectToObject(item, "fields");
    snprintf(val, sizeof val, "atcli %ld", i++);
    cJSON_AddStringToObject(item, "id", cJSON_GetObjectItem(r, "id")->valuestring);
    cJSON_AddStringToObject(fields, field, val);
    cJSON_AddItemToArray(upd, item);
  }
  rc = at_update(cli, table, upd, 1, &out, &e);
  if (rc) {
    report("update", rc, &e);
    return 1;
  }
  printf("updated %d\n", cJSON_GetArraySize(out));
  cJSON_Delete(out);
  cJSON_Delete(upd);
  cJSON_Delete(recs);
  return 0;
}

typedef struct hammer {
  const char *table;
  long per_thread;
  long ok, failed;
} hammer;

static void *hammer_run(void *arg)
{
  hammer *h = arg;
  at_list_opts o = {.max_records = 1};
  for (long i = 0; i < h->per_thread; i++) {
    at_error e;
    cJSON *recs = NULL;
    td_err rc = at_list_all(cli, h->table, &o, &recs, &e);
    if (rc) {
      report("hammer", rc, &e);
      h->failed++;
    } else {
      h->ok++;
    }
    cJSON_Delete(recs);
  }
  return NULL;
}

static int cmd_hammer(long threads, long requests, const char *table)
{
  pthread_t tid[64];
  hammer h[64];
  long ok = 0, failed = 0;
  struct timespec a, b;
  if (threads < 1 || threads > 64 || requests < threads)
    return 2;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < threads; i++) {
    h[i] = (hammer){table, requests / threads + (i < requests % threads), 0, 0};
    pthread_create(&tid[i], NULL, hammer_run, &h[i]);
  }
  for (long i = 0; i < threads; i++) {
    pthread_join(tid[i], NULL);
    ok += h[i].ok;
    failed += h[i].failed;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("hammer ok=%ld failed=%ld seconds=%.2f\n", ok, failed,
         (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
  return failed ? 1 : 0;
}

static int cmd_longlist(const char *table, long n)
{
  const char **ids = calloc((size_t)n + 1, sizeof *ids);
  char *formula;
  int rc;
  for (long i = 0; i < n; i++)
    ids[i] = "recAAAAAAAAAAAAAA";
  formula = at_formula_record_ids(ids, (size_t)n);
  rc = cmd_list(table, formula);
  free(formula);
  free(ids);
  return rc;
}

int main(int argc, char **argv)
{
  td_config cfg;
  char err[256];
  int rc = 2;
  td_err trc;

  if (argc < 2) {
    fprintf(stderr, "usage: atcli list|get|update|hammer|longlist ...\n");
    return 2;
  }
  if (cfg_load(&cfg, CFG_NEED_AIRTABLE, err, sizeof err, NULL)) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  log_set_level(cfg.log_level);
  trc = at_client_new(&cfg, NULL, &cli);
  if (trc) {
    fprintf(stderr, "atcli: client: %s\n", td_strerror(trc));
    cfg_free(&cfg);
    return 2;
  }
  if (strcmp(argv[1], "list") == 0 && argc >= 3)
    rc = cmd_list(argv[2], argc > 3 ? argv[3] : NULL);
  else if (strcmp(argv[1], "get") == 0 && argc == 4)
    rc = cmd_get(argv[2], argv[3]);
  else if (strcmp(argv[1], "update") == 0 && argc == 5 && num(argv[3]) > 0)
    rc = cmd_update(argv[2], num(argv[3]), argv[4]);
  else if (strcmp(argv[1], "hammer") == 0 && argc == 5)
    rc = cmd_hammer(num(argv[2]), num(argv[3]), argv[4]);
  else if (strcmp(argv[1], "longlist") == 0 && argc == 4 && num(argv[3]) > 0)
    rc = cmd_longlist(argv[2], num(argv[3]));
  else
    fprintf(stderr, "atcli: bad usage\n");
  fflush(stdout);
  at_client_free(cli);
  cfg_free(&cfg);
  return rc;
}
