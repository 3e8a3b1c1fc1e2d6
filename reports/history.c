/*
 * NAME
 *	history - one field table driving the history writer and reader
 * DESCRIPTION
 *	Contract in history.h.  hist_fields[] lists every key once, in
 *	writing order, with its type, where it lives in struct
 *	history_record, its bounds and whether a record must carry it;
 *	history_format() walks the table, history_parse() looks keys up in
 *	it.  Types: HF_STR (a token: no spaces or controls), HF_TEXT (free
 *	text with spaces), HF_INT and HF_TIME (bounded decimal), HF_WORD (a
 *	word from the field's table, stored as its code), HF_DKIM and HF_RUA
 *	(repeated lines filling an array).  A scalar key given twice
 *	keeps the last value, as OpenDMARC's importer does (its daemon may
 *	write "spf" once per trusted Authentication-Results field).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "history.h"

enum hf_type { HF_STR, HF_TEXT, HF_INT, HF_TIME, HF_WORD, HF_DKIM, HF_RUA };

#define HF_REQUIRED 0x1u /* a record without it is malformed */
#define HF_OMIT_ABSENT 0x2u /* not written when HISTORY_UNKNOWN (or "") */

struct hist_word {
	const char *word;
	int code;
};

struct hist_field {
	const char *key;
	enum hf_type type;
	size_t off;	/* offsetof the member in struct history_record */
	size_t maxlen;	/* strings: longest value accepted */
	long long min, max; /* numbers: accepted range */
	unsigned flags;
	const char *missing; /* reason given when a required key is absent */
	const struct hist_word *words; /* HF_WORD: the words, NULL-terminated */
};

#define HR(m) offsetof(struct history_record, m)
#define STR(k, m, n, fl) { #k, HF_STR, HR(m), (n), 0, 0, (fl), "missing key: " #k, NULL }
#define INT(k, m, lo, hi, fl) { #k, HF_INT, HR(m), 0, (lo), (hi), (fl), "missing key: " #k, NULL }
#define EXT(k, m, lo, hi) INT(k, m, lo, hi, HF_OMIT_ABSENT)
#define REQ HF_REQUIRED

static const struct hist_word discovery_words[] = {
	{ "none", HISTORY_DISCOVERY_NONE },
	{ "psl", HISTORY_DISCOVERY_PSL },
	{ "treewalk", HISTORY_DISCOVERY_TREEWALK },
	{ NULL, 0 },
};

/* Lengths and ranges are those of the db/schema.mysql columns. */
static const struct hist_field hist_fields[] = {
	STR(job, job, 128, REQ),
	STR(reporter, reporter, 255, REQ),
	{ "received", HF_TIME, HR(received), 0, 1, INT32_MAX, REQ, "missing key: received", NULL },
	STR(ipaddr, ipaddr, 63, REQ),
	STR(from, from, 255, REQ),
	STR(mfrom, mfrom, 255, REQ),
	{ "dkim", HF_DKIM, HR(dkim), 255, 0, 255, 0, NULL, NULL },
	INT(spf, spf, -128, 127, 0),
	STR(pdomain, pdomain, 255, REQ),
	INT(policy, policy, 0, 255, REQ),
	{ "rua", HF_RUA, HR(rua), HISTORY_URI_MAX - 1, 0, 0, 0, NULL, NULL },
	INT(pct, pct, -128, 127, REQ),
	INT(adkim, adkim, -128, 127, REQ),
	INT(aspf, aspf, -128, 127, REQ),
	INT(p, p, -128, 127, REQ),
	INT(sp, sp, -128, 127, REQ),
	INT(align_dkim, align_dkim, 0, 255, REQ),
	INT(align_spf, align_spf, 0, 255, REQ),
	INT(arc, arc, -1, 255, HF_OMIT_ABSENT),
	{ "arc_policy", HF_TEXT, HR(arc_policy), HISTORY_ARC_MAX - 1, 0, 0, HF_OMIT_ABSENT, NULL,
	  NULL },
	INT(action, action, 0, 255, REQ),
	/* extensions: after all of OpenDMARC's keys */
	EXT(fo, fo, 0, 15),
	EXT(np, np, 0, 127),
	EXT(testing, testing, 0, 1),
	{ "discovery", HF_WORD, HR(discovery), 0, 0, 0, HF_OMIT_ABSENT, NULL, discovery_words },
};

#define HIST_NFIELDS (sizeof hist_fields / sizeof hist_fields[0])

static char *hf_str(struct history_record *rec, const struct hist_field *f)
{
	return (char *)rec + f->off;
}

static const char *hf_cstr(const struct history_record *rec, const struct hist_field *f)
{
	return (const char *)rec + f->off;
}

static int *hf_int(struct history_record *rec, const struct hist_field *f)
{
	return (int *)(void *)((char *)rec + f->off);
}

static int hf_cint(const struct history_record *rec, const struct hist_field *f)
{
	return *(const int *)(const void *)((const char *)rec + f->off);
}

void history_init(struct history_record *rec)
{
	memset(rec, 0, sizeof *rec);
	rec->spf = HISTORY_ARES_UNDEFINED;
	rec->arc = HISTORY_ARES_UNDEFINED;
	rec->fo = rec->np = rec->testing = rec->discovery = HISTORY_UNKNOWN;
}

/* ---- writer ---------------------------------------------------------- */

struct hw {
	char *buf;
	size_t len, cap;
	int bad; /* overflow or over-long value */
};

static void hw_byte(struct hw *w, char c)
{
	if (w->len + 1 >= w->cap) {
		w->bad = 1;
		return;
	}
	w->buf[w->len++] = c;
}

static void hw_raw(struct hw *w, const char *s)
{
	while (*s != '\0')
		hw_byte(w, *s++);
}

/* A value, controls (and spaces unless keep_space) made '?', bounded. */
static void hw_value(struct hw *w, const char *s, size_t maxlen, int keep_space)
{
	size_t n = strlen(s);

	if (n > maxlen)
		w->bad = 1;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		int ctl = c < 0x20 || c == 0x7f || (c == ' ' && !keep_space);

		hw_byte(w, ctl ? '?' : (char)c);
	}
}

static void hw_num(struct hw *w, long long v)
{
	char tmp[24];
	size_t i = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		hw_byte(w, '-');
	while (i > 0)
		hw_byte(w, tmp[--i]);
}

static void hw_line_start(struct hw *w, const char *key)
{
	hw_raw(w, key);
	hw_byte(w, ' ');
}

static void hw_token(struct hw *w, const char *s, size_t maxlen)
{
	hw_value(w, s[0] == '\0' ? "-" : s, maxlen, 0);
}

static void hw_dkim(struct hw *w, const struct history_record *rec, const struct hist_field *f)
{
	size_t i;

	for (i = 0; i < rec->ndkim && i < HISTORY_DKIM_MAX; i++) {
		hw_line_start(w, f->key);
		hw_token(w, rec->dkim[i].domain, f->maxlen);
		hw_byte(w, ' ');
		hw_token(w, rec->dkim[i].selector, f->maxlen);
		hw_byte(w, ' ');
		if (rec->dkim[i].result < f->min || rec->dkim[i].result > f->max)
			w->bad = 1;
		hw_num(w, rec->dkim[i].result);
		hw_byte(w, '\n');
	}
}

static void hw_rua(struct hw *w, const struct history_record *rec, const struct hist_field *f)
{
	size_t i;

	if (rec->nrua == 0) {
		hw_raw(w, "rua -\n");
		return;
	}
	for (i = 0; i < rec->nrua && i < HISTORY_RUA_MAX; i++) {
		hw_line_start(w, f->key);
		hw_value(w, rec->rua[i], f->maxlen, 0);
		hw_byte(w, '\n');
	}
}

static int hw_absent(const struct history_record *rec, const struct hist_field *f)
{
	if (!(f->flags & HF_OMIT_ABSENT))
		return 0;
	if (f->type == HF_TEXT || f->type == HF_STR)
		return hf_cstr(rec, f)[0] == '\0';
	return hf_cint(rec, f) == HISTORY_UNKNOWN; /* == HISTORY_ARES_UNDEFINED */
}

static const char *hf_word(const struct hist_field *f, int code)
{
	const struct hist_word *w;

	for (w = f->words; w->word != NULL; w++)
		if (w->code == code)
			return w->word;
	return NULL;
}

static void hw_field(struct hw *w, const struct history_record *rec, const struct hist_field *f)
{
	const char *word;
	long long v;

	if (hw_absent(rec, f))
		return;
	switch (f->type) {
	case HF_DKIM:
		hw_dkim(w, rec, f);
		return;
	case HF_RUA:
		hw_rua(w, rec, f);
		return;
	case HF_STR:
	case HF_TEXT:
		hw_line_start(w, f->key);
		hw_value(w, hf_cstr(rec, f), f->maxlen, f->type == HF_TEXT);
		break;
	case HF_WORD:
		word = hf_word(f, hf_cint(rec, f));
		if (word == NULL) {
			w->bad = 1;
			return;
		}
		hw_line_start(w, f->key);
		hw_raw(w, word);
		break;
	case HF_INT:
	case HF_TIME:
		v = f->type == HF_TIME ? rec->received : hf_cint(rec, f);
		if (v < f->min || v > f->max)
			w->bad = 1;
		hw_line_start(w, f->key);
		hw_num(w, v);
		break;
	}
	hw_byte(w, '\n');
}

ssize_t history_format(const struct history_record *rec, char *buf, size_t buflen)
{
	struct hw w = { buf, 0, buflen, 0 };
	size_t i;

	if (rec == NULL || buf == NULL || buflen == 0)
		return -1;
	for (i = 0; i < HIST_NFIELDS && !w.bad; i++)
		hw_field(&w, rec, &hist_fields[i]);
	if (w.bad) {
		buf[0] = '\0';
		return -1;
	}
	buf[w.len] = '\0';
	return (ssize_t)w.len;
}

/* ---- reader ---------------------------------------------------------- */

struct span {
	const char *s;
	size_t n;
};

static int sp_eq(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.n == n && memcmp(a.s, lit, n) == 0;
}

/* Split "key value" at the first space; a bare "key" has an empty value. */
static void hp_split(struct span line, struct span *key, struct span *val)
{
	const char *sp = memchr(line.s, ' ', line.n);

	key->s = line.s;
	key->n = sp != NULL ? (size_t)(sp - line.s) : line.n;
	val->s = sp != NULL ? sp + 1 : line.s + line.n;
	val->n = sp != NULL ? line.n - key->n - 1 : 0;
}

static int hp_is_job(struct span line)
{
	struct span key, val;

	hp_split(line, &key, &val);
	return sp_eq(key, "job");
}

static int hp_is_blank(struct span line)
{
	size_t i;

	if (line.n > 0 && line.s[0] == '#')
		return 1;
	for (i = 0; i < line.n; i++)
		if (line.s[i] != ' ' && line.s[i] != '\t' && line.s[i] != '\r')
			return 0;
	return 1;
}

static int hp_key_ok(struct span key)
{
	size_t i;

	if (key.n == 0)
		return 0;
	for (i = 0; i < key.n; i++) {
		char c = key.s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static int hp_num(struct span v, long long min, long long max, long long *out)
{
	size_t i = 0;
	int neg = 0;
	long long acc = 0;

	if (v.n > 0 && v.s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i >= v.n || v.n - i > 18)
		return -1;
	for (; i < v.n; i++) {
		if (v.s[i] < '0' || v.s[i] > '9')
			return -1;
		acc = acc * 10 + (v.s[i] - '0');
	}
	acc = neg ? -acc : acc;
	if (acc < min || acc > max)
		return -1;
	*out = acc;
	return 0;
}

/* Copy a token or text value, refusing controls (and spaces in tokens). */
static int hp_copy(struct span v, char *dst, size_t maxlen, int allow_space)
{
	size_t i;

	if (v.n > maxlen)
		return -1;
	for (i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.s[i];

		if (c < 0x20 || c == 0x7f || (c == ' ' && !allow_space))
			return -1;
	}
	memcpy(dst, v.s, v.n);
	dst[v.n] = '\0';
	return 0;
}

static int hp_next_token(struct span *v, struct span *tok)
{
	const char *sp;

	if (v->n == 0)
		return -1;
	sp = memchr(v->s, ' ', v->n);
	tok->s = v->s;
	tok->n = sp != NULL ? (size_t)(sp - v->s) : v->n;
	v->s += tok->n;
	v->n -= tok->n;
	if (sp != NULL) {
		v->s++;
		v->n--;
		if (v->n == 0)
			return -1; /* trailing space */
	}
	return tok->n == 0 ? -1 : 0;
}

static int hp_name(struct span tok, char *dst, size_t maxlen)
{
	if (sp_eq(tok, "-")) {
		dst[0] = '\0';
		return 0;
	}
	return hp_copy(tok, dst, maxlen, 0);
}

/* "dkim <domain> <selector> <result>" or, before 1.4, "dkim <domain> <result>". */
static const char *hp_dkim(struct history_record *rec, const struct hist_field *f, struct span v)
{
	struct span tok[3];
	struct history_dkim d;
	size_t n = 0;
	long long r;

	while (v.n > 0 && n < 3)
		if (hp_next_token(&v, &tok[n++]) != 0)
			return "malformed dkim line";
	if (v.n > 0 || n < 2)
		return "malformed dkim line";
	memset(&d, 0, sizeof d);
	if (hp_name(tok[0], d.domain, f->maxlen) != 0 ||
	    (n == 3 && hp_name(tok[1], d.selector, f->maxlen) != 0) ||
	    hp_num(tok[n - 1], f->min, f->max, &r) != 0)
		return "malformed dkim line";
	d.result = (int)r;
	if (rec->ndkim < HISTORY_DKIM_MAX)
		rec->dkim[rec->ndkim++] = d;
	else
		rec->ndkim_dropped++;
	return NULL;
}

static const char *hp_rua(struct history_record *rec, const struct hist_field *f, struct span v)
{
	if (sp_eq(v, "-"))
		return NULL;
	if (rec->nrua >= HISTORY_RUA_MAX) {
		rec->nrua_dropped++;
		return NULL;
	}
	if (v.n == 0 || hp_copy(v, rec->rua[rec->nrua], f->maxlen, 0) != 0)
		return "malformed rua value";
	rec->nrua++;
	return NULL;
}

/* A word of the field's table; any other value (a newer writer's) is unknown. */
static void hp_word(struct history_record *rec, const struct hist_field *f, struct span v)
{
	const struct hist_word *w;

	*hf_int(rec, f) = HISTORY_UNKNOWN;
	for (w = f->words; w->word != NULL; w++)
		if (sp_eq(v, w->word))
			*hf_int(rec, f) = w->code;
}

static const char *hp_value(struct history_record *rec, const struct hist_field *f, struct span v)
{
	long long n;

	switch (f->type) {
	case HF_DKIM:
		return hp_dkim(rec, f, v);
	case HF_RUA:
		return hp_rua(rec, f, v);
	case HF_STR:
	case HF_TEXT:
		if (hp_copy(v, hf_str(rec, f), f->maxlen, f->type == HF_TEXT) != 0)
			return "malformed or over-long value";
		return NULL;
	case HF_WORD:
		hp_word(rec, f, v);
		return NULL;
	case HF_INT:
	case HF_TIME:
		if (hp_num(v, f->min, f->max, &n) != 0)
			return "malformed or out-of-range number";
		if (f->type == HF_TIME)
			rec->received = n;
		else
			*hf_int(rec, f) = (int)n;
		return NULL;
	}
	return "internal error";
}

static const struct hist_field *hp_lookup(struct span key, size_t *idx)
{
	size_t i;

	for (i = 0; i < HIST_NFIELDS; i++) {
		if (sp_eq(key, hist_fields[i].key)) {
			*idx = i;
			return &hist_fields[i];
		}
	}
	return NULL;
}

/* One line of a record; returns a reason when it is malformed. */
static const char *hp_line(struct history_record *rec, struct span line, uint32_t *seen)
{
	struct span key, val;
	const struct hist_field *f;
	size_t idx;

	if (line.n > 0 && line.s[line.n - 1] == '\r')
		line.n--;
	if (hp_is_blank(line))
		return NULL;
	if (memchr(line.s, '\0', line.n) != NULL)
		return "NUL byte in line";
	hp_split(line, &key, &val);
	if (!hp_key_ok(key))
		return "malformed key";
	f = hp_lookup(key, &idx);
	if (f == NULL)
		return NULL; /* an extension key from a newer writer */
	*seen |= (uint32_t)1 << idx;
	return hp_value(rec, f, val);
}

static const char *hp_missing(uint32_t seen)
{
	size_t i;

	for (i = 0; i < HIST_NFIELDS; i++)
		if ((hist_fields[i].flags & HF_REQUIRED) && !(seen & ((uint32_t)1 << i)))
			return hist_fields[i].missing;
	return NULL;
}

/* The line at pos: [pos, eol); *has_nl tells whether it was finished. */
static struct span hp_getline(const char *text, size_t len, size_t pos, int *has_nl)
{
	const char *nl = memchr(text + pos, '\n', len - pos);
	struct span line = { text + pos, nl != NULL ? (size_t)(nl - (text + pos)) : len - pos };

	*has_nl = nl != NULL;
	return line;
}

/* Offset of the next "job" line at or after pos, or len. */
static size_t hp_skip_to_job(const char *text, size_t len, size_t pos)
{
	int nl;

	while (pos < len) {
		struct span line = hp_getline(text, len, pos, &nl);

		if (hp_is_job(line))
			return pos;
		pos += line.n + (size_t)nl;
	}
	return len;
}

/* Skip blank and comment lines; a finished line only. */
static size_t hp_skip_blank(const char *text, size_t len, size_t pos)
{
	int nl;

	while (pos < len) {
		struct span line = hp_getline(text, len, pos, &nl);

		if (!hp_is_blank(line) || !nl)
			break;
		pos += line.n + 1;
	}
	return pos;
}

static uint32_t hp_bit(const char *key)
{
	size_t i;

	for (i = 0; i < HIST_NFIELDS; i++)
		if (strcmp(hist_fields[i].key, key) == 0)
			return (uint32_t)1 << i;
	return 0;
}

/*
 * The record at pos, up to the next job line.  A line without its
 * newline is still being written: before "action" the record is torn,
 * after it the record is complete and the fragment is left for the
 * next call.
 */
static enum history_status hp_record(const char *text, size_t len, size_t pos,
				     struct history_record *rec, size_t *used,
				     const char **why)
{
	const uint32_t action = hp_bit("action");
	const char *err = NULL;
	uint32_t seen = 0;
	size_t start = pos;
	int nl;

	while (pos < len) {
		struct span line = hp_getline(text, len, pos, &nl);
		const char *e;

		if (pos != start && hp_is_job(line))
			break;
		if (!nl && !(seen & action)) {
			*used = len;
			*why = "torn record: text ends inside it";
			return HISTORY_TORN;
		}
		if (!nl)
			break;
		e = hp_line(rec, line, &seen);
		if (err == NULL)
			err = e;
		pos += line.n + 1;
	}
	*used = pos;
	if (pos == len && !(seen & action)) {
		*why = "torn record: text ends inside it";
		return HISTORY_TORN;
	}
	if (err == NULL && !(seen & action))
		err = "torn record: next job line before action";
	if (err == NULL)
		err = hp_missing(seen);
	*why = err;
	return err == NULL ? HISTORY_OK : HISTORY_BAD;
}

enum history_status history_parse(const char *text, size_t len, struct history_record *rec,
				  size_t *used, const char **why)
{
	const char *unused;
	struct span first;
	size_t pos;
	int nl;

	if (why == NULL)
		why = &unused;
	*why = NULL;
	if (text == NULL || rec == NULL || used == NULL) {
		*why = "null argument";
		return HISTORY_BAD;
	}
	history_init(rec);
	pos = hp_skip_blank(text, len, 0);
	*used = pos;
	if (pos == len)
		return HISTORY_END;
	first = hp_getline(text, len, pos, &nl);
	if (!nl) {
		*used = len;
		*why = "torn record: text ends inside it";
		return HISTORY_TORN;
	}
	if (!hp_is_job(first)) {
		*used = hp_skip_to_job(text, len, pos);
		*why = "text does not start with a job line";
		return HISTORY_BAD;
	}
	return hp_record(text, len, pos, rec, used, why);
}
