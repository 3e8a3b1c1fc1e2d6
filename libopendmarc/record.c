/*
 * NAME
 *	record - DMARC policy record parser (RFC 7489 6.3/6.4, RFC 9989)
 * DESCRIPTION
 *	Contract in record.h.  taglist splits the text; a table maps each
 *	known tag to a small function that decodes its value into struct
 *	record.  The first occurrence of a tag wins.  A value a function
 *	cannot decode leaves that tag's default in place and records the
 *	rule's warning; only p has no default, and settle_p() decides
 *	whether the record is usable without it.
 *
 *	Deliberate differences from OpenDMARC 1.4.2: keywords must match
 *	whole (it took "p=r" and "p=rej" as reject by prefix); a bad value
 *	in sp, adkim, pct, ... falls back to the default instead of failing
 *	the whole record (RFC 7489 6.3 "MUST be ignored"); pct accepts
 *	digits only.
 * DIAGNOSTICS
 *	See record.h.  Every return leaves rec safe for record_free(); on
 *	an error the URI lists are already freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "record.h"
#include "taglist.h"

#define RI_DEFAULT 86400UL
#define RI_MAX 4294967295UL

/* what a tag function reports */
enum { TAG_OK, TAG_BAD, TAG_NOMEM };

/* ---- small lexical helpers (ASCII only, locale-free) ---- */

static int is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals word (lower case), ignoring case, as a whole */
static int word_is(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (word[i] == '\0') /* s is longer */
			return 0;
		if (to_lower((unsigned char)s[i]) != (unsigned char)word[i])
			return 0;
	}
	return word[n] == '\0';
}

static void trim_fws(const char **s, size_t *n)
{
	while (*n > 0 && is_fws((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_fws((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* 1*DIGIT with value <= max; 0 when empty, not all digits or too big */
static int parse_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');

		if (!is_digit((unsigned char)s[i]) || v > (max - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

/* ---- list splitting: "a : b : c" or "a , b" ---- */

struct splitter {
	const char *p;
	size_t left;
	int done;
};

/* Next item, trimmed; an empty list yields one empty item. */
static int split_next(struct splitter *sp, char sep, const char **item, size_t *len)
{
	const char *end;

	if (sp->done)
		return 0;
	end = memchr(sp->p, sep, sp->left);
	*item = sp->p;
	*len = end ? (size_t)(end - sp->p) : sp->left;
	if (end) {
		sp->p = end + 1;
		sp->left -= *len + 1;
	} else {
		sp->done = 1;
	}
	trim_fws(item, len);
	return 1;
}

/* ---- keyword values ---- */

static int request_value(const char *s, size_t n)
{
	if (word_is(s, n, "none"))
		return DMARC_RECORD_P_NONE;
	if (word_is(s, n, "quarantine"))
		return DMARC_RECORD_P_QUARANTINE;
	if (word_is(s, n, "reject"))
		return DMARC_RECORD_P_REJECT;
	return DMARC_RECORD_P_UNSPECIFIED;
}

/* one-letter keyword from letters ("rs", "yn", "ynu"), or '\0' */
static int letter_value(const char *s, size_t n, const char *letters)
{
	if (n != 1 || s[0] == '\0')
		return 0;
	return strchr(letters, to_lower((unsigned char)s[0])) ? to_lower((unsigned char)s[0]) : 0;
}

static int fo_bit(const char *s, size_t n)
{
	switch (letter_value(s, n, "01ds")) {
	case '0':
		return DMARC_RECORD_FO_0;
	case '1':
		return DMARC_RECORD_FO_1;
	case 'd':
		return DMARC_RECORD_FO_D;
	case 's':
		return DMARC_RECORD_FO_S;
	default:
		return 0;
	}
}

static int rf_bit(const char *s, size_t n)
{
	if (word_is(s, n, "afrf"))
		return DMARC_RECORD_RF_AFRF;
	if (word_is(s, n, "iodef"))
		return DMARC_RECORD_RF_IODEF;
	return 0;
}

/* OR of bit(item) over a ':' list; 0 when any item is unknown */
static int colon_bits(const char *s, size_t n, int (*bit)(const char *, size_t))
{
	struct splitter sp = { s, n, 0 };
	const char *item;
	size_t len;
	int bits = 0;

	while (split_next(&sp, ':', &item, &len)) {
		int b = bit(item, len);

		if (b == 0)
			return 0;
		bits |= b;
	}
	return bits;
}

/* ---- reporting URIs: URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ] ---- */

/* length of "scheme:" when s starts with a valid scheme, else 0 */
static size_t uri_scheme_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ':')
			return i + 1;
		if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* scheme ":" then one or more visible ASCII bytes other than ',' '!' */
static int uri_ok(const char *s, size_t n)
{
	size_t i = uri_scheme_len(s, n);

	if (i == 0 || i == n)
		return 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == ',' || c == '!')
			return 0;
	}
	return 1;
}

/* 1*DIGIT [unit] in bytes; 0 on bad syntax or a value over 64 bits */
static int uri_size(const char *s, size_t n, uint64_t *out)
{
	static const char units[] = "kmgt";
	const char *u;
	unsigned shift = 0;
	uint64_t v;

	if (n > 1 && !is_digit((unsigned char)s[n - 1])) {
		u = memchr(units, to_lower((unsigned char)s[n - 1]), 4);
		if (u == NULL)
			return 0;
		shift = 10 * (unsigned)(u - units + 1);
		n--;
	}
	if (!parse_uint(s, n, UINT64_MAX, &v) || v > (UINT64_MAX >> shift))
		return 0;
	*out = v << shift;
	return 1;
}

/* Split one list item into URI and size; 1 when both are valid. */
static int uri_item(const char *s, size_t n, size_t *uri_len, uint64_t *max_size)
{
	const char *bang = memchr(s, '!', n);

	*max_size = 0;
	*uri_len = bang ? (size_t)(bang - s) : n;
	if (!uri_ok(s, *uri_len))
		return 0;
	if (bang == NULL)
		return 1;
	return uri_size(bang + 1, n - *uri_len - 1, max_size);
}

/*
 * A copy of s[0..n) in the record's URI block, allocated at the first URI
 * with the size record_parse() planned from the record text: the URIs are
 * parts of it, plus their NULs.
 */
static char *uri_copy(struct record *rec, const char *s, size_t n)
{
	char *dst;

	if (rec->uri_text == NULL) {
		rec->uri_text = malloc(rec->uri_text_size);
		if (rec->uri_text == NULL)
			return NULL;
		rec->uri_text_used = 0;
	}
	if (n + 1 > rec->uri_text_size - rec->uri_text_used)
		return NULL;
	dst = rec->uri_text + rec->uri_text_used;
	memcpy(dst, s, n);
	dst[n] = '\0';
	rec->uri_text_used += n + 1;
	return dst;
}

/* Comma list into list[]; TAG_BAD when any item was dropped. */
static int uri_list(struct record *rec, struct record_uri *list, size_t *count, const char *s,
		    size_t n)
{
	struct splitter sp = { s, n, 0 };
	const char *item;
	size_t len, uri_len;
	uint64_t max_size;
	int status = TAG_OK;

	while (split_next(&sp, ',', &item, &len)) {
		if (!uri_item(item, len, &uri_len, &max_size) || *count >= RECORD_URI_MAX) {
			status = TAG_BAD;
			continue;
		}
		list[*count].uri = uri_copy(rec, item, uri_len);
		if (list[*count].uri == NULL)
			return TAG_NOMEM;
		list[*count].max_size = max_size;
		(*count)++;
	}
	return status;
}

/* ---- one function per tag ---- */

static int tag_p(struct record *rec, const char *s, size_t n)
{
	rec->p = request_value(s, n);
	return rec->p != DMARC_RECORD_P_UNSPECIFIED ? TAG_OK : TAG_BAD;
}

static int tag_sp(struct record *rec, const char *s, size_t n)
{
	rec->sp = request_value(s, n);
	return rec->sp != DMARC_RECORD_P_UNSPECIFIED ? TAG_OK : TAG_BAD;
}

static int tag_np(struct record *rec, const char *s, size_t n)
{
	rec->np = request_value(s, n);
	return rec->np != DMARC_RECORD_P_UNSPECIFIED ? TAG_OK : TAG_BAD;
}

static int tag_adkim(struct record *rec, const char *s, size_t n)
{
	int v = letter_value(s, n, "rs");

	rec->adkim = v ? v : DMARC_RECORD_A_RELAXED;
	return v ? TAG_OK : TAG_BAD;
}

static int tag_aspf(struct record *rec, const char *s, size_t n)
{
	int v = letter_value(s, n, "rs");

	rec->aspf = v ? v : DMARC_RECORD_A_RELAXED;
	return v ? TAG_OK : TAG_BAD;
}

static int tag_pct(struct record *rec, const char *s, size_t n)
{
	uint64_t v;

	if (!parse_uint(s, n, 100, &v))
		return TAG_BAD;
	rec->pct = (int)v;
	rec->pct_given = 1;
	return TAG_OK;
}

static int tag_fo(struct record *rec, const char *s, size_t n)
{
	int bits = colon_bits(s, n, fo_bit);

	rec->fo = bits ? bits : DMARC_RECORD_FO_0;
	return bits ? TAG_OK : TAG_BAD;
}

static int tag_rf(struct record *rec, const char *s, size_t n)
{
	int bits = colon_bits(s, n, rf_bit);

	rec->rf = bits ? bits : DMARC_RECORD_RF_AFRF;
	return bits ? TAG_OK : TAG_BAD;
}

static int tag_ri(struct record *rec, const char *s, size_t n)
{
	uint64_t v;

	if (!parse_uint(s, n, RI_MAX, &v))
		return TAG_BAD;
	rec->ri = (unsigned long)v;
	return TAG_OK;
}

static int tag_psd(struct record *rec, const char *s, size_t n)
{
	int v = letter_value(s, n, "ynu");

	rec->psd = v == 'u' ? DMARC_RECORD_PSD_UNSPECIFIED : v;
	return v ? TAG_OK : TAG_BAD;
}

static int tag_t(struct record *rec, const char *s, size_t n)
{
	int v = letter_value(s, n, "yn");

	rec->testing = v == 'y';
	return v ? TAG_OK : TAG_BAD;
}

static int tag_rua(struct record *rec, const char *s, size_t n)
{
	return uri_list(rec, rec->rua, &rec->rua_count, s, n);
}

static int tag_ruf(struct record *rec, const char *s, size_t n)
{
	return uri_list(rec, rec->ruf, &rec->ruf_count, s, n);
}

/* ---- the tag table and the driver ---- */

struct tag_rule {
	const char *name;
	size_t name_len; /* compared first: most tags differ in length */
	int (*apply)(struct record *, const char *, size_t);
	const char *bad; /* warning when apply() fell back */
};

/* "v" is checked before the table is used; its entry catches repeats. */
static const struct tag_rule rules[] = {
	{ "v", 1, NULL, NULL },
	{ "p", 1, tag_p, "p: not none, quarantine or reject" },
	{ "sp", 2, tag_sp, "sp: invalid, p applies to subdomains" },
	{ "np", 2, tag_np, "np: invalid, ignored" },
	{ "adkim", 5, tag_adkim, "adkim: invalid, relaxed used" },
	{ "aspf", 4, tag_aspf, "aspf: invalid, relaxed used" },
	{ "pct", 3, tag_pct, "pct: not an integer 0-100, 100 used" },
	{ "fo", 2, tag_fo, "fo: invalid option, 0 used" },
	{ "rf", 2, tag_rf, "rf: unknown format, afrf used" },
	{ "ri", 2, tag_ri, "ri: invalid interval, 86400 used" },
	{ "psd", 3, tag_psd, "psd: invalid, ignored" },
	{ "t", 1, tag_t, "t: invalid, n used" },
	{ "rua", 3, tag_rua, "rua: invalid or surplus URI dropped" },
	{ "ruf", 3, tag_ruf, "ruf: invalid or surplus URI dropped" },
};

#define NRULES (sizeof rules / sizeof rules[0])

static void warn(struct record *rec, const char *text)
{
	if (rec->warning == NULL)
		rec->warning = text;
}

static size_t rule_find(const struct taglist_pair *pair)
{
	size_t r;

	for (r = 0; r < NRULES; r++) {
		if (rules[r].name_len == pair->tag_len &&
		    word_is(pair->tag, pair->tag_len, rules[r].name))
			break;
	}
	return r;
}

static int apply_pairs(struct record *rec, const struct taglist_pair *pairs, int n)
{
	unsigned long seen = 1UL; /* rules[0], "v" */
	int i;

	for (i = 1; i < n; i++) {
		size_t r = rule_find(&pairs[i]);
		int st;

		if (r == NRULES)
			continue; /* unknown tags are ignored */
		if (seen & (1UL << r)) {
			warn(rec, "duplicate: tag repeated, first kept");
			continue;
		}
		seen |= 1UL << r;
		st = rules[r].apply(rec, pairs[i].value, pairs[i].value_len);
		if (st == TAG_NOMEM)
			return DMARC_PARSE_ERROR_NO_ALLOC;
		if (st == TAG_BAD)
			warn(rec, rules[r].bad);
	}
	return DMARC_PARSE_OKAY;
}

/* RFC 7489 6.6.3: no usable p, but a valid rua URI: act as p=none. */
static int settle_p(struct record *rec)
{
	if (rec->p != DMARC_RECORD_P_UNSPECIFIED)
		return DMARC_PARSE_OKAY;
	if (rec->rua_count == 0)
		return DMARC_PARSE_ERROR_NO_REQUIRED_P;
	rec->p = DMARC_RECORD_P_NONE;
	warn(rec, "p: missing, none used because rua is present");
	return DMARC_PARSE_OKAY;
}

static void set_defaults(struct record *rec)
{
	memset(rec, 0, sizeof *rec);
	rec->p = DMARC_RECORD_P_UNSPECIFIED;
	rec->sp = DMARC_RECORD_P_UNSPECIFIED;
	rec->np = DMARC_RECORD_P_UNSPECIFIED;
	rec->adkim = DMARC_RECORD_A_RELAXED;
	rec->aspf = DMARC_RECORD_A_RELAXED;
	rec->pct = 100;
	rec->fo = DMARC_RECORD_FO_0;
	rec->rf = DMARC_RECORD_RF_AFRF;
	rec->ri = RI_DEFAULT;
	rec->psd = DMARC_RECORD_PSD_UNSPECIFIED;
}

static int version_ok(const struct taglist_pair *first)
{
	return taglist_tag_is(first, "v") && first->value_len == 6 &&
	       memcmp(first->value, "DMARC1", 6) == 0;
}

/* v *WSP "=" *WSP "DMARC1" then end, white space or ';' */
int record_is_dmarc(const char *txt, size_t len)
{
	size_t i = 0;

	if (txt == NULL)
		return 0;
	while (i < len && is_fws((unsigned char)txt[i]))
		i++;
	if (i >= len || to_lower((unsigned char)txt[i]) != 'v')
		return 0;
	for (i++; i < len && is_fws((unsigned char)txt[i]); i++)
		;
	if (i >= len || txt[i] != '=')
		return 0;
	for (i++; i < len && is_fws((unsigned char)txt[i]); i++)
		;
	if (len - i < 6 || memcmp(txt + i, "DMARC1", 6) != 0)
		return 0;
	i += 6;
	return i == len || is_fws((unsigned char)txt[i]) || txt[i] == ';';
}

int record_parse(const char *txt, size_t len, struct record *rec)
{
	struct taglist_pair pairs[TAGLIST_MAX];
	const char *err = NULL;
	int n, status;

	if (rec == NULL)
		return DMARC_PARSE_ERROR_NULL_CTX;
	set_defaults(rec);
	if (txt == NULL || len == 0)
		return DMARC_PARSE_ERROR_EMPTY;
	rec->uri_text_size = len + 2 * RECORD_URI_MAX + 1;
	n = taglist_parse(txt, len, pairs, TAGLIST_MAX, &err);
	if (n == 0)
		return DMARC_PARSE_ERROR_EMPTY;
	if (!record_is_dmarc(txt, len))
		return DMARC_PARSE_ERROR_BAD_VERSION;
	if (n < 0 || !version_ok(&pairs[0])) {
		rec->warning = err; /* "v=DMARC1" then no clean tag list */
		return DMARC_PARSE_ERROR_BAD_VALUE;
	}
	status = apply_pairs(rec, pairs, n);
	if (status == DMARC_PARSE_OKAY)
		status = settle_p(rec);
	if (status != DMARC_PARSE_OKAY)
		record_free(rec);
	return status;
}

void record_free(struct record *rec)
{
	size_t i;

	if (rec == NULL)
		return;
	for (i = 0; i < rec->rua_count && i < RECORD_URI_MAX; i++)
		rec->rua[i].uri = NULL;
	for (i = 0; i < rec->ruf_count && i < RECORD_URI_MAX; i++)
		rec->ruf[i].uri = NULL;
	free(rec->uri_text);
	rec->uri_text = NULL;
	rec->uri_text_used = rec->uri_text_size = 0;
	rec->rua_count = 0;
	rec->ruf_count = 0;
}
