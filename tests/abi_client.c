/*
 * abi_client - a program written for OpenDMARC 1.4.2's libopendmarc.
 *
 * tests/abi.test compiles it against OpenDMARC's own header and library,
 * runs it, then runs the same binary against our libopendmarc.so.2
 * (LD_LIBRARY_PATH) and compares the output.  It only exercises cases where
 * OpenDMARC follows the RFCs, so both libraries must print the same lines.
 */
#include <stdio.h>
#include <string.h>

#include <dmarc.h>

/* exported by OpenDMARC 1.4.2 but missing from its header */
int opendmarc_get_tld(u_char *domain, u_char *tld, size_t tld_len);

struct abi_case {
	const char *from, *record, *org, *spf, *dkim;
};

static const struct abi_case cases[] = {
	{ "example.com", "v=DMARC1; p=reject", NULL, NULL, "example.com" },
	{ "example.com", "v=DMARC1; p=reject", NULL, "example.com", NULL },
	{ "example.com", "v=DMARC1; p=reject", NULL, "other.net", "other.net" },
	{ "example.com", "v=DMARC1; p=quarantine; pct=20", NULL, NULL, NULL },
	{ "mail.example.com", "v=DMARC1; p=reject; sp=none", "example.com", NULL, NULL },
	{ "example.com", "v=DMARC1; p=none; rua=mailto:r@example.com", NULL, NULL, NULL },
	/* not here: adkim=s with d=mail.example.co.uk, which OpenDMARC wrongly
	 * passes (strict alignment via the org domain); see test_policy.c */
	{ "example.co.uk", "v=DMARC1; p=reject", NULL, NULL, "mail.example.co.uk" },
};

static void run(const struct abi_case *c)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 4);
	int st, pol, da = 0, sa = 0, p = 0, pct = 0, adkim = 0;
	u_char **rua;

	opendmarc_policy_store_from_domain(pctx, (u_char *)c->from);
	st = opendmarc_policy_store_dmarc(pctx, (u_char *)c->record, (u_char *)c->from,
					  (u_char *)c->org);
	if (c->spf)
		opendmarc_policy_store_spf(pctx, (u_char *)c->spf, DMARC_POLICY_SPF_OUTCOME_PASS,
					   DMARC_POLICY_SPF_ORIGIN_MAILFROM, NULL);
	if (c->dkim)
		opendmarc_policy_store_dkim(pctx, (u_char *)c->dkim, (u_char *)"s1",
					    DMARC_POLICY_DKIM_OUTCOME_PASS, NULL);
	pol = opendmarc_get_policy_to_enforce(pctx);
	opendmarc_policy_fetch_alignment(pctx, &da, &sa);
	opendmarc_policy_fetch_p(pctx, &p);
	opendmarc_policy_fetch_pct(pctx, &pct);
	opendmarc_policy_fetch_adkim(pctx, &adkim);
	rua = opendmarc_policy_fetch_rua(pctx, NULL, 0, 0);
	printf("%s [%s] store=%d policy=%d dkim=%d spf=%d p=%c pct=%d rua=%s\n", c->from,
	       c->record, st, pol, da, sa, p, pct, rua ? (char *)rua[0] : "-");
	opendmarc_util_clearargv(rua);
	opendmarc_policy_connect_shutdown(pctx);
}

int main(void)
{
	OPENDMARC_LIB_T lib;
	u_char tld[256];
	size_t i;

	memset(&lib, 0, sizeof lib);
	lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
	strcpy((char *)lib.tld_source_file, "/usr/share/publicsuffix/public_suffix_list.dat");
	printf("init=%d\n", opendmarc_policy_library_init(&lib));
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run(&cases[i]);
	opendmarc_get_tld((u_char *)"a.b.example.co.uk", tld, sizeof tld);
	printf("tld=%s\n", (char *)tld);
	printf("status=%s\n", opendmarc_policy_status_to_str(DMARC_POLICY_ABSENT) ? "yes" : "no");
	opendmarc_policy_library_shutdown(&lib);
	return 0;
}
