/*
 * NAME
 *	report_xml - an aggregate report document, RFC 7489 or RFC 9990
 * SYNOPSIS
 *	struct report_doc d = { .format = REPORT_RFC9990, ... };
 *	if (report_xml(&d, &buf) != 0) ...
 *	f = report_format_parse("rfc9990");
 * DESCRIPTION
 *	Writes the <feedback> document for one policy domain and period:
 *	version, report_metadata, policy_published, then one <record> per
 *	aggregated row (report_agg.h) with its count, policy_evaluated
 *	(and an override reason when the disposition is milder than the
 *	failed policy asked for), identifiers and auth_results (every DKIM
 *	signature with its selector; SPF with scope mfrom).
 *
 *	REPORT_RFC7489 follows RFC 7489 Appendix C: no namespace, pct, an
 *	SPF result in every record ("none" when there was none).
 *	REPORT_RFC9990 follows RFC 9990: namespace urn:ietf:params:xml:ns:
 *	dmarc-2.0, generator, np, testing, discovery_method, no pct,
 *	disposition "pass" for mail that passed an enforcing policy, and
 *	SPF and envelope_from omitted when unknown.
 *
 *	Codes are those of the database (OpenDMARC's): ARES_RESULT_* for
 *	DKIM/SPF/ARC, DMARC_RESULT_* for the disposition, DMARC_POLICY_*
 *	for the evaluation, ASCII letters for p/sp/np/adkim/aspf/testing.
 *	Policy fields that are unknown (0, or "" for fo) are left out -
 *	the schemas make them optional, a reader then assumes the RFC
 *	default - except p (always), sp (defaults to p) and RFC 7489's pct
 *	(required; default 100).  np is written only when the record had
 *	np=.  All text is escaped.
 * DIAGNOSTICS
 *	report_xml() returns 0, or -1 for a document without rows (both
 *	schemas require at least one record).  report_format_parse()
 *	returns -1 for an unknown name.
 */
#ifndef REPORT_XML_H
#define REPORT_XML_H
#include <stddef.h>

#include "report_agg.h"
#include "strbuf.h"

enum report_format { REPORT_RFC7489, REPORT_RFC9990 };

struct report_policy {
	char domain[AGG_NAME];
	int adkim, aspf;    /* 'r', 's', 0 unknown */
	int p, sp, np;	    /* 'n', 'q', 'r', 0 unknown */
	int pct;	    /* RFC 7489 only; -1 unknown */
	char fo[16];	    /* "0:1:d:s" style; "" unknown */
	int testing;	    /* 'y', 'n', 0 unknown */
	int discovery;	    /* DMARC_DISCOVERY_PSL or _TREEWALK, 0 unknown */
};

struct report_doc {
	enum report_format format;
	const char *org_name, *email, *extra_contact, *report_id, *generator;
	long long begin, end; /* seconds since the epoch, both inclusive */
	struct report_policy policy;
	const struct agg_row *const *rows;
	size_t nrows;
};

int report_xml(const struct report_doc *d, struct strbuf *out);
int report_format_parse(const char *name);
const char *report_format_name(enum report_format f);

#endif
