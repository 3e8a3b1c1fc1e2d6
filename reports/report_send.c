/*
 * NAME
 *	report_send - outbox delivery
 * DESCRIPTION
 *	Contract in report_send.h.  deliver() decides one delivery's fate
 *	and returns its new state; send_run() records it and settles the
 *	report.  The spooled gzip of the current report is read once for
 *	all of its destinations.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_mime.h"
#include "report_send.h"
#include "report_suppress.h"
#include "report_verify.h"

struct sender {
	struct sqldb *db;
	struct rq *q;
	struct outbox *ob;
	const struct report_conf *c;
	struct send_stats *st;
	struct suppress *sup;
	struct smtp *smtp;
	long long gz_report; /* whose file gz holds; -1 none */
	struct strbuf gz, msg;
	int server_down;
};

/* One delivery's outcome: the new state, the attempt count, when next. */
struct outcome {
	enum dl_state state;
	int attempts;
	long long next_try;
	char why[1024];
};

static void why(struct outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void why(struct outcome *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof o->why, fmt, ap);
	va_end(ap);
}

static long long backoff(const struct report_conf *c, int attempts)
{
	long long d = c->retry_base;
	int i;

	for (i = 1; i < attempts && d < c->retry_max; i++)
		d *= 2;
	return d < c->retry_max ? d : c->retry_max;
}

static void defer(struct sender *s, const struct ob_delivery *d, struct outcome *o)
{
	long long age = (long long)s->c->now - d->queued;

	if (age >= (long long)s->c->retry_days * 86400) {
		char last[sizeof o->why];

		memcpy(last, o->why, sizeof last);
		why(o, "gave up after %d attempts: %s", o->attempts, last);
		o->state = DL_FAILED;
		return;
	}
	o->state = DL_PENDING;
	o->next_try = (long long)s->c->now + backoff(s->c, o->attempts);
}

/* The report message, or with too_large (its size) the notice instead. */
static void build_message(struct sender *s, const struct ob_delivery *d, size_t too_large)
{
	char tag[32], domain[sizeof d->domain];
	struct mime_report m = { s->c->email, d->rcpt, s->c->org, s->c->submitter, domain,
				 d->report_id, d->filename, tag, d->begin, d->end - 1, s->c->now };

	mime_safe_name(domain, sizeof domain, d->domain);
	snprintf(tag, sizeof tag, "%s%lld", too_large > 0 ? "n" : "d", d->id);
	strbuf_reset(&s->msg);
	if (too_large > 0)
		mime_too_large(&s->msg, &m, too_large, d->maxbytes);
	else
		mime_report_message(&s->msg, &m, s->gz.s, s->gz.len);
}

/* Build what goes to d; 1 when that is the "too large" notice. */
static int compose(struct sender *s, const struct ob_delivery *d)
{
	build_message(s, d, 0);
	if (d->copy || d->maxbytes <= 0 || (long long)s->msg.len <= d->maxbytes)
		return 0;
	build_message(s, d, s->msg.len);
	return 1;
}

static int load_report(struct sender *s, const struct ob_delivery *d)
{
	if (s->gz_report == d->report)
		return 0;
	strbuf_reset(&s->gz);
	s->gz_report = -1;
	if (outbox_read(s->ob, d->filename, &s->gz) != 0)
		return -1;
	s->gz_report = d->report;
	return 0;
}

static void transmit(struct sender *s, const struct ob_delivery *d, struct outcome *o)
{
	struct smtp_result r;
	int notice = compose(s, d);

	if (s->smtp == NULL && (s->smtp = smtp_new(&s->c->smtp)) == NULL) {
		why(o, "cannot initialise libcurl");
		o->state = DL_PENDING;
		s->server_down = 1;
		return;
	}
	o->attempts++;
	smtp_send(s->smtp, s->c->email, d->rcpt, s->msg.s, s->msg.len, &r);
	why(o, "%s", r.reply);
	s->server_down = r.server_down;
	if (r.status == SMTP_SENT)
		o->state = notice ? DL_NOTICE : DL_SENT;
	else if (r.status == SMTP_REJECT)
		o->state = DL_FAILED;
	else
		defer(s, d, o);
}

static void deliver(struct sender *s, const struct ob_delivery *d, struct outcome *o)
{
	enum verify_result v;

	if (!d->copy && suppress_match(s->sup, d->rcpt)) {
		o->state = DL_SUPPRESSED;
		why(o, "on the suppression list");
		return;
	}
	if (!d->copy && (v = verify_destination(d->domain, d->rcpt)) != VERIFY_OK) {
		why(o, "%s._report._dmarc.%s: %s", d->domain,
			 strrchr(d->rcpt, '@') + 1,
			 v == VERIFY_REFUSED ? "no DMARC record authorizes this destination"
					     : "DNS temporary failure");
		if (v == VERIFY_REFUSED)
			o->state = DL_REFUSED;
		else
			defer(s, d, o);
		return;
	}
	if (load_report(s, d) != 0) {
		why(o, "report file %s is missing", d->filename);
		o->state = DL_FAILED;
		return;
	}
	transmit(s, d, o);
}

static void count(struct send_stats *st, enum dl_state state)
{
	switch (state) {
	case DL_SENT:
		st->sent++;
		break;
	case DL_NOTICE:
		st->notices++;
		break;
	case DL_FAILED:
		st->failed++;
		break;
	case DL_REFUSED:
		st->refused++;
		break;
	case DL_SUPPRESSED:
		st->suppressed++;
		break;
	default:
		st->deferred++;
	}
}

static void say(const struct sender *s, const struct ob_delivery *d, const struct outcome *o)
{
	int error = o->state == DL_FAILED || o->state == DL_REFUSED ||
		    (o->state == DL_PENDING && s->c->verbose);

	if (!error && !s->c->verbose)
		return;
	fprintf(stderr, "opendmarc-reports: %s report for %s to %s%s: %s\n",
		o->state == DL_PENDING ? "deferred" : outbox_state_name(o->state), d->domain,
		d->copy ? "(copy) " : "", d->rcpt, o->why);
}

/* Record the outcome; close the report and move lastsent when done. */
static int record(struct sender *s, const struct ob_delivery *d, const struct outcome *o)
{
	int delivered, rc;

	if (outbox_result(s->ob, d->id, o->state, o->attempts, o->next_try, s->c->now, o->why) != 0)
		return -1;
	if (o->state == DL_PENDING)
		return 0;
	rc = outbox_settle(s->ob, d->report, &delivered);
	if (rc <= 0 || !delivered || !s->c->update)
		return rc < 0 ? -1 : 0;
	{
		struct period p = { d->begin, d->end };

		return rq_mark_sent(s->q, d->domain_id, &p);
	}
}

int send_run(struct sqldb *db, struct rq *q, struct outbox *ob, const struct report_conf *c,
	     struct send_stats *st)
{
	struct sender s = { db, q, ob, c, st, NULL, NULL, -1, STRBUF_INIT, STRBUF_INIT, 0 };
	struct ob_delivery *list;
	size_t i, n;
	int rc = outbox_due(ob, c->retry_now ? (time_t)1 << 40 : c->now, &list, &n);

	if (rc == 0)
		rc = suppress_load(db, &s.sup);
	for (i = 0; rc == 0 && i < n; i++) {
		struct outcome o = { DL_PENDING, list[i].attempts, 0, "" };

		if (s.server_down) {
			st->left += (long long)(n - i);
			break;
		}
		deliver(&s, &list[i], &o);
		count(st, o.state);
		say(&s, &list[i], &o);
		rc = record(&s, &list[i], &o);
	}
	if (rc != 0)
		fprintf(stderr, "opendmarc-reports: outbox: %s\n", sqldb_error(db));
	smtp_free(&s.smtp);
	suppress_free(&s.sup);
	strbuf_free(&s.gz);
	strbuf_free(&s.msg);
	free(list);
	return rc;
}
