/*
 * NAME
 *	dbopts - database options from flags, environment and DSN
 * DESCRIPTION
 *	Contract in dbopts.h.  db_options[] lists each option once with its
 *	environment variable and where it is stored; dbopts_set() and
 *	dbopts_env() both walk it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbopts.h"

struct db_option {
	const char *name;
	const char *env;
	size_t off, size; /* a char array in struct dbopts; size 0: the port */
	int server;	  /* giving it means a database server */
};

#define DO(m) offsetof(struct dbopts, m), sizeof(((struct dbopts *)0)->m)

static const struct db_option db_options[] = {
	{ "dbhost", "OPENDMARC_DBHOST", DO(host), 1 },
	{ "dbport", "OPENDMARC_PORT", offsetof(struct dbopts, port), 0, 1 },
	{ "dbname", "OPENDMARC_DB", DO(name), 0 },
	{ "dbuser", "OPENDMARC_USER", DO(user), 1 },
	{ "dbpasswd", "OPENDMARC_PASSWORD", DO(passwd), 1 },
	{ "dbsocket", "OPENDMARC_DBSOCKET", DO(socket), 1 },
	{ "dbtls", "OPENDMARC_DBTLS", DO(tls), 1 },
	{ "dbtls-ca", "OPENDMARC_DBTLSCA", DO(tls_ca), 1 },
};

/* The mysql client's --ssl / --ssl-verify-server-cert, as one word. */
static int tls_mode_ok(const char *v)
{
	return strcmp(v, "off") == 0 || strcmp(v, "on") == 0 || strcmp(v, "verify") == 0;
}

#define DB_NOPTIONS (sizeof db_options / sizeof db_options[0])

static int copy_str(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int parse_port(const char *s, unsigned *port)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

void dbopts_init(struct dbopts *o)
{
	memset(o, 0, sizeof *o);
	o->backend = DBOPTS_AUTO;
	strcpy(o->host, "localhost");
	strcpy(o->name, "opendmarc");
	strcpy(o->user, "opendmarc");
	strcpy(o->passwd, "opendmarc");
	o->port = 3306;
}

static int store_option(struct dbopts *o, size_t i, const char *value, char *err, size_t errlen)
{
	const struct db_option *d = &db_options[i];

	if (d->size == 0) {
		if (parse_port(value, &o->port) != 0) {
			snprintf(err, errlen, "%s: not a port number: %s", d->name, value);
			return -1;
		}
	} else if (d->off == offsetof(struct dbopts, tls) && !tls_mode_ok(value)) {
		snprintf(err, errlen, "%s: not off, on or verify: %s", d->name, value);
		return -1;
	} else if (copy_str((char *)o + d->off, d->size, value, strlen(value)) != 0) {
		snprintf(err, errlen, "%s: value too long", d->name);
		return -1;
	}
	if (d->server)
		o->server_given = 1;
	return 0;
}

int dbopts_set(struct dbopts *o, const char *name, const char *value, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < DB_NOPTIONS; i++) {
		if (strcmp(name, db_options[i].name) != 0)
			continue;
		if (value == NULL) {
			snprintf(err, errlen, "%s needs a value", name);
			return -1;
		}
		if (store_option(o, i, value, err, errlen) != 0)
			return -1;
		o->given |= 1u << i;
		return 0;
	}
	return 1;
}

void dbopts_env(struct dbopts *o)
{
	char err[128];
	size_t i;

	for (i = 0; i < DB_NOPTIONS; i++) {
		const char *v = getenv(db_options[i].env);

		if (v == NULL || *v == '\0' || (o->given & (1u << i)))
			continue;
		if (store_option(o, i, v, err, sizeof err) != 0)
			fprintf(stderr, "ignoring %s: %s\n", db_options[i].env, err);
	}
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "host:port" or "host" (a bracketed IPv6 literal may carry a port). */
static int dsn_hostport(struct dbopts *o, const char *s, size_t n)
{
	const char *colon = NULL;
	char port[8];
	size_t i;

	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		if (rb == NULL || copy_str(o->host, sizeof o->host, s + 1, (size_t)(rb - s - 1)) != 0)
			return -1;
		if ((size_t)(rb - s) + 1 == n)
			return 0;
		if (rb[1] != ':')
			return -1;
		colon = rb + 1;
	} else {
		for (i = 0; i < n; i++)
			if (s[i] == ':')
				colon = s + i;
		if (n > 0 && copy_str(o->host, sizeof o->host, s,
				      colon != NULL ? (size_t)(colon - s) : n) != 0)
			return -1;
	}
	if (colon == NULL)
		return 0;
	return copy_str(port, sizeof port, colon + 1, (size_t)(s + n - colon - 1)) != 0 ||
			       parse_port(port, &o->port) != 0 ? -1 : 0;
}

/* "user[:password]" */
static int dsn_userinfo(struct dbopts *o, const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t un = colon != NULL ? (size_t)(colon - s) : n;

	if (copy_str(o->user, sizeof o->user, s, un) != 0)
		return -1;
	if (colon != NULL &&
	    copy_str(o->passwd, sizeof o->passwd, colon + 1, n - un - 1) != 0)
		return -1;
	return 0;
}

/* mysql://[user[:password]@][host][:port]/name[?socket=PATH] */
static int dsn_mysql(struct dbopts *o, const char *s)
{
	const char *slash = strchr(s, '/'), *at, *q;

	if (slash == NULL)
		return -1;
	at = memchr(s, '@', (size_t)(slash - s));
	if (at != NULL && dsn_userinfo(o, s, (size_t)(at - s)) != 0)
		return -1;
	if (dsn_hostport(o, at != NULL ? at + 1 : s, (size_t)(slash - (at != NULL ? at + 1 : s))) != 0)
		return -1;
	q = strchr(slash + 1, '?');
	if (copy_str(o->name, sizeof o->name, slash + 1,
		     q != NULL ? (size_t)(q - slash - 1) : strlen(slash + 1)) != 0 ||
	    o->name[0] == '\0')
		return -1;
	if (q != NULL) {
		if (strncmp(q + 1, "socket=", 7) != 0 ||
		    copy_str(o->socket, sizeof o->socket, q + 8, strlen(q + 8)) != 0)
			return -1;
	}
	o->backend = DBOPTS_MYSQL;
	return 0;
}

static int dsn_sqlite(struct dbopts *o, const char *path)
{
	char tmp[sizeof o->name];

	if (strncmp(path, "//", 2) == 0)
		path += 2; /* sqlite:///abs/path */
	if (*path == '\0' || copy_str(tmp, sizeof tmp, path, strlen(path)) != 0)
		return -1;
	strcpy(o->name, tmp);
	o->backend = DBOPTS_SQLITE;
	return 0;
}

int dbopts_resolve(struct dbopts *o, char *err, size_t errlen)
{
	char path[sizeof o->name];
	int rc = 0;

	if (strncmp(o->name, "mysql://", 8) == 0 || strncmp(o->name, "mariadb://", 10) == 0) {
		char dsn[sizeof o->name];

		strcpy(dsn, strchr(o->name, ':') + 3);
		rc = dsn_mysql(o, dsn);
	} else if (strncmp(o->name, "sqlite:", 7) == 0) {
		char dsn[sizeof o->name];

		strcpy(dsn, o->name + 7);
		rc = dsn_sqlite(o, dsn);
	} else if (strchr(o->name, '/') != NULL || has_suffix(o->name, ".db") ||
		   has_suffix(o->name, ".sqlite") || has_suffix(o->name, ".sqlite3")) {
		o->backend = DBOPTS_SQLITE;
	} else if (o->server_given) {
		o->backend = DBOPTS_MYSQL;
	} else {
		if (snprintf(path, sizeof path, "%s/%s.db", REPORTS_STATEDIR, o->name) >=
		    (int)sizeof path)
			rc = -1;
		else
			strcpy(o->name, path);
		o->backend = DBOPTS_SQLITE;
	}
	if (rc != 0)
		snprintf(err, errlen, "malformed database name or DSN");
	return rc;
}
