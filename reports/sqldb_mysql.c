/*
 * NAME
 *	sqldb_mysql - the MySQL/MariaDB backend of the SQL seam
 *	(MariaDB Connector/C, server-side prepared statements only)
 * DESCRIPTION
 *	Contract in sqldb.h.  The connection honours host, port, socket,
 *	user and password as the mysql client does ("localhost" is the
 *	Unix socket, given or compiled in; any other host is TCP), sets the
 *	session time zone to UTC, and never reconnects behind the caller's
 *	back (a lost connection fails the transaction, which the caller
 *	rolls back and reports).  Parameters are bound as 64-bit integers
 *	or strings; results are buffered (mysql_stmt_store_result) and read
 *	as text, so several statements can be in use at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "sqldb.h"
#include "xalloc.h"

#define MY_MAXPARAM 16
#define MY_MAXCOL 24
#define MY_COLBUF 1024

struct my_stmt {
	MYSQL_BIND param[MY_MAXPARAM];
	long long ints[MY_MAXPARAM];
	char *texts[MY_MAXPARAM];
	unsigned long lens[MY_MAXPARAM];
	int nparam;
	MYSQL_BIND col[MY_MAXCOL];
	char colbuf[MY_MAXCOL][MY_COLBUF];
	unsigned long collen[MY_MAXCOL];
	my_bool colnull[MY_MAXCOL];
	int ncol;
	int executed;
	long long affected, last_id;
};

static MYSQL *my(struct sqldb *db)
{
	return db->handle;
}

static MYSQL_STMT *my_st(struct sqldb_stmt *st)
{
	return st->handle;
}

static struct my_stmt *my_x(struct sqldb_stmt *st)
{
	return st->extra;
}

static int my_fail(struct sqldb *db, const char *what, const char *msg)
{
	snprintf(db->error, sizeof db->error, "%s: %s", what, msg);
	return -1;
}

static int my_exec(struct sqldb *db, const char *sql)
{
	if (mysql_query(my(db), sql) != 0)
		return my_fail(db, "query", mysql_error(my(db)));
	do {
		MYSQL_RES *res = mysql_store_result(my(db));

		if (res != NULL)
			mysql_free_result(res);
	} while (mysql_next_result(my(db)) == 0);
	return 0;
}

/* --dbtls=on: the connection must be encrypted; verify: and the server's
 * certificate must check against --dbtls-ca (or the system's CAs). */
static void my_tls(MYSQL *h, const struct dbopts *o)
{
	my_bool on = 1;

	if (o->tls[0] == '\0' || strcmp(o->tls, "off") == 0)
		return;
	mysql_options(h, MYSQL_OPT_SSL_ENFORCE, &on);
	if (o->tls_ca[0] != '\0')
		mysql_options(h, MYSQL_OPT_SSL_CA, o->tls_ca);
	if (strcmp(o->tls, "verify") == 0)
		mysql_options(h, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
}

static int my_open(const struct dbopts *o, struct sqldb *db, char *err, size_t errlen)
{
	MYSQL *h = mysql_init(NULL);
	my_bool off = 0;
	unsigned timeout = 30;

	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mysql_options(h, MYSQL_OPT_RECONNECT, &off);
	mysql_options(h, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	my_tls(h, o);
	if (mysql_real_connect(h, o->host, o->user, o->passwd, o->name, o->port,
			       o->socket[0] != '\0' ? o->socket : NULL,
			       CLIENT_MULTI_STATEMENTS) == NULL) {
		snprintf(err, errlen, "%s", mysql_error(h));
		mysql_close(h);
		return -1;
	}
	db->handle = h;
	if (my_exec(db, "SET time_zone = '+00:00'") != 0) {
		snprintf(err, errlen, "%s", db->error);
		mysql_close(h);
		return -1;
	}
	return 0;
}

static void my_close(struct sqldb *db)
{
	mysql_close(my(db));
	db->handle = NULL;
}

static int my_prepare(struct sqldb *db, const char *sql, struct sqldb_stmt *st)
{
	MYSQL_STMT *h = mysql_stmt_init(my(db));
	struct my_stmt *x;

	if (h == NULL)
		return my_fail(db, "prepare", mysql_error(my(db)));
	if (mysql_stmt_prepare(h, sql, (unsigned long)strlen(sql)) != 0) {
		my_fail(db, "prepare", mysql_stmt_error(h));
		mysql_stmt_close(h);
		return -1;
	}
	x = xcalloc(1, sizeof *x);
	x->nparam = (int)mysql_stmt_param_count(h);
	if (x->nparam > MY_MAXPARAM) {
		free(x);
		mysql_stmt_close(h);
		return my_fail(db, "prepare", "too many parameters");
	}
	st->handle = h;
	st->extra = x;
	return 0;
}

static MYSQL_BIND *my_param(struct sqldb_stmt *st, int idx)
{
	struct my_stmt *x = my_x(st);

	if (idx < 1 || idx > x->nparam) {
		my_fail(st->db, "bind", "parameter index out of range");
		return NULL;
	}
	free(x->texts[idx - 1]);
	x->texts[idx - 1] = NULL;
	memset(&x->param[idx - 1], 0, sizeof x->param[0]);
	return &x->param[idx - 1];
}

static int my_bind_int(struct sqldb_stmt *st, int idx, long long v)
{
	MYSQL_BIND *b = my_param(st, idx);

	if (b == NULL)
		return -1;
	my_x(st)->ints[idx - 1] = v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &my_x(st)->ints[idx - 1];
	return 0;
}

static int my_bind_text(struct sqldb_stmt *st, int idx, const char *s)
{
	MYSQL_BIND *b = my_param(st, idx);
	struct my_stmt *x = my_x(st);

	if (b == NULL)
		return -1;
	x->texts[idx - 1] = xstrdup(s);
	x->lens[idx - 1] = (unsigned long)strlen(s);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = x->texts[idx - 1];
	b->buffer_length = x->lens[idx - 1];
	b->length = &x->lens[idx - 1];
	return 0;
}

/* Bind every result column as text into the statement's buffers. */
static int my_bind_result(struct sqldb_stmt *st, MYSQL_RES *meta)
{
	struct my_stmt *x = my_x(st);
	int i;

	x->ncol = (int)mysql_num_fields(meta);
	mysql_free_result(meta);
	if (x->ncol > MY_MAXCOL)
		return my_fail(st->db, "step", "too many result columns");
	memset(x->col, 0, sizeof x->col);
	for (i = 0; i < x->ncol; i++) {
		x->col[i].buffer_type = MYSQL_TYPE_STRING;
		x->col[i].buffer = x->colbuf[i];
		x->col[i].buffer_length = MY_COLBUF - 1;
		x->col[i].length = &x->collen[i];
		x->col[i].is_null = &x->colnull[i];
	}
	if (mysql_stmt_bind_result(my_st(st), x->col) != 0 || mysql_stmt_store_result(my_st(st)) != 0)
		return my_fail(st->db, "step", mysql_stmt_error(my_st(st)));
	return 0;
}

static int my_execute(struct sqldb_stmt *st)
{
	struct my_stmt *x = my_x(st);
	MYSQL_STMT *h = my_st(st);
	MYSQL_RES *meta;

	x->executed = 1;
	x->ncol = 0;
	if ((x->nparam > 0 && mysql_stmt_bind_param(h, x->param) != 0) || mysql_stmt_execute(h) != 0)
		return my_fail(st->db, "step", mysql_stmt_error(h));
	x->affected = (long long)mysql_stmt_affected_rows(h);
	x->last_id = (long long)mysql_stmt_insert_id(h);
	meta = mysql_stmt_result_metadata(h);
	return meta != NULL ? my_bind_result(st, meta) : 0;
}

static int my_step(struct sqldb_stmt *st)
{
	struct my_stmt *x = my_x(st);
	int i, rc;

	if (!x->executed && my_execute(st) != 0)
		return SQLDB_ERR;
	if (x->ncol == 0)
		return SQLDB_DONE;
	rc = mysql_stmt_fetch(my_st(st));
	if (rc == MYSQL_NO_DATA)
		return SQLDB_DONE;
	if (rc != 0 && rc != MYSQL_DATA_TRUNCATED)
		return my_fail(st->db, "fetch", mysql_stmt_error(my_st(st)));
	for (i = 0; i < x->ncol; i++) {
		unsigned long n = x->collen[i] < MY_COLBUF - 1 ? x->collen[i] : MY_COLBUF - 1;

		x->colbuf[i][x->colnull[i] ? 0 : n] = '\0';
	}
	return SQLDB_ROW;
}

static long long my_column_int(struct sqldb_stmt *st, int col)
{
	return col < my_x(st)->ncol ? strtoll(my_x(st)->colbuf[col], NULL, 10) : 0;
}

static const char *my_column_text(struct sqldb_stmt *st, int col)
{
	return col < my_x(st)->ncol ? my_x(st)->colbuf[col] : "";
}

static int my_reset(struct sqldb_stmt *st)
{
	struct my_stmt *x = my_x(st);
	int i;

	mysql_stmt_free_result(my_st(st));
	/* no mysql_stmt_reset(): a round trip, and not needed to execute again */
	for (i = 0; i < MY_MAXPARAM; i++) {
		free(x->texts[i]);
		x->texts[i] = NULL;
	}
	memset(x->param, 0, sizeof x->param);
	x->executed = 0;
	return 0;
}

static void my_finalize(struct sqldb_stmt *st)
{
	my_reset(st);
	mysql_stmt_close(my_st(st));
	free(st->extra);
	st->handle = st->extra = NULL;
}

static long long my_last_id(struct sqldb_stmt *st)
{
	return my_x(st)->last_id;
}

static long long my_affected(struct sqldb_stmt *st)
{
	return my_x(st)->affected;
}

const struct sqldb_ops sqldb_mysql_ops = {
	.open = my_open,
	.close = my_close,
	.exec = my_exec,
	.prepare = my_prepare,
	.bind_int = my_bind_int,
	.bind_text = my_bind_text,
	.step = my_step,
	.column_int = my_column_int,
	.column_text = my_column_text,
	.reset = my_reset,
	.finalize = my_finalize,
	.last_id = my_last_id,
	.affected = my_affected,
};
