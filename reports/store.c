/*
 * NAME
 *	store - history records into the nine OpenDMARC tables
 * DESCRIPTION
 *	Contract in store.h.  id_kinds[] holds, per lookup table, the SELECT
 *	and INSERT that find or create a row; the remaining statements are
 *	prepared once in store_open().  SQL text is built from constants
 *	only (the dialect's "INSERT IGNORE" and date function); every value
 *	is bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcjson.h"
#include "idcache.h"
#include "store.h"
#include "xalloc.h"

enum id_kind { K_REPORTER, K_DOMAIN, K_IPADDR, K_REQUEST, K_SELECTOR, K_NKINDS };

/* idcache kind for "this request row already holds these values" */
#define K_REQSTATE K_NKINDS

struct id_kind_sql {
	const char *select;
	const char *insert; /* after "INSERT [OR] IGNORE INTO " */
	int two_keys;	    /* the second bound value is a domain ID */
};

static const struct id_kind_sql id_kinds[K_NKINDS] = {
	[K_REPORTER] = { "SELECT id FROM reporters WHERE name = ?", "reporters (name) VALUES (?)", 0 },
	[K_DOMAIN] = { "SELECT id FROM domains WHERE name = ?", "domains (name) VALUES (?)", 0 },
	[K_IPADDR] = { "SELECT id FROM ipaddr WHERE addr = ?", "ipaddr (addr) VALUES (?)", 0 },
	[K_REQUEST] = { "SELECT id FROM requests WHERE domain = ?", "requests (domain) VALUES (?)", 0 },
	[K_SELECTOR] = { "SELECT id FROM selectors WHERE name = ? AND domain = ?",
			 "selectors (name, domain) VALUES (?, ?)", 1 },
};

struct store {
	struct sqldb *db;
	struct idcache *ids;
	struct sqldb_stmt *sel[K_NKINDS], *ins[K_NKINDS];
	struct sqldb_stmt *msg, *sig, *aar, *seal, *req;
	struct arc_set sets[ARCJSON_MAX];
};

static const char *ignore_verb(struct sqldb *db)
{
	return sqldb_kind(db) == SQLDB_SQLITE ? "INSERT OR IGNORE INTO" : "INSERT IGNORE INTO";
}

static int prep(struct sqldb *db, struct sqldb_stmt **st, const char *a, const char *b)
{
	char sql[1024];

	snprintf(sql, sizeof sql, "%s %s", a, b);
	return sqldb_prepare(db, sql, st);
}

static int prep_message(struct store *s)
{
	char tail[768];

	snprintf(tail, sizeof tail,
		 "messages (date, jobid, reporter, policy, disp, ip, env_domain, from_domain,"
		 " policy_domain, spf, align_dkim, align_spf, sigcount, arc, arc_policy)"
		 " VALUES (%s, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		 sqldb_kind(s->db) == SQLDB_SQLITE ? "datetime(?, 'unixepoch')" : "FROM_UNIXTIME(?)");
	return prep(s->db, &s->msg, ignore_verb(s->db), tail);
}

/* The columns this version added to requests, and their SQLite types. */
static const char *const ext_columns[][2] = {
	{ "fo", "TINYINT" },
	{ "npolicy", "TINYINT" },
	{ "testing", "TINYINT" },
	{ "discovery", "TINYINT" },
};

#define N_EXT_COLUMNS (sizeof ext_columns / sizeof ext_columns[0])

static int has_column(struct sqldb *db, const char *column)
{
	struct sqldb_stmt *st = NULL;
	char sql[128];
	int rc;

	snprintf(sql, sizeof sql, "SELECT %s FROM requests WHERE 1 = 0", column);
	rc = sqldb_prepare(db, sql, &st);
	sqldb_finalize(&st);
	return rc == 0;
}

/* Add what is missing; a concurrent upgrade may win the race: check after. */
static void add_columns(struct sqldb *db)
{
	char sql[128];
	size_t i;

	for (i = 0; i < N_EXT_COLUMNS; i++) {
		if (has_column(db, ext_columns[i][0]))
			continue;
		snprintf(sql, sizeof sql, "ALTER TABLE requests ADD COLUMN %s %s", ext_columns[i][0],
			 ext_columns[i][1]);
		(void)sqldb_exec(db, sql);
	}
}

int store_upgrade(struct sqldb *db)
{
	size_t i;

	if (sqldb_kind(db) == SQLDB_SQLITE)
		add_columns(db);
	for (i = 0; i < N_EXT_COLUMNS; i++) {
		if (has_column(db, ext_columns[i][0]))
			continue;
		if (sqldb_kind(db) == SQLDB_SQLITE)
			snprintf(db->error, sizeof db->error,
				 "table requests has no column %s and it could not be added"
				 " (is the database read-only?)", ext_columns[i][0]);
		else
			snprintf(db->error, sizeof db->error,
				 "table requests has no column %s: apply upgrade-from-opendmarc.mysql"
				 " (db/ in the source, or the package's data directory)",
				 ext_columns[i][0]);
		return -1;
	}
	return 0;
}

int store_open(struct sqldb *db, struct store **sp)
{
	struct store *s = xcalloc(1, sizeof *s);
	int k, rc = store_upgrade(db);

	s->db = db;
	s->ids = idcache_new();
	*sp = s;
	for (k = 0; k < K_NKINDS && rc == 0; k++)
		rc = sqldb_prepare(db, id_kinds[k].select, &s->sel[k]) != 0 ||
		     prep(db, &s->ins[k], ignore_verb(db), id_kinds[k].insert) != 0;
	if (rc != 0 || prep_message(s) != 0 ||
	    sqldb_prepare(db, "INSERT INTO signatures (message, domain, selector, pass, error)"
			      " VALUES (?, ?, ?, ?, ?)", &s->sig) != 0 ||
	    prep(db, &s->aar, ignore_verb(db),
		 "arcauthresults (message, instance, arc_client_addr) VALUES (?, ?, ?)") != 0 ||
	    prep(db, &s->seal, ignore_verb(db),
		 "arcseals (message, domain, selector, instance) VALUES (?, ?, ?, ?)") != 0 ||
	    sqldb_prepare(db, "UPDATE requests SET repuri = ?, adkim = ?, aspf = ?, policy = ?,"
			      " spolicy = ?, pct = ?, fo = COALESCE(NULLIF(?, -1), fo),"
			      " npolicy = COALESCE(NULLIF(?, -1), npolicy),"
			      " testing = COALESCE(NULLIF(?, -1), testing),"
			      " discovery = COALESCE(NULLIF(?, -1), discovery)"
			      " WHERE id = ? AND locked <> 1", &s->req) != 0) {
		store_close(sp);
		return -1;
	}
	return 0;
}

void store_forget(struct store *s)
{
	idcache_clear(s->ids);
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	int k;

	if (s == NULL)
		return;
	for (k = 0; k < K_NKINDS; k++) {
		sqldb_finalize(&s->sel[k]);
		sqldb_finalize(&s->ins[k]);
	}
	sqldb_finalize(&s->msg);
	sqldb_finalize(&s->sig);
	sqldb_finalize(&s->aar);
	sqldb_finalize(&s->seal);
	sqldb_finalize(&s->req);
	idcache_free(&s->ids);
	free(s);
	*sp = NULL;
}

/* Bind the key (a name, or for requests the domain ID) and the domain. */
static int bind_key(struct sqldb_stmt *st, enum id_kind k, const char *name, long long num,
		    long long domain)
{
	if (k == K_REQUEST)
		return sqldb_bind_int(st, 1, num);
	if (sqldb_bind_text(st, 1, name) != 0)
		return -1;
	return id_kinds[k].two_keys ? sqldb_bind_int(st, 2, domain) : 0;
}

/* SELECT the ID: 1 found, 0 not there, -1 error. */
static int select_id(struct store *s, enum id_kind k, const char *name, long long num,
		     long long domain, long long *id)
{
	struct sqldb_stmt *st = s->sel[k];
	int rc;

	if (bind_key(st, k, name, num, domain) != 0)
		return -1;
	rc = sqldb_step(st);
	if (rc == SQLDB_ROW)
		*id = sqldb_column_int(st, 0);
	sqldb_reset(st);
	return rc == SQLDB_ROW ? 1 : rc == SQLDB_DONE ? 0 : -1;
}

static int insert_id(struct store *s, enum id_kind k, const char *name, long long num,
		     long long domain, long long *id)
{
	struct sqldb_stmt *st = s->ins[k];
	long long added;
	int rc;

	if (bind_key(st, k, name, num, domain) != 0)
		return -1;
	rc = sqldb_step(st);
	added = rc == SQLDB_DONE ? sqldb_affected(st) : 0;
	if (added == 1)
		*id = sqldb_last_id(st);
	sqldb_reset(st);
	if (rc != SQLDB_DONE)
		return -1;
	/* another importer may have added it first */
	return added == 1 ? 0 : select_id(s, k, name, num, domain, id) == 1 ? 0 : -1;
}

static int get_id(struct store *s, enum id_kind k, const char *name, long long num,
		  long long domain, long long *id)
{
	char key[300];
	int rc;

	snprintf(key, sizeof key, "%lld/%lld/%s", num, domain, name != NULL ? name : "");
	if (idcache_get(s->ids, k, key, id))
		return 0;
	rc = select_id(s, k, name, num, domain, id);
	if (rc == 0)
		rc = insert_id(s, k, name, num, domain, id) == 0 ? 1 : -1;
	if (rc < 0)
		return -1;
	idcache_put(s->ids, k, key, *id);
	return 0;
}

static void lower(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] - 'A' + 'a') : src[i];
	dst[i] = '\0';
}

struct ids {
	long long reporter, from, env, pdomain, ip, request;
};

static int record_ids(struct store *s, const struct history_record *r, struct ids *id)
{
	char from[HISTORY_NAME_MAX], env[HISTORY_NAME_MAX], pdom[HISTORY_NAME_MAX];

	lower(from, r->from, sizeof from);
	lower(env, r->mfrom, sizeof env);
	lower(pdom, r->pdomain, sizeof pdom);
	if (get_id(s, K_REPORTER, r->reporter, 0, 0, &id->reporter) != 0 ||
	    get_id(s, K_DOMAIN, from, 0, 0, &id->from) != 0 ||
	    get_id(s, K_DOMAIN, env, 0, 0, &id->env) != 0 ||
	    get_id(s, K_DOMAIN, pdom, 0, 0, &id->pdomain) != 0 ||
	    get_id(s, K_IPADDR, r->ipaddr, 0, 0, &id->ip) != 0 ||
	    get_id(s, K_REQUEST, NULL, id->from, 0, &id->request) != 0)
		return -1;
	return 0;
}

/* Insert the message row: 1 added (*msg set), 0 already there, -1 error. */
static int insert_message(struct store *s, const struct history_record *r, const struct ids *id,
			  int arc_policy, long long *msg)
{
	size_t sigs = r->ndkim + r->ndkim_dropped;
	long long v[] = { id->reporter, r->policy, r->action, id->ip, id->env, id->from,
			  id->pdomain, r->spf, r->align_dkim, r->align_spf,
			  sigs > 255 ? 255 : (long long)sigs,
			  r->arc < 0 ? HISTORY_ARES_NONE : r->arc, arc_policy };
	long long added = 0;
	int rc = -1;

	if (sqldb_bind_int(s->msg, 1, r->received) == 0 && sqldb_bind_text(s->msg, 2, r->job) == 0 &&
	    sqldb_bind_ints(s->msg, 3, v, (int)(sizeof v / sizeof v[0])) == 0)
		rc = sqldb_step(s->msg);
	if (rc == SQLDB_DONE && (added = sqldb_affected(s->msg)) == 1)
		*msg = sqldb_last_id(s->msg);
	sqldb_reset(s->msg);
	return rc != SQLDB_DONE ? -1 : added == 1 ? 1 : 0;
}

static int run(struct sqldb_stmt *st, const long long *v, int n, const char *text, int text_at)
{
	int rc = -1;

	if (sqldb_bind_ints(st, 1, v, n) == 0 &&
	    (text == NULL || sqldb_bind_text(st, text_at, text) == 0))
		rc = sqldb_step(st);
	sqldb_reset(st);
	return rc == SQLDB_DONE ? 0 : -1;
}

static int selector_id(struct store *s, const char *sel, long long domain, long long *id)
{
	*id = 0;
	return sel[0] == '\0' ? 0 : get_id(s, K_SELECTOR, sel, 0, domain, id);
}

static int insert_signatures(struct store *s, const struct history_record *r, long long msg)
{
	size_t i;

	for (i = 0; i < r->ndkim; i++) {
		const struct history_dkim *d = &r->dkim[i];
		long long dom, sel;
		int err = d->result == HISTORY_ARES_TEMPERROR || d->result == HISTORY_ARES_PERMERROR;

		if (d->domain[0] == '\0')
			continue; /* as OpenDMARC: no domain, no row */
		if (get_id(s, K_DOMAIN, d->domain, 0, 0, &dom) != 0 ||
		    selector_id(s, d->selector, dom, &sel) != 0)
			return -1;
		{
			long long v[] = { msg, dom, sel, d->result, err };

			if (run(s->sig, v, 5, NULL, 0) != 0)
				return -1;
		}
	}
	return 0;
}

static int insert_arc(struct store *s, const struct arc_set *sets, int n, long long msg)
{
	int i;

	for (i = 0; i < n; i++) {
		long long aar[] = { msg, sets[i].instance }, dom, sel;

		if (run(s->aar, aar, 2, sets[i].ip, 3) != 0)
			return -1;
		if (sets[i].domain[0] == '\0')
			continue;
		if (get_id(s, K_DOMAIN, sets[i].domain, 0, 0, &dom) != 0 ||
		    selector_id(s, sets[i].selector, dom, &sel) != 0)
			return -1;
		{
			long long v[] = { msg, dom, sel, sets[i].instance };

			if (run(s->seal, v, 4, NULL, 0) != 0)
				return -1;
		}
	}
	return 0;
}

/* The rua URIs joined with ",", whole URIs only, within 255 bytes. */
static void join_rua(const struct history_record *r, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < r->nrua; i++) {
		size_t n = strlen(r->rua[i]);

		if (len + (len > 0) + n >= size)
			break;
		if (len > 0)
			out[len++] = ',';
		memcpy(out + len, r->rua[i], n + 1);
		len += n;
	}
}

static long long state_hash(const char *p)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return (long long)(h >> 1);
}

static int update_request(struct store *s, const struct history_record *r, long long request)
{
	char repuri[256], state[400], key[32];
	long long v[] = { r->adkim, r->aspf, r->p, r->sp, r->pct, r->fo, r->np, r->testing,
			  r->discovery, request };
	long long hash, known;
	int rc = -1;

	join_rua(r, repuri, sizeof repuri);
	snprintf(state, sizeof state, "%d/%d/%d/%d/%d/%d/%d/%d/%d/%s", r->adkim, r->aspf, r->p,
		 r->sp, r->pct, r->fo, r->np, r->testing, r->discovery, repuri);
	snprintf(key, sizeof key, "%lld", request);
	hash = state_hash(state);
	if (idcache_get(s->ids, K_REQSTATE, key, &known) && known == hash)
		return 0; /* this run already wrote these values: skip the round trip */
	if (sqldb_bind_text(s->req, 1, repuri) == 0 &&
	    sqldb_bind_ints(s->req, 2, v, (int)(sizeof v / sizeof v[0])) == 0)
		rc = sqldb_step(s->req);
	sqldb_reset(s->req);
	if (rc == SQLDB_DONE)
		idcache_put(s->ids, K_REQSTATE, key, hash);
	return rc == SQLDB_DONE ? 0 : -1;
}

int store_record(struct store *s, const struct history_record *r)
{
	struct ids id;
	long long msg = 0;
	int arc_policy, nsets, rc;

	nsets = arcjson_parse(r->arc_policy, &arc_policy, s->sets, ARCJSON_MAX);
	if (nsets < 0)
		nsets = 0; /* keep the message; its ARC detail is unreadable */
	if (record_ids(s, r, &id) != 0)
		return -1;
	rc = insert_message(s, r, &id, arc_policy, &msg);
	if (rc <= 0)
		return rc;
	if (insert_signatures(s, r, msg) != 0 || insert_arc(s, s->sets, nsets, msg) != 0 ||
	    update_request(s, r, id.request) != 0)
		return -1;
	return 1;
}
