/* cmd_feedback — `talentd feedback report [--json] [--job recX]`: what
 * recruiters made of the AI proposals, per ATS job and overall. */
#ifndef TD_CMD_FEEDBACK_H
#define TD_CMD_FEEDBACK_H

#include "cfg.h"

/* argv starts after "feedback".  Exit status: 0 ok, 1 failure, 2 usage. */
int cmd_feedback(td_config *cfg, int argc, char **argv);

#endif
