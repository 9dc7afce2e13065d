/* whsig — Standard Webhooks signature verification (HMAC-SHA256).
 *
 * Streaming: whsig_begin() MACs "id.timestamp." under every configured
 * secret, whsig_update() feeds each body chunk as it arrives, whsig_verify()
 * compares against every "v1,<base64>" entry of the webhook-signature header
 * in constant time.  Keys have any length (libsodium's streaming HMAC). */
#ifndef TD_WHSIG_H
#define TD_WHSIG_H

#include <sodium.h>
#include <stddef.h>

#include "cfg.h"

#define WHSIG_TOLERANCE 300 /* seconds, both ways */

typedef enum whsig_result {
  WHSIG_OK = 0,
  WHSIG_MISSING,     /* a header is absent or malformed */
  WHSIG_NO_MATCH,    /* no entry matches any secret */
  WHSIG_STALE,       /* timestamp more than the tolerance from now */
} whsig_result;

typedef struct whsig_state {
  crypto_auth_hmacsha256_state st[CFG_MAX_SECRETS];
  int n;
} whsig_state;

/* Check the id and timestamp headers (syntax and tolerance against now).
 * Returns WHSIG_OK, WHSIG_MISSING or WHSIG_STALE. */
whsig_result whsig_check_headers(const char *id, const char *timestamp, long long now);
void whsig_begin(whsig_state *s, const cfg_secret *secrets, int n, const char *id,
                 const char *timestamp);
void whsig_update(whsig_state *s, const void *chunk, size_t len);
/* Finalizes the states (call once).  signature_header may be NULL. */
whsig_result whsig_verify(whsig_state *s, const char *signature_header);

/* One-shot helper (tests, `talentd sign`): writes "v1,<base64>" into out. */
int whsig_sign(const cfg_secret *secret, const char *id, const char *timestamp, const void *body,
               size_t len, char *out, size_t outlen);

#endif
