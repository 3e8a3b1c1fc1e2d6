/*
 * NAME
 *	sqldb_sqlite - the SQLite backend of the SQL seam
 * DESCRIPTION
 *	Contract in sqldb.h.  Opening creates the file if needed, turns on
 *	WAL with synchronous=FULL (a COMMIT is on disk when it returns),
 *	waits up to 60 s for another writer, and applies db/schema.sqlite
 *	(every statement in it is "IF NOT EXISTS", so this is idempotent).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "sqldb.h"

extern const char sqldb_sqlite_schema[]; /* generated from db/schema.sqlite */

static sqlite3 *lite(struct sqldb *db)
{
	return db->handle;
}

static sqlite3_stmt *lite_st(struct sqldb_stmt *st)
{
	return st->handle;
}

static int lite_fail(struct sqldb *db, const char *what)
{
	snprintf(db->error, sizeof db->error, "%s: %s", what, sqlite3_errmsg(lite(db)));
	return -1;
}

static int lite_exec(struct sqldb *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(lite(db), sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(db->error, sizeof db->error, "%s", msg != NULL ? msg : "sqlite3_exec failed");
	sqlite3_free(msg);
	return -1;
}

static int lite_open(const struct dbopts *o, struct sqldb *db, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(o->name, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	db->handle = h;
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", o->name, h != NULL ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, 60000);
	if (lite_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") != 0 ||
	    lite_exec(db, sqldb_sqlite_schema) != 0) {
		snprintf(err, errlen, "%s: %s", o->name, db->error);
		sqlite3_close(h);
		return -1;
	}
	return 0;
}

static void lite_close(struct sqldb *db)
{
	sqlite3_close(lite(db));
	db->handle = NULL;
}

static int lite_prepare(struct sqldb *db, const char *sql, struct sqldb_stmt *st)
{
	sqlite3_stmt *h = NULL;

	if (sqlite3_prepare_v2(lite(db), sql, -1, &h, NULL) != SQLITE_OK)
		return lite_fail(db, "prepare");
	st->handle = h;
	return 0;
}

static int lite_bind_int(struct sqldb_stmt *st, int idx, long long v)
{
	if (sqlite3_bind_int64(lite_st(st), idx, v) != SQLITE_OK)
		return lite_fail(st->db, "bind");
	return 0;
}

static int lite_bind_text(struct sqldb_stmt *st, int idx, const char *s)
{
	if (sqlite3_bind_text(lite_st(st), idx, s, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return lite_fail(st->db, "bind");
	return 0;
}

static int lite_step(struct sqldb_stmt *st)
{
	int rc = sqlite3_step(lite_st(st));

	if (rc == SQLITE_ROW)
		return SQLDB_ROW;
	if (rc == SQLITE_DONE)
		return SQLDB_DONE;
	return lite_fail(st->db, "step");
}

static long long lite_column_int(struct sqldb_stmt *st, int col)
{
	return sqlite3_column_int64(lite_st(st), col);
}

static const char *lite_column_text(struct sqldb_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(lite_st(st), col);

	return s != NULL ? (const char *)s : "";
}

static int lite_reset(struct sqldb_stmt *st)
{
	sqlite3_reset(lite_st(st));
	sqlite3_clear_bindings(lite_st(st));
	return 0;
}

static void lite_finalize(struct sqldb_stmt *st)
{
	sqlite3_finalize(lite_st(st));
	st->handle = NULL;
}

static long long lite_last_id(struct sqldb_stmt *st)
{
	return sqlite3_last_insert_rowid(lite(st->db));
}

static long long lite_affected(struct sqldb_stmt *st)
{
	return sqlite3_changes(lite(st->db));
}

const struct sqldb_ops sqldb_sqlite_ops = {
	.open = lite_open,
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.bind_int = lite_bind_int,
	.bind_text = lite_bind_text,
	.step = lite_step,
	.column_int = lite_column_int,
	.column_text = lite_column_text,
	.reset = lite_reset,
	.finalize = lite_finalize,
	.last_id = lite_last_id,
	.affected = lite_affected,
};
