/* app — the process-wide state that handlers and task kinds receive.
 *
 * Owned by server/serve.c (or a one-shot command); handlers only read it,
 * except for the fields documented as thread-safe. */
#ifndef TD_APP_H
#define TD_APP_H

#include <pthread.h>
#include <signal.h>

#include "cfg.h"
#include "match.h"
#include "store.h"

struct at_client;

typedef struct td_app {
  td_config *cfg;
  struct at_client *at;        /* Airtable client, shared by threads; may be NULL */
  match_index *index;          /* in-memory candidates; may be NULL */
  pthread_mutex_t index_mu;    /* serializes refreshes of the index */
  store_pull index_pull;       /* where the index stands (under index_mu) */
  match_weights weights;       /* scoring weights (defaults + environment) */
  volatile sig_atomic_t stopping;
  int lease_seconds;           /* task lease, renewed by the heartbeat */
  double retry_base_seconds;   /* first retry delay; doubles per attempt */
  double retry_cap_seconds;
  int schema_version;          /* the version this binary needs */
  /* wake-up of idle workers (NOTIFY arrived, or a task was queued locally) */
  pthread_mutex_t wake_mu;
  pthread_cond_t wake_cv;
  unsigned long wake_seq;
} td_app;

/* Wake every idle worker now (thread-safe). */
void app_wake_workers(td_app *app);

#endif
