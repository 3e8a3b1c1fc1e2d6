/*
 * frsend - send the failure reports an evaluated message calls for.
 * See frsend.h.
 */
#include "frsend.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dmlog.h"
#include "failrep.h"
#include "reportcmd.h"

struct recipients {
	size_t n;
	char addr[MESSAGE_RUF_MAX][256];
	unsigned long long max[MESSAGE_RUF_MAX];
};

static int is_feedback_report(const struct message *msg)
{
	const char *ct = message_header(msg, "Content-Type", 0);

	return ct != NULL && strcasestr(ct, "feedback-report") != NULL;
}

static void sender(const struct frsend_msg *m, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char store[1024];

	if (m->cfg->failure_reports_sent_by != NULL) {
		snprintf(buf, len, "%s", m->cfg->failure_reports_sent_by);
		return;
	}
	if (getpwuid_r(geteuid(), &pw, store, sizeof store, &res) != 0 || res == NULL)
		snprintf(buf, len, "postmaster@%s", m->hostname);
	else
		snprintf(buf, len, "%s@%s", pw.pw_name, m->hostname);
}

static void recipients(const struct domain_outcome *o, struct recipients *r)
{
	size_t i;

	r->n = 0;
	for (i = 0; i < o->nruf; i++)
		if (failrep_mailto(o->ruf[i], r->addr[r->n], sizeof r->addr[0], &r->max[r->n]) == 0)
			r->n++;
}

/* Drops the addresses whose "!size" the report does not fit; 1 if any went. */
static int fit(struct recipients *r, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++) {
		if (r->max[i] != 0 && len > r->max[i])
			continue;
		if (k != i) {
			memcpy(r->addr[k], r->addr[i], sizeof r->addr[0]);
			r->max[k] = r->max[i];
		}
		k++;
	}
	i = r->n;
	r->n = k;
	return k != i;
}

static char *compose(const struct frsend_msg *m, const struct domain_outcome *o, size_t idx,
		     const struct recipients *r, const char *from, size_t *len)
{
	struct failrep_in in;
	char authres[1024];
	size_t i;

	memset(&in, 0, sizeof in);
	snprintf(authres, sizeof authres, "%s; dmarc=%s (p=%s dis=%s) header.from=%s", m->authservid,
		 dm_result_word(outcome_result(o)),
		 outcome_policy_word(o), idx == m->verdict->which ? m->verdict->disposition : "none",
		 o->domain);
	for (i = 0; i < r->n && i < FAILREP_TO_MAX; i++)
		in.to[in.nto++] = r->addr[i];
	in.from = from;
	in.bcc = m->cfg->failure_reports_bcc;
	in.hostname = m->hostname;
	in.jobid = m->jobid;
	in.domain = o->domain;
	in.source_ip = m->ip;
	in.mailfrom = m->mailfrom;
	in.authres = authres;
	in.alignment = failrep_alignment(o->align_dkim, o->align_spf);
	in.delivery = failrep_delivery(m->verdict);
	in.version = DMARCF_VERSION;
	in.arrival = m->arrival;
	in.dkim = m->auth->ndkim > 0 ? &m->auth->dkim[0] : NULL;
	in.msg = m->msg;
	in.nonce = (unsigned long)random();
	return failrep_compose(&in, len);
}

static void deliver(const struct frsend_msg *m, const struct domain_outcome *o, char *text,
		    size_t len, const struct recipients *r)
{
	char err[256], list[1024];
	size_t i, n = 0;

	list[0] = '\0';
	for (i = 0; i < r->n && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", r->addr[i]);
	if (m->cfg->failure_reports_bcc != NULL && n < sizeof list)
		snprintf(list + n, sizeof list - n, "%s%s", r->n ? ", " : "", m->cfg->failure_reports_bcc);
	if (reportcmd_run(m->cfg->report_command, text, len, FRSEND_TIMEOUT, err, sizeof err) != 0)
		dmlog(LOG_ERR, "%s: failure report for %s not sent: %s: %s", m->jobid, o->domain,
		      m->cfg->report_command, err);
	else
		dmlog(LOG_INFO, "%s: sent failure report for %s to %s", m->jobid, o->domain, list);
}

static void report_one(const struct frsend_msg *m, const struct domain_outcome *o, size_t idx)
{
	struct recipients r;
	char from[512];
	char *text;
	size_t len;

	recipients(o, &r);
	if (o->nruf_refused > 0)
		dmlog(LOG_INFO, "%s: %zu ruf= destination(s) of %s not authorized (RFC 7489 7.1)",
		      m->jobid, o->nruf_refused, o->domain);
	if (r.n == 0 && m->cfg->failure_reports_bcc == NULL)
		return;
	if (!failrep_allow(m->cfg->failure_reports_rate, o->pdomain, m->arrival)) {
		dmlog(LOG_NOTICE, "%s: failure report for %s not sent: rate limit %s", m->jobid,
		      o->domain, m->cfg->failure_reports_rate);
		return;
	}
	sender(m, from, sizeof from);
	text = compose(m, o, idx, &r, from, &len);
	if (fit(&r, len)) {
		free(text);
		if (r.n == 0 && m->cfg->failure_reports_bcc == NULL)
			return;
		text = compose(m, o, idx, &r, from, &len);
	}
	deliver(m, o, text, len, &r);
	free(text);
}

void frsend_all(const struct frsend_msg *m)
{
	size_t i;

	if (!m->cfg->failure_reports || is_feedback_report(m->msg))
		return;
	for (i = 0; i < m->nouts; i++) {
		const struct domain_outcome *o = &m->outs[i];

		if (!o->report_wanted)
			continue;
		if (strcmp(outcome_policy_word(o), "none") == 0 && !m->cfg->failure_reports_on_none)
			continue;
		report_one(m, o, i);
	}
}
