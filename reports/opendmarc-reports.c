/*
 * NAME
 *	opendmarc-reports - build and mail DMARC aggregate reports
 * SYNOPSIS
 *	opendmarc-reports [--day] [--interval=SECS] [--utc] [--domain=D]
 *	    [--nodomain=D ...] [--report-email=A] [--report-org=O]
 *	    [--report-format=rfc7489|rfc9990] [--copy-to=A]
 *	    [--smtp-server=H] [--smtp-port=N] [--smtp-tls=MODE] ...
 *	    [--test] [--keepfiles] [--noupdate] [--verbose ...] [DB flags]
 *	opendmarc-reports --suppress=DEST | --unsuppress=DEST |
 *	    --list-suppressed | --outbox-list [DB flags]
 * DESCRIPTION
 *	Thin main: the option table (OpenDMARC's flags, single-dash forms
 *	too, plus ours), defaults, then report_gen (build the period's
 *	reports into the outbox) and report_send (deliver what is due).
 *	The manual is opendmarc-reports(8).
 * DIAGNOSTICS
 *	Exit 0 when every report was queued and every attempted delivery
 *	was sent or deferred for a retry; 2 when some destination failed
 *	for good (5xx, refused, gave up); 1 on usage, database or I/O
 *	errors, or when another run holds the outbox.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline.h"
#include "dbopts.h"
#include "outbox.h"
#include "report_conf.h"
#include "report_gen.h"
#include "report_mime.h"
#include "report_send.h"
#include "report_suppress.h"
#include "report_verify.h"
#include "sqldb.h"

#define PROG "opendmarc-reports"

enum admin { ADMIN_NONE, ADMIN_SUPPRESS, ADMIN_UNSUPPRESS, ADMIN_LIST_SUPPRESSED,
	     ADMIN_OUTBOX_LIST };

struct args {
	struct report_conf c;
	struct dbopts db;
	enum admin admin;
	const char *admin_arg;
	int help, version, interval_given;
};

static const struct cmdopt options[] = {
	{ "day", 0 }, { "interval", 1 }, { "utc", 0 }, { "domain", 1 }, { "nodomain", 1 },
	{ "report-email", 1 }, { "report-org", 1 }, { "report-contact", 1 },
	{ "report-format", 1 }, { "copy-to", 1 }, { "smtp-server", 1 }, { "smtp-port", 1 },
	{ "smtp-tls", 1 }, { "smtp-user", 1 }, { "smtp-password", 1 }, { "smtp-cafile", 1 },
	{ "smtp-insecure", 0 }, { "smtp-timeout", 1 }, { "smtp-helo", 1 }, { "test", 0 },
	{ "n", 0 }, { "keepfiles", 0 }, { "update", 0 }, { "verbose", 0 }, { "outbox", 1 },
	{ "queue-only", 0 }, { "send-only", 0 }, { "retry-base", 1 }, { "retry-max", 1 },
	{ "retry-days", 1 }, { "retry-now", 0 }, { "test-dns-data", 1 }, { "now", 1 }, { "suppress", 1 },
	{ "unsuppress", 1 }, { "list-suppressed", 0 }, { "outbox-list", 0 },
	DBOPTS_CMDOPTS, { "help", 0 }, { "version", 0 }, { NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [options]\n"
		"\t--day                 report yesterday (midnight to midnight)\n"
		"\t--interval=SECS       report period [86400]\n"
		"\t--utc                 days in UTC, not local time\n"
		"\t--domain=NAME         report only this domain, even if already reported\n"
		"\t--nodomain=NAME       never report this domain (repeatable)\n"
		"\t--report-email=ADDR   reporting contact and sender [postmaster@<host domain>]\n"
		"\t--report-org=NAME     reporting organization [<host domain>]\n"
		"\t--report-contact=TEXT extra_contact_info\n"
		"\t--report-format=FMT   rfc7489 (default) or rfc9990\n"
		"\t--copy-to=ADDR        a copy of every report to this address\n"
		"\t--smtp-server=HOST    [127.0.0.1]    --smtp-port=PORT [25]\n"
		"\t--smtp-tls=MODE       none (default), try, starttls, smtps\n"
		"\t--smtp-user=USER      AUTH user; password from --smtp-password or\n"
		"\t                      OPENDMARC_SMTP_PASSWORD\n"
		"\t--smtp-cafile=FILE --smtp-insecure --smtp-timeout=SECS [120] --smtp-helo=NAME\n"
		"\t--test, -n            build and show reports; send and record nothing\n"
		"\t--keepfiles           keep the .xml and .xml.gz files here\n"
		"\t--noupdate            do not move lastsent\n"
		"\t--verbose             more output (repeatable)\n"
		"\t--outbox=DIR          spool directory [%s/outbox]\n"
		"\t--queue-only          build reports, send nothing\n"
		"\t--send-only           send what is due, build nothing\n"
		"\t--retry-base=SECS [900] --retry-max=SECS [21600] --retry-days=DAYS [5]\n"
		"\t--retry-now           retry deferred reports now, whatever the backoff\n"
		"\t--suppress=DEST --unsuppress=DEST --list-suppressed --outbox-list\n"
		"\t--now=EPOCH           run as if it were then (a missed period; tests)\n"
		"\t--test-dns-data=FILE  fake DNS answers (tests)\n"
		"\t--dbhost --dbport --dbname --dbuser --dbpasswd --dbsocket: as opendmarc-import\n"
		"\t--help, --version\n",
		REPORTS_STATEDIR);
}

static int copy(char *dst, size_t size, const char *name, const char *v, char *err, size_t errlen)
{
	if (strlen(v) >= size) {
		snprintf(err, errlen, "--%s: too long", name);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

/* Options that take a number. */
static int on_number(struct args *a, const char *name, const char *v, char *err, size_t errlen)
{
	struct report_conf *c = &a->c;
	long n;
	int rc = 1;

	if (strcmp(name, "interval") == 0 && (rc = cmdline_number(name, v, 1, 366L * 86400, &n, err, errlen)) == 0)
		c->interval = n, a->interval_given = 1;
	else if (strcmp(name, "smtp-port") == 0 && (rc = cmdline_number(name, v, 1, 65535, &n, err, errlen)) == 0)
		c->smtp.port = (unsigned)n;
	else if (strcmp(name, "smtp-timeout") == 0 && (rc = cmdline_number(name, v, 1, 3600, &n, err, errlen)) == 0)
		c->smtp.timeout = n;
	else if (strcmp(name, "retry-base") == 0 && (rc = cmdline_number(name, v, 0, 86400, &n, err, errlen)) == 0)
		c->retry_base = n;
	else if (strcmp(name, "retry-max") == 0 && (rc = cmdline_number(name, v, 0, 7 * 86400, &n, err, errlen)) == 0)
		c->retry_max = n;
	else if (strcmp(name, "now") == 0 && (rc = cmdline_number(name, v, 1, 4102444800L, &n, err, errlen)) == 0)
		c->now = (time_t)n;
	else if (strcmp(name, "retry-days") == 0 && (rc = cmdline_number(name, v, 0, 365, &n, err, errlen)) == 0)
		c->retry_days = n;
	return rc;
}

/* Options that take text. */
static int on_text(struct args *a, const char *name, const char *v, char *err, size_t errlen)
{
	struct report_conf *c = &a->c;
	int f;

	if (strcmp(name, "report-email") == 0)
		return copy(c->email, sizeof c->email, name, v, err, errlen);
	if (strcmp(name, "report-org") == 0)
		return copy(c->org, sizeof c->org, name, v, err, errlen);
	if (strcmp(name, "report-format") == 0 || strcmp(name, "smtp-tls") == 0) {
		f = name[0] == 'r' ? report_format_parse(v) : smtp_tls_parse(v);
		if (f < 0) {
			snprintf(err, errlen, "--%s: unknown value: %s", name, v);
			return -1;
		}
		if (name[0] == 'r')
			c->format = (enum report_format)f;
		else
			c->smtp.tls = (enum smtp_tls)f;
		return 0;
	}
	if (strcmp(name, "nodomain") == 0) {
		if (c->nskip >= REPORT_MAX_SKIP) {
			snprintf(err, errlen, "too many --nodomain");
			return -1;
		}
		c->skip[c->nskip++] = v;
		return 0;
	}
	return 1;
}

/* Options whose text is kept as given. */
static int on_pointer(struct args *a, const char *name, const char *v)
{
	static const struct {
		const char *name;
		size_t off;
	} ptrs[] = {
		{ "domain", offsetof(struct report_conf, force_domain) },
		{ "report-contact", offsetof(struct report_conf, extra_contact) },
		{ "copy-to", offsetof(struct report_conf, copy_to) },
		{ "outbox", offsetof(struct report_conf, outbox_dir) },
		{ "test-dns-data", offsetof(struct report_conf, test_dns) },
		{ "smtp-server", offsetof(struct report_conf, smtp.server) },
		{ "smtp-user", offsetof(struct report_conf, smtp.user) },
		{ "smtp-password", offsetof(struct report_conf, smtp.password) },
		{ "smtp-cafile", offsetof(struct report_conf, smtp.cafile) },
		{ "smtp-helo", offsetof(struct report_conf, smtp.helo) },
	};
	size_t i;

	for (i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
		if (strcmp(name, ptrs[i].name) == 0) {
			*(const char **)((char *)&a->c + ptrs[i].off) = v;
			return 0;
		}
	return 1;
}

/* Flags; value is NULL, or "0" for the --no form. */
static int on_flag(struct args *a, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t off;
	} flags[] = {
		{ "day", offsetof(struct args, c.day) },
		{ "utc", offsetof(struct args, c.utc) },
		{ "test", offsetof(struct args, c.test) },
		{ "n", offsetof(struct args, c.test) },
		{ "keepfiles", offsetof(struct args, c.keepfiles) },
		{ "update", offsetof(struct args, c.update) },
		{ "smtp-insecure", offsetof(struct args, c.smtp.insecure) },
		{ "queue-only", offsetof(struct args, c.queue_only) },
		{ "send-only", offsetof(struct args, c.send_only) },
		{ "retry-now", offsetof(struct args, c.retry_now) },
		{ "help", offsetof(struct args, help) },
		{ "version", offsetof(struct args, version) },
	};
	int on = value == NULL || strcmp(value, "0") != 0;
	size_t i;

	if (strcmp(name, "verbose") == 0) {
		a->c.verbose = on ? a->c.verbose + 1 : 0;
		return 0;
	}
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strcmp(name, flags[i].name) == 0) {
			*(int *)((char *)a + flags[i].off) = on;
			return 0;
		}
	return 1;
}

static int on_admin(struct args *a, const char *name, const char *value)
{
	static const char *const names[] = { "", "suppress", "unsuppress", "list-suppressed",
					     "outbox-list" };
	size_t i;

	for (i = 1; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			a->admin = (enum admin)i;
			a->admin_arg = value;
			return 0;
		}
	return 1;
}

static int on_option(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct args *a = ctx;
	int rc = dbopts_set(&a->db, name, value, err, errlen);

	if (rc == 1 && value != NULL)
		rc = on_number(a, name, value, err, errlen);
	if (rc == 1 && value != NULL)
		rc = on_text(a, name, value, err, errlen);
	if (rc == 1 && value != NULL)
		rc = on_pointer(a, name, value);
	if (rc == 1)
		rc = on_admin(a, name, value);
	if (rc == 1)
		rc = on_flag(a, name, value);
	return rc == 1 ? 0 : rc;
}

static void defaults(struct args *a)
{
	struct report_conf *c = &a->c;

	memset(a, 0, sizeof *a);
	dbopts_init(&a->db);
	c->now = time(NULL);
	c->interval = 86400;
	c->update = 1;
	c->format = REPORT_RFC7489;
	c->outbox_dir = REPORTS_STATEDIR "/outbox";
	c->retry_base = 900;
	c->retry_max = 21600;
	c->retry_days = 5;
	c->smtp.server = "127.0.0.1";
	c->smtp.port = 25;
	c->smtp.timeout = 120;
}

static int is_domain(const char *s)
{
	if (*s == '\0' || strchr(s, '.') == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return 0;
	return 1;
}

/* OpenDMARC's defaults: the host's domain, postmaster@ it. */
static void identity(struct report_conf *c, char *helo, size_t helolen)
{
	char host[256] = "localhost";
	const char *dot, *at;

	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = '\0';
	dot = strchr(host, '.');
	if (c->org[0] == '\0')
		snprintf(c->org, sizeof c->org, "%s", dot != NULL ? dot + 1 : host);
	if (c->email[0] == '\0')
		snprintf(c->email, sizeof c->email, "postmaster@%s", dot != NULL ? dot + 1 : host);
	at = strrchr(c->email, '@');
	mime_safe_name(c->submitter, sizeof c->submitter,
		       is_domain(c->org) || at == NULL ? c->org : at + 1);
	snprintf(helo, helolen, "%s", host);
	if (c->smtp.helo == NULL)
		c->smtp.helo = helo;
	if (c->smtp.user != NULL && c->smtp.password == NULL)
		c->smtp.password = getenv("OPENDMARC_SMTP_PASSWORD");
}

/* An address for headers and the envelope: local@domain, no blanks. */
static int bad_address(const char *name, const char *a)
{
	const char *p;

	if (a == NULL)
		return 0;
	for (p = a; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == 0x7f)
			break;
	if (*p == '\0' && strchr(a, '@') != NULL && strrchr(a, '@')[1] != '\0')
		return 0;
	fprintf(stderr, PROG ": --%s: not a mail address: %s\n", name, a);
	return 1;
}

static int admin(struct sqldb *db, const struct args *a)
{
	struct outbox *ob;
	char err[512];
	int rc;

	switch (a->admin) {
	case ADMIN_SUPPRESS:
		rc = suppress_add(db, a->admin_arg);
		break;
	case ADMIN_UNSUPPRESS:
		rc = suppress_remove(db, a->admin_arg);
		break;
	case ADMIN_LIST_SUPPRESSED:
		rc = suppress_list(db, stdout);
		break;
	default:
		if (outbox_open(db, a->c.outbox_dir, &ob, err, sizeof err) != 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 1;
		}
		rc = outbox_list(ob, stdout);
		outbox_close(&ob);
	}
	if (rc != 0)
		fprintf(stderr, PROG ": %s\n", a->admin_arg != NULL && a->admin_arg[0] == '\0'
						       ? "empty destination"
						       : sqldb_error(db));
	return rc != 0;
}

static void summary(const struct report_conf *c, const struct period *p, const struct gen_stats *g,
		    const struct send_stats *s)
{
	char b[40], e[40];

	if (!c->verbose)
		return;
	period_format(p->begin, b, sizeof b);
	period_format(p->end, e, sizeof e);
	if (!c->send_only)
		fprintf(stderr, PROG ": %s to %s: %lld messages, %lld domains, %lld reports built, "
				"%lld already queued, %lld without rua\n",
			b, e, g->messages, g->domains, g->reports, g->already, g->norua);
	if (!c->queue_only && !c->test)
		fprintf(stderr, PROG ": %lld sent, %lld too-large notices, %lld deferred, %lld failed, "
				"%lld refused, %lld suppressed, %lld left for the next run\n",
			s->sent, s->notices, s->deferred, s->failed, s->refused, s->suppressed,
			s->left);
}

/* Build and send; returns the exit status. */
static int run(struct sqldb *db, struct report_conf *c)
{
	struct gen_stats gs = { 0, 0, 0, 0, 0, 0 };
	struct send_stats ss = { 0, 0, 0, 0, 0, 0, 0 };
	struct outbox *ob = NULL;
	struct period p = { 0, 0 };
	struct rq *q = NULL;
	char err[512];
	int rc = 0;

	if (!c->send_only && period_compute(c->now, c->interval, c->day, c->utc, &p) != 0) {
		fprintf(stderr, PROG ": no reporting period (interval %ld)\n", c->interval);
		return 1;
	}
	if (verify_init(c->test_dns, err, sizeof err) != 0 ||
	    (!c->test && outbox_open(db, c->outbox_dir, &ob, err, sizeof err) != 0)) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (rq_open(db, &q) != 0 || (ob != NULL && outbox_sweep(ob) != 0)) {
		fprintf(stderr, PROG ": %s\n", sqldb_error(db));
		rc = -1;
	}
	if (rc == 0 && !c->send_only)
		rc = gen_run(db, q, ob, c, &p, &gs);
	if (rc == 0 && !c->queue_only && !c->test)
		rc = send_run(db, q, ob, c, &ss);
	summary(c, &p, &gs, &ss);
	rq_close(&q);
	outbox_close(&ob);
	verify_shutdown();
	return rc != 0 ? 1 : ss.failed + ss.refused > 0 ? 2 : 0;
}

int main(int argc, char **argv)
{
	static struct args a;
	char err[512], helo[256], *operands[1];
	struct sqldb *db;
	int rc;

	defaults(&a);
	if (cmdline_parse(argc, argv, options, on_option, &a, operands, 0, err, sizeof err) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		usage(stderr);
		return 1;
	}
	if (cmdline_help_version(PROG, a.help, a.version, usage))
		return 0;
	if (a.interval_given && a.c.day)
		fprintf(stderr, PROG ": WARN: --day overrides --interval\n");
	if (a.c.day)
		a.c.interval = 86400;
	if (a.c.test)
		a.c.keepfiles = 1, a.c.update = 0;
	identity(&a.c, helo, sizeof helo);
	a.c.smtp.verbose = a.c.verbose;
	if (bad_address("report-email", a.c.email) || bad_address("copy-to", a.c.copy_to))
		return 1;
	dbopts_env(&a.db);
	if (dbopts_resolve(&a.db, err, sizeof err) != 0 || sqldb_open(&a.db, &db, err, sizeof err) != 0) {
		fprintf(stderr, PROG ": unable to connect to database: %s\n", err);
		return 1;
	}
	rc = a.admin != ADMIN_NONE ? admin(db, &a) : run(db, &a.c);
	sqldb_close(&db);
	return rc;
}
