/*
 * NAME
 *	report_query - what the database says about a report period
 * SYNOPSIS
 *	rq_open(db, &q);
 *	rq_scan_begin(q, &period, force_domain);
 *	while ((rc = rq_scan_next(q, &msg)) == 1) ...;
 *	rc = rq_policy(q, msg.pdomain_id, msg.from_id, &pol, repuri, sizeof repuri);
 *	rq_mark_sent(q, pdomain_id, &period);
 *	rq_close(&q);
 * DESCRIPTION
 *	rq_scan_*() returns, one message at a time with all its DKIM
 *	signatures, the messages received in [period.begin, period.end)
 *	ordered by policy domain, in one query for all domains (OpenDMARC
 *	ran one per domain and one per message).  A message is included
 *	when its From: domain's request row was not yet reported for this
 *	period (requests.lastsent < period.end); with force_domain, only
 *	the messages whose policy or From: domain is that name, whatever
 *	lastsent says (--domain).
 *
 *	rq_policy() reads the published policy and the rua list kept in
 *	requests for the policy domain, or, when the policy domain has no
 *	row of its own (mail came only from its subdomains), for the given
 *	From: domain: OpenDMARC's columns, and ours (fo as "0:1:d:s" text,
 *	np, testing, discovery) left unknown where NULL.  rq_open() first
 *	brings an older database up to date (store_upgrade()).
 *
 *	rq_mark_sent() sets lastsent to period.end (never backwards) on
 *	the request rows of the policy domain and of every From: domain
 *	whose messages the period's report for it covered.
 * DIAGNOSTICS
 *	rq_scan_next() returns 1 with a message, 0 at the end, -1 on a
 *	database error.  rq_policy() returns 1 when found, 0 when not, -1
 *	on error.  The others return 0 or -1; sqldb_error() says why.
 */
#ifndef REPORT_QUERY_H
#define REPORT_QUERY_H
#include <stddef.h>

#include "report_agg.h"
#include "report_period.h"
#include "report_xml.h"
#include "sqldb.h"

struct rq_msg {
	long long id, pdomain_id, from_id;
	char pdomain[AGG_NAME];
	struct agg_msg m;
};

struct rq;

int rq_open(struct sqldb *db, struct rq **qp);
int rq_scan_begin(struct rq *q, const struct period *p, const char *force_domain);
int rq_scan_next(struct rq *q, struct rq_msg *out);
int rq_policy(struct rq *q, long long pdomain_id, long long from_id, struct report_policy *pol,
	      char *repuri, size_t repuri_size);
int rq_mark_sent(struct rq *q, long long pdomain_id, const struct period *p);
void rq_close(struct rq **qp);

#endif
