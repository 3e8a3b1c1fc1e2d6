/*
 * NAME
 *	tok5322 - the one RFC 5322 lexical tokenizer
 * DESCRIPTION
 *	See tok5322.h for the contract.  Lexical choices made here:
 *
 *	- CR and LF count as white space on their own, so both folded
 *	  ("\r\n\t") and unfolded-by-the-MTA bodies ("\n\t", "\t") lex alike.
 *	- An atom is a run of atext and '.', so "a.b.c", "x.org." and the
 *	  lone "." of an obsolete "a . b" are each one TOK5322_ATOM; a parser
 *	  that needs dot-atom rules checks the dots itself.  Bytes >= 0x80
 *	  are atext (RFC 6532).
 *	- Quoted strings and domain literals keep their quoted-pairs
 *	  ("\x") as written; the backslash never ends the token.
 *	- Any other character (a stray ')' or ']', '\', a control character,
 *	  NUL) comes back as a one-character TOK5322_SPECIAL, so a parser
 *	  rejects it by grammar instead of the lexer guessing.
 *	- After -1 the cursor is at the end: the next call returns 0.
 */
#include "tok5322.h"

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 5322 atext, plus UTF-8; '=' and '/' become specials for A-R. */
static int is_atext(unsigned char c, unsigned flags)
{
	static const char punct[] = "!#$%&'*+-/=?^_`{|}~";
	size_t i;

	if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	if ((flags & TOK5322_AR_SPECIALS) && (c == '=' || c == '/'))
		return 0;
	for (i = 0; i < sizeof(punct) - 1; i++)
		if (c == (unsigned char)punct[i])
			return 1;
	return 0;
}

static int is_atom_char(unsigned char c, unsigned flags)
{
	return c == '.' || is_atext(c, flags);
}

/* Skips one (possibly nested) comment; pos is at its '('. */
static int skip_comment(struct tok5322_cursor *cur)
{
	size_t depth = 0;

	while (cur->pos < cur->end) {
		char c = *cur->pos++;

		if (c == '\\') {
			if (cur->pos == cur->end)
				return -1;
			cur->pos++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			return 0;
		}
	}
	return -1;
}

static int skip_cfws(struct tok5322_cursor *cur)
{
	while (cur->pos < cur->end) {
		if (is_wsp((unsigned char)*cur->pos))
			cur->pos++;
		else if (*cur->pos == '(') {
			if (skip_comment(cur) < 0)
				return -1;
		} else
			break;
	}
	return 0;
}

/* Scans a quoted string or domain literal; pos is at its opening char. */
static int scan_quoted(struct tok5322_cursor *cur, struct tok5322 *tok, char close)
{
	const char *p = cur->pos + 1;

	tok->start = p;
	while (p < cur->end) {
		if (*p == '\\') {
			if (cur->end - p < 2)
				break;
			p += 2;
		} else if (*p == close) {
			tok->len = (size_t)(p - tok->start);
			cur->pos = p + 1;
			return 1;
		} else {
			p++;
		}
	}
	cur->pos = cur->end;
	return -1;
}

static int scan_atom(struct tok5322_cursor *cur, struct tok5322 *tok)
{
	const char *p = cur->pos;

	while (p < cur->end && is_atom_char((unsigned char)*p, cur->flags))
		p++;
	tok->kind = TOK5322_ATOM;
	tok->start = cur->pos;
	tok->len = (size_t)(p - cur->pos);
	cur->pos = p;
	return 1;
}

void tok5322_init(struct tok5322_cursor *cur, const char *buf, size_t len, unsigned flags)
{
	cur->pos = buf;
	cur->end = buf == NULL ? buf : buf + len;
	cur->flags = flags;
}

int tok5322_next(struct tok5322_cursor *cur, struct tok5322 *tok)
{
	unsigned char c;

	tok->special = '\0';
	if (skip_cfws(cur) < 0)
		return -1;
	if (cur->pos == cur->end)
		return 0;
	c = (unsigned char)*cur->pos;
	if (c == '"') {
		tok->kind = TOK5322_QSTRING;
		return scan_quoted(cur, tok, '"');
	}
	if (c == '[') {
		tok->kind = TOK5322_DLITERAL;
		return scan_quoted(cur, tok, ']');
	}
	if (is_atom_char(c, cur->flags))
		return scan_atom(cur, tok);
	tok->kind = TOK5322_SPECIAL;
	tok->special = (char)c;
	tok->start = cur->pos++;
	tok->len = 1;
	return 1;
}
