/*
 * filter - the milter handlers: thin adapters onto session.c.  See filter.h.
 */
#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "dmarc.h"
#include "dmlog.h"
#include "session.h"

#define JOBID_UNKNOWN "(unknown-jobid)"

/* open milter connections, for filter_drain() */
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conn_gone = PTHREAD_COND_INITIALIZER;
static long conn_open;

/* the private pointer of a connection accepted without a session */
static char conn_ignored;

static void conn_count(int delta)
{
	pthread_mutex_lock(&conn_lock);
	conn_open += delta;
	if (conn_open == 0)
		pthread_cond_broadcast(&conn_gone);
	pthread_mutex_unlock(&conn_lock);
}

static atomic_int refusing;

void filter_refuse_new(void)
{
	atomic_store(&refusing, 1);
}

long filter_connections(void)
{
	long n;

	pthread_mutex_lock(&conn_lock);
	n = conn_open;
	pthread_mutex_unlock(&conn_lock);
	return n;
}

long filter_drain(int seconds)
{
	struct timespec until;
	long n;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&conn_lock);
	while (conn_open > 0)
		if (pthread_cond_timedwait(&conn_gone, &conn_lock, &until) == ETIMEDOUT)
			break;
	n = conn_open;
	pthread_mutex_unlock(&conn_lock);
	return n;
}

static struct session *get_session(struct mctx *m)
{
	void *p = mctx_getpriv(m);

	return p == &conn_ignored ? NULL : p;
}

/* Ends what connect started: the session, its runtime reference, the count. */
static void conn_end(struct mctx *m)
{
	void *p = mctx_getpriv(m);

	if (p == NULL)
		return;
	if (p != &conn_ignored) {
		struct session *s = p;
		struct runtime *rt = s->rt;

		session_free(&s);
		runtime_release(rt);
	}
	mctx_setpriv(m, NULL);
	conn_count(-1);
}

/* ---- output operations for session_eom() -------------------------- */

static int op_insheader(void *h, int idx, const char *name, const char *value)
{
	return mctx_insheader(h, idx, name, value);
}

static int op_delheader(void *h, const char *name, int idx)
{
	return mctx_chgheader(h, name, idx, NULL);
}

static int op_setreply(void *h, const char *code, const char *esc, const char *text)
{
	return mctx_setreply(h, code, esc, text);
}

static int op_quarantine(void *h, const char *reason)
{
	return mctx_quarantine(h, reason);
}

static int op_addrcpt(void *h, const char *rcpt)
{
	return mctx_addrcpt(h, rcpt);
}

static const struct out_ops milter_ops = {
	op_insheader, op_delheader, op_setreply, op_quarantine, op_addrcpt,
};

/* ---- handlers ------------------------------------------------------- */

static void client_address(struct session *s, const struct sockaddr *sa)
{
	s->ip[0] = '\0';
	s->iptype = DMARC_POLICY_IP_TYPE_IPV4;
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, s->ip, sizeof s->ip);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, s->ip, sizeof s->ip);
		s->iptype = DMARC_POLICY_IP_TYPE_IPV6;
	}
}

static enum mstat on_connect(struct mctx *m, const char *hostname, const struct sockaddr *sa)
{
	struct runtime *rt;
	struct session *s;
	const char *j;

	conn_end(m); /* a second connect without close (MTA reusing the connection) */
	if (atomic_load(&refusing))
		return MS_TEMPFAIL; /* draining: the MTA tries again later */
	rt = runtime_acquire();
	if (rt == NULL)
		return MS_TEMPFAIL;
	conn_count(1);
	s = session_new(rt);
	snprintf(s->host, sizeof s->host, "%s", hostname != NULL ? hostname : "");
	client_address(s, sa);
	j = mctx_symval(m, "j");
	snprintf(s->mta_name, sizeof s->mta_name, "%s", j != NULL ? j : "");
	if (hostlist_match(rt->ignore, s->ip, s->host)) {
		dmlog(LOG_DEBUG, "ignoring connection from %s [%s]", s->host, s->ip);
		session_free(&s);
		runtime_release(rt);
		mctx_setpriv(m, &conn_ignored);
		return MS_ACCEPT;
	}
	mctx_setpriv(m, s);
	return MS_CONTINUE;
}

static void on_helo(struct mctx *m, const char *helo)
{
	struct session *s = get_session(m);

	if (s != NULL)
		snprintf(s->helo, sizeof s->helo, "%s", helo != NULL ? helo : "");
}

static enum mstat on_envfrom(struct mctx *m, const char **argv, size_t argc)
{
	struct session *s = get_session(m);
	const char *auth = mctx_symval(m, "{auth_authen}");
	char addr[512];
	size_t n;

	if (s == NULL)
		return MS_ACCEPT;
	if (auth != NULL && *auth != '\0' && s->rt->cfg->ignore_authenticated) {
		dmlog(LOG_DEBUG, "ignoring message from authenticated client %s", auth);
		return MS_ACCEPT;
	}
	snprintf(addr, sizeof addr, "%s", argc > 0 ? argv[0] : "");
	n = strlen(addr);
	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>') {
		memmove(addr, addr + 1, n - 2);
		addr[n - 2] = '\0';
	}
	session_begin(s, addr);
	return MS_CONTINUE;
}

static void on_header(struct mctx *m, const char *name, const char *value)
{
	struct session *s = get_session(m);

	if (s != NULL && s->msg != NULL)
		session_header(s, name, value);
}

static void on_body(struct mctx *m, const unsigned char *chunk, size_t len)
{
	struct session *s = get_session(m);

	if (s != NULL && s->msg != NULL)
		session_body(s, chunk, len);
}

static enum mstat on_eom(struct mctx *m)
{
	struct session *s = get_session(m);
	const char *jobid;
	enum dm_action act;

	if (s == NULL || s->msg == NULL)
		return MS_ACCEPT;
	jobid = mctx_symval(m, "i");
	if (jobid == NULL)
		jobid = JOBID_UNKNOWN;
	if (runtime_eval_enter() != 0) {
		dmlog(LOG_WARNING, "%s: shutting down, message temp-failed", jobid);
		session_end_message(s);
		return MS_TEMPFAIL;
	}
	act = session_eom(s, jobid, &milter_ops, m);
	runtime_eval_leave();
	session_end_message(s);
	switch (act) {
	case ACT_REJECT:
		return MS_REJECT;
	case ACT_TEMPFAIL:
		return MS_TEMPFAIL;
	default:
		return MS_ACCEPT;
	}
}

static void on_abort(struct mctx *m)
{
	struct session *s = get_session(m);

	if (s != NULL)
		session_end_message(s);
}

static void on_close(struct mctx *m)
{
	conn_end(m);
}

/* asked when the MTA opens a connection: DKIMSelfValidate needs the body */
static int wants_body(void)
{
	struct runtime *rt = runtime_acquire();
	int yes = session_wants_body(rt);

	runtime_release(rt);
	return yes;
}

const struct milter_handlers filter_handlers = {
	.connect = on_connect,
	.helo = on_helo,
	.envfrom = on_envfrom,
	.header = on_header,
	.body = on_body,
	.eom = on_eom,
	.abort = on_abort,
	.close = on_close,
	.wants_body = wants_body,
};
