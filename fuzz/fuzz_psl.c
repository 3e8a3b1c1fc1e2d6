/*
 * fuzz_psl - the public suffix list parser and the org domain lookup.
 * The input is a list in the Mozilla format, any bytes.  It is parsed,
 * then asked for a few fixed names and for names derived from its own
 * lines (the line, its rule without "!" or "*.", and that rule with one
 * and two labels added), with output buffers of several sizes.
 * Invariants, abort() on breach: a success writes a non-empty, lower-case
 * name that fits the buffer and is a whole-label suffix of the name asked
 * (one trailing dot ignored); a failure leaves the buffer empty;
 * psl_free() clears the pointer.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "psl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DERIVED_MAX 64

static const char *const fixed[] = {
	"example.com", "a.b.example.co.uk", "www.ck", "a.b.c.kobe.jp", "com", "", ".", ".com",
	"a..b", "example.com.", "Mixed.CASE.Example", "xn--85x722f.xn--55qx5d.cn",
};

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static void check_answer(const char *name, const char *out, size_t outlen, int rc)
{
	size_t n = strlen(name), o = strlen(out);

	if (rc != 0) {
		if (outlen > 0 && out[0] != '\0')
			abort();
		return;
	}
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (o == 0 || o >= outlen || o > n)
		abort();
	if (o < n && name[n - o - 1] != '.')
		abort();
	for (size_t i = 0; i < o; i++)
		if ((unsigned char)out[i] != lower((unsigned char)name[n - o + i]) ||
		    (out[i] >= 'A' && out[i] <= 'Z'))
			abort();
}

static void ask(const struct psl *l, const char *name)
{
	static const size_t sizes[] = {256, 12, 1};
	char out[256];

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int rc = psl_org_domain(l, name, out, sizes[i]);

		check_answer(name, out, sizes[i], rc);
	}
}

/* The line at data[0..len) as a name, its rule, and names below it. */
static void ask_derived(const struct psl *l, const char *line, size_t len)
{
	char name[300];
	const char *rule;

	if (len > 250)
		len = 250;
	memcpy(name, line, len);
	name[len] = '\0';
	ask(l, name);
	rule = name;
	if (rule[0] == '!')
		rule++;
	else if (rule[0] == '*' && rule[1] == '.')
		rule += 2;
	ask(l, rule);
	memmove(name + 4, rule, strlen(rule) + 1);
	memcpy(name, "a.b.", 4);
	ask(l, name + 2);
	ask(l, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct psl *l = psl_parse(buf, size);
	size_t pos = 0;
	int lines = 0;

	if (l == NULL)
		return 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		ask(l, fixed[i]);
	while (pos < size && lines++ < DERIVED_MAX) {
		size_t end = pos;

		while (end < size && buf[end] != '\n' && buf[end] != '\0' && buf[end] != ' ')
			end++;
		ask_derived(l, buf + pos, end - pos);
		pos = end + 1;
	}
	psl_free(&l);
	if (l != NULL)
		abort();
	return 0;
}
