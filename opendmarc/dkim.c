/*
 * dkim - DKIM verification with libopendkim.  See dkim.h.
 */
#include "dkim.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <opendkim/dkim.h>

#include "dmlog.h"
#include "dynlib.h"
#include "dmarc.h"
#include "xalloc.h"

#define DKIMV_TEMPFAIL_MAX 8
#define DKIMV_NAME_MAX 512

enum dkimv_state { DKIMV_HEADERS, DKIMV_BODY, DKIMV_DONE };

/* A key lookup that failed temporarily, remembered for the result. */
struct keyfail {
	char domain[ADDR_DOMAIN_MAX];
	char selector[ADDR_DOMAIN_MAX];
};

struct dkimv {
	DKIM *dkim; /* NULL: nothing to verify */
	enum dkimv_state state;
	char jobid[128];
	size_t nkeyfail;
	struct keyfail keyfail[DKIMV_TEMPFAIL_MAX];
};

/* ---- the pure parts ---------------------------------------------------- */

static int sigerror_ares(int sigerror)
{
	switch (sigerror) {
	case DKIM_SIGERROR_KEYFAIL:
		return ARES_RESULT_TEMPERROR;
	case DKIM_SIGERROR_NOKEY: case DKIM_SIGERROR_DNSSYNTAX: case DKIM_SIGERROR_MULTIREPLY:
	case DKIM_SIGERROR_KEYVERSION: case DKIM_SIGERROR_KEYUNKNOWNHASH:
	case DKIM_SIGERROR_KEYHASHMISMATCH: case DKIM_SIGERROR_NOTEMAILKEY:
	case DKIM_SIGERROR_KEYTYPEMISSING: case DKIM_SIGERROR_KEYTYPEUNKNOWN:
	case DKIM_SIGERROR_KEYREVOKED: case DKIM_SIGERROR_KEYDECODE:
		return ARES_RESULT_PERMERROR;
	case DKIM_SIGERROR_KEYTOOSMALL:
		return ARES_RESULT_POLICY;
	case DKIM_SIGERROR_OK: case DKIM_SIGERROR_BADSIG: case DKIM_SIGERROR_EXPIRED:
	case DKIM_SIGERROR_FUTURE: case DKIM_SIGERROR_TIMESTAMPS: case DKIM_SIGERROR_SUBDOMAIN:
	case DKIM_SIGERROR_DOMAIN: case DKIM_SIGERROR_TOOLARGE_L: case DKIM_SIGERROR_MBSFAILED:
		return ARES_RESULT_FAIL;
	default: /* syntax: the signature could not be processed */
		return ARES_RESULT_NEUTRAL;
	}
}

int dkimv_ares(unsigned int flags, int bodyhash, int sigerror, int key_tempfail)
{
	if (key_tempfail)
		return ARES_RESULT_TEMPERROR;
	if ((flags & DKIM_SIGFLAG_PASSED) != 0 && bodyhash == DKIM_SIGBH_MATCH &&
	    sigerror == DKIM_SIGERROR_OK)
		return ARES_RESULT_PASS;
	return sigerror_ares(sigerror);
}

size_t dkimv_field(const char *name, const char *value, char *buf, size_t len)
{
	int space = value[0] != ' ' && value[0] != '\t';
	int n = snprintf(buf, len, "%s:%s%s", name, space ? " " : "", value);

	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* ---- libopendkim, loaded by dkimv_load() -------------------------------- */

#define DKIMV_SONAME "libopendkim.so.11"

static struct {
	__typeof__(dkim_body) *body;
	__typeof__(dkim_eoh) *eoh;
	__typeof__(dkim_eom) *eom;
	__typeof__(dkim_free) *free;
	__typeof__(dkim_get_user_context) *get_user_context;
	__typeof__(dkim_getresultstr) *getresultstr;
	__typeof__(dkim_getsiglist) *getsiglist;
	__typeof__(dkim_header) *header;
	__typeof__(dkim_init) *init;
	__typeof__(dkim_options) *options;
	__typeof__(dkim_set_final) *set_final;
	__typeof__(dkim_set_key_lookup) *set_key_lookup;
	__typeof__(dkim_set_user_context) *set_user_context;
	__typeof__(dkim_sig_getbh) *sig_getbh;
	__typeof__(dkim_sig_getdomain) *sig_getdomain;
	__typeof__(dkim_sig_geterror) *sig_geterror;
	__typeof__(dkim_sig_getflags) *sig_getflags;
	__typeof__(dkim_sig_getselector) *sig_getselector;
	__typeof__(dkim_sig_ignore) *sig_ignore;
	__typeof__(dkim_verify) *verify;
} dk;

#define DK_SYM(f) { "dkim_" #f, (void **)&dk.f }
static const struct dynlib_sym dk_syms[] = {
	DK_SYM(body), DK_SYM(eoh), DK_SYM(eom), DK_SYM(free), DK_SYM(get_user_context),
	DK_SYM(getresultstr), DK_SYM(getsiglist), DK_SYM(header), DK_SYM(init),
	DK_SYM(options), DK_SYM(set_final), DK_SYM(set_key_lookup), DK_SYM(set_user_context),
	DK_SYM(sig_getbh), DK_SYM(sig_getdomain), DK_SYM(sig_geterror), DK_SYM(sig_getflags),
	DK_SYM(sig_getselector), DK_SYM(sig_ignore), DK_SYM(verify),
};

static struct dynlib dk_lib = DYNLIB_INIT(DKIMV_SONAME, dk_syms, "DKIMSelfValidate", NULL);

int dkimv_load(char *err, size_t errlen)
{
	return dynlib_need(&dk_lib, err, errlen);
}

/* ---- the library handle and its key lookup ---------------------------- */

static DKIM_LIB *lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void keyfail_note(struct dkimv *v, const char *domain, const char *selector)
{
	struct keyfail *k;

	if (v == NULL || v->nkeyfail == DKIMV_TEMPFAIL_MAX)
		return;
	k = &v->keyfail[v->nkeyfail++];
	snprintf(k->domain, sizeof k->domain, "%s", domain);
	snprintf(k->selector, sizeof k->selector, "%s", selector);
}

static int keyfail_has(const struct dkimv *v, const char *domain, const char *selector)
{
	size_t i;

	for (i = 0; i < v->nkeyfail; i++)
		if (strcasecmp(v->keyfail[i].domain, domain) == 0 &&
		    strcasecmp(v->keyfail[i].selector, selector) == 0)
			return 1;
	return 0;
}

/* The first TXT record at <selector>._domainkey.<domain> into buf. */
static DKIM_CBSTAT key_lookup(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	const char *d = (const char *)dk.sig_getdomain(sig);
	const char *s = (const char *)dk.sig_getselector(sig);
	char name[DKIMV_NAME_MAX], *txt[1];
	size_t n;
	OPENDMARC_STATUS_T st;
	DKIM_CBSTAT cb = DKIM_CBSTAT_ERROR;

	if (d == NULL || s == NULL ||
	    (size_t)snprintf(name, sizeof name, "%s.%s.%s", s, DKIM_DNSKEYNAME, d) >= sizeof name)
		return DKIM_CBSTAT_NOTFOUND;
	/* the library's resolver: one cache, one configuration, its fakes */
	st = opendmarc_dns_get_txt(name, txt, 1, &n);
	if (st == DMARC_DNS_ERROR_NXDOMAIN || st == DMARC_DNS_ERROR_NO_RECORD)
		return DKIM_CBSTAT_NOTFOUND;
	if (st == DMARC_DNS_ERROR_TMPERR) {
		keyfail_note(dk.get_user_context(dkim), d, s);
		return DKIM_CBSTAT_TRYAGAIN;
	}
	if (st != DMARC_PARSE_OKAY)
		return DKIM_CBSTAT_ERROR;
	if (n > 0 && strlen(txt[0]) < buflen) {
		memcpy(buf, txt[0], strlen(txt[0]) + 1);
		cb = DKIM_CBSTAT_CONTINUE;
	}
	if (n > 0)
		free(txt[0]);
	return cb;
}

/* Called once all signatures are known: verify the first DKIMV_MAX_SIGS. */
static DKIM_CBSTAT limit_signatures(DKIM *dkim, DKIM_SIGINFO **sigs, int nsigs)
{
	int i;

	for (i = DKIMV_MAX_SIGS; i < nsigs; i++)
		dk.sig_ignore(sigs[i]);
	return DKIM_CBSTAT_CONTINUE;
}

static void lib_init(void)
{
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF | DKIM_LIBFLAGS_DELAYSIGPROC;

	lib = dk.init(NULL, NULL);
	if (lib == NULL) {
		dmlog(LOG_ERR, "libopendkim: dkim_init() failed");
		return;
	}
	(void)dk.options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
	(void)dk.set_key_lookup(lib, key_lookup);
	(void)dk.set_final(lib, limit_signatures);
}

/* ---- one message -------------------------------------------------------- */

struct dkimv *dkimv_begin(const char *jobid)
{
	struct dkimv *v = xcalloc(1, sizeof(*v));
	DKIM_STAT st = DKIM_STAT_INTERNAL;
	char err[600];

	snprintf(v->jobid, sizeof v->jobid, "%s", jobid);
	if (dkimv_load(err, sizeof err) != 0) {
		dmlog(LOG_ERR, "%s: %s", v->jobid, err);
		v->state = DKIMV_DONE;
		return v;
	}
	pthread_once(&lib_once, lib_init);
	if (lib != NULL)
		v->dkim = dk.verify(lib, (const unsigned char *)v->jobid, NULL, &st);
	if (v->dkim == NULL) {
		dmlog(LOG_ERR, "%s: dkim_verify(): %s", v->jobid, dk.getresultstr(st));
		v->state = DKIMV_DONE;
		return v;
	}
	(void)dk.set_user_context(v->dkim, v);
	return v;
}

void dkimv_header(struct dkimv *v, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 3;
	char *buf;

	if (v->state != DKIMV_HEADERS)
		return;
	buf = xcalloc(1, len);
	len = dkimv_field(name, value, buf, len);
	if (len > 0)
		(void)dk.header(v->dkim, (u_char *)buf, len);
	free(buf);
}

static void end_of_header(struct dkimv *v)
{
	DKIM_STAT st = dk.eoh(v->dkim);

	v->state = st == DKIM_STAT_NOSIG ? DKIMV_DONE : DKIMV_BODY;
}

void dkimv_body(struct dkimv *v, const unsigned char *buf, size_t len)
{
	if (v->state == DKIMV_HEADERS)
		end_of_header(v);
	if (v->state == DKIMV_BODY && len > 0)
		(void)dk.body(v->dkim, (u_char *)buf, len);
}

static void lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int one_result(const struct dkimv *v, DKIM_SIGINFO *sig, struct auth_dkim *out)
{
	unsigned int flags = dk.sig_getflags(sig);
	const char *d = (const char *)dk.sig_getdomain(sig);
	const char *s = (const char *)dk.sig_getselector(sig);

	if ((flags & DKIM_SIGFLAG_IGNORE) != 0 || d == NULL || d[0] == '\0')
		return 0;
	memset(out, 0, sizeof(*out));
	snprintf(out->domain, sizeof out->domain, "%s", d);
	snprintf(out->selector, sizeof out->selector, "%s", s != NULL ? s : "");
	lower(out->domain);
	out->ares = dkimv_ares(flags, dk.sig_getbh(sig), dk.sig_geterror(sig),
			       keyfail_has(v, out->domain, out->selector));
	out->outcome = ares_dkim_outcome(out->ares);
	return 1;
}

size_t dkimv_end(struct dkimv *v, struct auth_dkim *out, size_t max)
{
	DKIM_SIGINFO **sigs = NULL;
	int nsigs = 0, i;
	size_t n = 0;

	if (v->state == DKIMV_HEADERS)
		end_of_header(v);
	if (v->state != DKIMV_BODY)
		return 0;
	v->state = DKIMV_DONE;
	(void)dk.eom(v->dkim, NULL);
	if (dk.getsiglist(v->dkim, &sigs, &nsigs) != DKIM_STAT_OK)
		return 0;
	for (i = 0; i < nsigs && n < max; i++)
		n += (size_t)one_result(v, sigs[i], &out[n]);
	return n;
}

void dkimv_free(struct dkimv **vp)
{
	struct dkimv *v = *vp;

	if (v == NULL)
		return;
	if (v->dkim != NULL)
		(void)dk.free(v->dkim);
	free(v);
	*vp = NULL;
}
