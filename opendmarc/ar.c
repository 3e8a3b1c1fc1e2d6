/*
 * ar - Authentication-Results and Received-SPF parsers.  See ar.h.
 *
 * Values are runs of tokens with nothing between them ("user@example.com"
 * is atom, '@', atom; "abc/d==" is atom, '/', atom, '=', '='), so a value
 * ends at white space, a comment or ';'.
 */
#include "ar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tok5322.h"
#include "xalloc.h"

struct lex {
	struct tok5322_cursor cur;
	struct tok5322 tok;
	int have; /* tok holds a peeked token */
	int st;   /* its status: 1 token, 0 end, -1 error */
};

static void lex_init(struct lex *lx, const char *body, size_t len)
{
	tok5322_init(&lx->cur, body, len, TOK5322_AR_SPECIALS);
	lx->have = 0;
}

static int lex_peek(struct lex *lx, struct tok5322 **tok)
{
	if (!lx->have) {
		lx->st = tok5322_next(&lx->cur, &lx->tok);
		lx->have = 1;
	}
	*tok = &lx->tok;
	return lx->st;
}

static int lex_next(struct lex *lx, struct tok5322 **tok)
{
	int st = lex_peek(lx, tok);

	if (st > 0)
		lx->have = 0;
	return st;
}

static int is_special(const struct tok5322 *t, char c)
{
	return t->kind == TOK5322_SPECIAL && t->special == c;
}

static const char *raw_begin(const struct tok5322 *t)
{
	return t->kind == TOK5322_QSTRING || t->kind == TOK5322_DLITERAL ? t->start - 1 : t->start;
}

static const char *raw_end(const struct tok5322 *t)
{
	return t->kind == TOK5322_QSTRING || t->kind == TOK5322_DLITERAL ? t->start + t->len + 1
									 : t->start + t->len;
}

/* Appends text to buf (size n, used *used), cutting when full. */
static void append(char *buf, size_t n, size_t *used, const char *s, size_t len)
{
	if (*used + 1 >= n)
		return;
	if (len > n - 1 - *used)
		len = n - 1 - *used;
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';
}

static void append_tok(char *buf, size_t n, size_t *used, const struct tok5322 *t)
{
	if (t->kind == TOK5322_DLITERAL) {
		append(buf, n, used, "[", 1);
		append(buf, n, used, t->start, t->len);
		append(buf, n, used, "]", 1);
	} else {
		append(buf, n, used, t->start, t->len);
	}
}

static int can_start_value(const struct tok5322 *t)
{
	return t->kind != TOK5322_SPECIAL || t->special == '@' || t->special == '<';
}

/* Reads a value: a token and every token glued to it; -1 if none. */
static int read_value(struct lex *lx, char *buf, size_t n)
{
	struct tok5322 *t;
	const char *end;
	size_t used = 0;

	buf[0] = '\0';
	if (lex_peek(lx, &t) <= 0 || !can_start_value(t))
		return -1;
	lex_next(lx, &t);
	append_tok(buf, n, &used, t);
	end = raw_end(t);
	while (lex_peek(lx, &t) > 0 && raw_begin(t) == end && !is_special(t, ';')) {
		lex_next(lx, &t);
		append_tok(buf, n, &used, t);
		end = raw_end(t);
	}
	return 0;
}

static int read_atom(struct lex *lx, char *buf, size_t n)
{
	struct tok5322 *t;
	size_t used = 0;

	buf[0] = '\0';
	if (lex_peek(lx, &t) <= 0 || t->kind != TOK5322_ATOM)
		return -1;
	lex_next(lx, &t);
	append(buf, n, &used, t->start, t->len);
	return 0;
}

static int expect(struct lex *lx, char c)
{
	struct tok5322 *t;

	if (lex_peek(lx, &t) <= 0 || !is_special(t, c))
		return -1;
	lex_next(lx, &t);
	return 0;
}

/* Skips to the next ';' (left unread) or the end. */
static void skip_to_semicolon(struct lex *lx)
{
	struct tok5322 *t;

	while (lex_peek(lx, &t) > 0 && !is_special(t, ';'))
		lex_next(lx, &t);
}

/* Copies src into dst (size n), cutting what does not fit. */
static void copy(char *dst, size_t n, const char *src)
{
	size_t used = 0;

	dst[0] = '\0';
	append(dst, n, &used, src, strlen(src));
}

static int all_digits(const struct tok5322 *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!isdigit((unsigned char)t->start[i]))
			return 0;
	return t->len > 0;
}

/* "ptype.property=value" or "reason=value" after a methodspec. */
static int parse_prop(struct lex *lx, struct ar_result *r)
{
	char name[AR_VALUE_MAX], value[AR_VALUE_MAX];
	struct ar_prop *p;
	char *dot;

	if (read_atom(lx, name, sizeof name) != 0 || expect(lx, '=') != 0)
		return -1;
	if (read_value(lx, value, sizeof value) != 0)
		return -1;
	if (strcasecmp(name, "reason") == 0) {
		copy(r->reason, sizeof r->reason, value);
		return 0;
	}
	dot = strchr(name, '.');
	if (dot == NULL || dot == name || dot[1] == '\0')
		return -1;
	if (r->nprops == AR_MAX_PROPS)
		return 0;
	p = &r->props[r->nprops++];
	*dot = '\0';
	copy(p->ptype, sizeof p->ptype, name);
	copy(p->property, sizeof p->property, dot + 1);
	copy(p->value, sizeof p->value, value);
	return 0;
}

/* One resinfo after its ';': method[/version]=result props... */
static int parse_resinfo(struct lex *lx, struct ar_result *r)
{
	char version[AR_WORD_MAX];
	struct tok5322 *t;

	memset(r, 0, sizeof(*r));
	if (read_atom(lx, r->method, sizeof r->method) != 0)
		return -1;
	if (expect(lx, '/') == 0 && read_atom(lx, version, sizeof version) != 0)
		return -1;
	if (expect(lx, '=') != 0 || read_atom(lx, r->result, sizeof r->result) != 0)
		return -1;
	while (lex_peek(lx, &t) > 0 && !is_special(t, ';'))
		if (parse_prop(lx, r) != 0)
			return -1;
	return lx->st < 0 ? -1 : 0;
}

/* The digits of t as a number, read within the token (the body is not
 * NUL-terminated); capped rather than overflowing. */
static long token_number(const struct tok5322 *t)
{
	long n = 0;
	size_t i;

	for (i = 0; i < t->len && n < 1000000; i++)
		n = n * 10 + (t->start[i] - '0');
	return n;
}

/* room for one more result (nresults < AR_MAX_RESULTS) */
static struct ar_result *next_result(struct ar_header *ar)
{
	if (ar->nresults == ar->cap) {
		ar->cap = ar->cap ? 2 * ar->cap : 4;
		if (ar->cap > AR_MAX_RESULTS)
			ar->cap = AR_MAX_RESULTS;
		ar->results = xrealloc(ar->results, ar->cap * sizeof(*ar->results));
	}
	return &ar->results[ar->nresults];
}

void ar_header_free(struct ar_header *ar)
{
	free(ar->results);
	ar->results = NULL;
	ar->cap = ar->nresults = 0;
}

int ar_parse(const char *body, size_t len, struct ar_header *ar)
{
	struct lex lx;
	struct tok5322 *t;

	ar->authservid[0] = '\0';
	ar->nresults = ar->skipped = 0;
	ar->version = -1;
	if (body == NULL)
		return -1;
	lex_init(&lx, body, len);
	if (read_value(&lx, ar->authservid, sizeof ar->authservid) != 0)
		return -1;
	if (lex_peek(&lx, &t) > 0 && t->kind == TOK5322_ATOM && all_digits(t)) {
		lex_next(&lx, &t);
		ar->version = token_number(t);
	}
	while (lex_peek(&lx, &t) > 0) {
		if (!is_special(t, ';')) {
			ar->skipped++;
			skip_to_semicolon(&lx);
			continue;
		}
		lex_next(&lx, &t);
		if (lex_peek(&lx, &t) > 0 && t->kind == TOK5322_ATOM && t->len == 4 &&
		    strncasecmp(t->start, "none", 4) == 0 && ar->nresults == 0) {
			lex_next(&lx, &t);
			continue;
		}
		if (ar->nresults == AR_MAX_RESULTS) {
			ar->skipped++;
			skip_to_semicolon(&lx);
			continue;
		}
		if (parse_resinfo(&lx, next_result(ar)) != 0) {
			ar->skipped++;
			skip_to_semicolon(&lx);
		} else {
			ar->nresults++;
		}
	}
	if (lx.st < 0)
		ar->skipped++;
	return ar->authservid[0] == '\0' ? -1 : 0;
}

const char *ar_prop_get(const struct ar_result *r, const char *ptype, const char *property)
{
	size_t i;

	for (i = 0; i < r->nprops; i++)
		if (strcasecmp(r->props[i].ptype, ptype) == 0 &&
		    strcasecmp(r->props[i].property, property) == 0)
			return r->props[i].value;
	return NULL;
}

int ar_id_in_list(const char *id, const char *list)
{
	size_t idlen = strcspn(id, "/");
	const char *p = list;

	if (list == NULL || idlen == 0)
		return 0;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == idlen && n > 0 && strncasecmp(p, id, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

static void rspf_store(struct rspf *rs, const char *key, const char *value)
{
	if (strcasecmp(key, "identity") == 0)
		copy(rs->identity, sizeof rs->identity, value);
	else if (strcasecmp(key, "envelope-from") == 0)
		copy(rs->envelope_from, sizeof rs->envelope_from, value);
	else if (strcasecmp(key, "client-ip") == 0)
		copy(rs->client_ip, sizeof rs->client_ip, value);
	else if (strcasecmp(key, "helo") == 0)
		copy(rs->helo, sizeof rs->helo, value);
}

int rspf_parse(const char *body, size_t len, struct rspf *rs)
{
	char key[AR_WORD_MAX], value[AR_VALUE_MAX];
	struct lex lx;
	struct tok5322 *t;

	memset(rs, 0, sizeof(*rs));
	if (body == NULL)
		return -1;
	lex_init(&lx, body, len);
	if (read_atom(&lx, rs->result, sizeof rs->result) != 0)
		return -1;
	while (lex_peek(&lx, &t) > 0) {
		if (is_special(t, ';')) {
			lex_next(&lx, &t);
			continue;
		}
		if (read_atom(&lx, key, sizeof key) != 0 || expect(&lx, '=') != 0 ||
		    read_value(&lx, value, sizeof value) != 0) {
			skip_to_semicolon(&lx);
			continue;
		}
		rspf_store(rs, key, value);
	}
	return 0;
}
