/* cmd_verify_schema — `talentd verify-schema` (contract §2). */
#ifndef TD_CMD_VERIFY_SCHEMA_H
#define TD_CMD_VERIFY_SCHEMA_H

#include "cfg.h"

/* Read the base's metadata and print one line per problem on stdout, then a
 * summary.  Returns the exit status: 0 all ok, 1 problems found, 2 could not
 * check (network, authentication, bad configuration; the reason goes to
 * stderr).  Expects cfg loaded with CFG_NEED_AIRTABLE and TALENTD_FIELD_MAP
 * already applied (fields_load_map). */
int cmd_verify_schema(const td_config *cfg);

#endif
