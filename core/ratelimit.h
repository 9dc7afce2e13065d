/* ratelimit — the per-base Airtable request budget (contract §3).
 *
 * Airtable allows AIRTABLE_RATE_LIMIT_RPS request starts per second per base
 * and punishes a breach with a 30 s lock-out, so the budget is enforced before
 * a request leaves: never more than N starts in any sliding window, counted
 * across every thread of this process and, when a database URL is given,
 * across every talentd process sharing that database (airtable_rate_claim()
 * of schema/0002).  When the database is unreachable the limiter falls back
 * to its in-process gate and logs that once.
 *
 * One rl_limiter per base; all functions are thread-safe. */
#ifndef TD_RATELIMIT_H
#define TD_RATELIMIT_H

#include "err.h"

typedef struct rl_limiter rl_limiter;

typedef struct rl_options {
  double rps;          /* request starts per second (> 0) */
  double margin_s;     /* added to the window to absorb network jitter; < 0 = default 0.1 */
  int penalty_s;       /* hold after a 429 */
  const char *database_url; /* NULL or "" = in-process only */
} rl_options;

/* Create a limiter for base_id.  Never fails because of the database: an
 * unreachable one only means the in-process fallback. */
td_err rl_create(const char *base_id, const rl_options *opt, rl_limiter **out);
void rl_destroy(rl_limiter *rl);

/* Block until one request may start and count it as started.  max_wait_s
 * bounds the wait: when the next free slot is further away, returns
 * TD_ERR_TIMEOUT at once without consuming anything.  waited_s (may be NULL)
 * receives the time spent waiting. */
td_err rl_acquire(rl_limiter *rl, double max_wait_s, double *waited_s);

/* Airtable answered 429: hold every request to this base for the configured
 * penalty, or for min_s when that is longer (a Retry-After). */
void rl_penalize(rl_limiter *rl, double min_s);

/* Seconds of penalty left as this process knows it (tests, logs). */
double rl_penalty_left(rl_limiter *rl);

/* 1 while starts are coordinated through the database. */
int rl_shared(rl_limiter *rl);

#endif
