/*
 * filter - the libmilter callbacks: thin adapters onto session.c.  See filter.h.
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

static struct session *get_session(SMFICTX *ctx)
{
	void *p = smfi_getpriv(ctx);

	return p == &conn_ignored ? NULL : p;
}

/* Ends what connect started: the session, its runtime reference, the count. */
static void conn_end(SMFICTX *ctx)
{
	void *p = smfi_getpriv(ctx);

	if (p == NULL)
		return;
	if (p != &conn_ignored) {
		struct session *s = p;
		struct runtime *rt = s->rt;

		session_free(&s);
		runtime_release(rt);
	}
	smfi_setpriv(ctx, NULL);
	conn_count(-1);
}

/* ---- output operations for session_eom() -------------------------- */

static int op_insheader(void *h, int idx, const char *name, const char *value)
{
	return smfi_insheader(h, idx, (char *)name, (char *)value) == MI_SUCCESS ? 0 : -1;
}

static int op_delheader(void *h, const char *name, int idx)
{
	return smfi_chgheader(h, (char *)name, idx, NULL) == MI_SUCCESS ? 0 : -1;
}

static int op_setreply(void *h, const char *code, const char *esc, const char *text)
{
	return smfi_setreply(h, (char *)code, (char *)esc, (char *)text) == MI_SUCCESS ? 0 : -1;
}

static int op_quarantine(void *h, const char *reason)
{
	return smfi_quarantine(h, (char *)reason) == MI_SUCCESS ? 0 : -1;
}

static int op_addrcpt(void *h, const char *rcpt)
{
	return smfi_addrcpt(h, (char *)rcpt) == MI_SUCCESS ? 0 : -1;
}

static const struct out_ops milter_ops = {
	op_insheader, op_delheader, op_setreply, op_quarantine, op_addrcpt,
};

/* ---- callbacks ------------------------------------------------------ */

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

static sfsistat mlfi_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct runtime *rt;
	struct session *s;
	const char *j;

	conn_end(ctx); /* a second connect without close (MTA reusing the connection) */
	if (atomic_load(&refusing))
		return SMFIS_TEMPFAIL; /* draining: the MTA tries again later */
	rt = runtime_acquire();
	if (rt == NULL)
		return SMFIS_TEMPFAIL;
	conn_count(1);
	s = session_new(rt);
	snprintf(s->host, sizeof s->host, "%s", hostname != NULL ? hostname : "");
	client_address(s, hostaddr);
	j = smfi_getsymval(ctx, "j");
	snprintf(s->mta_name, sizeof s->mta_name, "%s", j != NULL ? j : "");
	if (hostlist_match(rt->ignore, s->ip, s->host)) {
		dmlog(LOG_DEBUG, "ignoring connection from %s [%s]", s->host, s->ip);
		session_free(&s);
		runtime_release(rt);
		smfi_setpriv(ctx, &conn_ignored);
		return SMFIS_ACCEPT;
	}
	smfi_setpriv(ctx, s);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_helo(SMFICTX *ctx, char *helo)
{
	struct session *s = get_session(ctx);

	if (s != NULL)
		snprintf(s->helo, sizeof s->helo, "%s", helo != NULL ? helo : "");
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct session *s = get_session(ctx);
	const char *auth = smfi_getsymval(ctx, "{auth_authen}");
	char addr[512];
	size_t n;

	if (s == NULL)
		return SMFIS_ACCEPT;
	if (auth != NULL && *auth != '\0' && s->rt->cfg->ignore_authenticated) {
		dmlog(LOG_DEBUG, "ignoring message from authenticated client %s", auth);
		return SMFIS_ACCEPT;
	}
	snprintf(addr, sizeof addr, "%s", argv != NULL && argv[0] != NULL ? argv[0] : "");
	n = strlen(addr);
	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>') {
		memmove(addr, addr + 1, n - 2);
		addr[n - 2] = '\0';
	}
	session_begin(s, addr);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct session *s = get_session(ctx);

	if (s != NULL && s->msg != NULL)
		session_header(s, name, value != NULL ? value : "");
	return SMFIS_NOREPLY; /* SMFIP_NR_HDR, see mlfi_negotiate */
}

static sfsistat mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct session *s = get_session(ctx);

	if (s != NULL && s->msg != NULL)
		session_body(s, chunk, len);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_eom(SMFICTX *ctx)
{
	struct session *s = get_session(ctx);
	const char *jobid;
	enum dm_action act;

	if (s == NULL || s->msg == NULL)
		return SMFIS_ACCEPT;
	jobid = smfi_getsymval(ctx, "i");
	if (jobid == NULL)
		jobid = JOBID_UNKNOWN;
	if (runtime_eval_enter() != 0) {
		dmlog(LOG_WARNING, "%s: shutting down, message temp-failed", jobid);
		session_end_message(s);
		return SMFIS_TEMPFAIL;
	}
	act = session_eom(s, jobid, &milter_ops, ctx);
	runtime_eval_leave();
	session_end_message(s);
	switch (act) {
	case ACT_REJECT:
		return SMFIS_REJECT;
	case ACT_TEMPFAIL:
		return SMFIS_TEMPFAIL;
	default:
		return SMFIS_ACCEPT;
	}
}

static sfsistat mlfi_abort(SMFICTX *ctx)
{
	struct session *s = get_session(ctx);

	if (s != NULL)
		session_end_message(s);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_close(SMFICTX *ctx)
{
	conn_end(ctx);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
			       unsigned long f2, unsigned long f3, unsigned long *pf0,
			       unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	const unsigned long want_actions =
		SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_ADDRCPT;
	/*
	 * DATA is not skipped on purpose: Postfix sends its macros with
	 * nothing to answer and then waits ~40 ms on a delayed ACK (Nagle)
	 * before the first header; our reply to DATA carries that ACK.
	 * Measured with bench/milter.sh: 85 -> 418 messages/s over inet:.
	 */
	unsigned long skip_steps =
		SMFIP_NORCPT | SMFIP_NOBODY | SMFIP_NOUNKNOWN | SMFIP_NOEOH;
	struct runtime *rt = runtime_acquire();

	if (session_wants_body(rt)) /* DKIMSelfValidate */
		skip_steps &= ~(unsigned long)SMFIP_NOBODY;
	runtime_release(rt);
	*pf0 = f0 & want_actions;
	/*
	 * No reply per header: one round trip less per header field.  Asked
	 * for even when the MTA lacks it: libmilter then answers CONTINUE for
	 * us ("fake_pflags"), so mlfi_header may always say NOREPLY.
	 */
	*pf1 = (f1 & skip_steps) | SMFIP_NR_HDR;
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

struct smfiDesc filter_desc = {
	"OpenDMARC Filter",
	SMFI_VERSION,
	SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_ADDRCPT,
	mlfi_connect,
	mlfi_helo,
	mlfi_envfrom,
	NULL, /* envrcpt */
	mlfi_header,
	NULL, /* eoh */
	mlfi_body,
	mlfi_eom,
	mlfi_abort,
	mlfi_close,
	NULL, /* unknown */
	NULL, /* data */
	mlfi_negotiate,
};
