/*
 * NAME
 *	addr - domains of the addresses in an RFC 5322 From field
 * DESCRIPTION
 *	See addr.h for the contract.  A recursive-descent parser over tok5322
 *	tokens for this grammar (RFC 5322 3.4 with the obsolete forms of 4.4):
 *
 *	  list     = [element] *("," [element])        ; empty elements ok
 *	  element  = group / mailbox
 *	  group    = phrase ":" [list-in-group] ";"    ; not nested
 *	  mailbox  = [phrase] "<" [route] addr-spec ">" / addr-spec / "<>"
 *	  route    = 1*("," / "@" domain) ":"
 *	  addr-spec = word *("." word) ["@" (domain / domain-literal)]
 *	  domain   = atom *("." atom)
 *
 *	The cursor is a plain struct, so telling "phrase <" from an
 *	addr-spec is a copy and a rewind, no token buffer.  A mailbox's
 *	domain is stored only once the token after it is a delimiter (","
 *	";" or the end), so "a@x.org junk" yields nothing but ADDR_SYNTAX.
 *	After a broken element the parser resumes at the next delimiter.
 *	A domain literal or a missing domain is ADDR_NO_DOMAIN; a domain with
 *	bytes other than letters, digits, '-', '.' and UTF-8 (>= 0x80), an
 *	empty label, or more than 255 bytes once its trailing dot is gone is
 *	ADDR_SYNTAX.  Group nesting is one level, so the recursion is bounded.
 */
#include "addr.h"

#include <string.h>

#include "tok5322.h"

enum mbox { MB_DOMAIN, MB_NO_DOMAIN, MB_SYNTAX, MB_GROUP };

struct lex {
	struct tok5322_cursor cur;
	struct tok5322 tok;
	int have; /* tok5322_next() result for tok */
};

struct parser {
	struct lex lex;
	char (*doms)[ADDR_DOMAIN_MAX];
	size_t max;
	size_t n;         /* domains stored */
	size_t mailboxes; /* mailboxes seen, with or without a domain */
	int stop;         /* doms is full */
	enum addr_status status;
};

static void parse_list(struct parser *p, int in_group);

static void advance(struct parser *p)
{
	p->lex.have = tok5322_next(&p->lex.cur, &p->lex.tok);
}

static int is_special(const struct parser *p, char c)
{
	return p->lex.have > 0 && p->lex.tok.kind == TOK5322_SPECIAL &&
	       p->lex.tok.special == c;
}

static int is_kind(const struct parser *p, enum tok5322_kind kind)
{
	return p->lex.have > 0 && p->lex.tok.kind == kind;
}

static int is_word(const struct parser *p)
{
	return is_kind(p, TOK5322_ATOM) || is_kind(p, TOK5322_QSTRING);
}

static void note(struct parser *p, enum addr_status st)
{
	if (p->status == ADDR_OK)
		p->status = st;
}

/* Two adjacent words of a dotted sequence need a '.' between them. */
static int dot_joined(const struct tok5322 *prev, const struct tok5322 *next)
{
	return (prev->kind == TOK5322_ATOM && prev->start[prev->len - 1] == '.') ||
	       (next->kind == TOK5322_ATOM && next->start[0] == '.');
}

static int domain_char_ok(unsigned char c)
{
	return c >= 0x80 || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
	       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Checks buf[0..len) (trailing dot already removed) and stores it in out,
 * lower-cased.  buf[0] is not a dot, so buf[i - 1] is safe at a dot.
 */
static int domain_store(const char *buf, size_t len, char *out)
{
	size_t i;

	if (len == 0 || len >= ADDR_DOMAIN_MAX || buf[0] == '.' || buf[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (!domain_char_ok(c) || (c == '.' && buf[i - 1] == '.'))
			return 0;
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[len] = '\0';
	return 1;
}

/*
 * domain = atom *("." atom), comments allowed around the dots.  The atoms
 * are joined in a buffer one byte larger than a domain, so that a name of
 * 255 bytes plus its trailing dot still fits; out holds ADDR_DOMAIN_MAX.
 */
static int parse_domain(struct parser *p, char *out)
{
	char buf[ADDR_DOMAIN_MAX + 1];
	struct tok5322 prev;
	size_t len = 0;

	if (!is_kind(p, TOK5322_ATOM))
		return 0;
	do {
		if (p->lex.tok.len > sizeof(buf) - 1 - len)
			return 0;
		memcpy(buf + len, p->lex.tok.start, p->lex.tok.len);
		len += p->lex.tok.len;
		prev = p->lex.tok;
		advance(p);
	} while (is_kind(p, TOK5322_ATOM) && dot_joined(&prev, &p->lex.tok));
	if (buf[len - 1] == '.')
		len--;
	return domain_store(buf, len, out);
}

/* local-part = word *("." word); only its shape matters to us. */
static int parse_local(struct parser *p)
{
	struct tok5322 prev;

	if (!is_word(p))
		return 0;
	do {
		prev = p->lex.tok;
		advance(p);
	} while (is_word(p) && dot_joined(&prev, &p->lex.tok));
	return 1;
}

static enum mbox parse_addr_spec(struct parser *p, char *dom)
{
	if (!parse_local(p))
		return MB_SYNTAX;
	if (!is_special(p, '@'))
		return MB_NO_DOMAIN;
	advance(p);
	if (is_kind(p, TOK5322_DLITERAL)) {
		advance(p);
		return MB_NO_DOMAIN;
	}
	return parse_domain(p, dom) ? MB_DOMAIN : MB_SYNTAX;
}

/* obs-route: 1*("," / "@" domain) ":", at least one "@" domain. */
static int skip_route(struct parser *p)
{
	char scratch[ADDR_DOMAIN_MAX];
	int domains = 0;

	for (;;) {
		if (is_special(p, ',')) {
			advance(p);
		} else if (is_special(p, '@')) {
			advance(p);
			if (is_kind(p, TOK5322_DLITERAL))
				advance(p);
			else if (!parse_domain(p, scratch))
				return 0;
			domains++;
		} else if (is_special(p, ':')) {
			advance(p);
			return domains > 0;
		} else {
			return 0;
		}
	}
}

/* angle-addr = "<" [route] addr-spec ">" / "<>"; we are at the "<". */
static enum mbox parse_angle(struct parser *p, char *dom)
{
	enum mbox res;

	advance(p);
	if (is_special(p, '>')) {
		advance(p);
		return MB_NO_DOMAIN;
	}
	if ((is_special(p, '@') || is_special(p, ',')) && !skip_route(p))
		return MB_SYNTAX;
	res = parse_addr_spec(p, dom);
	if (res == MB_SYNTAX || !is_special(p, '>'))
		return MB_SYNTAX;
	advance(p);
	return res;
}

/* Skips a display name (words; dots live inside atoms) and counts it. */
static size_t skip_phrase(struct parser *p)
{
	size_t words = 0;

	while (is_word(p)) {
		advance(p);
		words++;
	}
	return words;
}

static enum mbox parse_element(struct parser *p, int in_group, char *dom)
{
	struct lex start = p->lex;
	size_t words = skip_phrase(p);

	if (is_special(p, '<'))
		return parse_angle(p, dom);
	if (is_special(p, ':')) {
		if (in_group || words == 0)
			return MB_SYNTAX;
		advance(p);
		parse_list(p, 1);
		return MB_GROUP;
	}
	p->lex = start;
	return parse_addr_spec(p, dom);
}

static int at_delimiter(const struct parser *p, int in_group)
{
	return p->lex.have == 0 || is_special(p, ',') || (in_group && is_special(p, ';'));
}

static void resync(struct parser *p, int in_group)
{
	while (p->lex.have > 0 && !at_delimiter(p, in_group))
		advance(p);
}

static void record(struct parser *p, enum mbox res, const char *dom)
{
	switch (res) {
	case MB_DOMAIN:
		p->mailboxes++;
		if (p->n == p->max) {
			note(p, ADDR_TOO_MANY);
			p->stop = 1;
			return;
		}
		memcpy(p->doms[p->n++], dom, strlen(dom) + 1);
		break;
	case MB_NO_DOMAIN:
		p->mailboxes++;
		note(p, ADDR_NO_DOMAIN);
		break;
	case MB_SYNTAX:
		note(p, ADDR_SYNTAX);
		break;
	case MB_GROUP:
		break;
	}
}

/* list = [element] *("," [element]), ended by the end or, in a group, ";". */
static void parse_list(struct parser *p, int in_group)
{
	char dom[ADDR_DOMAIN_MAX];
	enum mbox res;

	while (!p->stop) {
		if (p->lex.have <= 0) {
			if (in_group)
				note(p, ADDR_SYNTAX); /* group without ";" */
			return;
		}
		if (is_special(p, ',')) {
			advance(p);
			continue;
		}
		if (in_group && is_special(p, ';')) {
			advance(p);
			return;
		}
		res = parse_element(p, in_group, dom);
		if (res != MB_SYNTAX && !at_delimiter(p, in_group))
			res = MB_SYNTAX;
		record(p, res, dom);
		if (res == MB_SYNTAX)
			resync(p, in_group);
	}
}

size_t addr_from_domains(const char *body, size_t len, char doms[][ADDR_DOMAIN_MAX],
			 size_t max, enum addr_status *status)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.doms = doms;
	p.max = doms == NULL ? 0 : max;
	p.status = ADDR_OK;
	tok5322_init(&p.lex.cur, body, body == NULL ? 0 : len, 0);
	advance(&p);
	parse_list(&p, 0);
	if (p.lex.have < 0)
		note(&p, ADDR_SYNTAX);
	if (p.mailboxes == 0)
		note(&p, ADDR_EMPTY);
	if (status != NULL)
		*status = p.status;
	return p.n;
}
