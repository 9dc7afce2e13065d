/* cmd_sync — the backfill command; the work itself is core/sync.c. */
#include "cmd_sync.h"

#include "airtable.h"
#include "db.h"
#include "log.h"
#include "sync.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_INTERRUPTED 130
#define PROGRESS_EVERY_S 0.25

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
  (void)sig;
  stop_flag = 1;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run_state {
  sync_ctx *s;
  sync_table table;
  int tty;
  long estimate;       /* -1 unknown */
  double started, last_draw;
  td_err failed;       /* the error that stopped the listing */
  char *seen;          /* ids of every record listed, 18 bytes each */
  size_t n_seen, cap_seen;
} run_state;

/* Remember a listed record id: after a complete listing, rows for ids
 * Airtable no longer has are retired (a deleted candidate must not be
 * proposed: linking it would fail with ROW_DOES_NOT_EXIST). */
static td_err remember(run_state *r, const cJSON *rec)
{
  const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
  if (!id || !cfg_is_airtable_id(id, "rec"))
    return TD_OK;
  if (r->n_seen == r->cap_seen) {
    size_t cap = r->cap_seen ? r->cap_seen * 2 : 1024;
    char *n = realloc(r->seen, cap * 18);
    if (!n)
      return TD_ERR_NOMEM;
    r->seen = n;
    r->cap_seen = cap;
  }
  memcpy(r->seen + r->n_seen * 18, id, 18);
  r->n_seen++;
  return TD_OK;
}

static void draw(run_state *r, int final)
{
  double el = now_s() - r->started;
  long done = r->s->st.read;
  double rate = el > 0 ? (double)done / el : 0;
  char total[32], left[32];
  if (r->estimate > 0)
    snprintf(total, sizeof total, "%ld", r->estimate > done ? r->estimate : done);
  else
    snprintf(total, sizeof total, "?");
  if (r->estimate > done && rate > 0)
    snprintf(left, sizeof left, "%.0f s left", (double)(r->estimate - done) / rate);
  else
    snprintf(left, sizeof left, "-");
  fprintf(stderr, "\r\033[Ksync %s: %ld / %s records, %.0f/s, %ld written, %s%s",
          sync_table_name(r->table), done, total, rate, r->s->st.written, left, final ? "\n" : "");
  fflush(stderr);
  r->last_draw = now_s();
}

static td_err on_record(const cJSON *rec, void *arg)
{
  run_state *r = arg;
  if (stop_flag)
    return TD_ERR_INTERRUPTED;
  td_err rc = remember(r, rec);
  if (!rc)
    rc = sync_record(r->s, r->table, rec);
  if (rc) {
    r->failed = rc;
    return rc;
  }
  if (r->tty && now_s() - r->last_draw >= PROGRESS_EVERY_S)
    draw(r, 0);
  return stop_flag ? TD_ERR_INTERRUPTED : TD_OK;
}

/* One table: 0 ok, 1 failure, EXIT_INTERRUPTED. */
static int sync_table_run(const td_config *cfg, at_client *at, PGconn *db, sync_table t)
{
  sync_ctx s;
  run_state r = {0};
  at_error e = {0};
  size_t nf;
  const char *const *names = sync_read_fields(t, &nf);
  at_list_opts lo = {.fields = names, .n_fields = nf};

  sync_init(&s, at, db, cfg, 1);
  r.s = &s;
  r.table = t;
  r.tty = isatty(STDERR_FILENO);
  r.estimate = sync_known_rows(db, t);
  r.started = now_s();
  long long run_id = sync_run_begin(db, sync_table_name(t));
  LOG(LOG_INFO, "sync_started", LOG_S("table", sync_table_name(t)), LOG_I("known", r.estimate));

  td_err rc = at_list(at, sync_table_id(&s, t), &lo, on_record, &r, &e);
  int interrupted = rc == TD_ERR_INTERRUPTED;
  /* Whatever stopped the listing, write what is pending: it was decided on
   * records fully processed. */
  td_err frc = sync_flush(&s);
  if (!rc || interrupted)
    rc = frc ? frc : rc;
  if (r.tty)
    draw(&r, 1);
  long removed = 0;
  if (!rc && !interrupted)
    rc = sync_retire_missing(db, t, r.seen, r.n_seen, &removed);
  free(r.seen);
  sync_done(&s);
  sync_run_end(db, run_id, &s.st, interrupted);

  double secs = now_s() - r.started;
  printf("sync %s: read %ld, changed %ld, written %ld (%ld PATCH requests), removed %ld,"
         " skipped %ld (unchanged %ld, invalid %ld, write refused %ld), cv files failed %ld,"
         " %.1f s%s\n",
         sync_table_name(t), s.st.read, s.st.changed, s.st.written, s.st.requests, removed,
         s.st.unchanged + s.st.invalid + s.st.write_failed, s.st.unchanged, s.st.invalid,
         s.st.write_failed, s.st.cv_failed, secs, interrupted ? ", interrupted" : "");
  fflush(stdout);
  LOG(LOG_INFO, "sync_finished", LOG_S("table", sync_table_name(t)), LOG_I("read", s.st.read),
      LOG_I("changed", s.st.changed), LOG_I("written", s.st.written),
      LOG_I("requests", s.st.requests), LOG_I("unchanged", s.st.unchanged),
      LOG_S("result", td_strerror(rc)));
  if (interrupted && rc == TD_ERR_INTERRUPTED)
    return EXIT_INTERRUPTED;
  if (rc) {
    if (e.http_status && !r.failed)
      fprintf(stderr, "talentd sync %s: failed: HTTP %d %s\n", sync_table_name(t), e.http_status,
              e.type);
    else
      fprintf(stderr, "talentd sync %s: failed: %s\n", sync_table_name(t), td_strerror(rc));
    return 1;
  }
  return 0;
}

int cmd_sync(td_config *cfg, int argc, char **argv)
{
  int talent, customers;
  if (argc != 1 || !argv[0]) {
    fprintf(stderr, "usage: talentd sync talent|customers|all\n");
    return 2;
  }
  talent = strcmp(argv[0], "talent") == 0 || strcmp(argv[0], "all") == 0;
  customers = strcmp(argv[0], "customers") == 0 || strcmp(argv[0], "all") == 0;
  if (!talent && !customers) {
    fprintf(stderr, "usage: talentd sync talent|customers|all\n");
    return 2;
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  td_err rc;
  PGconn *db = db_connect(cfg->database_url, &rc);
  if (!db) {
    fprintf(stderr, "talentd sync: cannot connect to the database (DATABASE_URL)\n");
    return 1;
  }
  at_client *at = NULL;
  rc = at_client_new(cfg, NULL, &at);
  if (rc) {
    fprintf(stderr, "talentd sync: cannot create the Airtable client: %s\n", td_strerror(rc));
    PQfinish(db);
    return 1;
  }
  int status = 0;
  if (talent)
    status = sync_table_run(cfg, at, db, SYNC_TALENT);
  if (customers && status == 0 && !stop_flag)
    status = sync_table_run(cfg, at, db, SYNC_CUSTOMERS);
  if (status == 0 && stop_flag)
    status = EXIT_INTERRUPTED;
  at_client_free(at);
  PQfinish(db);
  return status;
}
