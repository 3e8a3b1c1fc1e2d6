/*
 * NAME
 *	domain - domain name normalisation and label helpers
 * SYNOPSIS
 *	if (domain_normalize(in, inlen, out, sizeof out) == 0) ...
 * DESCRIPTION
 *	domain_normalize() lower-cases, removes one trailing dot, converts
 *	U-labels to A-labels (IDNA2008 via libidn2) and checks the result is
 *	a host name: labels of 1..63 bytes, at most 253 bytes in all.
 *	domain_label_count() counts labels; domain_parent() returns a pointer
 *	to the name with its left-most label removed (NULL at the last one);
 *	domain_equal() compares case-insensitively ignoring a trailing dot.
 *	domain_copy() copies a NUL-terminated name (or address) into
 *	dst[dstlen], cut to fit and always terminated.
 *	Pure: no I/O.
 * DIAGNOSTICS
 *	domain_normalize() returns 0, or -1 when the input is not a domain.
 */
#ifndef DOMAIN_H
#define DOMAIN_H
#include <stddef.h>

int domain_normalize(const char *in, size_t inlen, char *out, size_t outlen);
size_t domain_label_count(const char *name);
const char *domain_parent(const char *name);
int domain_equal(const char *a, const char *b);
void domain_copy(char *dst, size_t dstlen, const char *src);

#endif
