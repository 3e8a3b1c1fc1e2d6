/*
 * NAME
 *	hostlist - the IgnoreHosts list: addresses, CIDR blocks, host names
 * SYNOPSIS
 *	struct hostlist *h = hostlist_new();
 *	hostlist_add(h, "192.0.2.0/24", err, sizeof err);
 *	hostlist_load(h, "/etc/opendmarc/ignore.hosts", err, sizeof err);
 *	if (hostlist_match(h, "192.0.2.7", "mx.example.org")) ...
 *	hostlist_free(&h);
 * DESCRIPTION
 *	An entry is an IPv4 or IPv6 address (IPv6 optionally in brackets),
 *	either with an optional "/prefix", or a host name matched case-
 *	insensitively against the client's name ("*.example.org" and
 *	".example.org" match every name below example.org).  A leading '!'
 *	negates the entry: a client is matched when some plain entry matches
 *	and no negated one does.  hostlist_load() reads one entry a line
 *	(several separated by white space or commas are fine), '#' comments.
 * DIAGNOSTICS
 *	hostlist_add() and hostlist_load() return 0, or -1 with err set.
 */
#ifndef HOSTLIST_H
#define HOSTLIST_H
#include <stddef.h>

struct hostlist;

struct hostlist *hostlist_new(void);
int hostlist_add(struct hostlist *h, const char *entry, char *err, size_t errlen);
int hostlist_load(struct hostlist *h, const char *path, char *err, size_t errlen);
int hostlist_match(const struct hostlist *h, const char *ip, const char *hostname);
size_t hostlist_count(const struct hostlist *h);
void hostlist_free(struct hostlist **hp);

#endif
