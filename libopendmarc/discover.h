/*
 * NAME
 *	discover - finding the DMARC record and the organizational domain
 * SYNOPSIS
 *	status = discover_psl(&lookup, psl, domain, &res);      RFC 7489 6.6.3
 *	status = discover_treewalk(&lookup, domain, &res);      RFC 9989 4.10.1
 *	status = discover_org_treewalk(&lookup, domain, org, n) RFC 9989 4.10.2
 * DESCRIPTION
 *	Pure policy logic over a lookup callback, so tests and fuzzers drive
 *	it without DNS.  The callback answers for _dmarc.<domain>: exactly one
 *	record starting with v=DMARC1 (DISCOVER_FOUND, copied to rec), none
 *	or several (DISCOVER_NONE), the name does not exist
 *	(DISCOVER_NXDOMAIN), or a temporary failure (DISCOVER_TEMPFAIL).
 *	discover_psl(): the From domain, then its PSL org domain if different.
 *	discover_treewalk(): the From domain, then its ancestors, at most 8
 *	queries (names of 8+ labels jump to 7 labels).
 *	discover_org_treewalk(): the org domain per the psd= rules: the first
 *	psd=n record; else one label below the first psd=y record above the
 *	start; else the record with the fewest labels; else the name itself.
 *	The record found is parsed into res->rec (record.h) when usable.
 * DIAGNOSTICS
 *	DISCOVER_FOUND, DISCOVER_NONE or DISCOVER_TEMPFAIL (any temporary
 *	failure during the walk: never reported as "no record").
 */
#ifndef DISCOVER_H
#define DISCOVER_H
#include <stddef.h>
#include "record.h"

#define DISCOVER_TXT_MAX 4096
#define DISCOVER_NAME_MAX 256

enum discover_status { DISCOVER_FOUND, DISCOVER_NONE, DISCOVER_NXDOMAIN, DISCOVER_TEMPFAIL };

struct discover_lookup {
	enum discover_status (*fetch)(void *ctx, const char *domain, char *rec, size_t reclen);
	void *ctx;
};

struct discover_result {
	char found_at[DISCOVER_NAME_MAX]; /* domain whose _dmarc record is used */
	char org[DISCOVER_NAME_MAX];      /* organizational domain, "" if unknown */
	char txt[DISCOVER_TXT_MAX];       /* the record text */
	int queries;                      /* DNS lookups made */
	int parse_status;                 /* record_parse() result */
	struct record rec;                /* valid when parse_status is OKAY */
};

struct psl;
enum discover_status discover_psl(const struct discover_lookup *lk, const struct psl *list,
				  const char *domain, struct discover_result *res);
enum discover_status discover_treewalk(const struct discover_lookup *lk, const char *domain,
				       struct discover_result *res);
enum discover_status discover_org_treewalk(const struct discover_lookup *lk, const char *domain,
					   char *org, size_t orglen);
void discover_result_free(struct discover_result *res);

#endif
