/*
 * fuzz_record - the DMARC record parser (record) and the tag=value
 * parser under it (taglist).  The input is one TXT string as is, any
 * bytes.  Invariants, abort() on breach:
 *	taglist: the count is -1 (with a reason) or 0..max; every tag and
 *	value lies inside the input; tags are non-empty;
 *	record: OKAY only when record_is_dmarc() agrees, p is set, every
 *	field holds a value the contract allows, at most RECORD_URI_MAX
 *	URIs each a NUL-terminated "scheme:rest" without ',' '!' or white
 *	space; any other status leaves no URIs; record_free() clears all.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "record.h"
#include "taglist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *buf, size_t len, const char *p, size_t n)
{
	return p >= buf && n <= len && p + n <= buf + len;
}

static void check_taglist(const char *buf, size_t len)
{
	struct taglist_pair pairs[TAGLIST_MAX];
	const char *err = NULL;
	int n, i;

	n = taglist_parse(buf, len, pairs, TAGLIST_MAX, &err);
	if (n < -1 || n > TAGLIST_MAX || (n == -1 && err == NULL) || (n >= 0 && err != NULL))
		abort();
	for (i = 0; i < n; i++) {
		if (pairs[i].tag_len == 0 || !inside(buf, len, pairs[i].tag, pairs[i].tag_len) ||
		    !inside(buf, len, pairs[i].value, pairs[i].value_len))
			abort();
	}
}

static void check_uris(const struct record_uri *list, size_t count)
{
	size_t i;

	if (count > RECORD_URI_MAX)
		abort();
	for (i = 0; i < count; i++) {
		const char *u = list[i].uri;

		if (u == NULL || strchr(u, ':') == NULL || strpbrk(u, ",! \t\r\n;") != NULL)
			abort();
	}
}

static int is_request(int p)
{
	return p == DMARC_RECORD_P_NONE || p == DMARC_RECORD_P_QUARANTINE ||
	       p == DMARC_RECORD_P_REJECT;
}

static void check_fields(const struct record *r)
{
	if (!is_request(r->p) || (r->sp && !is_request(r->sp)) || (r->np && !is_request(r->np)))
		abort();
	if ((r->adkim != 'r' && r->adkim != 's') || (r->aspf != 'r' && r->aspf != 's'))
		abort();
	if (r->pct < 0 || r->pct > 100 || (!r->pct_given && r->pct != 100))
		abort();
	if (r->fo == 0 || (r->fo & ~0xf) || r->rf == 0 || (r->rf & ~0x3))
		abort();
	if (r->ri > 4294967295UL || (r->psd && r->psd != 'y' && r->psd != 'n'))
		abort();
	if (r->testing != 0 && r->testing != 1)
		abort();
	check_uris(r->rua, r->rua_count);
	check_uris(r->ruf, r->ruf_count);
}

static int known_error(int status)
{
	return status == DMARC_PARSE_ERROR_EMPTY || status == DMARC_PARSE_ERROR_BAD_VERSION ||
	       status == DMARC_PARSE_ERROR_BAD_VALUE || status == DMARC_PARSE_ERROR_NO_REQUIRED_P ||
	       status == DMARC_PARSE_ERROR_NO_ALLOC;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *txt = (const char *)data;
	struct record rec;
	int status;

	check_taglist(txt, size);
	status = record_parse(txt, size, &rec);
	if (status == DMARC_PARSE_OKAY) {
		if (!record_is_dmarc(txt, size))
			abort();
		check_fields(&rec);
	} else if (rec.rua_count != 0 || rec.ruf_count != 0 || !known_error(status)) {
		abort();
	}
	record_free(&rec);
	if (rec.rua_count != 0 || rec.ruf_count != 0)
		abort();
	return 0;
}
