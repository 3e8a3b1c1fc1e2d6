/*
 * fuzz_received_spf - the Received-SPF parser (rspf_parse) of
 * opendmarc/ar.c.  The input is one field body, any bytes, in a buffer
 * of exactly its size (reading past len is a heap overflow the sanitizer
 * reports).  Invariants, abort() on breach: rspf_parse returns 0 with a
 * non-empty result word, or -1 with every field empty; every field is
 * NUL-terminated inside its array; a second parse gives the same fields;
 * the body with "; identity=mailfrom" appended (when it is printable
 * ASCII with no unterminated comment, quoted string or domain literal,
 * which would swallow the addition) parses with that identity when the
 * first parse succeeded.  No state survives a call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void terminated(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
}

static void check_fields(const struct rspf *rs)
{
	terminated(rs->result, sizeof rs->result);
	terminated(rs->identity, sizeof rs->identity);
	terminated(rs->envelope_from, sizeof rs->envelope_from);
	terminated(rs->client_ip, sizeof rs->client_ip);
	terminated(rs->helo, sizeof rs->helo);
}

static int same(const struct rspf *a, const struct rspf *b)
{
	return strcmp(a->result, b->result) == 0 && strcmp(a->identity, b->identity) == 0 &&
	       strcmp(a->envelope_from, b->envelope_from) == 0 &&
	       strcmp(a->client_ip, b->client_ip) == 0 && strcmp(a->helo, b->helo) == 0;
}

/* 1 when the body is printable ASCII whose comments, quoted strings and
 * domain literals are all closed: text after it is then read as usual */
static int balanced(const char *s, size_t n)
{
	size_t i;
	int depth = 0, quoted = 0, literal = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c < 0x20 && c != '\t') || c > 0x7e)
			return 0; /* leave the tokenizer's byte rules alone */
		if (c == '\\') {
			/* a quoted-pair only inside a quoted string, comment or literal */
			if ((!quoted && !literal && depth == 0) || ++i == n)
				return 0;
		} else if (quoted) {
			quoted = c != '"';
		} else if (literal) {
			literal = c != ']';
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth-- == 0)
				return 0;
		} else if (depth == 0 && c == '"') {
			quoted = 1;
		} else if (depth == 0 && c == '[') {
			literal = 1;
		}
	}
	return depth == 0 && !quoted && !literal;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char tail[] = "; identity=mailfrom";
	struct rspf a, b;
	const char *body = (const char *)data;
	char *more;
	int ra;

	ra = rspf_parse(body, size, &a);
	if (ra != 0 && ra != -1)
		abort();
	check_fields(&a);
	if ((ra == 0) != (a.result[0] != '\0'))
		abort();
	if (ra != 0 && (a.identity[0] || a.envelope_from[0] || a.client_ip[0] || a.helo[0]))
		abort();
	if (rspf_parse(body, size, &b) != ra || !same(&a, &b))
		abort();
	if (ra == 0 && balanced(body, size)) {
		more = malloc(size + sizeof tail - 1);
		if (more == NULL)
			abort();
		memcpy(more, body, size);
		memcpy(more + size, tail, sizeof tail - 1);
		if (rspf_parse(more, size + sizeof tail - 1, &b) != 0 ||
		    strcmp(b.identity, "mailfrom") != 0)
			abort();
		free(more);
	}
	return 0;
}
