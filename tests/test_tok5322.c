/*
 * test_tok5322 - the RFC 5322 tokenizer, table-driven.
 * Each case lexes an input to the end and renders the token stream as
 * "KIND:text" words (A atom, Q quoted string, D domain literal, S
 * special; bytes outside printable ASCII as \xHH) with "!" for the -1 of
 * an unterminated construct, then compares the rendering.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tok5322.h"

#define L(s) s, sizeof(s) - 1 /* a literal with its exact length, NULs included */

struct tok_case {
	const char *in;
	size_t len;
	unsigned flags;
	const char *want;
};

static const struct tok_case cases[] = {
	{ L(""), 0, "" },
	{ L("  \r\n\t (c) "), 0, "" },
	{ L("user@example.com"), 0, "A:user S:@ A:example.com" },
	{ L(" \r\n\tuser \r\n "), 0, "A:user" },
	{ L("\"Display, Name\" <u@x>"), 0, "Q:Display, Name S:< A:u S:@ A:x S:>" },
	{ L("\"a\\\"b\"@x"), 0, "Q:a\\\"b S:@ A:x" },
	{ L("\"\""), 0, "Q:" },
	{ L("\"(not a comment)\""), 0, "Q:(not a comment)" },
	{ L("(a (b) c)x"), 0, "A:x" },
	{ L("(a \\( b)x"), 0, "A:x" },
	{ L("(\"a) b"), 0, "A:b" },
	{ L("a(b)c"), 0, "A:a A:c" },
	{ L("(a (b) c"), 0, "!" },
	{ L("x (a \\)"), 0, "A:x !" },
	{ L("\"abc"), 0, "!" },
	{ L("\"abc\\"), 0, "!" },
	{ L("\"a\\\""), 0, "!" },
	{ L("[192.0.2.1]"), 0, "D:192.0.2.1" },
	{ L("[a\\]b]"), 0, "D:a\\]b" },
	{ L("[1.2"), 0, "!" },
	{ L("a . b"), 0, "A:a A:. A:b" },
	{ L("x.org."), 0, "A:x.org." },
	{ L("a\0b"), 0, "A:a S:\\x00 A:b" },
	{ L("a\x7f"), 0, "A:a S:\\x7f" },
	{ L(")]\\"), 0, "S:) S:] S:\\" },
	{ L("a:b;c,d"), 0, "A:a S:: A:b S:; A:c S:, A:d" },
	{ L("\xc3\x9c@x"), 0, "A:\\xc3\\x9c S:@ A:x" },
	{ L("!#$%&'*+-/=?^_`{|}~"), 0, "A:!#$%&'*+-/=?^_`{|}~" },
	{ L("dkim=pass header.d=x/y"), 0, "A:dkim=pass A:header.d=x/y" },
	{ L("dkim=pass header.d=x/y"), TOK5322_AR_SPECIALS,
	  "A:dkim S:= A:pass A:header.d S:= A:x S:/ A:y" },
	{ L("i=@x.org"), TOK5322_AR_SPECIALS, "A:i S:= S:@ A:x.org" },
};

static void append(char *out, size_t outlen, const char *s, size_t n)
{
	size_t used = strlen(out);

	if (n > outlen - 1 - used)
		n = outlen - 1 - used;
	memcpy(out + used, s, n);
	out[used + n] = '\0';
}

static void append_text(char *out, size_t outlen, const char *s, size_t n)
{
	char hex[5];
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			append(out, outlen, s + i, 1);
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", c);
		append(out, outlen, hex, 4);
	}
}

static const char *render(const struct tok_case *tc, char *out, size_t outlen)
{
	static const char kinds[] = "AQDS";
	struct tok5322_cursor cur;
	struct tok5322 tok;
	int rc;

	out[0] = '\0';
	tok5322_init(&cur, tc->in, tc->len, tc->flags);
	while ((rc = tok5322_next(&cur, &tok)) > 0) {
		CHECK(tok.start >= tc->in && tok.start + tok.len <= tc->in + tc->len,
		      "token outside the buffer for \"%s\"", tc->want);
		if (out[0] != '\0')
			append(out, outlen, " ", 1);
		append(out, outlen, &kinds[tok.kind], 1);
		append(out, outlen, ":", 1);
		append_text(out, outlen, tok.start, tok.len);
	}
	if (rc < 0) {
		append(out, outlen, out[0] != '\0' ? " !" : "!", out[0] != '\0' ? 2 : 1);
		CHECK_INT(tok5322_next(&cur, &tok), 0, "call after -1");
	}
	return out;
}

/* The special character is reported in tok.special, and only for specials. */
static void test_special_field(void)
{
	struct tok5322_cursor cur;
	struct tok5322 tok;

	tok5322_init(&cur, L("a@"), 0);
	CHECK_INT(tok5322_next(&cur, &tok), 1, "atom");
	CHECK_INT(tok.special, '\0', "atom special");
	CHECK_INT(tok5322_next(&cur, &tok), 1, "special");
	CHECK_INT(tok.special, '@', "special char");
	CHECK_INT(tok5322_next(&cur, &tok), 0, "end");
	CHECK_INT(tok5322_next(&cur, &tok), 0, "end again");
}

static void test_null_buffer(void)
{
	struct tok5322_cursor cur;
	struct tok5322 tok;

	tok5322_init(&cur, NULL, 0, 0);
	CHECK_INT(tok5322_next(&cur, &tok), 0, "NULL buffer");
}

int main(void)
{
	char out[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(render(&cases[i], out, sizeof(out)), cases[i].want, cases[i].want);
	test_special_field();
	test_null_buffer();
	return check_done("test_tok5322");
}
