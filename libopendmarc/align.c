/*
 * NAME
 *	align - identifier alignment (RFC 7489 3.1, RFC 9989 4.4)
 * SYNOPSIS
 *	#include "align.h"
 * DESCRIPTION
 *	align_strict() is true when both names are the same FQDN; the
 *	comparison is ASCII case-insensitive with one trailing dot ignored
 *	(domain_equal()).  align_relaxed() is true when the two
 *	organizational domains, which the caller computed with the PSL or
 *	the DNS tree walk, are equal.  An empty or missing name never
 *	aligns, not even with another empty one, and there is no suffix
 *	matching of any kind: "evilexample.com" does not align with
 *	"example.com", nor does "example.com" with "sub.example.com" under
 *	strict mode.  Pure: no I/O.
 * DIAGNOSTICS
 *	1 when aligned, 0 otherwise.
 */
#include "config.h"

#include <stddef.h>

#include "align.h"
#include "domain.h"

static int usable(const char *name)
{
	return name != NULL && name[0] != '\0' && name[0] != '.';
}

int align_strict(const char *from_domain, const char *auth_domain)
{
	if (!usable(from_domain) || !usable(auth_domain))
		return 0;
	return domain_equal(from_domain, auth_domain);
}

int align_relaxed(const char *from_org, const char *auth_org)
{
	if (!usable(from_org) || !usable(auth_org))
		return 0;
	return domain_equal(from_org, auth_org);
}
