/*
 * test_resolver - the resolver (resolver.h) against real DNS servers on
 * loopback, started by tests/dns.test: nsd serving the zones in tests/data/dns
 * on DNS_NSD_PORT and tests/dnsstub (SERVFAIL, timeouts, truncation,
 * garbage, query counters) on DNS_STUB_PORT.  Exit 77 without them.
 * Tables give the name, the status wanted and the TXT records wanted,
 * sorted and joined with " | ".
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "discover.h"
#include "resolver.h"

#define PLAIN "v=DMARC1; p=reject; rua=mailto:dmarc@plain.test"

enum { OK = RESOLVER_OK, NX = RESOLVER_NXDOMAIN, NODATA = RESOLVER_NODATA,
       TEMP = RESOLVER_TEMPFAIL, PERM = RESOLVER_PERMFAIL };

static int nsd_port, stub_port;

/* ---- helpers ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void use_ports(int n, const int *ports, int timeout)
{
	struct sockaddr_in sa[3];

	memset(sa, 0, sizeof sa);
	for (int i = 0; i < n; i++) {
		sa[i].sin_family = AF_INET;
		sa[i].sin_port = htons((uint16_t)ports[i]);
		sa[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	resolver_configure(n, sa, timeout);
}

static void use_port(int port, int timeout)
{
	use_ports(1, &port, timeout);
}

/* a loopback UDP port nobody listens on (answers ICMP unreachable) */
static int dead_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int port = 9, fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the records sorted and joined with " | " */
static void render(struct resolver_txt_list *l, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	qsort(l->txt, l->count, sizeof l->txt[0], cmp_str);
	for (size_t i = 0; i < l->count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " | " : "", l->txt[i]);
}

/* one TXT lookup checked against status and rendered records */
static void check_txt(const char *name, int want, const char *want_records)
{
	struct resolver_txt_list l;
	char got[4096], ctx[512];
	int st = resolver_txt(name, &l);

	snprintf(ctx, sizeof ctx, "resolver_txt(%.300s)", name);
	CHECK_INT(st, want, ctx);
	render(&l, got, sizeof got);
	CHECK_STR(got, want_records, ctx);
	resolver_txt_list_free(&l);
}

/* the single record of a TXT lookup, "" when not exactly one */
static void lookup_one(const char *name, char *buf, size_t len)
{
	struct resolver_txt_list l;

	buf[0] = '\0';
	if (resolver_txt(name, &l) == RESOLVER_OK && l.count == 1)
		snprintf(buf, len, "%s", l.txt[0]);
	resolver_txt_list_free(&l);
}

/* how many queries the stub has seen for name */
static void check_queries(const char *name, const char *want, const char *ctx)
{
	char q[300], got[64];

	snprintf(q, sizeof q, "howmany.%s", name);
	lookup_one(q, got, sizeof got);
	CHECK_STR(got, want, ctx);
}

/* ---- nsd: real answers ---- */

struct txt_case {
	const char *name;
	int want;
	const char *records;
};

static const struct txt_case nsd_cases[] = {
	{ "_dmarc.plain.test", OK, PLAIN },
	{ "_DMARC.Plain.TEST.", OK, PLAIN },
	{ "_dmarc.split.test", OK, "v=DMARC1; p=quarantine; pct=50; rua=mailto:agg@split.test" },
	{ "_dmarc.two.test", OK, "v=DMARC1; p=none | v=DMARC1; p=reject" },
	{ "_dmarc.mixed.test", OK, "site-verification=abc | v=DMARC1; p=reject | v=spf1 -all" },
	{ "_dmarc.other.test", OK, "hello world" },
	/* CNAME chains: in the answer, into another zone, 8 hops max */
	{ "_dmarc.alias.test", OK, PLAIN },
	{ "_dmarc.alias2.test", OK, PLAIN },
	{ "_dmarc.outside.test", OK, "v=DMARC1; p=quarantine" },
	{ "hop8.test", OK, PLAIN },
	{ "hop9.test", PERM, "" },
	{ "_dmarc.loop1.test", PERM, "" },
	/* the alias exists even though its target does not */
	{ "_dmarc.dangling.test", NODATA, "" },
	{ "_dmarc.nodata.test", NODATA, "" },
	{ "_dmarc.ent.test", NODATA, "" },
	{ "_dmarc.nx.test", NX, "" },
	{ "nosuch.test", NX, "" },
	/* names that cannot be asked */
	{ "", PERM, "" },
	{ ".", PERM, "" },
	{ "a..test", PERM, "" },
	{ ".a.test", PERM, "" },
	{ "a.test..", PERM, "" },
	{ "a\\.b.test", PERM, "" },
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.test", PERM, "" },
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.test", NX, "" },
};

static void test_nsd_txt(void)
{
	struct resolver_txt_list l;
	char name[300];

	use_port(nsd_port, 2);
	for (size_t i = 0; i < sizeof nsd_cases / sizeof nsd_cases[0]; i++)
		check_txt(nsd_cases[i].name, nsd_cases[i].want, nsd_cases[i].records);
	CHECK_INT(resolver_txt(NULL, &l), PERM, "resolver_txt(NULL)");
	CHECK_INT(l.count, 0, "resolver_txt(NULL) count");
	CHECK_INT(resolver_txt("_dmarc.plain.test", NULL), PERM, "resolver_txt(out NULL)");
	resolver_txt_list_free(NULL);
	/* 253 octets is the limit of a name */
	memset(name, 0, sizeof name);
	for (size_t i = 0; i < 249; i++)
		name[i] = i % 50 == 49 ? '.' : 'a';
	strcat(name, ".test");
	check_txt(name, PERM, "");
	memmove(name + 1, name + 2, strlen(name + 1));
	CHECK_INT(strlen(name), 253, "name length");
	check_txt(name, NX, "");
}

struct fetch_case {
	const char *domain;
	size_t reclen;
	int want;
	const char *rec;
};

static const struct fetch_case fetch_cases[] = {
	{ "plain.test", 4096, DISCOVER_FOUND, PLAIN },
	{ "PLAIN.test.", 4096, DISCOVER_FOUND, PLAIN },
	{ "split.test", 4096, DISCOVER_FOUND,
	  "v=DMARC1; p=quarantine; pct=50; rua=mailto:agg@split.test" },
	{ "mixed.test", 4096, DISCOVER_FOUND, "v=DMARC1; p=reject" },
	{ "alias2.test", 4096, DISCOVER_FOUND, PLAIN },
	{ "two.test", 4096, DISCOVER_NONE, "" },
	{ "other.test", 4096, DISCOVER_NONE, "" },
	{ "nodata.test", 4096, DISCOVER_NONE, "" },
	{ "ent.test", 4096, DISCOVER_NONE, "" },
	{ "loop1.test", 4096, DISCOVER_NONE, "" },
	{ "nx.test", 4096, DISCOVER_NXDOMAIN, "" },
	/* the record must fit with its NUL */
	{ "plain.test", sizeof PLAIN, DISCOVER_FOUND, PLAIN },
	{ "plain.test", sizeof PLAIN - 1, DISCOVER_NONE, "" },
	{ "plain.test", 1, DISCOVER_NONE, "" },
	{ "", 4096, DISCOVER_NONE, "" },
};

static void check_fetch(const char *domain, size_t reclen, int want, const char *want_rec)
{
	char rec[4096], ctx[512];
	int st;

	memset(rec, 'x', sizeof rec);
	st = resolver_dmarc_fetch(NULL, domain, rec, reclen);
	snprintf(ctx, sizeof ctx, "resolver_dmarc_fetch(%.300s, %zu)", domain, reclen);
	CHECK_INT(st, want, ctx);
	if (st == DISCOVER_FOUND)
		CHECK_STR(rec, want_rec, ctx);
	else
		CHECK(rec[0] == '\0', "%s: buffer not emptied", ctx);
}

static void test_nsd_fetch(void)
{
	char rec[8], longrec[400], name[300];

	for (size_t i = 0; i < sizeof fetch_cases / sizeof fetch_cases[0]; i++)
		check_fetch(fetch_cases[i].domain, fetch_cases[i].reclen, fetch_cases[i].want,
			    fetch_cases[i].rec);
	snprintf(longrec, sizeof longrec, "v=DMARC1; p=none; rua=mailto:%0200d@long.test,mailto:%0100d@long.test", 0, 0);
	for (char *p = longrec; *p != '\0'; p++)
		if (*p == '0')
			*p = p < strchr(longrec, ',') ? 'a' : 'b';
	check_fetch("long.test", sizeof longrec, DISCOVER_FOUND, longrec);
	check_fetch("long.test", strlen(longrec), DISCOVER_NONE, "");
	CHECK_INT(resolver_dmarc_fetch(NULL, NULL, rec, sizeof rec), DISCOVER_NONE, "fetch NULL domain");
	CHECK_INT(resolver_dmarc_fetch(NULL, "plain.test", NULL, 10), DISCOVER_NONE, "fetch NULL rec");
	CHECK_INT(resolver_dmarc_fetch(NULL, "plain.test", rec, 0), DISCOVER_NONE, "fetch reclen 0");
	/* "_dmarc." + 247 octets is longer than a name can be */
	memset(name, 0, sizeof name);
	for (size_t i = 0; i < 247; i++)
		name[i] = i % 40 == 39 ? '.' : 'a';
	check_fetch(name, 4096, DISCOVER_NONE, "");
}

struct exists_case {
	const char *name;
	int want;
};

static const struct exists_case exists_cases[] = {
	{ "plain.test", OK },
	{ "v4only.test", OK },
	{ "v6only.test", OK },
	{ "mxonly.test", OK },
	{ "_dmarc.ent.test", OK },      /* empty non-terminal */
	{ "_dmarc.dangling.test", OK }, /* a CNAME to nowhere */
	{ "a.b.c.d.e.f.g.h.i.deep.test", OK },
	{ "test", OK },
	{ "nosuch.test", NX },
	{ "x.nosuch.test", NX },
	{ "a..test", PERM },
};

static void test_nsd_exists(void)
{
	char ctx[300];

	for (size_t i = 0; i < sizeof exists_cases / sizeof exists_cases[0]; i++) {
		snprintf(ctx, sizeof ctx, "resolver_exists(%s)", exists_cases[i].name);
		CHECK_INT(resolver_exists(exists_cases[i].name), exists_cases[i].want, ctx);
	}
	CHECK_INT(resolver_exists(NULL), PERM, "resolver_exists(NULL)");
}

/* the RFC 9989 tree walk over real DNS: 11 labels, record at deep.test */
static void test_nsd_treewalk(void)
{
	struct discover_lookup lk = { resolver_dmarc_fetch, NULL };
	struct discover_result res;

	memset(&res, 0, sizeof res);
	CHECK_INT(discover_treewalk(&lk, "a.b.c.d.e.f.g.h.i.deep.test", &res), DISCOVER_FOUND,
		  "treewalk deep");
	CHECK_STR(res.found_at, "deep.test", "treewalk found_at");
	CHECK_STR(res.txt, "v=DMARC1; p=reject; psd=n", "treewalk txt");
	CHECK(res.queries >= 2 && res.queries <= 8, "treewalk queries %d", res.queries);
	discover_result_free(&res);
}

/* ---- the stub: failures, timing, the cache ---- */

static const struct txt_case stub_cases[] = {
	{ "servfail.test", TEMP, "" },
	{ "refused.test", TEMP, "" },
	{ "notimp.test", TEMP, "" },
	{ "formerr.test", PERM, "" },
	{ "trunc.test", OK, "via-tcp" },
	{ "trunctcp.test", TEMP, "" },
	{ "garbage.test", TEMP, "" },
	{ "badtxt.test", TEMP, "" },
	{ "txt.a.test", OK, "v=DMARC1; p=reject" },
	/* the answer ends in a CNAME: the target is asked next */
	{ "cname.a.test", OK, "v=DMARC1; p=reject" },
	{ "cnamenx.a.test", NODATA, "" },
	{ "loop.a.test", PERM, "" },
	{ "nodata.a.test", NODATA, "" },
	{ "nothing.test", NX, "" },
};

static void test_stub_txt(void)
{
	struct resolver_txt_list l;
	char ctx[300];
	double t;

	use_port(stub_port, 1);
	for (size_t i = 0; i < sizeof stub_cases / sizeof stub_cases[0]; i++) {
		t = now();
		check_txt(stub_cases[i].name, stub_cases[i].want, stub_cases[i].records);
		snprintf(ctx, sizeof ctx, "%s answered fast", stub_cases[i].name);
		CHECK(now() - t < 0.9, "%s: %.2f s", ctx, now() - t);
	}
	CHECK_INT(resolver_txt("many.test", &l), OK, "many.test");
	CHECK_INT(l.count, RESOLVER_TXT_MAX, "many.test keeps RESOLVER_TXT_MAX records");
	resolver_txt_list_free(&l);
	check_fetch("servfail.test", 4096, DISCOVER_TEMPFAIL, "");
	check_fetch("formerr.test", 4096, DISCOVER_NONE, "");
	check_fetch("cname.b.test", 4096, DISCOVER_FOUND, "v=DMARC1; p=reject");
	CHECK_INT(resolver_exists("servfail.test"), TEMP, "exists servfail");
	CHECK_INT(resolver_exists("gone.e.test"), NX, "exists gone");
	check_queries("gone.e.test", "3", "exists asks A, AAAA and MX");
}

static void check_elapsed(const char *name, int want, double lo, double hi)
{
	struct resolver_txt_list l;
	double t = now();

	CHECK_INT(resolver_txt(name, &l), want, name);
	t = now() - t;
	CHECK(t >= lo && t <= hi, "%s took %.2f s, want %.1f..%.1f", name, t, lo, hi);
	resolver_txt_list_free(&l);
}

static void test_timeouts(void)
{
	int ports[2];

	use_port(stub_port, 1);
	check_elapsed("timeout.test", TEMP, 0.9, 3.5); /* upper bounds leave room for a loaded CI machine */
	check_fetch("timeout.test", 4096, DISCOVER_TEMPFAIL, "");
	/* two silent servers: at most the timeout each */
	ports[0] = ports[1] = stub_port;
	use_ports(2, ports, 1);
	check_elapsed("timeout.b.test", TEMP, 1.8, 5.0);
	/* failover: a silent, refusing or absent server, then nsd */
	ports[1] = nsd_port;
	use_ports(2, ports, 1);
	check_elapsed("timeout.test", NX, 0.9, 3.5);
	check_elapsed("servfail.test", NX, 0.0, 2.0);
	check_elapsed("refused.test", NX, 0.0, 2.0);
	ports[0] = dead_port();
	use_ports(2, ports, 1);
	check_elapsed("_dmarc.plain.test", OK, 0.0, 0.9);
}

/* entries that are not AF_INET are left out of the server list */
static void test_configure(void)
{
	struct sockaddr_in sa[2];

	memset(sa, 0, sizeof sa);
	sa[0].sin_family = AF_UNSPEC;
	sa[0].sin_port = htons((uint16_t)stub_port);
	sa[0].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa[1] = sa[0];
	sa[1].sin_family = AF_INET;
	sa[1].sin_port = htons((uint16_t)nsd_port);
	resolver_configure(2, sa, 1);
	check_elapsed("timeout.test", NX, 0.0, 0.9);
}

/* name, status, and how many queries two lookups make */
static const struct txt_case negative_cases[] = {
	{ "nothing.n.test", NX, "1" },
	{ "nodata.n.test", NODATA, "1" },
	{ "cnamenx.n.test", NODATA, "1" },
	{ "servfail.n.test", TEMP, "2" },
	{ "formerr.n.test", PERM, "2" },
	{ "garbage.n.test", TEMP, "2" },
};

static void test_cache(void)
{
	char got[64];

	use_port(stub_port, 1);
	lookup_one("count.c.test", got, sizeof got);
	CHECK_STR(got, "1", "count first");
	lookup_one("COUNT.c.test.", got, sizeof got);
	CHECK_STR(got, "1", "count from the cache");
	check_queries("count.c.test", "1", "cache hit asks nobody");
	usleep(1200 * 1000); /* TTL 1 */
	lookup_one("count.c.test", got, sizeof got);
	CHECK_STR(got, "2", "count after its TTL");
	lookup_one("count0.c.test", got, sizeof got);
	lookup_one("count0.c.test", got, sizeof got);
	CHECK_STR(got, "2", "TTL 0 is not cached");
	/* negative answers are cached, failures are not */
	for (size_t i = 0; i < sizeof negative_cases / sizeof negative_cases[0]; i++) {
		const struct txt_case *c = &negative_cases[i];

		check_txt(c->name, c->want, "");
		check_txt(c->name, c->want, "");
		check_queries(c->name, c->records, c->name);
	}
	/* new name servers empty the cache; the same ones or a timeout do not */
	lookup_one("txt.f.test", got, sizeof got);
	use_port(nsd_port, 1);
	use_port(stub_port, 1);
	lookup_one("txt.f.test", got, sizeof got);
	check_queries("txt.f.test", "2", "new servers flush");
	use_port(stub_port, 3);
	resolver_configure(-1, NULL, 1);
	lookup_one("txt.f.test", got, sizeof got);
	CHECK_STR(got, "v=DMARC1; p=reject", "txt.f.test");
	check_queries("txt.f.test", "2", "same servers keep the cache");
}

/* the cache holds 4096 entries: the least recently used one goes */
static void test_cache_bound(void)
{
	char name[64];
	double t = now();

	use_port(stub_port, 1);
	check_txt("nodata.lru.test", NODATA, "");
	check_txt("nodata.keep.test", NODATA, "");
	for (int i = 0; i < 4100; i++) {
		if (i % 1000 == 0)
			check_txt("nodata.keep.test", NODATA, ""); /* stays recent */
		snprintf(name, sizeof name, "fill%d.test", i);
		check_txt(name, NX, "");
	}
	check_txt("nodata.lru.test", NODATA, "");
	check_queries("nodata.lru.test", "2", "oldest entry evicted");
	check_txt("nodata.keep.test", NODATA, "");
	check_queries("nodata.keep.test", "1", "recently used entry kept");
	printf("cache fill: %.2f s for 4100 lookups\n", now() - t);
}

/* ---- fakes (OpenDMARC's opendmarc_dns_fake_record) ---- */

static void test_fakes(void)
{
	char rec[256];

	use_port(nsd_port, 2);
	resolver_fake("_dmarc.plain.test", "v=DMARC1; p=none; fake");
	resolver_fake("_DMARC.Multi.test", "v=DMARC1; p=none");
	resolver_fake("_dmarc.multi.test.", "v=DMARC1; p=reject");
	resolver_fake("_dmarc.gone.test", NULL);
	resolver_fake(NULL, "ignored");
	check_fetch("plain.test", sizeof rec, DISCOVER_FOUND, "v=DMARC1; p=none; fake");
	check_txt("_dmarc.multi.test", OK, "v=DMARC1; p=none | v=DMARC1; p=reject");
	check_fetch("multi.test", sizeof rec, DISCOVER_NONE, "");
	check_fetch("gone.test", sizeof rec, DISCOVER_NXDOMAIN, "");
	/* with fakes present, other names have no records (OpenDMARC) */
	check_fetch("split.test", sizeof rec, DISCOVER_NONE, "");
	check_txt("_dmarc.split.test", NODATA, "");
	CHECK_INT(resolver_exists("_dmarc.gone.test"), NX, "exists fake NXDOMAIN");
	CHECK_INT(resolver_exists("nosuch.test"), OK, "exists with fakes");
	resolver_shutdown();
	use_port(nsd_port, 2);
	check_fetch("plain.test", sizeof rec, DISCOVER_FOUND, PLAIN);
	check_fetch("split.test", sizeof rec, DISCOVER_FOUND,
		    "v=DMARC1; p=quarantine; pct=50; rua=mailto:agg@split.test");
}

/* ---- threads share the cache ---- */

static void *worker(void *arg)
{
	static const struct { const char *domain; enum discover_status want; } cases[] = {
		{ "plain.test", DISCOVER_FOUND }, { "two.test", DISCOVER_NONE },
		{ "nx.test", DISCOVER_NXDOMAIN }, { "alias.test", DISCOVER_FOUND },
		{ "split.test", DISCOVER_FOUND }, { "nodata.test", DISCOVER_NONE },
	};
	long id = (long)(intptr_t)arg, bad = 0;
	char rec[256];

	for (int i = 0; i < 300; i++) {
		size_t c = (size_t)(i + id) % (sizeof cases / sizeof cases[0]);

		if (id == 0 && i % 50 == 0)
			use_port(nsd_port, 2); /* flush under the others' feet */
		if (resolver_dmarc_fetch(NULL, cases[c].domain, rec, sizeof rec) != cases[c].want)
			bad++;
	}
	return (void *)(intptr_t)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	void *bad;

	use_port(nsd_port, 2);
	for (long i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0, "thread %ld", i);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		CHECK((intptr_t)bad == 0, "thread %d: %ld wrong answers", i, (long)(intptr_t)bad);
	}
}

static int env_port(const char *name)
{
	const char *v = getenv(name);
	long p = v != NULL ? strtol(v, NULL, 10) : 0;

	return p > 0 && p < 65536 ? (int)p : 0;
}

int main(void)
{
	nsd_port = env_port("DNS_NSD_PORT");
	stub_port = env_port("DNS_STUB_PORT");
	if (nsd_port == 0 || stub_port == 0) {
		printf("test_resolver: DNS_NSD_PORT/DNS_STUB_PORT not set (run tests/dns.test)\n");
		return 77;
	}
	test_nsd_txt();
	test_nsd_fetch();
	test_nsd_exists();
	test_nsd_treewalk();
	test_stub_txt();
	test_timeouts();
	test_configure();
	test_cache();
	test_cache_bound();
	test_fakes();
	test_threads();
	resolver_shutdown();
	return check_done("test_resolver");
}
