/*
 * NAME
 *	store - one history record into OpenDMARC's nine tables
 * SYNOPSIS
 *	if (store_open(db, &s) != 0) ...;
 *	rc = store_record(s, &rec);	(inside the caller's transaction)
 *	store_forget(s);		(after a ROLLBACK)
 *	store_close(&s);
 *	if (store_upgrade(db) != 0) ...;	(store_open() calls it)
 * DESCRIPTION
 *	Does what OpenDMARC's opendmarc-import does for a record, with
 *	prepared statements and an ID cache: reporter, From:, envelope and
 *	policy domains, client address and the From: domain's request row
 *	get an ID (created when new); the message row is inserted with the
 *	record's date; each DKIM signature (domain, selector, ARES result,
 *	error = temperror/permerror) and each ARC set of arc_policy go to
 *	signatures, arcauthresults and arcseals; and, unless the request
 *	is locked, its rua list (comma-joined, cut at a URI boundary to fit
 *	255 bytes), adkim, aspf, p, sp and pct are updated, and so are our
 *	columns fo, npolicy, testing and discovery (the history record's
 *	extension keys, same codes) when the record carries them; a record
 *	without them (OpenDMARC's, older ours) leaves them as they are
 *	(NULL until a record says).  From:, envelope and policy domains are
 *	lower-cased, as OpenDMARC's importer does.  Unlike it, an empty
 *	envelope domain (bounces) is kept, not dropped.
 *
 *	The unique key (reporter, date, jobid) of messages makes a record
 *	that is already there a no-op: importing the same file twice, or
 *	the same record from two copies of a file, adds nothing.
 *
 *	store_upgrade() makes sure requests has the columns this version
 *	added: SQLite databases made before them get them (ALTER TABLE,
 *	safe against a concurrent upgrade); a MySQL/MariaDB database is
 *	upgraded by db/upgrade-from-opendmarc.mysql, and lacking them is
 *	an error naming that file.
 * DIAGNOSTICS
 *	store_record() returns 1 when the record was added, 0 when it was
 *	already there, -1 on a database error (sqldb_error() tells; the
 *	caller must roll back and call store_forget()).  store_open() and
 *	store_upgrade() return 0, or -1 with sqldb_error() telling why.
 */
#ifndef STORE_H
#define STORE_H

#include "history.h"
#include "sqldb.h"

struct store;

int store_open(struct sqldb *db, struct store **sp);
int store_upgrade(struct sqldb *db);
int store_record(struct store *s, const struct history_record *rec);
void store_forget(struct store *s);
void store_close(struct store **sp);

#endif
