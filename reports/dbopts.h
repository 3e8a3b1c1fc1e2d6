/*
 * NAME
 *	dbopts - where the report tools' database is: flags, environment,
 *	DSN, and the choice between SQLite and MySQL/MariaDB
 * SYNOPSIS
 *	dbopts_init(&o);
 *	r = dbopts_set(&o, "dbhost", "db.example", err, sizeof err);
 *	dbopts_env(&o);
 *	if (dbopts_resolve(&o, err, sizeof err) != 0) ...
 * DESCRIPTION
 *	The options are OpenDMARC's: dbhost dbport dbname dbuser dbpasswd,
 *	plus dbsocket.  A flag wins over its environment variable
 *	(OPENDMARC_DBHOST, OPENDMARC_PORT, OPENDMARC_DB, OPENDMARC_USER,
 *	OPENDMARC_PASSWORD, OPENDMARC_DBSOCKET), which wins over the
 *	default (OpenDMARC's: localhost, 3306, opendmarc, opendmarc,
 *	opendmarc).
 *
 *	dbopts_resolve() picks the backend: a dbname of the form
 *	"sqlite:PATH" or "mysql://[user[:password]@][host][:port]/name
 *	[?socket=PATH]" says it outright; otherwise a dbname holding a "/"
 *	or ending in ".db", ".sqlite" or ".sqlite3" is an SQLite file;
 *	otherwise any host, port, user, password or socket given (flag or
 *	environment) means MySQL; otherwise the store is the SQLite file
 *	REPORTS_STATEDIR/<dbname>.db, so a single host needs no server.
 *	For MySQL, host "localhost" means the Unix socket, as for the mysql
 *	client; "127.0.0.1" means TCP.
 * DIAGNOSTICS
 *	dbopts_set() returns 0 when it took the option, 1 when name is not
 *	a database option, -1 (err set) for a bad value.  dbopts_resolve()
 *	returns -1 with err set for a malformed DSN.
 */
#ifndef DBOPTS_H
#define DBOPTS_H
#include <stddef.h>

#ifndef REPORTS_STATEDIR
#define REPORTS_STATEDIR "/var/lib/opendmarc"
#endif

enum dbopts_backend { DBOPTS_AUTO, DBOPTS_SQLITE, DBOPTS_MYSQL };

struct dbopts {
	enum dbopts_backend backend;
	char host[256];
	char name[1024];	/* MySQL database name, or SQLite file path */
	char user[256];
	char passwd[256];
	char socket[1024];
	char tls[16];		/* "" or off, on (encrypted), verify (and certificate checked) */
	char tls_ca[1024];	/* CA file for on/verify */
	unsigned port;
	int server_given;	/* a host/port/user/password/socket was given */
	unsigned given;		/* bit per option set by flag (env does not override) */
};

/* The database options every report tool takes, as cmdopt table entries
 * (cmdline.h), and their --help lines: one list for all the tools. */
#define DBOPTS_CMDOPTS                                                        \
	{ "dbhost", 1 }, { "dbport", 1 }, { "dbname", 1 }, { "dbuser", 1 },   \
	{ "dbpasswd", 1 }, { "dbsocket", 1 }, { "dbtls", 1 }, { "dbtls-ca", 1 }
#define DBOPTS_USAGE                                                                   \
	"\t--dbhost=HOST        MySQL/MariaDB host [localhost]\n"                      \
	"\t--dbport=PORT        MySQL/MariaDB port [3306]\n"                           \
	"\t--dbname=NAME        database name, SQLite file, or DSN [opendmarc]\n"      \
	"\t--dbuser=USER        database user [opendmarc]\n"                           \
	"\t--dbpasswd=PASSWORD  database password [opendmarc]\n"                       \
	"\t--dbsocket=PATH      MySQL/MariaDB Unix socket\n"                           \
	"\t--dbtls=off|on|verify TLS to MySQL/MariaDB (--dbtls-ca=FILE)\n"

void dbopts_init(struct dbopts *o);
int dbopts_set(struct dbopts *o, const char *name, const char *value, char *err, size_t errlen);
void dbopts_env(struct dbopts *o);
int dbopts_resolve(struct dbopts *o, char *err, size_t errlen);

#endif
