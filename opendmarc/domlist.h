/*
 * NAME
 *	domlist - a bounded set of domain names (DomainWhitelist)
 * SYNOPSIS
 *	struct domlist *l = domlist_new(3000);
 *	domlist_add(l, "lists.example.org, forwarder.example", err, sizeof err);
 *	domlist_load(l, "/etc/opendmarc/whitelist", err, sizeof err);
 *	if (domlist_has(l, "Lists.Example.ORG.")) ...
 *	domlist_free(&l);
 * DESCRIPTION
 *	Names are compared case-insensitively, a trailing dot ignored;
 *	each name matches itself only (no subdomains).  domlist_add() takes
 *	names separated by commas or white space; domlist_load() reads a
 *	file of them (listfile.h: one reader for both list files).  The set is kept sorted, so a
 *	lookup is a binary search; a set that was built is only read, and
 *	may be shared by threads.
 * DIAGNOSTICS
 *	domlist_add() and domlist_load() return 0, or -1 with err set: a
 *	name longer than 253 bytes, a file that cannot be read, more names
 *	than the maximum given to domlist_new().
 */
#ifndef DOMLIST_H
#define DOMLIST_H
#include <stddef.h>

struct domlist;

struct domlist *domlist_new(size_t max);
int domlist_add(struct domlist *l, const char *names, char *err, size_t errlen);
int domlist_load(struct domlist *l, const char *path, char *err, size_t errlen);
int domlist_has(const struct domlist *l, const char *domain);
size_t domlist_count(const struct domlist *l);
void domlist_free(struct domlist **lp);

#endif
