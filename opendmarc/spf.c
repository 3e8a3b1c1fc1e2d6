/*
 * spf - SPF checks with libspf2.  See spf.h.
 */
#include "spf.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <spf2/spf.h>
#include <spf2/spf_dns.h>
#include <spf2/spf_dns_resolv.h>
#include <spf2/spf_dns_rr.h>

#include "dmarc.h"
#include "dmlog.h"
#include "dynlib.h"
#include "xalloc.h"

#define SPF_POOL_MAX 64

/* ---- the pure parts ---------------------------------------------------- */

static const struct {
	const char *word;
	int ares;
} verdicts[] = {
	[SPF_V_NONE] = { "none", ARES_RESULT_NONE },
	[SPF_V_NEUTRAL] = { "neutral", ARES_RESULT_NEUTRAL },
	[SPF_V_PASS] = { "pass", ARES_RESULT_PASS },
	[SPF_V_FAIL] = { "fail", ARES_RESULT_FAIL },
	[SPF_V_SOFTFAIL] = { "softfail", ARES_RESULT_SOFTFAIL },
	[SPF_V_TEMPERROR] = { "temperror", ARES_RESULT_TEMPERROR },
	[SPF_V_PERMERROR] = { "permerror", ARES_RESULT_PERMERROR },
};

void spf_fill(enum spf_verdict v, int origin, const char *domain, struct auth_spf *res)
{
	memset(res, 0, sizeof(*res));
	res->have = 1;
	res->origin = origin != 0 ? origin : DMARC_POLICY_SPF_ORIGIN_MAILFROM;
	res->ares = verdicts[v].ares;
	res->outcome = ares_spf_outcome(res->ares);
	snprintf(res->word, sizeof res->word, "%s", verdicts[v].word);
	snprintf(res->domain, sizeof res->domain, "%s", domain);
}

/* A HELO name worth checking: not empty, not an address literal. */
static int helo_usable(const char *helo)
{
	return helo != NULL && helo[0] != '\0' && helo[0] != '[' && strchr(helo, '.') != NULL;
}

int spf_identity(const char *mailfrom, const char *helo, char *sender, size_t senderlen,
		 char *domain, size_t domainlen)
{
	const char *at = mailfrom != NULL ? strrchr(mailfrom, '@') : NULL;

	if (at != NULL && at[1] != '\0') {
		if ((size_t)snprintf(sender, senderlen, "%s", mailfrom) >= senderlen ||
		    (size_t)snprintf(domain, domainlen, "%s", at + 1) >= domainlen)
			return 0;
		return DMARC_POLICY_SPF_ORIGIN_MAILFROM;
	}
	if ((mailfrom == NULL || mailfrom[0] == '\0') && helo_usable(helo)) {
		if ((size_t)snprintf(sender, senderlen, "postmaster@%s", helo) >= senderlen ||
		    (size_t)snprintf(domain, domainlen, "%s", helo) >= domainlen)
			return 0;
		return DMARC_POLICY_SPF_ORIGIN_HELO;
	}
	return 0;
}

/* ---- libspf2, loaded by spf_load() -------------------------------------- */

#define SPF_SONAME "libspf2.so.2"

static struct {
	__typeof__(SPF_dns_free) *dns_free;
	__typeof__(SPF_dns_lookup) *dns_lookup;
	__typeof__(SPF_dns_resolv_new) *dns_resolv_new;
	__typeof__(SPF_dns_rr_buf_realloc) *dns_rr_buf_realloc;
	__typeof__(SPF_dns_rr_new_init) *dns_rr_new_init;
	__typeof__(SPF_request_free) *request_free;
	__typeof__(SPF_request_new) *request_new;
	__typeof__(SPF_request_query_mailfrom) *request_query_mailfrom;
	__typeof__(SPF_request_set_env_from) *request_set_env_from;
	__typeof__(SPF_request_set_helo_dom) *request_set_helo_dom;
	__typeof__(SPF_request_set_ipv4_str) *request_set_ipv4_str;
	__typeof__(SPF_request_set_ipv6_str) *request_set_ipv6_str;
	__typeof__(SPF_response_free) *response_free;
	__typeof__(SPF_response_result) *response_result;
	__typeof__(SPF_server_free) *server_free;
	__typeof__(SPF_server_new_dns) *server_new_dns;
	/* variables: the library's log handlers */
	__typeof__(SPF_warning_handler) *warning_handler;
	__typeof__(SPF_info_handler) *info_handler;
	__typeof__(SPF_debug_handler) *debug_handler;
} sp;

#define SP_SYM(f) { "SPF_" #f, (void **)&sp.f }
static const struct dynlib_sym sp_syms[] = {
	SP_SYM(dns_free), SP_SYM(dns_lookup), SP_SYM(dns_resolv_new), SP_SYM(dns_rr_buf_realloc),
	SP_SYM(dns_rr_new_init), SP_SYM(request_free), SP_SYM(request_new),
	SP_SYM(request_query_mailfrom), SP_SYM(request_set_env_from),
	SP_SYM(request_set_helo_dom), SP_SYM(request_set_ipv4_str),
	SP_SYM(request_set_ipv6_str), SP_SYM(response_free), SP_SYM(response_result),
	SP_SYM(server_free), SP_SYM(server_new_dns), SP_SYM(warning_handler),
	SP_SYM(info_handler), SP_SYM(debug_handler),
};

static void spf_log(const char *file, int line, const char *msg)
{
	dmlog(LOG_DEBUG, "libspf2: %s", msg);
}

/* once loaded: libspf2's own messages go to our log (debug ones nowhere) */
static void set_log_handlers(void)
{
	*sp.warning_handler = spf_log;
	*sp.info_handler = spf_log;
	*sp.debug_handler = NULL;
}

static struct dynlib sp_lib = DYNLIB_INIT(SPF_SONAME, sp_syms, "SPFSelfValidate", set_log_handlers);

int spf_load(char *err, size_t errlen)
{
	return dynlib_need(&sp_lib, err, errlen);
}

/* ---- a libspf2 DNS layer: TXT through libopendmarc's resolver -------- */

static SPF_dns_stat_t herrno_of(OPENDMARC_STATUS_T st)
{
	switch (st) {
	case DMARC_PARSE_OKAY:
		return NETDB_SUCCESS;
	case DMARC_DNS_ERROR_NXDOMAIN:
		return HOST_NOT_FOUND;
	case DMARC_DNS_ERROR_NO_RECORD:
		return NO_DATA;
	case DMARC_DNS_ERROR_TMPERR:
		return TRY_AGAIN;
	default:
		return NO_RECOVERY;
	}
}

#define SPF_TXT_MAX 16

static SPF_dns_rr_t *txt_answer(SPF_dns_server_t *srv, const char *domain)
{
	char *txt[SPF_TXT_MAX];
	size_t n = 0, i;
	OPENDMARC_STATUS_T st = opendmarc_dns_get_txt(domain, txt, SPF_TXT_MAX, &n);
	SPF_dns_rr_t *rr = sp.dns_rr_new_init(srv, domain, ns_t_txt, 0, herrno_of(st));

	for (i = 0; i < n; i++) {
		size_t len = strlen(txt[i]);

		if (rr != NULL && sp.dns_rr_buf_realloc(rr, rr->num_rr, len + 1) == SPF_E_SUCCESS) {
			memcpy(rr->rr[rr->num_rr]->txt, txt[i], len + 1);
			rr->num_rr++;
		}
		free(txt[i]);
	}
	return rr;
}

static SPF_dns_rr_t *layer_lookup(SPF_dns_server_t *srv, const char *domain, ns_type type,
				  int should_cache)
{
	if (type == ns_t_txt)
		return txt_answer(srv, domain);
	if (type == ns_t_spf) /* RR type 99 is obsolete (RFC 7208 3.1) */
		return sp.dns_rr_new_init(srv, domain, type, 0, NO_DATA);
	return sp.dns_lookup(srv->layer_below, domain, type, should_cache);
}

static void layer_destroy(SPF_dns_server_t *srv)
{
	if (srv->layer_below != NULL)
		sp.dns_free(srv->layer_below);
	free(srv);
}

static SPF_server_t *server_new(void)
{
	SPF_dns_server_t *below = sp.dns_resolv_new(NULL, "resolv", 0);
	SPF_dns_server_t *top;
	SPF_server_t *s;

	if (below == NULL)
		return NULL;
	top = xcalloc(1, sizeof(*top));
	top->destroy = layer_destroy;
	top->lookup = layer_lookup;
	top->layer_below = below;
	top->name = "opendmarc";
	s = sp.server_new_dns(top, 0);
	if (s == NULL)
		layer_destroy(top);
	return s;
}

static void server_free(SPF_server_t *s)
{
	SPF_dns_server_t *dns = s->resolver;

	sp.server_free(s); /* does not free a resolver it was given */
	sp.dns_free(dns);
}

/* ---- the pool ---------------------------------------------------------- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static SPF_server_t *pool[SPF_POOL_MAX];
static size_t npool;

static SPF_server_t *server_get(void)
{
	SPF_server_t *s = NULL;

	pthread_mutex_lock(&pool_lock);
	if (npool > 0)
		s = pool[--npool];
	pthread_mutex_unlock(&pool_lock);
	return s != NULL ? s : server_new();
}

static void server_put(SPF_server_t *s)
{
	pthread_mutex_lock(&pool_lock);
	if (npool < SPF_POOL_MAX) {
		pool[npool++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	if (s != NULL)
		server_free(s);
}

/* ---- one check ---------------------------------------------------------- */

/* libspf2 gives no result ("invalid") with an error code for a record it
 * cannot parse (RFC 7208 4.6: permerror) as for a failed lookup. */
static enum spf_verdict invalid_verdict(SPF_errcode_t err)
{
	switch (err) {
	case SPF_E_NO_MEMORY: case SPF_E_INTERNAL_ERROR: case SPF_E_DNS_ERROR:
	case SPF_E_NOT_CONFIG:
		return SPF_V_TEMPERROR;
	default:
		return SPF_V_PERMERROR;
	}
}

static enum spf_verdict verdict_of(SPF_result_t r, SPF_errcode_t err)
{
	switch (r) {
	case SPF_RESULT_PASS:
		return SPF_V_PASS;
	case SPF_RESULT_FAIL:
		return SPF_V_FAIL;
	case SPF_RESULT_SOFTFAIL:
		return SPF_V_SOFTFAIL;
	case SPF_RESULT_NEUTRAL:
		return SPF_V_NEUTRAL;
	case SPF_RESULT_NONE:
		return SPF_V_NONE;
	case SPF_RESULT_PERMERROR:
		return SPF_V_PERMERROR;
	case SPF_RESULT_TEMPERROR:
		return SPF_V_TEMPERROR;
	default:
		return invalid_verdict(err);
	}
}

static int set_client(SPF_request_t *rq, const char *ip)
{
	if (strchr(ip, ':') != NULL)
		return sp.request_set_ipv6_str(rq, ip) == SPF_E_SUCCESS ? 0 : -1;
	return sp.request_set_ipv4_str(rq, ip) == SPF_E_SUCCESS ? 0 : -1;
}

static enum spf_verdict run(SPF_server_t *srv, const char *ip, const char *sender,
			    const char *helo)
{
	SPF_request_t *rq = sp.request_new(srv);
	SPF_response_t *resp = NULL;
	enum spf_verdict v = SPF_V_TEMPERROR;

	if (rq == NULL)
		return v;
	if (set_client(rq, ip) == 0 &&
	    (helo == NULL || helo[0] == '\0' || sp.request_set_helo_dom(rq, helo) == SPF_E_SUCCESS) &&
	    sp.request_set_env_from(rq, sender) == 0) {
		SPF_errcode_t err = sp.request_query_mailfrom(rq, &resp);

		if (resp != NULL)
			v = verdict_of(sp.response_result(resp), err);
	}
	if (resp != NULL)
		sp.response_free(resp);
	sp.request_free(rq);
	return v;
}

void spf_check(const char *ip, const char *mailfrom, const char *helo, struct auth_spf *res)
{
	char sender[512], domain[ADDR_DOMAIN_MAX], err[600];
	int origin = spf_identity(mailfrom, helo, sender, sizeof sender, domain, sizeof domain);
	SPF_server_t *srv;

	if (origin == 0) {
		spf_fill(SPF_V_NONE, mailfrom != NULL && mailfrom[0] != '\0'
			 ? DMARC_POLICY_SPF_ORIGIN_MAILFROM : DMARC_POLICY_SPF_ORIGIN_HELO,
			 "", res);
		return;
	}
	if (spf_load(err, sizeof err) != 0) {
		dmlog(LOG_ERR, "%s", err);
		spf_fill(SPF_V_TEMPERROR, origin, domain, res);
		return;
	}
	srv = server_get(); /* DNS: the library's resolver, its timeout (DNSTimeout) */
	if (srv == NULL) {
		dmlog(LOG_ERR, "libspf2: cannot create an SPF server");
		spf_fill(SPF_V_TEMPERROR, origin, domain, res);
		return;
	}
	spf_fill(run(srv, ip, sender, helo), origin, domain, res);
	server_put(srv);
}
