/*
 * NAME
 *	taglist - the one "tag=value; tag=value" parser (RFC 7489 6.4, RFC 6376 3.2)
 * SYNOPSIS
 *	n = taglist_parse(buf, len, pairs, TAGLIST_MAX, &err);
 * DESCRIPTION
 *	Splits buf on ';' into tag=value pairs, trimming white space (SP, HTAB,
 *	and CRLF folding) around tags and values.  A trailing ';' and empty
 *	specs are allowed.  Tag names must be ALPHA *(ALPHA / DIGIT / "_" / "-").
 *	Pairs point into buf.  Pure: no allocation, no I/O.  Used for DMARC
 *	records and DKIM/ARC style header fields.
 * DIAGNOSTICS
 *	Returns the number of pairs, or -1 with *err set to a static reason
 *	(a spec without '=', a bad tag name, more than max pairs).
 */
#ifndef TAGLIST_H
#define TAGLIST_H
#include <stddef.h>

#define TAGLIST_MAX 32

struct taglist_pair {
	const char *tag;
	size_t tag_len;
	const char *value;
	size_t value_len;
};

int taglist_parse(const char *buf, size_t len, struct taglist_pair *pairs, size_t max,
		  const char **err);
/* case-insensitive comparison of a pair's tag with name */
int taglist_tag_is(const struct taglist_pair *pair, const char *name);

#endif
