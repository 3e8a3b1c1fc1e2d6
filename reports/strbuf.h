/*
 * NAME
 *	strbuf - a growable byte buffer, always NUL-terminated
 * SYNOPSIS
 *	struct strbuf b = STRBUF_INIT;
 *	strbuf_adds(&b, "text"); strbuf_add(&b, p, n);
 *	strbuf_printf(&b, "%d", 42);
 *	use b.s, b.len; strbuf_reset(&b); strbuf_free(&b);
 * DESCRIPTION
 *	The report builders (XML, MIME, gzip) write into one of these.
 *	Memory comes from xalloc, so appending never fails; b.s is NULL
 *	until the first append and b.len never counts the NUL.
 */
#ifndef STRBUF_H
#define STRBUF_H
#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *b, const void *p, size_t n);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reserve(struct strbuf *b, size_t more);
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
