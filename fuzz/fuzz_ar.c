/*
 * fuzz_ar - the Authentication-Results parser (ar_parse), the property
 * look-up (ar_prop_get) and the authserv-id trust test (ar_id_in_list)
 * of opendmarc/ar.c.  The input is one field body, any bytes, in a
 * buffer of exactly its size (no terminating NUL: reading past len is
 * a heap overflow the sanitizer reports).  Invariants, abort() on breach:
 *	ar_parse returns 0 with a non-empty authserv-id, or -1; every
 *	string of the result is NUL-terminated inside its array; at most
 *	AR_MAX_RESULTS results of at most AR_MAX_PROPS properties; a second
 *	parse of the same bytes gives the same result;
 *	ar_prop_get finds each stored (ptype, property) pair, case-blind;
 *	ar_id_in_list finds an id without separators in a list holding it,
 *	whatever its case and "/jobid" suffix, and never in an empty list.
 * The input is also split at its first NUL or newline into an id and a
 * list for ar_id_in_list.  No state survives a call.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void terminated(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
}

static void check_result(const struct ar_result *r)
{
	size_t i;

	terminated(r->method, sizeof r->method);
	terminated(r->result, sizeof r->result);
	terminated(r->reason, sizeof r->reason);
	if (r->nprops > AR_MAX_PROPS)
		abort();
	for (i = 0; i < r->nprops; i++) {
		const struct ar_prop *p = &r->props[i];
		char upper[AR_WORD_MAX];
		size_t k;

		terminated(p->ptype, sizeof p->ptype);
		terminated(p->property, sizeof p->property);
		terminated(p->value, sizeof p->value);
		if (ar_prop_get(r, p->ptype, p->property) == NULL)
			abort();
		for (k = 0; p->property[k] != '\0'; k++)
			upper[k] = (char)toupper((unsigned char)p->property[k]);
		upper[k] = '\0';
		if (ar_prop_get(r, p->ptype, upper) == NULL)
			abort();
	}
	if (ar_prop_get(r, "no-such-ptype.", "x") != NULL)
		abort();
}

/* an id with no list separator and no '/' must be found in "a, ID/1 b" */
static void check_own_id(const char *id)
{
	char list[AR_VALUE_MAX + 64];
	size_t i, n = strlen(id);

	if (n == 0 || strpbrk(id, ", \t/") != NULL)
		return;
	if (ar_id_in_list(id, "") || ar_id_in_list(id, ", \t,"))
		abort();
	for (i = 0; i < n && i < AR_VALUE_MAX; i++)
		list[i] = (char)((i & 1) ? tolower((unsigned char)id[i]) : toupper((unsigned char)id[i]));
	list[i] = '\0';
	if (!ar_id_in_list(id, list))
		abort();
	snprintf(list, sizeof list, "first.example, %s\tlast.example", id);
	if (!ar_id_in_list(id, list))
		abort();
}

static void check_parse(const char *body, size_t len)
{
	struct ar_header ah = { 0 }, bh = { 0 }, *a = &ah, *b = &bh;
	int ra, rb;
	size_t i;

	ra = ar_parse(body, len, a);
	if (ra != 0 && ra != -1)
		abort();
	terminated(a->authservid, sizeof a->authservid);
	if ((ra == 0) != (a->authservid[0] != '\0'))
		abort();
	if (a->nresults > AR_MAX_RESULTS)
		abort();
	for (i = 0; i < a->nresults; i++)
		check_result(&a->results[i]);
	if (ra == 0)
		check_own_id(a->authservid);
	rb = ar_parse(body, len, b);
	if (rb != ra || strcmp(a->authservid, b->authservid) != 0 || a->version != b->version ||
	    a->nresults != b->nresults || a->skipped != b->skipped)
		abort();
	for (i = 0; i < a->nresults; i++)
		if (strcmp(a->results[i].method, b->results[i].method) != 0 ||
		    strcmp(a->results[i].result, b->results[i].result) != 0 ||
		    a->results[i].nprops != b->results[i].nprops)
			abort();
	ar_header_free(a);
	ar_header_free(b);
}

/* "id<NUL or LF>list": both as C strings */
static void check_list(const uint8_t *data, size_t size)
{
	const uint8_t *cut = memchr(data, '\n', size);
	const uint8_t *nul = memchr(data, '\0', size);
	size_t idlen;
	char *id, *list;

	if (nul != NULL && (cut == NULL || nul < cut))
		cut = nul;
	if (cut == NULL)
		return;
	idlen = (size_t)(cut - data);
	id = malloc(idlen + 1);
	list = malloc(size - idlen);
	if (id == NULL || list == NULL)
		abort();
	memcpy(id, data, idlen);
	id[idlen] = '\0';
	memcpy(list, cut + 1, size - idlen - 1);
	list[size - idlen - 1] = '\0';
	(void)ar_id_in_list(id, list);
	(void)ar_id_in_list(list, id);
	free(id);
	free(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_parse((const char *)data, size);
	check_list(data, size);
	return 0;
}
