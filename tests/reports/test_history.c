/*
 * test_history - the history writer and reader: round trips, records as
 * OpenDMARC 1.3/1.4 and Exim write them, our extension keys after
 * "action" (and their absence), torn and malformed records, and hostile
 * header values that must not forge keys or records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history.h"

/* OpenDMARC 1.4.2: dkim with selector, arc and arc_policy json. */
static const char od142[] =
	"job 4Bq2Zx1Yz3\n"
	"reporter mx1.example.net\n"
	"received 1700000000\n"
	"ipaddr 192.0.2.7\n"
	"from example.com\n"
	"mfrom bounce.example.com\n"
	"dkim example.com sel1 0\n"
	"dkim thirdparty.example s2 7\n"
	"spf 0\n"
	"pdomain example.com\n"
	"policy 15\n"
	"rua mailto:dmarc@example.com\n"
	"rua mailto:agg@report.example\n"
	"pct 100\n"
	"adkim 114\n"
	"aspf 114\n"
	"p 114\n"
	"sp 113\n"
	"align_dkim 4\n"
	"align_spf 4\n"
	"arc 0\n"
	"arc_policy 0 json:[{\"i\":1,\"d\":\"fwd.example\",\"s\":\"arc\",\"ip\":\"198.51.100.2\"}]\n"
	"action 2\n";

/* Ours: OpenDMARC 1.4.2's record, then the extension keys. */
#define EXT_KEYS "fo 6\nnp 113\ntesting 1\ndiscovery treewalk\n"

/* OpenDMARC 1.3: "dkim <domain> <result>", no arc lines, spf -1. */
static const char od13[] =
	"job ABC123\n"
	"reporter mx2\n"
	"received 1500000000\n"
	"ipaddr 2001:db8::1\n"
	"from Example.ORG\n"
	"mfrom \n"
	"dkim example.org 0\n"
	"spf -1\n"
	"pdomain example.org\n"
	"policy 14\n"
	"rua -\n"
	"pct 100\n"
	"adkim 0\n"
	"aspf 0\n"
	"p 110\n"
	"sp 0\n"
	"align_dkim 5\n"
	"align_spf 5\n"
	"action 2\n";

/* Exim: "action" before "arc", "json[ ]" form. */
static const char exim[] =
	"job 1rAbCd-000123-XY\n"
	"reporter mail.example\n"
	"received 1600000000\n"
	"ipaddr 203.0.113.9\n"
	"from example.net\n"
	"mfrom example.net\n"
	"spf 0\n"
	"dkim example.net s1 0\n"
	"pdomain example.net\n"
	"policy 15\n"
	"rua -\n"
	"pct 100\n"
	"adkim 114\n"
	"aspf 114\n"
	"p 110\n"
	"sp 110\n"
	"align_dkim 4\n"
	"align_spf 4\n"
	"action 2\n"
	"arc 11\n"
	"arc_policy 1 json[ ]\n";

static struct history_record rec, rec2;
static char buf[65536], buf2[65536];

static void fill(struct history_record *r);

static enum history_status parse_str(const char *s, struct history_record *r, size_t *used,
				     const char **why)
{
	return history_parse(s, strlen(s), r, used, why);
}

static void test_od142(void)
{
	size_t used;
	const char *why;

	CHECK_INT(parse_str(od142, &rec, &used, &why), HISTORY_OK, "od142 status");
	CHECK_INT(used, strlen(od142), "od142 used");
	CHECK_STR(rec.job, "4Bq2Zx1Yz3", "job");
	CHECK_STR(rec.reporter, "mx1.example.net", "reporter");
	CHECK_INT(rec.received, 1700000000, "received");
	CHECK_STR(rec.ipaddr, "192.0.2.7", "ipaddr");
	CHECK_STR(rec.from, "example.com", "from");
	CHECK_STR(rec.mfrom, "bounce.example.com", "mfrom");
	CHECK_INT(rec.ndkim, 2, "ndkim");
	CHECK_STR(rec.dkim[1].domain, "thirdparty.example", "dkim domain");
	CHECK_STR(rec.dkim[1].selector, "s2", "dkim selector");
	CHECK_INT(rec.dkim[1].result, 7, "dkim result");
	CHECK_INT(rec.spf, 0, "spf");
	CHECK_INT(rec.policy, 15, "policy");
	CHECK_INT(rec.nrua, 2, "nrua");
	CHECK_STR(rec.rua[1], "mailto:agg@report.example", "rua[1]");
	CHECK_INT(rec.p, 'r', "p");
	CHECK_INT(rec.sp, 'q', "sp");
	CHECK_INT(rec.align_dkim, 4, "align_dkim");
	CHECK_INT(rec.arc, 0, "arc");
	CHECK(strncmp(rec.arc_policy, "0 json:[{", 9) == 0, "arc_policy %s", rec.arc_policy);
	CHECK_INT(rec.action, 2, "action");
	CHECK_INT(rec.fo, HISTORY_UNKNOWN, "od142 fo unknown");
	CHECK_INT(rec.np, HISTORY_UNKNOWN, "od142 np unknown");
	CHECK_INT(rec.testing, HISTORY_UNKNOWN, "od142 testing unknown");
	CHECK_INT(rec.discovery, HISTORY_UNKNOWN, "od142 discovery unknown");
	/* Our writer gives OpenDMARC's exact bytes back. */
	CHECK_INT(history_format(&rec, buf, sizeof buf), strlen(od142), "od142 format len");
	CHECK_STR(buf, od142, "od142 format");
}

/* The extension keys: read, written after OpenDMARC's keys, in order. */
static void test_extensions(void)
{
	static const char ours[] = "%s" EXT_KEYS;
	static char text[4096];
	size_t used;
	const char *why;

	snprintf(text, sizeof text, ours, od142);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "ext status");
	CHECK_INT(used, strlen(text), "ext used");
	CHECK_INT(rec.fo, 6, "ext fo (1:d)");
	CHECK_INT(rec.np, 'q', "ext np");
	CHECK_INT(rec.testing, 1, "ext testing");
	CHECK_INT(rec.discovery, HISTORY_DISCOVERY_TREEWALK, "ext discovery");
	CHECK_INT(rec.action, 2, "ext action");
	CHECK_INT(history_format(&rec, buf, sizeof buf), strlen(text), "ext format len");
	CHECK_STR(buf, text, "ext format: OpenDMARC's bytes, then ours");
	/* in any order, before action too; np 0 and fo 0 are values */
	snprintf(text, sizeof text, "job X\ndiscovery psl\nnp 0\ntesting 0\nfo 0\n%s",
		 strchr(od13, '\n') + 1);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "ext early");
	CHECK_INT(rec.fo, 0, "ext fo 0");
	CHECK_INT(rec.np, 0, "ext np 0");
	CHECK_INT(rec.testing, 0, "ext testing 0");
	CHECK_INT(rec.discovery, HISTORY_DISCOVERY_PSL, "ext psl");
	CHECK(history_format(&rec, buf, sizeof buf) > 0, "ext early format");
	CHECK(strstr(buf, "action 2\nfo 0\nnp 0\ntesting 0\ndiscovery psl\n") != NULL,
	      "ext keys last: %s", buf);
	/* a discovery word we do not know (a newer writer's) is unknown */
	snprintf(text, sizeof text, "%sdiscovery exact\n", od13);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "unknown word");
	CHECK_INT(rec.discovery, HISTORY_UNKNOWN, "unknown word is unknown");
	snprintf(text, sizeof text, "%sdiscovery none\n", od13);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "discovery none");
	CHECK_INT(rec.discovery, HISTORY_DISCOVERY_NONE, "discovery none value");
}

/* Out-of-range extension values are malformed, both ways. */
static void test_extensions_bad(void)
{
	static const char *const bad[] = { "fo 16\n", "fo -1\n", "np 128\n", "testing 2\n",
					   "testing y\n", "np\n" };
	static char text[4096];
	struct history_record r;
	size_t used, i;
	const char *why;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "%s%s", od13, bad[i]);
		CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_BAD, bad[i]);
	}
	fill(&r);
	r.fo = 16;
	CHECK_INT(history_format(&r, buf, sizeof buf), -1, "fo 16 refused");
	fill(&r);
	r.discovery = 1; /* DMARC_DISCOVERY_EXACT: not a history word */
	CHECK_INT(history_format(&r, buf, sizeof buf), -1, "discovery code refused");
	fill(&r);
	r.testing = 2;
	CHECK_INT(history_format(&r, buf, sizeof buf), -1, "testing 2 refused");
}

static void test_od13_exim(void)
{
	size_t used;
	const char *why;

	CHECK_INT(parse_str(od13, &rec, &used, &why), HISTORY_OK, "od13 status");
	CHECK_STR(rec.mfrom, "", "empty mfrom");
	CHECK_STR(rec.from, "Example.ORG", "from kept as written");
	CHECK_INT(rec.ndkim, 1, "od13 ndkim");
	CHECK_STR(rec.dkim[0].selector, "", "od13 no selector");
	CHECK_INT(rec.dkim[0].result, 0, "od13 dkim result");
	CHECK_INT(rec.spf, -1, "od13 spf");
	CHECK_INT(rec.nrua, 0, "od13 rua -");
	CHECK_INT(rec.arc, -1, "od13 no arc");
	CHECK_STR(rec.arc_policy, "", "od13 no arc_policy");
	CHECK(history_format(&rec, buf, sizeof buf) > 0, "od13 format");
	CHECK(strstr(buf, "arc") == NULL, "absent arc not written: %s", buf);
	CHECK(strstr(buf, "dkim example.org - 0\n") != NULL, "selector dash: %s", buf);

	CHECK_INT(parse_str(exim, &rec, &used, &why), HISTORY_OK, "exim status");
	CHECK_INT(used, strlen(exim), "exim used");
	CHECK_INT(rec.arc, 11, "exim arc");
	CHECK_STR(rec.arc_policy, "1 json[ ]", "exim arc_policy");
	CHECK_INT(rec.action, 2, "exim action");
}

/* format -> parse -> format gives the same bytes and the same record. */
static void roundtrip(const struct history_record *r, const char *ctx)
{
	ssize_t n = history_format(r, buf, sizeof buf), m;
	size_t used;
	const char *why = NULL;

	CHECK(n > 0, "%s: format failed", ctx);
	if (n <= 0)
		return;
	CHECK_INT(history_parse(buf, (size_t)n, &rec2, &used, &why), HISTORY_OK, ctx);
	CHECK_INT(used, n, ctx);
	m = history_format(&rec2, buf2, sizeof buf2);
	CHECK_INT(m, n, ctx);
	CHECK_STR(buf2, buf, ctx);
}

static void fill(struct history_record *r)
{
	history_init(r);
	strcpy(r->job, "J1");
	strcpy(r->reporter, "mx.example");
	r->received = 1234567890;
	strcpy(r->ipaddr, "198.51.100.1");
	strcpy(r->from, "a.example");
	strcpy(r->mfrom, "b.example");
	r->ndkim = 1;
	strcpy(r->dkim[0].domain, "a.example");
	strcpy(r->dkim[0].selector, "s");
	r->spf = 7;
	strcpy(r->pdomain, "a.example");
	r->policy = 15;
	r->pct = 100;
	r->adkim = r->aspf = 'r';
	r->p = r->sp = 'n';
	r->align_dkim = r->align_spf = 4;
	r->action = 2;
}

static void test_roundtrip(void)
{
	struct history_record r;
	size_t i;

	fill(&r);
	roundtrip(&r, "plain");
	r.nrua = HISTORY_RUA_MAX;
	for (i = 0; i < HISTORY_RUA_MAX; i++)
		snprintf(r.rua[i], sizeof r.rua[i], "mailto:r%zu@x.example!10m", i);
	r.ndkim = HISTORY_DKIM_MAX;
	for (i = 0; i < HISTORY_DKIM_MAX; i++) {
		snprintf(r.dkim[i].domain, sizeof r.dkim[i].domain, "d%zu.example", i);
		r.dkim[i].result = (int)i;
	}
	r.arc = 0;
	strcpy(r.arc_policy, "0 json:[]");
	r.fo = 15;
	r.np = 'r';
	r.testing = 0;
	r.discovery = HISTORY_DISCOVERY_NONE;
	roundtrip(&r, "full");
	CHECK_INT(rec2.fo, 15, "full fo");
	CHECK_INT(rec2.np, 'r', "full np");
	CHECK_INT(rec2.testing, 0, "full testing");
	CHECK_INT(rec2.discovery, HISTORY_DISCOVERY_NONE, "full discovery");
	CHECK_INT(rec2.nrua, HISTORY_RUA_MAX, "full nrua");
	CHECK_INT(rec2.ndkim, HISTORY_DKIM_MAX, "full ndkim");
	CHECK_STR(rec2.dkim[3].domain, "d3.example", "full dkim[3]");
	/* a too-small buffer fails cleanly at every size */
	for (i = 1; i < 64; i++)
		CHECK_INT(history_format(&r, buf, i), -1, "small buffer");
	CHECK_INT(history_format(NULL, buf, sizeof buf), -1, "null rec");
}

/* Header values an attacker controls must not start lines or keys. */
static void test_hostile(void)
{
	struct history_record r;
	size_t used;
	const char *why;
	ssize_t n;

	fill(&r);
	strcpy(r.from, "evil.example\njob forged\naction 0");
	strcpy(r.job, "J\r\nreporter x");
	strcpy(r.mfrom, "sp ace\001\x7f");
	strcpy(r.arc_policy, "0 json:[\n]");
	r.arc = 0;
	n = history_format(&r, buf, sizeof buf);
	CHECK(n > 0, "hostile format");
	CHECK_INT(history_parse(buf, (size_t)n, &rec, &used, &why), HISTORY_OK, "hostile parse");
	CHECK_INT(used, n, "one record only");
	CHECK_STR(rec.from, "evil.example?job?forged?action?0", "from escaped");
	CHECK_STR(rec.job, "J??reporter?x", "job escaped");
	CHECK_STR(rec.mfrom, "sp?ace??", "mfrom escaped");
	CHECK_STR(rec.arc_policy, "0 json:[?]", "arc_policy escaped");
	CHECK_STR(rec.reporter, "mx.example", "reporter untouched");
	/* over-long values are refused, not truncated */
	fill(&r);
	memset(r.job, 'j', 200);
	r.job[200] = '\0';
	CHECK_INT(history_format(&r, buf, sizeof buf), -1, "long job refused");
	fill(&r);
	r.received = 0;
	CHECK_INT(history_format(&r, buf, sizeof buf), -1, "received 0 refused");
}

/*
 * With the extension keys: cut before "action", torn; cut after it, the
 * record is complete up to its last whole line (one write(2) per record
 * means a reader does not see this in practice).
 */
static void test_torn_extensions(void)
{
	static char text[4096];
	size_t k, used, n, head = strlen(od142);
	const char *why;
	int bad = 0;

	snprintf(text, sizeof text, "%s" EXT_KEYS, od142);
	n = strlen(text);
	for (k = 1; k < head; k++)
		bad += history_parse(text, k, &rec, &used, &why) != HISTORY_TORN;
	for (k = head; k <= n; k++) {
		enum history_status st = history_parse(text, k, &rec, &used, &why);

		bad += st != HISTORY_OK || used > k || text[used - 1] != '\n';
	}
	CHECK_INT(bad, 0, "extension prefixes");
	CHECK_INT(rec.discovery, HISTORY_DISCOVERY_TREEWALK, "whole record");
}

/* Every prefix of a record is torn; the whole record is complete. */
static void test_torn(void)
{
	size_t k, used, n = strlen(od142);
	const char *why;
	int bad = 0;

	for (k = 1; k < n; k++) {
		enum history_status st = history_parse(od142, k, &rec, &used, &why);

		if (st != HISTORY_TORN || used != k)
			bad++;
	}
	CHECK_INT(bad, 0, "every prefix torn");
	CHECK_INT(history_parse(od142, 0, &rec, &used, &why), HISTORY_END, "empty is end");
	test_torn_extensions();
	CHECK_INT(parse_str("\n\n# comment\n  \n", &rec, &used, &why), HISTORY_END, "blank end");
	CHECK_INT(used, 15, "blank end used");
}

struct bad_case {
	const char *text;
	enum history_status want;
	const char *why;
};

static void test_bad(void)
{
	static char torn_mid[sizeof od142 + sizeof od13];
	static char nul_line[sizeof od13];
	static char big[sizeof od13 + 16];
	size_t used, cut = strlen(od142) - strlen("action 2\n");
	const char *why;

	/* a record cut before "action" and followed by the next record */
	memcpy(torn_mid, od142, cut);
	strcpy(torn_mid + cut, od13);
	CHECK_INT(parse_str(torn_mid, &rec, &used, &why), HISTORY_BAD, "torn middle");
	CHECK_INT(used, cut, "torn middle used");
	CHECK(why != NULL && strstr(why, "before action") != NULL, "why %s", why);
	CHECK_INT(parse_str(torn_mid + used, &rec, &used, &why), HISTORY_OK, "next after torn");
	CHECK_STR(rec.job, "ABC123", "next job");

	/* garbage before the first job line is skipped as one bad span */
	CHECK_INT(parse_str("xx 1\nyy\njob A\n", &rec, &used, &why), HISTORY_BAD, "garbage");
	CHECK_INT(used, 8, "garbage used");

	/* NUL inside a line */
	strcpy(nul_line, od13);
	nul_line[strstr(od13, "mx2") - od13 + 1] = '\0';
	CHECK_INT(history_parse(nul_line, strlen(od13), &rec, &used, &why), HISTORY_BAD, "NUL");

	/* out-of-range numbers and malformed values */
	strcpy(big, od13);
	memcpy(strstr(big, "policy 14"), "policy 1x", 9);
	CHECK_INT(parse_str(big, &rec, &used, &why), HISTORY_BAD, "policy 1x");
	strcpy(big, od13);
	memcpy(strstr(big, "received 1500000000"), "received 9999999999", 19);
	CHECK_INT(parse_str(big, &rec, &used, &why), HISTORY_BAD, "received range");
	strcpy(big, od13);
	memcpy(strstr(big, "dkim example.org 0"), "dkim example.org  ", 18);
	CHECK_INT(parse_str(big, &rec, &used, &why), HISTORY_BAD, "dkim no result");
	strcpy(big, od13);
	memcpy(strstr(big, "pdomain"), "pdomaiN", 7);
	CHECK_INT(parse_str(big, &rec, &used, &why), HISTORY_BAD, "malformed key");
	strcpy(big, od13);
	memcpy(strstr(big, "pdomain"), "xdomain", 7);
	CHECK_INT(parse_str(big, &rec, &used, &why), HISTORY_BAD, "missing pdomain");
	CHECK_STR(why, "missing key: pdomain", "missing why");
}

static void test_lenient(void)
{
	static char text[4096];
	size_t used, i;
	const char *why;

	/* CRLF, comments, unknown keys, repeated spf (last wins) */
	snprintf(text, sizeof text, "# header\r\n%s", od13);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "comment first");
	snprintf(text, sizeof text, "job Q\r\nnewkey some value\nspf 2\n%s", strchr(od13, '\n') + 1);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "crlf+unknown");
	CHECK_STR(rec.job, "Q", "crlf job");
	CHECK_INT(rec.spf, -1, "spf last wins");
	/* more signatures than we keep: counted, record still fine */
	strcpy(text, "job M\n");
	for (i = 0; i < HISTORY_DKIM_MAX + 3; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "dkim d%zu.example s 0\n", i);
	strcat(text, strchr(od13, '\n') + 1);
	CHECK_INT(parse_str(text, &rec, &used, &why), HISTORY_OK, "many dkim");
	CHECK_INT(rec.ndkim, HISTORY_DKIM_MAX, "kept dkim");
	CHECK_INT(rec.ndkim_dropped, 4, "dropped dkim (3 + od13's one)");
	/* several records, one after the other */
	snprintf(text, sizeof text, "%s%s%s", od142, od13, exim);
	{
		size_t pos = 0, n = strlen(text);
		int count = 0;

		while (history_parse(text + pos, n - pos, &rec, &used, &why) == HISTORY_OK) {
			pos += used;
			count++;
		}
		CHECK_INT(count, 3, "three records");
		CHECK_INT(pos, n, "all consumed");
	}
}

int main(void)
{
	test_od142();
	test_od13_exim();
	test_extensions();
	test_extensions_bad();
	test_roundtrip();
	test_hostile();
	test_torn();
	test_bad();
	test_lenient();
	return check_done("test_history");
}
