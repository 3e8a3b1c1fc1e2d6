/*
 * NAME
 *	expire - delete old rows, never those of periods not yet reported
 * SYNOPSIS
 *	struct expire_opts o = { .days = 180, .alltables = 1 };
 *	if (expire_run(db, &o, time(NULL), &counts) != 0) ...
 * DESCRIPTION
 *	OpenDMARC's opendmarc-expire, made safe.  With the cut-off at now
 *	minus o.days days (UTC):
 *
 *	messages dated at or before the cut-off are deleted together with
 *	their signatures, arcauthresults and arcseals rows, one transaction
 *	per range of EXPIRE_CHUNK message IDs; unless o.force, a message is
 *	kept while its period is not reported yet: its From: domain has a
 *	request with a report address (repuri not empty) whose lastsent is
 *	not after the message's date (opendmarc-reports sets lastsent to
 *	the first second after the period it delivered).
 *	counts->unreported tells how many old messages were kept so.
 *
 *	requests whose lastsent is at or before the cut-off (and not the
 *	initial 1970-01-01 00:00:01: never reported) are deleted, as
 *	OpenDMARC does, unless (without o.force) messages from that lastsent
 *	on still wait for a report to the request's address.
 *
 *	With o.alltables, also what nothing refers to any more: signatures,
 *	arcauthresults and arcseals of missing messages, selectors, domains,
 *	client addresses and reporters no row uses.
 *
 *	Times compare as 'YYYY-MM-DD HH:MM:SS' UTC text, which both stores
 *	use (the MySQL backend sets the session time zone to UTC).  Every
 *	value is bound; the SQL text is built from constants only.
 * DIAGNOSTICS
 *	expire_run() returns 0, or -1 after a database error (sqldb_error()
 *	tells; the chunk in progress was rolled back, earlier ones stay).
 */
#ifndef EXPIRE_H
#define EXPIRE_H
#include <time.h>

#include "sqldb.h"

#define EXPIRE_CHUNK 10000

struct expire_opts {
	long days;
	int alltables;
	int force;
	int verbose;
};

/* Rows deleted per table, and old messages kept for their report. */
struct expire_counts {
	long long messages, signatures, arcauthresults, arcseals, requests;
	long long selectors, domains, ipaddr, reporters;
	long long unreported;
};

int expire_run(struct sqldb *db, const struct expire_opts *o, time_t now,
	       struct expire_counts *c);

#endif
