/* web_metrics.h — Prometheus /metrics (text format 0.0.4) for `liaison web`'s second,
 * loopback-only listener ([web] metrics_listen): what the store counts (messages per mailbox,
 * auto-replies sent, the outbox by status, threads overdue), what the poller publishes
 * (poll_status.h: each folder's state, last sync, reconnects; whether it runs), the database's
 * size and its disk, and the console's own request figures (web_server.h).  The figures are
 * those of `liaison status` (ops_health.h); docs/monitoring.md explains each. */
#ifndef LIAISON_WEB_METRICS_H
#define LIAISON_WEB_METRICS_H

#include <stdint.h>

#include "config.h"
#include "web_http.h"

/* A scrape reads the database for a moment at most once in this many seconds; scrapes in
 * between get the same text (a scraper every few seconds must not hold the database). */
#define METRICS_CACHE 5

/* The cache and the database connection of the metrics (one per server). */
struct web_metrics;
struct web_metrics *web_metrics_new(void);
void web_metrics_free(struct web_metrics **metrics);

/* Answers GET /metrics for config at instant now into res (thread-safe). */
void web_metrics_answer(struct web_metrics *metrics, const struct config *config, int64_t now,
                        struct web_response *res);

#endif
