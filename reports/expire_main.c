/*
 * NAME
 *	opendmarc-expire - delete old report data, keeping what is not
 *	reported yet
 * SYNOPSIS
 *	opendmarc-expire [--expire=DAYS] [--alltables] [--force] [--verbose]
 *	    [--dbhost=H] [--dbport=N] [--dbname=NAME|PATH|DSN] [--dbuser=U]
 *	    [--dbpasswd=P] [--dbsocket=S]
 * DESCRIPTION
 *	Thin main: OpenDMARC's options (single-dash forms too) and the
 *	OPENDMARC_DB* environment; the deletions are expire.c's.  With
 *	--verbose, progress goes to standard error and each table's count
 *	to standard output, as OpenDMARC's script prints them.  The manual
 *	is opendmarc-expire(8).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 on a usage or database error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdline.h"
#include "dbopts.h"
#include "expire.h"
#include "sqldb.h"

#define EXPIRE_DEFAULT_DAYS 180
#define EXPIRE_MAX_DAYS 36500

struct expire_args {
	struct dbopts db;
	struct expire_opts ex;
	int help, version;
};

static const struct cmdopt expire_options[] = {
	DBOPTS_CMDOPTS, { "expire", 1 }, { "alltables", 0 },
	{ "force", 0 }, { "verbose", 0 }, { "help", 0 }, { "version", 0 }, { NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: opendmarc-expire [options]\n"
		"\t--alltables          also delete rows nothing refers to any more\n"
		DBOPTS_USAGE
		"\t--expire=DAYS        expiration time, in days [%d]\n"
		"\t--force              delete old rows even of periods not reported yet\n"
		"\t--verbose            verbose output\n"
		"\t--help, --version\n",
		EXPIRE_DEFAULT_DAYS);
}

static int on_option(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct expire_args *a = ctx;
	int on = value == NULL || strcmp(value, "0") != 0;
	int rc = dbopts_set(&a->db, name, value, err, errlen);
	char *end;

	if (rc <= 0)
		return rc;
	if (strcmp(name, "expire") == 0) {
		a->ex.days = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || a->ex.days <= 0 ||
		    a->ex.days > EXPIRE_MAX_DAYS) {
			snprintf(err, errlen, "invalid expiration time: %s", value);
			return -1;
		}
	} else if (strcmp(name, "alltables") == 0)
		a->ex.alltables = on;
	else if (strcmp(name, "force") == 0)
		a->ex.force = on;
	else if (strcmp(name, "verbose") == 0)
		a->ex.verbose = on;
	else if (strcmp(name, "help") == 0)
		a->help = on;
	else if (strcmp(name, "version") == 0)
		a->version = on;
	return 0;
}

static void print_count(const char *table, long long n)
{
	if (n == 0)
		printf("opendmarc-expire: %s: no rows deleted\n", table);
	else
		printf("opendmarc-expire: %s: %lld row(s) deleted\n", table, n);
}

static void print_counts(const struct expire_args *a, const struct expire_counts *c)
{
	const struct {
		const char *table;
		long long n;
		int all; /* only with --alltables */
	} rows[] = {
		{ "messages", c->messages, 0 },	    { "signatures", c->signatures, 0 },
		{ "arcauthresults", c->arcauthresults, 0 }, { "arcseals", c->arcseals, 0 },
		{ "requests", c->requests, 0 },	    { "selectors", c->selectors, 1 },
		{ "domains", c->domains, 1 },	    { "ipaddr", c->ipaddr, 1 },
		{ "reporters", c->reporters, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (!rows[i].all || a->ex.alltables)
			print_count(rows[i].table, rows[i].n);
	if (c->unreported > 0)
		fprintf(stderr,
			"opendmarc-expire: %lld message(s) older than %ld day(s) kept: their"
			" period is not reported yet (--force deletes them)\n",
			c->unreported, a->ex.days);
}

static int run(struct expire_args *a)
{
	struct expire_counts c;
	struct sqldb *db;
	char err[512];
	int rc;

	dbopts_env(&a->db);
	if (dbopts_resolve(&a->db, err, sizeof err) != 0 || sqldb_open(&a->db, &db, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-expire: unable to connect to database: %s\n", err);
		return 1;
	}
	if (a->ex.verbose)
		fprintf(stderr, "opendmarc-expire: expiring rows older than %ld day(s)%s\n", a->ex.days,
			a->ex.force ? ", reported or not" : "");
	rc = expire_run(db, &a->ex, time(NULL), &c);
	if (rc != 0)
		fprintf(stderr, "opendmarc-expire: DELETE failed: %s\n", sqldb_error(db));
	else if (a->ex.verbose)
		print_counts(a, &c);
	sqldb_close(&db);
	return rc != 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct expire_args a;
	char *args[1], err[512];
	int n;

	memset(&a, 0, sizeof a);
	dbopts_init(&a.db);
	a.ex.days = EXPIRE_DEFAULT_DAYS;
	n = cmdline_parse(argc, argv, expire_options, on_option, &a, args, 0, err, sizeof err);
	if (n != 0) {
		fprintf(stderr, "opendmarc-expire: %s\n", n < 0 ? err : "unexpected argument");
		usage(stderr);
		return 1;
	}
	if (cmdline_help_version("opendmarc-expire", a.help, a.version, usage))
		return 0;
	return run(&a);
}
