/*
 * NAME
 *	opendmarc-params - set, clear or show a domain's reporting
 *	parameters by hand
 * SYNOPSIS
 *	opendmarc-params [--rua=URIS] [--unlock] [--show] [--verbose]
 *	    [--dbhost=H] [--dbport=N] [--dbname=NAME|PATH|DSN] [--dbuser=U]
 *	    [--dbpasswd=P] [--dbsocket=S] DOMAIN
 * DESCRIPTION
 *	Thin main over params.c: OpenDMARC's options (single-dash forms
 *	too) and the OPENDMARC_DB* environment.  Without --unlock or --show
 *	the domain's request is locked with the addresses of --rua (none:
 *	reports to it stop); --unlock releases it; --show (and --verbose
 *	after a change) prints it.  The manual is opendmarc-params(8).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 on a usage or database error or, with --show,
 *	when the domain has no request.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "dbopts.h"
#include "params.h"
#include "sqldb.h"

struct params_args {
	struct dbopts db;
	struct params_opts p;
	int show, verbose, help, version;
};

static const struct cmdopt params_options[] = {
	DBOPTS_CMDOPTS, { "rua", 1 }, { "unlock", 0 },
	{ "show", 0 }, { "verbose", 0 }, { "help", 0 }, { "version", 0 }, { NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: opendmarc-params [options] domain\n"
		DBOPTS_USAGE
		"\t--rua=URIS           aggregate report URI(s), comma-separated\n"
		"\t--unlock             unlocks the domain's record\n"
		"\t--show               print the domain's parameters, change nothing\n"
		"\t--verbose            print them after the change too\n"
		"\t--help, --version\n"
		"Without --unlock or --show, the domain's record is locked with the\n"
		"--rua addresses (none: no more reports to it).\n");
}

static int on_option(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct params_args *a = ctx;
	int on = value == NULL || strcmp(value, "0") != 0;
	int rc = dbopts_set(&a->db, name, value, err, errlen);

	if (rc <= 0)
		return rc;
	if (strcmp(name, "rua") == 0)
		a->p.rua = value;
	else if (strcmp(name, "unlock") == 0)
		a->p.unlock = on;
	else if (strcmp(name, "show") == 0)
		a->show = on;
	else if (strcmp(name, "verbose") == 0)
		a->verbose = on;
	else if (strcmp(name, "help") == 0)
		a->help = on;
	else if (strcmp(name, "version") == 0)
		a->version = on;
	return 0;
}

static int show(struct sqldb *db, const char *domain)
{
	int rc = params_show(db, domain, stdout);

	if (rc < 0)
		fprintf(stderr, "opendmarc-params: %s: %s\n", domain, sqldb_error(db));
	else if (rc == 0)
		fprintf(stderr, "opendmarc-params: %s: no reporting record\n", domain);
	return rc == 1 ? 0 : 1;
}

static int run(struct params_args *a)
{
	struct sqldb *db;
	char err[512];
	int rc = 0;

	dbopts_env(&a->db);
	if (dbopts_resolve(&a->db, err, sizeof err) != 0 || sqldb_open(&a->db, &db, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-params: unable to connect to database: %s\n", err);
		return 1;
	}
	if (!a->show && params_apply(db, &a->p, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-params: failed to update requests table for %s\n", err);
		rc = 1;
	}
	if (rc == 0 && (a->show || a->verbose))
		rc = show(db, a->p.domain);
	sqldb_close(&db);
	return rc;
}

int main(int argc, char **argv)
{
	struct params_args a;
	char *args[2], err[512];
	int n;

	memset(&a, 0, sizeof a);
	dbopts_init(&a.db);
	n = cmdline_parse(argc, argv, params_options, on_option, &a, args, 2, err, sizeof err);
	if (cmdline_help_version("opendmarc-params", a.help, a.version, usage))
		return 0;
	if (n != 1) {
		fprintf(stderr, "opendmarc-params: %s\n", n < 0 ? err : "one domain name is needed");
		usage(stderr);
		return 1;
	}
	a.p.domain = args[0];
	return run(&a);
}
