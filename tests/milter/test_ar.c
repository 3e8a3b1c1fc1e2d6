/*
 * test_ar - Authentication-Results and Received-SPF parsing, trust lists.
 */
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "ar.h"

static struct ar_header ar;

static int parse(const char *s)
{
	return ar_parse(s, strlen(s), &ar);
}

static void test_basic(void)
{
	CHECK_INT(parse("mx.example.org; spf=pass smtp.mailfrom=user@example.com;\r\n\t"
			"dkim=pass (1024-bit key) header.d=example.com header.s=sel1 header.b=ab/c+d=="),
		  0, "basic");
	CHECK_STR(ar.authservid, "mx.example.org", "authserv-id");
	CHECK_INT(ar.version, -1, "no version");
	CHECK_INT(ar.nresults, 2, "two results");
	CHECK_STR(ar.results[0].method, "spf", "method 0");
	CHECK_STR(ar.results[0].result, "pass", "result 0");
	CHECK_STR(ar_prop_get(&ar.results[0], "smtp", "mailfrom"), "user@example.com", "mailfrom");
	CHECK_STR(ar_prop_get(&ar.results[1], "HEADER", "D"), "example.com", "header.d");
	CHECK_STR(ar_prop_get(&ar.results[1], "header", "s"), "sel1", "header.s");
	CHECK_STR(ar_prop_get(&ar.results[1], "header", "b"), "ab/c+d==", "header.b");
	CHECK_INT(ar.skipped, 0, "nothing skipped");
}

static void test_shapes(void)
{
	CHECK_INT(parse("example.org 1; none"), 0, "none");
	CHECK_INT(ar.version, 1, "version");
	CHECK_INT(ar.nresults, 0, "no results");

	CHECK_INT(parse("\"quoted id\"; dmarc=fail (p=reject dis=none) header.from=x.example"), 0,
		  "quoted id");
	CHECK_STR(ar.authservid, "quoted id", "quoted id value");
	CHECK_STR(ar_prop_get(&ar.results[0], "header", "from"), "x.example", "header.from");

	CHECK_INT(parse("mx.example/12345; dkim/1=pass reason=\"good sig\" header.i=@sub.example"), 0,
		  "id with jobid, method version, reason");
	CHECK_STR(ar.authservid, "mx.example/12345", "id/jobid");
	CHECK_STR(ar.results[0].reason, "good sig", "reason");
	CHECK_STR(ar_prop_get(&ar.results[0], "header", "i"), "@sub.example", "header.i");

	CHECK_INT(parse("mx.example; x-unknown=weird policy.foo=bar; spf=fail smtp.helo=h.example"), 0,
		  "unknown method kept");
	CHECK_INT(ar.nresults, 2, "both results");
	CHECK_STR(ar.results[0].method, "x-unknown", "unknown method");

	CHECK_INT(parse("mx.example; dkim; spf=pass smtp.mailfrom=a@b.example"), 0, "malformed first");
	CHECK_INT(ar.nresults, 1, "good one kept");
	CHECK_INT(ar.skipped, 1, "bad one skipped");
	CHECK_STR(ar.results[0].method, "spf", "good one");

	CHECK_INT(parse(""), -1, "empty");
	CHECK_INT(parse("   (comment only)  "), -1, "comment only");
	CHECK_INT(parse("; spf=pass"), -1, "no authserv-id");
	CHECK_INT(ar_parse(NULL, 0, &ar), -1, "NULL");
	CHECK_INT(parse("mx.example; spf=pass (unterminated"), 0, "unterminated comment");
}

static void test_limits(void)
{
	char *big = malloc(100000);
	size_t i, n = 0;

	n += (size_t)sprintf(big, "mx.example");
	for (i = 0; i < 40; i++)
		n += (size_t)sprintf(big + n, "; dkim=pass header.d=d%zu.example", i);
	CHECK_INT(parse(big), 0, "many results");
	CHECK_INT(ar.nresults, AR_MAX_RESULTS, "capped results");
	CHECK_INT(ar.skipped, 40 - AR_MAX_RESULTS, "excess counted");
	/* the list grew through several sizes and kept every result in order */
	CHECK_STR(ar_prop_get(&ar.results[AR_MAX_RESULTS - 1], "header", "d"),
		  "d15.example", "last kept result");
	CHECK_STR(ar_prop_get(&ar.results[4], "header", "d"), "d4.example", "result after a growth");
	/* a reused header: a shorter field leaves no results of the longer one */
	CHECK_INT(parse("mx.example; spf=pass smtp.mailfrom=a@b.example"), 0, "reuse");
	CHECK_INT(ar.nresults, 1, "reuse: one result");
	CHECK_STR(ar.results[0].method, "spf", "reuse: method");

	n = (size_t)sprintf(big, "mx.example; dkim=pass header.b=");
	memset(big + n, 'A', 5000);
	big[n + 5000] = '\0';
	CHECK_INT(parse(big), 0, "long value");
	CHECK_INT(strlen(ar_prop_get(&ar.results[0], "header", "b")), AR_VALUE_MAX - 1, "value cut");

	memset(big, 'a', 5000);
	big[5000] = '\0';
	CHECK_INT(parse(big), 0, "long id");
	CHECK_INT(strlen(ar.authservid), AR_VALUE_MAX - 1, "id cut");
	free(big);
}

static void test_trust(void)
{
	CHECK(ar_id_in_list("MX.Example.ORG", "relay.example, mx.example.org"), "case-insensitive");
	CHECK(ar_id_in_list("mx.example.org/123", "mx.example.org"), "jobid suffix");
	CHECK(!ar_id_in_list("mx.example.org.evil", "mx.example.org"), "no prefix match");
	CHECK(!ar_id_in_list("mx.example", "mx.example.org"), "no partial match");
	CHECK(!ar_id_in_list("mx.example.org", ""), "empty list");
	CHECK(!ar_id_in_list("", "a,,b"), "empty id");
	CHECK(ar_id_in_list("b", "a,,b"), "empty entries skipped");
}

static void test_rspf(void)
{
	struct rspf rs;
	const char *h = "pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 "
			"as permitted sender)\r\n\treceiver=mybox.example.org; client-ip=192.0.2.1;\r\n\t"
			"envelope-from=\"myname@example.com\"; helo=foo.example.com; identity=mailfrom;";

	CHECK_INT(rspf_parse(h, strlen(h), &rs), 0, "rspf");
	CHECK_STR(rs.result, "pass", "result");
	CHECK_STR(rs.identity, "mailfrom", "identity");
	CHECK_STR(rs.envelope_from, "myname@example.com", "envelope-from");
	CHECK_STR(rs.client_ip, "192.0.2.1", "client-ip");
	CHECK_STR(rs.helo, "foo.example.com", "helo");
	CHECK_INT(rspf_parse("", 0, &rs), -1, "empty");
	CHECK_INT(rspf_parse("fail; garbage; identity=helo", 28, &rs), 0, "garbage skipped");
	CHECK_STR(rs.identity, "helo", "identity after garbage");
}

int main(void)
{
	test_basic();
	test_shapes();
	test_limits();
	test_trust();
	test_rspf();
	ar_header_free(&ar);
	CHECK(ar.results == NULL && ar.nresults == 0, "free clears");
	return check_done("test_ar");
}
