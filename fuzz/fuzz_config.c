/*
 * fuzz_config - the daemon's configuration parser (config_parse, the
 * option table's value parsers) and its dump (config_dump, what -n
 * prints), on any bytes as the text of an opendmarc.conf.
 *
 * Input: the file's text, any bytes, in a buffer of exactly its size.
 * Invariants, abort() on breach:
 *	config_parse returns 0 or -1; the error message is NUL-terminated
 *	within its buffer, and names the text ("fuzz:LINE: ...") on -1;
 *	on 0, the dump parses again without error and dumping that gives
 *	the same text (the -n output is itself a valid configuration with
 *	the same meaning).
 * No state survives a call.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* config_dump() into a malloc'd string */
static char *dump(const struct config *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		abort();
	config_dump(c, f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1), err[256], err2[256];
	struct config *c = config_new(), *again = config_new();
	char *d1, *d2;
	size_t l1, l2;
	int rc;

	if (text == NULL)
		abort();
	if (size > 0)
		memcpy(text, data, size);
	memset(err, 'x', sizeof err);
	rc = config_parse(c, "fuzz", text, size, err, sizeof err);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (memchr(err, '\0', sizeof err) == NULL || strncmp(err, "fuzz:", 5) != 0))
		abort();
	if (rc == 0) {
		d1 = dump(c, &l1);
		if (config_parse(again, "dump", d1, l1, err2, sizeof err2) != 0) {
			fprintf(stderr, "dump does not parse: %s\n%s", err2, d1);
			abort();
		}
		d2 = dump(again, &l2);
		if (l1 != l2 || memcmp(d1, d2, l1) != 0) {
			fprintf(stderr, "dump changed:\n%s---\n%s", d1, d2);
			abort();
		}
		free(d1);
		free(d2);
	}
	config_free(&c);
	config_free(&again);
	free(text);
	return 0;
}
