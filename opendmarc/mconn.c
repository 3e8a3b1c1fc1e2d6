/*
 * mconn - one milter connection: buffered packets, the protocol's
 * steps, and the replies.  See mconn.h and milterd.h.
 */
#include "mconn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "dmlog.h"
#include "milterproto.h"
#include "xalloc.h"

#define IN_START 4096
#define MAX_ARGS 64

/* the steps whose macros the MTA sends, in protocol order; message
 * steps start at MAIL */
static const char macro_steps[] = "CHMRTNEU";
#define NSTEPS (sizeof macro_steps - 1)
#define FIRST_MESSAGE_STEP 2

#define WANT_ACTIONS (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_ADDRCPT)

struct buf {
	unsigned char *b;
	size_t off, len, cap; /* data is b[off..len) */
};

struct mctx {
	int fd, tcp, debug;
	unsigned long id;
	const struct milter_handlers *h;
	void *priv;
	uint32_t actions, proto; /* granted by the MTA */
	int connected, in_eom;
	enum mstat conn_verdict; /* from connect: ends the connection's work */
	enum mstat msg_verdict;  /* taken in an unanswered step, given later */
	char *reply;		 /* from mctx_setreply(): "550 5.7.1 text" */
	struct buf macros[NSTEPS]; /* each step's SMFIC_MACRO data; len 0: none */
	struct buf in, out;
};

static atomic_ulong next_id;

/* ---- buffers and the socket ----------------------------------------- */

static void buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	if (b->off > 0) { /* drop what is consumed first */
		memmove(b->b, b->b + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + more <= b->cap)
			return;
	}
	while (b->cap < b->len + more)
		b->cap = b->cap ? b->cap * 2 : (more < 64 ? 64 : more);
	b->b = xrealloc(b->b, b->cap);
}

static int flush_out(struct mctx *m)
{
	while (m->out.off < m->out.len) {
		ssize_t n = send(m->fd, m->out.b + m->out.off, m->out.len - m->out.off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (m->debug > 0)
				dmlog(LOG_DEBUG, "milter connection %lu: write: %s", m->id,
				      n < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		m->out.off += (size_t)n;
	}
	m->out.off = m->out.len = 0;
	return 0;
}

/* Reads what the MTA has sent, at least want bytes of room; the replies
 * queued so far go out first, since the MTA may be waiting for them.
 * Returns 1, or 0 at the end of the connection. */
static int fill_in(struct mctx *m, size_t want)
{
	ssize_t n;

	if (flush_out(m) != 0)
		return 0;
	buf_reserve(&m->in, want);
	do
		n = read(m->fd, m->in.b + m->in.len, m->in.cap - m->in.len);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n < 0 && m->debug > 0)
			dmlog(LOG_DEBUG, "milter connection %lu: read: %s", m->id,
			      errno == EAGAIN ? "timed out" : strerror(errno));
		return 0;
	}
	m->in.len += (size_t)n;
	return 1;
}

static void queue(struct mctx *m, char cmd, const void *a, size_t alen, const void *b, size_t blen)
{
	buf_reserve(&m->out, MP_HEADER_LEN + alen + blen);
	m->out.len += mp_put(m->out.b + m->out.len, m->out.cap - m->out.len, cmd, a, alen, b, blen);
}

/* ---- replies ---------------------------------------------------------- */

static void queue_verdict(struct mctx *m, enum mstat v)
{
	static const char codes[] = { SMFIR_CONTINUE, SMFIR_ACCEPT, SMFIR_REJECT, SMFIR_TEMPFAIL };
	char first = (v == MS_REJECT) ? '5' : (v == MS_TEMPFAIL) ? '4' : 0;

	/* a reply text replaces a reject or tempfail of its own class */
	if (first != 0 && m->reply != NULL && m->reply[0] == first)
		queue(m, SMFIR_REPLYCODE, m->reply, strlen(m->reply) + 1, NULL, 0);
	else
		queue(m, codes[v], NULL, 0, NULL, 0);
}

/* forgets the macros of the steps from `first` on (their buffers stay
 * for the next message) */
static void clear_macros(struct mctx *m, size_t first)
{
	size_t i;

	for (i = first; i < NSTEPS; i++)
		m->macros[i].len = 0;
}

static void end_message(struct mctx *m)
{
	m->msg_verdict = MS_CONTINUE;
	free(m->reply);
	m->reply = NULL;
	clear_macros(m, FIRST_MESSAGE_STEP);
}

/* The answer to a step: the decision pending, if any, else CONTINUE;
 * nothing when the MTA does not wait for an answer to this step.  An
 * answer other than CONTINUE ends the message for the MTA. */
static void answer_step(struct mctx *m, uint32_t noreply_flag)
{
	enum mstat v = m->conn_verdict != MS_CONTINUE ? m->conn_verdict : m->msg_verdict;

	if (m->proto & noreply_flag)
		return;
	queue_verdict(m, v);
	if (m->conn_verdict == MS_CONTINUE && v != MS_CONTINUE)
		end_message(m);
}

/* nothing more to do for this connection or message */
static int decided(const struct mctx *m)
{
	return m->conn_verdict != MS_CONTINUE || m->msg_verdict != MS_CONTINUE;
}

/* ---- steps ------------------------------------------------------------ */

static int do_optneg(struct mctx *m, const struct mp_packet *p)
{
	uint32_t mta[3], mine[3], skip, noreply;
	unsigned char w[12];
	int i;

	if (mp_optneg(p, mta) != 0 || mta[0] < 2)
		return -1;
	skip = SMFIP_NORCPT | SMFIP_NOEOH | SMFIP_NOUNKNOWN;
	if (m->h->wants_body == NULL || !m->h->wants_body())
		skip |= SMFIP_NOBODY;
	/*
	 * Over TCP only header fields go unanswered: Postfix writes each
	 * step to the milter as it happens, without TCP_NODELAY, so a step
	 * written while the previous one is unacknowledged waits for our
	 * delayed ACK (up to 40 ms) unless an answer of ours carries it.
	 */
	noreply = SMFIP_NR_HDR;
	if (!m->tcp)
		noreply |= SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_DATA |
			   SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NR_UNKN;
	mine[0] = mta[0] < MP_VERSION ? mta[0] : MP_VERSION;
	mine[1] = m->actions = mta[1] & WANT_ACTIONS;
	mine[2] = m->proto = mta[2] & (skip | noreply);
	for (i = 0; i < 3; i++) {
		w[4 * i] = (unsigned char)(mine[i] >> 24);
		w[4 * i + 1] = (unsigned char)(mine[i] >> 16);
		w[4 * i + 2] = (unsigned char)(mine[i] >> 8);
		w[4 * i + 3] = (unsigned char)mine[i];
	}
	queue(m, SMFIC_OPTNEG, w, sizeof w, NULL, 0);
	return 0;
}

static int do_macro(struct mctx *m, const struct mp_packet *p)
{
	const char *step;
	size_t i;

	if (p->len < 1)
		return -1;
	step = memchr(macro_steps, p->data[0], NSTEPS);
	if (step == NULL || p->data[0] == '\0')
		return 0; /* macros of a step we do not know: unused */
	i = (size_t)(step - macro_steps);
	m->macros[i].len = 0;
	buf_reserve(&m->macros[i], p->len);
	memcpy(m->macros[i].b, p->data, p->len);
	m->macros[i].len = p->len;
	return 0;
}

/* the client's address as a sockaddr, or NULL (unix, unknown, unreadable) */
static const struct sockaddr *client_sockaddr(const struct mp_connect *c,
					      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (c->family == '4') {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(c->port);
		if (inet_pton(AF_INET, c->addr, &sin->sin_addr) == 1)
			return (const struct sockaddr *)ss;
	} else if (c->family == '6') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		const char *a = strncasecmp(c->addr, "IPv6:", 5) == 0 ? c->addr + 5 : c->addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(c->port);
		if (inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1)
			return (const struct sockaddr *)ss;
	}
	return NULL;
}

static void end_connection(struct mctx *m)
{
	if (m->connected && m->h->close != NULL)
		m->h->close(m);
	m->connected = 0;
	m->conn_verdict = MS_CONTINUE;
	end_message(m);
}

static int do_connect(struct mctx *m, const struct mp_packet *p)
{
	struct mp_connect c;
	struct sockaddr_storage ss;
	enum mstat v;

	if (mp_connect(p, &c) != 0)
		return -1;
	if (m->connected) /* a second connect on the same connection */
		end_connection(m);
	m->connected = 1;
	v = m->h->connect(m, c.host, client_sockaddr(&c, &ss));
	m->conn_verdict = v;
	answer_step(m, SMFIP_NR_CONN);
	return 0;
}

static int do_helo(struct mctx *m, const struct mp_packet *p)
{
	const char *v[1];

	if (!decided(m) && m->connected && m->h->helo != NULL &&
	    mp_strings(p->data, p->len, v, 1) == 1)
		m->h->helo(m, v[0]);
	answer_step(m, SMFIP_NR_HELO);
	return 0;
}

static int do_mail(struct mctx *m, const struct mp_packet *p)
{
	const char *argv[MAX_ARGS + 1];
	size_t argc;

	if (!decided(m) && m->connected) {
		argc = mp_strings(p->data, p->len, argv, MAX_ARGS);
		argv[argc] = NULL;
		m->msg_verdict = m->h->envfrom(m, argv, argc);
	}
	answer_step(m, SMFIP_NR_MAIL);
	return 0;
}

static int do_header(struct mctx *m, const struct mp_packet *p)
{
	const char *v[2];

	if (mp_strings(p->data, p->len, v, 2) != 2)
		return -1;
	if (!decided(m) && m->connected)
		m->h->header(m, v[0], v[1]);
	answer_step(m, SMFIP_NR_HDR);
	return 0;
}

static int do_body(struct mctx *m, const struct mp_packet *p)
{
	if (!decided(m) && m->connected && m->h->body != NULL && p->len > 0)
		m->h->body(m, (const unsigned char *)p->data, p->len);
	answer_step(m, SMFIP_NR_BODY);
	return 0;
}

static int do_eom(struct mctx *m, const struct mp_packet *p)
{
	enum mstat v;

	if (decided(m) || !m->connected) {
		v = m->conn_verdict != MS_CONTINUE ? m->conn_verdict : m->msg_verdict;
		queue_verdict(m, v == MS_CONTINUE ? MS_ACCEPT : v);
		end_message(m);
		return 0;
	}
	if (p->len > 0 && m->h->body != NULL) /* a last body chunk may come with it */
		m->h->body(m, (const unsigned char *)p->data, p->len);
	m->in_eom = 1;
	v = m->h->eom(m);
	m->in_eom = 0;
	queue_verdict(m, v == MS_CONTINUE ? MS_ACCEPT : v);
	end_message(m);
	return 0;
}

static void do_abort(struct mctx *m)
{
	if (m->connected && m->h->abort != NULL)
		m->h->abort(m);
	end_message(m);
}

/* Returns 0 to go on, 1 when the MTA quits, -1 on a protocol error. */
static int dispatch(struct mctx *m, const struct mp_packet *p)
{
	if (m->debug >= 6)
		fprintf(stderr, "[%lu] got cmd '%c' len %zu\n", m->id, p->cmd, p->len);
	switch (p->cmd) {
	case SMFIC_OPTNEG: return do_optneg(m, p);
	case SMFIC_MACRO: return do_macro(m, p);
	case SMFIC_CONNECT: return do_connect(m, p);
	case SMFIC_HELO: return do_helo(m, p);
	case SMFIC_MAIL: return do_mail(m, p);
	case SMFIC_RCPT: answer_step(m, SMFIP_NR_RCPT); return 0;
	case SMFIC_DATA: answer_step(m, SMFIP_NR_DATA); return 0;
	case SMFIC_HEADER: return do_header(m, p);
	case SMFIC_EOH: answer_step(m, SMFIP_NR_EOH); return 0;
	case SMFIC_BODY: return do_body(m, p);
	case SMFIC_BODYEOB: return do_eom(m, p);
	case SMFIC_UNKNOWN: answer_step(m, SMFIP_NR_UNKN); return 0;
	case SMFIC_ABORT: do_abort(m); return 0;
	case SMFIC_QUIT: return 1;
	case SMFIC_QUIT_NC:
		end_connection(m);
		clear_macros(m, 0);
		return 0;
	default:
		return -1;
	}
}

static void set_timeouts(int fd)
{
	struct timeval tv = { MCONN_TIMEOUT, 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void mconn_serve(int fd, int tcp, int debug, const struct milter_handlers *h)
{
	struct mctx m;
	struct mp_packet p;
	long used;
	size_t i;
	int r = 0;

	memset(&m, 0, sizeof m);
	m.fd = fd;
	m.tcp = tcp;
	m.debug = debug;
	m.h = h;
	m.id = atomic_fetch_add(&next_id, 1) + 1;
	buf_reserve(&m.in, IN_START);
	set_timeouts(fd);
	while (r == 0) {
		used = mp_next(m.in.b + m.in.off, m.in.len - m.in.off, &p);
		if (used < 0) {
			r = -1;
		} else if (used == 0) {
			/* room for the whole packet whose length we may have */
			size_t have = m.in.len - m.in.off, want = IN_START;

			if (have >= 4) {
				const unsigned char *q = m.in.b + m.in.off;

				want = 4 + ((size_t)q[0] << 24 | (size_t)q[1] << 16 |
					    (size_t)q[2] << 8 | q[3]) - have;
			}
			if (!fill_in(&m, want))
				break;
		} else {
			m.in.off += (size_t)used;
			r = dispatch(&m, &p);
		}
	}
	if (r < 0 && debug > 0)
		dmlog(LOG_DEBUG, "milter connection %lu: protocol error; closing", m.id);
	(void)flush_out(&m);
	end_connection(&m);
	for (i = 0; i < NSTEPS; i++)
		free(m.macros[i].b);
	free(m.in.b);
	free(m.out.b);
	close(fd);
}

/* ---- for the handlers -------------------------------------------------- */

const char *mctx_symval(struct mctx *m, const char *name)
{
	size_t i = NSTEPS;

	while (i-- > 0) {
		const char *v;

		if (m->macros[i].len > 0 &&
		    (v = mp_macro((const char *)m->macros[i].b, m->macros[i].len, name)) != NULL)
			return v;
	}
	return NULL;
}

void *mctx_getpriv(struct mctx *m)
{
	return m->priv;
}

void mctx_setpriv(struct mctx *m, void *p)
{
	m->priv = p;
}

static int may(const struct mctx *m, uint32_t action)
{
	return m->in_eom && (m->actions & action) != 0;
}

/* index, name and value: the data of SMFIR_INSHEADER and SMFIR_CHGHEADER */
static int queue_header_change(struct mctx *m, char cmd, int idx, const char *name,
			       const char *value)
{
	size_t nl = strlen(name) + 1, vl = strlen(value) + 1;
	unsigned char *d;

	if (idx < 0 || nl + vl + 4 > MP_MAX_DATA)
		return -1;
	d = xrealloc(NULL, 4 + nl + vl);
	d[0] = (unsigned char)((unsigned)idx >> 24);
	d[1] = (unsigned char)((unsigned)idx >> 16);
	d[2] = (unsigned char)((unsigned)idx >> 8);
	d[3] = (unsigned char)idx;
	memcpy(d + 4, name, nl);
	memcpy(d + 4 + nl, value, vl);
	queue(m, cmd, d, 4 + nl + vl, NULL, 0);
	free(d);
	return 0;
}

int mctx_insheader(struct mctx *m, int idx, const char *name, const char *value)
{
	if (!may(m, SMFIF_ADDHDRS) || name == NULL || *name == '\0' || value == NULL)
		return -1;
	return queue_header_change(m, SMFIR_INSHEADER, idx, name, value);
}

int mctx_chgheader(struct mctx *m, const char *name, int idx, const char *value)
{
	if (!may(m, SMFIF_CHGHDRS) || name == NULL || *name == '\0')
		return -1;
	return queue_header_change(m, SMFIR_CHGHEADER, idx, name, value != NULL ? value : "");
}

int mctx_setreply(struct mctx *m, const char *code, const char *esc, const char *text)
{
	size_t n;

	if (code == NULL || strlen(code) != 3 || (code[0] != '4' && code[0] != '5') ||
	    code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9')
		return -1;
	if (text != NULL && strpbrk(text, "\r\n") != NULL)
		return -1;
	if (esc == NULL || *esc == '\0')
		esc = NULL;
	if (esc != NULL && esc[0] != code[0])
		return -1; /* 5.x.x goes with 5yz only */
	n = 3 + (esc ? 1 + strlen(esc) : 0) + (text ? 1 + strlen(text) : 0) + 1;
	free(m->reply);
	m->reply = xrealloc(NULL, n);
	snprintf(m->reply, n, "%s%s%s%s%s", code, esc ? " " : "", esc ? esc : "", text ? " " : "",
		 text ? text : "");
	return 0;
}

int mctx_quarantine(struct mctx *m, const char *reason)
{
	if (!may(m, SMFIF_QUARANTINE) || reason == NULL || *reason == '\0')
		return -1;
	queue(m, SMFIR_QUARANTINE, reason, strlen(reason) + 1, NULL, 0);
	return 0;
}

int mctx_addrcpt(struct mctx *m, const char *rcpt)
{
	if (!may(m, SMFIF_ADDRCPT) || rcpt == NULL || *rcpt == '\0')
		return -1;
	queue(m, SMFIR_ADDRCPT, rcpt, strlen(rcpt) + 1, NULL, 0);
	return 0;
}
