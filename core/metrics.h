/* metrics — process-wide Prometheus counters, gauges and histograms.
 *
 * A metric is identified by its name plus a label string written in
 * Prometheus syntax without braces, e.g. `type="talent.updated",result="accepted"`.
 * All functions are thread-safe.  Names must start with "talentd_".
 * Label values must not contain secrets; escape with metrics_label_escape(). */
#ifndef TD_METRICS_H
#define TD_METRICS_H

#include <stddef.h>

/* Declare help text and type once ("counter", "gauge", "histogram"). */
void metrics_describe(const char *name, const char *type, const char *help);
void metrics_inc(const char *name, const char *labels, double v);
void metrics_set(const char *name, const char *labels, double v);
/* Histogram in seconds with fixed buckets 1ms..60s. */
void metrics_observe(const char *name, const char *labels, double seconds);
/* Read a counter or gauge back (tests); 0 when absent. */
double metrics_get(const char *name, const char *labels);
/* Render everything in Prometheus text format; caller frees. */
char *metrics_render(void);
/* Copy v into out with \ " and newline escaped; returns out. */
char *metrics_label_escape(const char *v, char *out, size_t outlen);
/* Drop everything (tests). */
void metrics_reset(void);

#endif
