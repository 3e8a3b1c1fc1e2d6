/*
 * NAME
 *	report_suppress - destinations that must never get reports
 * SYNOPSIS
 *	suppress_add(db, "dmarc@annoyed.example"); suppress_remove(db, ...);
 *	suppress_load(db, &s); if (suppress_match(s, rcpt)) ...; suppress_free(&s);
 *	suppress_list(db, stdout);
 * DESCRIPTION
 *	The list lives in the report_suppress table, so every host sharing
 *	the database honours it.  An entry is an address ("a@b.example",
 *	matched exactly, case-insensitively) or a domain ("b.example" or
 *	"@b.example", matching addresses at that domain or any subdomain).
 *	Entries are stored lower-case.
 * DIAGNOSTICS
 *	suppress_add() and suppress_remove() return 0 (also when there was
 *	nothing to do) or -1 with sqldb_error() set, and -1 for an empty
 *	entry; suppress_load() and suppress_list() return 0 or -1.
 */
#ifndef REPORT_SUPPRESS_H
#define REPORT_SUPPRESS_H
#include <stdio.h>

#include "sqldb.h"

struct suppress;

int suppress_add(struct sqldb *db, const char *dest);
int suppress_remove(struct sqldb *db, const char *dest);
int suppress_list(struct sqldb *db, FILE *out);
int suppress_load(struct sqldb *db, struct suppress **sp);
int suppress_match(const struct suppress *s, const char *rcpt);
void suppress_free(struct suppress **sp);

#endif
