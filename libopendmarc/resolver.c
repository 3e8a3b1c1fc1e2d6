/*
 * NAME
 *	resolver - the only module that talks DNS
 * DESCRIPTION
 *	Contract in resolver.h.  Four parts, top to bottom: settings (name
 *	servers, timeout, fake answers), the TTL cache, the wire (one query
 *	through libresolv, one response parsed), and the public lookups.
 *
 *	Decisions taken here:
 *	- Each query gets its own res_state (res_ninit ... res_nclose), so
 *	  threads share nothing inside libresolv.  retry is 1 and retrans is
 *	  chosen so that glibc waits at most the configured timeout for each
 *	  server (glibc gives server n retrans << n / nscount seconds).
 *	- glibc's res_nsend() itself moves to the next server on SERVFAIL,
 *	  REFUSED and NOTIMP and fails when every server gave one of them or
 *	  none answered: all of that is RESOLVER_TEMPFAIL.  A refusing or
 *	  broken recursive resolver is a local fault that must tempfail mail,
 *	  not let it pass as "no policy".  FORMERR and other rcodes we get to
 *	  see are RESOLVER_PERMFAIL, like names that cannot be queried.
 *	- A truncated UDP answer is asked again over TCP: RES_IGNTC is
 *	  cleared, so res_nsend() switches to TCP (as RES_USEVC would) for
 *	  that server by itself.  A TC bit on the final answer, or a response
 *	  libresolv cannot parse, is TEMPFAIL.  Limitation: glibc reads TCP
 *	  answers without a timeout, so a server that answers UDP with TC and
 *	  then stalls on TCP can hold a lookup longer than the timeout.
 *	- CNAMEs are followed inside an answer and, when the answer ends in a
 *	  CNAME without data, by asking for the target: at most 8 CNAMEs in
 *	  all; a longer chain or a loop is PERMFAIL (the domain's own fault,
 *	  so it is "no record", not a retry forever).  A name whose CNAME
 *	  points nowhere exists: NXDOMAIN for the target becomes NODATA.
 *	- TXT: the character-strings of one record are joined without
 *	  separators; records holding a NUL byte are skipped; at most
 *	  RESOLVER_TXT_MAX records are kept.
 *	- Cache: key (type, lower-cased name), value (status, TXT strings,
 *	  expiry on the monotonic clock).  Positive answers live for the
 *	  smallest TTL of the records and CNAMEs used (at most a day),
 *	  NXDOMAIN/NODATA for min(SOA TTL, SOA MINIMUM) (RFC 2308) capped at
 *	  300 s, and a TTL of 0 is not cached.  TEMPFAIL and PERMFAIL are never
 *	  cached.  At most CACHE_MAX entries; the least recently used goes.
 *	  Changing the name servers (not the timeout) empties the cache.
 *	- Fake answers (resolver_fake) keep OpenDMARC 1.4.2's semantics of
 *	  opendmarc_dns_fake_record(): once any fake exists, every lookup is
 *	  answered from the fake table only (matched by the full query name,
 *	  case-insensitively) and a name missing from it has no records
 *	  (NODATA).  Beyond it: several fakes for one name are several TXT
 *	  records (OpenDMARC returned the first), and a NULL answer makes the
 *	  name NXDOMAIN (OpenDMARC crashed).  Fakes bypass the cache.
 *	- resolver_configure(n, addrs, t): n < 0 keeps the servers, n == 0
 *	  means /etc/resolv.conf's (with its options, e.g. rotate), n > 0
 *	  servers are asked in the order given; t <= 0 keeps the timeout
 *	  (default 5 s), which replaces resolv.conf's timeout and attempts.
 *	  Only AF_INET entries of addrs are used (none left: resolv.conf).
 *	  resolver_shutdown() also restores these defaults.
 */
#include "config.h"

#include <sys/types.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "resolver.h"

#define DEFAULT_TIMEOUT 5   /* seconds per server */
#define CNAME_HOPS_MAX 8
#define ANSWER_MAX 65536    /* largest DNS message (TCP) */
#define NAME_MAX_LEN 253    /* presentation form, no trailing dot */
#define CACHE_MAX 4096
#define CACHE_BUCKETS 8192
#define TTL_POS_MAX 86400U
#define TTL_NEG_MAX 300U

/* the outcome of one lookup, before it is handed out */
struct answer {
	enum resolver_status st;
	uint32_t ttl; /* how long it may be cached */
	struct resolver_txt_list txt;
};

/* ---- small helpers ---- */

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* milliseconds on the monotonic clock */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char ascii_lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

static char *dup_bytes(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* appends a copy of s; -1 on allocation failure, 0 otherwise (full: dropped) */
static int txt_add(struct resolver_txt_list *list, const char *s, size_t len)
{
	char *p;

	if (list->count >= RESOLVER_TXT_MAX)
		return 0;
	p = dup_bytes(s, len);
	if (p == NULL)
		return -1;
	list->txt[list->count++] = p;
	return 0;
}

static int txt_copy(struct resolver_txt_list *dst, const struct resolver_txt_list *src)
{
	memset(dst, 0, sizeof *dst);
	for (size_t i = 0; i < src->count; i++) {
		if (txt_add(dst, src->txt[i], strlen(src->txt[i])) != 0) {
			resolver_txt_list_free(dst);
			return -1;
		}
	}
	return 0;
}

static void answer_set(struct answer *a, enum resolver_status st, uint32_t ttl)
{
	resolver_txt_list_free(&a->txt);
	a->st = st;
	a->ttl = ttl;
}

/*
 * name_key - the lookup form of a name: ASCII lower case, no trailing
 * dot, 1..253 octets, labels of 1..63 octets, no backslash (libresolv
 * would read it as an escape).  Returns 0, or -1 for a name that cannot
 * be asked.
 */
static int name_key(const char *name, char *key, size_t keylen)
{
	size_t len, label = 0;

	if (name == NULL)
		return -1;
	len = strnlen(name, NAME_MAX_LEN + 2);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > NAME_MAX_LEN || len >= keylen)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '\\')
			return -1;
		label = c == '.' ? 0 : label + 1;
		if ((c == '.' && (i == 0 || name[i - 1] == '.')) || label > 63)
			return -1;
		key[i] = ascii_lower((char)c);
	}
	if (name[len - 1] == '.')
		return -1;
	key[len] = '\0';
	return 0;
}

/* ---- settings: name servers, timeout, fake answers ---- */

struct conf {
	int nscount; /* 0: /etc/resolv.conf */
	struct sockaddr_in ns[MAXNS];
	int timeout;
};

struct fake {
	struct fake *next;
	char *answer; /* NULL: the name does not exist */
	char name[];
};

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conf settings = { .nscount = 0, .timeout = DEFAULT_TIMEOUT };
static struct fake *fakes;
static struct fake **fakes_tail = &fakes;

static void cache_flush(void);

/* the IPv4 entries of addrs (others cannot be used); their number */
static int usable_servers(int nscount, const struct sockaddr_in *addrs, struct sockaddr_in *out)
{
	int n = 0;

	for (int i = 0; i < nscount && n < MAXNS; i++) {
		if (addrs[i].sin_family != AF_INET)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		out[n].sin_family = AF_INET;
		out[n].sin_port = addrs[i].sin_port;
		out[n].sin_addr = addrs[i].sin_addr;
		n++;
	}
	return n;
}

void resolver_configure(int nscount, const struct sockaddr_in *nsaddrs, int timeout_seconds)
{
	struct sockaddr_in ns[MAXNS];
	int changed = 0, n = -1;

	if (nscount == 0 || (nscount > 0 && nsaddrs != NULL))
		n = usable_servers(nscount, nsaddrs, ns);
	pthread_mutex_lock(&settings_lock);
	if (n >= 0 && (n != settings.nscount ||
		       memcmp(ns, settings.ns, (size_t)n * sizeof ns[0]) != 0)) {
		settings.nscount = n;
		memcpy(settings.ns, ns, (size_t)n * sizeof ns[0]);
		changed = 1;
	}
	if (timeout_seconds > 0)
		settings.timeout = timeout_seconds;
	pthread_mutex_unlock(&settings_lock);
	if (changed)
		cache_flush();
}

static void settings_snapshot(struct conf *cf)
{
	pthread_mutex_lock(&settings_lock);
	*cf = settings;
	pthread_mutex_unlock(&settings_lock);
}

void resolver_fake(const char *name, const char *answer)
{
	char key[NS_MAXDNAME];
	struct fake *f;
	size_t klen;

	if (name_key(name, key, sizeof key) != 0)
		return;
	klen = strlen(key);
	f = malloc(sizeof *f + klen + 1);
	if (f == NULL)
		return;
	memcpy(f->name, key, klen + 1);
	f->next = NULL;
	f->answer = answer != NULL ? dup_bytes(answer, strlen(answer)) : NULL;
	if (answer != NULL && f->answer == NULL) {
		free(f);
		return;
	}
	pthread_mutex_lock(&settings_lock);
	*fakes_tail = f;
	fakes_tail = &f->next;
	pthread_mutex_unlock(&settings_lock);
}

/* fills a from the fake table; 0 when there are no fakes at all */
static int fake_lookup(const char *key, int type, struct answer *a)
{
	int nx = 0, nomem = 0, active;

	pthread_mutex_lock(&settings_lock);
	active = fakes != NULL;
	for (const struct fake *f = fakes; f != NULL; f = f->next) {
		if (strcmp(f->name, key) != 0)
			continue;
		if (f->answer == NULL)
			nx = 1;
		else if (type == ns_t_txt && txt_add(&a->txt, f->answer, strlen(f->answer)) != 0)
			nomem = 1;
	}
	pthread_mutex_unlock(&settings_lock);
	if (!active)
		return 0;
	if (nomem)
		answer_set(a, RESOLVER_TEMPFAIL, 0);
	else
		a->st = a->txt.count > 0 ? RESOLVER_OK : nx ? RESOLVER_NXDOMAIN : RESOLVER_NODATA;
	return 1;
}

/* forgets the fakes and restores the default settings */
static void settings_reset(void)
{
	struct fake *f, *next;

	pthread_mutex_lock(&settings_lock);
	for (f = fakes; f != NULL; f = next) {
		next = f->next;
		free(f->answer);
		free(f);
	}
	fakes = NULL;
	fakes_tail = &fakes;
	settings.nscount = 0;
	settings.timeout = DEFAULT_TIMEOUT;
	pthread_mutex_unlock(&settings_lock);
}

/* ---- the cache ---- */

struct centry {
	struct centry *hnext;         /* same bucket */
	struct centry *older, *newer; /* recency list */
	int type;
	enum resolver_status st;
	int64_t expires; /* now_ms() */
	struct resolver_txt_list txt;
	char name[];
};

static struct {
	pthread_mutex_t lock;
	struct centry *bucket[CACHE_BUCKETS];
	struct centry *newest, *oldest;
	size_t count;
	unsigned long gen; /* bumped by every flush */
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t cache_hash(int type, const char *key)
{
	uint32_t h = 2166136261U ^ (uint32_t)type; /* FNV-1a */

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 16777619U;
	}
	return h % CACHE_BUCKETS;
}

static void lru_unlink(struct centry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		cache.newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		cache.oldest = e->newer;
	e->older = e->newer = NULL;
}

static void lru_push(struct centry *e)
{
	e->older = cache.newest;
	e->newer = NULL;
	if (cache.newest != NULL)
		cache.newest->newer = e;
	cache.newest = e;
	if (cache.oldest == NULL)
		cache.oldest = e;
}

static void centry_free(struct centry *e)
{
	resolver_txt_list_free(&e->txt);
	free(e);
}

/* removes e from the bucket chain and the recency list; lock held */
static void cache_drop(struct centry *e)
{
	struct centry **pp = &cache.bucket[cache_hash(e->type, e->name)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(e);
	cache.count--;
	centry_free(e);
}

/* the live entry for (type, key), expired ones dropped; lock held */
static struct centry *cache_find(int type, const char *key)
{
	struct centry *e = cache.bucket[cache_hash(type, key)];

	while (e != NULL && (e->type != type || strcmp(e->name, key) != 0))
		e = e->hnext;
	if (e != NULL && e->expires <= now_ms()) {
		cache_drop(e);
		e = NULL;
	}
	return e;
}

static int cache_get(int type, const char *key, struct answer *a)
{
	struct centry *e;
	int hit = 0;

	pthread_mutex_lock(&cache.lock);
	e = cache_find(type, key);
	if (e != NULL) {
		hit = 1;
		lru_unlink(e);
		lru_push(e);
		a->st = txt_copy(&a->txt, &e->txt) == 0 ? e->st : RESOLVER_TEMPFAIL;
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

static struct centry *centry_new(int type, const char *key, const struct answer *a)
{
	size_t klen = strlen(key);
	struct centry *e = malloc(sizeof *e + klen + 1);

	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof *e);
	if (txt_copy(&e->txt, &a->txt) != 0) {
		free(e);
		return NULL;
	}
	memcpy(e->name, key, klen + 1);
	e->type = type;
	e->st = a->st;
	e->expires = now_ms() + (int64_t)a->ttl * 1000;
	return e;
}

static void cache_put(int type, const char *key, const struct answer *a, unsigned long gen)
{
	struct centry *e, *old;

	if (a->ttl == 0 || (a->st != RESOLVER_OK && a->st != RESOLVER_NODATA &&
			    a->st != RESOLVER_NXDOMAIN))
		return;
	e = centry_new(type, key, a);
	if (e == NULL)
		return;
	pthread_mutex_lock(&cache.lock);
	if (gen != cache.gen) {
		pthread_mutex_unlock(&cache.lock);
		centry_free(e);
		return;
	}
	old = cache_find(type, key);
	if (old != NULL)
		cache_drop(old);
	e->hnext = cache.bucket[cache_hash(type, key)];
	cache.bucket[cache_hash(type, key)] = e;
	lru_push(e);
	if (++cache.count > CACHE_MAX)
		cache_drop(cache.oldest);
	pthread_mutex_unlock(&cache.lock);
}

static unsigned long cache_generation(void)
{
	unsigned long gen;

	pthread_mutex_lock(&cache.lock);
	gen = cache.gen;
	pthread_mutex_unlock(&cache.lock);
	return gen;
}

static void cache_flush(void)
{
	pthread_mutex_lock(&cache.lock);
	while (cache.oldest != NULL)
		cache_drop(cache.oldest);
	cache.gen++;
	pthread_mutex_unlock(&cache.lock);
}

/* ---- the wire: one query, one response ---- */

/* seconds per try such that glibc's retrans << n / nscount <= timeout */
static int retrans_for(int timeout, int nscount)
{
	int r = timeout;

	if (nscount == 3)
		r = timeout * 3 / 4;
	return r > 0 ? r : 1;
}

static void state_apply(res_state st, const struct conf *cf)
{
	if (cf->nscount > 0) {
		memcpy(st->nsaddr_list, cf->ns, (size_t)cf->nscount * sizeof cf->ns[0]);
		st->nscount = cf->nscount;
		st->options &= ~(unsigned long)RES_ROTATE; /* asked in the order given */
	}
	st->retry = 1;
	st->retrans = retrans_for(cf->timeout, st->nscount);
	st->options &= ~(unsigned long)(RES_IGNTC | RES_USEVC);
}

/*
 * query_wire - asks cf's servers for (name, type).  Returns the response
 * length, -1 when no server gave one (TEMPFAIL) or -2 when the query
 * cannot be built (PERMFAIL).
 */
static int query_wire(const struct conf *cf, const char *name, int type, unsigned char *ans)
{
	struct __res_state st;
	unsigned char q[NS_PACKETSZ];
	int qlen, n = -1;

	memset(&st, 0, sizeof st);
	if (res_ninit(&st) != 0) /* glibc has freed what it took */
		return -1;
	state_apply(&st, cf);
	qlen = res_nmkquery(&st, ns_o_query, name, ns_c_in, type, NULL, 0, NULL, q, sizeof q);
	if (qlen <= 0)
		n = -2;
	else
		n = res_nsend(&st, q, qlen, ans, ANSWER_MAX);
	res_nclose(&st);
	return n;
}

/* NXDOMAIN/NODATA lifetime: min(SOA TTL, SOA MINIMUM), RFC 2308 section 5 */
static uint32_t negative_ttl(ns_msg *msg)
{
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(*msg, ns_s_ns); i++) {
		if (ns_parserr(msg, ns_s_ns, i, &rr) != 0)
			return 0;
		if (ns_rr_type(rr) == ns_t_soa && ns_rr_rdlen(rr) >= 22) {
			uint32_t minimum = ns_get32(ns_rr_rdata(rr) + ns_rr_rdlen(rr) - 4);

			return min_u32(min_u32(ns_rr_ttl(rr), minimum), TTL_NEG_MAX);
		}
	}
	return 0;
}

/* DNS names compare ASCII case-insensitively; a trailing dot is ignored */
static int same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	return 1;
}

/* joins one TXT RR's strings into a->txt: 0, or -1 malformed / no memory */
static int txt_join(const ns_rr *rr, struct answer *a)
{
	const unsigned char *rd = ns_rr_rdata(*rr);
	size_t rdlen = ns_rr_rdlen(*rr), out = 0;
	char *buf = malloc(rdlen + 1);
	int rc = 0;

	if (buf == NULL)
		return -1;
	for (size_t i = 0; i < rdlen && rc == 0; i += 1 + (size_t)rd[i]) {
		if (i + 1 + rd[i] > rdlen)
			rc = -1;
		else {
			memcpy(buf + out, rd + i + 1, rd[i]);
			out += rd[i];
		}
	}
	if (rc == 0 && memchr(buf, '\0', out) == NULL)
		rc = txt_add(&a->txt, buf, out);
	free(buf);
	return rc;
}

/*
 * chain_end - follows the CNAMEs for *cur inside the answer section,
 * leaving the last owner name in cur.  Returns 0, or -1 when the message
 * is malformed, -2 when the chain exceeds the hop budget.
 */
static int chain_end(ns_msg *msg, char *cur, size_t curlen, int *hops, uint32_t *ttl)
{
	ns_rr rr;
	int i, n = ns_msg_count(*msg, ns_s_an);

	for (i = 0; i < n; i++) {
		if (ns_parserr(msg, ns_s_an, i, &rr) != 0)
			return -1;
		if (ns_rr_type(rr) != ns_t_cname || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), cur))
			continue;
		if (++*hops > CNAME_HOPS_MAX)
			return -2;
		if (ns_name_uncompress(ns_msg_base(*msg), ns_msg_end(*msg), ns_rr_rdata(rr), cur,
				       curlen) < 0)
			return -1;
		*ttl = min_u32(*ttl, ns_rr_ttl(rr));
		i = -1; /* look again for the new name */
	}
	return 0;
}

/* collects the (owner, type) records; count in *found; -1 malformed/no memory */
static int collect(ns_msg *msg, const char *owner, int type, struct answer *a, int *found)
{
	ns_rr rr;

	*found = 0;
	for (int i = 0; i < ns_msg_count(*msg, ns_s_an); i++) {
		if (ns_parserr(msg, ns_s_an, i, &rr) != 0)
			return -1;
		if ((int)ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), owner))
			continue;
		if (type == ns_t_txt && txt_join(&rr, a) != 0)
			return -1;
		a->ttl = min_u32(a->ttl, ns_rr_ttl(rr));
		(*found)++;
	}
	return 0;
}

static enum resolver_status rcode_status(int rcode)
{
	switch (rcode) {
	case ns_r_noerror:
	case ns_r_nxdomain:
		return RESOLVER_OK;
	case ns_r_servfail:
	case ns_r_refused:
		return RESOLVER_TEMPFAIL;
	default:
		return RESOLVER_PERMFAIL;
	}
}

/*
 * parse_response - what the response says about (cur, type).  Returns 1
 * when the answer ends in a CNAME without data (cur then holds the
 * target to ask next), 0 when a is final.
 */
static int parse_response(const unsigned char *buf, int len, char *cur, size_t curlen,
			  int type, int *hops, struct answer *a)
{
	ns_msg msg;
	int found, rc, start_hops = *hops;

	if (ns_initparse(buf, len, &msg) != 0 || ns_msg_getflag(msg, ns_f_tc)) {
		answer_set(a, RESOLVER_TEMPFAIL, 0);
		return 0;
	}
	a->st = rcode_status(ns_msg_getflag(msg, ns_f_rcode));
	if (a->st != RESOLVER_OK)
		return 0;
	rc = chain_end(&msg, cur, curlen, hops, &a->ttl);
	if (rc == 0)
		rc = collect(&msg, cur, type, a, &found);
	if (rc != 0) {
		answer_set(a, rc == -2 ? RESOLVER_PERMFAIL : RESOLVER_TEMPFAIL, 0);
		return 0;
	}
	if (found > 0)
		return 0;
	if (ns_msg_getflag(msg, ns_f_rcode) == ns_r_noerror && *hops > start_hops)
		return 1;
	a->st = ns_msg_getflag(msg, ns_f_rcode) == ns_r_nxdomain ? RESOLVER_NXDOMAIN
								  : RESOLVER_NODATA;
	a->ttl = min_u32(a->ttl, negative_ttl(&msg));
	return 0;
}

/* asks the network for (key, type), following CNAMEs across answers */
static void lookup_net(const struct conf *cf, const char *key, int type, struct answer *a)
{
	unsigned char *buf = malloc(ANSWER_MAX);
	char cur[NS_MAXDNAME];
	int hops = 0, len, more = 1;

	a->ttl = TTL_POS_MAX;
	if (buf == NULL) {
		answer_set(a, RESOLVER_TEMPFAIL, 0);
		return;
	}
	snprintf(cur, sizeof cur, "%s", key);
	while (more) {
		len = query_wire(cf, cur, type, buf);
		if (len < 0) {
			answer_set(a, len == -2 ? RESOLVER_PERMFAIL : RESOLVER_TEMPFAIL, 0);
			break;
		}
		more = parse_response(buf, len, cur, sizeof cur, type, &hops, a);
	}
	if (hops > 0 && a->st == RESOLVER_NXDOMAIN)
		a->st = RESOLVER_NODATA;
	free(buf);
}

/* ---- the public lookups ---- */

static enum resolver_status deliver(struct answer *a, struct resolver_txt_list *out)
{
	if (a->st != RESOLVER_OK || out == NULL)
		resolver_txt_list_free(&a->txt);
	if (out != NULL)
		*out = a->txt;
	return a->st;
}

static enum resolver_status lookup(const char *name, int type, struct resolver_txt_list *out)
{
	char key[NS_MAXDNAME];
	struct answer a;
	struct conf cf;
	unsigned long gen;

	memset(&a, 0, sizeof a);
	if (name_key(name, key, sizeof key) != 0) {
		a.st = RESOLVER_PERMFAIL;
		return deliver(&a, out);
	}
	if (fake_lookup(key, type, &a) || cache_get(type, key, &a))
		return deliver(&a, out);
	gen = cache_generation(); /* before the settings: a flush in between wins */
	settings_snapshot(&cf);
	lookup_net(&cf, key, type, &a);
	cache_put(type, key, &a, gen);
	return deliver(&a, out);
}

enum resolver_status resolver_txt(const char *name, struct resolver_txt_list *out)
{
	if (out == NULL)
		return RESOLVER_PERMFAIL;
	memset(out, 0, sizeof *out);
	return lookup(name, ns_t_txt, out);
}

void resolver_txt_list_free(struct resolver_txt_list *list)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < list->count && i < RESOLVER_TXT_MAX; i++) {
		free(list->txt[i]);
		list->txt[i] = NULL;
	}
	list->count = 0;
}

enum resolver_status resolver_exists(const char *name)
{
	static const int types[] = { ns_t_a, ns_t_aaaa, ns_t_mx };
	int tempfail = 0, permfail = 0;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		switch (lookup(name, types[i], NULL)) {
		case RESOLVER_OK:
		case RESOLVER_NODATA:
			return RESOLVER_OK;
		case RESOLVER_TEMPFAIL:
			tempfail = 1;
			break;
		case RESOLVER_PERMFAIL:
			permfail = 1;
			break;
		case RESOLVER_NXDOMAIN:
			break;
		}
	}
	return tempfail ? RESOLVER_TEMPFAIL : permfail ? RESOLVER_PERMFAIL : RESOLVER_NXDOMAIN;
}

/* the single DMARC record of list copied to rec, or DISCOVER_NONE */
static enum discover_status pick_dmarc(const struct resolver_txt_list *list, char *rec,
				       size_t reclen)
{
	const char *found = NULL;

	for (size_t i = 0; i < list->count; i++) {
		if (!record_is_dmarc(list->txt[i], strlen(list->txt[i])))
			continue;
		if (found != NULL)
			return DISCOVER_NONE; /* RFC 7489 6.6.3: more than one */
		found = list->txt[i];
	}
	if (found == NULL || strlen(found) >= reclen)
		return DISCOVER_NONE;
	memcpy(rec, found, strlen(found) + 1);
	return DISCOVER_FOUND;
}

enum discover_status resolver_dmarc_fetch(void *ctx, const char *domain, char *rec, size_t reclen)
{
	char qname[NS_MAXDNAME];
	struct resolver_txt_list list;
	enum discover_status ds = DISCOVER_NONE;
	int n;

	(void)ctx;
	if (rec == NULL || reclen == 0)
		return DISCOVER_NONE;
	rec[0] = '\0';
	if (domain == NULL || domain[0] == '\0')
		return DISCOVER_NONE;
	n = snprintf(qname, sizeof qname, "_dmarc.%s", domain);
	if (n < 0 || (size_t)n >= sizeof qname)
		return DISCOVER_NONE;
	switch (resolver_txt(qname, &list)) {
	case RESOLVER_OK:
		ds = pick_dmarc(&list, rec, reclen);
		break;
	case RESOLVER_NXDOMAIN:
		ds = DISCOVER_NXDOMAIN;
		break;
	case RESOLVER_TEMPFAIL:
		ds = DISCOVER_TEMPFAIL;
		break;
	case RESOLVER_NODATA:
	case RESOLVER_PERMFAIL:
		break;
	}
	resolver_txt_list_free(&list);
	return ds;
}

void resolver_shutdown(void)
{
	cache_flush();
	settings_reset();
}
