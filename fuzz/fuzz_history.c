/*
 * fuzz_history - history_parse() over arbitrary bytes.  Every record it
 * accepts must survive history_format() and parse back to the same
 * bytes; every call must consume input, so the loop ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct history_record rec, again;
static char out1[65536], out2[65536];

static void check_roundtrip(void)
{
	ssize_t n = history_format(&rec, out1, sizeof out1), m;
	size_t used;
	const char *why;

	if (n < 0)
		abort(); /* a record the reader accepted must be writable */
	if (history_parse(out1, (size_t)n, &again, &used, &why) != HISTORY_OK ||
	    used != (size_t)n)
		abort();
	m = history_format(&again, out2, sizeof out2);
	if (m != n || memcmp(out1, out2, (size_t)n) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t pos = 0;

	while (pos < size) {
		size_t used = 0;
		const char *why;
		enum history_status st = history_parse(text + pos, size - pos, &rec, &used, &why);

		if (used > size - pos)
			abort();
		if (st == HISTORY_OK)
			check_roundtrip();
		if (st == HISTORY_END || st == HISTORY_TORN)
			break;
		if (used == 0)
			abort(); /* no progress */
		pos += used;
	}
	return 0;
}
