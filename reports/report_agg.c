/*
 * NAME
 *	report_agg - grouping messages into report rows
 * DESCRIPTION
 *	Contract in report_agg.h.  Rows live in an array (in first-seen
 *	order) and an open-addressing index of row numbers that doubles
 *	when half full; agg_rows() sorts a pointer array by key.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_agg.h"
#include "strbuf.h"
#include "xalloc.h"

struct agg {
	struct agg_row *rows;
	size_t nrows, cap;
	size_t *index; /* row number + 1; 0 = empty slot */
	size_t nindex;
	const struct agg_row **sorted;
	long long messages;
	struct strbuf key;
};

struct agg *agg_new(void)
{
	struct agg *a = xcalloc(1, sizeof *a);

	a->nindex = 64;
	a->index = xcalloc(a->nindex, sizeof *a->index);
	return a;
}

static int dkim_cmp(const void *x, const void *y)
{
	const struct agg_dkim *a = x, *b = y;
	int c = strcmp(a->domain, b->domain);

	if (c == 0)
		c = strcmp(a->selector, b->selector);
	return c != 0 ? c : (a->result > b->result) - (a->result < b->result);
}

/* Sort the signatures and drop exact duplicates. */
static void normalize_dkim(struct agg_msg *m)
{
	size_t i, n = 0;

	if (m->ndkim > AGG_DKIM_MAX)
		m->ndkim = AGG_DKIM_MAX;
	qsort(m->dkim, m->ndkim, sizeof m->dkim[0], dkim_cmp);
	for (i = 0; i < m->ndkim; i++)
		if (n == 0 || dkim_cmp(&m->dkim[n - 1], &m->dkim[i]) != 0)
			m->dkim[n++] = m->dkim[i];
	m->ndkim = n;
}

static void key_str(struct strbuf *k, const char *s)
{
	strbuf_printf(k, "%zu:%s", strlen(s), s);
}

static void make_key(struct strbuf *k, const struct agg_msg *m)
{
	const struct agg_fields *f = &m->f;
	size_t i;

	strbuf_reset(k);
	key_str(k, f->ip);
	key_str(k, f->header_from);
	key_str(k, f->envelope_from);
	strbuf_printf(k, "%d,%d,%d,%d,%d,%d,%d;", f->disp, f->policy, f->spf, f->align_dkim,
		      f->align_spf, f->arc, f->arc_policy);
	for (i = 0; i < m->ndkim; i++) {
		key_str(k, m->dkim[i].domain);
		key_str(k, m->dkim[i].selector);
		strbuf_printf(k, "%d;", m->dkim[i].result);
	}
}

static unsigned long hash_key(const char *s, size_t n)
{
	unsigned long h = 2166136261UL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619UL;
	return h;
}

/* The slot holding key, or the empty slot where it belongs. */
static size_t find_slot(const struct agg *a, const char *key, unsigned long h)
{
	size_t mask = a->nindex - 1, i = h & mask;

	while (a->index[i] != 0) {
		const struct agg_row *r = &a->rows[a->index[i] - 1];

		if (r->hash == h && strcmp(r->key, key) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void grow_index(struct agg *a)
{
	size_t i;

	free(a->index);
	a->nindex *= 2;
	a->index = xcalloc(a->nindex, sizeof *a->index);
	for (i = 0; i < a->nrows; i++)
		a->index[find_slot(a, a->rows[i].key, a->rows[i].hash)] = i + 1;
}

static void new_row(struct agg *a, const struct agg_msg *m, unsigned long h)
{
	struct agg_row *r;

	if (a->nrows == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->rows = xrealloc(a->rows, a->cap * sizeof *a->rows);
	}
	r = &a->rows[a->nrows++];
	memset(r, 0, sizeof *r);
	r->f = m->f;
	r->ndkim = m->ndkim;
	r->dkim = xcalloc(m->ndkim, sizeof *r->dkim);
	memcpy(r->dkim, m->dkim, m->ndkim * sizeof *r->dkim);
	r->key = xstrndup(a->key.s, a->key.len);
	r->hash = h;
}

void agg_add(struct agg *a, struct agg_msg *m)
{
	unsigned long h;
	size_t slot;

	normalize_dkim(m);
	make_key(&a->key, m);
	h = hash_key(a->key.s, a->key.len);
	slot = find_slot(a, a->key.s, h);
	if (a->index[slot] == 0) {
		new_row(a, m, h);
		a->index[slot] = a->nrows;
		if (a->nrows * 2 > a->nindex)
			grow_index(a);
	}
	a->rows[a->index[find_slot(a, a->key.s, h)] - 1].count++;
	a->messages++;
}

static int row_cmp(const void *x, const void *y)
{
	const struct agg_row *const *a = x, *const *b = y;

	return strcmp((*a)->key, (*b)->key);
}

size_t agg_rows(struct agg *a, const struct agg_row *const **rows)
{
	size_t i;

	free(a->sorted);
	a->sorted = xcalloc(a->nrows, sizeof *a->sorted);
	for (i = 0; i < a->nrows; i++)
		a->sorted[i] = &a->rows[i];
	qsort(a->sorted, a->nrows, sizeof *a->sorted, row_cmp);
	*rows = a->sorted;
	return a->nrows;
}

long long agg_messages(const struct agg *a)
{
	return a->messages;
}

void agg_clear(struct agg *a)
{
	size_t i;

	for (i = 0; i < a->nrows; i++) {
		free(a->rows[i].dkim);
		free(a->rows[i].key);
	}
	a->nrows = 0;
	a->messages = 0;
	memset(a->index, 0, a->nindex * sizeof *a->index);
	free(a->sorted);
	a->sorted = NULL;
}

void agg_free(struct agg **ap)
{
	struct agg *a = *ap;

	if (a == NULL)
		return;
	agg_clear(a);
	free(a->rows);
	free(a->index);
	strbuf_free(&a->key);
	free(a);
	*ap = NULL;
}
