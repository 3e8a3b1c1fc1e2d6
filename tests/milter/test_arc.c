/*
 * test_arc - the DomainWhitelist set, the ARC chain read from ARC-Seal and
 * ARC-Authentication-Results fields (hostile shapes included), the
 * override, the history value, and evaluate() under the override.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "arc.h"
#include "dmarc.h"
#include "domlist.h"

static void test_domlist(void)
{
	char err[256], path[] = "/tmp/test_arc.XXXXXX";
	struct domlist *l = domlist_new(4);
	FILE *f;
	int fd;

	CHECK_INT(domlist_add(l, "Lists.Example.org., fwd.example  other.example", err, sizeof err),
		  0, "add");
	CHECK_INT(domlist_count(l), 3, "count");
	CHECK(domlist_has(l, "lists.example.org"), "case and trailing dot");
	CHECK(domlist_has(l, "FWD.EXAMPLE."), "lookup normalised");
	CHECK(!domlist_has(l, "sub.fwd.example"), "no subdomains");
	CHECK(!domlist_has(l, "example"), "no parents");
	CHECK_INT(domlist_add(l, "fwd.example", err, sizeof err), 0, "duplicate ignored");
	CHECK_INT(domlist_count(l), 3, "count after duplicate");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("# whitelist\nfile.example # trailing comment\n\n", f);
	fclose(f);
	CHECK_INT(domlist_load(l, path, err, sizeof err), 0, "load");
	CHECK(domlist_has(l, "file.example"), "from the file");
	CHECK_INT(domlist_add(l, "fifth.example", err, sizeof err), -1, "size bound");
	CHECK(strstr(err, "more than 4") != NULL, "size error: %s", err);
	CHECK_INT(domlist_add(l, ".", err, sizeof err), -1, "empty name");
	unlink(path);
	CHECK_INT(domlist_load(l, path, err, sizeof err), -1, "missing file");
	domlist_free(&l);
	CHECK(l == NULL, "free clears");
	CHECK(!domlist_has(NULL, "x.example"), "NULL set");
}

static struct message *msg(const char *const *fields)
{
	struct message *m = message_new();
	size_t i;

	for (i = 0; fields[i] != NULL; i += 2)
		message_add_header(m, fields[i], fields[i + 1]);
	return m;
}

static void test_chain(void)
{
	static char bigb[4200];
	static char seal_big[4400];
	static const char *f[] = {
		"ARC-Seal", "i=2; a=rsa-sha256; cv=pass; d=Lists.Example; s=arc2; b=AAAA",
		"ARC-Seal", "i=1; a=rsa-sha256; cv=none; d=origin.example; s=s1; b=BBBB",
		"ARC-Seal", "i=2; d=dup.example; s=x; b=CC", /* repeated instance */
		"ARC-Seal", "no equals sign here",                /* OpenDMARC crash shape */
		"ARC-Seal", "i=0; d=zero.example; s=x",
		"ARC-Seal", "i=51; d=high.example; s=x",
		"ARC-Seal", "i=3x; d=junk.example; s=x",
		"ARC-Seal", "i=4; d=\"quoted\".example; s=x",
		"ARC-Seal", "i=5; s=nodomain",
		"ARC-Seal", NULL, /* seal_big */
		"ARC-Authentication-Results", "i=2; mx.lists.example; spf=pass smtp.mailfrom=a@b.example;"
					      " arc=pass smtp.remote-ip=192.0.2.44",
		"ARC-Authentication-Results", "i=1; mx.origin.example; dkim=pass header.d=o.example;"
					      " iprev=pass smtp.client-ip=2001:db8::7",
		"ARC-Authentication-Results", "i=6; mx.x.example; arc=pass smtp.remote-ip=\"1.2.3.4\\\"}\"",
		NULL, NULL,
	};
	struct arc_chain c;
	struct message *m;
	char buf[1024];

	memset(bigb, 'A', sizeof bigb - 1);
	snprintf(seal_big, sizeof seal_big, "i=6; a=rsa-sha256; cv=pass; d=big.example; s=s6; b=%s",
		 bigb);
	f[19] = seal_big;
	m = msg(f);
	arc_chain(m, &c);
	CHECK_INT(c.nsets, 3, "usable sets");
	CHECK(c.nsets == 3 && c.sets[0].instance == 1 && c.sets[1].instance == 2 &&
	      c.sets[2].instance == 6, "ordered by instance");
	CHECK_STR(c.sets[1].domain, "lists.example", "d= lower-cased, first of i=2 kept");
	CHECK_STR(c.sets[1].selector, "arc2", "s=");
	CHECK_STR(c.sets[1].ip, "192.0.2.44", "remote-ip of the same instance");
	CHECK_STR(c.sets[0].ip, "2001:db8::7", "client-ip");
	CHECK_STR(c.sets[2].ip, "", "a non-address ip is dropped");
	CHECK_STR(c.sets[2].domain, "big.example", "4096-bit b= is fine");

	CHECK(arc_override(&c, ARES_RESULT_PASS, NULL) == NULL, "no whitelist");
	{
		struct domlist *wl = domlist_new(10);
		char err[64];

		domlist_add(wl, "origin.example", err, sizeof err);
		CHECK(arc_override(&c, ARES_RESULT_FAIL, wl) == NULL, "arc=fail never overrides");
		CHECK(arc_override(&c, ARES_RESULT_UNKNOWN, wl) == NULL, "no trusted arc result");
		CHECK(arc_override(&c, ARES_RESULT_PASS, wl) != NULL &&
		      strcmp(arc_override(&c, ARES_RESULT_PASS, wl), "origin.example") == 0,
		      "whitelisted sealer");
		domlist_add(wl, "lists.example", err, sizeof err);
		CHECK_STR(arc_override(&c, ARES_RESULT_PASS, wl), "lists.example", "latest first");
		domlist_free(&wl);
	}
	CHECK_INT(arc_policy_code(ARES_RESULT_PASS, 1), ARC_POLICY_PASS, "code pass");
	CHECK_INT(arc_policy_code(ARES_RESULT_PASS, 0), ARC_POLICY_UNUSED, "code pass, no sealer");
	CHECK_INT(arc_policy_code(ARES_RESULT_FAIL, 0), ARC_POLICY_FAIL, "code fail");
	CHECK_INT(arc_policy_code(ARES_RESULT_UNKNOWN, 0), ARC_POLICY_UNUSED, "code unused");

	arc_policy_value(&c, 0, buf, sizeof buf);
	CHECK_STR(buf, "0 json:[{\"i\": 1, \"d\": \"origin.example\", \"s\": \"s1\", \"ip\": "
		       "\"2001:db8::7\"}, {\"i\": 2, \"d\": \"lists.example\", \"s\": \"arc2\", "
		       "\"ip\": \"192.0.2.44\"}, {\"i\": 6, \"d\": \"big.example\", \"s\": \"s6\", "
		       "\"ip\": \"\"}]", "history value");
	arc_policy_value(&c, 1, buf, 90);
	CHECK_STR(buf, "1 json:[{\"i\": 1, \"d\": \"origin.example\", \"s\": \"s1\", \"ip\": "
		       "\"2001:db8::7\"}]", "whole objects only");
	message_free(&m);
	memset(&c, 0, sizeof c);
	arc_policy_value(&c, 1, buf, sizeof buf);
	CHECK_STR(buf, "1 json:[]", "no sets");
}

static void test_evaluate(void)
{
	static const int policies[] = { DMARC_POLICY_REJECT, DMARC_POLICY_QUARANTINE };
	struct domain_outcome o;
	struct eval_input in;
	struct verdict v;
	size_t i;

	for (i = 0; i < 2; i++) {
		memset(&o, 0, sizeof o);
		snprintf(o.domain, sizeof o.domain, "x.example");
		o.status = DMARC_PARSE_OKAY;
		o.policy = policies[i];
		o.p = policies[i] == DMARC_POLICY_REJECT ? DMARC_RECORD_P_REJECT
							  : DMARC_RECORD_P_QUARANTINE;
		o.pct = 100;
		memset(&in, 0, sizeof in);
		in.from_fields = 1;
		in.reject_failures = 1;
		in.hold_quarantined = 1;
		in.headers_ok = 1;
		evaluate(&in, &o, 1, &v);
		CHECK(v.action == ACT_REJECT || v.quarantine, "enforced without override (%zu)", i);
		in.arc_override = 1;
		evaluate(&in, &o, 1, &v);
		CHECK_INT(v.action, ACT_ACCEPT, "override: accepted");
		CHECK_INT(v.quarantine, 0, "override: not held");
		CHECK_STR(v.disposition, "none", "override: dis=none");
		CHECK_STR(v.result_word, "fail", "override: still a DMARC failure");
		CHECK_INT(v.arc_override, 1, "override flagged");
		CHECK_INT(v.history_action, DMARC_RESULT_ACCEPT, "override: history action");
		CHECK_INT(v.copy_failure, 1, "override: still a failure copy");
	}
	o.policy = DMARC_POLICY_PASS;
	evaluate(&in, &o, 1, &v);
	CHECK_INT(v.arc_override, 0, "a pass needs no override");
}

int main(void)
{
	test_domlist();
	test_chain();
	test_evaluate();
	return check_done("test_arc");
}
