/* event — webhook body validation. */
#include "event.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *type;
  event_table table;
} types[] = {
  {"ats.status_changed", EVT_ATS},
  {"ats.stages_changed", EVT_ATS},
  {"customer.start_matchmaking", EVT_CUSTOMERS},
  {"customer.updated", EVT_CUSTOMERS},
  {"talent.updated", EVT_TALENT},
};

int event_type_known(const char *type)
{
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].type, type) == 0)
      return 1;
  return 0;
}

static const char *table_for(const td_config *cfg, event_table t)
{
  switch (t) {
  case EVT_ATS: return cfg->ats_table;
  case EVT_CUSTOMERS: return cfg->customers_table;
  default: return cfg->talent_table;
  }
}

#define SAY(...) snprintf(msg, msglen, __VA_ARGS__)

event_status event_validate(const td_config *cfg, const char *body, size_t len, event_info *out,
                            char *msg, size_t msglen)
{
  event_status st = EVENT_OK;
  const char *keys[] = {"type", "base_id", "table_id", "record_id"};
  const cJSON *v[4];
  /* len + 1: the body is NUL-terminated, and cJSON only accepts "nothing
   * after the value" when it can see that terminator. */
  cJSON *root = cJSON_ParseWithLengthOpts(body, len + 1, NULL, 1);

  memset(out, 0, sizeof *out);
  if (!root) {
    SAY("The body is not valid JSON.");
    return EVENT_INVALID_JSON;
  }
  if (!cJSON_IsObject(root)) {
    SAY("The body must be a JSON object.");
    st = EVENT_INVALID;
    goto out;
  }
  for (int i = 0; i < 4; i++) {
    v[i] = cJSON_GetObjectItemCaseSensitive(root, keys[i]);
    if (!v[i]) {
      SAY("The key \"%s\" is missing.", keys[i]);
      st = EVENT_INVALID;
      goto out;
    }
    if (!cJSON_IsString(v[i])) {
      SAY("The key \"%s\" must be a string.", keys[i]);
      st = EVENT_INVALID;
      goto out;
    }
  }
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(root, "fields");
  if (fields && !cJSON_IsObject(fields) && !cJSON_IsNull(fields)) {
    SAY("The key \"fields\" must be an object.");
    st = EVENT_INVALID;
    goto out;
  }
  const char *type = v[0]->valuestring, *base = v[1]->valuestring;
  const char *table = v[2]->valuestring, *rec = v[3]->valuestring;
  int ti = -1;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].type, type) == 0)
      ti = (int)i;
  st = EVENT_UNPROCESSABLE;
  if (ti < 0) {
    SAY("Unknown event type \"%.40s\".", type);
    goto out;
  }
  if (!cfg_is_airtable_id(base, "app")) {
    SAY("base_id is not an Airtable base id (app + 14 letters or digits).");
    goto out;
  }
  if (!cfg_is_airtable_id(table, "tbl")) {
    SAY("table_id is not an Airtable table id (tbl + 14 letters or digits).");
    goto out;
  }
  if (!cfg_is_airtable_id(rec, "rec")) {
    SAY("record_id is not an Airtable record id (rec + 14 letters or digits).");
    goto out;
  }
  if (cfg->airtable_base_id[0] && strcmp(base, cfg->airtable_base_id) != 0) {
    SAY("base_id is not the configured base.");
    goto out;
  }
  if (strcmp(table, table_for(cfg, types[ti].table)) != 0) {
    SAY("table_id is not the table of events of type %s.", type);
    goto out;
  }
  snprintf(out->type, sizeof out->type, "%s", type);
  snprintf(out->base_id, sizeof out->base_id, "%s", base);
  snprintf(out->table_id, sizeof out->table_id, "%s", table);
  snprintf(out->record_id, sizeof out->record_id, "%s", rec);
  st = EVENT_OK;
out:
  cJSON_Delete(root);
  return st;
}
