/*
 * test_discover - record and org domain discovery over a fake DNS.
 *
 * Each case is a small zone (name -> answer for _dmarc.<name>; names not
 * listed answer NXDOMAIN) and what discovery must return, including the
 * exact list of names queried, in order, which the fake records.  The
 * tree walk cases include the examples of RFC 9989 4.10 (the 8-query
 * walk), 4.10.2 (three org domain examples), 5.1.8 (the unreachable
 * psd=n record) and Appendix B.4 (B.4.1 to B.4.3).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "discover.h"
#include "dmarc.h"
#include "psl.h"

#define REJECT "v=DMARC1; p=reject"
#define QUARANTINE "v=DMARC1; p=quarantine"
#define NONE_P "v=DMARC1; p=none"
#define PSD_Y "v=DMARC1; p=reject; psd=y"
#define PSD_N "v=DMARC1; p=quarantine; psd=n"
#define BROKEN "v=DMARC1; sp=reject"                /* no p, no rua: unusable */
#define RUA_ONLY "v=DMARC1; rua=mailto:d@example.com" /* acts as p=none */
#define SPF "v=spf1 -all"

#define ZONE_MAX 8

struct rr {
	const char *name;
	enum discover_status st;
	const char *txt;
};

struct fake {
	const struct rr *zone;
	char log[2048]; /* names asked, comma-separated */
};

static enum discover_status fake_fetch(void *ctx, const char *domain, char *rec, size_t reclen)
{
	struct fake *f = ctx;
	size_t used = strlen(f->log);

	snprintf(f->log + used, sizeof f->log - used, "%s%s", used ? "," : "", domain);
	for (size_t i = 0; i < ZONE_MAX && f->zone[i].name != NULL; i++) {
		if (strcmp(f->zone[i].name, domain) != 0)
			continue;
		if (f->zone[i].st == DISCOVER_FOUND)
			snprintf(rec, reclen, "%s", f->zone[i].txt);
		return f->zone[i].st;
	}
	return DISCOVER_NXDOMAIN;
}

static int count_names(const char *log)
{
	int n = log[0] != '\0';

	for (; *log != '\0'; log++)
		n += *log == ',';
	return n;
}

struct walk_case {
	const char *what;
	const char *domain;
	struct rr zone[ZONE_MAX];
	enum discover_status want;
	const char *found_at; /* "" when none */
	const char *org;
	const char *log;
	int p; /* policy of the record found, or 0 */
};

#define FOUND DISCOVER_FOUND
#define NONE DISCOVER_NONE
#define TEMP DISCOVER_TEMPFAIL
#define NXD DISCOVER_NXDOMAIN

static const struct walk_case tree_cases[] = {
	{"record at the From domain", "example.com", {{"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com", "example.com,com", 'r'},
	{"RFC 9989 4.10: eight queries, no record", "a.b.c.d.e.f.g.h.i.j.mail.example.com", {{0}},
	 NONE, "", "a.b.c.d.e.f.g.h.i.j.mail.example.com",
	 "a.b.c.d.e.f.g.h.i.j.mail.example.com,g.h.i.j.mail.example.com,h.i.j.mail.example.com,"
	 "i.j.mail.example.com,j.mail.example.com,mail.example.com,example.com,com", 0},
	{"RFC 9989 B.4.1: From example.com", "example.com",
	 {{"example.com", FOUND, REJECT}, {"signing.example.com", FOUND, NONE_P}},
	 FOUND, "example.com", "example.com", "example.com,com", 'r'},
	{"RFC 9989 B.4.2: deep From domain", "a.b.c.d.e.f.g.h.i.j.k.example.com",
	 {{"example.com", FOUND, REJECT}, {"signing.example.com", FOUND, NONE_P}},
	 FOUND, "example.com", "example.com",
	 "a.b.c.d.e.f.g.h.i.j.k.example.com,g.h.i.j.k.example.com,h.i.j.k.example.com,"
	 "i.j.k.example.com,j.k.example.com,k.example.com,example.com,com", 'r'},
	{"RFC 9989 B.4.3: From giant.bank.example", "giant.bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"giant.bank.example", FOUND, QUARANTINE},
	  {"example", FOUND, NONE_P}},
	 FOUND, "giant.bank.example", "giant.bank.example", "giant.bank.example,bank.example", 'q'},
	{"RFC 9989 B.4.3: psd=y stops the walk", "mail.giant.bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"giant.bank.example", FOUND, QUARANTINE},
	  {"example", FOUND, NONE_P}},
	 FOUND, "giant.bank.example", "giant.bank.example",
	 "mail.giant.bank.example,giant.bank.example,bank.example", 'q'},
	{"RFC 9989 B.4.3: org without record takes the PSD's", "mail.mega.bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"giant.bank.example", FOUND, QUARANTINE}},
	 FOUND, "bank.example", "mega.bank.example",
	 "mail.mega.bank.example,mega.bank.example,bank.example", 'r'},
	{"RFC 9989 4.10.2 ex. 1: policy is the org domain's, not the nearest", "a.mail.example.com",
	 {{"mail.example.com", FOUND, NONE_P}, {"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com",
	 "a.mail.example.com,mail.example.com,example.com,com", 'r'},
	{"RFC 9989 4.10.2 ex. 2: psd=n", "a.mail.example.com",
	 {{"mail.example.com", FOUND, PSD_N}, {"example.com", FOUND, REJECT}},
	 FOUND, "mail.example.com", "mail.example.com", "a.mail.example.com,mail.example.com", 'q'},
	{"RFC 9989 4.10.2 ex. 3: psd=y at com only", "a.mail.example.com", {{"com", FOUND, PSD_Y}},
	 FOUND, "com", "example.com", "a.mail.example.com,mail.example.com,example.com,com", 'r'},
	{"RFC 9989 5.1.8: psd=n beyond the jump is never seen", "mail.a.b.c.d.e.f.g.example.com",
	 {{"example.com", FOUND, REJECT}, {"b.c.d.e.f.g.example.com", FOUND, PSD_N}},
	 FOUND, "example.com", "example.com",
	 "mail.a.b.c.d.e.f.g.example.com,c.d.e.f.g.example.com,d.e.f.g.example.com,"
	 "e.f.g.example.com,f.g.example.com,g.example.com,example.com,com", 'r'},
	{"psd=y at the 7-label jump: org one label below, not queried",
	 "a.b.c.d.e.f.g.h.i.j.mail.example.com", {{"g.h.i.j.mail.example.com", FOUND, PSD_Y}},
	 FOUND, "g.h.i.j.mail.example.com", "f.g.h.i.j.mail.example.com",
	 "a.b.c.d.e.f.g.h.i.j.mail.example.com,g.h.i.j.mail.example.com", 'r'},
	{"psd=y at the start: its own org, walk stops", "bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"example", FOUND, NONE_P}},
	 FOUND, "bank.example", "bank.example", "bank.example", 'r'},
	{"psd=n at the start stops the walk", "example.com",
	 {{"example.com", FOUND, PSD_N}, {"com", FOUND, PSD_Y}},
	 FOUND, "example.com", "example.com", "example.com", 'q'},
	{"record below a psd=y: From's own record, org below the PSD", "x.a.example",
	 {{"x.a.example", FOUND, NONE_P}, {"example", FOUND, PSD_Y}},
	 FOUND, "x.a.example", "a.example", "x.a.example,a.example,example", 'n'},
	{"8 labels: 8 queries", "a.b.c.d.e.f.g.h", {{0}}, NONE, "", "a.b.c.d.e.f.g.h",
	 "a.b.c.d.e.f.g.h,b.c.d.e.f.g.h,c.d.e.f.g.h,d.e.f.g.h,e.f.g.h,f.g.h,g.h,h", 0},
	{"7 labels: 7 queries", "a.b.c.d.e.f.g", {{0}}, NONE, "", "a.b.c.d.e.f.g",
	 "a.b.c.d.e.f.g,b.c.d.e.f.g,c.d.e.f.g,d.e.f.g,e.f.g,f.g,g", 0},
	{"one label: one query", "example", {{"example", FOUND, NONE_P}},
	 FOUND, "example", "example", "example", 'n'},
	{"tempfail mid-walk", "a.b.example.com",
	 {{"b.example.com", TEMP, NULL}, {"example.com", FOUND, REJECT}},
	 TEMP, "", "", "a.b.example.com,b.example.com", 0},
	{"tempfail after the record, finding the org", "example.com",
	 {{"example.com", FOUND, REJECT}, {"com", TEMP, NULL}},
	 TEMP, "", "", "example.com,com", 0},
	{"tempfail at the first query", "example.com", {{"example.com", TEMP, NULL}},
	 TEMP, "", "", "example.com", 0},
	{"unusable record: walk on", "a.example.com",
	 {{"a.example.com", FOUND, BROKEN}, {"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com", "a.example.com,example.com,com", 'r'},
	{"unusable psd=y record does not stop the walk", "a.example.com",
	 {{"example.com", FOUND, "v=DMARC1; psd=y"}, {"com", FOUND, NONE_P}},
	 FOUND, "com", "com", "a.example.com,example.com,com", 'n'},
	{"only an unusable record", "example.com", {{"example.com", FOUND, BROKEN}},
	 NONE, "example.com", "example.com", "example.com,com", 0},
	{"rua without p acts as p=none", "example.com", {{"example.com", FOUND, RUA_ONLY}},
	 FOUND, "example.com", "example.com", "example.com,com", 'n'},
	{"non-DMARC text is no record", "example.com",
	 {{"example.com", FOUND, SPF}, {"com", FOUND, "v=DMARC10; p=reject"}},
	 NONE, "", "example.com", "example.com,com", 0},
	{"several records (callback: NONE), NXDOMAIN: none", "a.example.com",
	 {{"a.example.com", NONE, NULL}, {"example.com", NXD, NULL}},
	 NONE, "", "a.example.com", "a.example.com,example.com,com", 0},
	{"input normalised first", "Mail.Example.COM.", {{"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com", "mail.example.com,example.com,com", 'r'},
	{"U-label input", "bücher.example", {{"xn--bcher-kva.example", FOUND, REJECT}},
	 FOUND, "xn--bcher-kva.example", "xn--bcher-kva.example", "xn--bcher-kva.example,example",
	 'r'},
	{"not a domain: no query", "a..example.com", {{0}}, NONE, "", "", "", 0},
	{"empty name: no query", "", {{0}}, NONE, "", "", "", 0},
};

static void check_result(const struct walk_case *c, enum discover_status st,
			 const struct discover_result *res, const struct fake *f)
{
	CHECK_INT(st, c->want, c->what);
	CHECK_STR(res->found_at, c->found_at, c->what);
	CHECK_STR(res->org, c->org, c->what);
	CHECK_STR(f->log, c->log, c->what);
	CHECK_INT(res->queries, count_names(f->log), c->what);
	CHECK(res->queries <= 8, "%s: %d queries", c->what, res->queries);
	if (st == DISCOVER_FOUND) {
		CHECK_INT(res->parse_status, DMARC_PARSE_OKAY, c->what);
		CHECK_INT(res->rec.p, c->p, c->what);
		CHECK(strncmp(res->txt, "v=DMARC1", 8) == 0, "%s: txt \"%s\"", c->what, res->txt);
	} else if (c->found_at[0] != '\0') {
		CHECK(res->parse_status != DMARC_PARSE_OKAY, "%s: unusable record noted", c->what);
	} else {
		CHECK_INT(res->parse_status, DMARC_PARSE_ERROR_EMPTY, c->what);
	}
}

static void test_treewalk(void)
{
	for (size_t i = 0; i < sizeof tree_cases / sizeof tree_cases[0]; i++) {
		const struct walk_case *c = &tree_cases[i];
		struct fake f = {c->zone, ""};
		struct discover_lookup lk = {fake_fetch, &f};
		struct discover_result res;
		enum discover_status st = discover_treewalk(&lk, c->domain, &res);

		check_result(c, st, &res, &f);
		discover_result_free(&res);
		discover_result_free(&res);
	}
}

static const struct walk_case psl_cases[] = {
	{"record at the From domain", "mail.example.com", {{"mail.example.com", FOUND, REJECT}},
	 FOUND, "mail.example.com", "example.com", "mail.example.com", 'r'},
	{"fallback to the org domain, nothing between", "a.b.example.com",
	 {{"b.example.com", FOUND, NONE_P}, {"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com", "a.b.example.com,example.com", 'r'},
	{"no record", "a.example.co.uk", {{0}}, NONE, "", "example.co.uk",
	 "a.example.co.uk,example.co.uk", 0},
	{"From domain is the org domain: one query", "example.com", {{"com", FOUND, REJECT}},
	 NONE, "", "example.com", "example.com", 0},
	{"public suffix: its own org", "co.uk", {{"co.uk", FOUND, QUARANTINE}},
	 FOUND, "co.uk", "co.uk", "co.uk", 'q'},
	{"NXDOMAIN at the From domain counts as none", "mail.example.com",
	 {{"mail.example.com", NXD, NULL}, {"example.com", FOUND, QUARANTINE}},
	 FOUND, "example.com", "example.com", "mail.example.com,example.com", 'q'},
	{"tempfail at the From domain", "mail.example.com",
	 {{"mail.example.com", TEMP, NULL}, {"example.com", FOUND, REJECT}},
	 TEMP, "", "", "mail.example.com", 0},
	{"tempfail at the org domain", "mail.example.com", {{"example.com", TEMP, NULL}},
	 TEMP, "", "", "mail.example.com,example.com", 0},
	{"unusable at the From domain, usable at the org", "mail.example.com",
	 {{"mail.example.com", FOUND, BROKEN}, {"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "example.com", "mail.example.com,example.com", 'r'},
	{"unusable only", "mail.example.com", {{"mail.example.com", FOUND, BROKEN}},
	 NONE, "mail.example.com", "example.com", "mail.example.com,example.com", 0},
	{"wildcard rule", "a.b.test.ck", {{"b.test.ck", FOUND, REJECT}},
	 FOUND, "b.test.ck", "b.test.ck", "a.b.test.ck,b.test.ck", 'r'},
	{"exception rule", "www.city.kawasaki.jp", {{"city.kawasaki.jp", FOUND, NONE_P}},
	 FOUND, "city.kawasaki.jp", "city.kawasaki.jp", "www.city.kawasaki.jp,city.kawasaki.jp",
	 'n'},
	{"psd tags mean nothing in PSL mode", "a.example.com",
	 {{"a.example.com", FOUND, PSD_Y}}, FOUND, "a.example.com", "example.com", "a.example.com",
	 'r'},
};

static void test_psl_mode(void)
{
	char path[1024];
	const char *top = getenv("top_srcdir");
	struct psl *list;

	snprintf(path, sizeof path, "%s/tests/data/psl-test.dat", top ? top : ".");
	list = psl_load_file(path);
	CHECK(list != NULL, "cannot load %s", path);
	if (list == NULL)
		return;
	for (size_t i = 0; i < sizeof psl_cases / sizeof psl_cases[0]; i++) {
		const struct walk_case *c = &psl_cases[i];
		struct fake f = {c->zone, ""};
		struct discover_lookup lk = {fake_fetch, &f};
		struct discover_result res;
		enum discover_status st = discover_psl(&lk, list, c->domain, &res);

		check_result(c, st, &res, &f);
		discover_result_free(&res);
	}
	psl_free(&list);
}

struct org_case {
	const char *what;
	const char *domain;
	struct rr zone[ZONE_MAX];
	enum discover_status want;
	const char *org;
	const char *log;
};

static const struct org_case org_cases[] = {
	{"RFC 9989 4.10.2 ex. 1", "a.mail.example.com",
	 {{"mail.example.com", FOUND, NONE_P}, {"example.com", FOUND, REJECT}},
	 FOUND, "example.com", "a.mail.example.com,mail.example.com,example.com,com"},
	{"RFC 9989 4.10.2 ex. 2", "a.mail.example.com", {{"mail.example.com", FOUND, PSD_N}},
	 FOUND, "mail.example.com", "a.mail.example.com,mail.example.com"},
	{"RFC 9989 4.10.2 ex. 3", "a.mail.example.com", {{"com", FOUND, PSD_Y}},
	 FOUND, "example.com", "a.mail.example.com,mail.example.com,example.com,com"},
	{"RFC 9989 B.4.1: DKIM d=signing.example.com", "signing.example.com",
	 {{"example.com", FOUND, REJECT}, {"signing.example.com", FOUND, NONE_P}},
	 FOUND, "example.com", "signing.example.com,example.com,com"},
	{"RFC 9989 B.4.3: SPF mail.giant.bank.example", "mail.giant.bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"giant.bank.example", FOUND, QUARANTINE}},
	 FOUND, "giant.bank.example", "mail.giant.bank.example,giant.bank.example,bank.example"},
	{"RFC 9989 B.4.3: DKIM d=mail.mega.bank.example", "mail.mega.bank.example",
	 {{"bank.example", FOUND, PSD_Y}, {"giant.bank.example", FOUND, QUARANTINE}},
	 FOUND, "mega.bank.example", "mail.mega.bank.example,mega.bank.example,bank.example"},
	{"no record: the name itself", "mail.example.net", {{0}},
	 NONE, "mail.example.net", "mail.example.net,example.net,net"},
	{"tempfail", "mail.example.net", {{"net", TEMP, NULL}}, TEMP, "",
	 "mail.example.net,example.net,net"},
	{"not a domain", "mail..example.net", {{0}}, NONE, "", ""},
};

static void test_org_treewalk(void)
{
	char org[DISCOVER_NAME_MAX];

	for (size_t i = 0; i < sizeof org_cases / sizeof org_cases[0]; i++) {
		const struct org_case *c = &org_cases[i];
		struct fake f = {c->zone, ""};
		struct discover_lookup lk = {fake_fetch, &f};
		enum discover_status st = discover_org_treewalk(&lk, c->domain, org, sizeof org);

		CHECK_INT(st, c->want, c->what);
		CHECK_STR(org, c->org, c->what);
		CHECK_STR(f.log, c->log, c->what);
	}
}

static void test_bad_arguments(void)
{
	static const struct rr zone[ZONE_MAX] = {{"example.com", FOUND, REJECT}};
	struct fake f = {zone, ""};
	struct discover_lookup lk = {fake_fetch, &f}, nofetch = {NULL, NULL};
	struct discover_result res;
	char org[12];

	CHECK_INT(discover_treewalk(NULL, "example.com", &res), TEMP, "NULL lookup");
	CHECK_INT(discover_treewalk(&nofetch, "example.com", &res), TEMP, "NULL fetch");
	CHECK_INT(discover_treewalk(&lk, "example.com", NULL), TEMP, "NULL result");
	CHECK_INT(discover_psl(&nofetch, NULL, "example.com", &res), TEMP, "psl: NULL fetch");
	CHECK_INT(discover_treewalk(&lk, NULL, &res), NONE, "NULL domain");
	CHECK_INT(discover_org_treewalk(&lk, "example.com", NULL, 0), TEMP, "NULL org");
	CHECK_STR(f.log, "", "nothing asked");
	CHECK_INT(discover_org_treewalk(&lk, "mail.example.com", org, sizeof org), FOUND, "org fits");
	CHECK_STR(org, "example.com", "org fits");
	CHECK_INT(discover_org_treewalk(&lk, "mail.example.com", org, 11), NONE, "org too long");
	CHECK_STR(org, "", "org too long");
	CHECK_INT(discover_psl(&lk, NULL, "mail.example.com", &res), NONE, "psl: no list");
	CHECK_STR(res.org, "mail.example.com", "psl: no list: the name is its own org");
	discover_result_free(&res);
	discover_result_free(NULL);
}

int main(void)
{
	test_treewalk();
	test_psl_mode();
	test_org_treewalk();
	test_bad_arguments();
	return check_done("test_discover");
}
