/*
 * test_spf - the SPF identity, the verdict mapping, and libspf2 over
 * fake TXT answers (no network: once a fake exists the resolver answers
 * every name from the fake table).  Client addresses are TEST-NET ones:
 * libspf2 passes any loopback address.
 */
#include "../check.h"
#include "dmarc.h"
#include "spf.h"

static void identity_cases(void)
{
	static const struct {
		const char *mailfrom, *helo;
		int origin;
		const char *sender, *domain;
	} cases[] = {
		{ "user@Example.org", "mx.example.net", DMARC_POLICY_SPF_ORIGIN_MAILFROM,
		  "user@Example.org", "Example.org" },
		{ "", "mx.example.net", DMARC_POLICY_SPF_ORIGIN_HELO, "postmaster@mx.example.net",
		  "mx.example.net" },
		{ "", "[192.0.2.1]", 0, "", "" },
		{ "", "localhost", 0, "", "" },
		{ "", "", 0, "", "" },
		{ "user@", "mx.example.net", 0, "", "" },
		{ "nodomain", "mx.example.net", 0, "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char sender[256] = "", domain[256] = "";
		int o = spf_identity(cases[i].mailfrom, cases[i].helo, sender, sizeof sender, domain,
				     sizeof domain);

		CHECK_INT(o, cases[i].origin, cases[i].mailfrom);
		if (o != 0) {
			CHECK_STR(sender, cases[i].sender, cases[i].mailfrom);
			CHECK_STR(domain, cases[i].domain, cases[i].mailfrom);
		}
	}
}

static void fill_cases(void)
{
	static const struct {
		enum spf_verdict v;
		const char *word;
		int ares, outcome;
	} cases[] = {
		{ SPF_V_PASS, "pass", ARES_RESULT_PASS, DMARC_POLICY_SPF_OUTCOME_PASS },
		{ SPF_V_FAIL, "fail", ARES_RESULT_FAIL, DMARC_POLICY_SPF_OUTCOME_FAIL },
		{ SPF_V_SOFTFAIL, "softfail", ARES_RESULT_SOFTFAIL, DMARC_POLICY_SPF_OUTCOME_FAIL },
		{ SPF_V_NEUTRAL, "neutral", ARES_RESULT_NEUTRAL, DMARC_POLICY_SPF_OUTCOME_FAIL },
		{ SPF_V_NONE, "none", ARES_RESULT_NONE, DMARC_POLICY_SPF_OUTCOME_NONE },
		{ SPF_V_TEMPERROR, "temperror", ARES_RESULT_TEMPERROR,
		  DMARC_POLICY_SPF_OUTCOME_TMPFAIL },
		{ SPF_V_PERMERROR, "permerror", ARES_RESULT_PERMERROR, DMARC_POLICY_SPF_OUTCOME_NONE },
	};
	struct auth_spf r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		spf_fill(cases[i].v, DMARC_POLICY_SPF_ORIGIN_HELO, "x.example", &r);
		CHECK_STR(r.word, cases[i].word, cases[i].word);
		CHECK_INT(r.ares, cases[i].ares, cases[i].word);
		CHECK_INT(r.outcome, cases[i].outcome, cases[i].word);
		CHECK_INT(r.origin, DMARC_POLICY_SPF_ORIGIN_HELO, cases[i].word);
		CHECK_INT(r.have, 1, cases[i].word);
		CHECK_STR(r.domain, "x.example", cases[i].word);
	}
}

static void libspf2_cases(void)
{
	static const struct {
		const char *ip, *mailfrom, *helo, *word, *domain;
	} cases[] = {
		{ "192.0.2.5", "a@spf.example", "mx.example", "pass", "spf.example" },
		{ "198.51.100.7", "a@spf.example", "mx.example", "fail", "spf.example" },
		{ "2001:db8::25", "a@spf.example", "mx.example", "pass", "spf.example" },
		{ "2001:db9::25", "a@spf.example", "mx.example", "fail", "spf.example" },
		{ "198.51.100.7", "a@soft.example", "mx.example", "softfail", "soft.example" },
		{ "198.51.100.7", "a@neutral.example", "mx.example", "neutral", "neutral.example" },
		{ "198.51.100.7", "a@norecord.example", "mx.example", "none", "norecord.example" },
		{ "198.51.100.7", "a@broken.example", "mx.example", "permerror", "broken.example" },
		{ "192.0.2.5", "", "helo.example", "pass", "helo.example" },
		{ "198.51.100.7", "", "helo.example", "fail", "helo.example" },
		{ "192.0.2.5", "", "", "none", "" },
	};
	struct auth_spf r;
	size_t i;

	opendmarc_dns_fake_record("spf.example", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
	opendmarc_dns_fake_record("soft.example", "v=spf1 ~all");
	opendmarc_dns_fake_record("neutral.example", "v=spf1 ?all");
	opendmarc_dns_fake_record("broken.example", "v=spf1 ip4:300.1.1.1 bogus:x -all");
	opendmarc_dns_fake_record("helo.example", "v=spf1 ip4:192.0.2.5 -all");
	opendmarc_dns_fake_record("unrelated.example", "not spf");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		spf_check(cases[i].ip, cases[i].mailfrom, cases[i].helo, &r);
		CHECK_STR(r.word, cases[i].word, cases[i].mailfrom[0] ? cases[i].mailfrom : cases[i].helo);
		CHECK_STR(r.domain, cases[i].domain, cases[i].ip);
	}
	opendmarc_policy_library_shutdown(NULL);
}

int main(void)
{
	identity_cases();
	fill_cases();
	libspf2_cases();
	return check_done("test_spf");
}
