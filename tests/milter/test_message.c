/*
 * test_message - From domains, trusted results, forged A-R deletion, the
 * Received-SPF rules and the pure decision evaluate().
 */
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "dmarc.h"
#include "message.h"

static struct message *msg(const char *mailfrom, const char *const *fields)
{
	struct message *m = message_new();
	size_t i;

	message_set_mailfrom(m, mailfrom);
	for (i = 0; fields[i] != NULL; i += 2)
		message_add_header(m, fields[i], fields[i + 1]);
	return m;
}

static void test_from(void)
{
	static const char *const f[] = { "From", "a@One.example, \"x\" <b@two.example>",
					 "Date", "d", "from", "c@one.example", NULL };
	char doms[ADDR_MAX][ADDR_DOMAIN_MAX];
	enum addr_status st;
	size_t nf, n;
	struct message *m = msg("x@y.example", f);

	n = message_from_domains(m, doms, ADDR_MAX, &nf, &st);
	CHECK_INT(n, 2, "distinct domains");
	CHECK_INT(nf, 2, "From fields");
	CHECK_STR(doms[0], "one.example", "first lower-cased");
	CHECK_STR(doms[1], "two.example", "second");
	CHECK_INT(message_headers_ok(m), 0, "two From fields break RFC 5322");
	CHECK_STR(m->mfrom_domain, "y.example", "mfrom domain");
	message_free(&m);
	CHECK(m == NULL, "free clears");
}

static void test_no_from(void)
{
	static const char *const f[] = { "Subject", "x", NULL };
	char doms[ADDR_MAX][ADDR_DOMAIN_MAX];
	enum addr_status st;
	size_t nf;
	struct message *m = msg("<>", f);

	CHECK_INT(message_from_domains(m, doms, ADDR_MAX, &nf, &st), 0, "no From");
	CHECK_INT(st, ADDR_EMPTY, "status empty");
	CHECK_STR(m->mfrom_domain, "", "null sender");
	message_free(&m);
}

static void test_auth(void)
{
	static const char *const f[] = {
		"Authentication-Results", "mx.example; spf=pass smtp.mailfrom=u@env.example",
		"Received", "from a by mx.example",
		"Authentication-Results", "relay.example; dkim=pass header.d=sig.example header.s=s1",
		"Authentication-Results", "MX.example; dkim=pass header.d=forged.example",
		"Authentication-Results", "stranger.example; dkim=pass header.d=stranger.example",
		"Authentication-Results", "mx.example/99; arc=pass",
		"Received-SPF", "fail identity=mailfrom; envelope-from=u@env.example",
		NULL };
	struct trust t = { "mx.example", "relay.example, other.example", 0, 0 };
	struct auth_results a;
	struct message *m = msg("u@env.example", f);

	/* our own id, wherever it stands, is forged: removed and ignored */
	message_auth_results(m, &t, &a);
	CHECK_INT(a.spf.have, 1, "spf from Received-SPF, not from our-id field");
	CHECK_INT(a.spf.outcome, DMARC_POLICY_SPF_OUTCOME_FAIL, "Received-SPF fail");
	CHECK_INT(a.ndkim, 1, "only the trusted relay's dkim");
	CHECK_STR(a.dkim[0].domain, "sig.example", "dkim domain");
	CHECK_STR(a.dkim[0].selector, "s1", "selector");
	CHECK_INT(a.dkim[0].ares, ARES_RESULT_PASS, "dkim ares");
	CHECK_INT(a.ndelete, 3, "three forged fields, above Received or not");
	CHECK_INT(a.delete_index[0], 5, "last first");
	CHECK_INT(a.delete_index[1], 3, "then the earlier one");
	CHECK_INT(a.delete_index[2], 1, "then the topmost");
	CHECK_INT(a.arc_ares, ARES_RESULT_UNKNOWN, "forged arc ignored");
	message_free(&m);

	/* TrustedAuthservIDs naming our id explicitly: the operator vouches */
	t.own_trusted = 1;
	m = msg("u@env.example", f);
	message_auth_results(m, &t, &a);
	CHECK_INT(a.ndelete, 0, "own id trusted: nothing deleted");
	CHECK_INT(a.spf.outcome, DMARC_POLICY_SPF_OUTCOME_PASS, "own-id spf pass taken");
	CHECK_INT(a.ndkim, 2, "own-id and relay dkim");
	CHECK_INT(a.arc_ares, ARES_RESULT_PASS, "own-id arc taken");
	message_free(&m);
	t.own_trusted = 0;

	t.spf_ignore = 1;
	m = msg("u@env.example", f);
	message_auth_results(m, &t, &a);
	CHECK_INT(a.spf.have, 0, "SPFIgnoreResults");
	message_free(&m);
}

static void test_received_spf(void)
{
	static const struct {
		const char *mailfrom, *rspf;
		int have;
	} cases[] = {
		{ "u@env.example", "pass identity=mailfrom; envelope-from=u@env.example", 1 },
		{ "u@env.example", "pass identity=helo; envelope-from=u@env.example", 0 },
		{ "u@env.example", "pass envelope-from=u@env.example", 0 },
		{ "u@env.example", "pass identity=mailfrom; envelope-from=u@other.example", 0 },
		{ "<>", "pass identity=mailfrom; envelope-from=", 0 },
		{ NULL, NULL, 0 },
	};
	struct trust t = { "mx.example", "", 0, 0 };
	size_t i;

	for (i = 0; cases[i].mailfrom != NULL; i++) {
		const char *f[] = { "Received-SPF", cases[i].rspf, "Received-SPF",
				    "pass identity=mailfrom; envelope-from=u@env.example", NULL };
		struct auth_results a;
		struct message *m = msg(cases[i].mailfrom, f);

		message_auth_results(m, &t, &a);
		CHECK(a.spf.have == cases[i].have, "topmost Received-SPF \"%s\": want %d",
		      cases[i].rspf, cases[i].have);
		message_free(&m);
	}
}

static struct domain_outcome outcome(const char *d, int status, int policy, int p)
{
	struct domain_outcome o;

	memset(&o, 0, sizeof o);
	snprintf(o.domain, sizeof o.domain, "%s", d);
	snprintf(o.pdomain, sizeof o.pdomain, "%s", d);
	o.status = status;
	o.policy = policy;
	o.p = o.sp = p;
	o.used = DMARC_USED_POLICY_IS_P;
	o.pct = 100;
	return o;
}

#define OK DMARC_PARSE_OKAY
#define R DMARC_RECORD_P_REJECT
#define Q DMARC_RECORD_P_QUARANTINE
#define N DMARC_RECORD_P_NONE

static void test_evaluate(void)
{
	static const struct {
		const char *name;
		int status, policy, p, pct, roll, testing, reject, hold;
		const char *result, *pword, *dis;
		enum dm_action act;
		int quarantine, history;
	} cases[] = {
		{ "pass", OK, DMARC_POLICY_PASS, R, 100, 0, 0, 1, 1, "pass", "reject", "none", ACT_ACCEPT, 0, 2 },
		{ "reject", OK, DMARC_POLICY_REJECT, R, 100, 0, 0, 1, 0, "fail", "reject", "reject", ACT_REJECT, 0, 0 },
		{ "reject off", OK, DMARC_POLICY_REJECT, R, 100, 0, 0, 0, 0, "fail", "reject", "none", ACT_ACCEPT, 0, 2 },
		{ "pct miss", OK, DMARC_POLICY_REJECT, R, 50, 70, 0, 1, 0, "fail", "reject", "quarantine", ACT_ACCEPT, 0, 4 },
		{ "pct hit", OK, DMARC_POLICY_REJECT, R, 50, 10, 0, 1, 0, "fail", "reject", "reject", ACT_REJECT, 0, 0 },
		{ "t=y", OK, DMARC_POLICY_REJECT, R, 100, 0, 1, 1, 1, "fail", "reject", "quarantine", ACT_ACCEPT, 1, 4 },
		{ "quarantine hold", OK, DMARC_POLICY_QUARANTINE, Q, 100, 0, 0, 0, 1, "fail", "quarantine", "quarantine", ACT_ACCEPT, 1, 4 },
		{ "quarantine no hold", OK, DMARC_POLICY_QUARANTINE, Q, 100, 0, 0, 1, 0, "fail", "quarantine", "quarantine", ACT_ACCEPT, 0, 4 },
		{ "quarantine off", OK, DMARC_POLICY_QUARANTINE, Q, 100, 0, 0, 0, 0, "fail", "quarantine", "none", ACT_ACCEPT, 0, 2 },
		{ "quarantine t=y", OK, DMARC_POLICY_QUARANTINE, Q, 100, 0, 1, 1, 1, "fail", "quarantine", "none", ACT_ACCEPT, 0, 2 },
		{ "p=none fail", OK, DMARC_POLICY_NONE, N, 100, 0, 0, 1, 1, "fail", "none", "none", ACT_ACCEPT, 0, 2 },
		{ "no record", DMARC_DNS_ERROR_NO_RECORD, DMARC_POLICY_ABSENT, 0, 100, 0, 0, 1, 1, "none", "none", "none", ACT_ACCEPT, 0, 2 },
		{ "temperror", DMARC_DNS_ERROR_TMPERR, 0, 0, 100, 0, 0, 1, 0, "temperror", "none", "none", ACT_TEMPFAIL, 0, 3 },
		{ "temperror off", DMARC_DNS_ERROR_TMPERR, 0, 0, 100, 0, 0, 0, 0, "temperror", "none", "none", ACT_ACCEPT, 0, 2 },
		{ "permerror", DMARC_PARSE_ERROR_BAD_VALUE, 0, 0, 100, 0, 0, 1, 0, "permerror", "none", "none", ACT_ACCEPT, 0, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct domain_outcome o = outcome("d.example", cases[i].status, cases[i].policy, cases[i].p);
		struct eval_input in;
		struct verdict v;

		memset(&in, 0, sizeof in);
		in.reject_failures = cases[i].reject;
		in.hold_quarantined = cases[i].hold;
		in.headers_ok = 1;
		o.pct = cases[i].pct;
		o.roll = cases[i].roll;
		o.testing = cases[i].testing;
		evaluate(&in, &o, 1, &v);
		CHECK_STR(v.result_word, cases[i].result, cases[i].name);
		CHECK_STR(v.policy_word, cases[i].pword, cases[i].name);
		CHECK_STR(v.disposition, cases[i].dis, cases[i].name);
		CHECK_INT(v.action, cases[i].act, cases[i].name);
		CHECK_INT(v.quarantine, cases[i].quarantine, cases[i].name);
		CHECK_INT(v.history_action, cases[i].history, cases[i].name);
	}
}

static void test_evaluate_multi(void)
{
	struct domain_outcome o[3];
	struct eval_input in;
	struct verdict v;

	o[0] = outcome("pass.example", OK, DMARC_POLICY_PASS, R);
	o[1] = outcome("q.example", OK, DMARC_POLICY_QUARANTINE, Q);
	o[2] = outcome("none.example", DMARC_DNS_ERROR_NO_RECORD, DMARC_POLICY_ABSENT, 0);
	memset(&in, 0, sizeof in);
	in.headers_ok = 1;
	in.hold_quarantined = 1;
	evaluate(&in, o, 3, &v);
	CHECK_INT(v.which, 1, "strictest failing domain decides");
	CHECK_STR(v.result_word, "fail", "multi: fail, not pass");
	CHECK_INT(v.quarantine, 1, "multi: held");

	o[2] = outcome("r.example", OK, DMARC_POLICY_REJECT, R);
	in.reject_failures = 1;
	evaluate(&in, o, 3, &v);
	CHECK_INT(v.which, 2, "reject beats quarantine");
	CHECK_INT(v.action, ACT_REJECT, "multi reject");

	o[2] = outcome("t.example", DMARC_DNS_ERROR_TMPERR, 0, 0);
	evaluate(&in, o, 3, &v);
	CHECK_INT(v.which, 2, "temperror beats quarantine");
	CHECK_INT(v.action, ACT_TEMPFAIL, "multi tempfail");

	in.reject_multi_from = 1;
	evaluate(&in, o, 2, &v);
	CHECK_INT(v.action, ACT_REJECT, "RejectMultiValueFrom");
	CHECK_STR(v.reason, "multi-from", "reason");

	memset(&in, 0, sizeof in);
	evaluate(&in, o, 0, &v);
	CHECK_STR(v.result_word, "permerror", "no From never passes");
	CHECK_INT(v.action, ACT_ACCEPT, "no From accepted by default");
	in.required_headers = 1;
	evaluate(&in, o, 0, &v);
	CHECK_INT(v.action, ACT_REJECT, "no From rejected with RequiredHeaders");
	in.headers_ok = 0;
	evaluate(&in, o, 1, &v);
	CHECK_INT(v.action, ACT_REJECT, "RequiredHeaders");
	CHECK_STR(v.reason, "headers", "headers reason");
}

int main(void)
{
	test_from();
	test_no_from();
	test_auth();
	test_received_spf();
	test_evaluate();
	test_evaluate_multi();
	return check_done("test_message");
}
