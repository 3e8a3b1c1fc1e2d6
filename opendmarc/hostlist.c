/*
 * hostlist - the IgnoreHosts list.  See hostlist.h.
 */
#include "hostlist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "listfile.h"
#include "xalloc.h"

struct host_entry {
	int negate;
	int family;      /* AF_INET, AF_INET6, or 0 for a name */
	unsigned char addr[16];
	unsigned prefix; /* bits */
	char *name;      /* for names: lower-case, "*." or "." kept */
};

struct hostlist {
	struct host_entry *v;
	size_t n, cap;
};

struct hostlist *hostlist_new(void)
{
	return xcalloc(1, sizeof(struct hostlist));
}

void hostlist_free(struct hostlist **hp)
{
	struct hostlist *h = *hp;
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		free(h->v[i].name);
	free(h->v);
	free(h);
	*hp = NULL;
}

size_t hostlist_count(const struct hostlist *h)
{
	return h->n;
}

/* Parses "addr" or "[addr]"; returns the family or 0. */
static int parse_addr(const char *s, size_t len, unsigned char *addr)
{
	char buf[64];

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, buf, addr) == 1)
		return AF_INET6;
	return 0;
}

static int parse_prefix(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int hostlist_add(struct hostlist *h, const char *entry, char *err, size_t errlen)
{
	struct host_entry e;
	const char *slash, *s = entry;
	size_t i, len;

	memset(&e, 0, sizeof e);
	if (*s == '!') {
		e.negate = 1;
		s++;
	}
	slash = strchr(s, '/');
	len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	e.family = parse_addr(s, len, e.addr);
	if (e.family != 0) {
		unsigned max = e.family == AF_INET ? 32 : 128;

		e.prefix = max;
		if (slash != NULL && parse_prefix(slash + 1, max, &e.prefix) != 0) {
			snprintf(err, errlen, "\"%s\": bad prefix length", entry);
			return -1;
		}
	} else if (slash != NULL || *s == '\0') {
		snprintf(err, errlen, "\"%s\": not an address or host name", entry);
		return -1;
	} else {
		e.name = xstrdup(s);
		for (i = 0; e.name[i] != '\0'; i++)
			if (e.name[i] >= 'A' && e.name[i] <= 'Z')
				e.name[i] = (char)(e.name[i] - 'A' + 'a');
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 8;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = e;
	return 0;
}

static int add_entry(void *h, const char *entry, char *why, size_t whylen)
{
	return hostlist_add(h, entry, why, whylen);
}

int hostlist_load(struct hostlist *h, const char *path, char *err, size_t errlen)
{
	return listfile_load(path, add_entry, h, err, errlen);
}

static int prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static int name_matches(const char *pattern, const char *name)
{
	size_t pl, nl = strlen(name);

	if (nl > 0 && name[nl - 1] == '.')
		nl--;
	if (pattern[0] == '*' && pattern[1] == '.')
		pattern++;
	pl = strlen(pattern);
	if (pattern[0] == '.')
		return nl > pl && strncasecmp(name + nl - pl, pattern, pl) == 0;
	return nl == pl && strncasecmp(name, pattern, pl) == 0;
}

static int entry_matches(const struct host_entry *e, int family, const unsigned char *addr,
			 const char *hostname)
{
	if (e->family == 0)
		return hostname != NULL && *hostname != '\0' && name_matches(e->name, hostname);
	return family == e->family && prefix_equal(e->addr, addr, e->prefix);
}

int hostlist_match(const struct hostlist *h, const char *ip, const char *hostname)
{
	unsigned char addr[16];
	int family = 0, hit = 0;
	size_t i;

	if (ip != NULL)
		family = parse_addr(ip, strlen(ip), addr);
	/* an IPv4-mapped IPv6 client is matched as IPv4 */
	if (family == AF_INET6 && memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(addr, addr + 12, 4);
		family = AF_INET;
	}
	for (i = 0; i < h->n; i++) {
		if (!entry_matches(&h->v[i], family, addr, hostname))
			continue;
		if (h->v[i].negate)
			return 0;
		hit = 1;
	}
	return hit;
}
