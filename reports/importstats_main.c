/*
 * NAME
 *	opendmarc-importstats - the cron job: import the daemon's history
 *	file with rotation
 * SYNOPSIS
 *	opendmarc-importstats [-c FILE|--conf=FILE] [--verbose] [--batch=N]
 *	    [--torn-grace=SECONDS] [--dbhost=H] [--dbport=N]
 *	    [--dbname=NAME|PATH|DSN] [--dbuser=U] [--dbpasswd=P] [--dbsocket=S]
 * DESCRIPTION
 *	OpenDMARC's opendmarc-importstats without its shell script's mv and
 *	rm: HistoryFile is read from the daemon's configuration file (with
 *	the daemon's own parser, opendmarc/conf.c; OPENDMARC_CONF or -c name
 *	another) and handed to importer_rotate(), which deletes nothing that
 *	is not in the database.  Silent on success, so cron mails only
 *	failures.  The manual is opendmarc-importstats(8).
 * DIAGNOSTICS
 *	Exit 0 on success or when no HistoryFile is configured, 2 when
 *	records were rejected (the rest imported), 1 on any error; the
 *	history then stays on disk for the next run, which says where.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "conf.h"
#include "dbopts.h"
#include "importer.h"
#include "sqldb.h"

#ifndef IMPORTSTATS_CONFFILE
#define IMPORTSTATS_CONFFILE "/etc/opendmarc.conf"
#endif

struct importstats_args {
	struct dbopts db;
	struct import_opts imp;
	const char *conf;
	int help, version;
};

static const struct cmdopt importstats_options[] = {
	DBOPTS_CMDOPTS, { "conf", 1 }, { "c", 1 },
	IMPORT_CMDOPTS, { "help", 0 },
	{ "version", 0 }, { NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: opendmarc-importstats [options]\n"
		"\t-c FILE, --conf=FILE the daemon's configuration [%s]\n"
		DBOPTS_USAGE
		IMPORT_USAGE
		"\t--help, --version\n"
		"Imports the configuration's HistoryFile as opendmarc-import --rotate.\n",
		IMPORTSTATS_CONFFILE);
}

static int on_option(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct importstats_args *a = ctx;
	int on = value == NULL || strcmp(value, "0") != 0;
	int rc = dbopts_set(&a->db, name, value, err, errlen);

	if (rc <= 0 || (rc = import_opts_set(&a->imp, name, value, err, errlen)) <= 0)
		return rc;
	if (strcmp(name, "conf") == 0 || strcmp(name, "c") == 0)
		a->conf = value;
	else if (strcmp(name, "help") == 0)
		a->help = on;
	else if (strcmp(name, "version") == 0)
		a->version = on;
	return 0;
}

/* HistoryFile of the configuration: 1 (path copied), 0 none set, -1 error. */
static int history_file(const char *conf, char *path, size_t size)
{
	struct config *c = config_new();
	char err[512];
	int rc = 0;

	if (config_load(c, conf, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-importstats: %s\n", err);
		rc = -1;
	} else if (c->history_file != NULL && c->history_file[0] != '\0') {
		rc = snprintf(path, size, "%s", c->history_file) < (int)size ? 1 : -1;
		if (rc < 0)
			fprintf(stderr, "opendmarc-importstats: HistoryFile too long\n");
	}
	config_free(&c);
	return rc;
}

static int import(struct importstats_args *a, const char *history)
{
	struct import_stats st = { 0, 0, 0, 0 };
	struct importer *im;
	struct sqldb *db;
	char err[512];
	int rc;

	dbopts_env(&a->db);
	if (dbopts_resolve(&a->db, err, sizeof err) != 0 || sqldb_open(&a->db, &db, err, sizeof err) != 0) {
		fprintf(stderr, "opendmarc-importstats: unable to connect to database: %s\n", err);
		return 1;
	}
	rc = importer_open(db, &a->imp, &im) != 0 ? -1 : importer_rotate(im, history, &st);
	importer_close(&im);
	sqldb_close(&db);
	if (rc != 0) {
		fprintf(stderr, "opendmarc-importstats: %s: not wholly imported; what is left stays"
				" beside it (%s.<time>) for the next run\n", history, history);
		return 1;
	}
	return st.rejected > 0 ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct importstats_args a;
	char *args[1], err[512], history[4096];
	const char *env = getenv("OPENDMARC_CONF");
	int n;

	memset(&a, 0, sizeof a);
	dbopts_init(&a.db);
	import_opts_init(&a.imp);
	a.conf = env != NULL && *env != '\0' ? env : IMPORTSTATS_CONFFILE;
	n = cmdline_parse(argc, argv, importstats_options, on_option, &a, args, 0, err, sizeof err);
	if (n != 0) {
		fprintf(stderr, "opendmarc-importstats: %s\n", n < 0 ? err : "unexpected argument");
		usage(stderr);
		return 1;
	}
	if (cmdline_help_version("opendmarc-importstats", a.help, a.version, usage))
		return 0;
	switch (history_file(a.conf, history, sizeof history)) {
	case 0:
		if (a.imp.verbose)
			fprintf(stderr, "opendmarc-importstats: %s: no HistoryFile\n", a.conf);
		return 0;
	case 1:
		return import(&a, history);
	default:
		return 1;
	}
}
