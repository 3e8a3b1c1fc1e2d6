/*
 * test_domain - normalisation (ASCII and IDNA) and the label helpers.
 */
#include "config.h"

#include <string.h>

#include "check.h"
#include "domain.h"

#define L10 "abcdefghij"
#define L63 L10 L10 L10 L10 L10 L10 "abc"
#define L64 L63 "d"
/* 63+1+63+1+63+1+61 = 253 bytes */
#define N253 L63 "." L63 "." L63 "." L10 L10 L10 L10 L10 L10 "a"
#define N254 L63 "." L63 "." L63 "." L10 L10 L10 L10 L10 L10 "ab"

struct norm_case {
	const char *in;
	size_t inlen;    /* 0: strlen(in) */
	const char *out; /* NULL: must fail */
	size_t outlen;   /* 0: 256 */
};

static const struct norm_case norm_cases[] = {
	{"example.com", 0, "example.com", 0},
	{"Example.COM", 0, "example.com", 0},
	{"example.com.", 0, "example.com", 0},
	{"com", 0, "com", 0},
	{"_dmarc.Example.com", 0, "_dmarc.example.com", 0},
	{"my_host.example-1.com", 0, "my_host.example-1.com", 0},
	{"xn--bcher-kva.example", 0, "xn--bcher-kva.example", 0},
	{"example.com.trailing", 11, "example.com", 0},
	{"example.com..", 0, NULL, 0},
	{"", 0, NULL, 0},
	{".", 0, NULL, 0},
	{".example.com", 0, NULL, 0},
	{"a..example.com", 0, NULL, 0},
	{"a b.com", 0, NULL, 0},
	{"user@example.com", 0, NULL, 0},
	{"exa!mple.com", 0, NULL, 0},
	{"[192.0.2.1]", 0, NULL, 0},
	{"exa\0mple.com", 12, NULL, 0},
	{L63 ".com", 0, L63 ".com", 0},
	{L64 ".com", 0, NULL, 0},
	{N253, 0, N253, 0},
	{N253 ".", 0, N253, 0},
	{N254, 0, NULL, 0},
	{"example.com", 0, NULL, 11},
	{"example.com", 0, "example.com", 12},
	/* U-labels: IDNA2008, UTS #46 non-transitional mapping */
	{"bücher.example", 0, "xn--bcher-kva.example", 0},
	{"BÜCHER.Example.", 0, "xn--bcher-kva.example", 0},
	{"faß.de", 0, "xn--fa-hia.de", 0},
	{"例え.テスト", 0, "xn--r8jz45g.xn--zckzah", 0},
	{"食狮.公司.cn", 0, "xn--85x722f.xn--55qx5d.cn", 0},
	{"example。com", 0, "example.com", 0},
	{"bücher.example", 0, NULL, 21},
	{"\xff.com", 0, NULL, 0},
	{"b\xc3", 0, NULL, 0},
	{"bü cher.example", 0, NULL, 0},
};

static void test_normalize(void)
{
	for (size_t i = 0; i < sizeof norm_cases / sizeof norm_cases[0]; i++) {
		const struct norm_case *c = &norm_cases[i];
		char out[300], ctx[600];
		size_t inlen = c->inlen ? c->inlen : strlen(c->in);
		size_t outlen = c->outlen ? c->outlen : 256;
		int rc = domain_normalize(c->in, inlen, out, outlen);

		snprintf(ctx, sizeof ctx, "normalize #%zu \"%.60s\"", i, c->in);
		if (c->out == NULL) {
			CHECK(rc == -1, "%s: got \"%s\", want failure", ctx, out);
			continue;
		}
		CHECK_INT(rc, 0, ctx);
		if (rc == 0)
			CHECK_STR(out, c->out, ctx);
	}
	CHECK_INT(domain_normalize(NULL, 3, (char[8]){0}, 8), -1, "NULL input");
	CHECK_INT(domain_normalize("a.b", 3, NULL, 8), -1, "NULL output");
}

struct count_case {
	const char *name;
	size_t labels;
	const char *parent; /* NULL: no parent */
};

static const struct count_case count_cases[] = {
	{"", 0, NULL},
	{"com", 1, NULL},
	{"com.", 1, NULL},
	{"example.com", 2, "com"},
	{"example.com.", 2, "com."},
	{"a.b.c.d.e.f.g.h.i.j.example.com", 12, "b.c.d.e.f.g.h.i.j.example.com"},
	{"_dmarc.example.com", 3, "example.com"},
};

static void test_labels(void)
{
	for (size_t i = 0; i < sizeof count_cases / sizeof count_cases[0]; i++) {
		const struct count_case *c = &count_cases[i];
		const char *p = domain_parent(c->name);

		CHECK_INT(domain_label_count(c->name), c->labels, c->name);
		if (c->parent == NULL)
			CHECK(p == NULL, "parent of \"%s\": got \"%s\", want none", c->name, p);
		else
			CHECK(p != NULL && strcmp(p, c->parent) == 0, "parent of \"%s\": got \"%s\"",
			      c->name, p ? p : "(none)");
	}
	CHECK_INT(domain_label_count(NULL), 0, "count NULL");
	CHECK(domain_parent(NULL) == NULL, "parent of NULL");
}

struct equal_case {
	const char *a, *b;
	int want;
};

static const struct equal_case equal_cases[] = {
	{"example.com", "example.com", 1},
	{"Example.COM", "example.com.", 1},
	{"example.com.", "EXAMPLE.com", 1},
	{"a", "a.", 1},
	{"example.com", "example.co", 0},
	{"example.com", "xexample.com", 0},
	{"example.com", "sub.example.com", 0},
	{"example.com.", "example.com..", 0},
	{"example.com", NULL, 0},
	{NULL, NULL, 0},
};

static void test_equal(void)
{
	for (size_t i = 0; i < sizeof equal_cases / sizeof equal_cases[0]; i++) {
		const struct equal_case *c = &equal_cases[i];
		char ctx[300];

		snprintf(ctx, sizeof ctx, "equal(%s, %s)", c->a ? c->a : "NULL", c->b ? c->b : "NULL");
		CHECK_INT(domain_equal(c->a, c->b), c->want, ctx);
		CHECK_INT(domain_equal(c->b, c->a), c->want, ctx);
	}
}

static void test_copy(void)
{
	char buf[8];

	domain_copy(buf, sizeof buf, "a.example");
	CHECK_STR(buf, "a.examp", "cut to fit");
	domain_copy(buf, sizeof buf, "b.ex");
	CHECK_STR(buf, "b.ex", "whole");
	domain_copy(buf, 1, "c.example");
	CHECK_STR(buf, "", "room for the NUL only");
}

int main(void)
{
	test_normalize();
	test_labels();
	test_equal();
	test_copy();
	return check_done("test_domain");
}
