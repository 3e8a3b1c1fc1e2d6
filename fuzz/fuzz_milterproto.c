/*
 * fuzz_milterproto - the milter protocol's framing and decoders of
 * opendmarc/milterproto.c (mp_next, mp_optneg, mp_connect, mp_macro,
 * mp_strings, mp_put), as the daemon meets them on a socket.
 *
 * Input: a stream of packets as an MTA sends them (4-byte big-endian
 * length, command byte, length-1 bytes of data), any bytes, in a buffer
 * of exactly its size (reading past its end is a heap overflow the
 * sanitizer reports).  mp_next is called until it returns 0 (too short)
 * or -1 (a bad length); each packet is decoded by its command:
 * 'O' mp_optneg, 'C' mp_connect, 'D' mp_macro for "i", "{i}", "j" and
 * "{auth_authen}", 'M', 'L' and 'H' mp_strings.  Invariants, abort() on
 * breach:
 *	mp_next returns 5 + data length, the packet lies inside the rest of
 *	the buffer with its data right after the command byte, and the
 *	data length is at most MP_MAX_DATA; it returns 0 only when fewer
 *	than 4 bytes or fewer than the stated length remain, -1 only for a
 *	length of 0 or above MP_MAX_DATA + 1;
 *	mp_optneg fails exactly when the data is shorter than 12 bytes and
 *	otherwise gives the three big-endian words;
 *	mp_connect succeeds exactly on a well-formed packet, and then the
 *	host is the data's start and NUL-terminated inside it, the family
 *	is the byte after that NUL, and the address is "" for 'U' or else
 *	NUL-terminated inside the data right after the two port bytes;
 *	mp_macro returns NULL or a value inside the data after the step
 *	byte, NUL-terminated inside it;
 *	mp_strings returns min(max, number of NULs in the data) pointers
 *	into the data, back to back, each NUL-terminated inside it;
 *	mp_put of every packet's data (split in two parts) gives a packet
 *	mp_next reads back with the same command, length and data, and
 *	returns 0 when its room is one byte short.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milterproto.h"

#define NSTRINGS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* s lies inside the packet's data and its NUL does too */
static void inside_terminated(const struct mp_packet *p, const char *s)
{
	if (s < p->data || s >= p->data + p->len)
		abort();
	if (memchr(s, '\0', (size_t)(p->data + p->len - s)) == NULL)
		abort();
}

static void check_optneg(const struct mp_packet *p)
{
	const unsigned char *d = (const unsigned char *)p->data;
	uint32_t w[3];
	int r = mp_optneg(p, w);

	if (p->len < 12) {
		if (r != -1)
			abort();
		return;
	}
	if (r != 0 || w[0] != be32(d) || w[1] != be32(d + 4) || w[2] != be32(d + 8))
		abort();
}

static void check_connect(const struct mp_packet *p)
{
	struct mp_connect c;
	const char *nul = p->len > 0 ? memchr(p->data, '\0', p->len) : NULL;
	size_t hl = nul != NULL ? (size_t)(nul - p->data) : 0;
	int good = 0, r = mp_connect(p, &c);

	/* host NUL family ['U' | port port addr NUL] */
	if (nul != NULL && hl + 1 < p->len) {
		if (p->data[hl + 1] == 'U')
			good = 1;
		else if (p->len - hl >= 5 &&
			 memchr(p->data + hl + 4, '\0', p->len - hl - 4) != NULL)
			good = 1;
	}
	if (r != (good ? 0 : -1))
		abort();
	if (r != 0)
		return;
	if (c.host != p->data)
		abort();
	inside_terminated(p, c.host);
	if (strlen(c.host) != hl || c.family != p->data[hl + 1])
		abort();
	if (c.family == 'U') {
		if (c.addr == NULL || c.addr[0] != '\0' || c.port != 0)
			abort();
		return;
	}
	if (c.addr != p->data + hl + 4)
		abort();
	inside_terminated(p, c.addr);
	if (c.port != (uint16_t)((unsigned char)p->data[hl + 2] << 8 |
				 (unsigned char)p->data[hl + 3]))
		abort();
}

static void check_macros(const struct mp_packet *p)
{
	static const char *const names[] = { "i", "{i}", "j", "{auth_authen}" };
	const char *v[2];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *s = mp_macro(p->data, p->len, names[i]);

		if (s == NULL)
			continue;
		inside_terminated(p, s);
		if (s == p->data)
			abort(); /* the step byte is not a value */
	}
	/* "i" and "{i}" are the same name: both found or neither */
	v[0] = mp_macro(p->data, p->len, "i");
	v[1] = mp_macro(p->data, p->len, "{i}");
	if (v[0] != v[1])
		abort();
}

static void check_strings(const struct mp_packet *p)
{
	const char *v[NSTRINGS];
	size_t max, n, i, nuls = 0;
	const char *d;

	for (d = p->data; d < p->data + p->len; d++)
		if (*d == '\0')
			nuls++;
	for (max = 0; max <= NSTRINGS; max += NSTRINGS / 2) {
		n = mp_strings(p->data, p->len, v, max);
		if (n > max || n != (nuls < max ? nuls : max))
			abort();
		for (i = 0; i < n; i++) {
			inside_terminated(p, v[i]);
			if (v[i] != (i == 0 ? p->data : v[i - 1] + strlen(v[i - 1]) + 1))
				abort();
		}
	}
}

static void check_put(const struct mp_packet *p)
{
	size_t n = MP_HEADER_LEN + p->len, alen = p->len / 2;
	unsigned char *out = malloc(n);
	struct mp_packet q;

	if (out == NULL)
		abort();
	if (mp_put(out, n, p->cmd, p->data, alen, p->data + alen, p->len - alen) != n)
		abort();
	if (mp_next(out, n, &q) != (long)n || q.cmd != p->cmd || q.len != p->len ||
	    q.data != (const char *)out + MP_HEADER_LEN || memcmp(q.data, p->data, p->len) != 0)
		abort();
	if (mp_put(out, n - 1, p->cmd, p->data, alen, p->data + alen, p->len - alen) != 0)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size > 0 ? size : 1);
	size_t off = 0;
	long r;

	if (buf == NULL)
		abort();
	if (size > 0)
		memcpy(buf, data, size);
	for (;;) {
		struct mp_packet p;
		size_t rest = size - off;

		r = mp_next(buf + off, rest, &p);
		if (r == 0) {
			/* too short: no header yet, or not all of the stated length */
			if (rest >= 4 && be32(buf + off) <= rest - 4)
				abort();
			break;
		}
		if (r < 0) {
			uint32_t n;

			if (r != -1 || rest < 4)
				abort();
			n = be32(buf + off);
			if (n != 0 && n - 1 <= MP_MAX_DATA)
				abort();
			break;
		}
		if ((size_t)r > rest || (size_t)r != MP_HEADER_LEN + p.len || p.len > MP_MAX_DATA ||
		    p.data != (const char *)buf + off + MP_HEADER_LEN ||
		    p.cmd != (char)buf[off + 4] || be32(buf + off) != p.len + 1)
			abort();
		switch (p.cmd) {
		case SMFIC_OPTNEG:
			check_optneg(&p);
			break;
		case SMFIC_CONNECT:
			check_connect(&p);
			break;
		case SMFIC_MACRO:
			check_macros(&p);
			break;
		case SMFIC_MAIL:
		case SMFIC_HEADER:
		case SMFIC_HELO:
			check_strings(&p);
			break;
		default:
			break;
		}
		check_put(&p);
		off += (size_t)r;
	}
	free(buf);
	return 0;
}
