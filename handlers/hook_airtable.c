/* hook_airtable — POST /hooks/airtable (contract §4.1).
 *
 * Order of checks: signature headers (401) before the body is trusted; the
 * MAC is computed while the body streams in; then JSON and event validation
 * (400/422); then one transaction stores the event and its task (accept_event
 * in schema 0001) and notifies the workers.  The answer is sent only after
 * that commit: a 2xx always means the event is durable. */
#include "db.h"
#include "event.h"
#include "handlers.h"
#include "log.h"
#include "metrics.h"
#include "whsig.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOTIFY_EVERY_MS 50

static _Atomic long long last_notify_ms;

static int should_notify(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  long long last = last_notify_ms;
  return now - last >= NOTIFY_EVERY_MS &&
         __atomic_compare_exchange_n(&last_notify_ms, &last, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

typedef struct hook_state {
  whsig_state sig;
  whsig_result headers;
  crypto_hash_sha256_state body_hash;
} hook_state;

_Static_assert(sizeof(hook_state) <= sizeof(((http_req *)0)->hstate), "hook_state too large");

static void count(const char *type, const char *result)
{
  char labels[160], esc[64];
  snprintf(labels, sizeof labels, "type=\"%s\",result=\"%s\"",
           metrics_label_escape(type, esc, sizeof esc), result);
  metrics_inc("talentd_events_received_total", labels, 1);
}

void hook_airtable_begin(http_req *r)
{
  hook_state *h = (hook_state *)r->hstate;
  const char *id = http_header(r, "webhook-id");
  const char *ts = http_header(r, "webhook-timestamp");
  h->headers = whsig_check_headers(id, ts, (long long)time(NULL));
  if (h->headers == WHSIG_OK)
    whsig_begin(&h->sig, r->app->cfg->webhook_secrets, r->app->cfg->n_webhook_secrets, id, ts);
  crypto_hash_sha256_init(&h->body_hash);
}

void hook_airtable_chunk(http_req *r, const char *data, size_t len)
{
  hook_state *h = (hook_state *)r->hstate;
  if (h->headers == WHSIG_OK)
    whsig_update(&h->sig, data, len);
  crypto_hash_sha256_update(&h->body_hash, (const unsigned char *)data, len);
}

int hook_airtable(http_req *r)
{
  hook_state *h = (hook_state *)r->hstate;
  unsigned char sha[crypto_hash_sha256_BYTES];
  char sha_hex[2 * crypto_hash_sha256_BYTES + 3], msg[200], tid[32];
  event_info ev;
  td_err rc;
  const char *id = http_header(r, "webhook-id");

  crypto_hash_sha256_final(&h->body_hash, sha);
  if (h->headers == WHSIG_STALE) {
    count("unknown", "stale_timestamp");
    return http_reply_error(r, 401, "stale_timestamp",
                            "webhook-timestamp is more than 300 seconds from the server's clock.");
  }
  if (h->headers != WHSIG_OK) {
    count("unknown", "bad_signature");
    return http_reply_error(r, 401, "bad_signature",
                            "The webhook-id, webhook-timestamp or webhook-signature header is "
                            "missing or malformed.");
  }
  whsig_result v = whsig_verify(&h->sig, http_header(r, "webhook-signature"));
  if (v != WHSIG_OK) {
    count("unknown", "bad_signature");
    return http_reply_error(r, 401, "bad_signature",
                            v == WHSIG_MISSING
                                ? "The webhook-signature header is missing or malformed."
                                : "No signature matches a configured secret.");
  }
  switch (event_validate(r->app->cfg, r->body ? r->body : "", r->body_len, &ev, msg, sizeof msg)) {
  case EVENT_OK: break;
  case EVENT_INVALID_JSON:
    count("unknown", "invalid_json");
    return http_reply_error(r, 400, "invalid_json", msg);
  case EVENT_INVALID:
    count("unknown", "invalid_event");
    return http_reply_error(r, 400, "invalid_event", msg);
  default:
    count("unknown", "unprocessable_event");
    return http_reply_error(r, 422, "unprocessable_event", msg);
  }

  /* bytea literal in hex form */
  sha_hex[0] = '\\';
  sha_hex[1] = 'x';
  sodium_bin2hex(sha_hex + 2, sizeof sha_hex - 2, sha, sizeof sha);
  /* NOTIFY serializes commits cluster-wide; under load send at most one
   * per NOTIFY_EVERY_MS from this process.  Workers of this process are
   * woken directly below; other processes poll every second anyway. */
  const char *notify = should_notify() ? "t" : "f";
  const char *p[] = {id, sha_hex, ev.type, ev.record_id, r->body, notify};
  PGconn *c = db_conn_thread();
  if (!c) {
    count(ev.type, "unavailable");
    return http_reply_unavailable(r, 5, "The database is unreachable; retry later.");
  }
  PGresult *res = db_exec(c, &rc, "SELECT result, task_id FROM accept_event($1, $2::bytea, $3, $4, $5::jsonb, $6::boolean)",
                          6, p);
  if (rc) {
    PQclear(res);
    if (rc == TD_ERR_DB_UNAVAILABLE) {
      db_conn_thread_reset();
      count(ev.type, "unavailable");
      return http_reply_unavailable(r, 5, "The database is unreachable; retry later.");
    }
    if (rc == TD_ERR_INVALID) {
      /* valid JSON that jsonb refuses, e.g. a \u0000 inside a string */
      count(ev.type, "invalid_json");
      return http_reply_error(r, 400, "invalid_json",
                              "The body holds a value that cannot be stored (such as \\u0000).");
    }
    count(ev.type, "error");
    return http_reply_error(r, 500, "internal", "The event could not be stored.");
  }
  const char *result = PQgetvalue(res, 0, 0);
  snprintf(tid, sizeof tid, "%s", PQgetvalue(res, 0, 1));
  cJSON *o = cJSON_CreateObject();
  int status;
  if (strcmp(result, "accepted") == 0) {
    cJSON_AddBoolToObject(o, "ok", 1);
    cJSON_AddStringToObject(o, "event_id", id);
    cJSON_AddNumberToObject(o, "task_id", strtod(tid, NULL));
    status = 202;
    app_wake_workers(r->app);
    count(ev.type, "accepted");
    LOG(LOG_INFO, "event_accepted", LOG_S("event_id", id), LOG_S("type", ev.type),
        LOG_S("record_id", ev.record_id), LOG_S("task_id", tid));
  } else if (strcmp(result, "duplicate") == 0) {
    cJSON_AddBoolToObject(o, "ok", 1);
    cJSON_AddStringToObject(o, "event_id", id);
    cJSON_AddBoolToObject(o, "duplicate", 1);
    status = 200;
    count(ev.type, "duplicate");
  } else {
    cJSON_Delete(o);
    PQclear(res);
    count(ev.type, "conflict");
    return http_reply_error(r, 409, "event_id_conflict",
                            "This webhook-id was already used for a different body.");
  }
  PQclear(res);
  return http_reply_json(r, status, o);
}
