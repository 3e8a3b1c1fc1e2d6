/*
 * test_addr - domains of From field bodies, table-driven.
 * Each case gives a body (exact length, NULs included), the mailbox limit,
 * the status wanted and the domains wanted, comma-joined.  Every run also
 * checks that slots past the returned count were left untouched.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "check.h"

#define L(s) s, sizeof(s) - 1 /* a literal with its exact length, NULs included */
#define SENTINEL '\x5a'

struct addr_case {
	const char *in;
	size_t len;
	size_t max;
	enum addr_status status;
	const char *want;
};

static const struct addr_case cases[] = {
	/* the plain forms */
	{ L("user@example.com"), ADDR_MAX, ADDR_OK, "example.com" },
	{ L("\"Display, Name\" <user@Example.COM.>"), ADDR_MAX, ADDR_OK, "example.com" },
	{ L("John Smith <a@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("J. Smith <a@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("=?utf-8?q?J=C3=BCrgen?= <a@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("a@XN--BCHER-KVA.Example"), ADDR_MAX, ADDR_OK, "xn--bcher-kva.example" },
	{ L("a@b\xc3\xbc" "cher.DE"), ADDR_MAX, ADDR_OK, "b\xc3\xbc" "cher.de" },
	/* several mailboxes; CVE-2019-16378: every one counts, not the first */
	{ L("a@x.com, b@y.com"), ADDR_MAX, ADDR_OK, "x.com,y.com" },
	{ L("a@x.org, <b@y.org>, \"C\" <c@x.org>"), ADDR_MAX, ADDR_OK, "x.org,y.org,x.org" },
	{ L(", a@x.org, , b@y.org,"), ADDR_MAX, ADDR_OK, "x.org,y.org" },
	/* groups */
	{ L("undisclosed:;"), ADDR_MAX, ADDR_EMPTY, "" },
	{ L("undisclosed-recipients: (none) ;"), ADDR_MAX, ADDR_EMPTY, "" },
	{ L("grp: a@x.org, b@y.org;"), ADDR_MAX, ADDR_OK, "x.org,y.org" },
	{ L("grp: a@x.org;, c@z.org, g2:;"), ADDR_MAX, ADDR_OK, "x.org,z.org" },
	{ L("grp: a@x.org"), ADDR_MAX, ADDR_SYNTAX, "x.org" },
	{ L("g1: a@x.org; g2: b@y.org;"), ADDR_MAX, ADDR_SYNTAX, "x.org" },
	{ L("g: h: a@x.org;;"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L(": a@x.org;"), ADDR_MAX, ADDR_SYNTAX, "" },
	/* comments, quoting, folding, obsolete forms */
	{ L("(a (b) c) user(x)@(y)example.com (z)"), ADDR_MAX, ADDR_OK, "example.com" },
	{ L("a@x(c).org"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("a . b@x . org"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("\"quoted \\\"local\\\"\"@x.org"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("\"a\".\"b\"@x.org"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("\"a@evil.org\" <b@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("(a@evil.org) b@x.org"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("Name\r\n <user@\r\n\tx.org>\r\n"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("<@relay:user@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("Name <,@r1.example,@[192.0.2.1]:user@x.org>"), ADDR_MAX, ADDR_OK, "x.org" },
	{ L("<@relay user@x.org>"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("<@:user@x.org>"), ADDR_MAX, ADDR_SYNTAX, "" },
	/* mailboxes without a DMARC domain */
	{ L("user@[192.0.2.1]"), ADDR_MAX, ADDR_NO_DOMAIN, "" },
	{ L("user@[192.0.2.1], b@y.org"), ADDR_MAX, ADDR_NO_DOMAIN, "y.org" },
	{ L("<>"), ADDR_MAX, ADDR_NO_DOMAIN, "" },
	{ L("user"), ADDR_MAX, ADDR_NO_DOMAIN, "" },
	{ L("Name <user>"), ADDR_MAX, ADDR_NO_DOMAIN, "" },
	/* nothing there */
	{ L(""), ADDR_MAX, ADDR_EMPTY, "" },
	{ L("   \r\n\t "), ADDR_MAX, ADDR_EMPTY, "" },
	{ L("(just a comment)"), ADDR_MAX, ADDR_EMPTY, "" },
	{ L(", ,"), ADDR_MAX, ADDR_EMPTY, "" },
	/* unterminated constructs */
	{ L("\"unterminated@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("(unterminated a@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org (unterminated"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org, <b@y.org"), ADDR_MAX, ADDR_SYNTAX, "x.org" },
	{ L("a@x.org, (a (b) c"), ADDR_MAX, ADDR_SYNTAX, "x.org" },
	{ L("a@[1.2.3.4"), ADDR_MAX, ADDR_SYNTAX, "" },
	/* other broken mailboxes; parsing resumes after the next comma */
	{ L("a@x.org, broken@, b@y.org"), ADDR_MAX, ADDR_SYNTAX, "x.org,y.org" },
	{ L("a@x.org b@y.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org junk"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x (c) org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("\"John\" john@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a b@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org>"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org;"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org)"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("<a@x.org> trailing"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("<a@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("<<a@x.org>>"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@@x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@\"x.org\""), ADDR_MAX, ADDR_SYNTAX, "" },
	/* domain characters and dots */
	{ L("a@x_y.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x!y.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x..org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@.x.org"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org.."), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@."), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@-x-.org"), ADDR_MAX, ADDR_OK, "-x-.org" },
	/* embedded NULs: the length bounds the body, not a terminator */
	{ L("a@x.org\0"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@ex\0ample.com"), ADDR_MAX, ADDR_SYNTAX, "" },
	{ L("a@x.org\0, b@y.org"), ADDR_MAX, ADDR_SYNTAX, "y.org" },
	{ "a@x.org, b@y.org", 7, ADDR_MAX, ADDR_OK, "x.org" },
	/* limits; the status is the first problem seen */
	{ L("a@a.org, b@b.org"), 2, ADDR_OK, "a.org,b.org" },
	{ L("a@a.org, b@b.org, c@c.org"), 2, ADDR_TOO_MANY, "a.org,b.org" },
	{ L("g: a@a.org, b@b.org, c@c.org;"), 2, ADDR_TOO_MANY, "a.org,b.org" },
	{ L("a@a.org"), 0, ADDR_TOO_MANY, "" },
	{ L("<>, a@x.org, b@y.org"), 1, ADDR_NO_DOMAIN, "x.org" },
	{ L("a@, b@x.org, <>"), ADDR_MAX, ADDR_SYNTAX, "x.org" },
};

static void join(char doms[][ADDR_DOMAIN_MAX], size_t n, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, doms[i], outlen - strlen(out) - 1);
	}
}

static void run_case(const struct addr_case *tc)
{
	char doms[ADDR_MAX + 1][ADDR_DOMAIN_MAX];
	char got[2048];
	enum addr_status st = (enum addr_status)-1;
	size_t n, i;

	memset(doms, SENTINEL, sizeof(doms));
	n = addr_from_domains(tc->in, tc->len, doms, tc->max, &st);
	CHECK(n <= tc->max, "%s: %zu domains, max %zu", tc->want, n, tc->max);
	join(doms, n, got, sizeof(got));
	CHECK_STR(got, tc->want, tc->in);
	CHECK_INT(st, tc->status, tc->in);
	for (i = n; i < ADDR_MAX + 1; i++)
		CHECK(doms[i][0] == SENTINEL, "%s: slot %zu written", tc->in, i);
}

/* name of exactly len bytes: 63-byte labels, never ending in a dot */
static void make_domain(char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = i % 64 == 63 ? '.' : 'a';
	if (len > 0 && buf[len - 1] == '.')
		buf[len - 1] = 'b';
	buf[len] = '\0';
}

static void test_long_domains(void)
{
	static const struct {
		size_t len;
		int dot;
		enum addr_status status;
	} lens[] = {
		{ 253, 0, ADDR_OK }, { 255, 0, ADDR_OK }, { 255, 1, ADDR_OK },
		{ 256, 0, ADDR_SYNTAX }, { 256, 1, ADDR_SYNTAX },
		{ 300, 0, ADDR_SYNTAX }, { 5000, 0, ADDR_SYNTAX },
	};
	char body[5100], name[5010], doms[ADDR_MAX][ADDR_DOMAIN_MAX];
	enum addr_status st;
	size_t i, n;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		make_domain(name, lens[i].len);
		snprintf(body, sizeof(body), "a@%s%s", name, lens[i].dot ? "." : "");
		n = addr_from_domains(body, strlen(body), doms, ADDR_MAX, &st);
		CHECK_INT(st, lens[i].status, "long domain status");
		CHECK_INT(n, lens[i].status == ADDR_OK, "long domain count");
		if (n == 1)
			CHECK_STR(doms[0], name, "long domain");
	}
}

static void test_null_arguments(void)
{
	char doms[1][ADDR_DOMAIN_MAX];
	enum addr_status st;

	CHECK_INT(addr_from_domains(NULL, 10, doms, 1, &st), 0, "NULL body");
	CHECK_INT(st, ADDR_EMPTY, "NULL body status");
	CHECK_INT(addr_from_domains("a@x.org", 7, NULL, 1, &st), 0, "NULL doms");
	CHECK_INT(st, ADDR_TOO_MANY, "NULL doms status");
	CHECK_INT(addr_from_domains("a@x.org", 7, doms, 1, NULL), 1, "NULL status");
	CHECK_STR(doms[0], "x.org", "NULL status domain");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_long_domains();
	test_null_arguments();
	return check_done("test_addr");
}
