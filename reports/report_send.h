/*
 * NAME
 *	report_send - deliver what is due in the outbox
 * SYNOPSIS
 *	rc = send_run(db, q, ob, &conf, &stats);
 * DESCRIPTION
 *	Takes every pending delivery whose next attempt is due (all of
 *	them with conf.retry_now), oldest report first, and for each:
 *	  - a rua destination on the suppression list is not mailed
 *	    (state "suppressed");
 *	  - a rua destination outside the policy domain's organizational
 *	    domain must be authorized by a DMARC record at
 *	    <domain>._report._dmarc.<its domain> (report_verify); without
 *	    one it is "refused", on a DNS error it is retried later;
 *	  - the message (report_mime) carries the spooled gzip file, or,
 *	    when it would exceed the destination's "!size" limit, the
 *	    short "too large" notice instead;
 *	  - SMTP (smtp_curl): accepted -> "sent" (or "too-large-notice");
 *	    5xx to RCPT/DATA -> "failed" for this destination only; any
 *	    other failure -> stays pending, next attempt after
 *	    retry_base * 2^(attempts-1) seconds (at most retry_max), until
 *	    the report is retry_days old, then "failed".  When the server
 *	    is unreachable the remaining deliveries wait for the next run
 *	    untouched.
 *	Each outcome is recorded at once (so a crash resends at most the
 *	message in flight).  When a report has no pending destination left
 *	and a rua destination got it, lastsent moves to the end of its
 *	period (unless --noupdate).  The operator's copy (--copy-to) gets
 *	the report as it is: no suppression, check or size limit, and it
 *	does not count for lastsent.
 * DIAGNOSTICS
 *	Returns 0 when the outbox could be worked through (deliveries may
 *	still be pending), -1 on a database error.
 */
#ifndef REPORT_SEND_H
#define REPORT_SEND_H

#include "outbox.h"
#include "report_conf.h"
#include "report_query.h"

struct send_stats {
	long long sent, notices, deferred, failed, refused, suppressed, left;
};

int send_run(struct sqldb *db, struct rq *q, struct outbox *ob, const struct report_conf *c,
	     struct send_stats *st);

#endif
