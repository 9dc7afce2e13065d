/* handlers — HTTP endpoint handlers (one file each) and their route hooks. */
#ifndef TD_HANDLERS_H
#define TD_HANDLERS_H

#include "http.h"

/* POST /hooks/airtable (hook_airtable.c) */
void hook_airtable_begin(http_req *r);
void hook_airtable_chunk(http_req *r, const char *data, size_t len);
int hook_airtable(http_req *r);

/* operations (ops.c) */
int ops_healthz(http_req *r);
int ops_readyz(http_req *r);
int ops_metrics(http_req *r);

/* queue admin (admin_tasks.c) */
int admin_tasks_list(http_req *r);
int admin_tasks_retry(http_req *r);

/* matchmaking admin (admin_ats.c) */
int admin_ats_match(http_req *r);
int admin_ats_matches(http_req *r);

/* POST /admin/reconcile (admin_reconcile.c) */
int admin_reconcile(http_req *r);

/* The static route table (routes.c). */
extern const http_route handlers_routes[];
extern const int handlers_nroutes;

/* Metric help texts, declared once at start-up. */
void handlers_describe_metrics(void);

#endif
