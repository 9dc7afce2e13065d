/* http — libmicrohttpd glue.
 *
 * DESIGN.  One daemon with an internal epoll thread pool (size = cores,
 * at least 2).  A connection stays on one pool thread, so handlers may use
 * that thread's own PGconn (db_conn_thread).  Each request walks three
 * states in the access callback: headers (route lookup, 404/405, admin
 * auth, 413 from Content-Length before any body byte is read), body chunks
 * (copied into a buffer capped at TALENTD_MAX_BODY and streamed to the
 * route's chunk hook), and the final call, which runs the handler.  A body
 * that grows past the cap without a declared length is discarded and
 * answered 413 at the final call: MHD cannot reply mid-body. */
#include "http.h"
#include "log.h"
#include "metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define CONNECTION_TIMEOUT 30   /* seconds of inactivity before MHD drops a client */
#define PER_IP_LIMIT 256
#define CONNECTION_LIMIT 4096

typedef struct server {
  td_app *app;
  const http_route *routes;
  int nroutes;
} server;

static server g_srv;

double http_now(void)
{
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

const char *http_header(http_req *r, const char *name)
{
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(http_req *r, const char *name)
{
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int queue(http_req *r, int status, char *body, size_t len, const char *ctype,
                 int retry_after)
{
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(body);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  MHD_add_response_header(resp, "X-Request-Id", r->request_id);
  if (retry_after > 0) {
    char ra[16];
    snprintf(ra, sizeof ra, "%d", retry_after);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
  }
  r->status = status;
  int ret = MHD_queue_response(r->conn, (unsigned)status, resp);
  MHD_destroy_response(resp);
  return ret;
}

int http_reply_json(http_req *r, int status, cJSON *body)
{
  char *txt = body ? cJSON_PrintUnformatted(body) : NULL;
  cJSON_Delete(body);
  if (!txt)
    return queue(r, 500, strdup("{\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}"),
                 strlen("{\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}"),
                 "application/json", 0);
  return queue(r, status, txt, strlen(txt), "application/json", 0);
}

static int reply_error(http_req *r, int status, const char *code, const char *message, int ra)
{
  cJSON *o = cJSON_CreateObject(), *e = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ok", 0);
  cJSON_AddStringToObject(e, "code", code);
  cJSON_AddStringToObject(e, "message", message);
  cJSON_AddItemToObject(o, "error", e);
  char *txt = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!txt)
    return MHD_NO;
  return queue(r, status, txt, strlen(txt), "application/json", ra);
}

int http_reply_error(http_req *r, int status, const char *code, const char *message)
{
  return reply_error(r, status, code, message, 0);
}

int http_reply_unavailable(http_req *r, int retry_after, const char *message)
{
  return reply_error(r, 503, "unavailable", message, retry_after);
}

int http_reply_text(http_req *r, int status, const char *content_type, char *text)
{
  if (!text)
    return http_reply_error(r, 500, "internal", "Out of memory.");
  return queue(r, status, text, strlen(text), content_type, 0);
}

/* Match path against pattern, capturing '*' segments. */
static int route_match(const char *pattern, const char *path, http_req *r)
{
  int n = 0;
  while (*pattern && *path) {
    if (*pattern == '*') {
      const char *e = strchr(path, '/');
      size_t len = e ? (size_t)(e - path) : strlen(path);
      if (len == 0 || len >= sizeof r->params[0] || n >= 2)
        return 0;
      memcpy(r->params[n], path, len);
      r->params[n][len] = 0;
      n++;
      path += len;
      pattern++;
      continue;
    }
    if (*pattern != *path)
      return 0;
    pattern++;
    path++;
  }
  if (*pattern || *path)
    return 0;
  r->nparams = n;
  return 1;
}

/* Constant-time check of "Bearer <token>" (hash both so lengths match). */
static int admin_ok(const char *header, const char *token)
{
  unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
  if (!header || strncmp(header, "Bearer ", 7) != 0)
    return 0;
  crypto_generichash(a, sizeof a, (const unsigned char *)header + 7, strlen(header + 7), NULL, 0);
  crypto_generichash(b, sizeof b, (const unsigned char *)token, strlen(token), NULL, 0);
  return sodium_memcmp(a, b, sizeof a) == 0;
}

static void new_request_id(char *out, size_t len)
{
  unsigned char rnd[8];
  randombytes_buf(rnd, sizeof rnd);
  sodium_bin2hex(out, len, rnd, sizeof rnd < (len - 1) / 2 ? sizeof rnd : (len - 1) / 2);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_size, void **con_cls)
{
  server *s = cls;
  http_req *r = *con_cls;
  (void)version;

  if (!r) {
    r = calloc(1, sizeof *r);
    if (!r)
      return MHD_NO;
    *con_cls = r;
    r->conn = conn;
    r->app = s->app;
    r->t_start = http_now();
    new_request_id(r->request_id, sizeof r->request_id);
    snprintf(r->method, sizeof r->method, "%s", method);
    if (strlen(url) >= sizeof r->path)
      return http_reply_error(r, 414, "uri_too_long", "The request path is too long.");
    snprintf(r->path, sizeof r->path, "%s", url);
    int path_found = 0;
    for (int i = 0; i < s->nroutes; i++) {
      if (!route_match(s->routes[i].pattern, url, r))
        continue;
      path_found = 1;
      if (strcmp(s->routes[i].method, method) == 0) {
        r->route = &s->routes[i];
        break;
      }
    }
    if (!r->route)
      return path_found ? http_reply_error(r, 405, "method_not_allowed",
                                           "This method is not allowed on this path.")
                        : http_reply_error(r, 404, "not_found", "No such endpoint.");
    if (r->route->flags & ROUTE_ADMIN) {
      if (!s->app->cfg->admin_token)
        return http_reply_error(r, 403, "admin_disabled",
                                "Admin endpoints are disabled: TALENTD_ADMIN_TOKEN is not set.");
      if (!admin_ok(http_header(r, MHD_HTTP_HEADER_AUTHORIZATION), s->app->cfg->admin_token))
        return http_reply_error(r, 401, "unauthorized", "A valid admin bearer token is required.");
    }
    if (r->route->flags & ROUTE_BODY) {
      const char *cl = http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end || n > s->app->cfg->max_body)
          return http_reply_error(r, 413, "body_too_large",
                                  "The request body is larger than the configured limit.");
      }
      if (r->route->begin)
        r->route->begin(r);
    }
    return MHD_YES;
  }

  if (*upload_size) {
    size_t n = *upload_size;
    *upload_size = 0;
    if (r->status || !r->route || !(r->route->flags & ROUTE_BODY) || r->too_large)
      return MHD_YES; /* discard */
    if (r->body_len + n > r->app->cfg->max_body) {
      r->too_large = 1;
      free(r->body);
      r->body = NULL;
      r->body_len = r->body_cap = 0;
      return MHD_YES;
    }
    if (r->body_len + n + 1 > r->body_cap) {
      size_t cap = r->body_cap ? r->body_cap : 4096;
      while (cap < r->body_len + n + 1)
        cap *= 2;
      char *nb = realloc(r->body, cap);
      if (!nb)
        return MHD_NO;
      r->body = nb;
      r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, upload_data, n);
    r->body_len += n;
    r->body[r->body_len] = 0;
    if (r->route->chunk)
      r->route->chunk(r, upload_data, n);
    return MHD_YES;
  }

  if (r->status)
    return MHD_YES; /* already answered */
  if (r->too_large)
    return http_reply_error(r, 413, "body_too_large",
                            "The request body is larger than the configured limit.");
  log_ctx_set_str("request_id", r->request_id);
  int ret = r->route->fn(r);
  log_ctx_clear();
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  http_req *r = *con_cls;
  char labels[160], esc[64];
  (void)cls;
  (void)conn;
  if (!r)
    return;
  double ms = (http_now() - r->t_start) * 1000.0;
  if (r->status) {
    snprintf(labels, sizeof labels, "route=\"%s\",status=\"%d\"",
             metrics_label_escape(r->route ? r->route->pattern : "other", esc, sizeof esc),
             r->status);
    metrics_inc("talentd_http_requests_total", labels, 1);
  }
  LOG(r->status >= 500 ? LOG_WARN : LOG_INFO, "http_request", LOG_S("request_id", r->request_id),
      LOG_S("method", r->method), LOG_S("path", r->path), LOG_I("status", r->status),
      LOG_D("ms", ms), LOG_I("aborted", toe != MHD_REQUEST_TERMINATED_COMPLETED_OK));
  free(r->body);
  free(r);
  *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
  char msg[512];
  (void)cls;
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    msg[--n] = 0;
  LOG(LOG_WARN, "http_daemon", LOG_S("message", msg));
}

struct MHD_Daemon *http_start(td_app *app, const http_route *routes, int nroutes)
{
  struct sockaddr_in sa4;
  struct sockaddr_in6 sa6;
  struct sockaddr *sa;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
  /* Handlers block on a PostgreSQL commit, so the pool is sized for
   * waiting, not for computing: with one thread per core a 2-core box
   * would accept only two events per commit latency.  More threads let
   * commits overlap (group commit) at the cost of one idle PGconn each. */
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned pool = (unsigned)(cores * 4 < 16 ? 16 : cores * 4 > 64 ? 64 : cores * 4);

  memset(&sa4, 0, sizeof sa4);
  memset(&sa6, 0, sizeof sa6);
  const char *host = app->cfg->listen_addr;
  char h6[64];
  if (host[0] == '[') { /* [::1]:8080 */
    snprintf(h6, sizeof h6, "%s", host + 1);
    char *e = strchr(h6, ']');
    if (e)
      *e = 0;
    host = h6;
  }
  if (inet_pton(AF_INET, host, &sa4.sin_addr) == 1) {
    sa4.sin_family = AF_INET;
    sa4.sin_port = htons((uint16_t)app->cfg->listen_port);
    sa = (struct sockaddr *)&sa4;
  } else if (inet_pton(AF_INET6, host, &sa6.sin6_addr) == 1) {
    sa6.sin6_family = AF_INET6;
    sa6.sin6_port = htons((uint16_t)app->cfg->listen_port);
    sa = (struct sockaddr *)&sa6;
    flags |= MHD_USE_IPv6;
  } else {
    LOG(LOG_ERROR, "listen_address_invalid", LOG_S("address", app->cfg->listen_addr));
    return NULL;
  }
  g_srv.app = app;
  g_srv.routes = routes;
  g_srv.nroutes = nroutes;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)app->cfg->listen_port, NULL, NULL, &on_access, &g_srv,
      MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, NULL, /* first, so it sees option errors too */
      MHD_OPTION_SOCK_ADDR, sa,
      MHD_OPTION_THREAD_POOL_SIZE, pool,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
      MHD_OPTION_NOTIFY_COMPLETED, &on_completed, NULL,
      MHD_OPTION_END);
  if (!d)
    LOG(LOG_ERROR, "listen_failed", LOG_S("address", app->cfg->listen_addr),
        LOG_I("port", app->cfg->listen_port));
  return d;
}

void http_stop(struct MHD_Daemon *d)
{
  if (d)
    MHD_stop_daemon(d);
}
