/*
 * test_psl - the public suffix list: parsing and org domains.
 *
 * Three sources of cases: tests/data/psl-test.dat (a small list with one
 * group of rules per behaviour), rule sets built in memory (line endings,
 * stacked wildcards, odd input), and the installed list at
 * DMARC_DEFAULT_PSL, against which we run the test vectors of the PSL
 * project (publicsuffix/list tests/test_psl.txt) and, for every rule in
 * that file, the answers the format implies for the rule and a name
 * below it.  The installed list is optional: without it those checks are
 * skipped with a note.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "domain.h"
#include "psl.h"

struct org_case {
	const char *name;
	const char *org; /* NULL: psl_org_domain() must fail */
};

/* psl_org_domain() straight on the name as given. */
static void check_raw(const struct psl *l, const struct org_case *c, size_t n, const char *what)
{
	char out[256], ctx[512];

	for (size_t i = 0; i < n; i++) {
		int rc = psl_org_domain(l, c[i].name, out, sizeof out);

		snprintf(ctx, sizeof ctx, "%s: %s", what, c[i].name);
		if (c[i].org == NULL) {
			CHECK(rc == -1, "%s: got \"%s\", want no org domain", ctx, out);
		} else {
			CHECK_INT(rc, 0, ctx);
			CHECK_STR(out, c[i].org, ctx);
		}
	}
}

/* As a caller does: domain_normalize() first, then psl_org_domain(). */
static void check_normalized(const struct psl *l, const struct org_case *c, size_t n,
			     const char *what)
{
	char name[256], want[256], out[256], ctx[512];

	for (size_t i = 0; i < n; i++) {
		int rc = domain_normalize(c[i].name, strlen(c[i].name), name, sizeof name);

		snprintf(ctx, sizeof ctx, "%s: %s", what, c[i].name);
		if (rc == 0)
			rc = psl_org_domain(l, name, out, sizeof out);
		if (c[i].org == NULL) {
			CHECK(rc == -1, "%s: want no org domain", ctx);
			continue;
		}
		CHECK_INT(rc, 0, ctx);
		CHECK_INT(domain_normalize(c[i].org, strlen(c[i].org), want, sizeof want), 0, ctx);
		if (rc == 0)
			CHECK_STR(out, want, ctx);
	}
}

static const struct org_case small_cases[] = {
	{"com", NULL},
	{"example.com", "example.com"},
	{"a.b.example.com", "example.com"},
	{"WwW.Example.COM", "example.com"},
	{"example.com.", "example.com"},
	{"uk", NULL},
	{"co.uk", NULL},
	{"example.uk", "example.uk"},
	{"bbc.co.uk", "bbc.co.uk"},
	{"news.bbc.co.uk", "bbc.co.uk"},
	{"www.news.bbc.ac.uk", "bbc.ac.uk"},
	/* *.ck with !www.ck */
	{"ck", NULL},
	{"test.ck", NULL},
	{"b.test.ck", "b.test.ck"},
	{"a.b.test.ck", "b.test.ck"},
	{"www.ck", "www.ck"},
	{"www.www.ck", "www.ck"},
	/* *.kawasaki.jp with !city.kawasaki.jp */
	{"jp", NULL},
	{"kawasaki.jp", "kawasaki.jp"},
	{"foo.kawasaki.jp", NULL},
	{"a.foo.kawasaki.jp", "a.foo.kawasaki.jp"},
	{"city.kawasaki.jp", "city.kawasaki.jp"},
	{"www.city.kawasaki.jp", "city.kawasaki.jp"},
	{"c.kobe.jp", NULL},
	{"a.b.c.kobe.jp", "b.c.kobe.jp"},
	{"www.city.kobe.jp", "city.kobe.jp"},
	{"ide.kyoto.jp", NULL},
	{"b.ide.kyoto.jp", "b.ide.kyoto.jp"},
	{"test.kyoto.jp", "test.kyoto.jp"},
	/* the rule ends at white space */
	{"biz", NULL},
	{"domain.biz", "domain.biz"},
	/* U-label rules, A-label names */
	{"xn--55qx5d.cn", NULL},
	{"xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
	{"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
	{"xn--fiqs8s", NULL},
	{"shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},
	{"www.shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},
	{"org", NULL},
	{"www.example.org", "example.org"},
	/* unlisted TLD: the implicit "*" rule */
	{"example", NULL},
	{"example.example", "example.example"},
	{"a.b.example.example", "example.example"},
	/* "a.*.invalid" is no rule, so ".invalid" falls to "*" */
	{"a.b.invalid", "b.invalid"},
	/* private section */
	{"github.io", NULL},
	{"foo.github.io", "foo.github.io"},
	{"a.foo.github.io", "foo.github.io"},
	{"x.blogspot.com", "x.blogspot.com"},
	/* not names */
	{"", NULL},
	{".", NULL},
	{".com", NULL},
	{".example.com", NULL},
	{"a..example.com", NULL},
	{"example.com..", NULL},
};

static const struct org_case small_normalized[] = {
	{"www.食狮.公司.cn", "食狮.公司.cn"},
	{"公司.cn", NULL},
	{"食狮.中国", "食狮.中国"},
	{"EXAMPLE.CO.UK.", "example.co.uk"},
	{"_dmarc.Example.COM", "example.com"},
};

static const char *data_path(const char *file, char *buf, size_t len)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/data/%s", top ? top : ".", file);
	return buf;
}

static void test_small_list(void)
{
	char path[1024], out[256];
	struct psl *l = psl_load_file(data_path("psl-test.dat", path, sizeof path));

	CHECK(l != NULL, "cannot load %s", path);
	if (l == NULL)
		return;
	check_raw(l, small_cases, sizeof small_cases / sizeof small_cases[0], "small");
	check_normalized(l, small_normalized, sizeof small_normalized / sizeof small_normalized[0],
			 "small");
	CHECK_INT(psl_org_domain(l, "a.example.com", out, 11), -1, "out too small");
	CHECK_INT(psl_org_domain(l, "a.example.com", out, 12), 0, "out just fits");
	CHECK_STR(out, "example.com", "out just fits");
	CHECK_INT(psl_org_domain(l, NULL, out, sizeof out), -1, "NULL name");
	CHECK_INT(psl_org_domain(l, "example.com", NULL, 0), -1, "NULL out");
	psl_free(&l);
	CHECK(l == NULL, "psl_free clears the pointer");
	psl_free(&l);
}

struct list_case {
	const char *what;
	const char *list;
	size_t len; /* 0: strlen(list) */
	struct org_case c[6];
};

static const struct list_case list_cases[] = {
	{"crlf", "com\r\n*.ck\r\n!www.ck\r\n", 0,
	 {{"a.b.ck", "a.b.ck"}, {"b.ck", NULL}, {"x.www.ck", "www.ck"},
	  {"a.example.com", "example.com"}}},
	{"no final newline", "// c\nfoo.test", 0,
	 {{"foo.test", NULL}, {"a.foo.test", "a.foo.test"}, {"a.b.test", "b.test"}}},
	{"indented rule", "   \tfoo.test  trailing\n", 0,
	 {{"foo.test", NULL}, {"a.foo.test", "a.foo.test"}}},
	{"stacked wildcards", "*.w.test\n*.x.w.test\n", 0,
	 {{"x.w.test", NULL}, {"y.x.w.test", NULL}, {"z.y.x.w.test", "z.y.x.w.test"},
	  {"q.w.test", NULL}, {"r.q.w.test", "r.q.w.test"}, {"w.test", "w.test"}}},
	{"rule and wildcard on one name", "ck\n*.ck\n", 0,
	 {{"ck", NULL}, {"a.ck", NULL}, {"b.a.ck", "b.a.ck"}}},
	{"two exceptions: longest wins", "*.t\n!a.t\n!b.a.t\n", 0,
	 {{"x.a.t", "a.t"}, {"x.b.a.t", "b.a.t"}, {"y.t", NULL}}},
	{"empty list", "", 0, {{"c", NULL}, {"b.c", "b.c"}, {"a.b.c", "b.c"}}},
	{"comments and junk only", "// com\n!\n*.\n*\n..\nfoo..bar\n", 0,
	 {{"example.com", "example.com"}, {"a.foo.bar", "foo.bar"}}},
	{"NUL in a rule", "co\0m\nco.uk\n", 11, {{"a.co.uk", "a.co.uk"}, {"a.com", "a.com"}}},
};

static void test_lists(void)
{
	for (size_t i = 0; i < sizeof list_cases / sizeof list_cases[0]; i++) {
		const struct list_case *t = &list_cases[i];
		size_t n = 0;
		struct psl *l = psl_parse(t->list, t->len ? t->len : strlen(t->list));

		CHECK(l != NULL, "%s: psl_parse failed", t->what);
		if (l == NULL)
			continue;
		while (n < 6 && t->c[n].name != NULL)
			n++;
		check_raw(l, t->c, n, t->what);
		psl_free(&l);
	}
}

static void test_null_and_missing(void)
{
	char out[256];
	struct psl *l = psl_parse(NULL, 0);

	CHECK(l != NULL, "psl_parse(NULL, 0) gives an empty list");
	psl_free(&l);
	CHECK_INT(psl_org_domain(NULL, "a.example.com", out, sizeof out), -1, "NULL list");
	errno = 0;
	l = psl_load_file("/nonexistent/psl.dat");
	CHECK(l == NULL && errno == ENOENT, "missing file: NULL with ENOENT (errno %d)", errno);
	CHECK(psl_load_file(NULL) == NULL, "NULL path");
}

/* publicsuffix/list tests/test_psl.txt, on the real list. */
static const struct org_case official_cases[] = {
	{"COM", NULL},
	{"example.COM", "example.com"},
	{"WwW.example.COM", "example.com"},
	{".com", NULL},
	{".example", NULL},
	{".example.com", NULL},
	{".example.example", NULL},
	{"example", NULL},
	{"example.example", "example.example"},
	{"b.example.example", "example.example"},
	{"a.b.example.example", "example.example"},
	{"biz", NULL},
	{"domain.biz", "domain.biz"},
	{"b.domain.biz", "domain.biz"},
	{"a.b.domain.biz", "domain.biz"},
	{"com", NULL},
	{"example.com", "example.com"},
	{"b.example.com", "example.com"},
	{"a.b.example.com", "example.com"},
	{"uk.com", NULL},
	{"example.uk.com", "example.uk.com"},
	{"b.example.uk.com", "example.uk.com"},
	{"a.b.example.uk.com", "example.uk.com"},
	{"test.ac", "test.ac"},
	{"mm", NULL},
	{"c.mm", NULL},
	{"b.c.mm", "b.c.mm"},
	{"a.b.c.mm", "b.c.mm"},
	{"jp", NULL},
	{"test.jp", "test.jp"},
	{"www.test.jp", "test.jp"},
	{"ac.jp", NULL},
	{"test.ac.jp", "test.ac.jp"},
	{"www.test.ac.jp", "test.ac.jp"},
	{"kyoto.jp", NULL},
	{"test.kyoto.jp", "test.kyoto.jp"},
	{"ide.kyoto.jp", NULL},
	{"b.ide.kyoto.jp", "b.ide.kyoto.jp"},
	{"a.b.ide.kyoto.jp", "b.ide.kyoto.jp"},
	{"c.kobe.jp", NULL},
	{"b.c.kobe.jp", "b.c.kobe.jp"},
	{"a.b.c.kobe.jp", "b.c.kobe.jp"},
	{"city.kobe.jp", "city.kobe.jp"},
	{"www.city.kobe.jp", "city.kobe.jp"},
	{"ck", NULL},
	{"test.ck", NULL},
	{"b.test.ck", "b.test.ck"},
	{"a.b.test.ck", "b.test.ck"},
	{"www.ck", "www.ck"},
	{"www.www.ck", "www.ck"},
	{"us", NULL},
	{"test.us", "test.us"},
	{"www.test.us", "test.us"},
	{"ak.us", NULL},
	{"test.ak.us", "test.ak.us"},
	{"www.test.ak.us", "test.ak.us"},
	{"k12.ak.us", NULL},
	{"test.k12.ak.us", "test.k12.ak.us"},
	{"www.test.k12.ak.us", "test.k12.ak.us"},
	{"食狮.com.cn", "食狮.com.cn"},
	{"食狮.公司.cn", "食狮.公司.cn"},
	{"www.食狮.公司.cn", "食狮.公司.cn"},
	{"shishi.公司.cn", "shishi.公司.cn"},
	{"公司.cn", NULL},
	{"食狮.中国", "食狮.中国"},
	{"www.食狮.中国", "食狮.中国"},
	{"shishi.中国", "shishi.中国"},
	{"中国", NULL},
	{"xn--85x722f.com.cn", "xn--85x722f.com.cn"},
	{"xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
	{"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
	{"shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn"},
	{"xn--55qx5d.cn", NULL},
	{"xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
	{"www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
	{"shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},
	{"xn--fiqs8s", NULL},
};

/* Every rule of the real list, normalised, kept sorted for lookups. */
struct rules {
	char **name; /* kind (' ' plain, '*' wildcard, '!' exception) + name */
	size_t n, cap;
};

static int rules_add(struct rules *r, const char *line)
{
	char key[256], kind = ' ';
	size_t len = strcspn(line, " \t\r\n");

	if (len == 0 || strncmp(line, "//", 2) == 0)
		return 0;
	if (line[0] == '!' || line[0] == '*') {
		kind = line[0];
		line += (kind == '*') ? 2 : 1;
		len -= (kind == '*') ? 2 : 1;
	}
	if (domain_normalize(line, len, key, sizeof key) < 0)
		return -1;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->name = realloc(r->name, r->cap * sizeof *r->name);
		if (r->name == NULL)
			return -1;
	}
	r->name[r->n] = malloc(strlen(key) + 2);
	if (r->name[r->n] == NULL)
		return -1;
	snprintf(r->name[r->n++], strlen(key) + 2, "%c%s", kind, key);
	return 0;
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_rule(const struct rules *r, char kind, const char *name)
{
	char key[260];
	const char *k = key;

	snprintf(key, sizeof key, "%c%s", kind, name);
	return bsearch(&k, r->name, r->n, sizeof *r->name, cmp_rule) != NULL;
}

static void expect(const struct psl *l, const char *name, const char *want, const char *why)
{
	char out[256];
	int rc = psl_org_domain(l, name, out, sizeof out);

	if (want == NULL)
		CHECK(rc == -1, "real list, %s: %s gave \"%s\", want none", why, name, out);
	else
		CHECK(rc == 0 && strcmp(out, want) == 0, "real list, %s: %s gave \"%s\", want \"%s\"",
		      why, name, rc == 0 ? out : "(none)", want);
}

static const char *below(char *buf, size_t len, const char *label, const char *name)
{
	int n = snprintf(buf, len, "%s.%s", label, name);

	CHECK(n > 0 && (size_t)n < len, "test name too long: %s.%s", label, name);
	return buf;
}

/* What the format says about each rule R, and about names below it. */
static void check_rule(const struct psl *l, const struct rules *r, const char *rule)
{
	char kind = rule[0], c1[300], c2[300], c3[300];
	const char *name = rule + 1;

	below(c1, sizeof c1, "zq9x", name);
	below(c2, sizeof c2, "a", c1);
	if (kind == '!') {
		expect(l, name, name, "exception");
		expect(l, below(c3, sizeof c3, "a", name), name, "below exception");
	} else if (kind == '*') {
		expect(l, c1, NULL, "wildcard");
		expect(l, c2, c2, "below wildcard");
		expect(l, below(c3, sizeof c3, "b", c2), c2, "two below wildcard");
	} else if (!has_rule(r, '!', name)) {
		expect(l, name, NULL, "rule");
		if (!has_rule(r, '*', name)) {
			expect(l, c1, c1, "below rule");
			expect(l, c2, c1, "two below rule");
		}
	}
}

static void test_real_list(void)
{
	struct rules r = {0};
	char line[1024];
	FILE *fp = fopen(DMARC_DEFAULT_PSL, "r");
	struct psl *l = psl_load_file(DMARC_DEFAULT_PSL);

	if (fp == NULL || l == NULL) {
		printf("test_psl: note: %s not readable, real-list checks skipped\n", DMARC_DEFAULT_PSL);
		if (fp != NULL)
			fclose(fp);
		psl_free(&l);
		return;
	}
	check_normalized(l, official_cases, sizeof official_cases / sizeof official_cases[0],
			 "official");
	while (fgets(line, sizeof line, fp) != NULL)
		CHECK(rules_add(&r, line) == 0, "real list: cannot take rule %s", line);
	fclose(fp);
	CHECK(r.n > 1000, "real list has only %zu rules", r.n);
	qsort(r.name, r.n, sizeof *r.name, cmp_rule);
	for (size_t i = 0; i < r.n; i++)
		check_rule(l, &r, r.name[i]);
	for (size_t i = 0; i < r.n; i++)
		free(r.name[i]);
	free(r.name);
	psl_free(&l);
}

int main(void)
{
	test_small_list();
	test_lists();
	test_null_and_missing();
	test_real_list();
	return check_done("test_psl");
}
