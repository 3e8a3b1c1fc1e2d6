/*
 * NAME
 *	report_gen - report generation
 * DESCRIPTION
 *	Contract in report_gen.h.  struct gen carries the run's state; the
 *	scan loop hands each policy domain's messages to flush_domain(),
 *	which decides, builds (build_report) and queues (queue_report).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "gzbuf.h"
#include "report_gen.h"
#include "report_mime.h"
#include "report_uri.h"
#include "xalloc.h"

struct gen {
	struct sqldb *db;
	struct rq *q;
	struct outbox *ob;
	const struct report_conf *c;
	const struct period *p;
	struct gen_stats *st;
	struct agg *agg;
	long long pdomain_id, from_id;
	char pdomain[AGG_NAME];
	struct strbuf xml, gz;
};

/* One built report, before it is queued or shown. */
struct built {
	char uid[17], report_id[300], filename[1024];
	struct rua_dest dests[RUA_MAX];
	size_t ndests;
};

static void make_uid(char *uid)
{
	unsigned char r[8];
	size_t i;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		unsigned long long x = (unsigned long long)time(NULL) ^ (unsigned long long)clock();

		memcpy(r, &x, sizeof r);
	}
	for (i = 0; i < sizeof r; i++)
		snprintf(uid + 2 * i, 3, "%02x", r[i]);
}

static int skipped(const struct report_conf *c, const char *domain)
{
	size_t i;

	for (i = 0; i < c->nskip; i++)
		if (strcasecmp(c->skip[i], domain) == 0)
			return 1;
	return 0;
}

static int build_report(struct gen *g, const struct report_policy *pol, struct built *b)
{
	struct report_doc d;
	char generator[128], inner[1024], safe[AGG_NAME];

	memset(&d, 0, sizeof d);
	make_uid(b->uid);
	snprintf(b->report_id, sizeof b->report_id, "%s@%s", b->uid, g->c->submitter);
	mime_safe_name(safe, sizeof safe, g->pdomain);
	snprintf(b->filename, sizeof b->filename, "%s!%s!%lld!%lld!%s.xml.gz", g->c->submitter,
		 safe, g->p->begin, g->p->end - 1, b->uid);
	snprintf(generator, sizeof generator, "%s %s", PACKAGE_NAME, PACKAGE_VERSION);
	d.format = g->c->format;
	d.org_name = g->c->org;
	d.email = g->c->email;
	d.extra_contact = g->c->extra_contact;
	d.report_id = b->report_id;
	d.generator = generator;
	d.begin = g->p->begin;
	d.end = g->p->end - 1;
	d.policy = *pol;
	d.nrows = agg_rows(g->agg, &d.rows);
	strbuf_reset(&g->xml);
	strbuf_reset(&g->gz);
	if (report_xml(&d, &g->xml) != 0)
		return -1;
	/* the name inside the gzip header: the .xml file */
	snprintf(inner, sizeof inner, "%.*s", (int)strlen(b->filename) - 3, b->filename);
	return gzbuf_compress(g->xml.s, g->xml.len, inner, g->c->now, &g->gz);
}

static int write_file(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(name, "wb");
	int rc = 0;

	if (f == NULL || fwrite(p, 1, n, f) != n)
		rc = -1;
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "opendmarc-reports: %s: %s\n", name, strerror(errno));
	return rc;
}

/* --keepfiles / --test: the .xml and .xml.gz in the current directory. */
static int keep_files(struct gen *g, const struct built *b)
{
	char xmlname[1024];

	snprintf(xmlname, sizeof xmlname, "%.*s", (int)strlen(b->filename) - 3, b->filename);
	if (write_file(xmlname, g->xml.s, g->xml.len) != 0 ||
	    write_file(b->filename, g->gz.s, g->gz.len) != 0)
		return -1;
	if (g->c->verbose)
		fprintf(stderr, "opendmarc-reports: keeping report file \"%s\"\n", xmlname);
	return 0;
}

static int queue_report(struct gen *g, const struct built *b)
{
	struct ob_report r = { g->pdomain_id, g->pdomain, g->p->begin, g->p->end, b->report_id,
			       b->filename, (int)g->c->format, agg_messages(g->agg), g->c->now };
	long long id;
	size_t i;

	if (outbox_add(g->ob, &r, g->gz.s, g->gz.len, &id) != 0)
		return -1;
	for (i = 0; i < b->ndests; i++)
		if (outbox_add_delivery(g->ob, id, b->dests[i].addr, b->dests[i].maxbytes, 0) != 0)
			return -1;
	if (g->c->copy_to != NULL && outbox_add_delivery(g->ob, id, g->c->copy_to, 0, 1) != 0)
		return -1;
	return 0;
}

static void show(struct gen *g, const struct built *b)
{
	size_t i;

	for (i = 0; i < b->ndests; i++)
		fprintf(stderr, "opendmarc-reports: would email %s report for %lld records to %s\n",
			g->pdomain, agg_messages(g->agg), b->dests[i].addr);
}

/* Report on the domain whose messages are in g->agg, then forget them. */
static int flush_domain(struct gen *g)
{
	struct report_policy pol;
	char repuri[1024];
	struct built b;
	size_t bad;
	int rc;

	memset(&pol, 0, sizeof pol);
	pol.pct = -1;
	snprintf(pol.domain, sizeof pol.domain, "%s", g->pdomain);
	repuri[0] = '\0';
	g->st->domains++;
	if ((rc = rq_policy(g->q, g->pdomain_id, g->from_id, &pol, repuri, sizeof repuri)) < 0)
		return -1;
	b.ndests = rua_parse(repuri, b.dests, RUA_MAX, &bad);
	if (bad > 0 && g->c->verbose >= 2)
		fprintf(stderr, "opendmarc-reports: %s: %zu unusable rua URI(s) in \"%s\"\n",
			g->pdomain, bad, repuri);
	if (b.ndests == 0) {
		g->st->norua++;
		return g->c->test || !g->c->update ? 0 : rq_mark_sent(g->q, g->pdomain_id, g->p);
	}
	if (g->ob != NULL && (rc = outbox_exists(g->ob, g->pdomain_id, g->p->begin, g->p->end)) != 0) {
		g->st->already += rc > 0;
		return rc < 0 ? -1 : 0;
	}
	if (build_report(g, &pol, &b) != 0)
		return -1;
	g->st->reports++;
	if ((g->c->keepfiles || g->c->test) && keep_files(g, &b) != 0)
		return -1;
	if (g->c->test) {
		show(g, &b);
		return 0;
	}
	return queue_report(g, &b);
}

static int next_domain(struct gen *g, const struct rq_msg *m)
{
	int rc = 0;

	if (g->pdomain_id >= 0 && agg_messages(g->agg) > 0)
		rc = flush_domain(g);
	agg_clear(g->agg);
	g->pdomain_id = m != NULL ? m->pdomain_id : -1;
	if (m != NULL)
		snprintf(g->pdomain, sizeof g->pdomain, "%s", m->pdomain);
	return rc;
}

static int scan(struct gen *g)
{
	struct rq_msg *m = xcalloc(1, sizeof *m);
	int rc;

	if (rq_scan_begin(g->q, g->p, g->c->force_domain) != 0) {
		free(m);
		return -1;
	}
	while ((rc = rq_scan_next(g->q, m)) == 1) {
		if (m->pdomain_id != g->pdomain_id && next_domain(g, m) != 0) {
			rc = -1;
			break;
		}
		g->from_id = m->from_id;
		if (skipped(g->c, m->pdomain) || skipped(g->c, m->m.f.header_from)) {
			g->st->skipped++;
			continue;
		}
		g->st->messages++;
		agg_add(g->agg, &m->m);
	}
	if (rc == 0)
		rc = next_domain(g, NULL);
	free(m);
	return rc;
}

int gen_run(struct sqldb *db, struct rq *q, struct outbox *ob, const struct report_conf *c,
	    const struct period *p, struct gen_stats *st)
{
	struct gen g = { db, q, ob, c, p, st, agg_new(), -1, -1, "", STRBUF_INIT, STRBUF_INIT };
	int rc = c->test ? 0 : sqldb_begin(db);

	if (rc == 0)
		rc = scan(&g);
	if (rc != 0)
		fprintf(stderr, "opendmarc-reports: generating reports: %s\n", sqldb_error(db));
	if (!c->test)
		rc = rc == 0 ? sqldb_commit(db) : (sqldb_rollback(db), -1);
	agg_free(&g.agg);
	strbuf_free(&g.xml);
	strbuf_free(&g.gz);
	return rc;
}
