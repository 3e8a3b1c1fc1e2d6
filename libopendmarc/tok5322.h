/*
 * NAME
 *	tok5322 - the one RFC 5322 lexical tokenizer
 * SYNOPSIS
 *	tok5322_init(&cur, buf, len); while (tok5322_next(&cur, &tok) > 0) ...
 * DESCRIPTION
 *	Splits a header field body into atoms (dot-atoms included), quoted
 *	strings, domain literals and single special characters, skipping
 *	folding white space and (nested) comments.  Every header parser of
 *	the project (From, Authentication-Results, Received-SPF, ARC) is
 *	built on it.  Pure: no allocation, no I/O; tokens point into buf.
 * DIAGNOSTICS
 *	tok5322_next() returns 1 for a token, 0 at the end, -1 on an
 *	unterminated quoted string, comment or domain literal.
 */
#ifndef TOK5322_H
#define TOK5322_H
#include <stddef.h>

enum tok5322_kind {
	TOK5322_ATOM,     /* atext run, dots included ("a.b.c") */
	TOK5322_QSTRING,  /* "..." ; start/len exclude the quotes */
	TOK5322_DLITERAL, /* [...] ; start/len exclude the brackets */
	TOK5322_SPECIAL   /* one of ()<>[]:;@\,." and = / for A-R */
};

struct tok5322 {
	enum tok5322_kind kind;
	const char *start;
	size_t len;
	char special;      /* the character, for TOK5322_SPECIAL */
};

struct tok5322_cursor {
	const char *pos;
	const char *end;
	unsigned flags;
};

/* flags: treat '=' and '/' as specials (Authentication-Results method specs) */
#define TOK5322_AR_SPECIALS 0x1

void tok5322_init(struct tok5322_cursor *cur, const char *buf, size_t len, unsigned flags);
int tok5322_next(struct tok5322_cursor *cur, struct tok5322 *tok);

#endif
