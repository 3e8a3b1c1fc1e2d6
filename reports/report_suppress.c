/*
 * NAME
 *	report_suppress - the suppression list
 * DESCRIPTION
 *	Contract in report_suppress.h.  The list is small and read once
 *	per run into memory; matching is a linear scan.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_suppress.h"
#include "xalloc.h"

struct suppress {
	char **entries;
	size_t n;
};

static char *normalize(const char *dest)
{
	char *s;
	size_t i;

	while (isspace((unsigned char)*dest))
		dest++;
	if (*dest == '@')
		dest++;
	s = xstrdup(dest);
	for (i = 0; s[i] != '\0'; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	while (i > 0 && (isspace((unsigned char)s[i - 1]) || s[i - 1] == '.'))
		s[--i] = '\0';
	return s;
}

static int change(struct sqldb *db, const char *sql, const char *dest)
{
	struct sqldb_stmt *st;
	char *d = normalize(dest);
	int rc = -1;

	if (d[0] != '\0' && sqldb_prepare(db, sql, &st) == 0) {
		if (sqldb_bind_text(st, 1, d) == 0)
			rc = sqldb_step(st) == SQLDB_DONE ? 0 : -1;
		sqldb_finalize(&st);
	}
	free(d);
	return rc;
}

int suppress_add(struct sqldb *db, const char *dest)
{
	return change(db, sqldb_kind(db) == SQLDB_SQLITE
				  ? "INSERT OR IGNORE INTO report_suppress (dest) VALUES (?)"
				  : "INSERT IGNORE INTO report_suppress (dest) VALUES (?)",
		      dest);
}

int suppress_remove(struct sqldb *db, const char *dest)
{
	return change(db, "DELETE FROM report_suppress WHERE dest = ?", dest);
}

int suppress_load(struct sqldb *db, struct suppress **sp)
{
	struct suppress *s = xcalloc(1, sizeof *s);
	struct sqldb_stmt *st;
	size_t cap = 0;
	int rc = -1;

	*sp = s;
	if (sqldb_prepare(db, "SELECT dest FROM report_suppress", &st) != 0)
		return -1;
	while ((rc = sqldb_step(st)) == SQLDB_ROW) {
		if (s->n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			s->entries = xrealloc(s->entries, cap * sizeof *s->entries);
		}
		s->entries[s->n++] = xstrdup(sqldb_column_text(st, 0));
	}
	sqldb_finalize(&st);
	return rc == SQLDB_DONE ? 0 : -1;
}

/* Is domain d the entry e or a subdomain of it? */
static int domain_match(const char *d, const char *e)
{
	size_t dl = strlen(d), el = strlen(e);

	if (dl < el || strcasecmp(d + dl - el, e) != 0)
		return 0;
	return dl == el || d[dl - el - 1] == '.';
}

int suppress_match(const struct suppress *s, const char *rcpt)
{
	const char *at = strrchr(rcpt, '@');
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++) {
		const char *e = s->entries[i];

		if (strchr(e, '@') != NULL ? strcasecmp(e, rcpt) == 0
					   : at != NULL && domain_match(at + 1, e))
			return 1;
	}
	return 0;
}

int suppress_list(struct sqldb *db, FILE *out)
{
	struct suppress *s;
	size_t i;
	int rc = suppress_load(db, &s);

	for (i = 0; rc == 0 && i < s->n; i++)
		fprintf(out, "%s\n", s->entries[i]);
	suppress_free(&s);
	return rc;
}

void suppress_free(struct suppress **sp)
{
	struct suppress *s = *sp;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->entries[i]);
	free(s->entries);
	free(s);
	*sp = NULL;
}
