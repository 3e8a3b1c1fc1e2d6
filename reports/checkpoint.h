/*
 * NAME
 *	checkpoint - how far each history file has been imported
 * SYNOPSIS
 *	checkpoint_open(db, &c);
 *	id.dev = st.st_dev; id.ino = st.st_ino; id.head = checkpoint_hash(p, n);
 *	rc = checkpoint_get(c, &id, &pos);
 *	checkpoint_put(c, &id, path, &pos);	(in the transaction of the rows)
 *	checkpoint_forget(c, &id);		(the file is gone: drop its row)
 *	checkpoint_close(&c);
 * DESCRIPTION
 *	A file is known by device, inode and a 64-bit FNV-1a hash of its
 *	first record: renaming a file (rotation) keeps its place, a new file
 *	at the same path (or a truncated and rewritten one) starts at 0.
 *	struct ckpt_pos carries the byte offset up to which every record is
 *	in the database (or in the reject file) and running totals.
 *	checkpoint_put() writes the row through the caller's connection, so
 *	it commits or rolls back with the rows it accounts for.
 * DIAGNOSTICS
 *	checkpoint_get() returns 1 when the file is known, 0 when not (pos
 *	zeroed), -1 on a database error; the others return 0 or -1.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H
#include <stddef.h>
#include <stdint.h>

#include "sqldb.h"

struct ckpt_id {
	long long dev, ino;
	uint64_t head;
};

struct ckpt_pos {
	long long offset, records, rejects;
};

struct checkpoint;

uint64_t checkpoint_hash(const char *p, size_t n);
int checkpoint_open(struct sqldb *db, struct checkpoint **cp);
int checkpoint_get(struct checkpoint *c, const struct ckpt_id *id, struct ckpt_pos *pos);
int checkpoint_put(struct checkpoint *c, const struct ckpt_id *id, const char *path,
		   const struct ckpt_pos *pos);
int checkpoint_forget(struct checkpoint *c, const struct ckpt_id *id);
void checkpoint_close(struct checkpoint **cp);

#endif
