/*
 * NAME
 *	query - one From domain through libopendmarc
 * SYNOPSIS
 *	query_domain(domain, ip, iptype, &auth, mode, want_ruf, &outcome);
 * DESCRIPTION
 *	query_domain() gives the library the From domain and the SPF and
 *	DKIM results, asks for the DMARC record (DNS, or TestDNSData) and
 *	copies everything evaluate() and the history record need into
 *	*outcome.  pct is applied only in RFC 7489 mode and t=y only in RFC
 *	9989 mode; the pct roll is drawn here.  For the history record's
 *	extension keys it takes fo=, np=, t= as published (whatever the
 *	mode) and the discovery method: treewalk or psl as the library
 *	found the record, and for a record at the From domain's own name
 *	the method of the mode in force.  With want_ruf
 *	(FailureReports), it also takes whether fo= wants a failure
 *	report (failrep_wanted()), and then the ruf= URIs that pass the
 *	external destination check of RFC 7489 7.1
 *	(opendmarc_policy_query_dmarc_xdomain()); the others are counted.
 * DIAGNOSTICS
 *	A library context that cannot be created gives status
 *	DMARC_DNS_ERROR_TMPERR (the message is tried again, never passed).
 */
#ifndef QUERY_H
#define QUERY_H

#include "conf.h"
#include "message.h"

void query_domain(const char *domain, const char *ip, int iptype, const struct auth_results *auth,
		  enum dmarc_mode mode, int want_ruf, struct domain_outcome *o);

#endif
