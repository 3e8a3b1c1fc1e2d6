/*
 * NAME
 *	spf - SPF (RFC 7208) checks with libspf2, for SPFSelfValidate
 * SYNOPSIS
 *	if (spf_load(err, sizeof err) != 0) ...	(SPFSelfValidate on)
 *
 *	struct auth_spf res;
 *	spf_check(ip, mailfrom, helo, &res);
 *
 *	origin = spf_identity(mailfrom, helo, sender, sizeof sender,
 *			      domain, sizeof domain);
 *	spf_fill(SPF_V_SOFTFAIL, origin, domain, &res);
 * DESCRIPTION
 *	libspf2 is not linked in: spf_load() loads libspf2.so.2 with
 *	dlopen() and resolves the functions (and the log handler variables)
 *	used; the configuration calls it when SPFSelfValidate is on (at
 *	start-up, before chroot() and the privilege drop, and at each
 *	reload), so a daemon without the option does not map it.  Once
 *	loaded the library stays; spf_check() also loads it on first use.
 *
 *	spf_check() evaluates the sender for the client address ip (IPv4 or
 *	IPv6 text) and fills *res (message.h): the RFC 8601 result word
 *	(pass fail softfail neutral none temperror permerror; never
 *	"tempfail"), the ARES_RESULT_* code the history file records, the
 *	DMARC_POLICY_SPF_OUTCOME_* the library wants, the origin and the
 *	checked domain.  The identity is the MAIL FROM address, or, for a
 *	null reverse-path, "postmaster@<HELO>" (RFC 7208 section 2.4);
 *	with neither there is nothing to check and the result is none.
 *
 *	libspf2 servers live in a small pool behind a mutex: a check takes
 *	a server, uses it alone and puts it back, so concurrent milter
 *	threads never share one.  Each server resolves TXT (the SPF records)
 *	through libopendmarc's resolver: the same name servers, DNSTimeout,
 *	cache and TestDNSData answers as the DMARC lookups.  A, AAAA, MX and
 *	PTR go through libspf2's own resolver on /etc/resolv.conf.  Note
 *	that libspf2 answers pass for any loopback client address.
 *
 *	spf_identity() and spf_fill() are the pure parts: the choice of the
 *	identity (returns DMARC_POLICY_SPF_ORIGIN_MAILFROM or _HELO, 0 when
 *	there is none) and the mapping of a verdict to *res.
 * DIAGNOSTICS
 *	spf_load() returns 0, or -1 with "SPFSelfValidate: can't load
 *	libspf2.so.2: <reason>" in err.
 *	libspf2 failures (no server, bad address) give temperror, never
 *	pass.  libspf2's warnings are logged at LOG_DEBUG.
 */
#ifndef SPF_H_DAEMON
#define SPF_H_DAEMON
#include <stddef.h>

#include "message.h"

enum spf_verdict {
	SPF_V_NONE, SPF_V_NEUTRAL, SPF_V_PASS, SPF_V_FAIL, SPF_V_SOFTFAIL,
	SPF_V_TEMPERROR, SPF_V_PERMERROR
};

int spf_load(char *err, size_t errlen);
void spf_check(const char *ip, const char *mailfrom, const char *helo, struct auth_spf *res);
int spf_identity(const char *mailfrom, const char *helo, char *sender, size_t senderlen,
		 char *domain, size_t domainlen);
void spf_fill(enum spf_verdict v, int origin, const char *domain, struct auth_spf *res);

#endif
