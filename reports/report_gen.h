/*
 * NAME
 *	report_gen - build the period's aggregate reports into the outbox
 * SYNOPSIS
 *	rc = gen_run(db, q, ob, &conf, &period, &stats);
 * DESCRIPTION
 *	Scans the period's messages (report_query), groups them per policy
 *	domain (report_agg), and for each domain with mailto: destinations
 *	in its rua list builds the report (report_xml), gzips it and puts it
 *	into the outbox with one delivery per destination, plus one for
 *	conf.copy_to.  A domain that already has a report for this period
 *	in the outbox is left alone (the outbox delivers or retries it), so
 *	a re-run generates nothing twice.  A domain without destinations
 *	has nothing to send: its lastsent moves to the end of the period
 *	(unless --noupdate).  --nodomain names are skipped.  Everything
 *	happens in one transaction: a crash leaves no half-queued report.
 *
 *	With conf.test, ob is NULL: nothing is queued or recorded; each
 *	report is written to the current directory and the destinations
 *	are printed.  conf.keepfiles also writes <name>.xml and
 *	<name>.xml.gz to the current directory.
 *
 *	The report file is <submitter>!<domain>!<begin>!<end>!<id>.xml.gz
 *	(RFC 7489 7.2.1.1; begin and end inclusive, as in date_range) and
 *	the Report-ID <id>@<submitter>, id being 16 random hex digits.
 * DIAGNOSTICS
 *	Returns 0, or -1 after a database or file error (message on
 *	standard error; the transaction is rolled back).
 */
#ifndef REPORT_GEN_H
#define REPORT_GEN_H

#include "outbox.h"
#include "report_conf.h"
#include "report_period.h"
#include "report_query.h"

struct gen_stats {
	long long domains, reports, messages, norua, already, skipped;
};

int gen_run(struct sqldb *db, struct rq *q, struct outbox *ob, const struct report_conf *c,
	    const struct period *p, struct gen_stats *st);

#endif
