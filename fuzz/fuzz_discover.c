/*
 * fuzz_discover - record and org domain discovery over fake DNS answers.
 * The input is text: the first line is the From domain; each later line
 * is one answer for _dmarc.<name>, "<status><name> <record text>", the
 * status being F (found), N (none), X (NXDOMAIN) or T (temporary
 * failure); other lines are ignored.  discover_treewalk(), discover_psl()
 * (over a small fixed list) and discover_org_treewalk() run on the From
 * domain, and the last also on each answer's name.
 * Invariants, abort() on breach: at most 8 queries per call, each for a
 * non-empty name of at most 253 bytes, queries counted right; a found
 * record parses, passes record_is_dmarc() and sits at a whole-label
 * suffix of the normalised From domain; the org domain is such a suffix
 * too; a temporary failure leaves no org and no record; a name that does
 * not normalise is never queried; PSL mode asks at most twice.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "dmarc.h"
#include "domain.h"
#include "psl.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ANSWERS_MAX 16

static const char small_list[] = "com\nuk\nco.uk\n*.ck\n!www.ck\njp\n*.kobe.jp\n!city.kobe.jp\n"
				 "example\ngithub.io\n";

struct answer {
	const char *name;
	enum discover_status st;
	const char *txt;
};

struct fake {
	struct answer ans[ANSWERS_MAX];
	size_t count;
	int calls;
};

static enum discover_status fake_fetch(void *ctx, const char *domain, char *rec, size_t reclen)
{
	struct fake *f = ctx;
	size_t n = domain ? strlen(domain) : 0;

	if (++f->calls > 8 || n == 0 || n > 253 || rec == NULL || reclen != DISCOVER_TXT_MAX)
		abort();
	for (size_t i = 0; i < f->count; i++) {
		if (strcmp(f->ans[i].name, domain) != 0)
			continue;
		if (f->ans[i].st == DISCOVER_FOUND) {
			size_t t = strlen(f->ans[i].txt);

			if (t >= reclen)
				t = reclen - 1;
			memcpy(rec, f->ans[i].txt, t);
			rec[t] = '\0';
		}
		return f->ans[i].st;
	}
	return DISCOVER_NXDOMAIN;
}

static int status_of(char c, enum discover_status *st)
{
	switch (c) {
	case 'F': *st = DISCOVER_FOUND; return 0;
	case 'N': *st = DISCOVER_NONE; return 0;
	case 'X': *st = DISCOVER_NXDOMAIN; return 0;
	case 'T': *st = DISCOVER_TEMPFAIL; return 0;
	default: return -1;
	}
}

/* Split buf (NUL-terminated, ours to cut) into the From line and answers. */
static const char *load(char *buf, struct fake *f)
{
	char *line = buf, *next;
	const char *from = buf;

	next = strchr(line, '\n');
	if (next != NULL)
		*next++ = '\0';
	while ((line = next) != NULL && f->count < ANSWERS_MAX) {
		struct answer *a = &f->ans[f->count];
		char *sp;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (status_of(line[0], &a->st) < 0)
			continue;
		a->name = line + 1;
		a->txt = "";
		if ((sp = strchr(line + 1, ' ')) != NULL) {
			*sp = '\0';
			a->txt = sp + 1;
		}
		f->count++;
	}
	return from;
}

static int label_suffix(const char *name, const char *s)
{
	size_t n = strlen(name), o = strlen(s);

	if (o == 0 || o > n || strcmp(name + n - o, s) != 0)
		return 0;
	return o == n || name[n - o - 1] == '.';
}

static void check_result(const char *norm, int valid, enum discover_status st,
			 const struct discover_result *res, int calls)
{
	if (res->queries != calls || calls > 8 || (!valid && calls != 0))
		abort();
	if (st == DISCOVER_TEMPFAIL) {
		if (res->org[0] != '\0' || res->found_at[0] != '\0')
			abort();
		return;
	}
	if (valid && !label_suffix(norm, res->org))
		abort();
	if (st == DISCOVER_NXDOMAIN)
		abort();
	if (st == DISCOVER_FOUND &&
	    (res->parse_status != DMARC_PARSE_OKAY || !label_suffix(norm, res->found_at) ||
	     !record_is_dmarc(res->txt, strlen(res->txt))))
		abort();
}

static void run_org(struct fake *f, const char *name)
{
	char org[DISCOVER_NAME_MAX], norm[DISCOVER_NAME_MAX];
	struct discover_lookup lk = {fake_fetch, f};
	enum discover_status st;
	int valid = domain_normalize(name, strlen(name), norm, sizeof norm) == 0;

	f->calls = 0;
	st = discover_org_treewalk(&lk, name, org, sizeof org);
	if (st == DISCOVER_TEMPFAIL && org[0] != '\0')
		abort();
	if (st != DISCOVER_TEMPFAIL && valid && !label_suffix(norm, org))
		abort();
	if (!valid && f->calls != 0)
		abort();
}

static void run_all(struct fake *f, const char *from, const struct psl *list)
{
	struct discover_lookup lk = {fake_fetch, f};
	struct discover_result res;
	char norm[DISCOVER_NAME_MAX];
	int valid = domain_normalize(from, strlen(from), norm, sizeof norm) == 0;
	enum discover_status st;

	f->calls = 0;
	st = discover_treewalk(&lk, from, &res);
	check_result(norm, valid, st, &res, f->calls);
	discover_result_free(&res);
	f->calls = 0;
	st = discover_psl(&lk, list, from, &res);
	check_result(norm, valid, st, &res, f->calls);
	if (f->calls > 2)
		abort();
	discover_result_free(&res);
	run_org(f, from);
	for (size_t i = 0; i < f->count; i++)
		run_org(f, f->ans[i].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake f = {.count = 0};
	struct psl *list;
	char *buf;

	if (size > 65536)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	list = psl_parse(small_list, sizeof small_list - 1);
	if (list != NULL)
		run_all(&f, load(buf, &f), list);
	psl_free(&list);
	free(buf);
	return 0;
}
