/* cmd_match — `talentd match <atsRecordId> [--dry-run] [--json]`. */
#ifndef TD_CMD_MATCH_H
#define TD_CMD_MATCH_H

#include "cfg.h"

int cmd_match(td_config *cfg, int argc, char **argv);

#endif
