/*
 * bench/milterload.c -- a milter protocol v6 load generator.
 *
 *	milterload [options] SOCKET
 *
 * Plays the MTA side of the milter protocol (as Postfix or Sendmail would)
 * against a filter listening on SOCKET (unix:/path, local:/path, /path,
 * inet:PORT[@HOST], inet6:PORT[@HOST]), with N concurrent sessions, each
 * on its own thread with its own connection.  Every message goes through
 * the whole conversation: option negotiation (once per connection),
 * connect from a TEST-NET address, HELO, MAIL, RCPT, DATA, headers, end of
 * headers, body, end of message, each step preceded by its macros as
 * Postfix sends them (also when the filter asked to skip the step), and
 * the steps the filter did not ask to skip; then the replies are read up
 * to the final one (accept, continue, reject, tempfail, discard or a reply
 * code), and the modification actions on the way (header insertions and
 * changes, quarantine, ...) are decoded.  Everything up to the next reply
 * the filter will send goes out in one write, as Postfix does.
 *
 * The message kinds come from a mix file (-m): each kind gives the envelope
 * sender, the From field, an optional upstream Authentication-Results field,
 * a weight, and what the filter is expected to do (final action and the
 * dmarc= word of the Authentication-Results field it adds).  Message i is
 * of the kind at slot i modulo the sum of the weights, so every run with
 * the same parameters sends the same messages in the same proportions.
 *
 * It prints a table per kind (actions seen, dmarc= results, mismatches
 * against the expectations) and one machine-readable line:
 *
 *	RESULT msgs=... secs=... rate=... p50_ms=... p90_ms=... p99_ms=...
 *	    max_ms=... errors=... mismatches=... conns=...
 *
 * Latency is per message, from sending MAIL to receiving the final reply
 * of that message.  The rate is counted messages over the wall time of the
 * whole run, connection set-up included.
 *
 * Options:
 *	-c N	concurrent sessions (default 4)
 *	-n N	messages in total (default 10000)
 *	-T S	run for S seconds instead of a message count
 *	-r K	messages per connection: 0 keeps one connection per session for
 *		the whole run (default), 1 opens a fresh one per message
 *	-m FILE	message mix (format below; default: one kind, no checks)
 *	-H N	filler header fields per message, beside the usual ones
 *		(default 8)
 *	-b N	body size in bytes (default 2048)
 *	-t MS	reply timeout in milliseconds (default 15000)
 *	-D	do not set TCP_NODELAY on the client's TCP sockets
 *	-p	write as Postfix does: no TCP_NODELAY, and what is queued when
 *		the DATA step ends goes out in a write of its own (Postfix's
 *		smtpd hands the connection to its cleanup server there), even
 *		when the filter will not answer it
 *	-w	write each packet with its own write(2) instead of everything
 *		up to the next expected reply at once (a worst case: with -D,
 *		Nagle holds every small write behind the previous one)
 *	-S	strict: exit 1 when any message did not do what the mix says
 *	-v	print every message's outcome and what each session's filter
 *		negotiated
 *	-q	print only the RESULT line
 *
 * Mix file: one kind per line, fields separated by '|', '#' comments.
 *	name | weight | action | dmarc | MAIL FROM | From field [| A-R field]
 * action is accept, reject, tempfail, discard, quarantine (accepted with a
 * quarantine request) or any; dmarc is the expected result word of the
 * added Authentication-Results field (pass, fail, none, ...) or '-' for no
 * check.  The optional last field is the value of an Authentication-Results
 * field put into the message (e.g. from a trusted upstream verifier).
 *
 * Exit status: 0 when the run completed (1 with -S and mismatches), 2 on
 * usage errors, 3 when the filter could not be talked to.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ---- milter protocol constants (sendmail's libmilter/mfdef.h) ---------- */

#define MILTER_VERSION 6

/* commands, MTA to filter */
#define CMD_ABORT 'A'
#define CMD_BODY 'B'
#define CMD_CONNECT 'C'
#define CMD_MACRO 'D'
#define CMD_EOB 'E'
#define CMD_HELO 'H'
#define CMD_HEADER 'L'
#define CMD_MAIL 'M'
#define CMD_EOH 'N'
#define CMD_OPTNEG 'O'
#define CMD_QUIT 'Q'
#define CMD_RCPT 'R'
#define CMD_DATA 'T'

/* replies, filter to MTA */
#define REP_ADDRCPT '+'
#define REP_DELRCPT '-'
#define REP_ADDRCPT_PAR '2'
#define REP_SHUTDOWN '4'
#define REP_ACCEPT 'a'
#define REP_REPLBODY 'b'
#define REP_CONTINUE 'c'
#define REP_DISCARD 'd'
#define REP_CHGFROM 'e'
#define REP_CONN_FAIL 'f'
#define REP_ADDHEADER 'h'
#define REP_INSHEADER 'i'
#define REP_SETSYMLIST 'l'
#define REP_CHGHEADER 'm'
#define REP_PROGRESS 'p'
#define REP_QUARANTINE 'q'
#define REP_REJECT 'r'
#define REP_SKIP 's'
#define REP_TEMPFAIL 't'
#define REP_REPLYCODE 'y'

/* actions the MTA allows */
#define ACT_ALL 0x000001ffU /* ADDHDRS .. SETSYMLIST */

/* protocol steps */
#define P_NOCONNECT 0x00000001U
#define P_NOHELO 0x00000002U
#define P_NOMAIL 0x00000004U
#define P_NORCPT 0x00000008U
#define P_NOBODY 0x00000010U
#define P_NOHDRS 0x00000020U
#define P_NOEOH 0x00000040U
#define P_NR_HDR 0x00000080U
#define P_NOUNKNOWN 0x00000100U
#define P_NODATA 0x00000200U
#define P_SKIP 0x00000400U
#define P_RCPT_REJ 0x00000800U
#define P_NR_CONN 0x00001000U
#define P_NR_HELO 0x00002000U
#define P_NR_MAIL 0x00004000U
#define P_NR_RCPT 0x00008000U
#define P_NR_DATA 0x00010000U
#define P_NR_UNKN 0x00020000U
#define P_NR_EOH 0x00040000U
#define P_NR_BODY 0x00080000U
#define P_HDR_LEADSPC 0x00100000U
#define P_OFFERED 0x001fffffU /* everything above */

#define MAX_PACKET (1024 * 1024) /* largest reply accepted */
#define MAX_CHUNK 65535		 /* body bytes per BODY command */

/* ---- message mix ------------------------------------------------------- */

enum action {
	A_NONE, /* no final reply seen (error) */
	A_ACCEPT,
	A_CONTINUE,
	A_REJECT,
	A_TEMPFAIL,
	A_DISCARD,
	A_COUNT
};

static const char *const action_name[A_COUNT] = {
	"none", "accept", "continue", "reject", "tempfail", "discard",
};

enum expect {
	E_ANY,
	E_ACCEPT, /* accept or continue, no quarantine */
	E_QUARANTINE,
	E_REJECT,
	E_TEMPFAIL,
	E_DISCARD,
};

/* dmarc= words counted separately; everything else is "other" */
enum dword { D_PASS, D_FAIL, D_NONE, D_TEMPERROR, D_PERMERROR, D_OTHER, D_MISSING, D_COUNT };

static const char *const dword_name[D_COUNT] = {
	"pass", "fail", "none", "temperror", "permerror", "other", "missing",
};

struct kind {
	char *name;
	unsigned weight;
	enum expect expect;
	char *dmarc;	/* expected word, NULL for no check */
	char *mailfrom; /* "<a@b>" */
	char *from;	/* From field value */
	char *ar;	/* upstream A-R value or NULL */
};

static struct kind *kinds;
static size_t nkinds;
static size_t *slot_kind; /* weighted round robin: slot -> kind */
static size_t nslots;

/* ---- settings ---------------------------------------------------------- */

static const char *sockspec;
static int sock_family;
static struct sockaddr_storage sock_addr;
static socklen_t sock_addrlen;

static unsigned opt_sessions = 4;
static unsigned long opt_messages = 10000;
static double opt_seconds;
static unsigned long opt_per_conn;
static unsigned opt_fillers = 8;
static size_t opt_body = 2048;
static unsigned opt_timeout_ms = 15000;
static int opt_nodelay = 1;
static int opt_split;
static int opt_postfix;
static int opt_strict;
static int opt_verbose;
static int opt_quiet;

static char *body_text; /* opt_body bytes of CRLF lines */

/* ---- shared run state -------------------------------------------------- */

static atomic_ulong next_message;
static atomic_ulong next_conn;
static atomic_int stop_run;
static atomic_ulong total_errors;
static atomic_int fatal_error;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

#define MAX_ERRORS 100 /* give up after this many broken conversations */

struct kind_stats {
	unsigned long count;
	unsigned long action[A_COUNT];
	unsigned long quarantined;
	unsigned long dmarc[D_COUNT];
	unsigned long mismatch;
	unsigned long headers_added; /* ADDHEADER, INSHEADER */
	unsigned long headers_changed;
	unsigned long other_mods;
};

struct session {
	pthread_t thread;
	unsigned id;
	struct kind_stats *stats; /* nkinds */
	uint64_t *lat;		  /* per message, ns */
	size_t nlat, alat;
	unsigned long conns;
	unsigned long errors;
	char last_error[256];
};

/* ---- small helpers ----------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("milterload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

static unsigned long parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
		die("bad %s: %s", what, s);
	return v;
}

/* Trims white space at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* ---- the socket -------------------------------------------------------- */

static void parse_socket(const char *spec)
{
	const char *rest;

	memset(&sock_addr, 0, sizeof sock_addr);
	if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0 || spec[0] == '/') {
		struct sockaddr_un *un = (struct sockaddr_un *)&sock_addr;

		rest = spec[0] == '/' ? spec : strchr(spec, ':') + 1;
		if (strlen(rest) >= sizeof un->sun_path)
			die("socket path too long: %s", rest);
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, rest);
		sock_family = AF_UNIX;
		sock_addrlen = sizeof *un;
		return;
	}
	if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
		int v6 = spec[4] == '6';
		char port[32], host[256];
		const char *at;
		struct addrinfo hints, *res;
		int rc;

		rest = spec + (v6 ? 6 : 5);
		at = strchr(rest, '@');
		if (at == NULL) {
			snprintf(port, sizeof port, "%s", rest);
			snprintf(host, sizeof host, "%s", v6 ? "::1" : "127.0.0.1");
		} else {
			if ((size_t)(at - rest) >= sizeof port)
				die("bad port in %s", spec);
			memcpy(port, rest, (size_t)(at - rest));
			port[at - rest] = '\0';
			snprintf(host, sizeof host, "%s", at + 1);
		}
		memset(&hints, 0, sizeof hints);
		hints.ai_family = v6 ? AF_INET6 : AF_INET;
		hints.ai_socktype = SOCK_STREAM;
		rc = getaddrinfo(host, port, &hints, &res);
		if (rc != 0)
			die("cannot resolve %s: %s", spec, gai_strerror(rc));
		memcpy(&sock_addr, res->ai_addr, res->ai_addrlen);
		sock_addrlen = res->ai_addrlen;
		sock_family = res->ai_family;
		freeaddrinfo(res);
		return;
	}
	die("unknown socket %s (unix:/path, inet:PORT@HOST or inet6:PORT@HOST)", spec);
}

/* ---- one connection ---------------------------------------------------- */

struct conn {
	int fd;
	uint32_t proto; /* protocol flags the filter asked for */
	uint32_t actions;
	unsigned char *rbuf; /* bytes read, not yet consumed */
	size_t rlen, rpos, rcap;
	unsigned char *wbuf; /* packets queued, not yet written */
	size_t wlen, wcap;
	struct session *s;
};

static int conn_error(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int conn_error(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->s->last_error, sizeof c->s->last_error, fmt, ap);
	va_end(ap);
	return -1;
}

static void wreserve(struct conn *c, size_t more)
{
	if (c->wlen + more > c->wcap) {
		size_t n = c->wcap == 0 ? 4096 : c->wcap;

		while (n < c->wlen + more)
			n *= 2;
		c->wbuf = xrealloc(c->wbuf, n);
		c->wcap = n;
	}
}

/* Queues one packet: command, then the given pieces of data back to back. */
static void put_packet(struct conn *c, char cmd, const void *data, size_t len)
{
	uint32_t n = htonl((uint32_t)(len + 1));

	wreserve(c, 5 + len);
	memcpy(c->wbuf + c->wlen, &n, 4);
	c->wbuf[c->wlen + 4] = (unsigned char)cmd;
	if (len > 0)
		memcpy(c->wbuf + c->wlen + 5, data, len);
	c->wlen += 5 + len;
}

/* A packet made of NUL-terminated strings (a NULL ends the list); a
 * non-zero prefix byte goes first, without a NUL (the stage of a macro
 * packet). */
static void put_strings(struct conn *c, char cmd, int prefix, ...)
{
	char buf[8192];
	size_t len = 0;
	const char *s;
	va_list ap;

	if (prefix != '\0')
		buf[len++] = (char)prefix;
	va_start(ap, prefix);
	while ((s = va_arg(ap, const char *)) != NULL) {
		size_t n = strlen(s) + 1;

		if (len + n > sizeof buf)
			break;
		memcpy(buf + len, s, n);
		len += n;
	}
	va_end(ap);
	put_packet(c, cmd, buf, len);
}

/* Writes everything queued: in one go, or (-w) one write per packet. */
static int flush_out(struct conn *c)
{
	size_t off = 0;

	while (off < c->wlen) {
		size_t len = c->wlen - off;
		ssize_t n;

		if (opt_split) {
			uint32_t plen;

			memcpy(&plen, c->wbuf + off, 4);
			len = 4 + (size_t)ntohl(plen);
		}
		n = send(c->fd, c->wbuf + off, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return conn_error(c, "write: %s", strerror(errno));
		}
		off += (size_t)n;
	}
	c->wlen = 0;
	return 0;
}

/* Reads one packet; *data points into the connection's buffer until the
 * next call. */
static int get_packet(struct conn *c, char *cmd, unsigned char **data, size_t *len)
{
	for (;;) {
		size_t avail, need = 4;
		ssize_t got;

		if (c->rpos == c->rlen)
			c->rpos = c->rlen = 0;
		avail = c->rlen - c->rpos;
		if (avail >= 4) {
			uint32_t n;

			memcpy(&n, c->rbuf + c->rpos, 4);
			n = ntohl(n);
			if (n == 0 || n > MAX_PACKET)
				return conn_error(c, "bad reply length %u", (unsigned)n);
			need = 4 + (size_t)n;
			if (avail >= need) {
				*cmd = (char)c->rbuf[c->rpos + 4];
				*data = c->rbuf + c->rpos + 5;
				*len = (size_t)n - 1;
				c->rpos += need;
				return 0;
			}
		}
		if (c->rpos + need > c->rcap) {
			/* move the partial packet to the front; grow if needed */
			memmove(c->rbuf, c->rbuf + c->rpos, avail);
			c->rpos = 0;
			c->rlen = avail;
			if (need > c->rcap) {
				c->rcap = need;
				c->rbuf = xrealloc(c->rbuf, c->rcap);
			}
		}
		got = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return conn_error(c, "no reply within %u ms", opt_timeout_ms);
			return conn_error(c, "read: %s", strerror(errno));
		}
		if (got == 0)
			return conn_error(c, "filter closed the connection");
		c->rlen += (size_t)got;
	}
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->rlen = c->rpos = c->wlen = 0;
}

static int conn_open(struct conn *c)
{
	struct timeval tv;
	int one = 1;

	c->fd = socket(sock_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return conn_error(c, "socket: %s", strerror(errno));
	tv.tv_sec = opt_timeout_ms / 1000;
	tv.tv_usec = (opt_timeout_ms % 1000) * 1000;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (sock_family != AF_UNIX && opt_nodelay)
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&sock_addr, sock_addrlen) != 0) {
		int e = errno;

		conn_close(c);
		return conn_error(c, "connect %s: %s", sockspec, strerror(e));
	}
	c->s->conns++;
	return 0;
}

/* ---- replies ----------------------------------------------------------- */

/* What one message got back. */
struct outcome {
	enum action action;
	int quarantined;
	enum dword dmarc;
	int early;	 /* final reply before end of message */
	char reply[128]; /* reply code text, if any */
	unsigned added, changed, other;
};

/* The dmarc= word of an Authentication-Results value, or -1. */
static int find_dmarc_word(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i + 6 <= len; i++) {
		if (strncasecmp(v + i, "dmarc=", 6) == 0 &&
		    (i == 0 || v[i - 1] == ';' || v[i - 1] == ' ' || v[i - 1] == '\t' ||
		     v[i - 1] == '\n')) {
			const char *w = v + i + 6;
			size_t n = 0;
			static const char *const words[] = { "pass", "fail", "none", "temperror",
							     "permerror" };
			size_t k;

			while (i + 6 + n < len && ((w[n] >= 'a' && w[n] <= 'z') ||
						   (w[n] >= 'A' && w[n] <= 'Z')))
				n++;
			for (k = 0; k < sizeof words / sizeof words[0]; k++)
				if (n == strlen(words[k]) && strncasecmp(w, words[k], n) == 0)
					return (int)k;
			return D_OTHER;
		}
	}
	return -1;
}

/* A header modification: name and value NUL-terminated in data. */
static void note_header(struct outcome *o, const unsigned char *data, size_t len)
{
	const char *name = (const char *)data;
	size_t nlen = strnlen(name, len);
	const char *value;
	size_t vlen;
	int w;

	if (nlen >= len)
		return;
	value = name + nlen + 1;
	vlen = strnlen(value, len - nlen - 1);
	if (strcasecmp(name, "Authentication-Results") != 0)
		return;
	w = find_dmarc_word(value, vlen);
	if (w >= 0 && (o->dmarc == D_MISSING || o->dmarc == D_OTHER))
		o->dmarc = (enum dword)w;
}

/*
 * Reads replies up to a final one.  At end of message the modification
 * actions come first; elsewhere only progress may.  Returns 0 and sets
 * *final to the reply command, or -1.
 */
static int read_reply(struct conn *c, struct outcome *o, int at_eom, char *final)
{
	char cmd;
	unsigned char *data;
	size_t len;

	for (;;) {
		if (get_packet(c, &cmd, &data, &len) != 0)
			return -1;
		switch (cmd) {
		case REP_CONTINUE:
		case REP_ACCEPT:
		case REP_REJECT:
		case REP_TEMPFAIL:
		case REP_DISCARD:
		case REP_SKIP:
			*final = cmd;
			return 0;
		case REP_REPLYCODE:
			snprintf(o->reply, sizeof o->reply, "%.*s", (int)strnlen((char *)data, len),
				 (char *)data);
			*final = cmd;
			return 0;
		case REP_PROGRESS:
			continue;
		case REP_INSHEADER:
		case REP_CHGHEADER:
			if (!at_eom || len < 4)
				return conn_error(c, "reply '%c' out of place", cmd);
			if (cmd == REP_INSHEADER)
				o->added++;
			else
				o->changed++;
			note_header(o, data + 4, len - 4);
			continue;
		case REP_ADDHEADER:
			if (!at_eom)
				return conn_error(c, "reply '%c' out of place", cmd);
			o->added++;
			note_header(o, data, len);
			continue;
		case REP_QUARANTINE:
			if (!at_eom)
				return conn_error(c, "reply '%c' out of place", cmd);
			o->quarantined = 1;
			continue;
		case REP_ADDRCPT:
		case REP_DELRCPT:
		case REP_ADDRCPT_PAR:
		case REP_REPLBODY:
		case REP_CHGFROM:
			if (!at_eom)
				return conn_error(c, "reply '%c' out of place", cmd);
			o->other++;
			continue;
		case REP_SHUTDOWN:
		case REP_CONN_FAIL:
			return conn_error(c, "filter sent '%c' (shut down)", cmd);
		default:
			return conn_error(c, "unknown reply '%c' (0x%02x)", cmd > 32 ? cmd : '?',
					  (unsigned char)cmd);
		}
	}
}

static void set_action(struct outcome *o, char final)
{
	switch (final) {
	case REP_ACCEPT:
		o->action = A_ACCEPT;
		break;
	case REP_CONTINUE:
		o->action = A_CONTINUE;
		break;
	case REP_REJECT:
		o->action = A_REJECT;
		break;
	case REP_TEMPFAIL:
		o->action = A_TEMPFAIL;
		break;
	case REP_DISCARD:
		o->action = A_DISCARD;
		break;
	case REP_REPLYCODE:
		o->action = o->reply[0] == '4' ? A_TEMPFAIL : o->reply[0] == '5' ? A_REJECT : A_ACCEPT;
		break;
	default:
		o->action = A_NONE;
		break;
	}
}

/* ---- the conversation -------------------------------------------------- */

/* Option negotiation, connect and HELO. */
static int conn_start(struct conn *c, unsigned long serial)
{
	unsigned char neg[12];
	uint32_t v, version;
	char cmd, final;
	unsigned char *data;
	size_t len;
	struct outcome o;
	char host[64], addr[32], info[128];
	unsigned char pkt[256];
	size_t plen;
	uint16_t port;
	static const char *const nets[] = { "192.0.2", "198.51.100", "203.0.113" };

	v = htonl(MILTER_VERSION);
	memcpy(neg, &v, 4);
	v = htonl(ACT_ALL);
	memcpy(neg + 4, &v, 4);
	v = htonl(P_OFFERED);
	memcpy(neg + 8, &v, 4);
	put_packet(c, CMD_OPTNEG, neg, sizeof neg);
	if (flush_out(c) != 0 || get_packet(c, &cmd, &data, &len) != 0)
		return -1;
	if (cmd != CMD_OPTNEG || len < 12)
		return conn_error(c, "bad option negotiation reply '%c'", cmd);
	memcpy(&v, data, 4);
	version = ntohl(v);
	if (version < 2 || version > MILTER_VERSION)
		return conn_error(c, "filter speaks milter version %u", (unsigned)version);
	memcpy(&v, data + 4, 4);
	c->actions = ntohl(v);
	memcpy(&v, data + 8, 4);
	c->proto = ntohl(v);
	if (opt_verbose && c->s->conns == 1) {
		pthread_mutex_lock(&print_lock);
		printf("session %u: filter speaks version %u, actions 0x%x, protocol 0x%x\n",
		       c->s->id, (unsigned)version, (unsigned)c->actions,
		       (unsigned)c->proto);
		pthread_mutex_unlock(&print_lock);
	}
	if ((c->proto & ~P_OFFERED) != 0 || (c->actions & ~ACT_ALL) != 0)
		return conn_error(c, "filter asked for protocol 0x%x actions 0x%x beyond the offer",
				  (unsigned)c->proto, (unsigned)c->actions);

	/* a TEST-NET client (RFC 5737), different for each connection */
	snprintf(addr, sizeof addr, "%s.%lu", nets[serial % 3], 1 + (serial / 3) % 250);
	snprintf(host, sizeof host, "client%lu.bench.example", serial % 10000);
	snprintf(info, sizeof info, "%s [%s]", host, addr);
	put_strings(c, CMD_MACRO, CMD_CONNECT, "j", "mx.bench.example", "{daemon_name}", "milterload",
		    "v", "milterload 1.0", "_", info, "{client_addr}", addr, "{client_name}",
		    host, (char *)NULL);
	if (!(c->proto & P_NOCONNECT)) {
		size_t hl = strlen(host) + 1, al = strlen(addr) + 1;

		port = htons((uint16_t)(1024 + serial % 60000));
		memcpy(pkt, host, hl);
		pkt[hl] = '4';
		memcpy(pkt + hl + 1, &port, 2);
		memcpy(pkt + hl + 3, addr, al);
		plen = hl + 3 + al;
		put_packet(c, CMD_CONNECT, pkt, plen);
		if (!(c->proto & P_NR_CONN)) {
			memset(&o, 0, sizeof o);
			if (flush_out(c) != 0 || read_reply(c, &o, 0, &final) != 0)
				return -1;
			if (final != REP_CONTINUE)
				return conn_error(c, "filter answered '%c' to connect", final);
		}
	}
	if (!(c->proto & P_NOHELO)) {
		put_strings(c, CMD_HELO, '\0', host, (char *)NULL);
		if (!(c->proto & P_NR_HELO)) {
			memset(&o, 0, sizeof o);
			if (flush_out(c) != 0 || read_reply(c, &o, 0, &final) != 0)
				return -1;
			if (final != REP_CONTINUE)
				return conn_error(c, "filter answered '%c' to HELO", final);
		}
	}
	return flush_out(c);
}

/* Sends what is queued and, unless the filter said it will not reply to
 * this step, reads its reply.  Returns 1 when the reply ended the message
 * early, 0 to go on, 2 when the filter skips the rest of the body, -1 on
 * errors. */
static int step(struct conn *c, struct outcome *o, uint32_t noreply_flag, int body)
{
	char final;

	if (c->proto & noreply_flag)
		return 0;
	if (flush_out(c) != 0 || read_reply(c, o, 0, &final) != 0)
		return -1;
	if (final == REP_CONTINUE)
		return 0;
	if (final == REP_SKIP) {
		if (body && (c->proto & P_SKIP))
			return 2;
		return conn_error(c, "filter answered SKIP out of place");
	}
	set_action(o, final);
	o->early = 1;
	return 1;
}

/* One step of send_message(): returns from it when the message is over. */
#define STEP(flag)                                   \
	do {                                         \
		int r_ = step(c, o, (flag), 0);      \
		if (r_ != 0)                         \
			return r_;                   \
	} while (0)

/* A header field, preceded (as Postfix does) by the macros of the step. */
static void put_header(struct conn *c, const char *qid, const char *name, const char *value)
{
	char lead[4096];

	put_strings(c, CMD_MACRO, CMD_HEADER, "i", qid, (char *)NULL);
	if (c->proto & P_HDR_LEADSPC) {
		snprintf(lead, sizeof lead, " %s", value);
		value = lead;
	}
	put_strings(c, CMD_HEADER, '\0', name, value, (char *)NULL);
}

static const char *const filler_names[] = {
	"Received", "X-Mailer", "List-Id", "X-Spam-Status", "Thread-Topic", "X-Originating-IP",
	"Received", "X-Priority", "Accept-Language", "X-MS-Has-Attach",
};

static int send_message(struct conn *c, unsigned long idx, const struct kind *k,
			struct outcome *o)
{
	char qid[32], buf[512];
	unsigned i;
	int r;
	char final;
	size_t off;

	memset(o, 0, sizeof *o);
	o->action = A_NONE;
	o->dmarc = D_MISSING;
	snprintf(qid, sizeof qid, "%02X%010lX", c->s->id & 0xff, idx);

	/* {mail_addr} is the address without the angle brackets */
	snprintf(buf, sizeof buf, "%.*s", (int)strcspn(k->mailfrom + 1, ">"), k->mailfrom + 1);
	put_strings(c, CMD_MACRO, CMD_MAIL, "i", qid, "{mail_addr}", buf, (char *)NULL);
	if (!(c->proto & P_NOMAIL)) {
		put_strings(c, CMD_MAIL, '\0', k->mailfrom, (char *)NULL);
		STEP(P_NR_MAIL);
	}
	put_strings(c, CMD_MACRO, CMD_RCPT, "{rcpt_addr}", "postmaster@rcpt.example", (char *)NULL);
	if (!(c->proto & P_NORCPT)) {
		put_strings(c, CMD_RCPT, '\0', "<postmaster@rcpt.example>", (char *)NULL);
		STEP(P_NR_RCPT);
	}
	/* the macros of a step go out even when the step itself is skipped */
	put_strings(c, CMD_MACRO, CMD_DATA, "i", qid, (char *)NULL);
	if (!(c->proto & P_NODATA)) {
		put_packet(c, CMD_DATA, NULL, 0);
		STEP(P_NR_DATA);
	}
	/* Postfix's smtpd hands the milter connection to the cleanup server
	 * here, which writes the header fields: with -p, what is queued goes
	 * out now in a write of its own. */
	if (opt_postfix && flush_out(c) != 0)
		return -1;
	if (!(c->proto & P_NOHDRS)) {
		static const struct {
			const char *name, *value;
		} fixed[] = {
			{ "To", "Postmaster <postmaster@rcpt.example>" },
			{ "MIME-Version", "1.0" },
			{ "Content-Type", "text/plain; charset=us-ascii" },
		};
		size_t f;

		snprintf(buf, sizeof buf,
			 "from client.bench.example (client.bench.example [192.0.2.1])\r\n\tby "
			 "mx.bench.example (Postfix) with ESMTP id %s\r\n\tfor "
			 "<postmaster@rcpt.example>; Thu, 1 Jan 2026 00:00:00 +0000",
			 qid);
		put_header(c, qid, "Received", buf);
		STEP(P_NR_HDR);
		if (k->ar != NULL) {
			put_header(c, qid, "Authentication-Results", k->ar);
			STEP(P_NR_HDR);
		}
		for (i = 0; i < opt_fillers; i++) {
			snprintf(buf, sizeof buf,
				 "filler %u of message %s; a header field of the usual size that "
				 "DMARC does not look at",
				 i, qid);
			put_header(c, qid, filler_names[i % (sizeof filler_names / sizeof filler_names[0])],
				   buf);
			STEP(P_NR_HDR);
		}
		put_header(c, qid, "From", k->from);
		STEP(P_NR_HDR);
		for (f = 0; f < sizeof fixed / sizeof fixed[0]; f++) {
			put_header(c, qid, fixed[f].name, fixed[f].value);
			STEP(P_NR_HDR);
		}
		snprintf(buf, sizeof buf, "bench message %lu (%s)", idx, k->name);
		put_header(c, qid, "Subject", buf);
		STEP(P_NR_HDR);
		put_header(c, qid, "Date", "Thu, 1 Jan 2026 00:00:00 +0000");
		STEP(P_NR_HDR);
		snprintf(buf, sizeof buf, "<%s.%lu@bench.example>", qid, idx);
		put_header(c, qid, "Message-ID", buf);
		STEP(P_NR_HDR);
	}
	put_strings(c, CMD_MACRO, CMD_EOH, "i", qid, (char *)NULL);
	if (!(c->proto & P_NOEOH)) {
		put_packet(c, CMD_EOH, NULL, 0);
		STEP(P_NR_EOH);
	}
	if (!(c->proto & P_NOBODY)) {
		for (off = 0; off < opt_body;) {
			size_t n = opt_body - off > MAX_CHUNK ? MAX_CHUNK : opt_body - off;

			put_packet(c, CMD_BODY, body_text + off, n);
			off += n;
			r = step(c, o, P_NR_BODY, 1);
			if (r < 0)
				return -1;
			if (r == 1)
				return 1;
			if (r == 2)
				break; /* skip the rest of the body */
		}
	}
	put_strings(c, CMD_MACRO, CMD_EOB, "i", qid, (char *)NULL);
	put_packet(c, CMD_EOB, NULL, 0);
	if (flush_out(c) != 0 || read_reply(c, o, 1, &final) != 0)
		return -1;
	if (final == REP_SKIP)
		return conn_error(c, "filter answered SKIP to end of message");
	set_action(o, final);
	return 0;
}

/* ---- bookkeeping ------------------------------------------------------- */

static int mismatch(const struct kind *k, const struct outcome *o)
{
	int accepted = o->action == A_ACCEPT || o->action == A_CONTINUE;

	switch (k->expect) {
	case E_ANY:
		break;
	case E_ACCEPT:
		if (!accepted || o->quarantined)
			return 1;
		break;
	case E_QUARANTINE:
		if (!accepted || !o->quarantined)
			return 1;
		break;
	case E_REJECT:
		if (o->action != A_REJECT)
			return 1;
		break;
	case E_TEMPFAIL:
		if (o->action != A_TEMPFAIL)
			return 1;
		break;
	case E_DISCARD:
		if (o->action != A_DISCARD)
			return 1;
		break;
	}
	/* a rejected message keeps no header, so the word is only checked on
	 * messages that were accepted */
	if (k->dmarc != NULL && accepted &&
	    (o->dmarc >= D_OTHER || strcasecmp(dword_name[o->dmarc], k->dmarc) != 0))
		return 1;
	return 0;
}

static void record(struct session *s, size_t ki, const struct outcome *o, uint64_t ns,
		   unsigned long idx)
{
	struct kind_stats *st = &s->stats[ki];
	int bad = mismatch(&kinds[ki], o);

	st->count++;
	st->action[o->action]++;
	st->quarantined += o->quarantined != 0;
	st->dmarc[o->dmarc]++;
	st->mismatch += bad != 0;
	st->headers_added += o->added;
	st->headers_changed += o->changed;
	st->other_mods += o->other;
	if (s->nlat == s->alat) {
		s->alat = s->alat == 0 ? 1024 : s->alat * 2;
		s->lat = xrealloc(s->lat, s->alat * sizeof *s->lat);
	}
	s->lat[s->nlat++] = ns;
	if (opt_verbose || (bad && !opt_quiet && st->mismatch <= 3)) {
		pthread_mutex_lock(&print_lock);
		fprintf(bad ? stderr : stdout,
			"%s message %lu kind %s: %s%s%s dmarc=%s%s%s%s %.3f ms\n",
			bad ? "MISMATCH" : "msg", idx, kinds[ki].name, action_name[o->action],
			o->quarantined ? "+quarantine" : "", o->early ? " (early)" : "",
			dword_name[o->dmarc], o->reply[0] ? " [" : "", o->reply,
			o->reply[0] ? "]" : "", (double)ns / 1e6);
		pthread_mutex_unlock(&print_lock);
	}
}

static void session_error(struct session *s)
{
	unsigned long n = atomic_fetch_add(&total_errors, 1) + 1;

	s->errors++;
	if (!opt_quiet) {
		pthread_mutex_lock(&print_lock);
		if (n <= 10)
			fprintf(stderr, "milterload: session %u: %s\n", s->id, s->last_error);
		pthread_mutex_unlock(&print_lock);
	}
	if (n >= MAX_ERRORS)
		atomic_store(&fatal_error, 1);
}

/* Takes the index of the next message to send, or returns 0 when done. */
static int take_message(unsigned long *idx)
{
	if (atomic_load(&stop_run) || atomic_load(&fatal_error))
		return 0;
	*idx = atomic_fetch_add(&next_message, 1);
	if (opt_seconds <= 0 && *idx >= opt_messages)
		return 0;
	return 1;
}

static void *session_main(void *arg)
{
	struct session *s = arg;
	struct conn c;
	unsigned long idx, on_conn = 0;
	int have_msg = 0;

	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.s = s;
	c.rcap = 65536;
	c.rbuf = xmalloc(c.rcap);

	for (;;) {
		struct outcome o;
		size_t ki;
		uint64_t t0, t1;
		int r;

		if (!have_msg) {
			if (!take_message(&idx))
				break;
			have_msg = 1;
		}
		if (c.fd < 0) {
			if (atomic_load(&fatal_error))
				break;
			if (conn_open(&c) != 0 ||
			    conn_start(&c, atomic_fetch_add(&next_conn, 1)) != 0) {
				session_error(s);
				conn_close(&c);
				usleep(10000);
				continue;
			}
			on_conn = 0;
		}
		ki = slot_kind[idx % nslots];
		t0 = now_ns();
		r = send_message(&c, idx, &kinds[ki], &o);
		t1 = now_ns();
		if (r < 0) {
			/* the message is retried on a new connection */
			session_error(s);
			conn_close(&c);
			continue;
		}
		record(s, ki, &o, t1 - t0, idx);
		have_msg = 0;
		if (r == 1) {
			/* ended early: abort the transaction, as an MTA does */
			put_packet(&c, CMD_ABORT, NULL, 0);
			if (flush_out(&c) != 0) {
				session_error(s);
				conn_close(&c);
				continue;
			}
		}
		if (opt_per_conn > 0 && ++on_conn >= opt_per_conn) {
			put_packet(&c, CMD_QUIT, NULL, 0);
			(void)flush_out(&c);
			conn_close(&c);
		}
	}
	if (c.fd >= 0) {
		put_packet(&c, CMD_QUIT, NULL, 0);
		(void)flush_out(&c);
		conn_close(&c);
	}
	free(c.rbuf);
	free(c.wbuf);
	return NULL;
}

/* ---- the mix ----------------------------------------------------------- */

static enum expect parse_expect(const char *s, const char *file, unsigned line)
{
	static const struct {
		const char *name;
		enum expect e;
	} names[] = {
		{ "any", E_ANY },	      { "accept", E_ACCEPT },	  { "quarantine", E_QUARANTINE },
		{ "reject", E_REJECT },	      { "tempfail", E_TEMPFAIL }, { "discard", E_DISCARD },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].e;
	die("%s:%u: unknown action %s", file, line, s);
	return E_ANY;
}

static void add_kind(const char *name, unsigned weight, enum expect e, const char *dmarc,
		     const char *mailfrom, const char *from, const char *ar)
{
	struct kind *k;

	kinds = xrealloc(kinds, (nkinds + 1) * sizeof *kinds);
	k = &kinds[nkinds++];
	k->name = xstrdup(name);
	k->weight = weight;
	k->expect = e;
	k->dmarc = dmarc != NULL && strcmp(dmarc, "-") != 0 ? xstrdup(dmarc) : NULL;
	k->mailfrom = xstrdup(mailfrom);
	k->from = xstrdup(from);
	k->ar = ar != NULL && ar[0] != '\0' && strcmp(ar, "-") != 0 ? xstrdup(ar) : NULL;
}

static void load_mix(const char *file)
{
	FILE *fp = fopen(file, "r");
	char line[4096];
	unsigned lineno = 0;

	if (fp == NULL)
		die("cannot open %s: %s", file, strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		char *f[8], *p = line, *sep;
		size_t n = 0;
		unsigned long w;

		lineno++;
		p = trim(line);
		if (*p == '#' || *p == '\0')
			continue;
		while (n < 8) {
			f[n++] = p;
			sep = strchr(p, '|');
			if (sep == NULL)
				break;
			*sep = '\0';
			p = sep + 1;
		}
		if (n < 6 || n > 7)
			die("%s:%u: want 6 or 7 fields separated by '|'", file, lineno);
		for (size_t i = 0; i < n; i++)
			f[i] = trim(f[i]);
		w = parse_ulong(f[1], "weight");
		if (w == 0 || w > 1000)
			die("%s:%u: weight must be 1..1000", file, lineno);
		if (f[4][0] != '<')
			die("%s:%u: MAIL FROM must be <address>", file, lineno);
		add_kind(f[0], (unsigned)w, parse_expect(f[2], file, lineno), f[3], f[4], f[5],
			 n == 7 ? f[6] : NULL);
	}
	fclose(fp);
	if (nkinds == 0)
		die("%s: no message kinds", file);
}

static void build_slots(void)
{
	size_t i, total = 0, pos = 0;
	unsigned *left;

	for (i = 0; i < nkinds; i++)
		total += kinds[i].weight;
	slot_kind = xmalloc(total * sizeof *slot_kind);
	nslots = total;
	/* interleave the kinds (largest remaining weight first) so short runs
	 * also see the whole mix */
	left = xmalloc(nkinds * sizeof *left);
	for (i = 0; i < nkinds; i++)
		left[i] = kinds[i].weight;
	while (pos < total) {
		for (i = 0; i < nkinds && pos < total; i++) {
			if (left[i] > 0) {
				slot_kind[pos++] = i;
				left[i]--;
			}
		}
	}
	free(left);
}

static void build_body(void)
{
	static const char line[] = "The quick brown fox jumps over the lazy dog while a benchmark "
				   "counts the messages.";
	size_t i = 0, ll = sizeof line - 1;

	body_text = xmalloc(opt_body + 1);
	while (i < opt_body) {
		size_t n = ll;

		if (n > opt_body - i)
			n = opt_body - i;
		memcpy(body_text + i, line, n);
		i += n;
		if (i < opt_body)
			body_text[i++] = '\r';
		if (i < opt_body)
			body_text[i++] = '\n';
	}
	body_text[opt_body] = '\0';
}

/* ---- main -------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted values, in ms. */
static double pct_ms(const uint64_t *v, size_t n, double p)
{
	size_t r;

	if (n == 0)
		return 0;
	r = (size_t)(p * (double)n + 0.999999);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return (double)v[r - 1] / 1e6;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: milterload [-c sessions] [-n messages | -T seconds] [-r per-conn]\n"
		"                  [-m mixfile] [-H fillers] [-b bodybytes] [-t timeout-ms]\n"
		"                  [-D] [-p] [-w] [-S] [-v | -q] SOCKET\n"
		"SOCKET: unix:/path, local:/path, inet:PORT[@HOST], inet6:PORT[@HOST]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int ch;
	const char *mixfile = NULL;
	struct session *ss;
	struct kind_stats *tot;
	unsigned i;
	size_t k, nlat = 0;
	uint64_t *lat, t0, t1;
	unsigned long conns = 0, mism = 0, msgs = 0;
	double secs;

	while ((ch = getopt(argc, argv, "c:n:T:r:m:H:b:t:DSvqwp")) != -1) {
		switch (ch) {
		case 'c':
			opt_sessions = (unsigned)parse_ulong(optarg, "session count");
			if (opt_sessions == 0 || opt_sessions > 10000)
				die("sessions must be 1..10000");
			break;
		case 'n':
			opt_messages = parse_ulong(optarg, "message count");
			break;
		case 'T':
			opt_seconds = atof(optarg);
			if (opt_seconds <= 0)
				die("bad duration %s", optarg);
			break;
		case 'r':
			opt_per_conn = parse_ulong(optarg, "messages per connection");
			break;
		case 'm':
			mixfile = optarg;
			break;
		case 'H':
			opt_fillers = (unsigned)parse_ulong(optarg, "filler count");
			break;
		case 'b':
			opt_body = parse_ulong(optarg, "body size");
			break;
		case 't':
			opt_timeout_ms = (unsigned)parse_ulong(optarg, "timeout");
			if (opt_timeout_ms == 0)
				die("timeout must be positive");
			break;
		case 'D':
			opt_nodelay = 0;
			break;
		case 'w':
			opt_split = 1;
			break;
		case 'p':
			opt_postfix = 1;
			opt_nodelay = 0;
			break;
		case 'S':
			opt_strict = 1;
			break;
		case 'v':
			opt_verbose = 1;
			break;
		case 'q':
			opt_quiet = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	sockspec = argv[optind];
	parse_socket(sockspec);
	if (mixfile != NULL)
		load_mix(mixfile);
	else
		add_kind("default", 1, E_ANY, "-", "<sender@example.com>",
			 "Sender <sender@example.com>", NULL);
	build_slots();
	build_body();
	signal(SIGPIPE, SIG_IGN);

	ss = xmalloc(opt_sessions * sizeof *ss);
	memset(ss, 0, opt_sessions * sizeof *ss);
	t0 = now_ns();
	for (i = 0; i < opt_sessions; i++) {
		ss[i].id = i;
		ss[i].stats = xmalloc(nkinds * sizeof *ss[i].stats);
		memset(ss[i].stats, 0, nkinds * sizeof *ss[i].stats);
		if (pthread_create(&ss[i].thread, NULL, session_main, &ss[i]) != 0)
			die("cannot start session thread %u", i);
	}
	if (opt_seconds > 0) {
		uint64_t end = t0 + (uint64_t)(opt_seconds * 1e9);

		while (!atomic_load(&fatal_error)) {
			uint64_t t = now_ns();
			struct timespec ts;

			if (t >= end)
				break;
			t = end - t > 50000000U ? 50000000U : end - t;
			ts.tv_sec = 0;
			ts.tv_nsec = (long)t;
			nanosleep(&ts, NULL);
		}
		atomic_store(&stop_run, 1);
	}
	for (i = 0; i < opt_sessions; i++)
		pthread_join(ss[i].thread, NULL);
	t1 = now_ns();
	secs = (double)(t1 - t0) / 1e9;

	tot = xmalloc(nkinds * sizeof *tot);
	memset(tot, 0, nkinds * sizeof *tot);
	for (i = 0; i < opt_sessions; i++) {
		nlat += ss[i].nlat;
		conns += ss[i].conns;
		for (k = 0; k < nkinds; k++) {
			struct kind_stats *a = &tot[k], *b = &ss[i].stats[k];
			size_t j;

			a->count += b->count;
			a->quarantined += b->quarantined;
			a->mismatch += b->mismatch;
			a->headers_added += b->headers_added;
			a->headers_changed += b->headers_changed;
			a->other_mods += b->other_mods;
			for (j = 0; j < A_COUNT; j++)
				a->action[j] += b->action[j];
			for (j = 0; j < D_COUNT; j++)
				a->dmarc[j] += b->dmarc[j];
		}
	}
	lat = xmalloc(nlat * sizeof *lat);
	nlat = 0;
	for (i = 0; i < opt_sessions; i++) {
		if (ss[i].nlat > 0)
			memcpy(lat + nlat, ss[i].lat, ss[i].nlat * sizeof *lat);
		nlat += ss[i].nlat;
	}
	qsort(lat, nlat, sizeof *lat, cmp_u64);
	for (k = 0; k < nkinds; k++) {
		msgs += tot[k].count;
		mism += tot[k].mismatch;
	}

	if (!opt_quiet) {
		printf("milterload: %s, %u session%s, %s, %zu kind%s\n", sockspec, opt_sessions,
		       opt_sessions == 1 ? "" : "s",
		       opt_per_conn == 0   ? "one connection per session"
		       : opt_per_conn == 1 ? "a fresh connection per message"
					   : "reconnecting every few messages",
		       nkinds, nkinds == 1 ? "" : "s");
		printf("%-16s %7s %7s %7s %7s %6s %6s  %-32s %5s\n", "kind", "msgs", "accept",
		       "reject", "tmpfail", "quar", "hdrs+", "dmarc= pass/fail/none/temp/perm/?/-",
		       "bad");
		for (k = 0; k < nkinds; k++) {
			struct kind_stats *t = &tot[k];
			char dm[96];

			snprintf(dm, sizeof dm, "%lu/%lu/%lu/%lu/%lu/%lu/%lu", t->dmarc[D_PASS],
				 t->dmarc[D_FAIL], t->dmarc[D_NONE], t->dmarc[D_TEMPERROR],
				 t->dmarc[D_PERMERROR], t->dmarc[D_OTHER], t->dmarc[D_MISSING]);
			printf("%-16s %7lu %7lu %7lu %7lu %6lu %6lu  %-32s %5lu\n", kinds[k].name,
			       t->count, t->action[A_ACCEPT] + t->action[A_CONTINUE],
			       t->action[A_REJECT], t->action[A_TEMPFAIL], t->quarantined,
			       t->headers_added, dm, t->mismatch);
		}
	}
	printf("RESULT msgs=%lu secs=%.3f rate=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
	       "max_ms=%.3f errors=%lu mismatches=%lu conns=%lu\n",
	       msgs, secs, secs > 0 ? (double)msgs / secs : 0.0, pct_ms(lat, nlat, 0.50),
	       pct_ms(lat, nlat, 0.90), pct_ms(lat, nlat, 0.99),
	       nlat > 0 ? (double)lat[nlat - 1] / 1e6 : 0.0,
	       (unsigned long)atomic_load(&total_errors), mism, conns);
	fflush(stdout);

	for (i = 0; i < opt_sessions; i++) {
		free(ss[i].stats);
		free(ss[i].lat);
	}
	free(ss);
	free(tot);
	free(lat);
	free(slot_kind);
	free(body_text);
	for (k = 0; k < nkinds; k++) {
		free(kinds[k].name);
		free(kinds[k].dmarc);
		free(kinds[k].mailfrom);
		free(kinds[k].from);
		free(kinds[k].ar);
	}
	free(kinds);

	if (atomic_load(&fatal_error)) {
		fprintf(stderr, "milterload: too many errors, gave up\n");
		return 3;
	}
	if (msgs == 0) {
		fprintf(stderr, "milterload: no message completed\n");
		return 3;
	}
	return opt_strict && mism > 0 ? 1 : 0;
}
