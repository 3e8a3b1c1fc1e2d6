/*
 * NAME
 *	compat - OpenDMARC's free-standing utility functions
 * DESCRIPTION
 *	Status strings, the suffix-list entry points, argv helpers, the From
 *	domain finder, external report destination checks, and the parts of
 *	the ABI we keep only so that old programs still link (XML report
 *	parsing, the built-in SPF checker): those answer "not available"
 *	without crashing, as docs/compatibility.md explains.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "align.h"
#include "domain.h"
#include "policy.h"
#include "psl.h"
#include "record.h"
#include "resolver.h"

static const char *const status_text[] = {
	[DMARC_PARSE_OKAY] = "Success. No errors",
	[DMARC_PARSE_ERROR_EMPTY] = "Function called with nothing to parse",
	[DMARC_PARSE_ERROR_NULL_CTX] = "Function called with NULL context",
	[DMARC_PARSE_ERROR_BAD_VERSION] = "Found DMARC record had a bad version tag",
	[DMARC_PARSE_ERROR_BAD_VALUE] = "Found DMARC record had a syntax error",
	[DMARC_PARSE_ERROR_NO_REQUIRED_P] = "Found DMARC record lacked a usable p= tag",
	[DMARC_PARSE_ERROR_NO_DOMAIN] = "Argument was not a domain name",
	[DMARC_PARSE_ERROR_NO_ALLOC] = "Memory allocation error or buffer too small",
	[DMARC_PARSE_ERROR_BAD_SPF_MACRO] = "Unknown SPF or DKIM result value",
	[DMARC_DNS_ERROR_NO_RECORD] = "No DMARC record was found",
	[DMARC_DNS_ERROR_NXDOMAIN] = "Looked up domain does not exist",
	[DMARC_DNS_ERROR_TMPERR] = "DNS lookup failed temporarily",
	[DMARC_TLD_ERROR_UNKNOWN] = "Unknown organizational domain method",
	[DMARC_FROM_DOMAIN_ABSENT] = "No From: domain was supplied",
	[DMARC_POLICY_ABSENT] = "Policy up to you. No DMARC record found",
	[DMARC_POLICY_PASS] = "Policy OK so accept message",
	[DMARC_POLICY_REJECT] = "Policy says to reject message",
	[DMARC_POLICY_QUARANTINE] = "Policy says to quarantine message",
	[DMARC_POLICY_NONE] = "Policy says to monitor and report",
	[DMARC_USED_POLICY_IS_P] = "Domain policy taken (p=)",
	[DMARC_USED_POLICY_IS_SP] = "Subdomain policy taken (sp=)",
	[DMARC_USED_POLICY_IS_NP] = "Non-existent subdomain policy taken (np=)",
};

const char *opendmarc_policy_status_to_str(OPENDMARC_STATUS_T status)
{
	if (status < 0 || (size_t)status >= sizeof status_text / sizeof status_text[0] ||
	    status_text[status] == NULL)
		return "Undefined status";
	return status_text[status];
}

/* The list's own format is fixed; OpenDMARC's marker arguments are kept
 * for the ABI only. */
int opendmarc_tld_read_file(char *path_fname, char *commentstring, char *drop, char *except)
{
	(void)commentstring, (void)drop, (void)except;
	if (path_fname == NULL || *path_fname == '\0')
		return EINVAL;
	return policy_lib_set_psl_file(path_fname);
}

void opendmarc_tld_shutdown(void)
{
	policy_lib_drop_psl();
}

/* OpenDMARC's "tld" is the organizational domain. */
int opendmarc_get_tld(u_char *domain, u_char *tld, size_t tld_len)
{
	char name[DISCOVER_NAME_MAX];

	if (domain == NULL || tld == NULL || tld_len == 0)
		return EINVAL;
	if (domain_normalize((const char *)domain, strlen((const char *)domain), name,
			     sizeof name) != 0)
		return EINVAL;
	return policy_org_domain(name, (char *)tld, tld_len) == 0 ? 0 : E2BIG;
}

u_char **opendmarc_util_clearargv(u_char **ary)
{
	size_t i;

	if (ary == NULL)
		return NULL;
	for (i = 0; ary[i] != NULL; i++)
		free(ary[i]);
	free(ary);
	return NULL;
}

u_char *opendmarc_util_finddomain(u_char *raw, u_char *buf, size_t buflen)
{
	char doms[1][ADDR_DOMAIN_MAX];
	enum addr_status st;
	size_t len;

	if (raw == NULL || buf == NULL || buflen == 0)
		return NULL;
	if (addr_from_domains((const char *)raw, strlen((const char *)raw), doms, 1, &st) == 0)
		return NULL;
	len = strlen(doms[0]);
	if (len >= buflen)
		return NULL;
	memcpy(buf, doms[0], len + 1);
	return buf;
}

void opendmarc_dns_fake_record(const char *name, const char *answer)
{
	if (name != NULL && answer != NULL)
		resolver_fake(name, answer);
}

OPENDMARC_STATUS_T opendmarc_dns_get_txt(const char *name, char **txt, size_t max, size_t *count)
{
	struct resolver_txt_list list;
	size_t i;

	if (count != NULL)
		*count = 0;
	if (name == NULL || txt == NULL || count == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	switch (resolver_txt(name, &list)) {
	case RESOLVER_OK:
		break;
	case RESOLVER_NXDOMAIN:
		return DMARC_DNS_ERROR_NXDOMAIN;
	case RESOLVER_NODATA:
		return DMARC_DNS_ERROR_NO_RECORD;
	case RESOLVER_TEMPFAIL:
		return DMARC_DNS_ERROR_TMPERR;
	default:
		return DMARC_PARSE_ERROR_NULL_CTX;
	}
	for (i = 0; i < list.count; i++) {
		if (*count < max) {
			txt[(*count)++] = list.txt[i];
			list.txt[i] = NULL;
		}
	}
	resolver_txt_list_free(&list);
	return DMARC_PARSE_OKAY;
}

/* 0 when aligned, as OpenDMARC answers; mode is adkim/aspf's letter. */
int opendmarc_policy_check_alignment(u_char *subdomain, u_char *tld, int mode)
{
	char a[DISCOVER_NAME_MAX], b[DISCOVER_NAME_MAX];
	char orga[DISCOVER_NAME_MAX], orgb[DISCOVER_NAME_MAX];

	if (subdomain == NULL || tld == NULL)
		return -1;
	if (domain_normalize((const char *)subdomain, strlen((const char *)subdomain), a,
			     sizeof a) != 0 ||
	    domain_normalize((const char *)tld, strlen((const char *)tld), b, sizeof b) != 0)
		return -1;
	if (mode == DMARC_RECORD_A_STRICT)
		return align_strict(a, b) ? 0 : 1;
	if (policy_org_domain(a, orga, sizeof orga) != 0 ||
	    policy_org_domain(b, orgb, sizeof orgb) != 0)
		return -1;
	return align_relaxed(orga, orgb) ? 0 : 1;
}

static const char *letter(int c)
{
	switch (c) {
	case 'n': return "none";
	case 'q': return "quarantine";
	case 'r': return "reject";
	case 's': return "strict";
	default: return "unspecified";
	}
}

/* A human-readable dump; 0, EINVAL, or E2BIG when buf is too small. */
int opendmarc_policy_to_buf(DMARC_POLICY_T *pctx, char *buf, size_t buflen)
{
	int n;

	if (pctx == NULL || buf == NULL || buflen == 0)
		return EINVAL;
	n = snprintf(buf, buflen,
		     "IP_ADDR=%s\nFROM_DOMAIN=%s\nRECORD_DOMAIN=%s\nORG_DOMAIN=%s\n"
		     "SPF_DOMAIN=%s\nSPF_OUTCOME=%d\nDKIM_COUNT=%zu\n"
		     "P=%s\nSP=%s\nNP=%s\nADKIM=%s\nASPF=%s\nPCT=%d\nPSD=%c\nT=%d\n"
		     "RUA_COUNT=%zu\nRUF_COUNT=%zu\n",
		     pctx->ip_addr, pctx->from_domain, pctx->record_domain, pctx->org_domain,
		     pctx->spf_domain, pctx->spf_outcome, pctx->ndkim, letter(pctx->rec.p),
		     letter(pctx->rec.sp), letter(pctx->rec.np),
		     pctx->rec.adkim == 's' ? "strict" : "relaxed",
		     pctx->rec.aspf == 's' ? "strict" : "relaxed", pctx->rec.pct,
		     pctx->rec.psd ? pctx->rec.psd : 'u', pctx->rec.testing, pctx->rec.rua_count,
		     pctx->rec.ruf_count);
	return (n < 0 || (size_t)n >= buflen) ? E2BIG : 0;
}

/* The host part of a mailto: URI, normalised; -1 for other URIs. */
static int uri_host(const char *uri, char *out, size_t outlen)
{
	const char *at, *end;

	if (strncasecmp(uri, "mailto:", 7) != 0)
		return -1;
	at = strrchr(uri, '@');
	if (at == NULL)
		return -1;
	end = at + 1 + strcspn(at + 1, "!?,");
	return domain_normalize(at + 1, (size_t)(end - at - 1), out, outlen);
}

/* RFC 7489 7.1: may reports about pctx's domain go to uri's host? */
OPENDMARC_STATUS_T opendmarc_policy_query_dmarc_xdomain(DMARC_POLICY_T *pctx, u_char *uri)
{
	char host[DISCOVER_NAME_MAX], org_a[DISCOVER_NAME_MAX], org_b[DISCOVER_NAME_MAX];
	char name[DISCOVER_NAME_MAX * 2 + 32];
	struct resolver_txt_list list;
	enum resolver_status st;
	size_t i;
	int found = 0;

	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (uri == NULL || *uri == '\0' || pctx->from_domain[0] == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	if (uri_host((const char *)uri, host, sizeof host) != 0)
		return DMARC_PARSE_ERROR_NO_DOMAIN;
	if (policy_org_domain(pctx->from_domain, org_a, sizeof org_a) == 0 &&
	    policy_org_domain(host, org_b, sizeof org_b) == 0 && align_relaxed(org_a, org_b))
		return DMARC_PARSE_OKAY;
	snprintf(name, sizeof name, "%s._report._dmarc.%s",
		 pctx->record_domain[0] ? pctx->record_domain : pctx->from_domain, host);
	st = resolver_txt(name, &list);
	if (st == RESOLVER_TEMPFAIL)
		return DMARC_DNS_ERROR_TMPERR;
	if (st != RESOLVER_OK)
		return DMARC_DNS_ERROR_NO_RECORD;
	for (i = 0; i < list.count; i++)
		found |= record_is_dmarc(list.txt[i], strlen(list.txt[i]));
	resolver_txt_list_free(&list);
	return found ? DMARC_PARSE_OKAY : DMARC_DNS_ERROR_NO_RECORD;
}

/* Aggregate-report XML parsing is not part of this library (reports/
 * owns XML); kept so that programs calling it still link and run. */
u_char **opendmarc_xml(char *b, size_t blen, char *e, size_t elen)
{
	if (e != NULL && elen > 0)
		snprintf(e, elen, "%s", "XML report parsing is not provided by this library");
	(void)b, (void)blen;
	return NULL;
}

u_char **opendmarc_xml_parse(char *fname, char *err_buf, size_t err_len)
{
	(void)fname;
	return opendmarc_xml(NULL, 0, err_buf, err_len);
}

/* The built-in SPF checker is not provided: SPF is the daemon's job
 * (trusted Authentication-Results or libspf2). */
int opendmarc_spf_test(char *ip_address, char *mail_from_domain, char *helo_domain,
		       char *spf_record, int soft_fail_as_pass, char *human_readable,
		       size_t human_readable_len, int *use_mailfrom)
{
	(void)ip_address, (void)mail_from_domain, (void)helo_domain, (void)spf_record;
	(void)soft_fail_as_pass;
	if (human_readable != NULL && human_readable_len > 0)
		snprintf(human_readable, human_readable_len, "%s", "none (SPF not built in)");
	if (use_mailfrom != NULL)
		*use_mailfrom = 0;
	return DMARC_POLICY_SPF_OUTCOME_NONE;
}

int opendmarc_spf2_test(char *ip_address, char *mail_from_domain, char *helo_domain,
			char *spf_record, int softfail_okay_flag, char *human_readable,
			size_t human_readable_len, int *used_mfrom)
{
	return opendmarc_spf_test(ip_address, mail_from_domain, helo_domain, spf_record,
				  softfail_okay_flag, human_readable, human_readable_len,
				  used_mfrom);
}
