/* bench_hooks — a concurrent load generator for POST /hooks/airtable.
 *
 * usage: bench_hooks HOST PORT SECONDS CONNECTIONS
 * Reads TALENTD_WEBHOOK_SECRET and AIRTABLE_BASE_ID from the environment,
 * signs every request itself (a fresh webhook-id each, so every request is
 * a new event stored in PostgreSQL), keeps each connection alive, and
 * prints accepted events per second and latency percentiles.  Plain
 * sockets, one thread per connection: the generator must not be the
 * bottleneck it measures. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "whsig.h"

typedef struct worker {
  int index;
  long ok, fail;
  double *lat;
  long nlat, caplat;
} worker;

static const char *host;
static int port;
static double deadline;
static cfg_secret secret;
static const char *base_id;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial(void)
{
  struct sockaddr_in sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  inet_pton(AF_INET, host, &sa.sin_addr);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Read one HTTP response; returns the status or -1. */
static int read_response(int fd, char *buf, size_t cap)
{
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r <= 0)
      return -1;
    n += (size_t)r;
    buf[n] = 0;
    char *hdr_end = strstr(buf, "\r\n\r\n");
    if (!hdr_end)
      continue;
    char *cl = strcasestr(buf, "Content-Length:");
    size_t body = cl ? strtoul(cl + 15, NULL, 10) : 0;
    if (n >= (size_t)(hdr_end + 4 - buf) + body)
      return (int)strtol(buf + 9, NULL, 10);
  }
}

static void *run(void *p)
{
  worker *w = p;
  char body[512], req[2048], sig[128], id[64], ts[24], resp[8192];
  long seq = 0;
  int fd = dial();
  while (now() < deadline) {
    if (fd < 0) {
      fd = dial();
      if (fd < 0) {
        w->fail++;
        usleep(10000);
        continue;
      }
    }
    unsigned char rnd[4];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(id, sizeof id, "msg_bench_%d_%ld_%02x%02x%02x%02x", w->index, seq++, rnd[0], rnd[1], rnd[2], rnd[3]);
    /* rotate over many records so merging does not hide the insert cost */
    int blen = snprintf(body, sizeof body,
                        "{\"type\":\"talent.updated\",\"base_id\":\"%s\",\"table_id\":\"tblOkLOSo4Zjwp0yF\","
                        "\"record_id\":\"recBENCH%09ld\",\"fields\":{\"Name\":\"Load Test\"}}",
                        base_id, (seq * 64 + w->index) % 1000000000L);
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    whsig_sign(&secret, id, ts, body, (size_t)blen, sig, sizeof sig);
    int rlen = snprintf(req, sizeof req,
                        "POST /hooks/airtable HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                        "webhook-id: %s\r\nwebhook-timestamp: %s\r\nwebhook-signature: %s\r\n"
                        "Content-Length: %d\r\n\r\n%s",
                        host, port, id, ts, sig, blen, body);
    double t0 = now();
    if (write(fd, req, (size_t)rlen) != rlen) {
      close(fd);
      fd = -1;
      w->fail++;
      continue;
    }
    int st = read_response(fd, resp, sizeof resp);
    double dt = now() - t0;
    if (st == 202) {
      w->ok++;
      if (w->nlat == w->caplat) {
        w->caplat = w->caplat ? w->caplat * 2 : 4096;
        w->lat = realloc(w->lat, (size_t)w->caplat * sizeof *w->lat);
      }
      w->lat[w->nlat++] = dt;
    } else {
      w->fail++;
      if (st < 0) {
        close(fd);
        fd = -1;
      }
    }
  }
  if (fd >= 0)
    close(fd);
  return NULL;
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
  if (argc != 5 || sodium_init() < 0) {
    fprintf(stderr, "usage: bench_hooks HOST PORT SECONDS CONNECTIONS\n");
    return 2;
  }
  const char *sec = getenv("TALENTD_WEBHOOK_SECRET");
  base_id = getenv("AIRTABLE_BASE_ID");
  if (!sec || !base_id || cfg_parse_whsec(sec, &secret)) {
    fprintf(stderr, "bench_hooks: set TALENTD_WEBHOOK_SECRET and AIRTABLE_BASE_ID\n");
    return 2;
  }
  host = argv[1];
  port = (int)strtol(argv[2], NULL, 10);
  double secs = strtod(argv[3], NULL);
  int nconn = (int)strtol(argv[4], NULL, 10);
  worker *ws = calloc((size_t)nconn, sizeof *ws);
  pthread_t *th = calloc((size_t)nconn, sizeof *th);
  double t0 = now();
  deadline = t0 + secs;
  for (int i = 0; i < nconn; i++) {
    ws[i].index = i;
    pthread_create(&th[i], NULL, run, &ws[i]);
  }
  long ok = 0, fail = 0, n = 0;
  for (int i = 0; i < nconn; i++) {
    pthread_join(th[i], NULL);
    ok += ws[i].ok;
    fail += ws[i].fail;
    n += ws[i].nlat;
  }
  double elapsed = now() - t0;
  double *all = malloc((size_t)(n ? n : 1) * sizeof *all);
  long k = 0;
  for (int i = 0; i < nconn; i++) {
    memcpy(all + k, ws[i].lat, (size_t)ws[i].nlat * sizeof *all);
    k += ws[i].nlat;
    free(ws[i].lat);
  }
  qsort(all, (size_t)n, sizeof *all, cmp);
  printf("webhooks accepted: %ld in %.1f s = %.0f/s (%d connections, %ld failed); "
         "latency p50 %.2f ms, p99 %.2f ms\n",
         ok, elapsed, ok / elapsed, nconn, fail, n ? all[n / 2] * 1e3 : 0.0,
         n ? all[(long)(n * 0.99)] * 1e3 : 0.0);
  free(all);
  free(ws);
  free(th);
  return ok > 0 ? 0 : 1;
}
