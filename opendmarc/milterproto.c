/*
 * milterproto - the milter protocol's packets, pure.  See milterproto.h.
 */
#include "milterproto.h"

#include <string.h>

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

long mp_next(const unsigned char *buf, size_t len, struct mp_packet *p)
{
	uint32_t n;

	if (len < 4)
		return 0;
	n = get32(buf);
	if (n == 0 || n - 1 > MP_MAX_DATA)
		return -1;
	if (len - 4 < n)
		return 0;
	p->cmd = (char)buf[4];
	p->data = (const char *)buf + MP_HEADER_LEN;
	p->len = n - 1;
	return (long)n + 4;
}

size_t mp_strings(const char *data, size_t len, const char **v, size_t max)
{
	size_t n = 0;
	const char *end = data + len;

	while (n < max && data < end) {
		const char *nul = memchr(data, '\0', (size_t)(end - data));

		if (nul == NULL)
			break;
		v[n++] = data;
		data = nul + 1;
	}
	return n;
}

int mp_optneg(const struct mp_packet *p, uint32_t out[3])
{
	const unsigned char *d = (const unsigned char *)p->data;

	if (p->len < 12)
		return -1;
	out[0] = get32(d);
	out[1] = get32(d + 4);
	out[2] = get32(d + 8);
	return 0;
}

int mp_connect(const struct mp_packet *p, struct mp_connect *c)
{
	const char *end = p->data + p->len, *nul = memchr(p->data, '\0', p->len);
	const char *rest;

	if (nul == NULL || nul + 1 >= end)
		return -1;
	c->host = p->data;
	c->family = nul[1];
	c->port = 0;
	c->addr = "";
	rest = nul + 2;
	if (c->family == 'U')
		return 0;
	/* a port (two bytes, network order) and a NUL-terminated address */
	if (end - rest < 3 || memchr(rest + 2, '\0', (size_t)(end - rest - 2)) == NULL)
		return -1;
	c->port = (uint16_t)((unsigned char)rest[0] << 8 | (unsigned char)rest[1]);
	c->addr = rest + 2;
	return 0;
}

/* "{x}" and "x" name the same macro when x is one character */
static size_t bare_name(const char *s, const char **bare)
{
	size_t n = strlen(s);

	if (n == 3 && s[0] == '{' && s[2] == '}') {
		*bare = s + 1;
		return 1;
	}
	*bare = s;
	return n;
}

const char *mp_macro(const char *data, size_t len, const char *name)
{
	const char *v[2], *want, *have;
	size_t wn, off = 1, got;

	if (len < 1)
		return NULL;
	wn = bare_name(name, &want);
	while (off < len && (got = mp_strings(data + off, len - off, v, 2)) == 2) {
		size_t hn = bare_name(v[0], &have);

		if (hn == wn && memcmp(have, want, wn) == 0)
			return v[1];
		off = (size_t)(v[1] - data) + strlen(v[1]) + 1;
	}
	return NULL;
}

size_t mp_put(unsigned char *out, size_t room, char cmd, const void *a, size_t alen,
	      const void *b, size_t blen)
{
	size_t n = MP_HEADER_LEN + alen + blen;

	if (alen + blen > MP_MAX_DATA || n > room)
		return 0;
	put32(out, (uint32_t)(1 + alen + blen));
	out[4] = (unsigned char)cmd;
	if (alen > 0)
		memcpy(out + MP_HEADER_LEN, a, alen);
	if (blen > 0)
		memcpy(out + MP_HEADER_LEN + alen, b, blen);
	return n;
}
