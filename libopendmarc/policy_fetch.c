/*
 * NAME
 *	policy_fetch - read-only accessors of a DMARC_POLICY_T
 * DESCRIPTION
 *	Each returns DMARC_PARSE_ERROR_NULL_CTX for a NULL context,
 *	DMARC_PARSE_ERROR_EMPTY for a NULL output, DMARC_PARSE_OKAY
 *	otherwise; with no record stored the value is 0 (what OpenDMARC's
 *	history files show for such messages).  Values are the
 *	DMARC_RECORD_* constants of dmarc.h, as OpenDMARC hands them out
 *	(an absent sp reads as p, as in OpenDMARC).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static OPENDMARC_STATUS_T fetch_int(const DMARC_POLICY_T *pctx, int *out, int value)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (out == NULL)
		return DMARC_PARSE_ERROR_EMPTY;
	*out = pctx->have_record ? value : 0;
	return DMARC_PARSE_OKAY;
}

#define FETCH(name, expr)                                                      \
	OPENDMARC_STATUS_T opendmarc_policy_fetch_##name(DMARC_POLICY_T *pctx, \
							 int *out)             \
	{                                                                      \
		return fetch_int(pctx, out, pctx == NULL ? 0 : (expr));        \
	}

FETCH(pct, pctx->rec.pct)
FETCH(adkim, pctx->rec.adkim)
FETCH(aspf, pctx->rec.aspf)
FETCH(p, pctx->rec.p)
FETCH(sp, pctx->rec.sp != DMARC_RECORD_P_UNSPECIFIED ? pctx->rec.sp : pctx->rec.p)
FETCH(np, pctx->rec.np)
FETCH(fo, pctx->rec.fo)
FETCH(rf, pctx->rec.rf)
FETCH(psd, pctx->rec.psd)
FETCH(t, pctx->rec.testing)

OPENDMARC_STATUS_T opendmarc_get_policy_token_used(DMARC_POLICY_T *pctx)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	return pctx->policy_used ? pctx->policy_used : DMARC_USED_POLICY_IS_P;
}

static OPENDMARC_STATUS_T copy_out(const char *value, u_char *buf, size_t buflen)
{
	size_t len = strlen(value);

	if (buf == NULL || buflen == 0)
		return DMARC_PARSE_ERROR_EMPTY;
	if (len >= buflen)
		return DMARC_PARSE_ERROR_NO_ALLOC;
	memcpy(buf, value, len + 1);
	return DMARC_PARSE_OKAY;
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_utilized_domain(DMARC_POLICY_T *pctx, u_char *buf,
							  size_t buflen)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	return copy_out(pctx->have_record ? pctx->record_domain : pctx->from_domain, buf, buflen);
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_from_domain(DMARC_POLICY_T *pctx, u_char *buf,
						      size_t buflen)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	return copy_out(pctx->from_domain, buf, buflen);
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_org_domain(DMARC_POLICY_T *pctx, u_char *buf,
						     size_t buflen)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (pctx->org_domain[0] == '\0' && pctx->from_domain[0] != '\0' &&
	    policy_org_domain(pctx->from_domain, pctx->org_domain, sizeof pctx->org_domain) != 0)
		pctx->org_domain[0] = '\0';
	return copy_out(pctx->org_domain, buf, buflen);
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_discovery(DMARC_POLICY_T *pctx, int *method,
						    u_char *record_name, size_t namelen)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (method != NULL)
		*method = pctx->have_record ? pctx->discovery : DMARC_DISCOVERY_NONE;
	if (record_name == NULL)
		return DMARC_PARSE_OKAY;
	if (!pctx->have_record)
		return copy_out("", record_name, namelen);
	if (namelen < sizeof "_dmarc." + strlen(pctx->record_domain))
		return DMARC_PARSE_ERROR_NO_ALLOC;
	snprintf((char *)record_name, namelen, "_dmarc.%s", pctx->record_domain);
	return DMARC_PARSE_OKAY;
}

/* A URI as the record gave it, the size limit spelled in bytes. */
static char *uri_text(const struct record_uri *u)
{
	size_t len = strlen(u->uri) + 24;
	char *s = malloc(len);

	if (s == NULL)
		return NULL;
	if (u->max_size)
		snprintf(s, len, "%s!%llu", u->uri, (unsigned long long)u->max_size);
	else
		snprintf(s, len, "%s", u->uri);
	return s;
}

static u_char **uri_argv(const struct record_uri *uris, size_t n)
{
	u_char **argv = calloc(n + 1, sizeof *argv);
	size_t i;

	if (argv == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		argv[i] = (u_char *)uri_text(&uris[i]);
		if (argv[i] == NULL)
			return opendmarc_util_clearargv(argv);
	}
	return argv;
}

/* "a,b,c" into buf, truncated at a whole entry when it does not fit. */
static void join_argv(u_char **argv, u_char *buf, size_t buflen)
{
	size_t used = 0, i, len;

	if (buf == NULL || buflen == 0)
		return;
	buf[0] = '\0';
	for (i = 0; argv[i] != NULL; i++) {
		len = strlen((char *)argv[i]);
		if (used + len + (i > 0) + 1 > buflen)
			break;
		if (i > 0)
			buf[used++] = ',';
		memcpy(buf + used, argv[i], len + 1);
		used += len;
	}
}

static u_char **fetch_uris(DMARC_POLICY_T *pctx, const struct record_uri *uris, size_t n,
			   u_char ***keep, u_char *list_buf, size_t size_of_buf, int constant)
{
	u_char **argv;

	if (pctx == NULL || !pctx->have_record || n == 0)
		return NULL;
	argv = uri_argv(uris, n);
	if (argv == NULL)
		return NULL;
	join_argv(argv, list_buf, size_of_buf);
	if (constant) {
		opendmarc_util_clearargv(*keep);
		*keep = argv;
	}
	return argv;
}

u_char **opendmarc_policy_fetch_rua(DMARC_POLICY_T *pctx, u_char *list_buf, size_t size_of_buf,
				    int constant)
{
	if (pctx == NULL)
		return NULL;
	return fetch_uris(pctx, pctx->rec.rua, pctx->rec.rua_count, &pctx->rua_const, list_buf,
			  size_of_buf, constant);
}

u_char **opendmarc_policy_fetch_ruf(DMARC_POLICY_T *pctx, u_char *list_buf, size_t size_of_buf,
				    int constant)
{
	if (pctx == NULL)
		return NULL;
	return fetch_uris(pctx, pctx->rec.ruf, pctx->rec.ruf_count, &pctx->ruf_const, list_buf,
			  size_of_buf, constant);
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_record(DMARC_POLICY_T *pctx, u_char *buf, size_t buflen)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	return copy_out(pctx->have_record ? pctx->record_txt : "", buf, buflen);
}
