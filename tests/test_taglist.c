/*
 * test_taglist - table-driven tests of the tag=value parser (taglist.h).
 * Each case gives the input (with an explicit length when it holds NUL
 * bytes), the expected return value, and the pairs rendered as
 * "tag=value|tag=value" with bytes outside 0x20..0x7e shown as \xHH.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "taglist.h"

/* a literal and its length, for inputs holding NUL bytes */
#define L(s) s, sizeof(s) - 1

struct parse_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	int want;   /* return value */
	const char *pairs;
};

static const struct parse_case parse_cases[] = {
	{ "", 0, 0, "" },
	{ "   ", 0, 0, "" },
	{ ";", 0, 0, "" },
	{ " ; ;; \t;", 0, 0, "" },
	{ "v=DMARC1", 0, 1, "v=DMARC1" },
	{ "v=DMARC1; p=none", 0, 2, "v=DMARC1|p=none" },
	{ "v=DMARC1; p=none;", 0, 2, "v=DMARC1|p=none" },
	{ "v=DMARC1; p=none; ", 0, 2, "v=DMARC1|p=none" },
	{ "v=DMARC1;; p=none;;", 0, 2, "v=DMARC1|p=none" },
	{ "  v = DMARC1 ;\tp\t=\treject\t", 0, 2, "v=DMARC1|p=reject" },
	/* CRLF folding around tags and values */
	{ "v=DMARC1;\r\n p=none;\r\n\trua=\r\n mailto:a@b", 0, 3,
	  "v=DMARC1|p=none|rua=mailto:a@b" },
	/* inner white space stays in the value */
	{ "rua=mailto:a@b ,\r\n mailto:c@d", 0, 1, "rua=mailto:a@b ,\\x0d\\x0a mailto:c@d" },
	/* empty values are allowed */
	{ "a=; b= ;c=", 0, 3, "a=|b=|c=" },
	/* only the first '=' splits */
	{ "x=a=b", 0, 1, "x=a=b" },
	/* case is kept as written */
	{ "V=DMARC1; P=Reject", 0, 2, "V=DMARC1|P=Reject" },
	{ "a_1=x; B2=y", 0, 2, "a_1=x|B2=y" },
	/* NUL bytes are data; the length bounds the buffer */
	{ L("v=DMARC1; p=no\0ne"), 2, "v=DMARC1|p=no\\x00ne" },
	{ L("v=DMARC1\0; p=none"), 2, "v=DMARC1\\x00|p=none" },
	{ "v=DMARC1; p=none; junk", 16, 2, "v=DMARC1|p=none" },
	/* malformed */
	{ "v=DMARC1; p", 0, -1, NULL },
	{ "v=DMARC1; p;", 0, -1, NULL },
	{ "novalue", 0, -1, NULL },
	{ "=x", 0, -1, NULL },
	{ " = x", 0, -1, NULL },
	{ "1a=x", 0, -1, NULL },
	{ "_a=x", 0, -1, NULL },
	{ "a b=x", 0, -1, NULL },
	/* extension tag names with "-" are accepted (and ignored by record) */
	{ "a-b=x", 0, 1, "a-b=x" },
	{ "-a=x", 0, -1, NULL },
	{ L("a\0=x"), -1, NULL },
	{ "v=DMARC1; p=none; x", 0, -1, NULL },
};

/* Append n bytes to out (size bytes), always NUL-terminated, clipped. */
static void put(char *out, size_t size, const char *s, size_t n)
{
	size_t used = strlen(out);

	if (n > size - 1 - used)
		n = size - 1 - used;
	memcpy(out + used, s, n);
	out[used + n] = '\0';
}

/* Render pairs as "tag=value|..." into out. */
static void render(const struct taglist_pair *pairs, int n, char *out, size_t size)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct taglist_pair *p = &pairs[i];
		size_t j;

		if (i > 0)
			put(out, size, "|", 1);
		put(out, size, p->tag, p->tag_len);
		put(out, size, "=", 1);
		for (j = 0; j < p->value_len; j++) {
			unsigned char c = (unsigned char)p->value[j];
			char hex[8];

			if (c < 0x20 || c > 0x7e) {
				snprintf(hex, sizeof hex, "\\x%02x", c);
				put(out, size, hex, strlen(hex));
			} else {
				put(out, size, p->value + j, 1);
			}
		}
	}
}

static void test_parse_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		struct taglist_pair pairs[TAGLIST_MAX];
		const char *err = NULL;
		size_t len = c->len ? c->len : strlen(c->in);
		char got[512];
		int n;

		n = taglist_parse(c->in, len, pairs, TAGLIST_MAX, &err);
		CHECK_INT(n, c->want, c->in);
		if (n < 0) {
			CHECK(err != NULL, "%s: no reason given", c->in);
			continue;
		}
		CHECK(err == NULL, "%s: reason \"%s\" on success", c->in, err);
		render(pairs, n, got, sizeof got);
		if (c->pairs != NULL)
			CHECK_STR(got, c->pairs, c->in);
	}
}

/* The max argument bounds the output array. */
static void test_max(void)
{
	struct taglist_pair pairs[3];
	const char *err = NULL;
	char many[TAGLIST_MAX * 8 + 16];
	size_t used = 0;
	int i;

	CHECK_INT(taglist_parse("a=1;b=2;c=3", 11, pairs, 3, &err), 3, "exactly max");
	CHECK_INT(taglist_parse("a=1;b=2;c=3;d=4", 15, pairs, 3, &err), -1, "max + 1");
	CHECK(err != NULL && strstr(err, "many") != NULL, "max + 1: reason %s", err);
	CHECK_INT(taglist_parse("a=1", 3, pairs, 0, &err), -1, "max 0");
	CHECK_INT(taglist_parse("", 0, NULL, 0, &err), 0, "empty, no array");

	for (i = 0; i <= TAGLIST_MAX; i++)
		used += (size_t)snprintf(many + used, sizeof many - used, "t%d=x;", i);
	{
		struct taglist_pair big[TAGLIST_MAX];

		CHECK_INT(taglist_parse(many, used, big, TAGLIST_MAX, &err), -1,
			  "TAGLIST_MAX + 1 tags");
	}
}

static void test_bad_arguments(void)
{
	struct taglist_pair pairs[2];
	const char *err = NULL;

	CHECK_INT(taglist_parse(NULL, 0, pairs, 2, &err), -1, "NULL buffer");
	CHECK(err != NULL, "NULL buffer: no reason");
	CHECK_INT(taglist_parse("a=b", 3, NULL, 2, &err), -1, "NULL pairs");
	CHECK_INT(taglist_parse("a=b", 3, pairs, 2, NULL), 1, "NULL err pointer is allowed");
	CHECK_INT(taglist_parse("a", 1, pairs, 2, NULL), -1, "NULL err pointer, failure");
}

struct tag_is_case {
	const char *tag;
	const char *name;
	int want;
};

static const struct tag_is_case tag_is_cases[] = {
	{ "p", "p", 1 },
	{ "P", "p", 1 },
	{ "rua", "RUA", 1 },
	{ "Adkim", "adkim", 1 },
	{ "p", "pct", 0 },
	{ "pct", "p", 0 },
	{ "sp", "p", 0 },
	{ "ri", "rf", 0 },
	{ "r_a", "r_A", 1 },
};

static void test_tag_is(void)
{
	size_t i;

	for (i = 0; i < sizeof tag_is_cases / sizeof tag_is_cases[0]; i++) {
		const struct tag_is_case *c = &tag_is_cases[i];
		struct taglist_pair pair = { c->tag, strlen(c->tag), "", 0 };

		CHECK_INT(taglist_tag_is(&pair, c->name), c->want, c->tag);
	}
	CHECK_INT(taglist_tag_is(NULL, "p"), 0, "NULL pair");
	{
		struct taglist_pair pair = { "p", 1, "", 0 };

		CHECK_INT(taglist_tag_is(&pair, NULL), 0, "NULL name");
	}
	{
		/* the tag is bounded by tag_len, not by a NUL */
		struct taglist_pair pair = { "pct=5", 1, "", 0 };

		CHECK_INT(taglist_tag_is(&pair, "p"), 1, "tag_len bounds the tag");
	}
}

int main(void)
{
	test_parse_cases();
	test_max();
	test_bad_arguments();
	test_tag_is();
	return check_done("test_taglist");
}
