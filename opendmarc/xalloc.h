/*
 * NAME
 *	xalloc - allocation that never returns NULL
 * SYNOPSIS
 *	p = xcalloc(n, size); s = xstrdup(str); s = xstrndup(str, len);
 * DESCRIPTION
 *	On exhaustion the process logs and aborts: a milter that cannot
 *	allocate a few hundred bytes cannot do anything useful, and the
 *	MTA's milter_default_action then decides the message's fate.
 */
#ifndef XALLOC_H
#define XALLOC_H
#include <stddef.h>

void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif
