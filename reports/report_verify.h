/*
 * NAME
 *	report_verify - may reports about a domain go to this address?
 * SYNOPSIS
 *	verify_init(test_dns_file, err, sizeof err);
 *	switch (verify_destination("example.com", "agg@reports.example")) ...
 *	verify_shutdown();
 * DESCRIPTION
 *	RFC 7489 7.1 (RFC 9990 4): when the destination's organizational
 *	domain differs from the policy domain's, the destination must
 *	publish a DMARC record at <policy-domain>._report._dmarc.<dest-
 *	domain>.  A destination at the policy domain or one of its
 *	subdomains needs no record (even without a suffix list); for any
 *	other this asks libopendmarc's public API
 *	(opendmarc_policy_query_dmarc_xdomain), which uses the public
 *	suffix list for organizational domains and the library's resolver
 *	with its timeouts.  verify_init() loads the suffix list (the
 *	library's default) and, for tests, fake DNS answers from a file in
 *	the daemon's TestDNSData format (a name, white space, the TXT text).
 * DIAGNOSTICS
 *	verify_destination() returns VERIFY_OK, VERIFY_REFUSED (no such
 *	record: never send), or VERIFY_TEMPFAIL (DNS trouble: try later).
 *	verify_init() returns -1 with err set when the file cannot be read.
 */
#ifndef REPORT_VERIFY_H
#define REPORT_VERIFY_H
#include <stddef.h>

enum verify_result { VERIFY_OK, VERIFY_REFUSED, VERIFY_TEMPFAIL };

int verify_init(const char *test_dns_file, char *err, size_t errlen);
enum verify_result verify_destination(const char *policy_domain, const char *rcpt);
void verify_shutdown(void);

#endif
