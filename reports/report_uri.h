/*
 * NAME
 *	report_uri - the mailto: destinations of a rua= list
 * SYNOPSIS
 *	n = rua_parse(repuri, dests, RUA_MAX, &skipped);
 *	limit = rua_size("10m");
 * DESCRIPTION
 *	repuri is the comma-separated list the importer stores (or one URI).
 *	Each "mailto:addr[!size[k|m|g|t]]" becomes a struct rua_dest: the
 *	address percent-decoded (RFC 3986; "%21" and "%2C" are how a "!"
 *	or "," inside an address is written, RFC 7489 6.2), hfields after
 *	"?" ignored, and the size limit in bytes (0: none; units are powers
 *	of 1024).  Other schemes and malformed URIs are counted in *skipped.
 *	Addresses are lower-cased in the domain part and kept otherwise;
 *	one that repeats an earlier address is dropped (the smaller limit
 *	wins).
 * DIAGNOSTICS
 *	rua_parse() returns the number of destinations stored (at most
 *	max).  rua_size() returns the limit or -1 for a malformed size.
 */
#ifndef REPORT_URI_H
#define REPORT_URI_H
#include <stddef.h>

#define RUA_MAX 16
#define RUA_ADDR 256

struct rua_dest {
	char addr[RUA_ADDR];
	char domain[RUA_ADDR]; /* the part after the last '@' */
	long long maxbytes;    /* 0: no limit */
};

size_t rua_parse(const char *list, struct rua_dest *dests, size_t max, size_t *skipped);
long long rua_size(const char *s);

#endif
