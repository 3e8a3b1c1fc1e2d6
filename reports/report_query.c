/*
 * NAME
 *	report_query - the report tool's reads of OpenDMARC's tables
 * DESCRIPTION
 *	Contract in report_query.h.  The scan is one statement joining
 *	messages to its names and (LEFT JOIN) its signatures, sorted by
 *	policy domain and message, so a message spans consecutive rows;
 *	rq_scan_next() folds them, keeping the first row of the next
 *	message pending.  SQL text differs between dialects only in how an
 *	epoch second becomes a TIMESTAMP; every value is bound.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_query.h"
#include "store.h"
#include "xalloc.h"

enum {
	C_ID, C_PDOM_ID, C_FROM_ID, C_PDOM, C_FROM, C_ENV, C_IP, C_DISP, C_POLICY, C_SPF,
	C_ALIGN_DKIM, C_ALIGN_SPF, C_ARC, C_ARC_POLICY, C_SIG_DOMAIN, C_SIG_SELECTOR, C_SIG_RESULT
};

#define SCAN_SELECT                                                                     \
	"SELECT m.id, m.policy_domain, m.from_domain, pd.name, fd.name, ed.name, ip.addr," \
	" m.disp, m.policy, m.spf, m.align_dkim, m.align_spf, m.arc, m.arc_policy,"      \
	" COALESCE(sd.name, ''), COALESCE(sl.name, ''), COALESCE(s.pass, -1)"            \
	" FROM messages m"                                                              \
	" JOIN requests r ON r.domain = m.from_domain"                                  \
	" JOIN domains pd ON pd.id = m.policy_domain"                                   \
	" JOIN domains fd ON fd.id = m.from_domain"                                     \
	" JOIN domains ed ON ed.id = m.env_domain"                                      \
	" JOIN ipaddr ip ON ip.id = m.ip"                                               \
	" LEFT JOIN signatures s ON s.message = m.id"                                   \
	" LEFT JOIN domains sd ON sd.id = s.domain"                                     \
	" LEFT JOIN selectors sl ON sl.id = s.selector"                                 \
	" WHERE m.date >= %s AND m.date < %s AND %s"                                    \
	" ORDER BY m.policy_domain, m.id, s.id"

struct rq {
	struct sqldb *db;
	struct sqldb_stmt *due, *forced, *policy, *mark;
	struct sqldb_stmt *scan; /* due or forced, while scanning */
	int pending, done;
};

static const char *ts(struct sqldb *db)
{
	return sqldb_kind(db) == SQLDB_SQLITE ? "datetime(?, 'unixepoch')" : "FROM_UNIXTIME(?)";
}

static int prep_scan(struct rq *q, struct sqldb_stmt **st, const char *cond)
{
	char sql[2048];

	snprintf(sql, sizeof sql, SCAN_SELECT, ts(q->db), ts(q->db), cond);
	return sqldb_prepare(q->db, sql, st);
}

static int prep_mark(struct rq *q)
{
	char sql[1024];
	const char *t = ts(q->db);

	snprintf(sql, sizeof sql,
		 "UPDATE requests SET lastsent = %s WHERE lastsent < %s AND (domain = ? OR domain IN"
		 " (SELECT from_domain FROM messages WHERE policy_domain = ? AND date >= %s"
		 " AND date < %s))",
		 t, t, t, t);
	return sqldb_prepare(q->db, sql, &q->mark);
}

int rq_open(struct sqldb *db, struct rq **qp)
{
	char due[64];
	struct rq *q = xcalloc(1, sizeof *q);

	q->db = db;
	*qp = q;
	snprintf(due, sizeof due, "r.lastsent < %s", ts(db));
	if (store_upgrade(db) != 0 || prep_scan(q, &q->due, due) != 0 ||
	    prep_scan(q, &q->forced, "(pd.name = ? OR fd.name = ?)") != 0 ||
	    sqldb_prepare(db, "SELECT repuri, adkim, aspf, policy, spolicy, pct,"
			      " COALESCE(fo, -1), COALESCE(npolicy, -1), COALESCE(testing, -1),"
			      " COALESCE(discovery, -1) FROM requests WHERE domain = ?",
			  &q->policy) != 0 ||
	    prep_mark(q) != 0) {
		rq_close(qp);
		return -1;
	}
	return 0;
}

int rq_scan_begin(struct rq *q, const struct period *p, const char *force_domain)
{
	int rc;

	if (q->scan != NULL)
		sqldb_reset(q->scan);
	q->scan = force_domain != NULL ? q->forced : q->due;
	q->pending = q->done = 0;
	rc = sqldb_bind_int(q->scan, 1, p->begin) | sqldb_bind_int(q->scan, 2, p->end);
	if (force_domain != NULL)
		rc |= sqldb_bind_text(q->scan, 3, force_domain) |
		      sqldb_bind_text(q->scan, 4, force_domain);
	else
		rc |= sqldb_bind_int(q->scan, 3, p->end);
	return rc != 0 ? -1 : 0;
}

static void copy_col(struct sqldb_stmt *st, int col, char *dst, size_t size)
{
	snprintf(dst, size, "%s", sqldb_column_text(st, col));
}

static void add_signature(struct sqldb_stmt *st, struct agg_msg *m)
{
	struct agg_dkim *d;

	if (sqldb_column_int(st, C_SIG_RESULT) < 0 || m->ndkim >= AGG_DKIM_MAX)
		return; /* no signature (LEFT JOIN), or more than a report shows */
	d = &m->dkim[m->ndkim++];
	copy_col(st, C_SIG_DOMAIN, d->domain, sizeof d->domain);
	copy_col(st, C_SIG_SELECTOR, d->selector, sizeof d->selector);
	d->result = (int)sqldb_column_int(st, C_SIG_RESULT);
}

static void read_message(struct sqldb_stmt *st, struct rq_msg *out)
{
	struct agg_fields *f = &out->m.f;

	out->id = sqldb_column_int(st, C_ID);
	out->pdomain_id = sqldb_column_int(st, C_PDOM_ID);
	out->from_id = sqldb_column_int(st, C_FROM_ID);
	copy_col(st, C_PDOM, out->pdomain, sizeof out->pdomain);
	copy_col(st, C_FROM, f->header_from, sizeof f->header_from);
	copy_col(st, C_ENV, f->envelope_from, sizeof f->envelope_from);
	copy_col(st, C_IP, f->ip, sizeof f->ip);
	f->disp = (int)sqldb_column_int(st, C_DISP);
	f->policy = (int)sqldb_column_int(st, C_POLICY);
	f->spf = (int)sqldb_column_int(st, C_SPF);
	f->align_dkim = (int)sqldb_column_int(st, C_ALIGN_DKIM);
	f->align_spf = (int)sqldb_column_int(st, C_ALIGN_SPF);
	f->arc = (int)sqldb_column_int(st, C_ARC);
	f->arc_policy = (int)sqldb_column_int(st, C_ARC_POLICY);
	out->m.ndkim = 0;
	add_signature(st, &out->m);
}

int rq_scan_next(struct rq *q, struct rq_msg *out)
{
	int rc;

	if (q->done)
		return 0;
	if (!q->pending && (rc = sqldb_step(q->scan)) != SQLDB_ROW) {
		q->done = 1;
		return rc == SQLDB_DONE ? 0 : -1;
	}
	read_message(q->scan, out);
	while ((rc = sqldb_step(q->scan)) == SQLDB_ROW) {
		if (sqldb_column_int(q->scan, C_ID) != out->id) {
			q->pending = 1;
			return 1;
		}
		add_signature(q->scan, &out->m);
	}
	q->pending = 0;
	q->done = 1;
	return rc == SQLDB_DONE ? 1 : -1;
}

/* fo= from its DMARC_RECORD_FO_* bits ("0:1:d:s" order); "" when unknown. */
static void fo_text(long long bits, char *out, size_t size)
{
	static const char *const opt[] = { "0", "1", "d", "s" };
	size_t i, len = 0;

	out[0] = '\0';
	if (bits < 0 || bits > 15)
		return;
	for (i = 0; i < 4; i++)
		if (bits & (1LL << i))
			len += (size_t)snprintf(out + len, size - len, "%s%s", len > 0 ? ":" : "",
						opt[i]);
	if (len == 0)
		snprintf(out, size, "0"); /* no fo= bits: the default */
}

/* Our columns (NULL read as -1) into the report's terms, 0 or "" when unknown. */
static void policy_extensions(struct sqldb_stmt *st, struct report_policy *pol)
{
	long long np = sqldb_column_int(st, 7), t = sqldb_column_int(st, 8);
	long long disc = sqldb_column_int(st, 9);

	fo_text(sqldb_column_int(st, 6), pol->fo, sizeof pol->fo);
	pol->np = np > 0 ? (int)np : 0;
	pol->testing = t == 1 ? 'y' : t == 0 ? 'n' : 0;
	pol->discovery =
		disc == HISTORY_DISCOVERY_PSL || disc == HISTORY_DISCOVERY_TREEWALK ? (int)disc : 0;
}

static int policy_row(struct rq *q, long long domain, struct report_policy *pol, char *repuri,
		      size_t size)
{
	struct sqldb_stmt *st = q->policy;
	int rc;

	if (sqldb_bind_int(st, 1, domain) != 0)
		return -1;
	rc = sqldb_step(st);
	if (rc == SQLDB_ROW) {
		snprintf(repuri, size, "%s", sqldb_column_text(st, 0));
		pol->adkim = (int)sqldb_column_int(st, 1);
		pol->aspf = (int)sqldb_column_int(st, 2);
		pol->p = (int)sqldb_column_int(st, 3);
		pol->sp = (int)sqldb_column_int(st, 4);
		pol->pct = (int)sqldb_column_int(st, 5);
		policy_extensions(st, pol);
	}
	sqldb_reset(st);
	return rc == SQLDB_ROW ? 1 : rc == SQLDB_DONE ? 0 : -1;
}

int rq_policy(struct rq *q, long long pdomain_id, long long from_id, struct report_policy *pol,
	      char *repuri, size_t repuri_size)
{
	int rc = policy_row(q, pdomain_id, pol, repuri, repuri_size);

	if (rc == 0 && from_id != pdomain_id)
		rc = policy_row(q, from_id, pol, repuri, repuri_size);
	return rc;
}

int rq_mark_sent(struct rq *q, long long pdomain_id, const struct period *p)
{
	struct sqldb_stmt *st = q->mark;
	int rc = -1;

	if (sqldb_bind_int(st, 1, p->end) == 0 && sqldb_bind_int(st, 2, p->end) == 0 &&
	    sqldb_bind_int(st, 3, pdomain_id) == 0 && sqldb_bind_int(st, 4, pdomain_id) == 0 &&
	    sqldb_bind_int(st, 5, p->begin) == 0 && sqldb_bind_int(st, 6, p->end) == 0)
		rc = sqldb_step(st);
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

void rq_close(struct rq **qp)
{
	struct rq *q = *qp;

	if (q == NULL)
		return;
	sqldb_finalize(&q->due);
	sqldb_finalize(&q->forced);
	sqldb_finalize(&q->policy);
	sqldb_finalize(&q->mark);
	free(q);
	*qp = NULL;
}
