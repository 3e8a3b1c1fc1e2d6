/*
 * session - one SMTP connection and its end-of-message work.  See session.h.
 */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ar.h"
#include "arc.h"
#include "dkim.h"
#include "dmarc.h"
#include "dmlog.h"
#include "frsend.h"
#include "histfile.h"
#include "query.h"
#include "spf.h"
#include "xalloc.h"

#define AR_FIELD "Authentication-Results"
#define SW_FIELD "DMARC-Filter"
#define HEADER_MAX 2048

/* Everything one end of message computes, passed between the steps. */
struct eom {
	struct session *s;
	const struct config *c;
	const char *jobid;
	char authservid[512]; /* with "/jobid" when configured */
	char doms[ADDR_MAX][ADDR_DOMAIN_MAX];
	size_t ndoms, nfields;
	enum addr_status addr_status;
	struct domain_outcome outs[ADDR_MAX];
	struct auth_results auth;
	struct arc_chain arc;
	const char *arc_sealer; /* whitelisted ARC sealer: failures not enforced */
	int self_spf, self_dkim;
	struct verdict v;
};

struct session *session_new(struct runtime *rt)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->rt = rt;
	return s;
}

void session_end_message(struct session *s)
{
	message_free(&s->msg);
	dkimv_free(&s->dkim);
}

void session_free(struct session **sp)
{
	if (*sp == NULL)
		return;
	session_end_message(*sp);
	free(*sp);
	*sp = NULL;
}

void session_begin(struct session *s, const char *mailfrom)
{
	session_end_message(s);
	s->msg = message_new();
	message_set_mailfrom(s->msg, mailfrom);
	if (s->rt->cfg->dkim_self_validate)
		s->dkim = dkimv_begin("message");
}

int session_wants_body(const struct runtime *rt)
{
	return rt != NULL && rt->cfg->dkim_self_validate;
}

void session_header(struct session *s, const char *name, const char *value)
{
	if (s->msg == NULL)
		return;
	if (s->dkim != NULL)
		dkimv_header(s->dkim, name, value);
	value += strspn(value, " \t");
	(void)message_add_header(s->msg, name, value);
}

void session_body(struct session *s, const unsigned char *buf, size_t len)
{
	if (s->dkim != NULL)
		dkimv_body(s->dkim, buf, len);
}

const char *session_authservid(const struct session *s)
{
	if (s->rt->authservid != NULL)
		return s->rt->authservid;
	if (s->mta_name[0] != '\0')
		return s->mta_name;
	return s->rt->hostname;
}

static int in_list(const char *list, const char *domain)
{
	const char *p = list;
	size_t dl = strlen(domain);

	while (p != NULL && *p != '\0') {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == dl && n > 0 && strncasecmp(p, domain, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

static int all_ignored(const struct eom *e)
{
	size_t i;

	if (e->c->ignore_mail_from == NULL || e->ndoms == 0)
		return 0;
	for (i = 0; i < e->ndoms; i++)
		if (!in_list(e->c->ignore_mail_from, e->doms[i]))
			return 0;
	return 1;
}

static void gather(struct eom *e)
{
	struct session *s = e->s;
	struct trust t;
	size_t i;

	t.authservid = session_authservid(s);
	t.trusted = s->rt->trusted;
	t.own_trusted = e->c->trusted_authserv_ids != NULL &&
			ar_id_in_list(t.authservid, t.trusted);
	t.spf_ignore = e->c->spf_ignore_results;
	message_auth_results(s->msg, &t, &e->auth);
	if (!e->auth.spf.have && e->c->spf_self_validate && s->ip[0] != '\0') {
		spf_check(s->ip, s->msg->mailfrom, s->helo, &e->auth.spf);
		e->self_spf = 1;
	}
	if (e->auth.ndkim == 0 && s->dkim != NULL) {
		e->auth.ndkim = dkimv_end(s->dkim, e->auth.dkim, MESSAGE_DKIM_MAX);
		e->self_dkim = 1;
	}
	for (i = 0; i < e->ndoms; i++)
		query_domain(e->doms[i], s->ip, s->iptype, &e->auth, (enum dmarc_mode)e->c->mode,
			     e->c->failure_reports, &e->outs[i]);
}

static void decide(struct eom *e)
{
	struct eval_input in;

	memset(&in, 0, sizeof in);
	in.from_fields = e->nfields;
	in.reject_failures = e->c->reject_failures;
	in.hold_quarantined = e->c->hold_quarantined;
	in.reject_multi_from = e->c->reject_multi_from;
	in.required_headers = e->c->required_headers;
	in.headers_ok = message_headers_ok(e->s->msg);
	arc_chain(e->s->msg, &e->arc);
	e->arc_sealer = arc_override(&e->arc, e->auth.arc_ares, e->s->rt->whitelist);
	in.arc_override = e->arc_sealer != NULL;
	evaluate(&in, e->outs, e->ndoms, &e->v);
}

static void log_results(const struct eom *e)
{
	const struct auth_spf *spf = &e->auth.spf;
	size_t i;

	if (spf->have) {
		int mf = spf->origin == DMARC_POLICY_SPF_ORIGIN_MAILFROM;
		const char *who = e->self_spf && mf ? e->s->msg->mailfrom : spf->domain;

		dmlog(LOG_INFO, "%s: SPF(%s): %s %s", e->jobid, mf ? "mailfrom" : "helo", who,
		      spf->word);
	}
	for (i = 0; e->self_dkim && i < e->auth.ndkim; i++)
		dmlog(LOG_INFO, "%s: DKIM: %s %s %s", e->jobid, e->auth.dkim[i].domain,
		      e->auth.dkim[i].selector, ares_word(e->auth.dkim[i].ares));
	if (e->ndoms == 0)
		dmlog(LOG_INFO, "%s: no From domain: %s", e->jobid, e->v.result_word);
	for (i = 0; i < e->ndoms; i++)
		dmlog(LOG_INFO, "%s: %s %s", e->jobid, e->outs[i].domain,
		      dm_result_word(outcome_result(&e->outs[i])));
	if (e->v.arc_override)
		dmlog(LOG_INFO, "%s: ARC override: %s failure not enforced, sealed by %s", e->jobid,
		      e->outs[e->v.which].domain, e->arc_sealer);
	if (e->nfields > 1 || e->ndoms > 1)
		dmlog(LOG_INFO, "%s: %zu From fields, %zu domains", e->jobid, e->nfields, e->ndoms);
}

static void reply(const struct eom *e, const struct out_ops *ops, void *h)
{
	const struct verdict *v = &e->v;
	const char *dom = e->ndoms > 0 ? e->outs[v->which].pdomain : "";
	char text[512];

	if (strcmp(v->reason, "policy") == 0)
		snprintf(text, sizeof text, "%s %s", e->c->reject_text, dom);
	else if (strcmp(v->reason, "temperror") == 0)
		snprintf(text, sizeof text, "temporary failure evaluating DMARC policy for %s", dom);
	else if (strcmp(v->reason, "multi-from") == 0)
		snprintf(text, sizeof text, "multi-valued From field detected");
	else
		snprintf(text, sizeof text, "RFC5322 requirement error");
	if (ops->setreply(h, v->smtp_code, v->esc, text) != 0)
		dmlog(LOG_ERR, "%s: smfi_setreply() failed", e->jobid);
	dmlog(LOG_INFO, "%s: %s %s %s", e->jobid, v->smtp_code, v->esc, text);
}

static void insert(const struct eom *e, const struct out_ops *ops, void *h, const char *name,
		   const char *value)
{
	if (ops->insheader(h, 0, name, value) != 0)
		dmlog(LOG_ERR, "%s: %s header add failed", e->jobid, name);
}

/* A value we may put in a header field unquoted: a domain name, nothing else. */
static int domain_token(const char *s)
{
	return s[0] != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")] == '\0';
}

/* Our own SPF result, as OpenDMARC adds it: "<id>; spf=fail smtp.mailfrom=<domain>". */
static void spf_field(const struct eom *e, char *buf, size_t len)
{
	const struct auth_spf *spf = &e->auth.spf;
	int mf = spf->origin == DMARC_POLICY_SPF_ORIGIN_MAILFROM;

	if (domain_token(spf->domain))
		snprintf(buf, len, "%s; spf=%s smtp.%s=%s", e->authservid, spf->word,
			 mf ? "mailfrom" : "helo", spf->domain);
	else
		snprintf(buf, len, "%s; spf=%s", e->authservid, spf->word);
}

/* Our own DKIM results: "<id>; dkim=pass header.d=<d> header.s=<s>; dkim=...". */
static void dkim_field(const struct eom *e, char *buf, size_t len)
{
	size_t i, n = (size_t)snprintf(buf, len, "%s", e->authservid);

	for (i = 0; i < e->auth.ndkim && n < len; i++) {
		const struct auth_dkim *k = &e->auth.dkim[i];

		n += (size_t)snprintf(buf + n, len - n, "; dkim=%s", ares_word(k->ares));
		if (n < len && domain_token(k->domain))
			n += (size_t)snprintf(buf + n, len - n, " header.d=%s", k->domain);
		if (n < len && domain_token(k->selector))
			n += (size_t)snprintf(buf + n, len - n, " header.s=%s", k->selector);
	}
}

static void add_headers(const struct eom *e, const struct out_ops *ops, void *h)
{
	const struct verdict *v = &e->v;
	char buf[HEADER_MAX];
	size_t i;

	for (i = 0; i < e->auth.ndelete; i++) {
		if (ops->delheader(h, AR_FIELD, (int)e->auth.delete_index[i]) != 0)
			dmlog(LOG_ERR, "%s: %s header delete failed", e->jobid, AR_FIELD);
		else
			dmlog(LOG_NOTICE, "%s: removed forged %s field #%zu", e->jobid, AR_FIELD,
			      e->auth.delete_index[i]);
	}
	if (e->c->software_header) {
		snprintf(buf, sizeof buf, "OpenDMARC Filter v%s %s %s", DMARCF_VERSION,
			 e->s->rt->hostname, e->jobid);
		insert(e, ops, h, SW_FIELD, buf);
	}
	if (e->self_spf) {
		spf_field(e, buf, sizeof buf);
		insert(e, ops, h, AR_FIELD, buf);
	}
	if (e->self_dkim && e->auth.ndkim > 0) {
		dkim_field(e, buf, sizeof buf);
		insert(e, ops, h, AR_FIELD, buf);
	}
	if (e->ndoms == 0)
		snprintf(buf, sizeof buf, "%s; dmarc=%s", e->authservid, v->result_word);
	else
		snprintf(buf, sizeof buf, "%s; dmarc=%s (p=%s dis=%s) header.from=%s",
			 e->authservid, v->result_word, v->policy_word, v->disposition,
			 e->outs[v->which].domain);
	insert(e, ops, h, AR_FIELD, buf);
}

static void enforce(const struct eom *e, const struct out_ops *ops, void *h)
{
	char text[512];

	if (e->v.quarantine) {
		snprintf(text, sizeof text, "quarantined by DMARC policy for %s",
			 e->outs[e->v.which].pdomain);
		if (ops->quarantine(h, text) != 0)
			dmlog(LOG_ERR, "%s: smfi_quarantine() failed", e->jobid);
	}
	if (e->v.copy_failure && e->c->copy_failures_to != NULL &&
	    ops->addrcpt(h, e->c->copy_failures_to) != 0)
		dmlog(LOG_ERR, "%s: smfi_addrcpt() failed", e->jobid);
}

static int history_discovery(int method)
{
	switch (method) {
	case DMARC_DISCOVERY_PSL:
		return HISTORY_DISCOVERY_PSL;
	case DMARC_DISCOVERY_TREEWALK:
		return HISTORY_DISCOVERY_TREEWALK;
	default:
		return HISTORY_DISCOVERY_NONE;
	}
}

/* The keys written after OpenDMARC's (reports/history.h); never a bad value. */
static void history_extensions(struct history_record *rec, const struct domain_outcome *o)
{
	rec->fo = o->fo >= 0 && o->fo <= 15 ? o->fo : HISTORY_UNKNOWN;
	rec->np = o->np >= 0 && o->np <= 127 ? o->np : HISTORY_UNKNOWN;
	rec->testing = o->t_published;
	rec->discovery = history_discovery(o->discovery);
}

static void history_one(const struct eom *e, const struct domain_outcome *o, time_t now)
{
	struct history_record *rec = xcalloc(1, sizeof(*rec));
	const struct session *s = e->s;
	size_t i;

	history_init(rec);
	snprintf(rec->job, sizeof rec->job, "%s", e->jobid);
	snprintf(rec->reporter, sizeof rec->reporter, "%s", s->rt->hostname);
	rec->received = (long long)now;
	snprintf(rec->ipaddr, sizeof rec->ipaddr, "%s", s->ip);
	snprintf(rec->from, sizeof rec->from, "%s", o->domain);
	snprintf(rec->mfrom, sizeof rec->mfrom, "%s", s->msg->mfrom_domain);
	for (i = 0; i < e->auth.ndkim && i < HISTORY_DKIM_MAX; i++) {
		snprintf(rec->dkim[i].domain, sizeof rec->dkim[i].domain, "%s", e->auth.dkim[i].domain);
		snprintf(rec->dkim[i].selector, sizeof rec->dkim[i].selector, "%s",
			 e->auth.dkim[i].selector);
		rec->dkim[i].result = e->auth.dkim[i].ares;
	}
	rec->ndkim = i;
	rec->spf = e->auth.spf.have ? e->auth.spf.ares : ARES_RESULT_UNDEFINED;
	snprintf(rec->pdomain, sizeof rec->pdomain, "%s", o->pdomain);
	rec->policy = o->policy;
	for (i = 0; i < o->nrua && i < HISTORY_RUA_MAX; i++)
		snprintf(rec->rua[i], sizeof rec->rua[i], "%s", o->rua[i]);
	rec->nrua = i;
	rec->pct = o->pct;
	rec->adkim = o->adkim;
	rec->aspf = o->aspf;
	rec->p = o->p;
	rec->sp = o->sp;
	rec->align_dkim = o->align_dkim;
	rec->align_spf = o->align_spf;
	rec->arc = e->auth.arc_ares;
	arc_policy_value(&e->arc, arc_policy_code(e->auth.arc_ares, e->arc_sealer != NULL),
			 rec->arc_policy, sizeof rec->arc_policy);
	rec->action = e->v.history_action;
	history_extensions(rec, o);
	if (histfile_append_at(e->c->history_file, s->rt->history_fd, rec) != 0)
		dmlog(LOG_ERR, "%s: %s: history write failed: %s", e->jobid,
		      e->c->history_file, strerror(errno));
	free(rec);
}

static void failure_reports(const struct eom *e)
{
	const struct session *s = e->s;
	struct frsend_msg m;

	m.cfg = e->c;
	m.hostname = s->rt->hostname;
	m.jobid = e->jobid;
	m.authservid = e->authservid;
	m.ip = s->ip;
	m.mailfrom = s->msg->mailfrom;
	m.msg = s->msg;
	m.auth = &e->auth;
	m.outs = e->outs;
	m.nouts = e->ndoms;
	m.verdict = &e->v;
	m.arrival = time(NULL);
	frsend_all(&m);
}

static void write_history(const struct eom *e)
{
	time_t now = time(NULL);
	size_t i;

	if (e->s->rt->history_fd < 0)
		return;
	for (i = 0; i < e->ndoms; i++)
		if (e->c->record_all || e->outs[i].status != DMARC_DNS_ERROR_NO_RECORD)
			history_one(e, &e->outs[i], now);
}

enum dm_action session_eom(struct session *s, const char *jobid, const struct out_ops *ops,
			   void *h)
{
	struct eom *e = xcalloc(1, sizeof(*e));
	enum dm_action act;

	e->s = s;
	e->c = s->rt->cfg;
	e->jobid = jobid;
	snprintf(e->authservid, sizeof e->authservid, "%s%s%s", session_authservid(s),
		 e->c->authservid_with_jobid ? "/" : "", e->c->authservid_with_jobid ? jobid : "");
	e->ndoms = message_from_domains(s->msg, e->doms, ADDR_MAX, &e->nfields, &e->addr_status);
	if (all_ignored(e)) {
		dmlog(LOG_INFO, "%s: ignoring mail from %s", jobid, e->doms[0]);
		free(e);
		return ACT_ACCEPT;
	}
	gather(e);
	decide(e);
	log_results(e);
	failure_reports(e);
	act = e->v.action;
	if (act != ACT_ACCEPT) {
		reply(e, ops, h);
	} else {
		add_headers(e, ops, h);
		enforce(e, ops, h);
	}
	write_history(e);
	free(e);
	return act;
}
