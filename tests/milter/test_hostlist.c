/*
 * test_hostlist - IgnoreHosts entries: addresses, CIDR, names, negation.
 */
#include "../check.h"
#include "hostlist.h"

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
	return check_done("test_hostlist");
}
