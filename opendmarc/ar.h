/*
 * NAME
 *	ar - Authentication-Results (RFC 8601) and Received-SPF (RFC 7208)
 *	field parsers, and the authserv-id trust test
 * SYNOPSIS
 *	struct ar_header ar = { 0 };
 *	if (ar_parse(body, len, &ar) == 0) ...
 *	ar_header_free(&ar);
 *	if (ar_id_in_list(ar.authservid, "mx.example.org, relay.example.org")) ...
 *	if (rspf_parse(body, len, &rs) == 0) ...
 * DESCRIPTION
 *	Both parsers run on tok5322 with the A-R specials ('=' and '/').
 *	ar_parse() fills authserv-id, optional version and up to
 *	AR_MAX_RESULTS resinfo entries (method, result, reason, up to
 *	AR_MAX_PROPS ptype.property=value each); comments are skipped.
 *	The header starts zeroed and may serve any number of ar_parse()
 *	calls: the result list grows as a field needs it (a field has one
 *	to a few results, so a message costs a few kB, not room for the
 *	maximum) and ar_header_free() releases it;
 *	methods and results are kept as written (unknown ones included) so
 *	callers compare them with strcasecmp().  A malformed resinfo is
 *	skipped up to the next ';' and counted in ar->skipped; values longer
 *	than the buffers are cut, never overrun.
 *	rspf_parse() takes the result word and the key=value list
 *	(identity, envelope-from, client-ip, helo) of a Received-SPF body.
 *	ar_id_in_list() compares an authserv-id (its "/jobid" suffix
 *	ignored) case-insensitively with each entry of a list separated by
 *	commas or white space.
 *	Pure: no I/O; the only allocation is the result list.
 * DIAGNOSTICS
 *	ar_parse() and rspf_parse() return 0, or -1 when the field has no
 *	usable authserv-id (A-R) or result word (Received-SPF).
 */
#ifndef AR_H
#define AR_H
#include <stddef.h>

#define AR_MAX_RESULTS 16
#define AR_MAX_PROPS 8
#define AR_WORD_MAX 64
#define AR_VALUE_MAX 256

struct ar_prop {
	char ptype[AR_WORD_MAX];    /* "smtp", "header", "policy", ... */
	char property[AR_WORD_MAX]; /* "mailfrom", "d", "from", ... */
	char value[AR_VALUE_MAX];
};

struct ar_result {
	char method[AR_WORD_MAX];
	char result[AR_WORD_MAX];
	char reason[AR_VALUE_MAX];
	size_t nprops;
	struct ar_prop props[AR_MAX_PROPS];
};

struct ar_header {
	char authservid[AR_VALUE_MAX];
	long version; /* -1: absent */
	size_t nresults;
	size_t skipped; /* malformed or excess resinfo entries */
	struct ar_result *results; /* nresults of them; grown as needed */
	size_t cap;		   /* results allocated */
};

struct rspf {
	char result[AR_WORD_MAX];
	char identity[AR_WORD_MAX];
	char envelope_from[AR_VALUE_MAX];
	char client_ip[AR_WORD_MAX];
	char helo[AR_VALUE_MAX];
};

int ar_parse(const char *body, size_t len, struct ar_header *ar);
void ar_header_free(struct ar_header *ar);
const char *ar_prop_get(const struct ar_result *r, const char *ptype, const char *property);
int ar_id_in_list(const char *id, const char *list);
int rspf_parse(const char *body, size_t len, struct rspf *rs);

#endif
