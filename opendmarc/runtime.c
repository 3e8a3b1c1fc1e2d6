/*
 * runtime - the configuration in force.  See runtime.h.
 */
#include "runtime.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arc.h"
#include "dkim.h"
#include "dmarc.h"
#include "spf.h"
#include "xalloc.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static struct runtime *current;

/* evaluations (shared) against library re-initialisation (exclusive) */
static pthread_rwlock_t eval_lock;
static pthread_once_t eval_once = PTHREAD_ONCE_INIT;
static int eval_closed;

/* the library settings in force, to go back to when new ones fail */
static struct libset {
	int valid;
	long mode, dns_timeout;
	char *psl, *dnsdata;
} applied;

static void libset_clear(struct libset *ls);

/* Copies list, replacing each whole word HOSTNAME by host. */
static char *expand_hostname(const char *list, const char *host)
{
	size_t cap = strlen(list) * (strlen(host) + 1) + 1, n = 0;
	char *out = xcalloc(1, cap);
	const char *p = list;

	while (*p != '\0') {
		size_t w = strcspn(p, ", \t");

		if (w == 8 && strncmp(p, "HOSTNAME", 8) == 0) {
			memcpy(out + n, host, strlen(host));
			n += strlen(host);
		} else {
			memcpy(out + n, p, w);
			n += w;
		}
		p += w;
		if (*p != '\0')
			out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

int runtime_load_dnsdata(const char *path, char *err, size_t errlen)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: can't load fake DNS data: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *name, *value, *e;

		line[strcspn(line, "#\r\n")] = '\0';
		for (name = line; isspace((unsigned char)*name); name++)
			;
		if (*name == '\0')
			continue;
		for (value = name; *value != '\0' && !isspace((unsigned char)*value); value++)
			;
		if (*value != '\0')
			*value++ = '\0';
		while (isspace((unsigned char)*value))
			value++;
		e = value + strlen(value);
		while (e > value && isspace((unsigned char)e[-1]))
			*--e = '\0';
		opendmarc_dns_fake_record(name, value); /* DMARC records and DKIM keys alike */
	}
	fclose(f);
	return 0;
}

static int build_lists(struct runtime *rt, char *err, size_t errlen)
{
	const struct config *c = rt->cfg;

	rt->ignore = hostlist_new();
	if (arc_whitelist(c, &rt->whitelist, err, errlen) != 0)
		return -1;
	if (c->ignore_hosts != NULL)
		return hostlist_load(rt->ignore, c->ignore_hosts, err, errlen);
	if (hostlist_add(rt->ignore, "127.0.0.1", err, errlen) != 0 ||
	    hostlist_add(rt->ignore, "::1", err, errlen) != 0)
		return -1;
	return 0;
}

static void runtime_free(struct runtime *rt)
{
	if (rt->history_fd >= 0)
		close(rt->history_fd);
	hostlist_free(&rt->ignore);
	domlist_free(&rt->whitelist);
	free(rt->authservid);
	free(rt->trusted);
	config_free(&rt->cfg);
	free(rt);
}

int runtime_build(struct config *cfg, struct runtime **out, char *err, size_t errlen)
{
	struct runtime *rt = xcalloc(1, sizeof(*rt));

	rt->cfg = cfg;
	rt->history_fd = -1;
	if (gethostname(rt->hostname, sizeof rt->hostname - 1) != 0)
		snprintf(rt->hostname, sizeof rt->hostname, "localhost");
	if (cfg->authservid != NULL)
		rt->authservid = expand_hostname(cfg->authservid, rt->hostname);
	rt->trusted = expand_hostname(cfg->trusted_authserv_ids != NULL ? cfg->trusted_authserv_ids : "HOSTNAME",
				      rt->hostname);
	if (build_lists(rt, err, errlen) != 0)
		goto fail;
	/* libopendkim and libspf2 are loaded only for their options: at
	 * start-up before chroot() and the privilege drop; a reload finds
	 * them already loaded or fails with the reason */
	if ((cfg->dkim_self_validate && dkimv_load(err, errlen) != 0) ||
	    (cfg->spf_self_validate && spf_load(err, errlen) != 0))
		goto fail;
	/* loaded by runtime_activate(); here only checked, so -n and a
	 * reload refuse a file that is not there */
	if (cfg->test_dns_data != NULL && access(cfg->test_dns_data, R_OK) != 0) {
		snprintf(err, errlen, "%s: can't load fake DNS data: %s", cfg->test_dns_data,
			 strerror(errno));
		goto fail;
	}
	if (cfg->history_file != NULL) {
		rt->history_fd = open(cfg->history_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (rt->history_fd < 0) {
			snprintf(err, errlen, "%s: %s", cfg->history_file, strerror(errno));
			goto fail;
		}
	}
	*out = rt;
	return 0;
fail:
	rt->cfg = NULL; /* the caller still owns cfg on failure */
	runtime_free(rt);
	return -1;
}

void runtime_install(struct runtime *rt)
{
	struct runtime *old;

	pthread_mutex_lock(&runtime_lock);
	old = current;
	current = rt;
	rt->refs++;
	if (old != NULL && --old->refs > 0)
		old = NULL;
	pthread_mutex_unlock(&runtime_lock);
	if (old != NULL)
		runtime_free(old);
}

struct runtime *runtime_acquire(void)
{
	struct runtime *rt;

	pthread_mutex_lock(&runtime_lock);
	rt = current;
	if (rt != NULL)
		rt->refs++;
	pthread_mutex_unlock(&runtime_lock);
	return rt;
}

void runtime_release(struct runtime *rt)
{
	int last;

	if (rt == NULL)
		return;
	pthread_mutex_lock(&runtime_lock);
	last = --rt->refs == 0;
	pthread_mutex_unlock(&runtime_lock);
	if (last)
		runtime_free(rt);
}

void runtime_shutdown(void)
{
	struct runtime *rt;

	pthread_mutex_lock(&runtime_lock);
	rt = current;
	current = NULL;
	pthread_mutex_unlock(&runtime_lock);
	runtime_release(rt);
	libset_clear(&applied);
}

/* ---- library-wide settings and the evaluation lock ---- */

static void eval_lock_init(void)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
#ifdef PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP
	/* a reload waits for the evaluations in progress, not for every later one */
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
	pthread_rwlock_init(&eval_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
}

int runtime_eval_enter(void)
{
	pthread_once(&eval_once, eval_lock_init);
	pthread_rwlock_rdlock(&eval_lock);
	if (eval_closed) {
		pthread_rwlock_unlock(&eval_lock);
		return -1;
	}
	return 0;
}

void runtime_eval_leave(void)
{
	pthread_rwlock_unlock(&eval_lock);
}

void runtime_eval_close(void)
{
	pthread_once(&eval_once, eval_lock_init);
	pthread_rwlock_wrlock(&eval_lock);
	eval_closed = 1;
	pthread_rwlock_unlock(&eval_lock);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void libset_clear(struct libset *ls)
{
	free(ls->psl);
	free(ls->dnsdata);
	memset(ls, 0, sizeof(*ls));
}

/* Shuts the library down and sets it up from ls. */
static int libset_apply(const struct libset *ls, char *err, size_t errlen)
{
	OPENDMARC_LIB_T lib;
	const char *psl = ls->psl;

	opendmarc_policy_library_shutdown(NULL);
	memset(&lib, 0, sizeof lib);
	if (ls->mode == MODE_RFC9989) {
		lib.tld_type = OPENDMARC_TLD_TYPE_TREEWALK;
	} else {
		if (psl == NULL && access(DMARC_DEFAULT_PSL, R_OK) == 0)
			psl = DMARC_DEFAULT_PSL;
		lib.tld_type = psl != NULL ? OPENDMARC_TLD_TYPE_MOZILLA : OPENDMARC_TLD_TYPE_NONE;
		if (psl != NULL)
			snprintf((char *)lib.tld_source_file, sizeof lib.tld_source_file, "%s", psl);
	}
	if (opendmarc_policy_library_init(&lib) != DMARC_PARSE_OKAY) {
		snprintf(err, errlen, "library initialization failed%s%s", psl ? ": " : "",
			 psl ? psl : "");
		return -1;
	}
	opendmarc_policy_library_dns_timeout((int)ls->dns_timeout);
	if (ls->dnsdata != NULL && runtime_load_dnsdata(ls->dnsdata, err, errlen) != 0)
		return -1;
	return 0;
}

/*
 * The library settings of rt's config, then rt itself, both under the
 * exclusive hold: no evaluation sees one without the other.
 */
int runtime_activate(struct runtime *rt, char *err, size_t errlen)
{
	const struct config *cfg = rt->cfg;
	struct libset want;
	char olderr[256];
	int rc;

	memset(&want, 0, sizeof want);
	want.valid = 1;
	want.mode = cfg->mode;
	want.dns_timeout = cfg->dns_timeout;
	want.psl = dup_or_null(cfg->public_suffix_list);
	want.dnsdata = dup_or_null(cfg->test_dns_data);
	pthread_once(&eval_once, eval_lock_init);
	pthread_rwlock_wrlock(&eval_lock);
	rc = libset_apply(&want, err, errlen);
	if (rc == 0) {
		libset_clear(&applied);
		applied = want;
		runtime_install(rt);
	} else {
		libset_clear(&want);
		if (applied.valid && libset_apply(&applied, olderr, sizeof olderr) != 0)
			snprintf(err + strlen(err), errlen - strlen(err),
				 "; the previous settings failed too: %s", olderr);
		runtime_free(rt);
	}
	pthread_rwlock_unlock(&eval_lock);
	return rc;
}
