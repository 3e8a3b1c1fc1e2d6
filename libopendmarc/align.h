/*
 * NAME
 *	align - identifier alignment (RFC 7489 3.1, RFC 9989 4.4)
 * DESCRIPTION
 *	Strict: the two names are the same FQDN (case-insensitive, trailing
 *	dot ignored).  Relaxed: the two organizational domains, computed by
 *	the caller, are equal and non-empty.  Never "one ends with the other".
 */
#ifndef ALIGN_H
#define ALIGN_H

int align_strict(const char *from_domain, const char *auth_domain);
int align_relaxed(const char *from_org, const char *auth_org);

#endif
