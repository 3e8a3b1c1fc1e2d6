/*
 * NAME
 *	sqldb - the one SQL seam of the report tools (SQLite, MySQL/MariaDB)
 * SYNOPSIS
 *	if (sqldb_open(&opts, &db, err, sizeof err) != 0) ...
 *	sqldb_prepare(db, "INSERT INTO t (a, b) VALUES (?, ?)", &st);
 *	sqldb_bind_int(st, 1, 42); sqldb_bind_text(st, 2, "x");
 *	sqldb_bind_ints(st, 3, values, n);	(parameters 3 .. 3+n-1)
 *	while ((rc = sqldb_step(st)) == SQLDB_ROW) v = sqldb_column_int(st, 0);
 *	sqldb_reset(st); ... sqldb_finalize(&st);
 *	sqldb_begin(db); ... sqldb_commit(db) or sqldb_rollback(db);
 *	sqldb_close(&db);
 * DESCRIPTION
 *	Callers speak SQL with "?" placeholders and prepared statements only;
 *	values never enter SQL text.  sqldb_exec() runs parameterless text
 *	(schema, pragmas).  Each backend sits behind struct sqldb_ops; the
 *	few dialect differences the tools need are asked through
 *	sqldb_kind().  Parameters and columns are numbered from 1 and 0, as
 *	in SQLite.  sqldb_step() on a statement that returns no rows gives
 *	SQLDB_DONE; sqldb_affected() then tells how many rows it changed
 *	(0 for an INSERT that a unique key ignored).  sqldb_reset() makes a
 *	statement ready to bind and step again.
 *
 *	SQLite: the database file is created when missing, with the schema
 *	of db/schema.sqlite, in WAL mode with synchronous=FULL, so a
 *	committed transaction survives a crash of the process or machine.
 * DIAGNOSTICS
 *	Functions return 0 (or SQLDB_ROW/SQLDB_DONE) on success and -1 on
 *	failure; sqldb_error() then describes the last failure.  sqldb_open()
 *	writes its reason into err.
 */
#ifndef SQLDB_H
#define SQLDB_H
#include <stddef.h>

#include "dbopts.h"

enum sqldb_kind { SQLDB_SQLITE, SQLDB_MYSQL };
enum { SQLDB_ERR = -1, SQLDB_ROW = 1, SQLDB_DONE = 2 };

struct sqldb;
struct sqldb_stmt;

/* One backend: sqldb.c dispatches through this table. */
struct sqldb_ops {
	int (*open)(const struct dbopts *o, struct sqldb *db, char *err, size_t errlen);
	void (*close)(struct sqldb *db);
	int (*exec)(struct sqldb *db, const char *sql);
	int (*prepare)(struct sqldb *db, const char *sql, struct sqldb_stmt *st);
	int (*bind_int)(struct sqldb_stmt *st, int idx, long long v);
	int (*bind_text)(struct sqldb_stmt *st, int idx, const char *s);
	int (*step)(struct sqldb_stmt *st);
	long long (*column_int)(struct sqldb_stmt *st, int col);
	const char *(*column_text)(struct sqldb_stmt *st, int col);
	int (*reset)(struct sqldb_stmt *st);
	void (*finalize)(struct sqldb_stmt *st);
	long long (*last_id)(struct sqldb_stmt *st);
	long long (*affected)(struct sqldb_stmt *st);
};

struct sqldb {
	const struct sqldb_ops *ops;
	enum sqldb_kind kind;
	void *handle;	/* the backend's connection */
	char error[512];
};

struct sqldb_stmt {
	struct sqldb *db;
	void *handle;	/* the backend's statement */
	void *extra;	/* backend state (bound values, result row) */
};

extern const struct sqldb_ops sqldb_sqlite_ops;
extern const struct sqldb_ops sqldb_mysql_ops; /* NULL members when not built */

int sqldb_open(const struct dbopts *o, struct sqldb **dbp, char *err, size_t errlen);
void sqldb_close(struct sqldb **dbp);
enum sqldb_kind sqldb_kind(const struct sqldb *db);
const char *sqldb_error(const struct sqldb *db);
int sqldb_exec(struct sqldb *db, const char *sql);
int sqldb_prepare(struct sqldb *db, const char *sql, struct sqldb_stmt **stp);
int sqldb_bind_int(struct sqldb_stmt *st, int idx, long long v);
int sqldb_bind_ints(struct sqldb_stmt *st, int first, const long long *v, int n);
int sqldb_bind_text(struct sqldb_stmt *st, int idx, const char *s);
int sqldb_step(struct sqldb_stmt *st);
long long sqldb_column_int(struct sqldb_stmt *st, int col);
const char *sqldb_column_text(struct sqldb_stmt *st, int col);
int sqldb_reset(struct sqldb_stmt *st);
void sqldb_finalize(struct sqldb_stmt **stp);
long long sqldb_last_id(struct sqldb_stmt *st);
long long sqldb_affected(struct sqldb_stmt *st);
int sqldb_begin(struct sqldb *db);
int sqldb_commit(struct sqldb *db);
int sqldb_rollback(struct sqldb *db);

#endif
