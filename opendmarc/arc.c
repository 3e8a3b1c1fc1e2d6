/*
 * arc - the ARC chain, the override and the history value.  See arc.h.
 */
#include "arc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ar.h"
#include "taglist.h"
#include "xalloc.h"

/* A value safe to write unquoted or inside a JSON string: domain characters. */
static int plain_value(const char *v, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '.' && v[i] != '-' && v[i] != '_')
			return 0;
	return 1;
}

static int copy_plain(const struct taglist_pair *p, char *out, size_t outlen)
{
	size_t i;

	if (!plain_value(p->value, p->value_len) || p->value_len >= outlen)
		return -1;
	for (i = 0; i < p->value_len; i++)
		out[i] = (char)tolower((unsigned char)p->value[i]);
	out[i] = '\0';
	return 0;
}

static long instance_of(const char *v, size_t len)
{
	char buf[8];
	char *end;
	long n;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	n = strtol(buf, &end, 10);
	if (errno != 0 || *end != '\0' || !isdigit((unsigned char)buf[0]) || n < 1 ||
	    n > ARC_INSTANCE_MAX)
		return -1;
	return n;
}

/* One ARC-Seal field into *hop; -1 when it is unusable. */
static int parse_seal(const char *body, struct arc_hop *hop)
{
	struct taglist_pair pairs[TAGLIST_MAX];
	const char *why;
	int n = taglist_parse(body, strlen(body), pairs, TAGLIST_MAX, &why), i, have = 0;

	memset(hop, 0, sizeof(*hop));
	hop->instance = -1;
	for (i = 0; i < n; i++) {
		if (taglist_tag_is(&pairs[i], "i"))
			hop->instance = instance_of(pairs[i].value, pairs[i].value_len);
		else if (taglist_tag_is(&pairs[i], "d"))
			have |= copy_plain(&pairs[i], hop->domain, sizeof hop->domain) == 0 ? 1 : 0;
		else if (taglist_tag_is(&pairs[i], "s"))
			have |= copy_plain(&pairs[i], hop->selector, sizeof hop->selector) == 0 ? 2 : 0;
	}
	return n > 0 && hop->instance > 0 && have == 3 ? 0 : -1;
}

/* The client address an ARC-Authentication-Results field of instance i records. */
static void aar_ip(const char *body, long instance, char *ip, size_t iplen)
{
	const char *semi = strchr(body, ';');
	struct ar_header ar = { 0 };
	struct taglist_pair pair;
	const char *why;
	unsigned char addr[sizeof(struct in6_addr)];
	size_t i;

	if (semi == NULL || taglist_parse(body, (size_t)(semi - body), &pair, 1, &why) != 1 ||
	    !taglist_tag_is(&pair, "i") || instance_of(pair.value, pair.value_len) != instance)
		return;
	if (ar_parse(semi + 1, strlen(semi + 1), &ar) == 0) {
		for (i = 0; i < ar.nresults && ip[0] == '\0'; i++) {
			const char *v = ar_prop_get(&ar.results[i], "smtp", "remote-ip");

			if (v == NULL)
				v = ar_prop_get(&ar.results[i], "smtp", "client-ip");
			if (v != NULL && strlen(v) < iplen &&
			    (inet_pton(AF_INET, v, addr) == 1 || inet_pton(AF_INET6, v, addr) == 1))
				snprintf(ip, iplen, "%s", v);
		}
	}
	ar_header_free(&ar);
}

static void add_hop(struct arc_chain *c, const struct arc_hop *hop)
{
	size_t at, i;

	for (i = 0; i < c->nsets; i++)
		if (c->sets[i].instance == hop->instance)
			return;
	if (c->nsets == ARC_SETS_MAX)
		return;
	for (at = c->nsets; at > 0 && c->sets[at - 1].instance > hop->instance; at--)
		c->sets[at] = c->sets[at - 1];
	c->sets[at] = *hop;
	c->nsets++;
}

void arc_chain(const struct message *m, struct arc_chain *out)
{
	const char *body;
	struct arc_hop hop;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; (body = message_header(m, "ARC-Seal", i)) != NULL; i++)
		if (parse_seal(body, &hop) == 0)
			add_hop(out, &hop);
	for (i = 0; i < out->nsets; i++)
		for (j = 0; (body = message_header(m, "ARC-Authentication-Results", j)) != NULL &&
			    out->sets[i].ip[0] == '\0'; j++)
			aar_ip(body, out->sets[i].instance, out->sets[i].ip, sizeof out->sets[i].ip);
}

const char *arc_override(const struct arc_chain *c, int arc_ares, const struct domlist *wl)
{
	size_t i;

	if (arc_ares != ARES_RESULT_PASS || wl == NULL)
		return NULL;
	for (i = c->nsets; i > 0; i--)
		if (domlist_has(wl, c->sets[i - 1].domain))
			return c->sets[i - 1].domain;
	return NULL;
}

int arc_policy_code(int arc_ares, int overridden)
{
	if (arc_ares == ARES_RESULT_PASS && overridden)
		return ARC_POLICY_PASS;
	if (arc_ares == ARES_RESULT_FAIL)
		return ARC_POLICY_FAIL;
	return ARC_POLICY_UNUSED;
}

void arc_policy_value(const struct arc_chain *c, int code, char *buf, size_t len)
{
	size_t i, n = (size_t)snprintf(buf, len, "%d json:[", code);

	for (i = 0; i < c->nsets && n < len; i++) {
		const struct arc_hop *h = &c->sets[i];
		char obj[sizeof h->domain + sizeof h->selector + sizeof h->ip + 64];
		size_t k = (size_t)snprintf(obj, sizeof obj,
					    "%s{\"i\": %ld, \"d\": \"%s\", \"s\": \"%s\", \"ip\": \"%s\"}",
					    i > 0 ? ", " : "", h->instance, h->domain, h->selector, h->ip);

		if (n + k + 2 > len) /* room for "]" and NUL */
			break;
		memcpy(buf + n, obj, k + 1);
		n += k;
	}
	if (n + 2 <= len)
		memcpy(buf + n, "]", 2);
}

int arc_whitelist(const struct config *c, struct domlist **out, char *err, size_t errlen)
{
	char why[512];

	*out = NULL;
	if (c->domain_whitelist == NULL && c->domain_whitelist_file == NULL)
		return 0;
	*out = domlist_new((size_t)c->domain_whitelist_size);
	if (c->domain_whitelist != NULL && domlist_add(*out, c->domain_whitelist, why, sizeof why) != 0) {
		snprintf(err, errlen, "DomainWhitelist: %s", why);
		domlist_free(out);
		return -1;
	}
	if (c->domain_whitelist_file != NULL &&
	    domlist_load(*out, c->domain_whitelist_file, why, sizeof why) != 0) {
		snprintf(err, errlen, "DomainWhitelistFile: %s", why);
		domlist_free(out);
		return -1;
	}
	return 0;
}
