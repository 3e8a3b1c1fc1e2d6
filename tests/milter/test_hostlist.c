/*
 * test_hostlist - IgnoreHosts entries: addresses, CIDR, names, negation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../check.h"
#include "hostlist.h"

/* A list file through listfile.c: comments, separators, a line longer
 * than any fixed buffer, and an error reported as file:line. */
static void check_file(void)
{
	char path[] = "/tmp/test_hostlist.XXXXXX", err[512], want[600];
	struct hostlist *h = hostlist_new();
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int i;

	CHECK(f != NULL, "temp file");
	if (f == NULL)
		return;
	fprintf(f, "# ignore these\n192.0.2.1, 192.0.2.2\trelay.example # the relay\r\n\n");
	for (i = 0; i < 300; i++) /* one line of ~5 kB */
		fprintf(f, "10.%d.0.0/16 ", i % 250);
	fprintf(f, "198.51.100.9\n");
	fclose(f);
	CHECK_INT(hostlist_load(h, path, err, sizeof err), 0, err);
	CHECK_INT(hostlist_match(h, "192.0.2.2", ""), 1, "second entry of a line");
	CHECK_INT(hostlist_match(h, "203.0.113.1", "relay.example"), 1, "name before a comment");
	CHECK_INT(hostlist_match(h, "198.51.100.9", ""), 1, "last entry of a long line");
	CHECK_INT(hostlist_match(h, "203.0.113.1", "the"), 0, "comment words are not entries");
	f = fopen(path, "w");
	if (f != NULL) {
		fprintf(f, "192.0.2.1\n# fine\n10.0.0.0/40\n");
		fclose(f);
	}
	CHECK_INT(hostlist_load(h, path, err, sizeof err), -1, "bad entry in a file");
	snprintf(want, sizeof want, "%s:3: ", path);
	CHECK(strncmp(err, want, strlen(want)) == 0, "error names file:line: %s", err);
	unlink(path);
	CHECK_INT(hostlist_load(h, path, err, sizeof err), -1, "missing file");
	hostlist_free(&h);
}

int main(void)
{
	static const char *const entries[] = { "127.0.0.1", "::1", "192.0.2.0/24", "!192.0.2.77",
					       "[2001:db8::]/32", "relay.example.org",
					       "*.trusted.example" };
	static const struct {
		const char *ip, *host;
		int want;
	} cases[] = {
		{ "127.0.0.1", "", 1 },         { "127.0.0.2", "", 0 },
		{ "::1", "", 1 },               { "::2", "", 0 },
		{ "192.0.2.5", "", 1 },         { "192.0.2.77", "", 0 },
		{ "192.0.3.5", "", 0 },         { "2001:db8:1::5", "", 1 },
		{ "2001:db9::5", "", 0 },       { "::ffff:192.0.2.9", "", 1 },
		{ "198.51.100.1", "RELAY.example.org", 1 },
		{ "198.51.100.1", "relay.example.org.", 1 },
		{ "198.51.100.1", "xrelay.example.org", 0 },
		{ "198.51.100.1", "a.b.trusted.example", 1 },
		{ "198.51.100.1", "trusted.example", 0 },
		{ NULL, NULL, 0 },
	};
	struct hostlist *h = hostlist_new();
	char err[256];
	size_t i;

	for (i = 0; i < sizeof entries / sizeof entries[0]; i++)
		CHECK_INT(hostlist_add(h, entries[i], err, sizeof err), 0, entries[i]);
	CHECK_INT(hostlist_count(h), 7, "count");
	for (i = 0; cases[i].ip != NULL; i++)
		CHECK(hostlist_match(h, cases[i].ip, cases[i].host) == cases[i].want, "%s %s: want %d",
		      cases[i].ip, cases[i].host, cases[i].want);
	CHECK_INT(hostlist_add(h, "10.0.0.0/33", err, sizeof err), -1, "bad prefix");
	CHECK_INT(hostlist_add(h, "10.0.0.0/x", err, sizeof err), -1, "bad prefix text");
	CHECK_INT(hostlist_add(h, "a/b", err, sizeof err), -1, "name with slash");
	CHECK_INT(hostlist_add(h, "!", err, sizeof err), -1, "empty negation");
	hostlist_free(&h);
	CHECK(h == NULL, "free clears");
	check_file();
	return check_done("test_hostlist");
}
