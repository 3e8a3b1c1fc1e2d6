/*
 * NAME
 *	xmlw - a small streaming XML writer with escaping
 * SYNOPSIS
 *	xmlw_init(&w, &buf);		(writes the XML declaration)
 *	xmlw_open(&w, "feedback", "xmlns=\"urn:...\"");
 *	xmlw_leaf(&w, "org_name", org); xmlw_leaff(&w, "count", "%lld", n);
 *	xmlw_close(&w);	...	xmlw_finish(&w);
 *	xmlw_escape(&buf, text);
 * DESCRIPTION
 *	Elements are indented two spaces per level; text goes through
 *	xmlw_escape(): & < > " ' become entities, characters XML 1.0 does
 *	not allow (C0 controls other than TAB, LF, CR) and bytes that are
 *	not well-formed UTF-8 become '?', so any string from the database
 *	yields a well-formed document.  Element names and the attribute
 *	text given to xmlw_open() are the caller's constants, not escaped.
 * DIAGNOSTICS
 *	xmlw_finish() returns 0 when every element was closed, -1 when the
 *	nesting was wrong (a programming error the tests catch).
 */
#ifndef XMLW_H
#define XMLW_H
#include "strbuf.h"

#define XMLW_DEPTH 16

struct xmlw {
	struct strbuf *out;
	const char *open[XMLW_DEPTH];
	int depth, bad;
};

void xmlw_init(struct xmlw *w, struct strbuf *out);
void xmlw_open(struct xmlw *w, const char *name, const char *attrs);
void xmlw_close(struct xmlw *w);
void xmlw_leaf(struct xmlw *w, const char *name, const char *text);
void xmlw_leaff(struct xmlw *w, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xmlw_finish(struct xmlw *w);
void xmlw_escape(struct strbuf *out, const char *text);

#endif
