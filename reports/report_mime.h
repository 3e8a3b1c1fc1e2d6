/*
 * NAME
 *	report_mime - the mail that carries an aggregate report
 * SYNOPSIS
 *	struct mime_report m = { .from = ..., .to = ..., ... };
 *	mime_report_message(&out, &m, gz, gzlen);
 *	mime_too_large(&out, &m, size, limit, uri_addr);
 *	mime_subject(&out, &m);
 *	mime_safe_name(safe, sizeof safe, domain);
 * DESCRIPTION
 *	Builds RFC 5322 messages with CRLF line ends, as SMTP wants them
 *	(dot-stuffing is the SMTP client's job).  The report message is
 *	multipart/mixed: a short text/plain part naming the domain and
 *	period, then the gzip file as application/gzip, base64 in 76-column
 *	lines, with the file name in Content-Type and Content-Disposition
 *	(RFC 7489 7.2.1.1, RFC 9990 3.2).  The Subject is
 *	"Report Domain: <domain> Submitter: <submitter> Report-ID: <<id>>".
 *	The message carries Auto-Submitted: auto-generated (RFC 3834) so
 *	that vacation responders stay quiet, and a Message-ID built from
 *	the report ID and m->tag, so a resent report has the same one.
 *
 *	mime_too_large() builds the short text/plain notice sent instead
 *	when the report exceeds a destination's "!size" limit (RFC 7489
 *	7.2.1.1): same Subject, the file name, its size and the limit.
 *
 *	mime_safe_name() copies a domain name for use in a file name or a
 *	header: anything but letters, digits, '-', '.' and '_' becomes '_'
 *	(a real domain name is unchanged; a name from a damaged or hostile
 *	database can neither leave the spool directory nor inject header
 *	lines), a leading '.' too.  The callers pass only such names.
 * DIAGNOSTICS
 *	None.
 */
#ifndef REPORT_MIME_H
#define REPORT_MIME_H
#include <stddef.h>
#include <time.h>

#include "strbuf.h"

struct mime_report {
	const char *from, *to;
	const char *org, *submitter, *domain;
	const char *report_id; /* "<id-left>@<id-right>", no angle brackets */
	const char *filename;
	const char *tag;       /* makes Message-ID unique per destination */
	long long begin, end;  /* inclusive, for the text part */
	time_t date;
};

void mime_report_message(struct strbuf *out, const struct mime_report *m, const void *gz,
			 size_t gzlen);
void mime_too_large(struct strbuf *out, const struct mime_report *m, size_t size,
		    long long limit);
void mime_subject(struct strbuf *out, const struct mime_report *m);
void mime_base64(struct strbuf *out, const void *p, size_t n);
void mime_safe_name(char *dst, size_t size, const char *src);

#endif
