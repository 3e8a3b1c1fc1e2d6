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
 *	9989 mode; the pct roll is drawn here.  With want_ruf
 *	(FailureReports), it also takes fo=, whether fo= wants a failure
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
