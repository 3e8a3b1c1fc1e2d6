/*
 * NAME
 *	taglist - the one "tag=value; tag=value" parser
 * DESCRIPTION
 *	Contract in taglist.h.  The buffer is split on ';'; each spec is
 *	trimmed of white space (SP, HTAB, CR, LF, so folded text works), an
 *	empty spec is skipped, any other one must read "name = value" with a
 *	name of ALPHA *(ALPHA / DIGIT / "_" / "-").  The value is everything after
 *	the first '=' with outer white space removed; it may be empty and
 *	may hold any byte but ';' (NULs included: lengths, not terminators,
 *	bound everything).  Checking values is the caller's business.
 * DIAGNOSTICS
 *	-1 with *err naming the problem; pairs already stored are left as
 *	they are but must not be used.
 */
#include <limits.h>
#include <string.h>

#include "taglist.h"

static int tl_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int tl_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int tl_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char tl_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Narrow [*s, *s + *n) past white space on both ends. */
static void tl_trim(const char **s, size_t *n)
{
	while (*n > 0 && tl_is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && tl_is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int tl_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !tl_is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* '-' is outside the ABNF, but extension tags such as x-foo
		 * are published: rejecting them would discard the policy */
		if (!tl_is_alpha(c) && !tl_is_digit(c) && c != '_' && c != '-')
			return 0;
	}
	return 1;
}

/*
 * One spec (the text between two ';').  Returns 1 with *out filled,
 * 0 for an empty spec, -1 with *err set for a malformed one.
 */
static int tl_spec(const char *s, size_t n, struct taglist_pair *out, const char **err)
{
	const char *eq;

	tl_trim(&s, &n);
	if (n == 0)
		return 0;
	eq = memchr(s, '=', n);
	if (eq == NULL) {
		*err = "tag without '='";
		return -1;
	}
	out->tag = s;
	out->tag_len = (size_t)(eq - s);
	tl_trim(&out->tag, &out->tag_len);
	if (!tl_name_ok(out->tag, out->tag_len)) {
		*err = "bad tag name";
		return -1;
	}
	out->value = eq + 1;
	out->value_len = n - (size_t)(eq + 1 - s);
	tl_trim(&out->value, &out->value_len);
	return 1;
}

int taglist_parse(const char *buf, size_t len, struct taglist_pair *pairs, size_t max,
		  const char **err)
{
	const char *unused;
	size_t count = 0, start = 0, i;

	if (err == NULL)
		err = &unused;
	*err = NULL;
	if (buf == NULL || (pairs == NULL && max > 0)) {
		*err = "no input";
		return -1;
	}
	for (i = 0; i <= len; i++) {
		struct taglist_pair pair;
		const char *semi = memchr(buf + i, ';', len - i);
		int r;

		i = semi != NULL ? (size_t)(semi - buf) : len;
		r = tl_spec(buf + start, i - start, &pair, err);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (count >= max || count >= INT_MAX) {
				*err = "too many tags";
				return -1;
			}
			pairs[count++] = pair;
		}
		start = i + 1;
	}
	return (int)count;
}

int taglist_tag_is(const struct taglist_pair *pair, const char *name)
{
	size_t i;

	if (pair == NULL || name == NULL || pair->tag == NULL)
		return 0;
	if (strlen(name) != pair->tag_len)
		return 0;
	for (i = 0; i < pair->tag_len; i++) {
		if (tl_lower((unsigned char)pair->tag[i]) != tl_lower((unsigned char)name[i]))
			return 0;
	}
	return 1;
}
