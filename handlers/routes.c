/* routes — the static route table: every endpoint of contract §4 in one
 * place.  Admin routes carry ROUTE_ADMIN and get the bearer check in
 * server/http.c before their handler runs. */
#include "handlers.h"
#include "metrics.h"

const http_route handlers_routes[] = {
  {"POST", "/hooks/airtable", hook_airtable, ROUTE_BODY, hook_airtable_begin, hook_airtable_chunk},
  {"GET", "/healthz", ops_healthz, 0, NULL, NULL},
  {"GET", "/readyz", ops_readyz, 0, NULL, NULL},
  {"GET", "/metrics", ops_metrics, 0, NULL, NULL},
  {"GET", "/admin/tasks", admin_tasks_list, ROUTE_ADMIN, NULL, NULL},
  {"POST", "/admin/tasks/*/retry", admin_tasks_retry, ROUTE_ADMIN, NULL, NULL},
  {"POST", "/admin/reconcile", admin_reconcile, ROUTE_ADMIN, NULL, NULL},
  {"POST", "/admin/ats/*/match", admin_ats_match, ROUTE_ADMIN, NULL, NULL},
  {"GET", "/admin/ats/*/matches", admin_ats_matches, ROUTE_ADMIN, NULL, NULL},
};
const int handlers_nroutes = (int)(sizeof handlers_routes / sizeof handlers_routes[0]);

void handlers_describe_metrics(void)
{
  metrics_describe("talentd_events_received_total", "counter",
                   "Webhook events received, by type and result.");
  metrics_describe("talentd_http_requests_total", "counter", "HTTP requests by route and status.");
  metrics_describe("talentd_tasks", "gauge", "Tasks in the queue by state (all processes).");
  metrics_describe("talentd_task_runs_total", "counter", "Task runs by kind and outcome.");
  metrics_describe("talentd_task_run_seconds", "histogram", "Task run time by kind.");
  metrics_describe("talentd_queue_wait_seconds", "histogram",
                   "Time from a task being ready to being claimed, by kind.");
  metrics_describe("talentd_database_up", "gauge", "1 when the database answered the last scrape.");
  metrics_describe("talentd_match_run_seconds", "histogram", "Time to rank the candidates for one job.");
}
