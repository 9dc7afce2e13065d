/* event — validation of a webhook body (contract §4.1).
 *
 * Pure: parses and checks the JSON, fills an event_info, and says which
 * error code of the contract applies.  No I/O. */
#ifndef TD_EVENT_H
#define TD_EVENT_H

#include <stddef.h>

#include "cfg.h"

typedef enum event_status {
  EVENT_OK = 0,
  EVENT_INVALID_JSON,   /* 400 invalid_json */
  EVENT_INVALID,        /* 400 invalid_event: missing key or wrong type */
  EVENT_UNPROCESSABLE,  /* 422 unprocessable_event */
} event_status;

typedef struct event_info {
  char type[40];
  char base_id[18];
  char table_id[18];
  char record_id[18];
} event_info;

/* Event types and the table each must name. */
typedef enum event_table { EVT_ATS, EVT_CUSTOMERS, EVT_TALENT } event_table;

/* Check body against the configuration; on failure msg says why (one
 * sentence, safe to return to the client). */
event_status event_validate(const td_config *cfg, const char *body, size_t len, event_info *out,
                            char *msg, size_t msglen);

/* 1 when type is one of the contract's event types. */
int event_type_known(const char *type);

#endif
