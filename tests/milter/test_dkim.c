/*
 * test_dkim - libopendkim through dkim.c, offline: the key comes from a
 * fake TXT answer, the message was signed once with Mail::DKIM
 * (tests/milter/dkimsign.pl, relaxed/relaxed, no t= or x=).  Then the
 * pure mapping of libopendkim's signature state to results.
 */
#include <string.h>

#include <opendkim/dkim.h>

#include "../check.h"
#include "dkim.h"
#include "dmarc.h"

static const char key_record[] = "v=DKIM1; k=rsa; p="
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5MOYNtCeGBq5SOuDHYk/pksJJcYe"
	"rplZpxPtAGu5HOqdPxMdetqKVcn6h3uZ7zNBh7VZBP5nfQ5LyatEhaWGYlV22TxWMD+dLDAW"
	"BgXVOahBgvmI2qUGq4CWqXWpyBSMECf7hFUQnF2zZoak7N2Xc3dB3dPCMCghAgfk4TdVQ621"
	"9XpczU+RS5RkRALIbL8krfYNlJmVoYeinNmSa42OhC6ayXeIYc00PTwPD96lq3CwMIAV4s46"
	"ARjfX0hYR/45GiffPYQMnUA0mZ09pI8GAGRDybxAzcJrSAXw+DtdPJxmEhPT/hFrAiV42lRd"
	"d0EIPGiFKaw24pVLUOIgfCkr9QIDAQAB";

static const char signature[] =
	"v=1; a=rsa-sha256; c=relaxed/relaxed; d=dkim.example; h=from:to:subject:"
	"date; s=s1; bh=yZQq1c8wjBl0fZ4Wc/oraMCAG1mZJv5v/hlvyFy+t6A=; b=v2h68PLxd"
	"Q0YxK9dDrZpycN6H8yvH3j6PepqcjuQTGGdY4SFr1VP6U+063yblpEcKRlUckI8O9cApAlyw"
	"Bvdp5737lNmZOKHtu2/AQdSu1WLCX7AbwPqdKjhLlPJeJXraHiAJd67nvVBk+rEiX3hKqNLa"
	"4UCO8HYUeddE+qzAg6h69JKAtzw6YKMerUe3tPzPYkP8+MT0QKJhqUwX6QRZvvfz5lgWXksh"
	"uanohDD8Mon1wiOmPsrcZTs45BsNsQwVNvtOA3bsosTsDOkxLJO+9y0yToDFOqvMCp/OQKZf"
	"jyw2Fq3LiR7tquk4j+unA4fiKsTjOA1mxKoCPWptm4gHg==";

struct field {
	const char *name, *value;
};

static const struct field base[] = {
	{ "From", "Alice <alice@dkim.example>" }, { "To", "bob@dest.example" },
	{ "Subject", "signed" }, { "Date", "Tue, 1 Jan 2030 00:00:00 +0000" },
};

/* One message: nsig copies of the signature (with selector sel), then the
 * fields of base[] (Subject replaced when subject != NULL), then body. */
static size_t verify(int nsig, const char *sel, const char *subject, const char *body,
		     struct auth_dkim *out, size_t max)
{
	struct dkimv *v = dkimv_begin("TEST");
	char sig[sizeof signature + 16];
	const char *s1 = strstr(signature, "s=s1;");
	size_t i, n;

	snprintf(sig, sizeof sig, "%.*ss=%s;%s", (int)(s1 - signature), signature, sel, s1 + 5);
	for (i = 0; i < (size_t)nsig; i++)
		dkimv_header(v, "DKIM-Signature", sig);
	for (i = 0; i < sizeof base / sizeof base[0]; i++)
		dkimv_header(v, base[i].name, subject != NULL && strcmp(base[i].name, "Subject") == 0
					      ? subject : base[i].value);
	dkimv_body(v, (const unsigned char *)body, strlen(body));
	n = dkimv_end(v, out, max);
	dkimv_free(&v);
	CHECK(v == NULL, "free clears");
	return n;
}

static void message_cases(void)
{
	struct auth_dkim r[MESSAGE_DKIM_MAX];
	size_t n;

	opendmarc_dns_fake_record("s1._domainkey.dkim.example", key_record);
	opendmarc_dns_fake_record("bad._domainkey.dkim.example", "v=DKIM1; k=rsa; p=AAAA");
	n = verify(1, "s1", NULL, "Hello.\r\n", r, MESSAGE_DKIM_MAX);
	CHECK_INT(n, 1, "good: results");
	CHECK_INT(r[0].ares, ARES_RESULT_PASS, "good");
	CHECK_INT(r[0].outcome, DMARC_POLICY_DKIM_OUTCOME_PASS, "good outcome");
	CHECK_STR(r[0].domain, "dkim.example", "good d=");
	CHECK_STR(r[0].selector, "s1", "good s=");
	n = verify(1, "s1", NULL, "Hello.\n", r, MESSAGE_DKIM_MAX);
	CHECK(n == 1 && r[0].ares == ARES_RESULT_PASS, "bare LF body is fixed to CRLF");
	n = verify(1, "s1", NULL, "Hello, changed.\r\n", r, MESSAGE_DKIM_MAX);
	CHECK(n == 1 && r[0].ares == ARES_RESULT_FAIL, "changed body fails");
	n = verify(1, "s1", "changed", "Hello.\r\n", r, MESSAGE_DKIM_MAX);
	CHECK(n == 1 && r[0].ares == ARES_RESULT_FAIL, "changed Subject fails");
	CHECK_INT(r[0].outcome, DMARC_POLICY_DKIM_OUTCOME_FAIL, "fail outcome");
	n = verify(1, "s9", NULL, "Hello.\r\n", r, MESSAGE_DKIM_MAX);
	CHECK(n == 1 && r[0].ares == ARES_RESULT_PERMERROR, "no key: permerror");
	n = verify(1, "bad", NULL, "Hello.\r\n", r, MESSAGE_DKIM_MAX);
	CHECK(n == 1 && r[0].ares == ARES_RESULT_PERMERROR, "unusable key: permerror (%d)",
	      n ? r[0].ares : -1);
	CHECK_INT(verify(0, "s1", NULL, "Hello.\r\n", r, MESSAGE_DKIM_MAX), 0, "unsigned");
	CHECK_INT(verify(12, "s1", NULL, "Hello.\r\n", r, MESSAGE_DKIM_MAX), DKIMV_MAX_SIGS,
		  "signature limit");
	CHECK_INT(verify(3, "s1", NULL, "Hello.\r\n", r, 2), 2, "output limit");
	opendmarc_policy_library_shutdown(NULL);
}

static void mapping_cases(void)
{
	static const struct {
		unsigned int flags;
		int bh, err, temp, want;
	} cases[] = {
		{ DKIM_SIGFLAG_PASSED, DKIM_SIGBH_MATCH, DKIM_SIGERROR_OK, 0, ARES_RESULT_PASS },
		{ DKIM_SIGFLAG_PASSED, DKIM_SIGBH_MISMATCH, DKIM_SIGERROR_OK, 0, ARES_RESULT_FAIL },
		{ 0, DKIM_SIGBH_MATCH, DKIM_SIGERROR_BADSIG, 0, ARES_RESULT_FAIL },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_EXPIRED, 0, ARES_RESULT_FAIL },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_KEYFAIL, 0, ARES_RESULT_TEMPERROR },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_NOKEY, 1, ARES_RESULT_TEMPERROR },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_NOKEY, 0, ARES_RESULT_PERMERROR },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_KEYREVOKED, 0, ARES_RESULT_PERMERROR },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_KEYTOOSMALL, 0, ARES_RESULT_POLICY },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_MISSING_B, 0, ARES_RESULT_NEUTRAL },
		{ 0, DKIM_SIGBH_UNTESTED, DKIM_SIGERROR_VERSION, 0, ARES_RESULT_NEUTRAL },
		{ DKIM_SIGFLAG_PASSED, DKIM_SIGBH_MATCH, DKIM_SIGERROR_OK, 1, ARES_RESULT_TEMPERROR },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(dkimv_ares(cases[i].flags, cases[i].bh, cases[i].err, cases[i].temp) ==
		      cases[i].want, "mapping case %zu", i);
}

static void field_cases(void)
{
	char buf[32];

	CHECK_INT(dkimv_field("Subject", "hi", buf, sizeof buf), 11, "space added");
	CHECK_STR(buf, "Subject: hi", "space added");
	CHECK_INT(dkimv_field("Subject", " hi", buf, sizeof buf), 11, "space kept");
	CHECK_STR(buf, "Subject: hi", "space kept");
	dkimv_field("X", "\tfolded\n\tline", buf, sizeof buf);
	CHECK_STR(buf, "X:\tfolded\n\tline", "tab kept");
	CHECK_INT(dkimv_field("Subject", "a value far too long for the buffer", buf, sizeof buf),
		  0, "too long");
}

int main(void)
{
	mapping_cases();
	field_cases();
	message_cases();
	return check_done("test_dkim");
}
