/*
 * NAME
 *	opendmarc-import - load DMARC history files into the database
 * SYNOPSIS
 *	opendmarc-import [--dbhost=H] [--dbport=N] [--dbname=NAME|PATH|DSN]
 *	    [--dbuser=U] [--dbpasswd=P] [--dbsocket=S] [--input=FILE]
 *	    [--rejects=FILE] [--batch=N] [--torn-grace=SECONDS] [--rotate]
 *	    [--verbose] [FILE|- ...]
 * DESCRIPTION
 *	Thin main: options (OpenDMARC's, single-dash forms too) and the
 *	OPENDMARC_DB* environment go to dbopts; each input (operands, then
 *	--input, else standard input) goes to the importer, or with
 *	--rotate to its rotation.  The whole behaviour is in importer.c,
 *	importer_rotate.c, store.c and checkpoint.c; the manual is
 *	opendmarc-import(8).
 * DIAGNOSTICS
 *	Exit 0 when every record was imported (or already there), 2 when
 *	some were rejected but the rest imported, 1 on any error (usage,
 *	database, I/O); an error on one file does not stop the others.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "dbopts.h"
#include "importer.h"
#include "sqldb.h"

#define MAX_INPUTS 1024

struct import_args {
	struct dbopts db;
	struct import_opts imp;
	const char *input;
	int rotate, help, version;
};

static const struct cmdopt import_options[] = {
	DBOPTS_CMDOPTS, { "input", 1 }, { "rejects", 1 },
	IMPORT_CMDOPTS, { "rotate", 0 }, { "help", 0 },
	{ "version", 0 }, { NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: opendmarc-import [options] [FILE|- ...]\n"
		DBOPTS_USAGE
		"\t--input=FILE         history file (as well as the operands)\n"
		"\t--rejects=FILE       where malformed records go [FILE.rejected]\n"
		IMPORT_USAGE
		"\t--rotate             rename each FILE away, import it, delete it\n"
		"\t                     once wholly imported\n"
		"\t--help, --version\n"
		"With no --dbhost/--dbport/--dbuser/--dbpasswd/--dbsocket the store is\n"
		"the SQLite file %s/<dbname>.db.\n",
		REPORTS_STATEDIR);
}

static int on_option(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct import_args *a = ctx;
	int on = value == NULL || strcmp(value, "0") != 0;
	int rc = dbopts_set(&a->db, name, value, err, errlen);

	if (rc <= 0 || (rc = import_opts_set(&a->imp, name, value, err, errlen)) <= 0)
		return rc;
	if (strcmp(name, "input") == 0)
		a->input = value;
	else if (strcmp(name, "rejects") == 0)
		a->imp.rejects = value;
	else if (strcmp(name, "rotate") == 0)
		a->rotate = on;
	else if (strcmp(name, "help") == 0)
		a->help = on;
	else if (strcmp(name, "version") == 0)
		a->version = on;
	return 0;
}

static int import_all(struct sqldb *db, const struct import_args *a, char **inputs, int n)
{
	struct import_stats st = { 0, 0, 0, 0 };
	struct importer *im;
	int i, failed = 0;

	if (importer_open(db, &a->imp, &im) != 0)
		return 1;
	for (i = 0; i < n; i++)
		if ((a->rotate ? importer_rotate(im, inputs[i], &st)
			       : importer_file(im, inputs[i], &st)) != 0)
			failed = 1;
	importer_close(&im);
	if (a->imp.verbose)
		fprintf(stderr, "opendmarc-import: %lld added, %lld already present, %lld rejected\n",
			st.added, st.duplicates, st.rejected);
	return failed ? 1 : st.rejected > 0 ? 2 : 0;
}

int main(int argc, char **argv)
{
	static char *inputs[MAX_INPUTS + 1];
	struct import_args a;
	struct sqldb *db;
	char err[512];
	int n, rc;

	memset(&a, 0, sizeof a);
	dbopts_init(&a.db);
	import_opts_init(&a.imp);
	n = cmdline_parse(argc, argv, import_options, on_option, &a, inputs, MAX_INPUTS, err,
			  sizeof err);
	if (n < 0) {
		fprintf(stderr, "opendmarc-import: %s\n", err);
		usage(stderr);
		return 1;
	}
	if (cmdline_help_version("opendmarc-import", a.help, a.version, usage))
		return 0;
	if (a.input != NULL)
		inputs[n++] = (char *)a.input;
	if (n == 0 && a.rotate) {
		fprintf(stderr, "opendmarc-import: --rotate needs history files\n");
		return 1;
	}
	if (n == 0)
		inputs[n++] = (char *)"-";
	dbopts_env(&a.db);
	if (dbopts_resolve(&a.db, err, sizeof err) != 0 || sqldb_open(&a.db, &db, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-import: unable to connect to database: %s\n", err);
		return 1;
	}
	rc = import_all(db, &a, inputs, n);
	sqldb_close(&db);
	return rc;
}
