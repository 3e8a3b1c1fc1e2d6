/*
 * NAME
 *	params - the requests row behind opendmarc-params
 * DESCRIPTION
 *	Contract in params.h.  find_or_add() is the one lookup: SELECT the
 *	ID, else INSERT (ignoring a row another process added first) and
 *	SELECT again.  The lock and its addresses are written in one
 *	transaction with the rows they need.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "params.h"

#define NAME_MAX_LEN 255

static const char show_sql[] =
	"SELECT r.repuri, r.adkim, r.aspf, r.policy, r.spolicy, r.pct, r.locked, r.lastsent"
	" FROM requests r JOIN domains d ON d.id = r.domain WHERE d.name = ?";

/* Run sql with one key bound: 1 with *id set from a row, 0 no row, -1 error. */
static int one_id(struct sqldb *db, const char *sql, const char *text, long long num,
		  long long *id)
{
	struct sqldb_stmt *st;
	int step = SQLDB_ERR;

	if (sqldb_prepare(db, sql, &st) != 0)
		return -1;
	if ((text != NULL ? sqldb_bind_text(st, 1, text) : sqldb_bind_int(st, 1, num)) == 0)
		step = sqldb_step(st);
	if (step == SQLDB_ROW)
		*id = sqldb_column_int(st, 0);
	sqldb_finalize(&st);
	return step == SQLDB_ROW ? 1 : step == SQLDB_DONE ? 0 : -1;
}

/* The ID of the row whose key column holds key (text, or num when text is NULL). */
static int find_or_add(struct sqldb *db, const char *table, const char *column, const char *text,
		       long long num, long long *id)
{
	char sel[160], ins[160];
	int rc;

	snprintf(sel, sizeof sel, "SELECT id FROM %s WHERE %s = ?", table, column);
	snprintf(ins, sizeof ins, "%s %s (%s) VALUES (?)",
		 sqldb_kind(db) == SQLDB_SQLITE ? "INSERT OR IGNORE INTO" : "INSERT IGNORE INTO",
		 table, column);
	rc = one_id(db, sel, text, num, id);
	if (rc == 0 && (rc = one_id(db, ins, text, num, id)) == 0)
		rc = one_id(db, sel, text, num, id);
	return rc == 1 ? 0 : -1;
}

static void lower(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static int check_values(const struct params_opts *o, char *err, size_t errlen)
{
	const char *p;

	if (o->domain == NULL || o->domain[0] == '\0' || strlen(o->domain) > NAME_MAX_LEN) {
		snprintf(err, errlen, "a domain name (up to %d bytes) is needed", NAME_MAX_LEN);
		return -1;
	}
	if (o->rua == NULL)
		return 0;
	if (strlen(o->rua) > PARAMS_RUA_MAX) {
		snprintf(err, errlen, "--rua: longer than %d bytes", PARAMS_RUA_MAX);
		return -1;
	}
	for (p = o->rua; *p != '\0'; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			snprintf(err, errlen, "--rua: white space or control character");
			return -1;
		}
	return 0;
}

static int update(struct sqldb *db, const struct params_opts *o, long long request)
{
	struct sqldb_stmt *st;
	int rc = -1;

	if (sqldb_prepare(db, o->unlock ? "UPDATE requests SET locked = 0 WHERE id = ?"
					: "UPDATE requests SET locked = 1, repuri = ? WHERE id = ?",
			  &st) != 0)
		return -1;
	if (o->unlock ? sqldb_bind_int(st, 1, request) == 0
		      : sqldb_bind_text(st, 1, o->rua != NULL ? o->rua : "") == 0 &&
				sqldb_bind_int(st, 2, request) == 0)
		rc = sqldb_step(st) == SQLDB_DONE ? 0 : -1;
	sqldb_finalize(&st);
	return rc;
}

int params_apply(struct sqldb *db, const struct params_opts *o, char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 1];
	long long domain, request;

	if (check_values(o, err, errlen) != 0)
		return -1;
	lower(name, o->domain, sizeof name);
	if (sqldb_begin(db) != 0)
		goto fail;
	if (find_or_add(db, "domains", "name", name, 0, &domain) != 0 ||
	    find_or_add(db, "requests", "domain", NULL, domain, &request) != 0 ||
	    update(db, o, request) != 0 || sqldb_commit(db) != 0) {
		sqldb_rollback(db);
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", name, sqldb_error(db));
	return -1;
}

static const char *alignment(long long v)
{
	return v == 'r' ? "relaxed" : v == 's' ? "strict" : v == 0 ? "-" : "?";
}

static const char *policy(long long v)
{
	return v == 'n'	  ? "none"
	       : v == 'q' ? "quarantine"
	       : v == 'r' ? "reject"
	       : v == 0	  ? "-"
			  : "?";
}

static void print_row(struct sqldb_stmt *st, const char *domain, FILE *out)
{
	fprintf(out, "domain    %s\n", domain);
	fprintf(out, "repuri    %s\n", sqldb_column_text(st, 0));
	fprintf(out, "adkim     %s\n", alignment(sqldb_column_int(st, 1)));
	fprintf(out, "aspf      %s\n", alignment(sqldb_column_int(st, 2)));
	fprintf(out, "p         %s\n", policy(sqldb_column_int(st, 3)));
	fprintf(out, "sp        %s\n", policy(sqldb_column_int(st, 4)));
	fprintf(out, "pct       %lld\n", sqldb_column_int(st, 5));
	fprintf(out, "locked    %s\n", sqldb_column_int(st, 6) == 1 ? "yes" : "no");
	fprintf(out, "lastsent  %s\n", sqldb_column_text(st, 7));
}

int params_show(struct sqldb *db, const char *domain, FILE *out)
{
	char name[NAME_MAX_LEN + 1];
	struct sqldb_stmt *st;
	int rc = -1;

	lower(name, domain, sizeof name);
	if (sqldb_prepare(db, show_sql, &st) != 0)
		return -1;
	if (sqldb_bind_text(st, 1, name) == 0) {
		int step = sqldb_step(st);

		if (step == SQLDB_ROW)
			print_row(st, name, out);
		rc = step == SQLDB_ROW ? 1 : step == SQLDB_DONE ? 0 : -1;
	}
	sqldb_finalize(&st);
	return rc;
}
