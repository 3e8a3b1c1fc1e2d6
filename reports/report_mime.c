/*
 * NAME
 *	report_mime - report mail
 * DESCRIPTION
 *	Contract in report_mime.h.  headers() writes what both messages
 *	share; the bodies differ.  The boundary holds "=_", which base64
 *	and our text never contain.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_mime.h"
#include "report_period.h"

#define BOUNDARY "=_dmarc_report_part"

void mime_base64(struct strbuf *out, const void *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	size_t i, col = 0;

	strbuf_reserve(out, n / 3 * 4 + n / 57 * 2 + 8);
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		strbuf_add(out, q, 4);
		if ((col += 4) == 76) {
			strbuf_adds(out, "\r\n");
			col = 0;
		}
	}
	if (col > 0)
		strbuf_adds(out, "\r\n");
}

void mime_safe_name(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (char)(isalnum(c) || c == '-' || c == '_' || (c == '.' && i > 0) ? c : '_');
	}
	if (size > 0)
		dst[i] = '\0';
}

void mime_subject(struct strbuf *out, const struct mime_report *m)
{
	strbuf_printf(out, "Report Domain: %s Submitter: %s Report-ID: <%s>", m->domain,
		      m->submitter, m->report_id);
}

static void headers(struct strbuf *out, const struct mime_report *m)
{
	char date[64];
	struct tm tm;

	localtime_r(&m->date, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
	strbuf_printf(out, "From: %s\r\nTo: %s\r\nSubject: ", m->from, m->to);
	mime_subject(out, m);
	strbuf_printf(out, "\r\nDate: %s\r\n", date);
	strbuf_printf(out, "Message-ID: <%s%s%s>\r\n", m->tag != NULL ? m->tag : "",
		      m->tag != NULL ? "." : "", m->report_id);
	strbuf_adds(out, "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n");
}

static void period_text(struct strbuf *out, const struct mime_report *m)
{
	char b[40], e[40];

	period_format(m->begin, b, sizeof b);
	period_format(m->end, e, sizeof e);
	strbuf_printf(out, "from %s to %s", b, e);
}

void mime_report_message(struct strbuf *out, const struct mime_report *m, const void *gz,
			 size_t gzlen)
{
	headers(out, m);
	strbuf_adds(out, "Content-Type: multipart/mixed; boundary=\"" BOUNDARY "\"\r\n\r\n"
			 "This is a MIME-encapsulated message.\r\n\r\n--" BOUNDARY "\r\n"
			 "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
	strbuf_printf(out, "This is a DMARC aggregate report for %s\r\nfrom %s,\r\n", m->domain,
		      m->submitter);
	period_text(out, m);
	strbuf_printf(out, ".\r\n\r\n--" BOUNDARY "\r\n"
			   "Content-Type: application/gzip; name=\"%s\"\r\n"
			   "Content-Disposition: attachment; filename=\"%s\"\r\n"
			   "Content-Transfer-Encoding: base64\r\n\r\n",
		      m->filename, m->filename);
	mime_base64(out, gz, gzlen);
	strbuf_adds(out, "\r\n--" BOUNDARY "--\r\n");
}

void mime_too_large(struct strbuf *out, const struct mime_report *m, size_t size,
		    long long limit)
{
	headers(out, m);
	strbuf_adds(out, "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
	strbuf_printf(out, "A DMARC aggregate report for %s from %s,\r\n", m->domain, m->submitter);
	period_text(out, m);
	strbuf_printf(out, ",\r\nwas not sent: the message would be %zu bytes, over the limit of\r\n"
			   "%lld bytes that the reporting address %s sets.\r\n"
			   "Report file: %s\r\n",
		      size, limit, m->to, m->filename);
}
