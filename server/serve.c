/* serve — start-up checks, the daemon and the pool, graceful shutdown.
 *
 * Signals are blocked in every thread and taken synchronously by the main
 * thread with sigwait(), so no handler runs in an arbitrary thread.  On the
 * first SIGTERM/SIGINT: stop accepting (MHD stops; requests already being
 * answered complete), then let running tasks finish for a grace period,
 * release what is left, exit 0. */
#include "serve.h"
#include "app.h"
#include "appinit.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "log.h"
#include "migrate.h"
#include "workers.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double env_double(const char *name, double dflt, double lo, double hi)
{
  const char *v = getenv(name);
  char *end;
  if (!v || !*v)
    return dflt;
  double d = strtod(v, &end);
  if (*end || d < lo || d > hi) {
    fprintf(stderr, "config: %s: expected a number from %g to %g\n", name, lo, hi);
    exit(2);
  }
  return d;
}

int serve_main(td_config *cfg)
{
  td_app app;
  sigset_t set;
  int sig = 0, irc;
  td_err rc;
  int lease = (int)env_double("TALENTD_TASK_LEASE", 60, 1, 3600);
  double retry_base = env_double("TALENTD_RETRY_BASE", 2, 0.01, 3600);
  double retry_cap = env_double("TALENTD_RETRY_CAP", 600, 0.01, 86400);
  int grace = (int)env_double("TALENTD_SHUTDOWN_GRACE", 20, 0, 3600);
  int expected = migrate_latest();

  PGconn *c = db_connect(cfg->database_url, &rc);
  if (!c) {
    fprintf(stderr, "talentd: cannot connect to the database (DATABASE_URL)\n");
    return 1;
  }
  int v = migrate_current(c, &rc);
  PQfinish(c);
  if (rc) {
    fprintf(stderr, "talentd: cannot read the schema version: %s\n", td_strerror(rc));
    return 1;
  }
  if (v < expected) {
    fprintf(stderr,
            "talentd: the database schema is at version %d but this talentd needs %d; "
            "run `talentd migrate` first\n", v, expected);
    return 1;
  }
  if (v > expected)
    LOG(LOG_WARN, "schema_newer_than_binary", LOG_I("schema", v), LOG_I("binary", expected));
  if ((irc = app_init(&app, cfg, APP_NEED_AIRTABLE | APP_NEED_INDEX)) != 0)
    return irc;
  app.lease_seconds = lease;
  app.retry_base_seconds = retry_base;
  app.retry_cap_seconds = retry_cap;

  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  handlers_describe_metrics();
  workers *w = workers_start(&app, cfg->workers);
  if (!w)
    return 1;
  struct MHD_Daemon *d = http_start(&app, handlers_routes, handlers_nroutes);
  if (!d) {
    workers_stop(w, 0);
    return 1;
  }
  LOG(LOG_INFO, "serving", LOG_S("address", cfg->listen_addr), LOG_I("port", cfg->listen_port),
      LOG_I("workers", cfg->workers), LOG_I("schema", app.schema_version));

  sigwait(&set, &sig);
  LOG(LOG_INFO, "shutdown_started", LOG_S("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"),
      LOG_I("grace_seconds", grace));
  http_stop(d);
  int released = workers_stop(w, grace);
  LOG(LOG_INFO, "shutdown_complete", LOG_I("released_tasks", released));
  if (released == 0)
    app_destroy(&app); /* otherwise unfinished task threads may still use it */
  return 0;
}
