/*
 * NAME
 *	report_uri - rua= mailto: URIs
 * DESCRIPTION
 *	Contract in report_uri.h.  split_next() walks the list; one_uri()
 *	turns one element into a destination.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_uri.h"

long long rua_size(const char *s)
{
	static const char units[] = "kmgt";
	const char *u;
	char *end;
	unsigned long long v;
	int shift;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || v > (1ULL << 40))
		return -1;
	if (*end == '\0')
		return (long long)v;
	u = strchr(units, tolower((unsigned char)*end));
	if (u == NULL || end[1] != '\0')
		return -1;
	shift = 10 * (int)(u - units + 1);
	if (v > (1ULL << (62 - shift)))
		return -1;
	return (long long)(v << shift);
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Percent-decode n bytes of src into dst; -1 for bad escapes or bytes. */
static int decode(const char *src, size_t n, char *dst, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)src[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n || (hi = hexval((unsigned char)src[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)src[i + 2])) < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || o + 1 >= size)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

static int one_uri(const char *uri, size_t n, struct rua_dest *d)
{
	const char *p = uri, *end = uri + n, *stop, *at;
	char size[32];
	size_t i;

	if (n < 7 || strncasecmp(p, "mailto:", 7) != 0)
		return -1;
	p += 7;
	for (stop = p; stop < end && *stop != '!' && *stop != '?'; stop++)
		;
	if (decode(p, (size_t)(stop - p), d->addr, sizeof d->addr) != 0)
		return -1;
	at = strrchr(d->addr, '@');
	if (at == NULL || at == d->addr || at[1] == '\0')
		return -1;
	for (i = (size_t)(at - d->addr) + 1; d->addr[i] != '\0'; i++)
		d->addr[i] = (char)tolower((unsigned char)d->addr[i]);
	strcpy(d->domain, at + 1);
	d->maxbytes = 0;
	if (stop < end && *stop == '!') {
		const char *q = stop + 1, *qe = memchr(q, '?', (size_t)(end - q));
		size_t len = (size_t)((qe != NULL ? qe : end) - q);

		if (len == 0 || len >= sizeof size)
			return -1;
		memcpy(size, q, len);
		size[len] = '\0';
		if ((d->maxbytes = rua_size(size)) <= 0)
			return -1;
	}
	return 0;
}

/* The next element of the list as [*s, *e), white space trimmed. */
static const char *split_next(const char *p, const char **s, const char **e)
{
	const char *comma = strchr(p, ',');
	const char *next = comma != NULL ? comma + 1 : p + strlen(p);

	*s = p;
	*e = comma != NULL ? comma : next;
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
	return *next == '\0' && comma == NULL ? NULL : next;
}

static int merge(struct rua_dest *dests, size_t n, const struct rua_dest *d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(dests[i].addr, d->addr) != 0)
			continue;
		if (d->maxbytes > 0 && (dests[i].maxbytes == 0 || d->maxbytes < dests[i].maxbytes))
			dests[i].maxbytes = d->maxbytes;
		return 1;
	}
	return 0;
}

size_t rua_parse(const char *list, struct rua_dest *dests, size_t max, size_t *skipped)
{
	const char *p = list, *s, *e;
	size_t n = 0;

	*skipped = 0;
	while (p != NULL && *p != '\0') {
		struct rua_dest d;

		p = split_next(p, &s, &e);
		if (s == e)
			continue;
		if (one_uri(s, (size_t)(e - s), &d) != 0)
			(*skipped)++;
		else if (!merge(dests, n, &d) && n < max)
			dests[n++] = d;
	}
	return n;
}
