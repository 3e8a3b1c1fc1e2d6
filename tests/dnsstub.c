/*
 * NAME
 *	dnsstub - a DNS server that misbehaves on request (tests only)
 * SYNOPSIS
 *	dnsstub PORT READYFILE
 * DESCRIPTION
 *	Serves 127.0.0.1:PORT (0: a free port) over UDP and TCP, one query
 *	at a time, and answers by the first label of the query name (the
 *	label after a leading "_dmarc", if any):
 *	  servfail refused formerr notimp   that rcode, no records
 *	  timeout    never answers
 *	  trunc      UDP: TC bit and no records; TCP: TXT "via-tcp"
 *	  trunctcp   TC bit over UDP and over TCP
 *	  garbage    a header announcing a record that is cut short
 *	  badtxt     a TXT record whose string overruns its RDATA
 *	  cname      only a CNAME to "txt." + the rest of the name
 *	  cnamenx    only a CNAME to "nx." + the rest (nx.* is NXDOMAIN)
 *	  loop       a CNAME to itself
 *	  txt        TXT "v=DMARC1; p=reject" (TTL 300)
 *	  count      TXT: queries seen for this very name, this one included
 *	             (TTL 1)
 *	  count0     the same with TTL 0
 *	  howmany    TXT: queries seen for the rest of the name (TTL 0)
 *	  many       20 TXT records "r1" .. "r20"
 *	  nodata     NOERROR without records, SOA MINIMUM 60
 *	  other      NXDOMAIN, SOA MINIMUM 60
 *	The TXT behaviours give NODATA to other query types.  Queries are
 *	counted per name (names starting with "fill" are not, so a test can
 *	flood the cache).  Once listening it writes "PORT PID\n" to READYFILE
 *	through a rename, so a reader never sees half of it.
 * DIAGNOSTICS
 *	Exit status 1 with a message when it cannot listen.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSG_MAX 4096
#define COUNTED_MAX 1024
#define T_TXT 16
#define T_CNAME 5
#define T_SOA 6

struct msg {
	unsigned char b[MSG_MAX];
	size_t len;
	unsigned an, ns; /* records written per section */
};

struct query {
	const unsigned char *raw;
	size_t qend;       /* end of the question section */
	unsigned type;
	char name[256];    /* lower case, dotted */
	char first[64];    /* first label */
	const char *rest;  /* name after the first label ("" if none) */
};

static struct {
	char name[256];
	unsigned count;
} counted[COUNTED_MAX];

/* ---- counting ---- */

static unsigned *counter(const char *name, int add)
{
	size_t i;

	for (i = 0; i < COUNTED_MAX && counted[i].name[0] != '\0'; i++)
		if (strcmp(counted[i].name, name) == 0)
			return &counted[i].count;
	if (!add || i == COUNTED_MAX)
		return NULL;
	snprintf(counted[i].name, sizeof counted[i].name, "%s", name);
	return &counted[i].count;
}

static void count_query(const char *name)
{
	unsigned *c;

	if (strncmp(name, "fill", 4) == 0)
		return;
	c = counter(name, 1);
	if (c != NULL)
		(*c)++;
}

/* ---- reading the query ---- */

static int parse_query(const unsigned char *p, size_t len, struct query *q)
{
	size_t off = 12, out = 0;
	const char *name;

	memset(q, 0, sizeof *q);
	if (len < 12 || p[4] != 0 || p[5] != 1)
		return -1;
	while (off < len && p[off] != 0) {
		size_t l = p[off];

		if (l > 63 || off + 1 + l >= len || out + l + 1 >= sizeof q->name)
			return -1;
		if (out > 0)
			q->name[out++] = '.';
		for (size_t i = 0; i < l; i++) {
			char c = (char)p[off + 1 + i];

			q->name[out++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		off += 1 + l;
	}
	if (off + 5 > len)
		return -1;
	q->raw = p;
	q->type = (unsigned)p[off + 1] << 8 | p[off + 2];
	q->qend = off + 5;
	name = strncmp(q->name, "_dmarc.", 7) == 0 ? q->name + 7 : q->name;
	q->rest = strchr(name, '.') != NULL ? strchr(name, '.') + 1 : "";
	snprintf(q->first, sizeof q->first, "%.*s", (int)strcspn(name, "."), name);
	return 0;
}

/* ---- writing the reply ---- */

static void put8(struct msg *m, unsigned v)
{
	if (m->len < MSG_MAX)
		m->b[m->len++] = (unsigned char)v;
}

static void put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8 & 0xff);
	put8(m, v & 0xff);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* the labels of prefix "." rest, uncompressed */
static void put_name(struct msg *m, const char *prefix, const char *rest)
{
	char buf[300];
	char *label, *save = NULL;

	snprintf(buf, sizeof buf, "%s%s%s", prefix, *rest ? "." : "", rest);
	for (label = strtok_r(buf, ".", &save); label; label = strtok_r(NULL, ".", &save)) {
		put8(m, (unsigned)strlen(label));
		for (; *label; label++)
			put8(m, (unsigned char)*label);
	}
	put8(m, 0);
}

/* owner = the query name (pointer to offset 12); returns the RDLENGTH slot */
static size_t put_rr_head(struct msg *m, unsigned type, uint32_t ttl)
{
	size_t slot;

	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	slot = m->len;
	put16(m, 0);
	return slot;
}

static void end_rdata(struct msg *m, size_t slot)
{
	size_t rdlen = m->len - slot - 2;

	m->b[slot] = (unsigned char)(rdlen >> 8);
	m->b[slot + 1] = (unsigned char)(rdlen & 0xff);
}

static void put_txt(struct msg *m, uint32_t ttl, const char *s)
{
	size_t slot = put_rr_head(m, T_TXT, ttl), n = strlen(s);

	put8(m, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		put8(m, (unsigned char)s[i]);
	end_rdata(m, slot);
	m->an++;
}

static void put_soa(struct msg *m, uint32_t minimum)
{
	size_t slot = put_rr_head(m, T_SOA, 300);

	put_name(m, "ns", "stub");
	put_name(m, "hostmaster", "stub");
	put32(m, 1);
	put32(m, 3600);
	put32(m, 600);
	put32(m, 86400);
	put32(m, minimum);
	end_rdata(m, slot);
	m->ns++;
}

static void put_cname(struct msg *m, const char *prefix, const char *rest)
{
	size_t slot = put_rr_head(m, T_CNAME, 300);

	put_name(m, prefix, rest);
	end_rdata(m, slot);
	m->an++;
}

static void begin_reply(struct msg *m, const struct query *q, unsigned rcode)
{
	memset(m, 0, sizeof *m);
	memcpy(m->b, q->raw, q->qend);
	m->len = q->qend;
	m->b[2] = (unsigned char)(0x80 | (q->raw[2] & 0x79) | 0x04); /* QR, opcode, AA, RD */
	m->b[3] = (unsigned char)rcode;
}

static void end_reply(struct msg *m)
{
	m->b[6] = (unsigned char)(m->an >> 8);
	m->b[7] = (unsigned char)(m->an & 0xff);
	m->b[8] = (unsigned char)(m->ns >> 8);
	m->b[9] = (unsigned char)(m->ns & 0xff);
	memset(m->b + 10, 0, 2);
}

/* ---- the behaviours ---- */

static const struct {
	const char *label;
	unsigned rcode;
} rcodes[] = { { "formerr", 1 }, { "servfail", 2 }, { "notimp", 4 }, { "refused", 5 } };

static void txt_behaviour(const struct query *q, int tcp, struct msg *m)
{
	char buf[32];
	unsigned *c;

	if (strcmp(q->first, "trunc") == 0 || strcmp(q->first, "trunctcp") == 0) {
		if (tcp && strcmp(q->first, "trunc") == 0)
			put_txt(m, 300, "via-tcp");
		else
			m->b[2] |= 0x02;
	} else if (strcmp(q->first, "txt") == 0) {
		put_txt(m, 300, "v=DMARC1; p=reject");
	} else if (strncmp(q->first, "count", 5) == 0 || strcmp(q->first, "howmany") == 0) {
		c = counter(q->first[0] == 'c' ? q->name : q->rest, 0);
		snprintf(buf, sizeof buf, "%u", c != NULL ? *c : 0);
		put_txt(m, strcmp(q->first, "count") == 0 ? 1 : 0, buf);
	} else if (strcmp(q->first, "many") == 0) {
		for (int i = 1; i <= 20; i++) {
			snprintf(buf, sizeof buf, "r%d", i);
			put_txt(m, 300, buf);
		}
	} else if (strcmp(q->first, "badtxt") == 0) {
		size_t slot = put_rr_head(m, T_TXT, 300);

		put8(m, 40); /* claims 40 bytes, carries 3 */
		put8(m, 'a');
		put8(m, 'b');
		put8(m, 'c');
		end_rdata(m, slot);
		m->an++;
	}
	if (m->an == 0 && !(m->b[2] & 0x02))
		put_soa(m, 60);
}

static int is_txt_behaviour(const char *label)
{
	static const char *const names[] = { "trunc", "trunctcp", "txt", "count", "count0",
					     "howmany", "many", "badtxt", "nodata" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(label, names[i]) == 0)
			return 1;
	return 0;
}

/* builds the reply into m; 0 when there is none to send */
static int answer(const struct query *q, int tcp, struct msg *m)
{
	for (size_t i = 0; i < sizeof rcodes / sizeof rcodes[0]; i++) {
		if (strcmp(q->first, rcodes[i].label) == 0) {
			begin_reply(m, q, rcodes[i].rcode);
			return 1;
		}
	}
	if (strcmp(q->first, "timeout") == 0)
		return 0;
	begin_reply(m, q, 0);
	if (strcmp(q->first, "garbage") == 0) {
		size_t slot = put_rr_head(m, T_TXT, 300);

		m->b[slot + 1] = 200; /* RDLENGTH 200, one byte follows */
		put8(m, 'x');
		m->an = 1;
		return 1;
	}
	if (strcmp(q->first, "cname") == 0)
		put_cname(m, "txt", q->rest);
	else if (strcmp(q->first, "cnamenx") == 0)
		put_cname(m, "nx", q->rest);
	else if (strcmp(q->first, "loop") == 0)
		put_cname(m, "loop", q->rest);
	else if (is_txt_behaviour(q->first)) {
		if (q->type == T_TXT)
			txt_behaviour(q, tcp, m);
		else
			put_soa(m, 60);
	} else {
		m->b[3] = 3; /* NXDOMAIN */
		put_soa(m, 60);
	}
	return 1;
}

/* ---- the sockets ---- */

static int reply_to(const unsigned char *in, size_t len, int tcp, struct msg *m)
{
	struct query q;

	if (parse_query(in, len, &q) != 0)
		return 0;
	count_query(q.name);
	if (!answer(&q, tcp, m))
		return 0;
	end_reply(m);
	return 1;
}

static void serve_udp(int fd)
{
	unsigned char in[MSG_MAX];
	static struct msg m;
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
	ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&from, &flen);

	if (n > 0 && reply_to(in, (size_t)n, 0, &m))
		(void)sendto(fd, m.b, m.len, 0, (struct sockaddr *)&from, flen);
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void serve_tcp(int lfd)
{
	unsigned char in[MSG_MAX], hdr[2];
	static struct msg m;
	struct timeval tv = { 2, 0 };
	size_t len;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (read_full(fd, hdr, 2) == 0) {
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (len <= sizeof in && read_full(fd, in, len) == 0 && reply_to(in, len, 1, &m)) {
			hdr[0] = (unsigned char)(m.len >> 8);
			hdr[1] = (unsigned char)(m.len & 0xff);
			if (write(fd, hdr, 2) == 2)
				(void)write(fd, m.b, m.len);
		}
	}
	close(fd);
}

static int bind_loopback(int type, unsigned port, unsigned *bound)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) != 0) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

/* UDP and TCP on one port; port 0 tries free ports until both bind */
static int open_sockets(unsigned port, int fds[2], unsigned *bound)
{
	for (int tries = 0; tries < 50; tries++) {
		fds[0] = bind_loopback(SOCK_DGRAM, port, bound);
		if (fds[0] < 0)
			return -1;
		fds[1] = bind_loopback(SOCK_STREAM, *bound, bound);
		if (fds[1] >= 0)
			return 0;
		close(fds[0]);
		if (port != 0)
			return -1;
	}
	return -1;
}

static int write_ready(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%u %ld\n", port, (long)getpid());
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[2];
	int fds[2];
	unsigned port;

	if (argc != 3) {
		fprintf(stderr, "usage: dnsstub PORT READYFILE\n");
		return 2;
	}
	if (open_sockets((unsigned)strtoul(argv[1], NULL, 10), fds, &port) != 0 ||
	    write_ready(argv[2], port) != 0) {
		perror("dnsstub");
		return 1;
	}
	pfd[0].fd = fds[0];
	pfd[1].fd = fds[1];
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		if (pfd[0].revents & POLLIN)
			serve_udp(fds[0]);
		if (pfd[1].revents & POLLIN)
			serve_tcp(fds[1]);
	}
}
