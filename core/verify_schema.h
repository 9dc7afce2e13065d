/* verify_schema — does the Airtable base have what talentd needs?
 *
 * Checks a metadata answer (GET /v0/meta/bases/{base}/tables) against
 * core/fields.h: every configured table present, every field present under
 * its (possibly TALENTD_FIELD_MAP-renamed) name with a compatible type, every
 * record link pointing at the right table, and `Job Status` carrying every
 * choice talentd acts on.  Pure: no I/O, so it is unit-tested on fixtures;
 * handlers/cmd_verify_schema.c does the fetching and printing. */
#ifndef TD_VERIFY_SCHEMA_H
#define TD_VERIFY_SCHEMA_H

#include "err.h"
#include "fields.h"

#include <cjson/cJSON.h>

typedef struct vs_result {
  int tables_checked;
  int fields_checked;
  int problems;
} vs_result;

/* Receives one human-readable line per problem, e.g.
 *   ATS: field "Hired": missing
 *   Talent: field "(N) Salary": type singleLineText, expected number, currency or percent */
typedef void (*vs_report_fn)(void *arg, const char *line);

/* table_ids[TBL_TALENT|TBL_CUSTOMERS|TBL_ATS] are the configured table ids.
 * Returns TD_OK with res filled (problems may be > 0), or TD_ERR_PARSE when
 * meta has no "tables" array. */
td_err vs_check(const cJSON *meta, const char *const table_ids[TBL__COUNT], vs_report_fn report,
                void *arg, vs_result *res);

#endif
