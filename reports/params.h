/*
 * NAME
 *	params - a domain's reporting parameters (the requests row)
 * SYNOPSIS
 *	struct params_opts o = { .domain = "example.com", .rua = "mailto:d@x.example" };
 *	rc = params_apply(db, &o, err, sizeof err);
 *	rc = params_show(db, "example.com", stdout);
 * DESCRIPTION
 *	OpenDMARC's opendmarc-params.  params_apply() locks the domain's
 *	request (creating the domains and requests rows when missing) and
 *	sets its report addresses to o.rua, or to nothing when o.rua is
 *	NULL, so reports to the domain stop; a locked request keeps these
 *	addresses whatever the domain's DMARC record says, as the importer
 *	skips it.  With o.unlock it clears the lock instead (the addresses
 *	stay until the next import brings the published ones).  The domain
 *	is lower-cased, as the importer stores From: domains.  o.rua must
 *	fit the column (255 bytes) and hold no white space or control
 *	characters.
 *
 *	params_show() prints the request as "name value" lines: domain,
 *	repuri, adkim, aspf, p, sp, pct, locked, lastsent (alignment and
 *	policies spelled out, "-" for never seen).
 * DIAGNOSTICS
 *	params_apply() returns 0, or -1 with err set (bad value, database
 *	error).  params_show() returns 1 when shown, 0 when the domain has
 *	no request, -1 on a database error (sqldb_error()).
 */
#ifndef PARAMS_H
#define PARAMS_H
#include <stddef.h>
#include <stdio.h>

#include "sqldb.h"

#define PARAMS_RUA_MAX 255

struct params_opts {
	const char *domain;
	const char *rua;
	int unlock;
};

int params_apply(struct sqldb *db, const struct params_opts *o, char *err, size_t errlen);
int params_show(struct sqldb *db, const char *domain, FILE *out);

#endif
