/*
 * NAME
 *	report_agg - messages into aggregate report rows with counts
 * SYNOPSIS
 *	a = agg_new();
 *	for each message of a policy domain: fill m; agg_add(a, &m);
 *	n = agg_rows(a, &rows);	(sorted, stable across runs)
 *	agg_clear(a);	(next domain)	agg_free(&a);
 * DESCRIPTION
 *	An aggregate report has one record per distinct combination of
 *	source address, evaluated disposition, DMARC-aligned DKIM and SPF
 *	results, the policy result and ARC outcome (which decide the
 *	override reason), header_from, envelope_from, the SPF result, and
 *	the set of DKIM signatures (domain, selector, result).  agg_add()
 *	sorts a message's signatures and drops exact duplicates, so the
 *	order in which the database returns them does not matter, then
 *	counts the message into its row (a hash table keyed by an
 *	unambiguous, length-prefixed serialisation of all of the above).
 *	agg_rows() returns the rows sorted by that key; the array and rows
 *	stay valid until the next agg_add(), agg_clear() or agg_free().
 * DIAGNOSTICS
 *	None: memory comes from xalloc.
 */
#ifndef REPORT_AGG_H
#define REPORT_AGG_H
#include <stddef.h>

#define AGG_DKIM_MAX 16
#define AGG_NAME 256

struct agg_dkim {
	char domain[AGG_NAME];
	char selector[AGG_NAME];
	int result; /* ARES_RESULT_* code; -1 undefined */
};

/* What a record says, apart from DKIM. */
struct agg_fields {
	char ip[64];
	char header_from[AGG_NAME];
	char envelope_from[AGG_NAME];
	int disp;		 /* DMARC_RESULT_* action the MTA took */
	int policy;		 /* DMARC_POLICY_* evaluation result */
	int spf;		 /* ARES_RESULT_*; -1 undefined */
	int align_dkim, align_spf; /* DMARC_POLICY_*_ALIGNMENT_PASS/FAIL */
	int arc, arc_policy;	 /* ARES_RESULT_* */
};

struct agg_msg {
	struct agg_fields f;
	size_t ndkim;
	struct agg_dkim dkim[AGG_DKIM_MAX];
};

struct agg_row {
	struct agg_fields f;
	size_t ndkim;
	struct agg_dkim *dkim;
	long long count;
	char *key;
	unsigned long hash;
};

struct agg;

struct agg *agg_new(void);
void agg_add(struct agg *a, struct agg_msg *m);
size_t agg_rows(struct agg *a, const struct agg_row *const **rows);
long long agg_messages(const struct agg *a);
void agg_clear(struct agg *a);
void agg_free(struct agg **ap);

#endif
