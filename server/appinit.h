/* appinit — build and tear down the process-wide td_app for serve and the
 * one-shot commands: Airtable client, scoring weights, candidate index. */
#ifndef TD_APPINIT_H
#define TD_APPINIT_H

#include "app.h"

enum { APP_NEED_AIRTABLE = 1, APP_NEED_INDEX = 2 };

/* Returns 0, or prints why to stderr and returns the exit status (1, or 2
 * for bad configuration). */
int app_init(td_app *app, td_config *cfg, int need);
void app_destroy(td_app *app);

#endif
