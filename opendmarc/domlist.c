/*
 * domlist - a bounded set of domain names.  See domlist.h.
 */
#include "domlist.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listfile.h"
#include "xalloc.h"

#define DOMLIST_NAME_MAX 253

struct domlist {
	char **names; /* sorted, lower case, no trailing dot */
	size_t n, cap, max;
};

struct domlist *domlist_new(size_t max)
{
	struct domlist *l = xcalloc(1, sizeof(*l));

	l->max = max;
	return l;
}

void domlist_free(struct domlist **lp)
{
	struct domlist *l = *lp;
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l);
	*lp = NULL;
}

size_t domlist_count(const struct domlist *l)
{
	return l->n;
}

/* name[0..len) as the set keeps it: lower case, without a trailing dot. */
static int normalize(const char *name, size_t len, char *out)
{
	size_t i;

	while (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > DOMLIST_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[len] = '\0';
	return 0;
}

/* Index of key, or of where it would go (*found = 0). */
static size_t search(const struct domlist *l, const char *key, int *found)
{
	size_t lo = 0, hi = l->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->names[mid], key);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert(struct domlist *l, const char *name, size_t len, char *err, size_t errlen)
{
	char key[DOMLIST_NAME_MAX + 1];
	size_t at;
	int found;

	if (normalize(name, len, key) != 0) {
		snprintf(err, errlen, "bad domain name \"%.*s\"", (int)(len > 64 ? 64 : len), name);
		return -1;
	}
	at = search(l, key, &found);
	if (found)
		return 0;
	if (l->n == l->max) {
		snprintf(err, errlen, "more than %zu domains", l->max);
		return -1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->names = xrealloc(l->names, l->cap * sizeof(*l->names));
	}
	memmove(l->names + at + 1, l->names + at, (l->n - at) * sizeof(*l->names));
	l->names[at] = xstrdup(key);
	l->n++;
	return 0;
}

int domlist_add(struct domlist *l, const char *names, char *err, size_t errlen)
{
	static const char sep[] = ", \t\r\n";
	const char *p = names;

	for (p += strspn(p, sep); *p != '\0'; p += strspn(p, sep)) {
		size_t n = strcspn(p, sep);

		if (insert(l, p, n, err, errlen) != 0)
			return -1;
		p += n;
	}
	return 0;
}

static int add_entry(void *l, const char *entry, char *why, size_t whylen)
{
	return insert(l, entry, strlen(entry), why, whylen);
}

int domlist_load(struct domlist *l, const char *path, char *err, size_t errlen)
{
	return listfile_load(path, add_entry, l, err, errlen);
}

int domlist_has(const struct domlist *l, const char *domain)
{
	char key[DOMLIST_NAME_MAX + 1];
	int found;

	if (l == NULL || normalize(domain, strlen(domain), key) != 0)
		return 0;
	(void)search(l, key, &found);
	return found;
}
