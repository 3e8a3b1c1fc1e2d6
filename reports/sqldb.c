/*
 * NAME
 *	sqldb - backend-neutral face of the SQL seam
 * DESCRIPTION
 *	Contract in sqldb.h.  Picks the backend from the resolved options
 *	and forwards every call through its struct sqldb_ops; transactions
 *	are plain statements in each dialect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqldb.h"
#include "xalloc.h"

int sqldb_open(const struct dbopts *o, struct sqldb **dbp, char *err, size_t errlen)
{
	const struct sqldb_ops *ops = o->backend == DBOPTS_MYSQL ? &sqldb_mysql_ops
								 : &sqldb_sqlite_ops;
	struct sqldb *db;

	*dbp = NULL;
	if (ops->open == NULL) {
		snprintf(err, errlen, "this build has no MySQL/MariaDB support");
		return -1;
	}
	db = xcalloc(1, sizeof *db);
	db->ops = ops;
	db->kind = o->backend == DBOPTS_MYSQL ? SQLDB_MYSQL : SQLDB_SQLITE;
	if (ops->open(o, db, err, errlen) != 0) {
		free(db);
		return -1;
	}
	*dbp = db;
	return 0;
}

void sqldb_close(struct sqldb **dbp)
{
	if (*dbp == NULL)
		return;
	(*dbp)->ops->close(*dbp);
	free(*dbp);
	*dbp = NULL;
}

enum sqldb_kind sqldb_kind(const struct sqldb *db)
{
	return db->kind;
}

const char *sqldb_error(const struct sqldb *db)
{
	return db->error;
}

int sqldb_exec(struct sqldb *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

int sqldb_prepare(struct sqldb *db, const char *sql, struct sqldb_stmt **stp)
{
	struct sqldb_stmt *st = xcalloc(1, sizeof *st);

	st->db = db;
	if (db->ops->prepare(db, sql, st) != 0) {
		free(st);
		*stp = NULL;
		return -1;
	}
	*stp = st;
	return 0;
}

int sqldb_bind_int(struct sqldb_stmt *st, int idx, long long v)
{
	return st->db->ops->bind_int(st, idx, v);
}

int sqldb_bind_ints(struct sqldb_stmt *st, int first, const long long *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (sqldb_bind_int(st, first + i, v[i]) != 0)
			return -1;
	return 0;
}

int sqldb_bind_text(struct sqldb_stmt *st, int idx, const char *s)
{
	return st->db->ops->bind_text(st, idx, s);
}

int sqldb_step(struct sqldb_stmt *st)
{
	return st->db->ops->step(st);
}

long long sqldb_column_int(struct sqldb_stmt *st, int col)
{
	return st->db->ops->column_int(st, col);
}

const char *sqldb_column_text(struct sqldb_stmt *st, int col)
{
	return st->db->ops->column_text(st, col);
}

int sqldb_reset(struct sqldb_stmt *st)
{
	return st->db->ops->reset(st);
}

void sqldb_finalize(struct sqldb_stmt **stp)
{
	if (*stp == NULL)
		return;
	(*stp)->db->ops->finalize(*stp);
	free(*stp);
	*stp = NULL;
}

long long sqldb_last_id(struct sqldb_stmt *st)
{
	return st->db->ops->last_id(st);
}

long long sqldb_affected(struct sqldb_stmt *st)
{
	return st->db->ops->affected(st);
}

int sqldb_begin(struct sqldb *db)
{
	return sqldb_exec(db, db->kind == SQLDB_SQLITE ? "BEGIN IMMEDIATE" : "START TRANSACTION");
}

int sqldb_commit(struct sqldb *db)
{
	return sqldb_exec(db, "COMMIT");
}

int sqldb_rollback(struct sqldb *db)
{
	return sqldb_exec(db, "ROLLBACK");
}
