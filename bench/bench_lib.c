/*
 * bench_lib.c -- libopendmarc benchmark.
 *
 * Uses only the public OpenDMARC 1.4.2 API (dmarc.h), so the same source
 * builds against our libopendmarc and against Debian's OpenDMARC 1.4.2;
 * bench/run.sh builds it twice and compares the figures.  No DNS is done:
 * every DMARC record is handed to the library with parse_dmarc/store_dmarc.
 *
 * usage: bench_lib [-s seconds] [-p psl-file] [-w parse|tld|eval] [-c] corpus-dir
 *   -s  target run time per figure (default 1.0)
 *   -w  time only that figure (for profiling)
 *   -p  public suffix list (default /usr/share/publicsuffix/public_suffix_list.dat)
 *   -c  check mode: print what the library returns for every corpus item
 *       instead of timing (run.sh diffs the two libraries with it)
 *
 * Timing output is "key value" lines, parsed by run.sh.
 */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "dmarc.h"

/*
 * OpenDMARC 1.4.2 exports opendmarc_get_tld but its installed dmarc.h does
 * not declare it; our header does.  An identical redeclaration is valid C
 * and a mismatching one in our header is a compile error, which we want.
 */
int opendmarc_get_tld(u_char *domain, u_char *tld, size_t tld_len);

#define DEFAULT_PSL "/usr/share/publicsuffix/public_suffix_list.dat"

struct lines {
	char **v;
	size_t n;
};

struct record_case {
	char *domain;
	char *record;
};

struct eval_case {
	char *from;
	char *rdomain;
	char *org;		/* NULL: record found at the From: domain */
	char *record;
	char *spf_domain;
	int spf_result;
	char *dkim_domain[2];
	int dkim_result[2];	/* dkim_domain[1] may be NULL */
};

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench_lib: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		die("%s", "out of memory");
	return p;
}

/* Read a corpus file: one item a line, '#' comments and blank lines skipped. */
static struct lines
read_lines(const char *dir, const char *name)
{
	struct lines l = { NULL, 0 };
	size_t cap = 0;
	char path[4096];
	char *buf = NULL;
	size_t bufsz = 0;
	ssize_t len;
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "r");
	if (fp == NULL)
		die("cannot open corpus file %s", path);
	while ((len = getline(&buf, &bufsz, fp)) != -1)
	{
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (len == 0 || buf[0] == '#')
			continue;
		if (l.n == cap)
		{
			cap = cap ? cap * 2 : 256;
			l.v = realloc(l.v, cap * sizeof *l.v);
			if (l.v == NULL)
				die("%s", "out of memory");
		}
		l.v[l.n] = xmalloc((size_t)len + 1);
		memcpy(l.v[l.n], buf, (size_t)len + 1);
		l.n++;
	}
	free(buf);
	fclose(fp);
	if (l.n == 0)
		die("empty corpus file %s", path);
	return l;
}

/* Split a line in place on TABs; returns the number of fields. */
static int
split_tabs(char *s, char **f, int max)
{
	int n = 0;

	while (n < max)
	{
		f[n++] = s;
		s = strchr(s, '\t');
		if (s == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

static char *
dash_null(char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static int
spf_code(const char *s)
{
	if (strcmp(s, "pass") == 0)
		return DMARC_POLICY_SPF_OUTCOME_PASS;
	if (strcmp(s, "fail") == 0)
		return DMARC_POLICY_SPF_OUTCOME_FAIL;
	if (strcmp(s, "temperror") == 0)
		return DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
	return DMARC_POLICY_SPF_OUTCOME_NONE;
}

static int
dkim_code(const char *s)
{
	if (strcmp(s, "pass") == 0)
		return DMARC_POLICY_DKIM_OUTCOME_PASS;
	if (strcmp(s, "fail") == 0)
		return DMARC_POLICY_DKIM_OUTCOME_FAIL;
	if (strcmp(s, "temperror") == 0)
		return DMARC_POLICY_DKIM_OUTCOME_TMPFAIL;
	return DMARC_POLICY_DKIM_OUTCOME_NONE;
}

static struct record_case *
load_records(const char *dir, size_t *np)
{
	struct lines l = read_lines(dir, "records.txt");
	struct record_case *rc = xmalloc(l.n * sizeof *rc);
	char *f[2];
	size_t i;

	for (i = 0; i < l.n; i++)
	{
		if (split_tabs(l.v[i], f, 2) != 2)
			die("records.txt: bad line: %s", l.v[i]);
		rc[i].domain = f[0];
		rc[i].record = f[1];
	}
	free(l.v);
	*np = l.n;
	return rc;
}

static struct eval_case *
load_evals(const char *dir, size_t *np)
{
	struct lines l = read_lines(dir, "evals.txt");
	struct eval_case *ec = xmalloc(l.n * sizeof *ec);
	char *f[10];
	size_t i;

	for (i = 0; i < l.n; i++)
	{
		if (split_tabs(l.v[i], f, 10) != 10)
			die("evals.txt: bad line: %s", l.v[i]);
		ec[i].from = f[0];
		ec[i].rdomain = f[1];
		ec[i].org = dash_null(f[2]);
		ec[i].record = f[3];
		ec[i].spf_domain = f[4];
		ec[i].spf_result = spf_code(f[5]);
		ec[i].dkim_domain[0] = f[6];
		ec[i].dkim_result[0] = dkim_code(f[7]);
		ec[i].dkim_domain[1] = dash_null(f[8]);
		ec[i].dkim_result[1] = ec[i].dkim_domain[1] ? dkim_code(f[9]) : 0;
	}
	free(l.v);
	*np = l.n;
	return ec;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

/* Where the library we are running against was loaded from. */
static const char *
library_path(void)
{
	Dl_info info;
	union {
		OPENDMARC_STATUS_T (*fn)(OPENDMARC_LIB_T *);
		void *p;
	} u;

	u.fn = opendmarc_policy_library_init;
	if (dladdr(u.p, &info) == 0 || info.dli_fname == NULL)
		return "unknown";
	return info.dli_fname;
}

/* ------------------------------------------------------------------ */
/* The three workloads.  Each does one pass over its corpus.           */

static size_t parse_ok, parse_err;

static void
pass_parse(DMARC_POLICY_T *ctx, struct record_case *rc, size_t n)
{
	size_t i;
	int p;

	parse_ok = parse_err = 0;
	for (i = 0; i < n; i++)
	{
		if (opendmarc_policy_parse_dmarc(ctx, (u_char *)rc[i].domain,
		                                 (u_char *)rc[i].record) == DMARC_PARSE_OKAY)
		{
			parse_ok++;
			(void) opendmarc_policy_fetch_p(ctx, &p);
		}
		else
			parse_err++;
		(void) opendmarc_policy_connect_rset(ctx);
	}
}

static size_t tld_ok, tld_err, tld_bytes;

static void
pass_tld(char **dom, size_t n)
{
	u_char buf[512];
	size_t i;

	tld_ok = tld_err = tld_bytes = 0;
	for (i = 0; i < n; i++)
	{
		buf[0] = '\0';
		if (opendmarc_get_tld((u_char *)dom[i], buf, sizeof buf) == 0)
		{
			tld_ok++;
			tld_bytes += strlen((char *)buf);
		}
		else
			tld_err++;
	}
}

#define NRESULTS 8
static const char *const result_names[NRESULTS] = {
	"pass", "reject", "quarantine", "none", "absent", "from_absent",
	"init_failed", "other"
};
static size_t eval_hist[NRESULTS];

static int
result_index(int r)
{
	switch (r)
	{
	  case DMARC_POLICY_PASS:		return 0;
	  case DMARC_POLICY_REJECT:		return 1;
	  case DMARC_POLICY_QUARANTINE:		return 2;
	  case DMARC_POLICY_NONE:		return 3;
	  case DMARC_POLICY_ABSENT:		return 4;
	  case DMARC_FROM_DOMAIN_ABSENT:	return 5;
	  case -1:				return 6;
	  default:				return 7;
	}
}

/*
 * One complete evaluation, as the milter does it for a message:
 * connect_init, From: domain, the DMARC record, SPF and DKIM results,
 * the verdict, the alignment, rset, and freeing the context.
 */
static int
evaluate(struct eval_case *e, size_t i, int *dkim_al, int *spf_al)
{
	static u_char ip4[] = "192.0.2.25";
	static u_char ip6[] = "2001:db8::25";
	DMARC_POLICY_T *ctx;
	int r;

	ctx = opendmarc_policy_connect_init((i & 1) ? ip6 : ip4, (int)(i & 1));
	if (ctx == NULL)
		return -1;
	(void) opendmarc_policy_store_from_domain(ctx, (u_char *)e->from);
	(void) opendmarc_policy_store_dmarc(ctx, (u_char *)e->record,
	                                    (u_char *)e->rdomain, (u_char *)e->org);
	(void) opendmarc_policy_store_spf(ctx, (u_char *)e->spf_domain, e->spf_result,
	                                  DMARC_POLICY_SPF_ORIGIN_MAILFROM,
	                                  (u_char *)"sender policy");
	(void) opendmarc_policy_store_dkim(ctx, (u_char *)e->dkim_domain[0],
	                                   (u_char *)"s1", e->dkim_result[0], NULL);
	if (e->dkim_domain[1] != NULL)
		(void) opendmarc_policy_store_dkim(ctx, (u_char *)e->dkim_domain[1],
		                                   (u_char *)"s2048", e->dkim_result[1],
		                                   (u_char *)"signature");
	r = opendmarc_get_policy_to_enforce(ctx);
	*dkim_al = *spf_al = 0;
	(void) opendmarc_policy_fetch_alignment(ctx, dkim_al, spf_al);
	(void) opendmarc_policy_connect_rset(ctx);
	(void) opendmarc_policy_connect_shutdown(ctx);
	return r;
}

static void
pass_eval(struct eval_case *ec, size_t n)
{
	size_t i;
	int da, sa;

	memset(eval_hist, 0, sizeof eval_hist);
	for (i = 0; i < n; i++)
		eval_hist[result_index(evaluate(&ec[i], i, &da, &sa))]++;
}

/* ------------------------------------------------------------------ */

struct bench_state {
	DMARC_POLICY_T *ctx;
	struct record_case *rc;
	size_t nrc;
	char **dom;
	size_t ndom;
	struct eval_case *ec;
	size_t nec;
};

enum workload { W_PARSE, W_TLD, W_EVAL };

static void
one_pass(struct bench_state *s, enum workload w)
{
	switch (w)
	{
	  case W_PARSE:	pass_parse(s->ctx, s->rc, s->nrc); break;
	  case W_TLD:	pass_tld(s->dom, s->ndom); break;
	  case W_EVAL:	pass_eval(s->ec, s->nec); break;
	}
}

/*
 * Run passes for about `secs' seconds in ROUNDS rounds (each of at least
 * 2 passes) and return the best round's items per second: the best round
 * is the one least disturbed by whatever else the machine was doing.
 */
#define ROUNDS 5

static double
timed(struct bench_state *s, enum workload w, size_t items, double secs,
      unsigned long *passes_out)
{
	unsigned long passes, total = 0;
	double t0, t, rate, best = 0;
	int round;

	one_pass(s, w);			/* warm-up */
	for (round = 0; round < ROUNDS; round++)
	{
		passes = 0;
		t0 = now();
		do
		{
			one_pass(s, w);
			passes++;
			t = now() - t0;
		} while (t < secs / ROUNDS || passes < 2);
		total += passes;
		rate = (double)passes * (double)items / t;
		if (rate > best)
			best = rate;
	}
	*passes_out = total;
	return best;
}

static int
wanted(const char *only, const char *name)
{
	return only == NULL || strcmp(only, name) == 0;
}

static void
check_mode(struct bench_state *s)
{
	u_char buf[512];
	size_t i;
	int j, r, p, sp, adkim, aspf, pct, nrua, da, sa;
	u_char **rua;

	for (i = 0; i < s->ndom; i++)
	{
		buf[0] = '\0';
		r = opendmarc_get_tld((u_char *)s->dom[i], buf, sizeof buf);
		printf("tld\t%s\t%d\t%s\n", s->dom[i], r, r == 0 ? (char *)buf : "-");
	}
	for (i = 0; i < s->nrc; i++)
	{
		r = opendmarc_policy_parse_dmarc(s->ctx, (u_char *)s->rc[i].domain,
		                                 (u_char *)s->rc[i].record);
		if (r == DMARC_PARSE_OKAY)
		{
			p = sp = adkim = aspf = pct = 0;
			(void) opendmarc_policy_fetch_p(s->ctx, &p);
			(void) opendmarc_policy_fetch_sp(s->ctx, &sp);
			(void) opendmarc_policy_fetch_adkim(s->ctx, &adkim);
			(void) opendmarc_policy_fetch_aspf(s->ctx, &aspf);
			(void) opendmarc_policy_fetch_pct(s->ctx, &pct);
			rua = opendmarc_policy_fetch_rua(s->ctx, NULL, 0, 1);
			for (nrua = 0; rua != NULL && rua[nrua] != NULL; nrua++)
				continue;
			printf("parse\t%s\t%d\tp=%c sp=%c adkim=%c aspf=%c pct=%d rua=%d\n",
			       s->rc[i].record, r, p ? p : '-', sp ? sp : '-',
			       adkim ? adkim : '-', aspf ? aspf : '-', pct, nrua);
		}
		else
			printf("parse\t%s\t%d\n", s->rc[i].record, r);
		(void) opendmarc_policy_connect_rset(s->ctx);
	}
	for (i = 0; i < s->nec; i++)
	{
		r = evaluate(&s->ec[i], i, &da, &sa);
		j = result_index(r);
		printf("eval\t%s\t%s\t%s\tdkim_align=%d spf_align=%d\n", s->ec[i].from,
		       s->ec[i].record, result_names[j], da, sa);
	}
}

int
main(int argc, char **argv)
{
	OPENDMARC_LIB_T lib;
	struct bench_state s;
	const char *psl = DEFAULT_PSL;
	const char *corpus;
	double secs = 1.0, t0, rate;
	unsigned long passes;
	long rss_init;
	const char *only = NULL;
	int c, check = 0, r;
	struct lines dl;
	size_t i;

	while ((c = getopt(argc, argv, "cp:s:w:")) != -1)
	{
		switch (c)
		{
		  case 'c': check = 1; break;
		  case 'p': psl = optarg; break;
		  case 's': secs = atof(optarg); break;
		  case 'w': only = optarg; break;
		  default:
			fprintf(stderr, "usage: %s [-s seconds] [-p psl-file] [-w parse|tld|eval] [-c] corpus-dir\n",
			        argv[0]);
			return 2;
		}
	}
	if (optind + 1 != argc)
	{
		fprintf(stderr, "usage: %s [-s seconds] [-p psl-file] [-w parse|tld|eval] [-c] corpus-dir\n", argv[0]);
		return 2;
	}
	corpus = argv[optind];
	if (secs <= 0)
		secs = 1.0;

	memset(&s, 0, sizeof s);
	s.rc = load_records(corpus, &s.nrc);
	dl = read_lines(corpus, "domains.txt");
	s.dom = dl.v;
	s.ndom = dl.n;
	s.ec = load_evals(corpus, &s.nec);

	memset(&lib, 0, sizeof lib);
	lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
	if (strlen(psl) >= sizeof lib.tld_source_file)
		die("%s", "public suffix list path too long");
	memcpy(lib.tld_source_file, psl, strlen(psl) + 1);
	t0 = now();
	r = opendmarc_policy_library_init(&lib);
	t0 = now() - t0;
	if (r != DMARC_PARSE_OKAY)
	{
		fprintf(stderr, "bench_lib: opendmarc_policy_library_init(%s) = %d\n", psl, r);
		return 1;
	}
	rss_init = maxrss_kb();

	s.ctx = opendmarc_policy_connect_init((u_char *)"192.0.2.1", 0);
	if (s.ctx == NULL)
		die("%s", "opendmarc_policy_connect_init failed");

	if (check)
	{
		check_mode(&s);
	}
	else
	{
		printf("library %s\n", library_path());
		printf("init_ms %.2f\n", t0 * 1e3);
		printf("rss_init_kb %ld\n", rss_init);

		if (wanted(only, "parse"))
		{
			rate = timed(&s, W_PARSE, s.nrc, secs, &passes);
			printf("parse_items %zu\nparse_passes %lu\n", s.nrc, passes);
			printf("parse_ok %zu\nparse_err %zu\n", parse_ok, parse_err);
			printf("parse_per_sec %.0f\n", rate);
		}
		if (wanted(only, "tld"))
		{
			rate = timed(&s, W_TLD, s.ndom, secs, &passes);
			printf("tld_items %zu\ntld_passes %lu\n", s.ndom, passes);
			printf("tld_ok %zu\ntld_err %zu\n", tld_ok, tld_err);
			printf("tld_per_sec %.0f\n", rate);
		}
		if (wanted(only, "eval"))
		{
			rate = timed(&s, W_EVAL, s.nec, secs, &passes);
			printf("eval_items %zu\neval_passes %lu\n", s.nec, passes);
			printf("eval_results");
			for (i = 0; i < NRESULTS; i++)
				if (eval_hist[i] != 0)
					printf(" %s=%zu", result_names[i], eval_hist[i]);
			printf("\n");
			printf("eval_per_sec %.0f\n", rate);
		}
		printf("maxrss_kb %ld\n", maxrss_kb());
	}

	(void) opendmarc_policy_connect_shutdown(s.ctx);
	(void) opendmarc_policy_library_shutdown(&lib);

	/* Each case's first field is the start of its line's buffer. */
	for (i = 0; i < s.nrc; i++)
		free(s.rc[i].domain);
	for (i = 0; i < s.ndom; i++)
		free(s.dom[i]);
	for (i = 0; i < s.nec; i++)
		free(s.ec[i].from);
	free(s.rc);
	free(s.dom);
	free(s.ec);
	return 0;
}
