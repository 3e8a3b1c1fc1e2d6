/*
 * test_policy - the public dmarc.h face, end to end without a network:
 * records come from opendmarc_policy_store_dmarc() or from fake DNS
 * answers (opendmarc_dns_fake_record), and any real query goes to a
 * closed loopback port so it fails fast instead of leaving the machine.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "check.h"

#define DKIM_NONE (-1)

struct eval_case {
	const char *name;
	const char *from;
	const char *record;
	const char *record_domain; /* where the record was published */
	const char *spf_domain;
	int spf;
	const char *dkim_domain;
	int dkim;
	int want_policy;
	int want_dkim_align;
	int want_spf_align;
};

#define PASS_D DMARC_POLICY_DKIM_ALIGNMENT_PASS
#define FAIL_D DMARC_POLICY_DKIM_ALIGNMENT_FAIL
#define PASS_S DMARC_POLICY_SPF_ALIGNMENT_PASS
#define FAIL_S DMARC_POLICY_SPF_ALIGNMENT_FAIL
#define SPF_PASS DMARC_POLICY_SPF_OUTCOME_PASS
#define SPF_FAIL DMARC_POLICY_SPF_OUTCOME_FAIL
#define DKIM_PASS DMARC_POLICY_DKIM_OUTCOME_PASS
#define DKIM_FAIL DMARC_POLICY_DKIM_OUTCOME_FAIL

static const struct eval_case eval_cases[] = {
	{ "aligned dkim passes", "example.com", "v=DMARC1; p=reject", "example.com",
	  "other.net", SPF_PASS, "example.com", DKIM_PASS, DMARC_POLICY_PASS, PASS_D, FAIL_S },
	{ "aligned spf passes", "example.com", "v=DMARC1; p=reject", "example.com",
	  "example.com", SPF_PASS, NULL, DKIM_NONE, DMARC_POLICY_PASS, FAIL_D, PASS_S },
	{ "relaxed: subdomain dkim aligns", "example.com", "v=DMARC1; p=reject", "example.com",
	  NULL, 0, "mail.example.com", DKIM_PASS, DMARC_POLICY_PASS, PASS_D, FAIL_S },
	{ "relaxed across co.uk org", "news.shop.co.uk", "v=DMARC1; p=reject", "shop.co.uk",
	  "bounce.shop.co.uk", SPF_PASS, NULL, DKIM_NONE, DMARC_POLICY_PASS, FAIL_D, PASS_S },
	/* OpenDMARC bug: "one ends with the other" is not alignment. */
	{ "suffix is not alignment", "example.co.uk", "v=DMARC1; p=reject", "example.co.uk",
	  "co.uk", SPF_PASS, "other.co.uk", DKIM_PASS, DMARC_POLICY_REJECT, FAIL_D, FAIL_S },
	{ "lookalike is not alignment", "example.com", "v=DMARC1; p=reject", "example.com",
	  "badexample.com", SPF_PASS, "notexample.com", DKIM_PASS, DMARC_POLICY_REJECT, FAIL_D,
	  FAIL_S },
	/* OpenDMARC bug: strict alignment passed via the org domain. */
	{ "strict dkim needs same fqdn", "example.com", "v=DMARC1; p=reject; adkim=s",
	  "example.com", NULL, 0, "mail.example.com", DKIM_PASS, DMARC_POLICY_REJECT, FAIL_D,
	  FAIL_S },
	{ "strict spf needs same fqdn", "mail.example.com", "v=DMARC1; p=quarantine; aspf=s",
	  "mail.example.com", "example.com", SPF_PASS, NULL, DKIM_NONE, DMARC_POLICY_QUARANTINE,
	  FAIL_D, FAIL_S },
	{ "strict same fqdn any case", "Example.COM", "v=DMARC1; p=reject; adkim=s; aspf=s",
	  "example.com", "EXAMPLE.com.", SPF_PASS, NULL, DKIM_NONE, DMARC_POLICY_PASS, FAIL_D,
	  PASS_S },
	{ "failed dkim does not count", "example.com", "v=DMARC1; p=reject", "example.com",
	  NULL, 0, "example.com", DKIM_FAIL, DMARC_POLICY_REJECT, FAIL_D, FAIL_S },
	{ "failed spf does not count", "example.com", "v=DMARC1; p=quarantine", "example.com",
	  "example.com", SPF_FAIL, NULL, DKIM_NONE, DMARC_POLICY_QUARANTINE, FAIL_D, FAIL_S },
	{ "p=none fails to none", "example.com", "v=DMARC1; p=none", "example.com", NULL, 0,
	  NULL, DKIM_NONE, DMARC_POLICY_NONE, FAIL_D, FAIL_S },
	{ "sp applies to subdomain", "a.example.com", "v=DMARC1; p=reject; sp=none",
	  "example.com", NULL, 0, NULL, DKIM_NONE, DMARC_POLICY_NONE, FAIL_D, FAIL_S },
	{ "p applies at the org domain", "example.com", "v=DMARC1; p=reject; sp=none",
	  "example.com", NULL, 0, NULL, DKIM_NONE, DMARC_POLICY_REJECT, FAIL_D, FAIL_S },
	{ "no sp: p for subdomains", "a.b.example.com", "v=DMARC1; p=quarantine",
	  "example.com", NULL, 0, NULL, DKIM_NONE, DMARC_POLICY_QUARANTINE, FAIL_D, FAIL_S },
	{ "pct is not applied here", "example.com", "v=DMARC1; p=reject; pct=0", "example.com",
	  NULL, 0, NULL, DKIM_NONE, DMARC_POLICY_REJECT, FAIL_D, FAIL_S },
	{ "missing p with rua is none", "example.com",
	  "v=DMARC1; rua=mailto:d@example.com", "example.com", NULL, 0, NULL, DKIM_NONE,
	  DMARC_POLICY_NONE, FAIL_D, FAIL_S },
};

/* A record published at the From domain itself, or at its org domain. */
static void store_record(DMARC_POLICY_T *pctx, const struct eval_case *c)
{
	u_char *org = strcasecmp(c->record_domain, c->from) == 0 ? NULL
								 : (u_char *)c->record_domain;

	CHECK_INT(opendmarc_policy_store_dmarc(pctx, (u_char *)c->record, (u_char *)c->from, org),
		  DMARC_PARSE_OKAY, c->name);
}

static void run_eval_case(const struct eval_case *c)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	int dkim_align = -1, spf_align = -1;

	CHECK(pctx != NULL, "%s: connect_init", c->name);
	if (pctx == NULL)
		return;
	CHECK_INT(opendmarc_policy_store_from_domain(pctx, (u_char *)c->from), DMARC_PARSE_OKAY,
		  c->name);
	store_record(pctx, c);
	if (c->spf_domain != NULL)
		CHECK_INT(opendmarc_policy_store_spf(pctx, (u_char *)c->spf_domain, c->spf,
						     DMARC_POLICY_SPF_ORIGIN_MAILFROM, NULL),
			  DMARC_PARSE_OKAY, c->name);
	if (c->dkim_domain != NULL)
		CHECK_INT(opendmarc_policy_store_dkim(pctx, (u_char *)c->dkim_domain,
						      (u_char *)"sel", c->dkim, NULL),
			  DMARC_PARSE_OKAY, c->name);
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), c->want_policy, c->name);
	CHECK_INT(opendmarc_policy_fetch_alignment(pctx, &dkim_align, &spf_align),
		  DMARC_PARSE_OKAY, c->name);
	CHECK_INT(dkim_align, c->want_dkim_align, c->name);
	CHECK_INT(spf_align, c->want_spf_align, c->name);
	opendmarc_policy_connect_shutdown(pctx);
}

/* NULL and empty arguments answer with a status, never a crash. */
static void test_null_arguments(void)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init(NULL, 4);
	u_char buf[8];
	int v;

	CHECK_INT(opendmarc_policy_library_init(NULL), DMARC_PARSE_ERROR_NULL_CTX, "init NULL");
	CHECK_INT(opendmarc_policy_store_from_domain(NULL, (u_char *)"x.org"),
		  DMARC_PARSE_ERROR_NULL_CTX, "from NULL ctx");
	CHECK_INT(opendmarc_policy_store_from_domain(pctx, NULL), DMARC_PARSE_ERROR_EMPTY,
		  "from NULL");
	CHECK_INT(opendmarc_policy_store_from_domain(pctx, (u_char *)""),
		  DMARC_PARSE_ERROR_EMPTY, "from empty");
	CHECK_INT(opendmarc_policy_store_from_domain(pctx, (u_char *)"<>"),
		  DMARC_PARSE_ERROR_NO_DOMAIN, "from <>");
	CHECK_INT(opendmarc_policy_store_dkim(pctx, NULL, NULL, 1, NULL), DMARC_PARSE_ERROR_EMPTY,
		  "dkim NULL");
	CHECK_INT(opendmarc_policy_store_spf(pctx, (u_char *)"", 1, 1, NULL),
		  DMARC_PARSE_ERROR_EMPTY, "spf empty");
	CHECK_INT(opendmarc_policy_store_dmarc(pctx, NULL, (u_char *)"x.org", NULL),
		  DMARC_PARSE_ERROR_EMPTY, "store_dmarc NULL record");
	CHECK_INT(opendmarc_policy_store_dmarc(pctx, (u_char *)"v=DMARC1; p=none", NULL, NULL),
		  DMARC_PARSE_ERROR_NO_DOMAIN, "store_dmarc NULL domain");
	CHECK_INT(opendmarc_get_policy_to_enforce(NULL), DMARC_PARSE_ERROR_NULL_CTX,
		  "enforce NULL");
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_FROM_DOMAIN_ABSENT,
		  "enforce without From");
	CHECK_INT(opendmarc_policy_fetch_p(NULL, &v), DMARC_PARSE_ERROR_NULL_CTX, "fetch_p NULL");
	CHECK_INT(opendmarc_policy_fetch_p(pctx, NULL), DMARC_PARSE_ERROR_EMPTY, "fetch_p out");
	CHECK(opendmarc_policy_fetch_rua(NULL, buf, sizeof buf, 1) == NULL, "rua NULL ctx");
	CHECK(opendmarc_policy_fetch_rua(pctx, NULL, 0, 1) == NULL, "rua without record");
	CHECK_INT(opendmarc_policy_fetch_from_domain(pctx, buf, 0), DMARC_PARSE_ERROR_EMPTY,
		  "from buf 0");
	CHECK_INT(opendmarc_policy_query_dmarc(pctx, NULL), DMARC_PARSE_ERROR_EMPTY,
		  "query without domain");
	CHECK(opendmarc_util_finddomain(NULL, buf, sizeof buf) == NULL, "finddomain NULL");
	CHECK(opendmarc_util_clearargv(NULL) == NULL, "clearargv NULL");
	CHECK(opendmarc_policy_to_buf(NULL, NULL, 0) != 0, "to_buf NULL");
	CHECK(opendmarc_policy_connect_shutdown(NULL) == NULL, "shutdown NULL");
	CHECK(opendmarc_policy_status_to_str(-5) != NULL, "status_to_str out of range");
	opendmarc_policy_connect_shutdown(pctx);
}

static void test_bad_records(void)
{
	static const struct {
		const char *record;
		int want;
	} cases[] = {
		{ "v=DMARC1; p=reject", DMARC_PARSE_OKAY },
		{ "v=DMARC2; p=reject", DMARC_PARSE_ERROR_BAD_VERSION },
		{ "p=reject; v=DMARC1", DMARC_PARSE_ERROR_BAD_VERSION },
		{ "v=DMARC1", DMARC_PARSE_ERROR_NO_REQUIRED_P },
		/* OpenDMARC took "p=r" for reject by prefix: RFC 7489 6.4 has whole keywords */
		{ "v=DMARC1; p=r", DMARC_PARSE_ERROR_NO_REQUIRED_P },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);

		CHECK_INT(opendmarc_policy_parse_dmarc(pctx, (u_char *)"example.com",
						       (u_char *)cases[i].record),
			  cases[i].want, cases[i].record);
		opendmarc_policy_connect_shutdown(pctx);
	}
}

static void test_fetchers(void)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	u_char list[256], **rua;
	int v;

	opendmarc_policy_store_from_domain(pctx, (u_char *)"example.com");
	CHECK_INT(opendmarc_policy_store_dmarc(
			  pctx,
			  (u_char *)"v=DMARC1; p=quarantine; sp=reject; np=reject; pct=50; "
				    "adkim=s; fo=1:d; rf=afrf; psd=n; t=y; "
				    "rua=mailto:a@example.com!10k,mailto:b@example.net; "
				    "ruf=mailto:f@example.com",
			  (u_char *)"example.com", NULL),
		  DMARC_PARSE_OKAY, "store full record");
	opendmarc_policy_fetch_p(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_P_QUARANTINE, "p");
	opendmarc_policy_fetch_sp(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_P_REJECT, "sp");
	opendmarc_policy_fetch_np(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_P_REJECT, "np");
	opendmarc_policy_fetch_pct(pctx, &v);
	CHECK_INT(v, 50, "pct");
	opendmarc_policy_fetch_adkim(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_A_STRICT, "adkim");
	opendmarc_policy_fetch_aspf(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_A_RELAXED, "aspf default");
	opendmarc_policy_fetch_fo(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_FO_1 | DMARC_RECORD_FO_D, "fo");
	opendmarc_policy_fetch_rf(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_RF_AFRF, "rf");
	opendmarc_policy_fetch_psd(pctx, &v);
	CHECK_INT(v, DMARC_RECORD_PSD_NO, "psd");
	opendmarc_policy_fetch_t(pctx, &v);
	CHECK_INT(v, 1, "t");
	rua = opendmarc_policy_fetch_rua(pctx, list, sizeof list, 0);
	CHECK(rua != NULL && rua[0] != NULL && rua[1] != NULL && rua[2] == NULL, "rua count");
	if (rua != NULL && rua[0] != NULL && rua[1] != NULL) {
		CHECK_STR((char *)rua[0], "mailto:a@example.com!10240", "rua[0]");
		CHECK_STR((char *)rua[1], "mailto:b@example.net", "rua[1]");
	}
	CHECK_STR((char *)list, "mailto:a@example.com!10240,mailto:b@example.net", "rua list");
	opendmarc_util_clearargv(rua);
	rua = opendmarc_policy_fetch_ruf(pctx, NULL, 0, 1); /* library frees it */
	CHECK(rua != NULL && rua[0] != NULL && rua[1] == NULL, "ruf count");
	opendmarc_policy_connect_rset(pctx);
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_FROM_DOMAIN_ABSENT,
		  "rset forgets the message");
	opendmarc_policy_connect_shutdown(pctx);
}

static void test_tld_and_alignment(void)
{
	u_char tld[DMARC_MAXHOSTNAMELEN], dom[DMARC_MAXHOSTNAMELEN];

	CHECK_INT(opendmarc_get_tld((u_char *)"a.b.example.co.uk", tld, sizeof tld), 0, "get_tld");
	CHECK_STR((char *)tld, "example.co.uk", "get_tld co.uk");
	CHECK_INT(opendmarc_get_tld((u_char *)"WWW.Example.COM.", tld, sizeof tld), 0, "get_tld");
	CHECK_STR((char *)tld, "example.com", "get_tld case and dot");
	CHECK_INT(opendmarc_policy_check_alignment((u_char *)"mail.example.com",
						   (u_char *)"example.com", DMARC_RECORD_A_RELAXED),
		  0, "relaxed aligned");
	CHECK(opendmarc_policy_check_alignment((u_char *)"mail.example.com",
					       (u_char *)"example.com", DMARC_RECORD_A_STRICT) != 0,
	      "strict not aligned");
	CHECK(opendmarc_policy_check_alignment((u_char *)"a.co.uk", (u_char *)"b.co.uk",
					       DMARC_RECORD_A_RELAXED) != 0,
	      "co.uk siblings not aligned");
	CHECK(opendmarc_util_finddomain((u_char *)"\"Joe, Q\" <joe@Mail.Example.ORG>", dom,
					sizeof dom) != NULL,
	      "finddomain");
	CHECK_STR((char *)dom, "mail.example.org", "finddomain result");
}

/* Discovery through fake DNS answers (no network). */
static void test_query_with_fakes(void)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	u_char name[300], org[DMARC_MAXHOSTNAMELEN];
	int method = -1;

	opendmarc_dns_fake_record("_dmarc.fake.example", "v=DMARC1; p=reject; sp=quarantine");
	opendmarc_dns_fake_record("_dmarc.sub.fake.example", "v=spf1 -all");
	CHECK_INT(opendmarc_policy_query_dmarc(pctx, (u_char *)"sub.fake.example"),
		  DMARC_PARSE_OKAY, "query via org domain");
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_POLICY_QUARANTINE,
		  "sp from the org record");
	CHECK_INT(opendmarc_get_policy_token_used(pctx), DMARC_USED_POLICY_IS_SP, "sp used");
	opendmarc_policy_fetch_discovery(pctx, &method, name, sizeof name);
	CHECK_INT(method, DMARC_DISCOVERY_PSL, "found via org domain");
	CHECK_STR((char *)name, "_dmarc.fake.example", "record name");
	CHECK_INT(opendmarc_policy_fetch_utilized_domain(pctx, org, sizeof org), DMARC_PARSE_OKAY,
		  "utilized");
	CHECK_STR((char *)org, "fake.example", "utilized domain");

	opendmarc_policy_connect_rset(pctx);
	opendmarc_dns_fake_record("_dmarc.two.example", "v=DMARC1; p=reject");
	opendmarc_dns_fake_record("_dmarc.two.example", "v=DMARC1; p=none");
	CHECK_INT(opendmarc_policy_query_dmarc(pctx, (u_char *)"two.example"),
		  DMARC_DNS_ERROR_NO_RECORD, "two records mean none (RFC 7489 6.6.3)");
	opendmarc_policy_connect_shutdown(pctx);
}

/* The TXT lookup the daemon uses for SPF records and DKIM keys. */
static void test_dns_get_txt(void)
{
	char *txt[2];
	size_t n = 99, i;

	opendmarc_dns_fake_record("s1._domainkey.fake.example", "v=DKIM1; p=abc");
	opendmarc_dns_fake_record("multi.fake.example", "one");
	opendmarc_dns_fake_record("multi.fake.example", "two");
	opendmarc_dns_fake_record("multi.fake.example", "three");
	CHECK_INT(opendmarc_dns_get_txt("s1._domainkey.fake.example", txt, 2, &n), DMARC_PARSE_OKAY,
		  "get_txt");
	CHECK_INT(n, 1, "one record");
	if (n == 1) {
		CHECK_STR(txt[0], "v=DKIM1; p=abc", "record text");
		free(txt[0]);
	}
	CHECK_INT(opendmarc_dns_get_txt("multi.fake.example", txt, 2, &n), DMARC_PARSE_OKAY, "multi");
	CHECK_INT(n, 2, "no more than max records");
	for (i = 0; i < n && i < 2; i++)
		free(txt[i]);
	CHECK_INT(opendmarc_dns_get_txt("absent.fake.example", txt, 2, &n), DMARC_DNS_ERROR_NO_RECORD,
		  "a name without a fake");
	CHECK_INT(n, 0, "no records for a missing name");
	CHECK_INT(opendmarc_dns_get_txt(NULL, txt, 2, &n), DMARC_PARSE_ERROR_NULL_CTX, "NULL name");
}

/* RFC 9989 mode: tree walk discovery, psd, and t=y one step weaker. */
static void test_treewalk_mode(OPENDMARC_LIB_T *lib)
{
	DMARC_POLICY_T *pctx;
	u_char name[300], org[DMARC_MAXHOSTNAMELEN];
	int method = -1;

	lib->tld_type = OPENDMARC_TLD_TYPE_TREEWALK;
	CHECK_INT(opendmarc_policy_library_init(lib), DMARC_PARSE_OKAY, "init treewalk");
	/* every name the walk asks gets an answer: no real DNS */
	opendmarc_dns_fake_record("_dmarc.a.b.walk.example", "v=spf1 -all");
	opendmarc_dns_fake_record("_dmarc.b.walk.example", "v=spf1 -all");
	opendmarc_dns_fake_record("_dmarc.walk.example", "v=DMARC1; p=reject; sp=quarantine; t=y");
	opendmarc_dns_fake_record("_dmarc.example", "v=DMARC1; p=none; psd=y");
	pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	CHECK_INT(opendmarc_policy_query_dmarc(pctx, (u_char *)"a.b.walk.example"),
		  DMARC_PARSE_OKAY, "treewalk query");
	opendmarc_policy_fetch_discovery(pctx, &method, name, sizeof name);
	CHECK_INT(method, DMARC_DISCOVERY_TREEWALK, "treewalk method");
	CHECK_STR((char *)name, "_dmarc.walk.example", "treewalk record name");
	CHECK_INT(opendmarc_policy_fetch_org_domain(pctx, org, sizeof org), DMARC_PARSE_OKAY,
		  "treewalk org");
	CHECK_STR((char *)org, "walk.example", "org domain below the psd=y record");
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_POLICY_NONE,
		  "t=y weakens sp=quarantine to none");
	CHECK_INT(opendmarc_get_policy_token_used(pctx), DMARC_USED_POLICY_IS_SP, "sp used");
	/* relaxed alignment walks the DKIM domain separately */
	opendmarc_dns_fake_record("_dmarc.mail.walk.example", "v=spf1 -all");
	CHECK_INT(opendmarc_policy_store_dkim(pctx, (u_char *)"mail.walk.example",
					      (u_char *)"s", DMARC_POLICY_DKIM_OUTCOME_PASS, NULL),
		  DMARC_PARSE_OKAY, "treewalk dkim");
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_POLICY_PASS,
		  "dkim of a sibling subdomain aligns (same org)");
	opendmarc_policy_connect_shutdown(pctx);

	pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	opendmarc_dns_fake_record("_dmarc.strict.walk.example", "v=DMARC1; p=reject");
	CHECK_INT(opendmarc_policy_query_dmarc(pctx, (u_char *)"strict.walk.example"),
		  DMARC_PARSE_OKAY, "exact record");
	CHECK_INT(opendmarc_get_policy_to_enforce(pctx), DMARC_POLICY_REJECT,
		  "p at the exact name, no t");
	opendmarc_policy_connect_shutdown(pctx);
}

int main(void)
{
	OPENDMARC_LIB_T lib;
	const char *top = getenv("top_srcdir");
	char psl[1024];
	size_t i;

	memset(&lib, 0, sizeof lib);
	lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
	snprintf(psl, sizeof psl, "%s/tests/data/psl-test.dat", top ? top : ".");
	snprintf((char *)lib.tld_source_file, sizeof lib.tld_source_file, "%s", psl);
	/* a closed port: unexpected real queries fail at once */
	lib.nscount = 1;
	lib.nsaddr_list[0].sin_family = AF_INET;
	lib.nsaddr_list[0].sin_port = htons(9);
	lib.nsaddr_list[0].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_INT(opendmarc_policy_library_init(&lib), DMARC_PARSE_OKAY, "library_init");
	opendmarc_policy_library_dns_timeout(1);

	for (i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++)
		run_eval_case(&eval_cases[i]);
	test_null_arguments();
	test_bad_records();
	test_fetchers();
	test_tld_and_alignment();
	test_query_with_fakes();
	test_dns_get_txt();
	test_treewalk_mode(&lib);
	opendmarc_policy_library_shutdown(&lib);
	return check_done("test_policy");
}
