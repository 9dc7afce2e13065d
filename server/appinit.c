/* appinit — process wiring shared by `serve`, `match` and friends. */
#include "appinit.h"
#include "airtable.h"
#include "db.h"
#include "log.h"
#include "matchrun.h"
#include "migrate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int app_init(td_app *app, td_config *cfg, int need)
{
  char err[256];
  memset(app, 0, sizeof *app);
  app->cfg = cfg;
  app->schema_version = migrate_latest();
  pthread_mutex_init(&app->wake_mu, NULL);
  pthread_cond_init(&app->wake_cv, NULL);
  pthread_mutex_init(&app->index_mu, NULL);
  if (mr_weights_from_env(&app->weights, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  if (need & APP_NEED_AIRTABLE) {
    td_err rc = at_client_new(cfg, NULL, &app->at);
    if (rc) {
      fprintf(stderr, "talentd: cannot create the Airtable client: %s\n", td_strerror(rc));
      return 1;
    }
  }
  if (need & APP_NEED_INDEX) {
    td_err rc = match_index_new(&app->index);
    if (rc) {
      fprintf(stderr, "talentd: cannot create the candidate index: %s\n", td_strerror(rc));
      return 1;
    }
    PGconn *c = db_connect(cfg->database_url, &rc);
    if (!c) {
      fprintf(stderr, "talentd: cannot connect to the database (DATABASE_URL)\n");
      return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = mr_refresh_index(app, c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    PQfinish(c);
    if (rc) {
      fprintf(stderr, "talentd: cannot load candidates: %s\n", td_strerror(rc));
      return 1;
    }
    LOG(LOG_INFO, "index_loaded", LOG_I("candidates", (long long)match_index_count(app->index)),
        LOG_D("ms", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6));
  }
  return 0;
}

void app_destroy(td_app *app)
{
  if (app->at)
    at_client_free(app->at);
  if (app->index)
    match_index_free(app->index);
  app->at = NULL;
  app->index = NULL;
  pthread_mutex_destroy(&app->index_mu);
  pthread_mutex_destroy(&app->wake_mu);
  pthread_cond_destroy(&app->wake_cv);
}
