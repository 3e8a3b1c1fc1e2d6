/*
 * NAME
 *	query - one From domain through libopendmarc
 * SYNOPSIS
 *	query_domain(domain, ip, iptype, &auth, mode, &outcome);
 *	query_spf(ip, mailfrom, helo, &auth.spf);
 * DESCRIPTION
 *	query_domain() gives the library the From domain and the SPF and
 *	DKIM results, asks for the DMARC record (DNS, or TestDNSData) and
 *	copies everything evaluate() and the history record need into
 *	*outcome.  pct is applied only in RFC 7489 mode and t=y only in RFC
 *	9989 mode; the pct roll is drawn here.
 *	query_spf() checks SPF itself (SPFSelfValidate) through the
 *	library's opendmarc_spf2_test() and fills *spf.
 * DIAGNOSTICS
 *	A library context that cannot be created gives status
 *	DMARC_DNS_ERROR_TMPERR (the message is tried again, never passed).
 */
#ifndef QUERY_H
#define QUERY_H

#include "conf.h"
#include "message.h"

void query_domain(const char *domain, const char *ip, int iptype, const struct auth_results *auth,
		  enum dmarc_mode mode, struct domain_outcome *o);
void query_spf(const char *ip, const char *mailfrom, const char *helo, struct auth_spf *spf);

#endif
