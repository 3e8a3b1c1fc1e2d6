/*
 * NAME
 *	psl - public suffix list (Mozilla format) and RFC 7489 3.2 org domains
 * SYNOPSIS
 *	#include "psl.h"
 * DESCRIPTION
 *	psl_parse() reads a list in the format of
 *	https://github.com/publicsuffix/list/wiki/Format: one rule per line,
 *	read from its first non-blank byte up to the next white space (the
 *	format has no indented rules; we accept them); lines starting with
 *	"//" and empty ones ignored; "*." marks a wildcard rule, "!" an
 *	exception; both the ICANN and the private section are used.  Each rule is normalised
 *	with domain_normalize(), so U-label rules become A-labels and compare
 *	with the A-label names the rest of the library uses.  Rules that are
 *	not domain names, or carry a '*' anywhere but in front, are skipped.
 *
 *	The rules live in one open-addressing hash table keyed by the rule's
 *	name (its "*." or "!" removed) with a flag per kind, so "ck" can be
 *	both the base of "*.ck" and a rule of its own.  The hash is FNV-1a
 *	taken over the bytes from the last to the first: psl_org_domain()
 *	walks the name's labels from the right and extends the hash of the
 *	suffix seen so far by one label per step, so a lookup costs one pass
 *	over the name, one probe sequence per label, and no allocation.
 *
 *	psl_org_domain() applies the list's algorithm: an exception rule
 *	prevails (its public suffix is the rule minus its left-most label);
 *	otherwise the matching rule with the most labels, a wildcard counting
 *	one label more than its base; otherwise the implicit "*" rule.  The
 *	organizational domain is that public suffix plus one label.  Names
 *	are compared ASCII case-insensitively, one trailing dot is ignored,
 *	and the result is written in lower case.
 * DIAGNOSTICS
 *	psl_parse() returns NULL when memory runs out; psl_load_file() also
 *	when the file cannot be read (errno tells why).  psl_org_domain()
 *	returns 0, or -1 when the name is itself a public suffix, is not a
 *	name (empty label, too long), when list is NULL (with no list there
 *	is no honest answer), or when the result does not fit in outlen.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "psl.h"

#define RULE_NORMAL 0x1
#define RULE_WILDCARD 0x2
#define RULE_EXCEPTION 0x4

#define NAME_MAX_LEN 253
#define LABELS_MAX 128 /* 253 bytes hold at most 127 labels */
#define TABLE_INITIAL 1024
#define FILE_MAX (64u * 1024 * 1024)

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

struct psl_slot {
	uint32_t hash;
	uint32_t off; /* key offset in keys[] */
	uint16_t len; /* 0: the slot is free */
	uint16_t flags;
};

struct psl {
	struct psl_slot *slot;
	size_t cap; /* a power of two */
	size_t used;
	char *keys;
	size_t keys_len, keys_cap;
};

static int lower_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static uint32_t hash_step(uint32_t h, int c)
{
	return (h ^ (uint32_t)(unsigned char)lower_ascii(c)) * FNV_PRIME;
}

/* The hash of s[0..len), taken from the right as the lookup does. */
static uint32_t hash_reverse(const char *s, size_t len)
{
	uint32_t h = FNV_BASIS;

	while (len > 0)
		h = hash_step(h, s[--len]);
	return h;
}

static int key_equal(const struct psl *l, const struct psl_slot *sl, const char *s, size_t len)
{
	const char *k = l->keys + sl->off;

	if (sl->len != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (k[i] != lower_ascii((unsigned char)s[i]))
			return 0;
	return 1;
}

static struct psl_slot *probe(const struct psl *l, const char *s, size_t len, uint32_t h)
{
	size_t mask = l->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct psl_slot *sl = &l->slot[i];

		if (sl->len == 0 || (sl->hash == h && key_equal(l, sl, s, len)))
			return sl;
	}
}

static unsigned lookup(const struct psl *l, const char *s, size_t len, uint32_t h)
{
	return probe(l, s, len, h)->flags;
}

static int table_grow(struct psl *l)
{
	struct psl old = *l;

	l->cap = old.cap ? old.cap * 2 : TABLE_INITIAL;
	l->slot = calloc(l->cap, sizeof *l->slot);
	if (l->slot == NULL) {
		*l = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++) {
		const struct psl_slot *o = &old.slot[i];

		if (o->len != 0)
			*probe(l, l->keys + o->off, o->len, o->hash) = *o;
	}
	free(old.slot);
	return 0;
}

static int keys_append(struct psl *l, const char *key, size_t len)
{
	if (l->keys_len + len > l->keys_cap) {
		size_t ncap = l->keys_cap ? l->keys_cap * 2 : 16384;
		char *n;

		while (ncap < l->keys_len + len)
			ncap *= 2;
		if ((n = realloc(l->keys, ncap)) == NULL)
			return -1;
		l->keys = n;
		l->keys_cap = ncap;
	}
	memcpy(l->keys + l->keys_len, key, len);
	l->keys_len += len;
	return 0;
}

static int table_add(struct psl *l, const char *key, size_t len, unsigned flags)
{
	uint32_t h = hash_reverse(key, len);
	struct psl_slot *sl;

	if ((l->used + 1) * 4 > l->cap * 3 && table_grow(l) < 0) /* 75%: the list stays small */
		return -1;
	sl = probe(l, key, len, h);
	if (sl->len == 0) {
		if (l->keys_len > UINT32_MAX - len || keys_append(l, key, len) < 0)
			return -1;
		sl->hash = h;
		sl->off = (uint32_t)(l->keys_len - len);
		sl->len = (uint16_t)len;
		l->used++;
	}
	sl->flags |= (uint16_t)flags;
	return 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* One line: its rule, if any, goes into the table.  -1 only on ENOMEM. */
static int parse_rule(struct psl *l, const char *line, size_t len)
{
	char key[NAME_MAX_LEN + 3];
	unsigned flags = RULE_NORMAL;
	size_t n = 0;

	while (len > 0 && is_space((unsigned char)*line))
		line++, len--;
	while (n < len && !is_space((unsigned char)line[n]))
		n++;
	if (n == 0 || (n >= 2 && line[0] == '/' && line[1] == '/'))
		return 0;
	if (line[0] == '!') {
		flags = RULE_EXCEPTION;
		line++, n--;
	} else if (n >= 2 && line[0] == '*' && line[1] == '.') {
		flags = RULE_WILDCARD;
		line += 2, n -= 2;
	}
	if (memchr(line, '*', n) != NULL || memchr(line, '!', n) != NULL)
		return 0;
	if (domain_normalize(line, n, key, sizeof key) < 0)
		return 0;
	return table_add(l, key, strlen(key), flags);
}

struct psl *psl_parse(const char *buf, size_t len)
{
	struct psl *l = calloc(1, sizeof *l);
	size_t pos = 0;

	if (l == NULL || table_grow(l) < 0)
		goto nomem;
	while (buf != NULL && pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (parse_rule(l, buf + pos, end - pos) < 0)
			goto nomem;
		pos = end + 1;
	}
	return l;
nomem:
	psl_free(&l);
	errno = ENOMEM;
	return NULL;
}

/* The whole file in one malloc'ed buffer; NULL with errno set. */
static char *read_file(FILE *fp, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap), *n;

	if (buf == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		size_t got = fread(buf + len, 1, cap - len, fp);

		len += got;
		if (got == 0 || len < cap)
			break;
		if (cap >= FILE_MAX || (n = realloc(buf, cap * 2)) == NULL) {
			free(buf);
			errno = (cap >= FILE_MAX) ? EFBIG : ENOMEM;
			return NULL;
		}
		buf = n;
		cap *= 2;
	}
	if (ferror(fp)) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*lenp = len;
	return buf;
}

struct psl *psl_load_file(const char *path)
{
	FILE *fp;
	char *buf;
	size_t len = 0;
	struct psl *l = NULL;

	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if ((buf = read_file(fp, &len)) != NULL)
		l = psl_parse(buf, len);
	free(buf);
	fclose(fp);
	return l;
}

/* Per-label state of one lookup, filled from the right-most label. */
struct walk {
	size_t start[LABELS_MAX + 1]; /* start[k]: offset of the k-label suffix */
	size_t labels;
	size_t longest;   /* labels of the longest normal/wildcard match */
	size_t exception; /* labels of the longest exception rule, 0 if none */
};

static void walk_match(struct walk *w, unsigned flags, unsigned prev_flags)
{
	size_t k = w->labels;

	if ((flags & RULE_NORMAL) && k > w->longest)
		w->longest = k;
	if ((prev_flags & RULE_WILDCARD) && k > w->longest)
		w->longest = k;
	if (flags & RULE_EXCEPTION)
		w->exception = k;
}

/* Walk name[0..n) label by label from the right.  -1: not a name. */
static int walk_labels(const struct psl *l, const char *name, size_t n, struct walk *w)
{
	uint32_t h = FNV_BASIS;
	unsigned prev = 0;
	size_t pos = n;

	memset(w, 0, sizeof *w);
	while (pos > 0) {
		size_t end = pos;
		unsigned flags;

		while (pos > 0 && name[pos - 1] != '.')
			h = hash_step(h, name[--pos]);
		if (pos == end || w->labels == LABELS_MAX)
			return -1;
		w->start[++w->labels] = pos;
		flags = lookup(l, name + pos, n - pos, h);
		walk_match(w, flags, prev);
		prev = flags;
		if (pos > 0 && --pos == 0)
			return -1; /* leading dot */
		h = hash_step(h, '.');
	}
	return 0;
}

int psl_org_domain(const struct psl *list, const char *name, char *out, size_t outlen)
{
	struct walk w;
	size_t n, suffix, start;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (list == NULL || name == NULL || out == NULL)
		return -1;
	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > NAME_MAX_LEN || walk_labels(list, name, n, &w) < 0)
		return -1;
	if (w.exception > 0)
		suffix = w.exception - 1;
	else
		suffix = w.longest > 0 ? w.longest : 1;
	if (suffix >= w.labels)
		return -1;
	start = w.start[suffix + 1];
	if (n - start >= outlen)
		return -1;
	for (size_t i = start; i < n; i++)
		out[i - start] = (char)lower_ascii((unsigned char)name[i]);
	out[n - start] = '\0';
	return 0;
}

void psl_free(struct psl **list)
{
	if (list == NULL || *list == NULL)
		return;
	free((*list)->slot);
	free((*list)->keys);
	free(*list);
	*list = NULL;
}
