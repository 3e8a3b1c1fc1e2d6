/*
 * NAME
 *	arcjson - reader for the JSON list in "arc_policy" history values
 * DESCRIPTION
 *	Contract in arcjson.h.  A cursor over the NUL-terminated value;
 *	every step checks for the terminator, so malformed text stops the
 *	scan and nothing is read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "arcjson.h"

struct cur {
	const char *p;
};

static void ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static int eat(struct cur *c, char ch)
{
	ws(c);
	if (*c->p != ch)
		return 0;
	c->p++;
	return 1;
}

static int is_word(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

/* A quoted string (\x escapes keep x) or a bare word, into dst[size]. */
static int token(struct cur *c, char *dst, size_t size)
{
	size_t n = 0;
	int quoted;

	ws(c);
	quoted = *c->p == '"';
	if (quoted)
		c->p++;
	while (*c->p != '\0' && (quoted ? *c->p != '"' : is_word(*c->p))) {
		if (quoted && *c->p == '\\' && c->p[1] != '\0')
			c->p++;
		if (n + 1 >= size)
			return -1;
		dst[n++] = *c->p++;
	}
	if (quoted && *c->p++ != '"')
		return -1;
	dst[n] = '\0';
	return quoted || n > 0 ? 0 : -1;
}

static int pair(struct cur *c, struct arc_set *set)
{
	char key[16], val[256], *end;

	if (token(c, key, sizeof key) != 0 || !eat(c, ':') || token(c, val, sizeof val) != 0)
		return -1;
	if (strcmp(key, "i") == 0) {
		set->instance = strtol(val, &end, 10);
		return *end == '\0' && end != val ? 0 : -1;
	}
	if (strcmp(key, "d") == 0)
		strcpy(set->domain, val);
	else if (strcmp(key, "s") == 0)
		strcpy(set->selector, val);
	else if (strcmp(key, "ip") == 0 && strlen(val) < sizeof set->ip)
		strcpy(set->ip, val);
	else if (strcmp(key, "ip") == 0)
		return -1;
	return 0;
}

static int object(struct cur *c, struct arc_set *set)
{
	memset(set, 0, sizeof *set);
	if (!eat(c, '{'))
		return -1;
	if (eat(c, '}'))
		return 0;
	do {
		if (pair(c, set) != 0)
			return -1;
	} while (eat(c, ','));
	return eat(c, '}') ? 0 : -1;
}

static int leading_policy(struct cur *c, int *policy)
{
	char *end;
	long v;

	ws(c);
	v = strtol(c->p, &end, 10);
	if (end == c->p || v < 0 || v > 255)
		return -1;
	*policy = (int)v;
	c->p = end;
	return 0;
}

int arcjson_parse(const char *value, int *policy, struct arc_set *sets, size_t max)
{
	struct cur c = { value };
	struct arc_set tmp;
	size_t n = 0;

	*policy = 0;
	ws(&c);
	if (*c.p == '\0')
		return 0;
	if (leading_policy(&c, policy) != 0)
		return -1;
	ws(&c);
	if (strncmp(c.p, "json:", 5) == 0)
		c.p += 5;
	else if (strncmp(c.p, "json", 4) == 0)
		c.p += 4;
	else
		return *c.p == '\0' ? 0 : -1;
	if (!eat(&c, '['))
		return -1;
	if (eat(&c, ']'))
		return 0;
	do {
		if (object(&c, &tmp) != 0)
			return -1;
		if (n < max)
			sets[n++] = tmp;
	} while (eat(&c, ','));
	return eat(&c, ']') ? (int)n : -1;
}
