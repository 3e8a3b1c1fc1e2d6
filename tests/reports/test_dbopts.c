/*
 * test_dbopts - database selection (flags, environment, DSNs), the
 * Getopt::Long-style command line, and the arc_policy JSON reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcjson.h"
#include "check.h"
#include "cmdline.h"
#include "dbopts.h"

static struct dbopts o;
static char err[256];

static void resolve(const char *name, const char *host)
{
	dbopts_init(&o);
	if (name != NULL)
		dbopts_set(&o, "dbname", name, err, sizeof err);
	if (host != NULL)
		dbopts_set(&o, "dbhost", host, err, sizeof err);
	CHECK_INT(dbopts_resolve(&o, err, sizeof err), 0, name != NULL ? name : "(default)");
}

static void test_backend(void)
{
	resolve(NULL, NULL);
	CHECK_INT(o.backend, DBOPTS_SQLITE, "default is SQLite");
	CHECK_STR(o.name, REPORTS_STATEDIR "/opendmarc.db", "default path");
	resolve("opendmarc", "localhost");
	CHECK_INT(o.backend, DBOPTS_MYSQL, "a host means MySQL");
	CHECK_STR(o.name, "opendmarc", "MySQL database");
	resolve("/var/db/x", "localhost");
	CHECK_INT(o.backend, DBOPTS_SQLITE, "a path is SQLite");
	resolve("reports.sqlite3", NULL);
	CHECK_INT(o.backend, DBOPTS_SQLITE, ".sqlite3");
	resolve("sqlite:///tmp/a.db", NULL);
	CHECK_STR(o.name, "/tmp/a.db", "sqlite:/// DSN");
	resolve("mysql://u:p%w@[::1]:7306/dmarc?socket=/run/m.sock", NULL);
	CHECK_INT(o.backend, DBOPTS_MYSQL, "mysql DSN");
	CHECK_STR(o.user, "u", "dsn user");
	CHECK_STR(o.passwd, "p%w", "dsn password");
	CHECK_STR(o.host, "::1", "dsn v6 host");
	CHECK_INT(o.port, 7306, "dsn port");
	CHECK_STR(o.name, "dmarc", "dsn name");
	CHECK_STR(o.socket, "/run/m.sock", "dsn socket");
	dbopts_init(&o);
	dbopts_set(&o, "dbname", "mysql://h:99999/x", err, sizeof err);
	CHECK_INT(dbopts_resolve(&o, err, sizeof err), -1, "bad port");
	CHECK_INT(dbopts_set(&o, "dbport", "x", err, sizeof err), -1, "dbport x");
	CHECK_INT(dbopts_set(&o, "verbose", NULL, err, sizeof err), 1, "not a db option");
}

static void test_env(void)
{
	dbopts_init(&o);
	dbopts_set(&o, "dbuser", "flag", err, sizeof err);
	setenv("OPENDMARC_USER", "env", 1);
	setenv("OPENDMARC_PORT", "7306", 1);
	dbopts_env(&o);
	CHECK_STR(o.user, "flag", "flag beats environment");
	CHECK_INT(o.port, 7306, "OPENDMARC_PORT");
	CHECK_INT(o.server_given, 1, "environment selects a server");
	unsetenv("OPENDMARC_USER");
	unsetenv("OPENDMARC_PORT");
}

struct seen {
	char log[256];
};

static int on_opt(void *ctx, const char *name, const char *value, char *e, size_t elen)
{
	struct seen *s = ctx;
	size_t n = strlen(s->log);

	(void)e;
	(void)elen;
	snprintf(s->log + n, sizeof s->log - n, "%s=%s;", name, value != NULL ? value : "(flag)");
	return 0;
}

static void test_cmdline(void)
{
	static const struct cmdopt opts[] = { { "dbhost", 1 }, { "verbose", 0 }, { NULL, 0 } };
	char *argv[] = { "prog", "-dbhost=a", "--dbhost", "b", "-verbose", "--noverbose", "f1",
			 "-", "--", "-x", NULL };
	char *bad[] = { "prog", "--dbport=1", NULL };
	char *args[8];
	struct seen s = { "" };

	CHECK_INT(cmdline_parse(10, argv, opts, on_opt, &s, args, 8, err, sizeof err), 3, "operands");
	CHECK_STR(s.log, "dbhost=a;dbhost=b;verbose=(flag);verbose=0;", "options");
	CHECK_STR(args[0], "f1", "operand 1");
	CHECK_STR(args[1], "-", "stdin operand");
	CHECK_STR(args[2], "-x", "after --");
	CHECK_INT(cmdline_parse(2, bad, opts, on_opt, &s, args, 8, err, sizeof err), -1, "unknown");
}

static void test_arcjson(void)
{
	struct arc_set sets[2];
	int policy;

	CHECK_INT(arcjson_parse("0 json:[{\"i\":1,\"d\":\"a.example\",\"s\":\"s1\",\"ip\":\"192.0.2.1\"},"
				" { i: 2, d: \"b.example\", s: \"s2\" }, {\"i\":3}]",
				&policy, sets, 2), 2, "two kept of three");
	CHECK_INT(policy, 0, "policy");
	CHECK_STR(sets[0].ip, "192.0.2.1", "ip");
	CHECK_INT(sets[1].instance, 2, "bare keys");
	CHECK_STR(sets[1].domain, "b.example", "domain");
	CHECK_INT(arcjson_parse("1 json[ ]", &policy, sets, 2), 0, "exim empty");
	CHECK_INT(policy, 1, "exim policy");
	CHECK_INT(arcjson_parse("", &policy, sets, 2), 0, "absent");
	CHECK_INT(arcjson_parse("2 json:[{\"i\":", &policy, sets, 2), -1, "cut short");
	CHECK_INT(arcjson_parse("x", &policy, sets, 2), -1, "no number");
}

int main(void)
{
	test_backend();
	test_env();
	test_cmdline();
	test_arcjson();
	return check_done("test_dbopts");
}
