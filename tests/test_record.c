/*
 * test_record - table-driven tests of the DMARC record parser (record.h).
 *
 * Each case gives record text, the expected status and, for OKAY, the
 * parsed record described compactly: "p=<n|q|r|->" always, then only the
 * fields that differ from their defaults, in a fixed order (sp np adkim
 * aspf pct fo rf ri psd t rua ruf), then "warn=<subject>" when
 * rec->warning is set (the text before its ':').  So every field is
 * checked in every case: a stray non-default value shows up as a
 * mismatch.
 *
 * Cases marked "OpenDMARC:" come from OpenDMARC 1.4.2's library tests
 * (test_dmarc_parse.c, test_dmarc_fetch.c).  Where we expect something
 * else, "differs:" says why (RFC 7489 6.3 tells receivers to ignore bad
 * or unknown values rather than drop the record; keywords are whole
 * words, not prefixes).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dmarc.h"
#include "record.h"

#define OK DMARC_PARSE_OKAY
#define EMPTY DMARC_PARSE_ERROR_EMPTY
#define BADVER DMARC_PARSE_ERROR_BAD_VERSION
#define BADVAL DMARC_PARSE_ERROR_BAD_VALUE
#define NOP DMARC_PARSE_ERROR_NO_REQUIRED_P

struct parse_case {
	const char *txt;
	size_t len; /* 0: strlen(txt) */
	int status;
	const char *want; /* description when status is OK */
};

#define V "v=DMARC1; "
/* a literal and its length, for texts holding NUL bytes */
#define L(s) s, sizeof(s) - 1

static const struct parse_case parse_cases[] = {
	/* OpenDMARC: test_dmarc_parse.c, in its order */
	{ V "p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net", 0, OK,
	  "p=n rua=mailto:dmarc-a@abuse.net ruf=mailto:dmarc-f@abuse.net" },
	{ V "p=none;", 0, OK, "p=n" },
	{ V "p=reject;", 0, OK, "p=r" },
	{ V "p=quarantine;", 0, OK, "p=q" },
	/* differs: OpenDMARC takes "n" as a prefix of "none" */
	{ V "p=n;", 0, NOP, NULL },
	{ "", 0, EMPTY, NULL },
	{ "V=BOB", 0, BADVER, NULL },
	/* differs: OpenDMARC says BAD_VALUE; an invalid p is a missing p */
	{ V "p=bob;", 0, NOP, NULL },
	/* differs (here to pct): OpenDMARC fails the record; we ignore the tag */
	{ V "p=none; sp=bob;", 0, OK, "p=n warn=sp" },
	{ V "p=none; adkim=bob;", 0, OK, "p=n warn=adkim" },
	{ V "p=none; aspf=bob;", 0, OK, "p=n warn=aspf" },
	{ V "p=none; rf=bob;", 0, OK, "p=n warn=rf" },
	{ V "p=none; ri=bob;", 0, OK, "p=n warn=ri" },
	{ V "p=none; pct=500;", 0, OK, "p=n warn=pct" },
	{ V "pct=100;", 0, NOP, NULL },
	{ V "p=none; rua=ftp://abuse.com", 0, OK, "p=n rua=ftp://abuse.com" },
	{ V "p=none; ruf=mailto://abuse.com", 0, OK, "p=n ruf=mailto://abuse.com" },
	{ V "p=none; ruf=mailto://abuse.com; foo=bar; buzz=happy;", 0, OK,
	  "p=n ruf=mailto://abuse.com" },
	{ V "p=none; rf=000000000000000000000000000000000", 0, OK, "p=n warn=rf" },
	/* OpenDMARC: test_dmarc_fetch.c */
	{ V "p=none; sp=none; adkim=s; aspf=s; pct=50; ri=300; rf=afrf; "
	    "rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net",
	  0, OK,
	  "p=n sp=n adkim=s aspf=s pct=50 ri=300 rua=mailto:dmarc-a@abuse.net "
	  "ruf=mailto:dmarc-f@abuse.net" },

	/* version: first tag, value exactly DMARC1; tag name any case */
	{ "v=DMARC1", 0, NOP, NULL },
	{ "v=DMARC1;", 0, NOP, NULL },
	{ "V=DMARC1; p=none", 0, OK, "p=n" },
	{ " \tv = DMARC1 ;p = none ", 0, OK, "p=n" },
	{ "v=dmarc1; p=none", 0, BADVER, NULL },
	{ "v=DMARC2; p=none", 0, BADVER, NULL },
	{ "v=DMARC10; p=none", 0, BADVER, NULL },
	{ "v=DMARC; p=none", 0, BADVER, NULL },
	{ "v=; p=none", 0, BADVER, NULL },
	{ "p=none; v=DMARC1", 0, BADVER, NULL },
	{ ";v=DMARC1; p=none", 0, BADVER, NULL },
	{ "v=spf1 -all", 0, BADVER, NULL },
	{ "hello world", 0, BADVER, NULL },
	{ "vx=DMARC1; p=none", 0, BADVER, NULL },
	{ L("v=DMARC1\0; p=none"), BADVER, NULL },
	{ V "p=none; v=DMARC1", 0, OK, "p=n warn=duplicate" },
	{ V "p=none; v=DMARC2", 0, OK, "p=n warn=duplicate" },

	/* empty and malformed tag lists */
	{ "   ", 0, EMPTY, NULL },
	{ " ; ;", 0, EMPTY, NULL },
	{ V "p", 0, BADVAL, NULL },
	{ V "p=none; rua", 0, BADVAL, NULL },
	{ V "p=none; 1x=2", 0, BADVAL, NULL },
	{ V "p=none; a b=c", 0, BADVAL, NULL },
	{ "v=DMARC1 p=none", 0, BADVAL, NULL },
	{ "v=DMARC1,p=none", 0, BADVER, NULL },
	{ V "p=none; ", 0, OK, "p=n" },
	{ V ";; p=none;;", 0, OK, "p=n" },
	{ "v=DMARC1;\r\n\tp=reject;\r\n rua=\r\n mailto:a@example.com", 0, OK,
	  "p=r rua=mailto:a@example.com" },
	{ "v=DMARC1\r\n ; p=reject", 0, OK, "p=r" },

	/* p: whole keywords, any case */
	{ V "p=REJECT", 0, OK, "p=r" },
	{ V "P=Quarantine", 0, OK, "p=q" },
	{ V "p=NoNe", 0, OK, "p=n" },
	{ V "p= reject ", 0, OK, "p=r" },
	/* differs: OpenDMARC prefix-matches these to reject */
	{ V "p=r", 0, NOP, NULL },
	{ V "p=rej", 0, NOP, NULL },
	{ V "p=q", 0, NOP, NULL },
	{ V "p=rejected", 0, NOP, NULL },
	{ V "p=re ject", 0, NOP, NULL },
	{ V "p=", 0, NOP, NULL },
	{ V "p=none; p=reject", 0, OK, "p=n warn=duplicate" },
	{ V "p=bogus; p=reject", 0, NOP, NULL },
	/* missing or bad p with a valid rua: p=none (RFC 7489 6.6.3) */
	{ V "rua=mailto:a@example.com", 0, OK, "p=n rua=mailto:a@example.com warn=p" },
	{ V "p=bogus; rua=mailto:a@example.com", 0, OK, "p=n rua=mailto:a@example.com warn=p" },
	{ V "p=reject; rua=mailto:a@example.com", 0, OK, "p=r rua=mailto:a@example.com" },
	{ V "rua=bogus", 0, NOP, NULL },
	{ V "rua=", 0, NOP, NULL },
	{ V "ruf=mailto:a@example.com", 0, NOP, NULL },
	{ V "p=x; sp=reject; ruf=mailto:a@example.com", 0, NOP, NULL },

	/* sp and np: bad value -> unspecified (p applies) */
	{ V "p=none; sp=reject", 0, OK, "p=n sp=r" },
	{ V "p=none; SP=QUARANTINE", 0, OK, "p=n sp=q" },
	{ V "p=none; sp=none", 0, OK, "p=n sp=n" },
	{ V "p=none; sp=r", 0, OK, "p=n warn=sp" },
	{ V "p=none; sp=", 0, OK, "p=n warn=sp" },
	{ V "p=none; np=reject", 0, OK, "p=n np=r" },
	{ V "p=none; np=Quarantine; sp=none", 0, OK, "p=n sp=n np=q" },
	{ V "p=none; np=q", 0, OK, "p=n warn=np" },
	{ V "p=reject; sp=none; sp=reject", 0, OK, "p=r sp=n warn=duplicate" },

	/* adkim, aspf */
	{ V "p=none; adkim=s", 0, OK, "p=n adkim=s" },
	{ V "p=none; adkim=S; aspf=S", 0, OK, "p=n adkim=s aspf=s" },
	{ V "p=none; adkim=r; aspf=r", 0, OK, "p=n" },
	{ V "p=none; adkim=strict", 0, OK, "p=n warn=adkim" },
	{ V "p=none; aspf=", 0, OK, "p=n warn=aspf" },
	{ V "p=none; aspf=x; adkim=s", 0, OK, "p=n adkim=s warn=aspf" },

	/* pct: strict digits, 0..100 */
	{ V "p=none; pct=0", 0, OK, "p=n pct=0" },
	{ V "p=none; pct=100", 0, OK, "p=n pct=100" },
	{ V "p=none; pct=050", 0, OK, "p=n pct=50" },
	{ V "p=none; pct = 7 ", 0, OK, "p=n pct=7" },
	{ V "p=none; pct=50%", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=-1", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=101", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=1e2", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=+5", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=5 0", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=0x10", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=18446744073709551666", 0, OK, "p=n warn=pct" },
	{ V "p=none; pct=20; pct=80", 0, OK, "p=n pct=20 warn=duplicate" },

	/* fo: ':' list of 0 1 d s; one bad member voids it */
	{ V "p=none; fo=1", 0, OK, "p=n fo=1" },
	{ V "p=none; fo=0", 0, OK, "p=n" },
	{ V "p=none; fo=0:1:d:s", 0, OK, "p=n fo=0:1:d:s" },
	{ V "p=none; fo=d : S", 0, OK, "p=n fo=d:s" },
	{ V "p=none; fo=s:s", 0, OK, "p=n fo=s" },
	{ V "p=none; fo=1:x", 0, OK, "p=n warn=fo" },
	{ V "p=none; fo=1:", 0, OK, "p=n warn=fo" },
	{ V "p=none; fo=10", 0, OK, "p=n warn=fo" },
	{ V "p=none; fo=", 0, OK, "p=n warn=fo" },
	{ V "p=none; fo=1,d", 0, OK, "p=n warn=fo" },

	/* rf: ':' list of afrf iodef */
	{ V "p=none; rf=iodef", 0, OK, "p=n rf=iodef" },
	{ V "p=none; rf=afrf:iodef", 0, OK, "p=n rf=afrf:iodef" },
	{ V "p=none; rf=AFRF", 0, OK, "p=n" },
	{ V "p=none; rf=afrf:xml", 0, OK, "p=n warn=rf" },
	{ V "p=none; rf=af", 0, OK, "p=n warn=rf" },
	{ V "p=none; rf=", 0, OK, "p=n warn=rf" },

	/* ri: 32-bit unsigned decimal */
	{ V "p=none; ri=3600", 0, OK, "p=n ri=3600" },
	{ V "p=none; ri=0", 0, OK, "p=n ri=0" },
	{ V "p=none; ri=4294967295", 0, OK, "p=n ri=4294967295" },
	{ V "p=none; ri=4294967296", 0, OK, "p=n warn=ri" },
	{ V "p=none; ri=-1", 0, OK, "p=n warn=ri" },
	{ V "p=none; ri=1h", 0, OK, "p=n warn=ri" },
	{ V "p=none; ri=", 0, OK, "p=n warn=ri" },

	/* psd and t (RFC 9989) */
	{ V "p=none; psd=y", 0, OK, "p=n psd=y" },
	{ V "p=none; psd=N", 0, OK, "p=n psd=n" },
	{ V "p=none; psd=u", 0, OK, "p=n" },
	{ V "p=none; psd=yes", 0, OK, "p=n warn=psd" },
	{ V "p=none; psd=", 0, OK, "p=n warn=psd" },
	{ V "p=none; t=y", 0, OK, "p=n t=y" },
	{ V "p=none; t=Y", 0, OK, "p=n t=y" },
	{ V "p=none; t=n", 0, OK, "p=n" },
	{ V "p=none; t=true", 0, OK, "p=n warn=t" },

	/* rua, ruf: URI [ "!" size [k|m|g|t] ], comma separated */
	{ V "p=none; rua=mailto:a@example.com,mailto:b@example.net", 0, OK,
	  "p=n rua=mailto:a@example.com,mailto:b@example.net" },
	{ V "p=none; rua = mailto:a@x , mailto:b@y ", 0, OK, "p=n rua=mailto:a@x,mailto:b@y" },
	{ V "p=none; rua=mailto:a@x,\r\n\tmailto:b@y", 0, OK, "p=n rua=mailto:a@x,mailto:b@y" },
	{ V "p=none; rua=mailto:a@x,mailto:a@x", 0, OK, "p=n rua=mailto:a@x,mailto:a@x" },
	{ V "p=none; rua=mailto:a@x!10m", 0, OK, "p=n rua=mailto:a@x!10485760" },
	{ V "p=none; rua=mailto:a@x!500", 0, OK, "p=n rua=mailto:a@x!500" },
	{ V "p=none; rua=mailto:a@x!20k", 0, OK, "p=n rua=mailto:a@x!20480" },
	{ V "p=none; rua=mailto:a@x!2K", 0, OK, "p=n rua=mailto:a@x!2048" },
	{ V "p=none; rua=mailto:a@x!1g", 0, OK, "p=n rua=mailto:a@x!1073741824" },
	{ V "p=none; rua=mailto:a@x!1t", 0, OK, "p=n rua=mailto:a@x!1099511627776" },
	{ V "p=none; rua=mailto:a@x!0", 0, OK, "p=n rua=mailto:a@x" },
	{ V "p=none; rua=mailto:a@x!18446744073709551615", 0, OK,
	  "p=n rua=mailto:a@x!18446744073709551615" },
	{ V "p=none; rua=mailto:a@x!16777215t", 0, OK,
	  "p=n rua=mailto:a@x!18446742974197923840" },
	{ V "p=none; rua=mailto:a@x!18446744073709551616", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!16777216t", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!99999999999999999999k", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!k", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!10x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!10mb", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!1 0", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x !10m", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!1!2", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a@x!-1", 0, OK, "p=n warn=rua" },
	/* syntactic URIs only: a bad mail address is still a URI */
	{ V "p=none; rua=mailto:not-an-address", 0, OK, "p=n rua=mailto:not-an-address" },
	{ V "p=none; rua=https://r.example/x?y=1%2C2", 0, OK,
	  "p=n rua=https://r.example/x?y=1%2C2" },
	{ V "p=none; rua=x-y+z.w:abc", 0, OK, "p=n rua=x-y+z.w:abc" },
	{ V "p=none; rua=MAILTO:A@X", 0, OK, "p=n rua=MAILTO:A@X" },
	{ V "p=none; rua=a@example.com", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=:x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=1mailto:a@x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mail to:a@x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mail_to:a@x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a b@x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:\xc3\xa9@x", 0, OK, "p=n warn=rua" },
	{ V "p=none; rua=mailto:a\x7f@x", 0, OK, "p=n warn=rua" },
	{ L(V "p=none; rua=mailto:a\0@x"), OK, "p=n warn=rua" },
	{ V "p=none; rua=", 0, OK, "p=n warn=rua" },
	/* bad members are dropped, the rest kept in order */
	{ V "p=none; rua=mailto:a@x,,mailto:b@y", 0, OK, "p=n rua=mailto:a@x,mailto:b@y warn=rua" },
	{ V "p=none; rua=mailto:a@x,", 0, OK, "p=n rua=mailto:a@x warn=rua" },
	{ V "p=none; rua=bad,mailto:b@y!1k", 0, OK, "p=n rua=mailto:b@y!1024 warn=rua" },
	{ V "p=none; rua=mailto:a@x; rua=mailto:b@y", 0, OK, "p=n rua=mailto:a@x warn=duplicate" },
	{ V "p=none; ruf=mailto:a@x!1m,mailto:b@y", 0, OK, "p=n ruf=mailto:a@x!1048576,mailto:b@y" },
	{ V "p=none; ruf=nope", 0, OK, "p=n warn=ruf" },

	/* the first warning is the one kept */
	{ V "p=none; sp=bad; adkim=bad; pct=bad", 0, OK, "p=n warn=sp" },
	{ V "p=none; pct=bad; sp=bad", 0, OK, "p=n warn=pct" },
	/* unknown tags are ignored, without a warning */
	{ V "p=none; foo=bar; x_1=; Z9=?", 0, OK, "p=n" },
	{ V "p=reject; x-ext=1; pct=5", 0, OK, "p=r pct=5" },
	/* a realistic record */
	{ "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; pct=100; "
	  "fo=1:d; rf=afrf; ri=86400; psd=n; t=n; "
	  "rua=mailto:agg@example.com!50m; ruf=mailto:fail@example.com",
	  0, OK,
	  "p=r sp=q np=r adkim=s pct=100 fo=1:d psd=n rua=mailto:agg@example.com!52428800 "
	  "ruf=mailto:fail@example.com" },

	/* the length bounds the text; NULs are data */
	{ V "p=nonesense", 16, OK, "p=n" },
	{ L(V "p=none\0"), NOP, NULL },
	{ L(V "p=none\0; sp=reject"), NOP, NULL },
	{ L(V "p=reject; sp=no\0ne"), OK, "p=r warn=sp" },
};

/* Append s to out (size bytes), clipped, always NUL-terminated. */
static void add(char *out, size_t size, const char *s)
{
	size_t used = strlen(out), n = strlen(s);

	if (n > size - 1 - used)
		n = size - 1 - used;
	memcpy(out + used, s, n);
	out[used + n] = '\0';
}

static void add_num(char *out, size_t size, const char *name, uint64_t v)
{
	char num[48];

	snprintf(num, sizeof num, " %s=%llu", name, (unsigned long long)v);
	add(out, size, num);
}

static void add_letter(char *out, size_t size, const char *name, int c)
{
	char buf[16];

	snprintf(buf, sizeof buf, " %s=%c", name, c ? c : '-');
	add(out, size, buf);
}

static void add_bits(char *out, size_t size, const char *name, int bits, const int *bit,
		     const char *const *word, size_t n)
{
	size_t i;
	int first = 1;

	add(out, size, " ");
	add(out, size, name);
	add(out, size, "=");
	for (i = 0; i < n; i++) {
		if (bits & bit[i]) {
			add(out, size, first ? "" : ":");
			add(out, size, word[i]);
			first = 0;
		}
	}
}

static void add_uris(char *out, size_t size, const char *name, const struct record_uri *u,
		     size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		add(out, size, i ? "," : " ");
		if (i == 0) {
			add(out, size, name);
			add(out, size, "=");
		}
		add(out, size, u[i].uri);
		if (u[i].max_size) {
			char num[32];

			snprintf(num, sizeof num, "!%llu", (unsigned long long)u[i].max_size);
			add(out, size, num);
		}
	}
}

static void add_warning(char *out, size_t size, const char *warning)
{
	char subject[32];
	size_t n = strcspn(warning, ":");

	if (n >= sizeof subject)
		n = sizeof subject - 1;
	memcpy(subject, warning, n);
	subject[n] = '\0';
	add(out, size, " warn=");
	add(out, size, subject);
}

static const int fo_bits[] = { DMARC_RECORD_FO_0, DMARC_RECORD_FO_1, DMARC_RECORD_FO_D,
			       DMARC_RECORD_FO_S };
static const char *const fo_words[] = { "0", "1", "d", "s" };
static const int rf_bits[] = { DMARC_RECORD_RF_AFRF, DMARC_RECORD_RF_IODEF };
static const char *const rf_words[] = { "afrf", "iodef" };

/* The compact description documented at the top of this file. */
static void describe(const struct record *r, char *out, size_t size)
{
	out[0] = '\0';
	snprintf(out, size, "p=%c", r->p ? r->p : '-');
	if (r->sp)
		add_letter(out, size, "sp", r->sp);
	if (r->np)
		add_letter(out, size, "np", r->np);
	if (r->adkim != DMARC_RECORD_A_RELAXED)
		add_letter(out, size, "adkim", r->adkim);
	if (r->aspf != DMARC_RECORD_A_RELAXED)
		add_letter(out, size, "aspf", r->aspf);
	if (r->pct_given || r->pct != 100)
		add_num(out, size, r->pct_given ? "pct" : "pct(not given)", (uint64_t)r->pct);
	if (r->fo != DMARC_RECORD_FO_0)
		add_bits(out, size, "fo", r->fo, fo_bits, fo_words, 4);
	if (r->rf != DMARC_RECORD_RF_AFRF)
		add_bits(out, size, "rf", r->rf, rf_bits, rf_words, 2);
	if (r->ri != 86400)
		add_num(out, size, "ri", r->ri);
	if (r->psd)
		add_letter(out, size, "psd", r->psd);
	if (r->testing)
		add(out, size, " t=y");
	add_uris(out, size, "rua", r->rua, r->rua_count);
	add_uris(out, size, "ruf", r->ruf, r->ruf_count);
	if (r->warning)
		add_warning(out, size, r->warning);
}

static void test_parse_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		size_t len = c->len ? c->len : strlen(c->txt);
		struct record rec;
		char got[1024];
		int status;

		status = record_parse(c->txt, len, &rec);
		CHECK_INT(status, c->status, c->txt);
		if (status == OK && c->status == OK) {
			describe(&rec, got, sizeof got);
			CHECK_STR(got, c->want, c->txt);
		}
		if (status != OK) {
			CHECK(rec.rua_count == 0 && rec.ruf_count == 0,
			      "%s: URIs kept after an error", c->txt);
		}
		record_free(&rec);
	}
}

/* More URIs than RECORD_URI_MAX: the first ones are kept, the rest dropped. */
static void test_uri_limit(void)
{
	char txt[2048] = V "p=none; rua=";
	char want[2048] = "p=n rua=";
	char got[2048];
	struct record rec;
	int i;

	for (i = 0; i < RECORD_URI_MAX + 3; i++) {
		char uri[32];

		snprintf(uri, sizeof uri, "%smailto:r%d@x", i ? "," : "", i);
		add(txt, sizeof txt, uri);
		if (i < RECORD_URI_MAX)
			add(want, sizeof want, uri);
	}
	add(want, sizeof want, " warn=rua");
	CHECK_INT(record_parse(txt, strlen(txt), &rec), OK, "URI limit");
	CHECK_INT(rec.rua_count, RECORD_URI_MAX, "URI limit: count");
	describe(&rec, got, sizeof got);
	CHECK_STR(got, want, "URI limit");
	record_free(&rec);
}

/* Many tags: more than TAGLIST_MAX is a malformed list, not a crash. */
static void test_tag_limit(void)
{
	char txt[4096] = V "p=none";
	struct record rec;
	int i;

	for (i = 0; i < 40; i++) {
		char tag[32];

		snprintf(tag, sizeof tag, "; x%d=y", i);
		add(txt, sizeof txt, tag);
	}
	CHECK_INT(record_parse(txt, strlen(txt), &rec), BADVAL, "more tags than TAGLIST_MAX");
	record_free(&rec);
}

static void test_free(void)
{
	static const char txt[] = V "p=none; rua=mailto:a@x,mailto:b@y; ruf=mailto:c@z";
	struct record rec;

	CHECK_INT(record_parse(txt, sizeof txt - 1, &rec), OK, "free: parse");
	CHECK_INT(rec.rua_count, 2, "free: rua before");
	CHECK_INT(rec.ruf_count, 1, "free: ruf before");
	record_free(&rec);
	CHECK_INT(rec.rua_count, 0, "free: rua count reset");
	CHECK_INT(rec.ruf_count, 0, "free: ruf count reset");
	CHECK(rec.rua[0].uri == NULL && rec.rua[1].uri == NULL && rec.ruf[0].uri == NULL,
	      "free: pointers cleared");
	record_free(&rec); /* twice is harmless */
	record_free(NULL);
}

static void test_bad_arguments(void)
{
	struct record rec;

	CHECK_INT(record_parse(NULL, 0, &rec), EMPTY, "NULL text");
	record_free(&rec);
	CHECK_INT(record_parse(NULL, 10, &rec), EMPTY, "NULL text, length");
	record_free(&rec);
	CHECK_INT(record_parse("v=DMARC1; p=none", 0, &rec), EMPTY, "zero length");
	record_free(&rec);
	CHECK_INT(record_parse("v=DMARC1; p=none", 16, NULL), DMARC_PARSE_ERROR_NULL_CTX,
		  "NULL record");
	/* a malformed tag list after "v=DMARC1" says why */
	CHECK_INT(record_parse(V "p", 11, &rec), BADVAL, "reason: parse");
	CHECK(rec.warning != NULL && strchr(rec.warning, '=') != NULL, "reason: %s",
	      rec.warning ? rec.warning : "(none)");
	record_free(&rec);
}

/* Defaults of every field after a minimal record. */
static void test_defaults(void)
{
	struct record rec;

	CHECK_INT(record_parse(V "p=none", 16, &rec), OK, "defaults: parse");
	CHECK_INT(rec.p, DMARC_RECORD_P_NONE, "default p");
	CHECK_INT(rec.sp, DMARC_RECORD_P_UNSPECIFIED, "default sp");
	CHECK_INT(rec.np, DMARC_RECORD_P_UNSPECIFIED, "default np");
	CHECK_INT(rec.adkim, DMARC_RECORD_A_RELAXED, "default adkim");
	CHECK_INT(rec.aspf, DMARC_RECORD_A_RELAXED, "default aspf");
	CHECK_INT(rec.pct, 100, "default pct");
	CHECK_INT(rec.pct_given, 0, "default pct_given");
	CHECK_INT(rec.fo, DMARC_RECORD_FO_0, "default fo");
	CHECK_INT(rec.rf, DMARC_RECORD_RF_AFRF, "default rf");
	CHECK_INT(rec.ri, 86400, "default ri");
	CHECK_INT(rec.psd, DMARC_RECORD_PSD_UNSPECIFIED, "default psd");
	CHECK_INT(rec.testing, 0, "default t");
	CHECK_INT(rec.rua_count, 0, "default rua");
	CHECK_INT(rec.ruf_count, 0, "default ruf");
	CHECK(rec.warning == NULL, "default warning: %s", rec.warning);
	record_free(&rec);
}

struct is_dmarc_case {
	const char *txt;
	size_t len; /* 0: strlen(txt) */
	int want;
};

static const struct is_dmarc_case is_dmarc_cases[] = {
	{ "v=DMARC1", 0, 1 },
	{ "v=DMARC1;", 0, 1 },
	{ "v=DMARC1; p=none", 0, 1 },
	{ "v=DMARC1 ;p=none", 0, 1 },
	{ "v=DMARC1 p=none", 0, 1 },
	{ " \tv = DMARC1\t; p=none", 0, 1 },
	{ "V=DMARC1; p=none", 0, 1 },
	{ "v=DMARC1\r\n", 0, 1 },
	{ "v=DMARC10", 0, 0 },
	{ "v=DMARC1x; p=none", 0, 0 },
	{ "v=DMARC1,", 0, 0 },
	{ "v=spf1 -all", 0, 0 },
	{ "v=dmarc1", 0, 0 },
	{ "v=DMARC", 0, 0 },
	{ "v=DMARC2", 0, 0 },
	{ "v DMARC1", 0, 0 },
	{ "vv=DMARC1", 0, 0 },
	{ "x v=DMARC1", 0, 0 },
	{ ";v=DMARC1", 0, 0 },
	{ "p=none; v=DMARC1", 0, 0 },
	{ "", 0, 0 },
	{ "   ", 0, 0 },
	{ L("v=DMARC1\0"), 0 },
	{ "v=DMARC1", 7, 0 },
	{ "v=DMARC1;junk", 9, 1 },
	{ "v=", 0, 0 },
	{ "v", 0, 0 },
};

static void test_is_dmarc(void)
{
	size_t i;

	for (i = 0; i < sizeof is_dmarc_cases / sizeof is_dmarc_cases[0]; i++) {
		const struct is_dmarc_case *c = &is_dmarc_cases[i];
		size_t len = c->len ? c->len : strlen(c->txt);

		CHECK_INT(record_is_dmarc(c->txt, len), c->want, c->txt);
	}
	CHECK_INT(record_is_dmarc(NULL, 0), 0, "NULL");
	CHECK_INT(record_is_dmarc(NULL, 8), 0, "NULL with a length");
}

int main(void)
{
	test_parse_cases();
	test_uri_limit();
	test_tag_limit();
	test_free();
	test_bad_arguments();
	test_defaults();
	test_is_dmarc();
	return check_done("test_record");
}
