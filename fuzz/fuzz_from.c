/*
 * fuzz_from - the From parser (addr) and the tokenizer under it.
 * The input is a From field body as is.  Invariants, abort() on breach:
 *	tok5322: every token lies inside the input, the cursor only moves
 *	forward, and after 0 or -1 the next call returns 0;
 *	addr: at most max domains, with max both ADDR_MAX and 1; each domain
 *	NUL-terminated, 1..255 bytes, no upper case, no trailing dot; slots
 *	past the count untouched; ADDR_OK means at least one domain and
 *	ADDR_TOO_MANY as the status means max were stored.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "tok5322.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL 0x5a

static void check_tokens(const char *buf, size_t len, unsigned flags)
{
	struct tok5322_cursor cur;
	struct tok5322 tok;
	const char *last = buf;
	int rc;

	tok5322_init(&cur, buf, len, flags);
	while ((rc = tok5322_next(&cur, &tok)) > 0) {
		if (tok.start < buf || tok.len > len ||
		    tok.start + tok.len > buf + len || cur.pos <= last)
			abort();
		last = cur.pos;
	}
	if (rc < -1 || cur.pos != buf + len || tok5322_next(&cur, &tok) != 0)
		abort();
}

static void check_domain(const char *dom)
{
	const char *nul = memchr(dom, '\0', ADDR_DOMAIN_MAX);
	size_t len, i;

	if (nul == NULL || nul == dom)
		abort();
	len = (size_t)(nul - dom);
	if (dom[len - 1] == '.')
		abort();
	for (i = 0; i < len; i++)
		if (dom[i] >= 'A' && dom[i] <= 'Z')
			abort();
}

static void check_from(const char *buf, size_t len, size_t max)
{
	char doms[ADDR_MAX + 1][ADDR_DOMAIN_MAX];
	enum addr_status st;
	size_t n, i, j;

	memset(doms, SENTINEL, sizeof(doms));
	n = addr_from_domains(buf, len, doms, max, &st);
	if (n > max || st > ADDR_TOO_MANY)
		abort();
	if ((st == ADDR_OK && n == 0) || (st == ADDR_TOO_MANY && n != max))
		abort();
	for (i = 0; i < n; i++)
		check_domain(doms[i]);
	for (i = n; i < ADDR_MAX + 1; i++)
		for (j = 0; j < ADDR_DOMAIN_MAX; j++)
			if ((unsigned char)doms[i][j] != SENTINEL)
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = size == 0 ? "" : (const char *)data;

	check_tokens(buf, size, 0);
	check_tokens(buf, size, TOK5322_AR_SPECIALS);
	check_from(buf, size, ADDR_MAX);
	check_from(buf, size, 1);
	return 0;
}
