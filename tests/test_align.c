/*
 * test_align - strict and relaxed identifier alignment.
 * Relaxed alignment is given organizational domains (the caller computes
 * them), so the cases pair names as psl_org_domain() would return them.
 */
#include "config.h"

#include "align.h"
#include "check.h"

struct align_case {
	const char *a, *b;
	int strict, relaxed;
};

static const struct align_case cases[] = {
	{"example.com", "example.com", 1, 1},
	{"Example.COM", "example.com", 1, 1},
	{"example.com.", "example.com", 1, 1},
	/* sub-domains: strict never, relaxed compares org domains, given equal */
	{"mail.example.com", "example.com", 0, 0},
	{"example.com", "mail.example.com", 0, 0},
	/* no suffix matching, neither way */
	{"evilexample.com", "example.com", 0, 0},
	{"example.com", "example.com.evil.net", 0, 0},
	{"example.co", "example.com", 0, 0},
	{"example.com", "", 0, 0},
	{"", "", 0, 0},
	{".", ".", 0, 0},
	{NULL, "example.com", 0, 0},
	{"example.com", NULL, 0, 0},
	{NULL, NULL, 0, 0},
};

int main(void)
{
	char ctx[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct align_case *c = &cases[i];

		snprintf(ctx, sizeof ctx, "strict(%s, %s)", c->a ? c->a : "NULL", c->b ? c->b : "NULL");
		CHECK_INT(align_strict(c->a, c->b), c->strict, ctx);
		snprintf(ctx, sizeof ctx, "relaxed(%s, %s)", c->a ? c->a : "NULL", c->b ? c->b : "NULL");
		CHECK_INT(align_relaxed(c->a, c->b), c->relaxed, ctx);
	}
	return check_done("test_align");
}
