/*
 * NAME
 *	failrep - DMARC failure reports (RFC 6591, RFC 9991): when, to
 *	whom, and the message
 * SYNOPSIS
 *	if (failrep_wanted(fo, result, align_dkim, align_spf, &auth)) ...
 *	if (failrep_mailto("mailto:ruf@example.com!10m", addr, sizeof addr, &max) == 0) ...
 *	text = failrep_compose(&in, &len);  ... free(text);
 *	if (failrep_allow("10/1h", "example.com", time(NULL))) ...
 * DESCRIPTION
 *	failrep_wanted() applies the fo= options of the record (bits
 *	DMARC_RECORD_FO_*; RFC 7489 6.3, RFC 9991): 0 when the message
 *	failed DMARC (no aligned pass), 1 when any mechanism gave no aligned
 *	pass, d when a DKIM signature failed to verify, s when SPF failed,
 *	whatever the alignment.
 *
 *	failrep_mailto() takes the address of a mailto: URI (%-escapes
 *	decoded) and its "!size" limit in bytes (0: none); only plain
 *	addresses are accepted, so nothing read from DNS can add a header
 *	field or a recipient.
 *
 *	failrep_compose() writes the whole report as the text a
 *	"sendmail -t" command reads: From, To (the ruf= addresses, or the
 *	Bcc address when there are none), Bcc, Date, Subject, Message-ID, a
 *	multipart/report (report-type=feedback-report) with a text part, the
 *	message/feedback-report part (Feedback-Type: auth-failure, Version,
 *	User-Agent, Auth-Failure: dmarc, Authentication-Results,
 *	Identity-Alignment, Delivery-Result, Arrival-Date, Reporting-MTA,
 *	Original-Envelope-Id, Original-Mail-From, Source-IP,
 *	Reported-Domain, and DKIM-Domain, DKIM-Identity and DKIM-Selector
 *	when the message was signed) and the original header fields as
 *	text/rfc822-headers.  Values are cleaned: no CR, no control
 *	characters, a line break only as folding, so a header field of the
 *	message can never add one to the report.  Lines end in LF.
 *
 *	failrep_alignment() and failrep_delivery() give the
 *	Identity-Alignment ("dkim, spf", "dkim", "spf", "none") and
 *	Delivery-Result (delivered, spam, policy, reject, other) words.
 *
 *	failrep_allow() is the rate limit: at most n reports per Reported-
 *	Domain in the window of the "n/t" text (see ratelimit.h); one table
 *	for the process, rebuilt when the text changes.
 * DIAGNOSTICS
 *	failrep_mailto() returns 0, or -1 for a URI that is not a plain
 *	mailto: address.  failrep_compose() never fails (xalloc).
 */
#ifndef FAILREP_H
#define FAILREP_H
#include <stddef.h>
#include <time.h>

#include "message.h"

#define FAILREP_TO_MAX 8

struct failrep_in {
	const char *from;      /* FailureReportsSentBy, or user@host */
	const char *to[FAILREP_TO_MAX];
	size_t nto;
	const char *bcc;       /* FailureReportsBcc, or NULL */
	const char *hostname;  /* Reporting-MTA */
	const char *jobid;
	const char *domain;    /* Reported-Domain: the From domain */
	const char *source_ip;
	const char *mailfrom;  /* envelope sender, "" for <> */
	const char *authres;   /* our Authentication-Results value */
	const char *alignment; /* failrep_alignment() */
	const char *delivery;  /* failrep_delivery() */
	const char *version;   /* for User-Agent */
	time_t arrival;
	const struct auth_dkim *dkim; /* first signature, or NULL */
	const struct message *msg;
	unsigned long nonce;   /* for Message-ID and the MIME boundary */
};

int failrep_wanted(int fo, enum dm_result result, int align_dkim, int align_spf,
		   const struct auth_results *auth);
int failrep_mailto(const char *uri, char *addr, size_t addrlen, unsigned long long *maxsize);
const char *failrep_alignment(int align_dkim, int align_spf);
const char *failrep_delivery(const struct verdict *v);
char *failrep_compose(const struct failrep_in *in, size_t *len);
int failrep_allow(const char *rate, const char *domain, time_t now);

#endif
