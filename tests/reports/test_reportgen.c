/*
 * test_reportgen - the pure parts of opendmarc-reports: XML escaping,
 * rua parsing with !size, periods, grouping into rows, MIME and base64,
 * gzip round trips, and the report document's shape in both formats.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dmarc.h"
#include "gzbuf.h"
#include "report_agg.h"
#include "report_mime.h"
#include "report_period.h"
#include "report_uri.h"
#include "report_xml.h"
#include "xmlw.h"

static void test_escape(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain.example", "plain.example" },
		{ "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f" },
		{ "tab\there", "tab\there" },
		{ "bell\a esc\x1b", "bell? esc?" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },		/* UTF-8 kept */
		{ "bad\xc3(", "bad?(" },			/* truncated sequence */
		{ "over\xc0\xaf", "over??" },			/* overlong */
		{ "sur\xed\xa0\x80", "sur???" },		/* surrogate */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },	/* 4 bytes */
		{ "</feedback>", "&lt;/feedback&gt;" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf b = STRBUF_INIT;

		xmlw_escape(&b, cases[i].in);
		CHECK_STR(b.s != NULL ? b.s : "", cases[i].out, cases[i].in);
		strbuf_free(&b);
	}
}

static void test_rua(void)
{
	struct rua_dest d[RUA_MAX];
	size_t n, bad;

	n = rua_parse("mailto:a@Example.COM!10m, mailto:b%21x@r.example!512k ,https://x.example/r,"
		      "mailto:nobody,mailto:A@example.com!5m,mailto:c@d.example?subject=x",
		      d, RUA_MAX, &bad);
	CHECK_INT(n, 3, "destinations");
	CHECK_INT(bad, 2, "https and no @ skipped");
	CHECK_STR(d[0].addr, "a@example.com", "domain lower-cased");
	CHECK_INT(d[0].maxbytes, 5LL << 20, "duplicate: smaller limit");
	CHECK_STR(d[1].addr, "b!x@r.example", "%21 decoded");
	CHECK_INT(d[1].maxbytes, 512 * 1024, "k");
	CHECK_STR(d[2].domain, "d.example", "hfields dropped");
	CHECK_INT(d[2].maxbytes, 0, "no limit");
	CHECK_INT(rua_size("100"), 100, "bytes");
	CHECK_INT(rua_size("2g"), 2LL << 30, "g");
	CHECK_INT(rua_size("1t"), 1LL << 40, "t");
	CHECK_INT(rua_size("10x"), -1, "bad unit");
	CHECK_INT(rua_size("m"), -1, "no digits");
	CHECK_INT(rua_parse("mailto:x@y.example!0", d, RUA_MAX, &bad), 0, "size 0");
	CHECK_INT(rua_parse("mailto:x%4@y.example", d, RUA_MAX, &bad), 0, "bad escape");
	CHECK_INT(rua_parse("", d, RUA_MAX, &bad), 0, "empty list");
}

static void test_period(void)
{
	struct period p;

	CHECK_INT(period_compute(1700006399, 86400, 0, 1, &p), 0, "interval");
	CHECK_INT(p.begin, 1699833600, "previous whole day begin");
	CHECK_INT(p.end, 1699920000, "previous whole day end");
	CHECK_INT(period_compute(1700006400, 3600, 0, 1, &p), 0, "hour");
	CHECK_INT(p.end - p.begin, 3600, "an hour");
	CHECK_INT(p.end, 1700006400, "aligned");
	CHECK_INT(period_compute(1700010000, 86400, 1, 1, &p), 0, "--day --utc");
	CHECK_INT(p.begin, 1699920000, "yesterday 00:00 UTC");
	CHECK_INT(p.end, 1700006400, "today 00:00 UTC");
	CHECK_INT(period_compute(1700010000, 60, 1, 1, &p), -1, "--day, short interval: empty");
	CHECK_INT(period_compute(1700010000, 0, 0, 1, &p), -1, "interval 0");
}

static void msg(struct agg_msg *m, const char *ip, int spf, int nsig)
{
	memset(m, 0, sizeof *m);
	strcpy(m->f.ip, ip);
	strcpy(m->f.header_from, "example.com");
	strcpy(m->f.envelope_from, "bounce.example.com");
	m->f.disp = 2;
	m->f.policy = DMARC_POLICY_PASS;
	m->f.spf = spf;
	m->f.align_dkim = DMARC_POLICY_DKIM_ALIGNMENT_PASS;
	m->f.align_spf = DMARC_POLICY_SPF_ALIGNMENT_FAIL;
	m->ndkim = (size_t)nsig;
	if (nsig >= 1) {
		strcpy(m->dkim[0].domain, nsig == 2 ? "z.example" : "example.com");
		strcpy(m->dkim[0].selector, "s1");
	}
	if (nsig == 2) {
		strcpy(m->dkim[1].domain, "example.com");
		strcpy(m->dkim[1].selector, "s1");
	}
}

static void test_agg(void)
{
	struct agg *a = agg_new();
	const struct agg_row *const *rows;
	struct agg_msg m;
	int i;

	for (i = 0; i < 1000; i++) {
		msg(&m, i % 2 ? "192.0.2.1" : "192.0.2.2", 0, 2);
		if (i % 4 == 0) { /* same signatures, other order */
			struct agg_dkim t = m.dkim[0];

			m.dkim[0] = m.dkim[1];
			m.dkim[1] = t;
		}
		agg_add(a, &m);
	}
	msg(&m, "192.0.2.1", 7, 2);
	agg_add(a, &m);
	msg(&m, "2001:db8::1", 0, 0);
	agg_add(a, &m);
	CHECK_INT(agg_rows(a, &rows), 4, "rows");
	CHECK_INT(agg_messages(a), 1002, "messages");
	CHECK_INT(rows[0]->count + rows[1]->count + rows[2]->count + rows[3]->count, 1002, "sum");
	for (i = 0; i < 4; i++)
		if (strcmp(rows[i]->f.ip, "192.0.2.2") == 0) {
			CHECK_INT(rows[i]->count, 500, "grouped regardless of signature order");
			CHECK_STR(rows[i]->dkim[0].domain, "example.com", "signatures sorted");
		}
	for (i = 0; i < 3000; i++) { /* many distinct rows: the index grows */
		char ip[32];

		snprintf(ip, sizeof ip, "10.%d.%d.1", i / 250, i % 250);
		msg(&m, ip, 0, 1);
		agg_add(a, &m);
	}
	CHECK_INT(agg_rows(a, &rows), 3004, "rows after growth");
	agg_clear(a);
	CHECK_INT(agg_rows(a, &rows), 0, "cleared");
	agg_free(&a);
	CHECK(a == NULL, "agg_free clears the pointer");
}

static void test_base64(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" }, { "f", "Zg==\r\n" }, { "fo", "Zm8=\r\n" }, { "foo", "Zm9v\r\n" },
		{ "foobar", "Zm9vYmFy\r\n" },
	};
	struct strbuf b = STRBUF_INIT;
	char big[100];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_reset(&b);
		mime_base64(&b, cases[i].in, strlen(cases[i].in));
		CHECK_STR(b.s != NULL ? b.s : "", cases[i].out, cases[i].in);
	}
	memset(big, 'x', sizeof big);
	strbuf_reset(&b);
	mime_base64(&b, big, sizeof big);
	CHECK_INT(strcspn(b.s, "\r"), 76, "76-column lines");
	strbuf_free(&b);
}

static void test_mime(void)
{
	struct mime_report m = { "dmarc@rep.example", "agg@example.com", "Rep", "rep.example",
				 "example.com", "abc@rep.example", "rep.example!example.com!1!2!abc.xml.gz",
				 "d7", 1, 2, 1700000000 };
	struct strbuf b = STRBUF_INIT;

	mime_report_message(&b, &m, "gz", 2);
	CHECK(strstr(b.s, "\r\nSubject: Report Domain: example.com Submitter: rep.example "
			  "Report-ID: <abc@rep.example>\r\n") != NULL,
	      "Subject as RFC 7489 7.2.1.1: %s", b.s);
	CHECK(strstr(b.s, "Message-ID: <d7.abc@rep.example>\r\n") != NULL, "Message-ID");
	CHECK(strstr(b.s, "Content-Type: application/gzip") != NULL, "attachment type");
	CHECK(strstr(b.s, "filename=\"rep.example!example.com!1!2!abc.xml.gz\"") != NULL, "name");
	CHECK(strstr(b.s, "Z3o=\r\n") != NULL, "base64 body");
	CHECK(strstr(b.s, "\n.") == NULL, "no line starts with a dot");
	strbuf_reset(&b);
	mime_too_large(&b, &m, 123456, 1024);
	CHECK(strstr(b.s, "123456 bytes") != NULL && strstr(b.s, "limit of\r\n1024") != NULL,
	      "notice: %s", b.s);
	CHECK(strstr(b.s, "application/gzip") == NULL, "notice has no attachment");
	strbuf_free(&b);
}

static void test_gzip(void)
{
	struct strbuf gz = STRBUF_INIT, back = STRBUF_INIT, in = STRBUF_INIT;
	int i;

	for (i = 0; i < 20000; i++)
		strbuf_printf(&in, "<row>%d</row>\n", i);
	CHECK_INT(gzbuf_compress(in.s, in.len, "r.xml", 1700000000, &gz), 0, "compress");
	CHECK(gz.len > 10 && (unsigned char)gz.s[0] == 0x1f && (unsigned char)gz.s[1] == 0x8b,
	      "gzip magic");
	CHECK(memcmp(gz.s + 10, "r.xml", 6) == 0, "file name in the header");
	CHECK_INT(gzbuf_decompress(gz.s, gz.len, &back), 0, "decompress");
	CHECK(back.len == in.len && memcmp(back.s, in.s, in.len) == 0, "round trip");
	strbuf_reset(&back);
	CHECK_INT(gzbuf_decompress(gz.s, gz.len / 2, &back), -1, "truncated input");
	strbuf_free(&gz);
	strbuf_free(&back);
	strbuf_free(&in);
}

static void test_xml(void)
{
	struct agg *a = agg_new();
	struct report_doc d;
	struct strbuf b = STRBUF_INIT;
	struct agg_msg m;

	memset(&d, 0, sizeof d);
	d.org_name = "Org & Co";
	d.email = "dmarc@rep.example";
	d.report_id = "id@rep.example";
	d.generator = "test";
	strcpy(d.policy.domain, "example.com");
	d.policy.p = 'r';
	d.policy.pct = -1;
	CHECK_INT(report_xml(&d, &b), -1, "no rows: no report");
	msg(&m, "192.0.2.1", -1, 1);
	m.f.align_dkim = DMARC_POLICY_DKIM_ALIGNMENT_FAIL;
	m.f.policy = DMARC_POLICY_REJECT; /* failed p=reject, delivered anyway */
	agg_add(a, &m);
	d.nrows = agg_rows(a, &d.rows);
	strbuf_reset(&b);
	CHECK_INT(report_xml(&d, &b), 0, "rfc7489");
	CHECK(strstr(b.s, "<feedback>") != NULL, "no namespace");
	CHECK(strstr(b.s, "<pct>100</pct>") != NULL, "pct defaults to 100");
	CHECK(strstr(b.s, "<type>local_policy</type>") != NULL, "override reason");
	CHECK(strstr(b.s, "<scope>mfrom</scope>") != NULL, "SPF scope");
	CHECK(strstr(b.s, "<result>none</result>") != NULL, "undefined SPF is none");
	CHECK(strstr(b.s, "Org &amp; Co") != NULL, "escaped org");
	CHECK(strstr(b.s, "<fo>") == NULL, "unknown fo left out");
	strcpy(d.policy.fo, "1:d");
	strbuf_reset(&b);
	CHECK_INT(report_xml(&d, &b), 0, "rfc7489 with fo");
	CHECK(strstr(b.s, "<pct>100</pct>\n    <fo>1:d</fo>") != NULL, "fo: %s", b.s);
	d.format = REPORT_RFC9990;
	d.policy.fo[0] = '\0';
	strbuf_reset(&b);
	CHECK_INT(report_xml(&d, &b), 0, "rfc9990 unknown");
	CHECK(strstr(b.s, "<testing>") == NULL && strstr(b.s, "<np>") == NULL &&
	      strstr(b.s, "<discovery_method>") == NULL && strstr(b.s, "<fo>") == NULL,
	      "unknown np, testing, discovery_method, fo left out: %s", b.s);
	d.policy.np = 'q';
	d.policy.testing = 'y';
	d.policy.discovery = DMARC_DISCOVERY_TREEWALK;
	strcpy(d.policy.fo, "0:s");
	strbuf_reset(&b);
	CHECK_INT(report_xml(&d, &b), 0, "rfc9990");
	CHECK(strstr(b.s, "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"") != NULL, "namespace");
	CHECK(strstr(b.s, "<np>quarantine</np>") != NULL, "np");
	CHECK(strstr(b.s, "<discovery_method>treewalk</discovery_method>\n    <fo>0:s</fo>\n"
			  "    <testing>y</testing>") != NULL, "discovery_method, fo, testing: %s", b.s);
	d.policy.testing = 'n';
	d.policy.discovery = DMARC_DISCOVERY_PSL;
	strbuf_reset(&b);
	CHECK_INT(report_xml(&d, &b), 0, "rfc9990 psl");
	CHECK(strstr(b.s, "<discovery_method>psl</discovery_method>") != NULL, "psl");
	CHECK(strstr(b.s, "<testing>n</testing>") != NULL, "testing n");
	CHECK(strstr(b.s, "<generator>test</generator>") != NULL, "generator");
	CHECK(strstr(b.s, "<pct>") == NULL, "no pct");
	CHECK(strstr(b.s, "<spf>\n") == NULL || strstr(b.s, "<scope>") == NULL,
	      "no SPF result when undefined");
	CHECK_INT(report_format_parse("RFC9990"), REPORT_RFC9990, "format name");
	CHECK_INT(report_format_parse("xml"), -1, "bad format name");
	strbuf_free(&b);
	agg_free(&a);
}

int main(void)
{
	test_escape();
	test_rua();
	test_period();
	test_agg();
	test_base64();
	test_mime();
	test_gzip();
	test_xml();
	return check_done("test_reportgen");
}
