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

#include "dmarc.h"
#include "xalloc.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static struct runtime *current;

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
		opendmarc_dns_fake_record(name, value);
	}
	fclose(f);
	return 0;
}

static int build_lists(struct runtime *rt, char *err, size_t errlen)
{
	const struct config *c = rt->cfg;

	rt->ignore = hostlist_new();
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
	rt->trusted = expand_hostname(cfg->trusted_authserv_ids != NULL ? cfg->trusted_authserv_ids : "",
				      rt->hostname);
	if (build_lists(rt, err, errlen) != 0)
		goto fail;
	if (cfg->test_dns_data != NULL && runtime_load_dnsdata(cfg->test_dns_data, err, errlen) != 0)
		goto fail;
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
}
