/* whsig — Standard Webhooks verification with libsodium.
 *
 * Why streaming: the body arrives in chunks from libmicrohttpd; MACing each
 * chunk as it comes avoids a second pass and works with any key length
 * (crypto_auth_hmacsha256() itself wants exactly 32-byte keys, and
 * whsec_ secrets are usually 24). */
#include "whsig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

whsig_result whsig_check_headers(const char *id, const char *timestamp, long long now)
{
  char *end;
  if (!id || !*id || strlen(id) > 256 || strchr(id, '.'))
    return WHSIG_MISSING;
  if (!timestamp || !*timestamp || strlen(timestamp) > 20)
    return WHSIG_MISSING;
  for (const char *p = timestamp; *p; p++)
    if (*p < '0' || *p > '9')
      return WHSIG_MISSING;
  errno = 0;
  long long ts = strtoll(timestamp, &end, 10);
  if (errno || *end)
    return WHSIG_MISSING;
  if (ts < now - WHSIG_TOLERANCE || ts > now + WHSIG_TOLERANCE)
    return WHSIG_STALE;
  return WHSIG_OK;
}

void whsig_begin(whsig_state *s, const cfg_secret *secrets, int n, const char *id,
                 const char *timestamp)
{
  s->n = n;
  for (int i = 0; i < n; i++) {
    crypto_auth_hmacsha256_init(&s->st[i], secrets[i].key, secrets[i].len);
    crypto_auth_hmacsha256_update(&s->st[i], (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_update(&s->st[i], (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&s->st[i], (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&s->st[i], (const unsigned char *)".", 1);
  }
}

void whsig_update(whsig_state *s, const void *chunk, size_t len)
{
  for (int i = 0; i < s->n; i++)
    crypto_auth_hmacsha256_update(&s->st[i], chunk, len);
}

whsig_result whsig_verify(whsig_state *s, const char *header)
{
  unsigned char macs[CFG_MAX_SECRETS][crypto_auth_hmacsha256_BYTES];
  int matched = 0, entries = 0;

  for (int i = 0; i < s->n; i++)
    crypto_auth_hmacsha256_final(&s->st[i], macs[i]);
  if (!header || !*header || strlen(header) > 8192)
    return WHSIG_MISSING;

  const char *p = header;
  while (*p) {
    while (*p == ' ')
      p++;
    if (!*p)
      break;
    const char *e = strchr(p, ' ');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *comma = memchr(p, ',', len);
    if (comma) {
      entries++;
      size_t vlen = (size_t)(comma - p);
      if (vlen == 2 && memcmp(p, "v1", 2) == 0) {
        unsigned char sig[64];
        size_t siglen = 0;
        const char *b64 = comma + 1;
        size_t b64len = len - vlen - 1;
        if (b64len > 0 && b64len < 100 &&
            sodium_base642bin(sig, sizeof sig, b64, b64len, NULL, &siglen, NULL,
                              sodium_base64_VARIANT_ORIGINAL) == 0 &&
            siglen == crypto_auth_hmacsha256_BYTES) {
          /* Compare against every secret, without stopping early. */
          for (int i = 0; i < s->n; i++)
            matched |= sodium_memcmp(sig, macs[i], crypto_auth_hmacsha256_BYTES) == 0;
        }
      }
    }
    p += len;
  }
  sodium_memzero(macs, sizeof macs);
  if (!entries)
    return WHSIG_MISSING;
  return matched ? WHSIG_OK : WHSIG_NO_MATCH;
}

int whsig_sign(const cfg_secret *secret, const char *id, const char *timestamp, const void *body,
               size_t len, char *out, size_t outlen)
{
  whsig_state s;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  whsig_begin(&s, secret, 1, id, timestamp);
  whsig_update(&s, body, len);
  crypto_auth_hmacsha256_final(&s.st[0], mac);
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return snprintf(out, outlen, "v1,%s", b64) >= (int)outlen ? -1 : 0;
}
