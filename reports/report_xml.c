/*
 * NAME
 *	report_xml - aggregate report XML
 * DESCRIPTION
 *	Contract in report_xml.h.  Each code-to-word mapping is one small
 *	table or switch; the element order follows the XSDs' sequences
 *	(both schemas use xs:all inside most elements, so the order there
 *	is the RFCs' examples').
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "history.h"
#include "report_xml.h"
#include "xmlw.h"

/* The action the MTA took (OpenDMARC's DMARC_RESULT_*, history "action"). */
enum { ACT_REJECT = 0, ACT_DISCARD = 1, ACT_ACCEPT = 2, ACT_TEMPFAIL = 3, ACT_QUARANTINE = 4 };

#define NS_9990 "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\""

static const char *policy_word(int c)
{
	return c == DMARC_RECORD_P_QUARANTINE ? "quarantine"
	       : c == DMARC_RECORD_P_REJECT   ? "reject"
					      : "none";
}

static const char *align_word(int c)
{
	return c == DMARC_RECORD_A_STRICT ? "s" : c == DMARC_RECORD_A_RELAXED ? "r" : NULL;
}

/* RFC 8601 words for ARES_RESULT_* codes; spf selects the SPF set. */
static const char *ares_word(int code, int spf, enum report_format f)
{
	switch (code) {
	case HISTORY_ARES_PASS:
		return "pass";
	case 2: /* softfail */
		return spf ? "softfail" : "fail";
	case 3:
		return "neutral";
	case HISTORY_ARES_TEMPERROR:
		return "temperror";
	case HISTORY_ARES_PERMERROR:
	case 9: /* nxdomain */
		return "permerror";
	case HISTORY_ARES_FAIL:
		return "fail";
	case 8: /* policy: not an RFC 7489 SPF result */
		return spf && f == REPORT_RFC7489 ? "fail" : "policy";
	case HISTORY_ARES_NONE:
	case HISTORY_ARES_UNDEFINED:
		return "none";
	default:
		return spf ? "none" : "neutral";
	}
}

static int dmarc_failed(const struct agg_fields *r)
{
	return r->align_dkim != DMARC_POLICY_DKIM_ALIGNMENT_PASS &&
	       r->align_spf != DMARC_POLICY_SPF_ALIGNMENT_PASS;
}

static const char *disposition(const struct agg_fields *r, const struct report_doc *d)
{
	if (r->disp == ACT_REJECT || r->disp == ACT_DISCARD)
		return "reject";
	if (r->disp == ACT_QUARANTINE)
		return "quarantine";
	if (d->format == REPORT_RFC9990 && !dmarc_failed(r) &&
	    (d->policy.p == DMARC_RECORD_P_QUARANTINE || d->policy.p == DMARC_RECORD_P_REJECT))
		return "pass";
	return "none";
}

/* A failed policy applied less strictly than it asked: say why. */
static void reason(struct xmlw *w, const struct agg_fields *r)
{
	int asked = r->policy == DMARC_POLICY_REJECT	   ? 2
		    : r->policy == DMARC_POLICY_QUARANTINE ? 1
							   : 0;
	int took = r->disp == ACT_REJECT || r->disp == ACT_DISCARD ? 2
		   : r->disp == ACT_QUARANTINE			   ? 1
								   : 0;

	if (!dmarc_failed(r) || took >= asked)
		return;
	xmlw_open(w, "reason", NULL);
	xmlw_leaf(w, "type", "local_policy");
	if (r->arc == HISTORY_ARES_PASS && r->arc_policy == HISTORY_ARES_PASS)
		xmlw_leaf(w, "comment", "arc=pass");
	xmlw_close(w);
}

static void metadata(struct xmlw *w, const struct report_doc *d)
{
	xmlw_open(w, "report_metadata", NULL);
	xmlw_leaf(w, "org_name", d->org_name);
	xmlw_leaf(w, "email", d->email);
	if (d->extra_contact != NULL && d->extra_contact[0] != '\0')
		xmlw_leaf(w, "extra_contact_info", d->extra_contact);
	xmlw_leaf(w, "report_id", d->report_id);
	xmlw_open(w, "date_range", NULL);
	xmlw_leaff(w, "begin", "%lld", d->begin);
	xmlw_leaff(w, "end", "%lld", d->end);
	xmlw_close(w);
	if (d->format == REPORT_RFC9990 && d->generator != NULL)
		xmlw_leaf(w, "generator", d->generator);
	xmlw_close(w);
}

static void leaf_if(struct xmlw *w, const char *name, const char *value)
{
	if (value != NULL)
		xmlw_leaf(w, name, value);
}

static void policy_published(struct xmlw *w, const struct report_doc *d)
{
	const struct report_policy *p = &d->policy;
	int v9990 = d->format == REPORT_RFC9990;

	xmlw_open(w, "policy_published", NULL);
	xmlw_leaf(w, "domain", p->domain);
	if (!v9990) {
		leaf_if(w, "adkim", align_word(p->adkim));
		leaf_if(w, "aspf", align_word(p->aspf));
	}
	xmlw_leaf(w, "p", policy_word(p->p));
	xmlw_leaf(w, "sp", policy_word(p->sp != 0 ? p->sp : p->p));
	if (v9990 && p->np != 0)
		xmlw_leaf(w, "np", policy_word(p->np));
	if (v9990) {
		leaf_if(w, "adkim", align_word(p->adkim));
		leaf_if(w, "aspf", align_word(p->aspf));
		if (p->discovery != 0)
			xmlw_leaf(w, "discovery_method",
				  p->discovery == DMARC_DISCOVERY_TREEWALK ? "treewalk" : "psl");
	} else {
		xmlw_leaff(w, "pct", "%d", p->pct >= 0 ? p->pct : 100); /* required */
	}
	if (p->fo[0] != '\0')
		xmlw_leaf(w, "fo", p->fo);
	if (v9990 && p->testing != 0)
		xmlw_leaf(w, "testing", p->testing == 'y' ? "y" : "n");
	xmlw_close(w);
}

static void row(struct xmlw *w, const struct report_doc *d, const struct agg_row *r)
{
	xmlw_open(w, "row", NULL);
	xmlw_leaf(w, "source_ip", r->f.ip);
	xmlw_leaff(w, "count", "%lld", r->count);
	xmlw_open(w, "policy_evaluated", NULL);
	xmlw_leaf(w, "disposition", disposition(&r->f, d));
	xmlw_leaf(w, "dkim",
		  r->f.align_dkim == DMARC_POLICY_DKIM_ALIGNMENT_PASS ? "pass" : "fail");
	xmlw_leaf(w, "spf", r->f.align_spf == DMARC_POLICY_SPF_ALIGNMENT_PASS ? "pass" : "fail");
	reason(w, &r->f);
	xmlw_close(w);
	xmlw_close(w);
}

static void identifiers(struct xmlw *w, const struct report_doc *d, const struct agg_row *r)
{
	xmlw_open(w, "identifiers", NULL);
	if (d->format == REPORT_RFC7489 || r->f.envelope_from[0] != '\0')
		xmlw_leaf(w, "envelope_from", r->f.envelope_from);
	xmlw_leaf(w, "header_from", r->f.header_from);
	xmlw_close(w);
}

static void auth_results(struct xmlw *w, const struct report_doc *d, const struct agg_row *r)
{
	size_t i;

	xmlw_open(w, "auth_results", NULL);
	for (i = 0; i < r->ndkim; i++) {
		xmlw_open(w, "dkim", NULL);
		xmlw_leaf(w, "domain", r->dkim[i].domain);
		if (r->dkim[i].selector[0] != '\0' || d->format == REPORT_RFC9990)
			xmlw_leaf(w, "selector", r->dkim[i].selector);
		xmlw_leaf(w, "result", ares_word(r->dkim[i].result, 0, d->format));
		xmlw_close(w);
	}
	if (d->format == REPORT_RFC7489 || r->f.spf != HISTORY_ARES_UNDEFINED) {
		xmlw_open(w, "spf", NULL);
		xmlw_leaf(w, "domain", r->f.envelope_from);
		xmlw_leaf(w, "scope", "mfrom");
		xmlw_leaf(w, "result", ares_word(r->f.spf, 1, d->format));
		xmlw_close(w);
	}
	xmlw_close(w);
}

int report_xml(const struct report_doc *d, struct strbuf *out)
{
	struct xmlw w;
	size_t i;

	if (d->nrows == 0)
		return -1;
	xmlw_init(&w, out);
	xmlw_open(&w, "feedback", d->format == REPORT_RFC9990 ? NS_9990 : NULL);
	xmlw_leaf(&w, "version", "1.0");
	metadata(&w, d);
	policy_published(&w, d);
	for (i = 0; i < d->nrows; i++) {
		xmlw_open(&w, "record", NULL);
		row(&w, d, d->rows[i]);
		identifiers(&w, d, d->rows[i]);
		auth_results(&w, d, d->rows[i]);
		xmlw_close(&w);
	}
	xmlw_close(&w);
	return xmlw_finish(&w);
}

int report_format_parse(const char *name)
{
	if (strcasecmp(name, "rfc7489") == 0 || strcasecmp(name, "7489") == 0 ||
	    strcasecmp(name, "1") == 0 || strcasecmp(name, "dmarc1") == 0)
		return REPORT_RFC7489;
	if (strcasecmp(name, "rfc9990") == 0 || strcasecmp(name, "9990") == 0 ||
	    strcasecmp(name, "2") == 0 || strcasecmp(name, "dmarc2") == 0)
		return REPORT_RFC9990;
	return -1;
}

const char *report_format_name(enum report_format f)
{
	return f == REPORT_RFC9990 ? "rfc9990" : "rfc7489";
}
