/*
 * NAME
 *	checkpoint - the import_checkpoint table
 * DESCRIPTION
 *	Contract in checkpoint.h.  Two prepared statements; the upsert is
 *	written in each dialect (SQLite's ON CONFLICT, MySQL's ON DUPLICATE
 *	KEY).  The hash is stored as a signed 64-bit value (BIGINT).
 */
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "xalloc.h"

struct checkpoint {
	struct sqldb_stmt *get, *put, *del;
};

static const char ckpt_delete[] =
	"DELETE FROM import_checkpoint WHERE dev = ? AND ino = ? AND head_hash = ?";

static const char ckpt_select[] =
	"SELECT byte_offset, records, rejects FROM import_checkpoint"
	" WHERE dev = ? AND ino = ? AND head_hash = ?";

static const char ckpt_upsert_sqlite[] =
	"INSERT INTO import_checkpoint (dev, ino, head_hash, path, byte_offset, records, rejects)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dev, ino, head_hash) DO UPDATE SET"
	" path = excluded.path, byte_offset = excluded.byte_offset, records = excluded.records,"
	" rejects = excluded.rejects, updated = CURRENT_TIMESTAMP";

static const char ckpt_upsert_mysql[] =
	"INSERT INTO import_checkpoint (dev, ino, head_hash, path, byte_offset, records, rejects)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	" path = VALUES(path), byte_offset = VALUES(byte_offset), records = VALUES(records),"
	" rejects = VALUES(rejects), updated = CURRENT_TIMESTAMP";

uint64_t checkpoint_hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int checkpoint_open(struct sqldb *db, struct checkpoint **cp)
{
	struct checkpoint *c = xcalloc(1, sizeof *c);

	*cp = c;
	if (sqldb_prepare(db, ckpt_select, &c->get) != 0 ||
	    sqldb_prepare(db, sqldb_kind(db) == SQLDB_SQLITE ? ckpt_upsert_sqlite : ckpt_upsert_mysql,
			  &c->put) != 0 ||
	    sqldb_prepare(db, ckpt_delete, &c->del) != 0) {
		checkpoint_close(cp);
		return -1;
	}
	return 0;
}

static int bind_id(struct sqldb_stmt *st, const struct ckpt_id *id)
{
	return sqldb_bind_int(st, 1, id->dev) != 0 || sqldb_bind_int(st, 2, id->ino) != 0 ||
			       sqldb_bind_int(st, 3, (long long)id->head) != 0
		       ? -1
		       : 0;
}

int checkpoint_get(struct checkpoint *c, const struct ckpt_id *id, struct ckpt_pos *pos)
{
	int rc = -1;

	memset(pos, 0, sizeof *pos);
	if (bind_id(c->get, id) == 0)
		rc = sqldb_step(c->get);
	if (rc == SQLDB_ROW) {
		pos->offset = sqldb_column_int(c->get, 0);
		pos->records = sqldb_column_int(c->get, 1);
		pos->rejects = sqldb_column_int(c->get, 2);
	}
	sqldb_reset(c->get);
	return rc == SQLDB_ROW ? 1 : rc == SQLDB_DONE ? 0 : -1;
}

int checkpoint_put(struct checkpoint *c, const struct ckpt_id *id, const char *path,
		   const struct ckpt_pos *pos)
{
	struct sqldb_stmt *st = c->put;
	int rc = -1;

	if (bind_id(st, id) == 0 && sqldb_bind_text(st, 4, path) == 0 &&
	    sqldb_bind_int(st, 5, pos->offset) == 0 && sqldb_bind_int(st, 6, pos->records) == 0 &&
	    sqldb_bind_int(st, 7, pos->rejects) == 0)
		rc = sqldb_step(st);
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

int checkpoint_forget(struct checkpoint *c, const struct ckpt_id *id)
{
	int rc = -1;

	if (bind_id(c->del, id) == 0)
		rc = sqldb_step(c->del);
	sqldb_reset(c->del);
	return rc == SQLDB_DONE ? 0 : -1;
}

void checkpoint_close(struct checkpoint **cp)
{
	if (*cp == NULL)
		return;
	sqldb_finalize(&(*cp)->get);
	sqldb_finalize(&(*cp)->put);
	sqldb_finalize(&(*cp)->del);
	free(*cp);
	*cp = NULL;
}
