/*
 * NAME
 *	expire - the deletions of opendmarc-expire
 * DESCRIPTION
 *	Contract in expire.h.  The message condition is one SQL fragment
 *	(old enough, and unless forced reported), used both to delete a
 *	chunk's child rows and the chunk's messages; sweeps[] lists the
 *	--alltables deletions with the counter each one adds to.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "expire.h"

#define SQL_MAX 1024

/* messages that may go: old enough, and (unless forced) already reported */
static const char msg_old[] = "messages.date <= ?";
static const char msg_reported[] =
	" AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.domain = messages.from_domain"
	" AND r.repuri <> '' AND messages.date >= r.lastsent)";

static const char *const children[] = { "signatures", "arcauthresults", "arcseals" };
#define NCHILDREN (sizeof children / sizeof children[0])

static const char req_stale[] =
	"DELETE FROM requests WHERE lastsent <= ? AND lastsent > '1970-01-01 00:00:01'";
static const char req_reported[] =
	" AND (repuri = '' OR NOT EXISTS (SELECT 1 FROM messages m"
	" WHERE m.from_domain = requests.domain AND m.date >= requests.lastsent))";

struct sweep {
	const char *sql;
	size_t counter; /* offset in struct expire_counts */
};

#define AT(m) offsetof(struct expire_counts, m)

static const struct sweep sweeps[] = {
	{ "DELETE FROM signatures WHERE NOT EXISTS"
	  " (SELECT 1 FROM messages m WHERE m.id = signatures.message)", AT(signatures) },
	{ "DELETE FROM arcauthresults WHERE NOT EXISTS"
	  " (SELECT 1 FROM messages m WHERE m.id = arcauthresults.message)", AT(arcauthresults) },
	{ "DELETE FROM arcseals WHERE NOT EXISTS"
	  " (SELECT 1 FROM messages m WHERE m.id = arcseals.message)", AT(arcseals) },
	{ "DELETE FROM selectors WHERE id NOT IN (SELECT selector FROM signatures)"
	  " AND id NOT IN (SELECT selector FROM arcseals)", AT(selectors) },
	{ "DELETE FROM domains WHERE id NOT IN (SELECT domain FROM requests)"
	  " AND id NOT IN (SELECT from_domain FROM messages)"
	  " AND id NOT IN (SELECT env_domain FROM messages)"
	  " AND id NOT IN (SELECT policy_domain FROM messages)"
	  " AND id NOT IN (SELECT domain FROM signatures)"
	  " AND id NOT IN (SELECT domain FROM arcseals)"
	  " AND id NOT IN (SELECT domain FROM selectors)", AT(domains) },
	{ "DELETE FROM ipaddr WHERE id NOT IN (SELECT ip FROM messages)", AT(ipaddr) },
	{ "DELETE FROM reporters WHERE id NOT IN (SELECT reporter FROM messages)", AT(reporters) },
};
#define NSWEEPS (sizeof sweeps / sizeof sweeps[0])

struct expirer {
	struct sqldb *db;
	const struct expire_opts *o;
	char cutoff[32];
	struct sqldb_stmt *child[NCHILDREN], *msg;
	struct expire_counts *c;
};

static void add(struct expire_counts *c, size_t counter, long long n)
{
	*(long long *)(void *)((char *)c + counter) += n;
}

/* Run a prepared DELETE with (lo, hi, cutoff) or (cutoff) bound; adds the rows to *n. */
static int run_delete(struct sqldb_stmt *st, const long long *range, const char *cutoff,
		      long long *n)
{
	int rc = -1, i = 1;

	if (range == NULL || (sqldb_bind_int(st, i++, range[0]) == 0 &&
			      sqldb_bind_int(st, i++, range[1]) == 0)) {
		if (cutoff == NULL || sqldb_bind_text(st, i, cutoff) == 0)
			rc = sqldb_step(st);
	}
	if (rc == SQLDB_DONE)
		*n += sqldb_affected(st);
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

static int prepare_chunk(struct expirer *x)
{
	const char *reported = x->o->force ? "" : msg_reported;
	char sql[SQL_MAX];
	size_t i;

	for (i = 0; i < NCHILDREN; i++) {
		snprintf(sql, sizeof sql,
			 "DELETE FROM %s WHERE message IN (SELECT id FROM messages"
			 " WHERE id BETWEEN ? AND ? AND %s%s)",
			 children[i], msg_old, reported);
		if (sqldb_prepare(x->db, sql, &x->child[i]) != 0)
			return -1;
	}
	snprintf(sql, sizeof sql, "DELETE FROM messages WHERE id BETWEEN ? AND ? AND %s%s", msg_old,
		 reported);
	return sqldb_prepare(x->db, sql, &x->msg);
}

static void finalize_chunk(struct expirer *x)
{
	size_t i;

	for (i = 0; i < NCHILDREN; i++)
		sqldb_finalize(&x->child[i]);
	sqldb_finalize(&x->msg);
}

/* One transaction: the expirable messages with IDs in range, children first. */
static int expire_chunk(struct expirer *x, const long long *range)
{
	long long *counts[NCHILDREN] = { &x->c->signatures, &x->c->arcauthresults,
					 &x->c->arcseals };
	struct expire_counts was = *x->c;
	size_t i;
	int rc;

	if (sqldb_begin(x->db) != 0)
		return -1;
	rc = 0;
	for (i = 0; i < NCHILDREN && rc == 0; i++)
		rc = run_delete(x->child[i], range, x->cutoff, counts[i]);
	if (rc == 0)
		rc = run_delete(x->msg, range, x->cutoff, &x->c->messages);
	if (rc == 0 && sqldb_commit(x->db) == 0)
		return 0;
	sqldb_rollback(x->db);
	*x->c = was;
	return -1;
}

/* IDs of the messages old enough: 1 with range set, 0 when none, -1 error. */
static int old_range(struct expirer *x, long long *range)
{
	struct sqldb_stmt *st;
	int rc = -1;

	if (sqldb_prepare(x->db, "SELECT COUNT(*), MIN(id), MAX(id) FROM messages WHERE date <= ?",
			  &st) != 0)
		return -1;
	if (sqldb_bind_text(st, 1, x->cutoff) == 0 && sqldb_step(st) == SQLDB_ROW) {
		rc = sqldb_column_int(st, 0) > 0;
		range[0] = sqldb_column_int(st, 1);
		range[1] = sqldb_column_int(st, 2);
	}
	sqldb_finalize(&st);
	return rc;
}

static int expire_messages(struct expirer *x)
{
	long long all[2], lo;
	int rc = old_range(x, all);

	if (rc <= 0)
		return rc;
	if (prepare_chunk(x) != 0) {
		finalize_chunk(x);
		return -1;
	}
	for (lo = all[0]; rc >= 0 && lo <= all[1]; lo += EXPIRE_CHUNK) {
		long long range[2] = { lo, lo + EXPIRE_CHUNK - 1 };

		rc = expire_chunk(x, range);
	}
	finalize_chunk(x);
	return rc < 0 ? -1 : 0;
}

static int count_unreported(struct expirer *x)
{
	struct sqldb_stmt *st;
	int rc = -1;

	if (sqldb_prepare(x->db, "SELECT COUNT(*) FROM messages WHERE date <= ?", &st) != 0)
		return -1;
	if (sqldb_bind_text(st, 1, x->cutoff) == 0 && sqldb_step(st) == SQLDB_ROW) {
		x->c->unreported = sqldb_column_int(st, 0);
		rc = 0;
	}
	sqldb_finalize(&st);
	return rc;
}

static int expire_requests(struct expirer *x)
{
	char sql[SQL_MAX];
	struct sqldb_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "%s%s", req_stale, x->o->force ? "" : req_reported);
	if (sqldb_prepare(x->db, sql, &st) != 0)
		return -1;
	rc = run_delete(st, NULL, x->cutoff, &x->c->requests);
	sqldb_finalize(&st);
	return rc;
}

static int sweep_all(struct expirer *x)
{
	size_t i;

	for (i = 0; i < NSWEEPS; i++) {
		struct sqldb_stmt *st;
		long long n = 0;
		int rc;

		if (sqldb_prepare(x->db, sweeps[i].sql, &st) != 0)
			return -1;
		rc = run_delete(st, NULL, NULL, &n);
		sqldb_finalize(&st);
		if (rc != 0)
			return -1;
		add(x->c, sweeps[i].counter, n);
	}
	return 0;
}

int expire_run(struct sqldb *db, const struct expire_opts *o, time_t now,
	       struct expire_counts *c)
{
	struct expirer x;
	time_t cut = now - (time_t)o->days * 86400;
	struct tm tm;

	memset(c, 0, sizeof *c);
	memset(&x, 0, sizeof x);
	x.db = db;
	x.o = o;
	x.c = c;
	gmtime_r(&cut, &tm);
	strftime(x.cutoff, sizeof x.cutoff, "%Y-%m-%d %H:%M:%S", &tm);
	if (expire_messages(&x) != 0 || (!o->force && count_unreported(&x) != 0) ||
	    expire_requests(&x) != 0)
		return -1;
	return o->alltables ? sweep_all(&x) : 0;
}
