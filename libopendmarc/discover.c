/*
 * NAME
 *	discover - finding the DMARC record and the organizational domain
 * SYNOPSIS
 *	#include "discover.h"
 * DESCRIPTION
 *	Each call runs a "walker": the normalised name, the names to query in
 *	order (each a suffix of the name), and what each query answered, so
 *	no name is asked twice in one call.
 *
 *	Which answers count as a record: the callback's DISCOVER_FOUND, text
 *	starting with "v=DMARC1" (record_is_dmarc()), and record_parse()
 *	accepting it.  RFC 9989 4.10 discards answers without the version
 *	tag; a DMARC record that record_parse() rejects (no valid p and no
 *	valid rua, a syntax error) is not a "valid DMARC Policy Record"
 *	(4.10.1) either, so we treat it as no record at that name and walk
 *	on: a broken record at a subdomain does not switch off the policy of
 *	the organization above it, and it neither stops the walk nor counts
 *	in the psd rules.  NXDOMAIN is no record.  A temporary failure of any
 *	query, at any step, ends the call with DISCOVER_TEMPFAIL: never "no
 *	record".
 *
 *	discover_psl() (RFC 7489 6.6.3): the From domain, then, when the
 *	public suffix list gives a different organizational domain, that
 *	one.  res->org is the PSL organizational domain, or the name itself
 *	when the name is a public suffix or no list is given.
 *
 *	discover_org_treewalk() (RFC 9989 4.10 and 4.10.2): query the name;
 *	then, for a name of 8 or more labels, its 7-label suffix, else its
 *	parent; then one label less at a time down to the one-label name (a
 *	bare TLD may be queried, the root never is): at most 8 queries.  The
 *	walk stops at the first record with a psd tag, the start included.
 *	Then: a psd=n record names the organizational domain; a psd=y record
 *	at a name other than the start makes it the name one label below
 *	(towards the start; when the walk jumped to 7 labels this can be a
 *	name that was not queried); otherwise the record with the fewest
 *	labels wins; with no record at all, the name itself.  A psd=y record
 *	at the start stops the walk, leaving the start as its own
 *	organizational domain.
 *
 *	discover_treewalk() (RFC 9989 4.10.1) runs that same walk from the
 *	From domain and takes as policy record the From domain's own, else
 *	the organizational domain's, else the psd=y record's (the Public
 *	Suffix Domain).  A record at a name between the From domain and the
 *	organizational domain is not a policy record for it; this is the
 *	RFC's list of three places, not "the first record met".  res->org is
 *	the organizational domain, so one walk of at most 8 queries serves
 *	both.
 *
 *	Names are normalised with domain_normalize() first; one that is not
 *	a domain name has no record (DISCOVER_NONE, no query made).
 *	Each call overwrites the result; discover_result_free() releases the
 *	parsed record.
 * DIAGNOSTICS
 *	DISCOVER_FOUND: res->rec, res->txt and res->found_at describe the
 *	policy record (parse_status DMARC_PARSE_OKAY).  DISCOVER_NONE: no
 *	usable record; when an unusable DMARC record was met, found_at, txt
 *	and parse_status (the record_parse() error) describe the first one,
 *	else found_at is "" and parse_status DMARC_PARSE_ERROR_EMPTY.
 *	DISCOVER_TEMPFAIL: a query failed temporarily, memory ran out, or
 *	lk, its fetch or res is NULL; org, found_at and txt are then "".
 *	res->queries counts the lookups made in every case.
 *	discover_org_treewalk() returns DISCOVER_FOUND when a record decided
 *	the organizational domain, DISCOVER_NONE when the name is its own
 *	(no record; org is "" for a name that is not a domain or does not
 *	fit), or DISCOVER_TEMPFAIL (org is "").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "dmarc.h"
#include "domain.h"
#include "psl.h"

#define WALK_MAX 8         /* RFC 9989: at most 8 queries */
#define WALK_JUMP_LABELS 7 /* names of 8+ labels jump to 7 */

struct answer {
	enum discover_status status; /* FOUND only for a usable record */
	int asked;
	int dmarc;        /* the text starts with v=DMARC1 */
	int usable;       /* ... and record_parse() accepts it */
	int psd;          /* its psd tag: 'y', 'n' or '\0' */
	int parse_status; /* record_parse() result, when dmarc */
	char txt[DISCOVER_TXT_MAX];
};

/* ~33 kB with its answers: the public functions put it on the heap, so a
 * milter thread's stack does not keep that much memory touched */
struct walker {
	const struct discover_lookup *lk;
	char name[DISCOVER_NAME_MAX];
	const char *target[WALK_MAX]; /* suffixes of name, in query order */
	size_t count;
	struct answer ans[WALK_MAX];
	int queries;
};

/* What the RFC 9989 4.10.2 rules made of a walk. */
struct org_pick {
	const char *org; /* a suffix of the walker's name */
	int org_rec;     /* target index of org's usable record, or -1 */
	int psd_rec;     /* target index of the psd=y record, or -1 */
};

/* The suffix of name made of its last k labels (k >= 1). */
static const char *suffix_labels(const char *name, size_t k)
{
	size_t n = domain_label_count(name);

	while (n-- > k && name != NULL)
		name = domain_parent(name);
	return name;
}

static int walker_init(struct walker *w, const struct discover_lookup *lk, const char *domain)
{
	w->lk = lk;
	w->count = 0;
	w->queries = 0;
	for (size_t i = 0; i < WALK_MAX; i++)
		w->ans[i].asked = 0;
	if (domain == NULL)
		return -1;
	return domain_normalize(domain, strlen(domain), w->name, sizeof w->name);
}

static void walker_add(struct walker *w, const char *target)
{
	if (w->count < WALK_MAX && target != NULL)
		w->target[w->count++] = target;
}

/* RFC 9989 4.10: the name, its 7-label suffix if longer, then upward. */
static void walker_tree(struct walker *w)
{
	const char *p = w->name;

	walker_add(w, p);
	if (domain_label_count(p) > WALK_JUMP_LABELS)
		p = suffix_labels(p, WALK_JUMP_LABELS);
	else
		p = domain_parent(p);
	for (; p != NULL; p = domain_parent(p))
		walker_add(w, p);
}

/* Sort a DMARC TXT answer: usable or not, and its psd tag. */
static void classify(struct answer *a)
{
	size_t len = strlen(a->txt);
	struct record rec;

	a->status = DISCOVER_NONE;
	if (!record_is_dmarc(a->txt, len))
		return;
	a->dmarc = 1;
	memset(&rec, 0, sizeof rec);
	a->parse_status = record_parse(a->txt, len, &rec);
	if (a->parse_status == DMARC_PARSE_OKAY) {
		a->status = DISCOVER_FOUND;
		a->usable = 1;
		a->psd = rec.psd;
	} else if (a->parse_status == DMARC_PARSE_ERROR_NO_ALLOC) {
		a->status = DISCOVER_TEMPFAIL; /* out of memory is no answer */
	}
	record_free(&rec);
}

/* The answer for target i, asking the callback only the first time. */
static enum discover_status ask(struct walker *w, size_t i)
{
	struct answer *a = &w->ans[i];
	enum discover_status st;

	if (a->asked)
		return a->status;
	a->asked = 1;
	a->dmarc = a->usable = a->psd = 0;
	a->txt[0] = '\0';
	st = w->lk->fetch(w->lk->ctx, w->target[i], a->txt, sizeof a->txt);
	a->txt[sizeof a->txt - 1] = '\0';
	w->queries++;
	a->status = (st == DISCOVER_TEMPFAIL) ? st : DISCOVER_NONE;
	if (st == DISCOVER_FOUND)
		classify(a);
	return a->status;
}

/* psd=y at target i > 0: org is the name one label below it. */
static void pick_below_psd(const struct walker *w, size_t i, struct org_pick *p)
{
	p->psd_rec = (int)i;
	p->org = suffix_labels(w->name, domain_label_count(w->target[i]) + 1);
	for (size_t j = 0; j < i; j++)
		if (w->target[j] == p->org && w->ans[j].usable)
			p->org_rec = (int)j;
}

/*
 * RFC 9989 4.10.2 over the walker's targets, from the name upward; the
 * walk stops at the first record with a psd tag (4.10 steps 2 and 6).
 * DISCOVER_FOUND when a record decided, NONE when org is the name itself.
 */
static enum discover_status org_walk(struct walker *w, struct org_pick *p)
{
	int fewest = -1;

	p->org = w->name;
	p->org_rec = p->psd_rec = -1;
	for (size_t i = 0; i < w->count; i++) {
		const struct answer *a = &w->ans[i];

		if (ask(w, i) == DISCOVER_TEMPFAIL)
			return DISCOVER_TEMPFAIL;
		if (!a->usable)
			continue;
		if (a->psd == 'y' && i > 0) {
			pick_below_psd(w, i, p);
			return DISCOVER_FOUND;
		}
		fewest = (int)i;
		if (a->psd == 'n' || a->psd == 'y')
			break;
	}
	if (fewest < 0)
		return DISCOVER_NONE;
	p->org = w->target[fewest];
	p->org_rec = fewest;
	return DISCOVER_FOUND;
}

static void result_reset(struct discover_result *res)
{
	memset(res, 0, sizeof *res);
	res->parse_status = DMARC_PARSE_ERROR_EMPTY;
}

/* No policy record: describe the first unusable DMARC record, if any. */
static void result_note(struct discover_result *res, const struct walker *w)
{
	for (size_t i = 0; i < w->count; i++) {
		const struct answer *a = &w->ans[i];

		if (a->asked && a->dmarc && !a->usable) {
			domain_copy(res->found_at, sizeof res->found_at, w->target[i]);
			domain_copy(res->txt, sizeof res->txt, a->txt);
			res->parse_status = a->parse_status;
			return;
		}
	}
}

/* The record of target idx (-1: none) becomes the policy record. */
static enum discover_status result_fill(struct discover_result *res, const struct walker *w,
					int idx)
{
	const struct answer *a;

	if (idx < 0) {
		result_note(res, w);
		return DISCOVER_NONE;
	}
	a = &w->ans[idx];
	res->parse_status = record_parse(a->txt, strlen(a->txt), &res->rec);
	if (res->parse_status != DMARC_PARSE_OKAY) {
		record_free(&res->rec);
		memset(&res->rec, 0, sizeof res->rec);
		return DISCOVER_TEMPFAIL; /* it parsed a moment ago: out of memory */
	}
	domain_copy(res->found_at, sizeof res->found_at, w->target[idx]);
	domain_copy(res->txt, sizeof res->txt, a->txt);
	return DISCOVER_FOUND;
}

static enum discover_status finish(const struct walker *w, struct discover_result *res,
				   enum discover_status st)
{
	res->queries = w->queries;
	if (st == DISCOVER_TEMPFAIL) {
		discover_result_free(res);
		res->found_at[0] = '\0';
		res->txt[0] = '\0';
		res->org[0] = '\0';
	}
	return st;
}

static int lookup_ok(const struct discover_lookup *lk)
{
	return lk != NULL && lk->fetch != NULL;
}

/* RFC 9989 4.10.1: the Author Domain's record, else its org domain's, else its PSD's. */
static int policy_index(const struct walker *w, const struct org_pick *p)
{
	if (w->ans[0].usable)
		return 0;
	if (p->org_rec >= 0)
		return p->org_rec;
	return p->psd_rec;
}

static enum discover_status treewalk_with(struct walker *w, const struct discover_lookup *lk,
					  const char *domain, struct discover_result *res)
{
	struct org_pick pick;

	if (res == NULL)
		return DISCOVER_TEMPFAIL;
	result_reset(res);
	if (!lookup_ok(lk))
		return DISCOVER_TEMPFAIL;
	if (walker_init(w, lk, domain) < 0)
		return DISCOVER_NONE;
	walker_tree(w);
	if (org_walk(w, &pick) == DISCOVER_TEMPFAIL)
		return finish(w, res, DISCOVER_TEMPFAIL);
	domain_copy(res->org, sizeof res->org, pick.org);
	return finish(w, res, result_fill(res, w, policy_index(w, &pick)));
}

enum discover_status discover_treewalk(const struct discover_lookup *lk, const char *domain,
				       struct discover_result *res)
{
	struct walker *w = malloc(sizeof(*w));
	enum discover_status st;

	if (w == NULL)
		return DISCOVER_TEMPFAIL;
	st = treewalk_with(w, lk, domain, res);
	free(w);
	return st;
}

/* RFC 7489 6.6.3: the name, then its PSL org domain; res->org is set. */
static void walker_psl(struct walker *w, const struct psl *list, struct discover_result *res)
{
	size_t n = strlen(w->name), o;

	walker_add(w, w->name);
	if (psl_org_domain(list, w->name, res->org, sizeof res->org) < 0) {
		domain_copy(res->org, sizeof res->org, w->name);
		return;
	}
	o = strlen(res->org);
	if (o < n && w->name[n - o - 1] == '.' && strcmp(w->name + n - o, res->org) == 0)
		walker_add(w, w->name + n - o);
}

static enum discover_status psl_with(struct walker *w, const struct discover_lookup *lk,
				     const struct psl *list, const char *domain,
				     struct discover_result *res)
{

	if (res == NULL)
		return DISCOVER_TEMPFAIL;
	result_reset(res);
	if (!lookup_ok(lk))
		return DISCOVER_TEMPFAIL;
	if (walker_init(w, lk, domain) < 0)
		return DISCOVER_NONE;
	walker_psl(w, list, res);
	for (size_t i = 0; i < w->count; i++) {
		enum discover_status st = ask(w, i);

		if (st == DISCOVER_TEMPFAIL)
			return finish(w, res, st);
		if (st == DISCOVER_FOUND)
			return finish(w, res, result_fill(res, w, (int)i));
	}
	return finish(w, res, result_fill(res, w, -1));
}

enum discover_status discover_psl(const struct discover_lookup *lk, const struct psl *list,
				  const char *domain, struct discover_result *res)
{
	struct walker *w = malloc(sizeof(*w));
	enum discover_status st;

	if (w == NULL)
		return DISCOVER_TEMPFAIL;
	st = psl_with(w, lk, list, domain, res);
	free(w);
	return st;
}

static enum discover_status org_treewalk_with(struct walker *w, const struct discover_lookup *lk,
					      const char *domain, char *org, size_t orglen)
{
	struct org_pick pick;
	enum discover_status st;

	if (org == NULL || orglen == 0)
		return DISCOVER_TEMPFAIL;
	org[0] = '\0';
	if (!lookup_ok(lk))
		return DISCOVER_TEMPFAIL;
	if (walker_init(w, lk, domain) < 0)
		return DISCOVER_NONE;
	walker_tree(w);
	st = org_walk(w, &pick);
	if (st == DISCOVER_TEMPFAIL)
		return st;
	if (strlen(pick.org) >= orglen)
		return DISCOVER_NONE;
	domain_copy(org, orglen, pick.org);
	return st;
}

enum discover_status discover_org_treewalk(const struct discover_lookup *lk, const char *domain,
					   char *org, size_t orglen)
{
	struct walker *w = malloc(sizeof(*w));
	enum discover_status st;

	if (w == NULL)
		return DISCOVER_TEMPFAIL;
	st = org_treewalk_with(w, lk, domain, org, orglen);
	free(w);
	return st;
}

void discover_result_free(struct discover_result *res)
{
	if (res == NULL)
		return;
	if (res->parse_status == DMARC_PARSE_OKAY)
		record_free(&res->rec);
	memset(&res->rec, 0, sizeof res->rec);
	res->parse_status = DMARC_PARSE_ERROR_EMPTY;
}
