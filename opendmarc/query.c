/*
 * query - one From domain through libopendmarc.  See query.h.
 */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "failrep.h"

static void store_results(DMARC_POLICY_T *p, const struct auth_results *auth)
{
	size_t i;

	if (auth->spf.have)
		(void)opendmarc_policy_store_spf(p, (u_char *)auth->spf.domain, auth->spf.outcome,
						 auth->spf.origin, NULL);
	for (i = 0; i < auth->ndkim; i++)
		(void)opendmarc_policy_store_dkim(p, (u_char *)auth->dkim[i].domain,
						  (u_char *)auth->dkim[i].selector,
						  auth->dkim[i].outcome, NULL);
}

/*
 * How the record was found, in RFC 9990's terms: a record at the From
 * domain's own name was found by the method of the mode in force.
 */
static int discovery_method(DMARC_POLICY_T *p, enum dmarc_mode mode)
{
	int method = DMARC_DISCOVERY_NONE;

	if (opendmarc_policy_fetch_discovery(p, &method, NULL, 0) != DMARC_PARSE_OKAY ||
	    method == DMARC_DISCOVERY_NONE)
		return DMARC_DISCOVERY_NONE;
	if (method == DMARC_DISCOVERY_PSL || method == DMARC_DISCOVERY_TREEWALK)
		return method;
	return mode == MODE_RFC9989 ? DMARC_DISCOVERY_TREEWALK : DMARC_DISCOVERY_PSL;
}

/* What the history record says about the record beyond OpenDMARC's keys. */
static void fetch_extensions(DMARC_POLICY_T *p, enum dmarc_mode mode, struct domain_outcome *o)
{
	int t = 0;

	if (opendmarc_policy_fetch_fo(p, &o->fo) != DMARC_PARSE_OKAY)
		o->fo = DMARC_RECORD_FO_0;
	if (opendmarc_policy_fetch_t(p, &t) == DMARC_PARSE_OKAY)
		o->t_published = t == 1 || t == 'y';
	o->discovery = discovery_method(p, mode);
}

static void fetch_record(DMARC_POLICY_T *p, enum dmarc_mode mode, struct domain_outcome *o)
{
	u_char **rua;
	size_t i;

	(void)opendmarc_policy_fetch_p(p, &o->p);
	(void)opendmarc_policy_fetch_sp(p, &o->sp);
	(void)opendmarc_policy_fetch_np(p, &o->np);
	(void)opendmarc_policy_fetch_adkim(p, &o->adkim);
	(void)opendmarc_policy_fetch_aspf(p, &o->aspf);
	(void)opendmarc_policy_fetch_alignment(p, &o->align_dkim, &o->align_spf);
	if (o->status != DMARC_PARSE_OKAY ||
	    opendmarc_policy_fetch_pct(p, &o->pct) != DMARC_PARSE_OKAY || o->pct < 0 ||
	    o->pct > 100)
		o->pct = 100;
	fetch_extensions(p, mode, o);
	o->testing = mode == MODE_RFC9989 && o->t_published;
	if (mode == MODE_RFC9989)
		o->pct = 100;
	o->used = opendmarc_get_policy_token_used(p);
	(void)opendmarc_policy_fetch_utilized_domain(p, (u_char *)o->pdomain, sizeof o->pdomain);
	rua = opendmarc_policy_fetch_rua(p, NULL, 0, 1);
	for (i = 0; rua != NULL && rua[i] != NULL && i < MESSAGE_RUA_MAX; i++)
		snprintf(o->rua[i], sizeof o->rua[i], "%s", (const char *)rua[i]);
	o->nrua = i;
}

/* The ruf= destinations that may receive reports about this domain (RFC 7489 7.1). */
static void fetch_ruf(DMARC_POLICY_T *p, struct domain_outcome *o)
{
	u_char **ruf = opendmarc_policy_fetch_ruf(p, NULL, 0, 1);
	size_t i;

	for (i = 0; ruf != NULL && ruf[i] != NULL && o->nruf < MESSAGE_RUF_MAX; i++) {
		if (strlen((const char *)ruf[i]) < sizeof o->ruf[0] &&
		    opendmarc_policy_query_dmarc_xdomain(p, ruf[i]) == DMARC_PARSE_OKAY)
			snprintf(o->ruf[o->nruf++], sizeof o->ruf[0], "%s", (const char *)ruf[i]);
		else
			o->nruf_refused++;
	}
}

static void failure_report_data(DMARC_POLICY_T *p, const struct auth_results *auth,
				struct domain_outcome *o)
{
	o->report_wanted = failrep_wanted(o->fo, outcome_result(o), o->align_dkim, o->align_spf, auth);
	if (o->report_wanted)
		fetch_ruf(p, o);
}

void query_domain(const char *domain, const char *ip, int iptype, const struct auth_results *auth,
		  enum dmarc_mode mode, int want_ruf, struct domain_outcome *o)
{
	DMARC_POLICY_T *p;

	memset(o, 0, sizeof(*o));
	snprintf(o->domain, sizeof o->domain, "%s", domain);
	o->pct = 100;
	o->roll = (int)(random() % 100);
	p = opendmarc_policy_connect_init((u_char *)ip, iptype);
	if (p == NULL) {
		o->status = DMARC_DNS_ERROR_TMPERR;
		o->policy = DMARC_DNS_ERROR_TMPERR;
		return;
	}
	(void)opendmarc_policy_store_from_domain(p, (u_char *)domain);
	store_results(p, auth);
	o->status = opendmarc_policy_query_dmarc(p, (u_char *)domain);
	o->policy = opendmarc_get_policy_to_enforce(p);
	if (o->status == DMARC_DNS_ERROR_NO_RECORD || o->status == DMARC_DNS_ERROR_NXDOMAIN)
		o->policy = DMARC_POLICY_ABSENT;
	fetch_record(p, mode, o);
	if (o->pdomain[0] == '\0')
		snprintf(o->pdomain, sizeof o->pdomain, "%s", domain);
	if (want_ruf)
		failure_report_data(p, auth, o);
	(void)opendmarc_policy_connect_shutdown(p);
}
