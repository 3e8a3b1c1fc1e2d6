/*
 * xalloc - allocation that never returns NULL.  See xalloc.h.
 */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "opendmarc: out of memory allocating %zu bytes\n", size);
	abort();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size == 0 ? 1 : size);

	if (q == NULL)
		out_of_memory(size);
	return q;
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xcalloc(1, len + 1);

	memcpy(p, s, len);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}
