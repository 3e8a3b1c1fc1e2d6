/*
 * test_failrep - failure reports: fo= decisions, ruf= addresses, the
 * report text (fields, folding, no header injection), the rate option
 * syntax, the rate limiter, and ReportCommand (no shell) with real
 * programs: tee, false, sleep, true.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check.h"
#include "conf.h"
#include "dmarc.h"
#include "failrep.h"
#include "ratelimit.h"
#include "reportcmd.h"

#define DA DMARC_POLICY_DKIM_ALIGNMENT_PASS
#define DF DMARC_POLICY_DKIM_ALIGNMENT_FAIL
#define SA DMARC_POLICY_SPF_ALIGNMENT_PASS
#define SF DMARC_POLICY_SPF_ALIGNMENT_FAIL

static void test_wanted(void)
{
	struct auth_results good, bad;

	memset(&good, 0, sizeof good);
	good.spf.have = 1;
	good.spf.ares = ARES_RESULT_PASS;
	good.ndkim = 1;
	good.dkim[0].ares = ARES_RESULT_PASS;
	bad = good;
	bad.spf.ares = ARES_RESULT_SOFTFAIL;
	bad.dkim[0].ares = ARES_RESULT_FAIL;

	CHECK(failrep_wanted(DMARC_RECORD_FO_0, DM_FAIL, DF, SF, &bad), "fo=0, DMARC fail");
	CHECK(failrep_wanted(DMARC_RECORD_FO_UNSPECIFIED, DM_FAIL, DF, SF, &bad), "no fo= is 0");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_0, DM_PASS, DA, SF, &bad), "fo=0, DMARC pass");
	CHECK(failrep_wanted(DMARC_RECORD_FO_1, DM_PASS, DA, SF, &bad), "fo=1, SPF unaligned");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_1, DM_PASS, DA, SA, &good), "fo=1, both aligned");
	CHECK(failrep_wanted(DMARC_RECORD_FO_D, DM_PASS, DF, SA, &bad), "fo=d, DKIM failed");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_D, DM_PASS, DA, SA, &good), "fo=d, DKIM passed");
	CHECK(failrep_wanted(DMARC_RECORD_FO_S, DM_PASS, DA, SA, &bad), "fo=s, SPF softfail");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_S, DM_PASS, DA, SA, &good), "fo=s, SPF passed");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_D | DMARC_RECORD_FO_S, DM_FAIL, DF, SF, &good),
	      "fo=d:s without 0 ignores the DMARC failure");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_1, DM_NONE, DF, SF, &bad), "no record");
	CHECK(!failrep_wanted(DMARC_RECORD_FO_1, DM_TEMPERROR, DF, SF, &bad), "temperror");
}

static void test_mailto(void)
{
	static const struct {
		const char *uri, *addr;
		unsigned long long max;
	} good[] = {
		{ "mailto:ruf@example.com", "ruf@example.com", 0 },
		{ "MAILTO:ruf@example.com!10m", "ruf@example.com", 10ULL << 20 },
		{ "mailto:ruf@example.com!512", "ruf@example.com", 512 },
		{ "mailto:r%2Bf@example.com!1k", "r+f@example.com", 1024 },
	};
	static const char *const bad[] = {
		"http://example.com/ruf", "mailto:", "mailto:no-at", "mailto:a@", "mailto:@b",
		"mailto:a b@example.com", "mailto:a@example.com%0D%0ABcc:x@evil.example",
		"mailto:a@example.com,b@example.com", "mailto:<a@example.com>",
		"mailto:a@example.com!10x", "mailto:a@example.com?subject=x", "mailto:a%4@x.example",
	};
	char addr[256];
	unsigned long long max;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK_INT(failrep_mailto(good[i].uri, addr, sizeof addr, &max), 0, good[i].uri);
		CHECK_STR(addr, good[i].addr, good[i].uri);
		CHECK(max == good[i].max, "%s: max %llu", good[i].uri, max);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(failrep_mailto(bad[i], addr, sizeof addr, &max), -1, bad[i]);
}

static void test_words(void)
{
	struct verdict v;

	CHECK_STR(failrep_alignment(DA, SA), "dkim, spf", "both");
	CHECK_STR(failrep_alignment(DA, SF), "dkim", "dkim");
	CHECK_STR(failrep_alignment(DF, SA), "spf", "spf");
	CHECK_STR(failrep_alignment(DF, SF), "none", "none");
	memset(&v, 0, sizeof v);
	v.disposition = "none";
	CHECK_STR(failrep_delivery(&v), "delivered", "accept");
	v.disposition = "quarantine";
	CHECK_STR(failrep_delivery(&v), "spam", "quarantine, not held");
	v.quarantine = 1;
	CHECK_STR(failrep_delivery(&v), "policy", "held");
	v.action = ACT_REJECT;
	CHECK_STR(failrep_delivery(&v), "reject", "reject");
	v.action = ACT_TEMPFAIL;
	CHECK_STR(failrep_delivery(&v), "other", "tempfail");
}

static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	for (; p != NULL; p = strchr(p, '\n'), p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

static void test_compose(void)
{
	struct message *m = message_new();
	struct auth_dkim sig = { "sig.example", "sel", 0, 0 };
	struct failrep_in in;
	char *text;
	size_t len;

	message_add_header(m, "From", "a@fr.example");
	message_add_header(m, "Subject", "hello\r\nBcc: evil@attacker.example");
	message_add_header(m, "X-Folded", "one\n\ttwo");
	memset(&in, 0, sizeof in);
	in.from = "dmarc@mx.example";
	in.to[0] = "ruf@fr.example";
	in.to[1] = "ruf2@fr.example";
	in.nto = 2;
	in.bcc = "ops@mx.example";
	in.hostname = "mx.example";
	in.jobid = "JOB\nX-Injected: 1";
	in.domain = "fr.example";
	in.source_ip = "192.0.2.1";
	in.mailfrom = "bounce@fr.example";
	in.authres = "mx.example; dmarc=fail (p=reject dis=reject) header.from=fr.example";
	in.alignment = "none";
	in.delivery = "reject";
	in.version = "1.0";
	in.arrival = 1893456000; /* 2030-01-01 */
	in.dkim = &sig;
	in.msg = m;
	in.nonce = 0xabc;
	text = failrep_compose(&in, &len);
	CHECK_INT(strlen(text), len, "length");
	CHECK(has_line(text, "From: dmarc@mx.example"), "From");
	CHECK(has_line(text, "To: ruf@fr.example,") && has_line(text, " ruf2@fr.example"), "To");
	CHECK(has_line(text, "Bcc: ops@mx.example"), "Bcc");
	CHECK(has_line(text, "Feedback-Type: auth-failure"), "Feedback-Type");
	CHECK(has_line(text, "Auth-Failure: dmarc"), "Auth-Failure");
	CHECK(has_line(text, "Version: 1"), "Version");
	CHECK(has_line(text, "Identity-Alignment: none"), "Identity-Alignment");
	CHECK(has_line(text, "Delivery-Result: reject"), "Delivery-Result");
	CHECK(strstr(text, "\nArrival-Date: ") != NULL, "Arrival-Date");
	CHECK(has_line(text, "Source-IP: 192.0.2.1"), "Source-IP");
	CHECK(has_line(text, "Reported-Domain: fr.example"), "Reported-Domain");
	CHECK(has_line(text, "Original-Mail-From: <bounce@fr.example>"), "Original-Mail-From");
	CHECK(has_line(text, "Authentication-Results: mx.example; dmarc=fail (p=reject "
			     "dis=reject) header.from=fr.example"), "Authentication-Results");
	CHECK(has_line(text, "DKIM-Domain: sig.example"), "DKIM-Domain");
	CHECK(has_line(text, "DKIM-Selector: sel"), "DKIM-Selector");
	CHECK(has_line(text, "Content-Type: text/rfc822-headers"), "headers part");
	CHECK(has_line(text, "\ttwo"), "folding kept");
	CHECK(!has_line(text, "Bcc: evil@attacker.example"), "no injected Bcc line");
	CHECK(!has_line(text, "X-Injected: 1"), "no injected field from the job id");
	CHECK(strchr(text, '\r') == NULL, "no CR");
	CHECK(has_line(text, "--=_dmarc-failure-abc-1893456000--"), "closing boundary");
	free(text);
	in.nto = 0;
	text = failrep_compose(&in, &len);
	CHECK(has_line(text, "To: ops@mx.example") && strstr(text, "\nBcc:") == NULL,
	      "Bcc alone becomes To");
	free(text);
	message_free(&m);
}

static void test_rate(void)
{
	static const struct {
		const char *text;
		int ok;
		long n, secs;
	} cases[] = {
		{ "10/1h", 0, 10, 3600 }, { "3/30", 0, 3, 30 }, { "5/2d", 0, 5, 172800 },
		{ "0/1s", 0, 0, 1 },      { "1/5M", 0, 1, 300 }, { "10", -1, 0, 0 },
		{ "10/0", -1, 0, 0 },     { "x/1h", -1, 0, 0 },  { "10/1y", -1, 0, 0 },
		{ "10/1hh", -1, 0, 0 },   { "-1/1h", -1, 0, 0 }, { "10/", -1, 0, 0 },
	};
	struct ratelimit *rl = ratelimit_new(2, 60, 2);
	long n, secs;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r = config_parse_rate(cases[i].text, &n, &secs);

		CHECK_INT(r, cases[i].ok, cases[i].text);
		if (r == 0)
			CHECK(n == cases[i].n && secs == cases[i].secs, "%s: %ld/%ld", cases[i].text, n,
			      secs);
	}
	CHECK(ratelimit_allow(rl, "a.example", 1000), "1st");
	CHECK(ratelimit_allow(rl, "A.EXAMPLE", 1001), "2nd, key case-insensitive");
	CHECK(!ratelimit_allow(rl, "a.example", 1002), "3rd refused");
	CHECK(ratelimit_allow(rl, "b.example", 1002), "other key");
	CHECK(ratelimit_allow(rl, "a.example", 1060), "new window");
	CHECK(ratelimit_allow(rl, "c.example", 1061), "table full: oldest forgotten");
	CHECK(ratelimit_allow(rl, "c.example", 1061), "c 2nd");
	CHECK(!ratelimit_allow(rl, "c.example", 1061), "c 3rd refused");
	ratelimit_free(&rl);
	CHECK(rl == NULL, "free clears");
	rl = ratelimit_new(0, 60, 1);
	CHECK(ratelimit_allow(rl, "x", 0) && ratelimit_allow(rl, "x", 0), "0: no limit");
	ratelimit_free(&rl);
	CHECK(failrep_allow("1/1h", "r.example", 5000), "failrep_allow 1st");
	CHECK(!failrep_allow("1/1h", "r.example", 5001), "failrep_allow 2nd refused");
	CHECK(failrep_allow("2/1h", "r.example", 5002), "a new rate starts over");
}

static void test_command(void)
{
	char *argv[REPORTCMD_ARGS_MAX], store[256], err[256], path[] = "/tmp/test_failrep.XXXXXX";
	char cmd[512], got[64] = "";
	static char big[1 << 20];
	FILE *f;
	int fd;

	CHECK_INT(reportcmd_split("  /usr/sbin/sendmail  -t\t-oi ", argv, REPORTCMD_ARGS_MAX, store,
				  sizeof store), 3, "split");
	CHECK(strcmp(argv[0], "/usr/sbin/sendmail") == 0 && strcmp(argv[2], "-oi") == 0 &&
	      argv[3] == NULL, "split words");
	CHECK_INT(reportcmd_split("a 'b c'", argv, REPORTCMD_ARGS_MAX, store, sizeof store), 3,
		  "no quoting");
	CHECK_INT(reportcmd_split("   ", argv, REPORTCMD_ARGS_MAX, store, sizeof store), -1, "empty");
	CHECK_INT(reportcmd_split("a b c", argv, 3, store, sizeof store), -1, "too many");

	fd = mkstemp(path);
	close(fd);
	snprintf(cmd, sizeof cmd, "tee %s", path);
	CHECK_INT(reportcmd_run(cmd, "report text\n", 12, 10, err, sizeof err), 0, "tee on PATH");
	f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(got, sizeof got, f) == NULL)
			got[0] = '\0';
		fclose(f);
	}
	CHECK_STR(got, "report text\n", "stdin reached the command");
	unlink(path);
	CHECK_INT(reportcmd_run("false", "x", 1, 10, err, sizeof err), -1, "false");
	CHECK_STR(err, "exit status 1", "false: status");
	CHECK_INT(reportcmd_run("/nonexistent/sendmail -t", "x", 1, 10, err, sizeof err), -1,
		  "missing program");
	CHECK(strstr(err, "/nonexistent/sendmail") != NULL, "missing: %s", err);
	CHECK_INT(reportcmd_run("sleep 5", "x", 1, 1, err, sizeof err), -1, "hanging command");
	CHECK_STR(err, "timed out", "hanging: killed at the deadline");
	memset(big, 'x', sizeof big);
	CHECK_INT(reportcmd_run("true", big, sizeof big, 10, err, sizeof err), -1,
		  "a command that reads nothing");
	CHECK_STR(err, "did not read the whole report", "no SIGPIPE, an error");
	CHECK_INT(reportcmd_run("sh -c 'echo", "x", 1, 10, err, sizeof err), -1,
		  "no shell parsing: sh gets the words");
}

int main(void)
{
	test_wanted();
	test_mailto();
	test_words();
	test_compose();
	test_rate();
	test_command();
	return check_done("test_failrep");
}
