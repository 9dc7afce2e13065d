/* http — the libmicrohttpd daemon, the static route table and the reply
 * helpers.  Handlers see an http_req and answer through http_reply_*();
 * every error answer has the contract's shape
 *   {"ok": false, "error": {"code": "...", "message": "..."}}. */
#ifndef TD_HTTP_H
#define TD_HTTP_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "app.h"

typedef struct http_req http_req;
typedef int (*http_handler)(http_req *r);

enum {
  ROUTE_ADMIN = 1, /* bearer token required */
  ROUTE_BODY = 2,  /* accepts a request body (capped by TALENTD_MAX_BODY) */
};

typedef struct http_route {
  const char *method;
  const char *pattern; /* "/admin/tasks/ * /retry": '*' matches one path segment */
  http_handler fn;
  int flags;
  /* Optional streaming hooks for body routes: called after the headers,
   * then with each body chunk as it arrives. */
  void (*begin)(http_req *r);
  void (*chunk)(http_req *r, const char *data, size_t len);
} http_route;

struct http_req {
  struct MHD_Connection *conn;
  td_app *app;
  const http_route *route;
  char method[12];
  char path[512];
  char params[2][96];
  int nparams;
  char *body;
  size_t body_len, body_cap;
  int too_large;
  char request_id[20];
  double t_start;
  int status;
  unsigned char hstate[4096] __attribute__((aligned(16))); /* per-handler scratch */
};

const char *http_header(http_req *r, const char *name);
const char *http_query(http_req *r, const char *name);
/* Reply with a JSON body (consumed).  Returns an MHD result. */
int http_reply_json(http_req *r, int status, cJSON *body);
int http_reply_error(http_req *r, int status, const char *code, const char *message);
/* 503 with Retry-After. */
int http_reply_unavailable(http_req *r, int retry_after, const char *message);
int http_reply_text(http_req *r, int status, const char *content_type, char *text_owned);

/* Start the daemon (thread pool, epoll).  Returns NULL on failure. */
struct MHD_Daemon *http_start(td_app *app, const http_route *routes, int nroutes);
void http_stop(struct MHD_Daemon *d);

double http_now(void);

#endif
