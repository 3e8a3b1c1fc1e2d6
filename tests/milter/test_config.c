/*
 * test_config - the option table, file syntax and error reporting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "../check.h"
#include "conf.h"

static const char *write_file(const char *text)
{
	static char path[] = "/tmp/test_config.XXXXXX";
	int fd;

	snprintf(path, sizeof path, "/tmp/test_config.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static void test_defaults(void)
{
	struct config *c = config_new();

	CHECK_STR(c->socket, "inet:8893@localhost", "Socket default");
	CHECK_INT(c->background, 1, "Background default");
	CHECK_INT(c->dns_timeout, 5, "DNSTimeout default");
	CHECK_INT(c->domain_whitelist_size, 3000, "DomainWhitelistSize default");
	CHECK_STR(c->report_command, "/usr/sbin/sendmail -t", "ReportCommand default");
	CHECK_STR(c->syslog_facility, "mail", "SyslogFacility default");
	CHECK_INT(c->mode, MODE_RFC7489, "DMARCMode default");
	CHECK_INT(c->umask, -1, "UMask unset");
	CHECK(c->authservid == NULL, "AuthservID unset");
	config_free(&c);
	CHECK(c == NULL, "config_free clears");
}

static void test_file(void)
{
	struct config *c = config_new();
	char err[512] = "";
	const char *path = write_file(
		"# comment\n"
		"\n"
		"  rejectfailures   Yes   # trailing comment\n"
		"BACKGROUND no\n"
		"AuthservID mx.example.org\n"
		"DNSTimeout 12\n"
		"UMask 027\n"
		"DMARCMode RFC9989\n"
		"ReportCommand /usr/sbin/sendmail -t -i\n"
		"SoftwareHeader 1\n"
		"Syslog t\n"
		"HoldQuarantinedMessages F\n");

	CHECK_INT(config_load(c, path, err, sizeof err), 0, err);
	CHECK_INT(c->reject_failures, 1, "RejectFailures Yes");
	CHECK_INT(c->background, 0, "Background no");
	CHECK_STR(c->authservid, "mx.example.org", "AuthservID");
	CHECK_INT(c->dns_timeout, 12, "DNSTimeout");
	CHECK_INT(c->umask, 027, "UMask octal");
	CHECK_INT(c->mode, MODE_RFC9989, "DMARCMode");
	CHECK_STR(c->report_command, "/usr/sbin/sendmail -t -i", "value with spaces");
	CHECK_INT(c->software_header, 1, "bool 1");
	CHECK_INT(c->syslog, 1, "bool t");
	CHECK_INT(c->hold_quarantined, 0, "bool F");
	unlink(path);
	config_free(&c);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Background no\nNoSuchOption 1\n", ":2: unknown option \"NoSuchOption\"" },
		{ "RejectFailures maybe\n", ":1: RejectFailures: bad value \"maybe\"" },
		{ "DNSTimeout -1\n", ":1: DNSTimeout: bad value \"-1\"" },
		{ "DNSTimeout 5x\n", ":1: DNSTimeout: bad value \"5x\"" },
		{ "DMARCMode rfc1234\n", ":1: DMARCMode: bad value \"rfc1234\"" },
		{ "UMask 999\n", ":1: UMask: bad value \"999\"" },
		{ "\n\nSocket\n", ":3: Socket: missing value" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config *c = config_new();
		char err[512] = "";
		const char *path = write_file(cases[i].text);

		CHECK_INT(config_load(c, path, err, sizeof err), -1, cases[i].text);
		CHECK(strstr(err, cases[i].want) != NULL && strncmp(err, path, strlen(path)) == 0,
		      "error \"%s\" lacks \"%s\"", err, cases[i].want);
		unlink(path);
		config_free(&c);
	}
}

static void test_table(void)
{
	size_t i, j;

	for (i = 0; i < config_noptions; i++) {
		CHECK(config_options[i].help != NULL && config_options[i].help[0] != '\0',
		      "%s has help", config_options[i].name);
		for (j = i + 1; j < config_noptions; j++)
			CHECK(strcasecmp(config_options[i].name, config_options[j].name) != 0,
			      "%s defined twice", config_options[i].name);
	}
	CHECK(config_find("sOcKeT") != NULL, "case-insensitive lookup");
	CHECK(config_find("Sockets") == NULL, "no prefix match");
}

int main(void)
{
	test_defaults();
	test_file();
	test_errors();
	test_table();
	return check_done("test_config");
}
