/* serve — `talentd serve`: HTTP server + worker pool until SIGTERM/SIGINT. */
#ifndef TD_SERVE_H
#define TD_SERVE_H

#include "cfg.h"

int serve_main(td_config *cfg);

#endif
