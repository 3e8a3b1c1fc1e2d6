/*
 * NAME
 *	xmlw - streaming XML writer
 * DESCRIPTION
 *	Contract in xmlw.h.  utf8_len() checks one UTF-8 sequence (no
 *	overlongs, no surrogates, at most U+10FFFF) so that escaping can
 *	copy valid sequences whole and replace anything else.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xmlw.h"

void xmlw_init(struct xmlw *w, struct strbuf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

static void indent(struct xmlw *w)
{
	int i;

	for (i = 0; i < w->depth; i++)
		strbuf_adds(w->out, "  ");
}

void xmlw_open(struct xmlw *w, const char *name, const char *attrs)
{
	indent(w);
	strbuf_printf(w->out, "<%s%s%s>\n", name, attrs != NULL ? " " : "",
		      attrs != NULL ? attrs : "");
	if (w->depth >= XMLW_DEPTH) {
		w->bad = 1;
		return;
	}
	w->open[w->depth++] = name;
}

void xmlw_close(struct xmlw *w)
{
	if (w->depth == 0) {
		w->bad = 1;
		return;
	}
	w->depth--;
	indent(w);
	strbuf_printf(w->out, "</%s>\n", w->open[w->depth]);
}

void xmlw_leaf(struct xmlw *w, const char *name, const char *text)
{
	indent(w);
	strbuf_printf(w->out, "<%s>", name);
	xmlw_escape(w->out, text);
	strbuf_printf(w->out, "</%s>\n", name);
}

void xmlw_leaff(struct xmlw *w, const char *name, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	xmlw_leaf(w, name, text);
}

int xmlw_finish(struct xmlw *w)
{
	return w->depth == 0 && !w->bad ? 0 : -1;
}

/* Length of the well-formed UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0], min, cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	default:
		return NULL;
	}
}

void xmlw_escape(struct strbuf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p != '\0') {
		const char *e = entity(*p);
		size_t n = utf8_len(p);

		if (e != NULL)
			strbuf_adds(out, e);
		else if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r'))
			strbuf_addc(out, '?');
		else
			strbuf_add(out, p, n);
		p += n == 0 ? 1 : n;
	}
}
