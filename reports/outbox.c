/*
 * NAME
 *	outbox - the report outbox: spool files plus two tables
 * DESCRIPTION
 *	Contract in outbox.h.  Statements are prepared once in
 *	outbox_open() from the table stmts[]; SQL text holds no values.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outbox.h"
#include "xalloc.h"

enum { S_EXISTS, S_ADD, S_ADD_DL, S_DUE, S_RESULT, S_STATES, S_SET_STATE, S_FILE, S_OPEN_FILES,
       S_LIST, S_NSTMT };

static const char *const stmts[S_NSTMT] = {
	[S_EXISTS] = "SELECT id FROM report_outbox WHERE domain = ? AND period_begin = ?"
		     " AND period_end = ?",
	[S_ADD] = "INSERT INTO report_outbox (domain, domain_name, period_begin, period_end,"
		  " report_id, filename, format, messages, bytes, queued)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_ADD_DL] = "INSERT INTO report_delivery (report, rcpt, maxbytes, copy) VALUES (?, ?, ?, ?)",
	[S_DUE] = "SELECT d.id, d.report, d.rcpt, d.maxbytes, d.copy, d.attempts, o.domain,"
		  " o.domain_name, o.period_begin, o.period_end, o.report_id, o.filename, o.queued"
		  " FROM report_delivery d JOIN report_outbox o ON o.id = d.report"
		  " WHERE d.state = 0 AND d.next_try <= ? ORDER BY d.report, d.id",
	[S_RESULT] = "UPDATE report_delivery SET state = ?, attempts = ?, next_try = ?,"
		     " last_try = ?, last_error = ? WHERE id = ?",
	[S_STATES] = "SELECT state, copy FROM report_delivery WHERE report = ?",
	[S_SET_STATE] = "UPDATE report_outbox SET state = ? WHERE id = ?",
	[S_FILE] = "SELECT filename FROM report_outbox WHERE id = ?",
	[S_OPEN_FILES] = "SELECT filename FROM report_outbox WHERE state = 0",
	[S_LIST] = "SELECT d.id, o.domain_name, o.period_begin, o.period_end, d.rcpt, d.state,"
		   " d.attempts, d.last_error, o.filename, d.copy"
		   " FROM report_delivery d JOIN report_outbox o ON o.id = d.report"
		   " ORDER BY o.id, d.id",
};

struct outbox {
	struct sqldb *db;
	struct sqldb_stmt *st[S_NSTMT];
	char *dir;
	int lockfd;
};

static int lock_dir(struct outbox *ob, char *err, size_t errlen)
{
	char path[4096];

	if (mkdir(ob->dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", ob->dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/.lock", ob->dir);
	ob->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (ob->lockfd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(ob->lockfd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "%s: %s", path,
			 errno == EWOULDBLOCK ? "another opendmarc-reports run holds the outbox"
					      : strerror(errno));
		return -1;
	}
	return 0;
}

int outbox_open(struct sqldb *db, const char *dir, struct outbox **obp, char *err, size_t errlen)
{
	struct outbox *ob = xcalloc(1, sizeof *ob);
	int i;

	ob->db = db;
	ob->dir = xstrdup(dir);
	ob->lockfd = -1;
	*obp = ob;
	if (lock_dir(ob, err, errlen) != 0) {
		outbox_close(obp);
		return -1;
	}
	for (i = 0; i < S_NSTMT; i++)
		if (sqldb_prepare(db, stmts[i], &ob->st[i]) != 0) {
			snprintf(err, errlen, "outbox: %s", sqldb_error(db));
			outbox_close(obp);
			return -1;
		}
	return 0;
}

void outbox_close(struct outbox **obp)
{
	struct outbox *ob = *obp;
	int i;

	if (ob == NULL)
		return;
	for (i = 0; i < S_NSTMT; i++)
		sqldb_finalize(&ob->st[i]);
	if (ob->lockfd >= 0)
		close(ob->lockfd);
	free(ob->dir);
	free(ob);
	*obp = NULL;
}

/* Step a statement that returns no rows, then reset it. */
static int run(struct sqldb_stmt *st, long long *last_id)
{
	int rc = sqldb_step(st);

	if (rc == SQLDB_DONE && last_id != NULL)
		*last_id = sqldb_last_id(st);
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

int outbox_exists(struct outbox *ob, long long domain_id, long long begin, long long end)
{
	struct sqldb_stmt *st = ob->st[S_EXISTS];
	long long v[] = { domain_id, begin, end };
	int rc = -1;

	if (sqldb_bind_ints(st, 1, v, 3) == 0)
		rc = sqldb_step(st);
	sqldb_reset(st);
	return rc == SQLDB_ROW ? 1 : rc == SQLDB_DONE ? 0 : -1;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Write the file durably under its final name. */
static int spool_write(struct outbox *ob, const char *name, const void *p, size_t n)
{
	char tmp[4096], path[4096];
	int fd, rc = 0;

	snprintf(tmp, sizeof tmp, "%s/.tmp.%s", ob->dir, name);
	snprintf(path, sizeof path, "%s/%s", ob->dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, p, n) != (ssize_t)n || fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0 || rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return sync_dir(ob->dir);
}

int outbox_add(struct outbox *ob, const struct ob_report *r, const void *gz, size_t gzlen,
	       long long *id)
{
	struct sqldb_stmt *st = ob->st[S_ADD];
	long long tail[] = { r->format, r->messages, (long long)gzlen, (long long)r->queued };

	if (spool_write(ob, r->filename, gz, gzlen) != 0) {
		snprintf(ob->db->error, sizeof ob->db->error, "%s/%s: %s", ob->dir, r->filename,
			 strerror(errno));
		return -1;
	}
	if (sqldb_bind_int(st, 1, r->domain_id) != 0 || sqldb_bind_text(st, 2, r->domain) != 0 ||
	    sqldb_bind_int(st, 3, r->begin) != 0 || sqldb_bind_int(st, 4, r->end) != 0 ||
	    sqldb_bind_text(st, 5, r->report_id) != 0 || sqldb_bind_text(st, 6, r->filename) != 0 ||
	    sqldb_bind_ints(st, 7, tail, 4) != 0) {
		sqldb_reset(st);
		return -1;
	}
	return run(st, id);
}

int outbox_add_delivery(struct outbox *ob, long long report, const char *rcpt,
			long long maxbytes, int copy)
{
	struct sqldb_stmt *st = ob->st[S_ADD_DL];

	if (sqldb_bind_int(st, 1, report) != 0 || sqldb_bind_text(st, 2, rcpt) != 0 ||
	    sqldb_bind_int(st, 3, maxbytes) != 0 || sqldb_bind_int(st, 4, copy) != 0) {
		sqldb_reset(st);
		return -1;
	}
	return run(st, NULL);
}

static void text(struct sqldb_stmt *st, int col, char *dst, size_t size)
{
	snprintf(dst, size, "%s", sqldb_column_text(st, col));
}

static void read_due(struct sqldb_stmt *st, struct ob_delivery *d)
{
	d->id = sqldb_column_int(st, 0);
	d->report = sqldb_column_int(st, 1);
	text(st, 2, d->rcpt, sizeof d->rcpt);
	d->maxbytes = sqldb_column_int(st, 3);
	d->copy = (int)sqldb_column_int(st, 4);
	d->attempts = (int)sqldb_column_int(st, 5);
	d->domain_id = sqldb_column_int(st, 6);
	text(st, 7, d->domain, sizeof d->domain);
	d->begin = sqldb_column_int(st, 8);
	d->end = sqldb_column_int(st, 9);
	text(st, 10, d->report_id, sizeof d->report_id);
	text(st, 11, d->filename, sizeof d->filename);
	d->queued = sqldb_column_int(st, 12);
}

int outbox_due(struct outbox *ob, time_t now, struct ob_delivery **list, size_t *n)
{
	struct sqldb_stmt *st = ob->st[S_DUE];
	size_t cap = 0;
	int rc;

	*list = NULL;
	*n = 0;
	if (sqldb_bind_int(st, 1, (long long)now) != 0)
		return -1;
	while ((rc = sqldb_step(st)) == SQLDB_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*list = xrealloc(*list, cap * sizeof **list);
		}
		read_due(st, &(*list)[(*n)++]);
	}
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

int outbox_read(struct outbox *ob, const char *filename, struct strbuf *gz)
{
	char path[4096], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", ob->dir, filename);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_add(gz, buf, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

int outbox_result(struct outbox *ob, long long id, enum dl_state state, int attempts,
		  long long next_try, long long now, const char *error)
{
	struct sqldb_stmt *st = ob->st[S_RESULT];
	long long v[] = { state, attempts, next_try, now };
	char why[512];

	snprintf(why, sizeof why, "%s", error != NULL ? error : "");
	if (sqldb_bind_ints(st, 1, v, 4) != 0 || sqldb_bind_text(st, 5, why) != 0 ||
	    sqldb_bind_int(st, 6, id) != 0) {
		sqldb_reset(st);
		return -1;
	}
	return run(st, NULL);
}

/* Pending deliveries of a report, and whether a rua destination has it. */
static int tally(struct outbox *ob, long long report, int *pending, int *delivered)
{
	struct sqldb_stmt *st = ob->st[S_STATES];
	int rc;

	*pending = *delivered = 0;
	if (sqldb_bind_int(st, 1, report) != 0)
		return -1;
	while ((rc = sqldb_step(st)) == SQLDB_ROW) {
		long long state = sqldb_column_int(st, 0);

		*pending += state == DL_PENDING;
		*delivered |= sqldb_column_int(st, 1) == 0 &&
			      (state == DL_SENT || state == DL_NOTICE || state == DL_SUPPRESSED);
	}
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

static void spool_remove(struct outbox *ob, long long report)
{
	struct sqldb_stmt *st = ob->st[S_FILE];
	char path[4096];

	if (sqldb_bind_int(st, 1, report) == 0 && sqldb_step(st) == SQLDB_ROW) {
		snprintf(path, sizeof path, "%s/%s", ob->dir, sqldb_column_text(st, 0));
		unlink(path);
	}
	sqldb_reset(st);
}

int outbox_settle(struct outbox *ob, long long report, int *delivered)
{
	struct sqldb_stmt *st = ob->st[S_SET_STATE];
	int pending;

	if (tally(ob, report, &pending, delivered) != 0)
		return -1;
	if (pending > 0)
		return 0;
	if (sqldb_bind_int(st, 1, *delivered ? OB_DELIVERED : OB_UNDELIVERABLE) != 0 ||
	    sqldb_bind_int(st, 2, report) != 0 || run(st, NULL) != 0) {
		sqldb_reset(st);
		return -1;
	}
	spool_remove(ob, report);
	return 1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The spool file names open reports use, sorted for bsearch. */
static int open_files(struct outbox *ob, char ***names, size_t *n)
{
	struct sqldb_stmt *st = ob->st[S_OPEN_FILES];
	size_t cap = 0;
	int rc;

	*names = NULL;
	*n = 0;
	while ((rc = sqldb_step(st)) == SQLDB_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*names = xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = xstrdup(sqldb_column_text(st, 0));
	}
	sqldb_reset(st);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, name_cmp);
	return rc == SQLDB_DONE ? 0 : -1;
}

int outbox_sweep(struct outbox *ob)
{
	char **names, path[4096];
	struct dirent *e;
	size_t i, n;
	DIR *d;
	int rc = open_files(ob, &names, &n);

	d = rc == 0 ? opendir(ob->dir) : NULL;
	while (d != NULL && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;

		if (name[0] == '.' && strncmp(name, ".tmp.", 5) != 0)
			continue; /* ".", "..", ".lock" */
		if (n > 0 && bsearch(&name, names, n, sizeof *names, name_cmp) != NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", ob->dir, name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

const char *outbox_state_name(enum dl_state s)
{
	static const char *const names[] = { "pending", "sent", "too-large-notice", "failed",
					     "refused", "suppressed" };

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

int outbox_list(struct outbox *ob, FILE *out)
{
	struct sqldb_stmt *st = ob->st[S_LIST];
	int rc;

	while ((rc = sqldb_step(st)) == SQLDB_ROW)
		fprintf(out, "%lld\t%s\t%lld\t%lld\t%s%s\t%s\t%lld\t%s\t%s\n",
			sqldb_column_int(st, 0), sqldb_column_text(st, 1),
			sqldb_column_int(st, 2), sqldb_column_int(st, 3),
			sqldb_column_int(st, 9) ? "copy:" : "", sqldb_column_text(st, 4),
			outbox_state_name((enum dl_state)sqldb_column_int(st, 5)),
			sqldb_column_int(st, 6), sqldb_column_text(st, 8),
			sqldb_column_text(st, 7));
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}
