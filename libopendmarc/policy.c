/*
 * NAME
 *	policy - OpenDMARC's context API over the pure modules
 * DESCRIPTION
 *	Library set-up, per-connection contexts, what the caller stores about
 *	a message, discovery of the record and the evaluation that
 *	opendmarc_get_policy_to_enforce() reports.  Evaluation follows
 *	RFC 7489 section 6.6 (suffix list mode) or RFC 9989 (tree walk mode),
 *	never OpenDMARC's shortcuts: see docs/compatibility.md.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "align.h"
#include "discover.h"
#include "domain.h"
#include "policy.h"
#include "psl.h"
#include "record.h"
#include "resolver.h"

/* ---- library-wide settings ---- */

static struct {
	int mode;
	struct psl *psl;
	int psl_tried_default;
} lib = { OPENDMARC_TLD_TYPE_NONE, NULL, 0 };

int policy_lib_mode(void)
{
	return lib.mode;
}

int policy_lib_set_psl_file(const char *path)
{
	struct psl *list = psl_load_file(path);

	if (list == NULL)
		return errno ? errno : ENOENT;
	psl_free(&lib.psl);
	lib.psl = list;
	return 0;
}

void policy_lib_drop_psl(void)
{
	psl_free(&lib.psl);
}

/* Without an explicit list, the packaged one: relaxed alignment is only
 * defined with a suffix list (RFC 7489 3.2). */
const struct psl *policy_lib_psl(void)
{
	if (lib.psl == NULL && !lib.psl_tried_default) {
		lib.psl_tried_default = 1;
		(void)policy_lib_set_psl_file(DMARC_DEFAULT_PSL);
	}
	return lib.psl;
}

static const struct discover_lookup dns_lookup = { resolver_dmarc_fetch, NULL };

int policy_org_domain(const char *name, char *out, size_t outlen)
{
	const struct psl *list;

	if (lib.mode == OPENDMARC_TLD_TYPE_TREEWALK)
		return discover_org_treewalk(&dns_lookup, name, out, outlen) ==
		       DISCOVER_TEMPFAIL ? -1 : 0;
	list = policy_lib_psl();
	if (list != NULL && psl_org_domain(list, name, out, outlen) == 0)
		return 0;
	/* no list, or name is itself a public suffix: the name stands alone */
	if (strlen(name) >= outlen)
		return -1;
	strcpy(out, name);
	return 0;
}

OPENDMARC_STATUS_T opendmarc_policy_library_init(OPENDMARC_LIB_T *lib_init)
{
	if (lib_init == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	switch (lib_init->tld_type) {
	case OPENDMARC_TLD_TYPE_NONE:
	case OPENDMARC_TLD_TYPE_TREEWALK:
		break;
	case OPENDMARC_TLD_TYPE_MOZILLA: {
		const char *path = (const char *)lib_init->tld_source_file;
		int err;

		if (memchr(path, '\0', sizeof lib_init->tld_source_file) == NULL)
			return EINVAL;
		err = policy_lib_set_psl_file(*path ? path : DMARC_DEFAULT_PSL);
		if (err != 0)
			return err;
		break;
	}
	default:
		return DMARC_TLD_ERROR_UNKNOWN;
	}
	lib.mode = lib_init->tld_type;
	if (lib_init->nscount > 0)
		resolver_configure(lib_init->nscount > MAXNS ? MAXNS : lib_init->nscount,
				   lib_init->nsaddr_list, 0);
	return DMARC_PARSE_OKAY;
}

OPENDMARC_STATUS_T opendmarc_policy_library_shutdown(OPENDMARC_LIB_T *lib_init)
{
	(void)lib_init;
	psl_free(&lib.psl);
	lib.psl_tried_default = 0;
	lib.mode = OPENDMARC_TLD_TYPE_NONE;
	resolver_shutdown();
	return DMARC_PARSE_OKAY;
}

void opendmarc_policy_library_dns_hook(int *nscountp, struct sockaddr_in *nsaddr_list)
{
	if (nscountp == NULL || nsaddr_list == NULL || *nscountp <= 0)
		return;
	resolver_configure(*nscountp > MAXNS ? MAXNS : *nscountp, nsaddr_list, 0);
}

void opendmarc_policy_library_dns_timeout(int seconds)
{
	if (seconds > 0)
		resolver_configure(-1, NULL, seconds);
}

/* ---- contexts ---- */

static void forget_argv(u_char ***argv)
{
	*argv = opendmarc_util_clearargv(*argv);
}

/*
 * Everything about the current message; the client address and the DKIM
 * slots' memory stay.  Field by field rather than one memset: contexts are
 * reset once per message and most of their bytes are name buffers that an
 * empty first byte already clears.
 */
static void forget_message(DMARC_POLICY_T *pctx)
{
	record_free(&pctx->rec);
	if (pctx->record_txt != NULL)
		pctx->record_txt[0] = '\0';
	forget_argv(&pctx->rua_const);
	forget_argv(&pctx->ruf_const);
	pctx->from_domain[0] = pctx->spf_domain[0] = '\0';
	pctx->record_domain[0] = pctx->org_domain[0] = '\0';
	pctx->spf_outcome = pctx->spf_origin = 0;
	pctx->ndkim = 0;
	pctx->have_record = pctx->evaluated = 0;
	pctx->discovery = DMARC_DISCOVERY_NONE;
	pctx->dkim_alignment = pctx->spf_alignment = 0;
	pctx->policy_used = 0;
}

DMARC_POLICY_T *opendmarc_policy_connect_init(u_char *ip_addr, int ip_type)
{
	DMARC_POLICY_T *pctx = calloc(1, sizeof *pctx);

	if (pctx == NULL)
		return NULL;
	if (ip_addr != NULL)
		domain_copy(pctx->ip_addr, sizeof pctx->ip_addr, (const char *)ip_addr);
	pctx->ip_type = ip_type;
	return pctx;
}

DMARC_POLICY_T *opendmarc_policy_connect_clear(DMARC_POLICY_T *pctx)
{
	if (pctx == NULL)
		return NULL;
	forget_message(pctx);
	memset(pctx->ip_addr, 0, sizeof pctx->ip_addr);
	pctx->ip_type = 0;
	return pctx;
}

DMARC_POLICY_T *opendmarc_policy_connect_rset(DMARC_POLICY_T *pctx)
{
	if (pctx == NULL)
		return NULL;
	forget_message(pctx);
	return pctx;
}

DMARC_POLICY_T *opendmarc_policy_connect_shutdown(DMARC_POLICY_T *pctx)
{
	if (pctx != NULL) {
		forget_message(pctx);
		free(pctx->dkim);
		free(pctx->record_txt);
		free(pctx);
	}
	return NULL;
}

/* ---- what the caller stores ---- */

/*
 * A domain as callers hand it over: a bare name, an address, or a whole
 * From field body.  The first mailbox's domain, normalised.
 */
static int take_domain(const u_char *given, char *out, size_t outlen)
{
	char doms[1][ADDR_DOMAIN_MAX];
	enum addr_status st;
	const char *text = (const char *)given;
	size_t len = strlen(text);

	if (len == 0)
		return DMARC_PARSE_ERROR_EMPTY;
	if (strpbrk(text, "@<\"(,:") != NULL) {
		if (addr_from_domains(text, len, doms, 1, &st) == 0)
			return DMARC_PARSE_ERROR_NO_DOMAIN;
		text = doms[0];
		len = strlen(text);
	}
	if (domain_normalize(text, len, out, outlen) != 0)
		return DMARC_PARSE_ERROR_NO_DOMAIN;
	return DMARC_PARSE_OKAY;
}

OPENDMARC_STATUS_T opendmarc_policy_store_from_domain(DMARC_POLICY_T *pctx, u_char *domain)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (domain == NULL)
		return DMARC_PARSE_ERROR_EMPTY;
	pctx->evaluated = 0;
	return take_domain(domain, pctx->from_domain, sizeof pctx->from_domain);
}

static int grow_dkim(DMARC_POLICY_T *pctx)
{
	size_t cap = pctx->dkim_cap ? pctx->dkim_cap * 2 : 4;
	struct policy_dkim *d;

	if (cap > POLICY_DKIM_MAX)
		cap = POLICY_DKIM_MAX;
	d = realloc(pctx->dkim, cap * sizeof *d);
	if (d == NULL)
		return -1;
	pctx->dkim = d;
	pctx->dkim_cap = cap;
	return 0;
}

OPENDMARC_STATUS_T opendmarc_policy_store_dkim(DMARC_POLICY_T *pctx, u_char *domain,
					       u_char *selector, int result, u_char *human_result)
{
	struct policy_dkim *d;
	int st;

	(void)human_result;
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (domain == NULL || *domain == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	if (pctx->ndkim == POLICY_DKIM_MAX)
		return DMARC_PARSE_OKAY; /* enough evidence; more cannot change much */
	if (pctx->ndkim == pctx->dkim_cap && grow_dkim(pctx) != 0)
		return DMARC_PARSE_ERROR_NO_ALLOC;
	d = &pctx->dkim[pctx->ndkim];
	st = take_domain(domain, d->domain, sizeof d->domain);
	if (st != DMARC_PARSE_OKAY)
		return st;
	domain_copy(d->selector, sizeof d->selector, selector ? (const char *)selector : "");
	d->outcome = result;
	pctx->ndkim++;
	pctx->evaluated = 0;
	return DMARC_PARSE_OKAY;
}

OPENDMARC_STATUS_T opendmarc_policy_store_spf(DMARC_POLICY_T *pctx, u_char *domain, int result,
					      int origin, u_char *human_result)
{
	int st;

	(void)human_result;
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (domain == NULL || *domain == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	st = take_domain(domain, pctx->spf_domain, sizeof pctx->spf_domain);
	if (st != DMARC_PARSE_OKAY)
		return st;
	pctx->spf_outcome = result;
	pctx->spf_origin = origin;
	pctx->evaluated = 0;
	return DMARC_PARSE_OKAY;
}

/* ---- the record ---- */

static OPENDMARC_STATUS_T keep_record(DMARC_POLICY_T *pctx, const char *txt, const char *found_at,
				      int discovery)
{
	size_t len = strlen(txt);
	int st;

	record_free(&pctx->rec);
	pctx->have_record = 0;
	pctx->evaluated = 0;
	st = record_parse(txt, len, &pctx->rec);
	if (st != DMARC_PARSE_OKAY)
		return st;
	if (len + 1 > pctx->record_txt_cap) {
		char *grown = realloc(pctx->record_txt, len + 1);

		if (grown == NULL) {
			record_free(&pctx->rec);
			return DMARC_PARSE_ERROR_NO_ALLOC;
		}
		pctx->record_txt = grown;
		pctx->record_txt_cap = len + 1;
	}
	memcpy(pctx->record_txt, txt, len + 1);
	pctx->have_record = 1;
	pctx->discovery = discovery;
	domain_copy(pctx->record_domain, sizeof pctx->record_domain, found_at);
	return DMARC_PARSE_OKAY;
}

OPENDMARC_STATUS_T opendmarc_policy_parse_dmarc(DMARC_POLICY_T *pctx, u_char *domain,
						u_char *record)
{
	char name[DISCOVER_NAME_MAX];

	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (record == NULL || *record == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	if (domain == NULL || take_domain(domain, name, sizeof name) != DMARC_PARSE_OKAY)
		return DMARC_PARSE_ERROR_NO_DOMAIN;
	return keep_record(pctx, (const char *)record, name, DMARC_DISCOVERY_STORED);
}

OPENDMARC_STATUS_T opendmarc_policy_store_dmarc(DMARC_POLICY_T *pctx, u_char *dmarc_record,
						u_char *domain, u_char *organizationaldomain)
{
	char name[DISCOVER_NAME_MAX], org[DISCOVER_NAME_MAX];

	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (dmarc_record == NULL || *dmarc_record == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	if (domain == NULL || take_domain(domain, name, sizeof name) != DMARC_PARSE_OKAY)
		return DMARC_PARSE_ERROR_NO_DOMAIN;
	if (pctx->from_domain[0] == '\0')
		memcpy(pctx->from_domain, name, sizeof name);
	if (organizationaldomain != NULL && *organizationaldomain != '\0' &&
	    take_domain(organizationaldomain, org, sizeof org) == DMARC_PARSE_OKAY)
		return keep_record(pctx, (const char *)dmarc_record, org, DMARC_DISCOVERY_PSL);
	return keep_record(pctx, (const char *)dmarc_record, name, DMARC_DISCOVERY_STORED);
}

static int discovery_method(const DMARC_POLICY_T *pctx, const struct discover_result *res)
{
	if (domain_equal(res->found_at, pctx->from_domain))
		return DMARC_DISCOVERY_EXACT;
	return policy_lib_mode() == OPENDMARC_TLD_TYPE_TREEWALK ? DMARC_DISCOVERY_TREEWALK
								 : DMARC_DISCOVERY_PSL;
}

static OPENDMARC_STATUS_T discover_into(DMARC_POLICY_T *pctx)
{
	struct discover_result *res = calloc(1, sizeof *res);
	enum discover_status ds;
	int st;

	if (res == NULL)
		return DMARC_PARSE_ERROR_NO_ALLOC;
	if (policy_lib_mode() == OPENDMARC_TLD_TYPE_TREEWALK)
		ds = discover_treewalk(&dns_lookup, pctx->from_domain, res);
	else
		ds = discover_psl(&dns_lookup, policy_lib_psl(), pctx->from_domain, res);
	if (ds == DISCOVER_TEMPFAIL)
		st = DMARC_DNS_ERROR_TMPERR;
	else if (ds == DISCOVER_NXDOMAIN)
		st = DMARC_DNS_ERROR_NXDOMAIN;
	else if (ds != DISCOVER_FOUND)
		st = DMARC_DNS_ERROR_NO_RECORD;
	else
		st = keep_record(pctx, res->txt, res->found_at, discovery_method(pctx, res));
	memcpy(pctx->org_domain, res->org, sizeof pctx->org_domain);
	discover_result_free(res);
	free(res);
	return st;
}

OPENDMARC_STATUS_T opendmarc_policy_query_dmarc(DMARC_POLICY_T *pctx, u_char *domain)
{
	int st;

	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (domain != NULL && *domain != '\0') {
		st = take_domain(domain, pctx->from_domain, sizeof pctx->from_domain);
		if (st != DMARC_PARSE_OKAY)
			return st;
	}
	if (pctx->from_domain[0] == '\0')
		return DMARC_PARSE_ERROR_EMPTY;
	record_free(&pctx->rec);
	pctx->have_record = 0;
	pctx->evaluated = 0;
	return discover_into(pctx);
}

/* ---- evaluation ---- */

/* Aligned per mode: strict is the same FQDN, relaxed the same org domain. */
static int aligned(const DMARC_POLICY_T *pctx, const char *auth_domain, int mode)
{
	char auth_org[DISCOVER_NAME_MAX];

	if (mode == DMARC_RECORD_A_STRICT)
		return align_strict(pctx->from_domain, auth_domain);
	if (pctx->org_domain[0] == '\0' || auth_domain[0] == '\0')
		return 0;
	if (policy_org_domain(auth_domain, auth_org, sizeof auth_org) != 0)
		return 0;
	return align_relaxed(pctx->org_domain, auth_org);
}

static int dkim_verdict(const DMARC_POLICY_T *pctx)
{
	size_t i;

	for (i = 0; i < pctx->ndkim; i++)
		if (pctx->dkim[i].outcome == DMARC_POLICY_DKIM_OUTCOME_PASS &&
		    aligned(pctx, pctx->dkim[i].domain, pctx->rec.adkim))
			return DMARC_POLICY_DKIM_ALIGNMENT_PASS;
	return DMARC_POLICY_DKIM_ALIGNMENT_FAIL;
}

static int spf_verdict(const DMARC_POLICY_T *pctx)
{
	if (pctx->spf_outcome == DMARC_POLICY_SPF_OUTCOME_PASS &&
	    aligned(pctx, pctx->spf_domain, pctx->rec.aspf))
		return DMARC_POLICY_SPF_ALIGNMENT_PASS;
	return DMARC_POLICY_SPF_ALIGNMENT_FAIL;
}

/* RFC 9989 np: only for a From domain that does not exist at all. */
static int from_domain_missing(const DMARC_POLICY_T *pctx)
{
	return policy_lib_mode() == OPENDMARC_TLD_TYPE_TREEWALK &&
	       resolver_exists(pctx->from_domain) == RESOLVER_NXDOMAIN;
}

/* Which of p, sp, np governs (RFC 7489 6.6.3 step 5; RFC 9989 4.7). */
static int choose_tag(DMARC_POLICY_T *pctx)
{
	if (domain_equal(pctx->record_domain, pctx->from_domain)) {
		pctx->policy_used = DMARC_USED_POLICY_IS_P;
		return pctx->rec.p;
	}
	if (pctx->rec.np != DMARC_RECORD_P_UNSPECIFIED && from_domain_missing(pctx)) {
		pctx->policy_used = DMARC_USED_POLICY_IS_NP;
		return pctx->rec.np;
	}
	if (pctx->rec.sp != DMARC_RECORD_P_UNSPECIFIED) {
		pctx->policy_used = DMARC_USED_POLICY_IS_SP;
		return pctx->rec.sp;
	}
	pctx->policy_used = DMARC_USED_POLICY_IS_P;
	return pctx->rec.p;
}

/* RFC 9989 t=y: the owner is testing; apply the next weaker policy. */
static int weaken_for_testing(const DMARC_POLICY_T *pctx, int tag)
{
	if (!pctx->rec.testing || policy_lib_mode() != OPENDMARC_TLD_TYPE_TREEWALK)
		return tag;
	if (tag == DMARC_RECORD_P_REJECT)
		return DMARC_RECORD_P_QUARANTINE;
	return DMARC_RECORD_P_NONE;
}

static void evaluate(DMARC_POLICY_T *pctx)
{
	if (pctx->evaluated)
		return;
	if (pctx->org_domain[0] == '\0' &&
	    policy_org_domain(pctx->from_domain, pctx->org_domain, sizeof pctx->org_domain) != 0)
		pctx->org_domain[0] = '\0';
	pctx->dkim_alignment = dkim_verdict(pctx);
	pctx->spf_alignment = spf_verdict(pctx);
	pctx->evaluated = 1;
}

OPENDMARC_STATUS_T opendmarc_get_policy_to_enforce(DMARC_POLICY_T *pctx)
{
	int tag;

	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (pctx->from_domain[0] == '\0')
		return DMARC_FROM_DOMAIN_ABSENT;
	if (!pctx->have_record)
		return DMARC_POLICY_ABSENT;
	evaluate(pctx);
	tag = weaken_for_testing(pctx, choose_tag(pctx));
	if (pctx->dkim_alignment == DMARC_POLICY_DKIM_ALIGNMENT_PASS ||
	    pctx->spf_alignment == DMARC_POLICY_SPF_ALIGNMENT_PASS)
		return DMARC_POLICY_PASS;
	switch (tag) {
	case DMARC_RECORD_P_REJECT:
		return DMARC_POLICY_REJECT;
	case DMARC_RECORD_P_QUARANTINE:
		return DMARC_POLICY_QUARANTINE;
	default:
		return DMARC_POLICY_NONE;
	}
}

OPENDMARC_STATUS_T opendmarc_policy_fetch_alignment(DMARC_POLICY_T *pctx, int *dkim_alignment,
						    int *spf_alignment)
{
	if (pctx == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	if (pctx->have_record && pctx->from_domain[0] != '\0')
		evaluate(pctx);
	else
		pctx->dkim_alignment = pctx->spf_alignment = 0;
	if (dkim_alignment != NULL)
		*dkim_alignment = pctx->evaluated ? pctx->dkim_alignment
						  : DMARC_POLICY_DKIM_ALIGNMENT_FAIL;
	if (spf_alignment != NULL)
		*spf_alignment = pctx->evaluated ? pctx->spf_alignment
						 : DMARC_POLICY_SPF_ALIGNMENT_FAIL;
	return DMARC_PARSE_OKAY;
}
