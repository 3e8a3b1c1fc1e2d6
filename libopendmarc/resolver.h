/*
 * NAME
 *	resolver - the only module that talks DNS
 * SYNOPSIS
 *	resolver_configure(nscount, nsaddrs, timeout_seconds);
 *	st = resolver_txt("_dmarc.example.com", &list);
 *	st = resolver_exists("sub.example.com");
 *	st = resolver_dmarc_fetch(NULL, "example.com", rec, sizeof rec);
 * DESCRIPTION
 *	TXT lookups through glibc's libresolv (res_nmkquery/res_nsend on a
 *	per-call res_state) with a real per-query timeout, the configured
 *	name servers (port included) or /etc/resolv.conf's, character-strings
 *	of one record joined, CNAME chains followed (at most 8 hops), answers
 *	cached in-process for their TTL (bounded size, thread safe).  Names
 *	given to resolver_fake() answer from memory first (tests).
 *	resolver_dmarc_fetch() has the discover.h callback shape: TXT at
 *	_dmarc.<domain>, non-DMARC strings skipped, two or more DMARC records
 *	mean no record.
 *	resolver_exists() asks A, AAAA and MX: NXDOMAIN only when the name
 *	does not exist (RFC 9989 np).
 * DIAGNOSTICS
 *	RESOLVER_OK, RESOLVER_NXDOMAIN, RESOLVER_NODATA, RESOLVER_TEMPFAIL
 *	(SERVFAIL, REFUSED, NOTIMP - libresolv hides which - timeout,
 *	truncation, malformed answer), RESOLVER_PERMFAIL (FORMERR, a name
 *	that cannot be asked, a CNAME chain longer than 8 or looping).
 *	Fakes follow OpenDMARC: once any exists, only fakes answer.
 */
#ifndef RESOLVER_H
#define RESOLVER_H
#include <stddef.h>
#include <netinet/in.h>
#include "discover.h"

enum resolver_status {
	RESOLVER_OK, RESOLVER_NXDOMAIN, RESOLVER_NODATA, RESOLVER_TEMPFAIL, RESOLVER_PERMFAIL
};

#define RESOLVER_TXT_MAX 16

struct resolver_txt_list {
	size_t count;
	char *txt[RESOLVER_TXT_MAX]; /* each record's strings joined, NUL-terminated */
};

void resolver_configure(int nscount, const struct sockaddr_in *nsaddrs, int timeout_seconds);
void resolver_fake(const char *name, const char *answer);
void resolver_shutdown(void); /* frees cache and fakes */
enum resolver_status resolver_txt(const char *name, struct resolver_txt_list *out);
void resolver_txt_list_free(struct resolver_txt_list *list);
enum resolver_status resolver_exists(const char *name);
enum discover_status resolver_dmarc_fetch(void *ctx, const char *domain, char *rec, size_t reclen);

#endif
