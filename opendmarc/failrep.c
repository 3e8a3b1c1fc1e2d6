/*
 * failrep - DMARC failure reports: when, to whom, and the message.
 * See failrep.h.
 */
#include "failrep.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "dmarc.h"
#include "ratelimit.h"
#include "xalloc.h"

#define FAILREP_RATE_KEYS 4096

/* ---- when ------------------------------------------------------------- */

static int dkim_failed(const struct auth_results *auth)
{
	size_t i;

	for (i = 0; i < auth->ndkim; i++)
		if (auth->dkim[i].ares != ARES_RESULT_PASS && auth->dkim[i].ares != ARES_RESULT_NONE)
			return 1;
	return 0;
}

static int spf_failed(const struct auth_spf *spf)
{
	return spf->have && (spf->ares == ARES_RESULT_FAIL || spf->ares == ARES_RESULT_SOFTFAIL ||
			     spf->ares == ARES_RESULT_PERMERROR);
}

int failrep_wanted(int fo, enum dm_result result, int align_dkim, int align_spf,
		   const struct auth_results *auth)
{
	int aligned_dkim = align_dkim == DMARC_POLICY_DKIM_ALIGNMENT_PASS;
	int aligned_spf = align_spf == DMARC_POLICY_SPF_ALIGNMENT_PASS;

	if (result != DM_FAIL && result != DM_PASS)
		return 0; /* no record, or it could not be evaluated */
	if (fo == DMARC_RECORD_FO_UNSPECIFIED)
		fo = DMARC_RECORD_FO_0;
	if ((fo & DMARC_RECORD_FO_0) && result == DM_FAIL)
		return 1;
	if ((fo & DMARC_RECORD_FO_1) && (!aligned_dkim || !aligned_spf))
		return 1;
	if ((fo & DMARC_RECORD_FO_D) && dkim_failed(auth))
		return 1;
	return (fo & DMARC_RECORD_FO_S) && spf_failed(&auth->spf);
}

const char *failrep_alignment(int align_dkim, int align_spf)
{
	int d = align_dkim == DMARC_POLICY_DKIM_ALIGNMENT_PASS;
	int s = align_spf == DMARC_POLICY_SPF_ALIGNMENT_PASS;

	return d && s ? "dkim, spf" : d ? "dkim" : s ? "spf" : "none";
}

const char *failrep_delivery(const struct verdict *v)
{
	if (v->action == ACT_REJECT)
		return "reject";
	if (v->action == ACT_TEMPFAIL)
		return "other";
	if (v->quarantine)
		return "policy";
	if (strcmp(v->disposition, "quarantine") == 0)
		return "spam";
	return "delivered";
}

/* ---- to whom ---------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* uri[0..len) with %XX decoded into out; -1 for a bad escape or no room. */
static int unescape(const char *uri, size_t len, char *out, size_t outlen)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)uri[i];

		if (c == '%') {
			if (i + 2 >= len || hexval(uri[i + 1]) < 0 || hexval(uri[i + 2]) < 0)
				return -1;
			c = hexval(uri[i + 1]) * 16 + hexval(uri[i + 2]);
			i += 2;
		}
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

static int plain_address(const char *a)
{
	static const char local[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789!#$%&'*+/=?^_`{|}~.-";
	static const char host[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789.-";
	const char *at = strchr(a, '@');
	size_t nl;

	if (at == NULL || at == a || at[1] == '\0')
		return 0;
	nl = (size_t)(at - a);
	return strspn(a, local) == nl && strspn(at + 1, host) == strlen(at + 1);
}

static int size_limit(const char *s, unsigned long long *out)
{
	static const char units[] = "kmgt";
	unsigned long long v = 0;
	const char *u;
	size_t shifts;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	if (*s != '\0') {
		u = strchr(units, tolower((unsigned char)*s));
		if (u == NULL || s[1] != '\0')
			return -1;
		for (shifts = (size_t)(u - units) + 1; shifts > 0; shifts--)
			v = v > (~0ULL >> 10) ? ~0ULL : v << 10;
	}
	*out = v;
	return 0;
}

int failrep_mailto(const char *uri, char *addr, size_t addrlen, unsigned long long *maxsize)
{
	const char *bang;
	size_t len;

	*maxsize = 0;
	if (strncasecmp(uri, "mailto:", 7) != 0)
		return -1;
	uri += 7;
	bang = strchr(uri, '!');
	len = bang != NULL ? (size_t)(bang - uri) : strlen(uri);
	if (bang != NULL && size_limit(bang + 1, maxsize) != 0)
		return -1;
	if (unescape(uri, len, addr, addrlen) != 0 || !plain_address(addr))
		return -1;
	return 0;
}

/* ---- the message ------------------------------------------------------ */

struct sb {
	char *p;
	size_t len, cap;
};

static void sb_need(struct sb *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	while (b->len + more + 1 > b->cap)
		b->cap = b->cap ? 2 * b->cap : 4096;
	b->p = xrealloc(b->p, b->cap);
}

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_need(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* s as one header line's value: every control character becomes a space. */
static void sb_clean(struct sb *b, const char *s)
{
	sb_need(b, strlen(s));
	for (; *s != '\0'; s++)
		b->p[b->len++] = iscntrl((unsigned char)*s) ? ' ' : *s;
	b->p[b->len] = '\0';
}

/* s as a field body that may be folded: LF only before white space, no CR. */
static void sb_folded(struct sb *b, const char *s)
{
	sb_need(b, 2 * strlen(s));
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r')
			continue;
		if (c == '\n') {
			b->p[b->len++] = '\n';
			if (s[1] != ' ' && s[1] != '\t')
				b->p[b->len++] = ' ';
		} else {
			b->p[b->len++] = c != '\t' && iscntrl(c) ? ' ' : (char)c;
		}
	}
	b->p[b->len] = '\0';
}

static void sb_field(struct sb *b, const char *name, const char *value)
{
	sb_add(b, "%s: ", name);
	sb_clean(b, value != NULL ? value : "");
	sb_add(b, "\n");
}

static void rfc5322_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(buf, len, "%a, %d %b %Y %H:%M:%S %z", &tm) == 0)
		snprintf(buf, len, "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void envelope(struct sb *b, const struct failrep_in *in, const char *date,
		     const char *boundary)
{
	size_t i;

	sb_field(b, "From", in->from);
	sb_add(b, "To: ");
	for (i = 0; i < in->nto; i++) {
		sb_add(b, "%s", i > 0 ? ",\n " : "");
		sb_clean(b, in->to[i]);
	}
	if (in->nto == 0)
		sb_clean(b, in->bcc != NULL ? in->bcc : "");
	sb_add(b, "\n");
	if (in->nto > 0 && in->bcc != NULL)
		sb_field(b, "Bcc", in->bcc);
	sb_field(b, "Date", date);
	sb_add(b, "Subject: DMARC failure report for ");
	sb_clean(b, in->domain);
	sb_add(b, " (job ");
	sb_clean(b, in->jobid);
	sb_add(b, ")\nMessage-ID: <%lx.%lld.", in->nonce, (long long)in->arrival);
	sb_clean(b, in->jobid);
	sb_add(b, "@");
	sb_clean(b, in->hostname);
	sb_add(b, ">\nMIME-Version: 1.0\n"
		  "Content-Type: multipart/report; report-type=feedback-report;\n"
		  "\tboundary=\"%s\"\n\n"
		  "This is a DMARC failure report (RFC 9991) in the Abuse Reporting Format.\n",
	       boundary);
}

static void human_part(struct sb *b, const struct failrep_in *in, const char *date,
		       const char *boundary)
{
	sb_add(b, "\n--%s\nContent-Type: text/plain; charset=us-ascii\n\n", boundary);
	sb_add(b, "This is an authentication failure report for an email message received\n"
		  "from IP ");
	sb_clean(b, in->source_ip);
	sb_add(b, " on %s,\nclaiming to be from the domain ", date);
	sb_clean(b, in->domain);
	sb_add(b, ".\n");
}

static void feedback_part(struct sb *b, const struct failrep_in *in, const char *date,
			  const char *boundary)
{
	sb_add(b, "\n--%s\nContent-Type: message/feedback-report\n\n", boundary);
	sb_add(b, "Feedback-Type: auth-failure\nVersion: 1\nUser-Agent: OpenDMARC-Filter/");
	sb_clean(b, in->version);
	sb_add(b, "\nAuth-Failure: dmarc\n");
	sb_field(b, "Authentication-Results", in->authres);
	sb_field(b, "Identity-Alignment", in->alignment);
	sb_field(b, "Delivery-Result", in->delivery);
	sb_field(b, "Arrival-Date", date);
	sb_add(b, "Reporting-MTA: dns; ");
	sb_clean(b, in->hostname);
	sb_add(b, "\n");
	sb_field(b, "Original-Envelope-Id", in->jobid);
	sb_add(b, "Original-Mail-From: <");
	sb_clean(b, in->mailfrom);
	sb_add(b, ">\n");
	sb_field(b, "Source-IP", in->source_ip);
	sb_field(b, "Reported-Domain", in->domain);
	if (in->dkim != NULL) {
		sb_field(b, "DKIM-Domain", in->dkim->domain);
		sb_add(b, "DKIM-Identity: @");
		sb_clean(b, in->dkim->domain);
		sb_add(b, "\n");
		sb_field(b, "DKIM-Selector", in->dkim->selector);
	}
}

static void headers_part(struct sb *b, const struct message *m, const char *boundary)
{
	size_t i;

	sb_add(b, "\n--%s\nContent-Type: text/rfc822-headers\n\n", boundary);
	for (i = 0; m != NULL && i < m->nhdrs; i++) {
		sb_clean(b, m->hdrs[i].name);
		sb_add(b, ": ");
		sb_folded(b, m->hdrs[i].value);
		sb_add(b, "\n");
	}
	sb_add(b, "\n--%s--\n", boundary);
}

char *failrep_compose(const struct failrep_in *in, size_t *len)
{
	struct sb b = { NULL, 0, 0 };
	char date[64], boundary[64];

	rfc5322_date(in->arrival, date, sizeof date);
	snprintf(boundary, sizeof boundary, "=_dmarc-failure-%lx-%lld", in->nonce,
		 (long long)in->arrival);
	envelope(&b, in, date, boundary);
	human_part(&b, in, date, boundary);
	feedback_part(&b, in, date, boundary);
	headers_part(&b, in->msg, boundary);
	*len = b.len;
	return b.p;
}

/* ---- how often -------------------------------------------------------- */

static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ratelimit *rate_table;
static char rate_text[64];

int failrep_allow(const char *rate, const char *domain, time_t now)
{
	long n, secs;
	int ok;

	if (rate == NULL || config_parse_rate(rate, &n, &secs) != 0 || n == 0)
		return 1;
	pthread_mutex_lock(&rate_lock);
	if (rate_table == NULL || strcmp(rate_text, rate) != 0) {
		ratelimit_free(&rate_table);
		rate_table = ratelimit_new(n, secs, FAILREP_RATE_KEYS);
		snprintf(rate_text, sizeof rate_text, "%s", rate);
	}
	ok = ratelimit_allow(rate_table, domain, now);
	pthread_mutex_unlock(&rate_lock);
	return ok;
}
