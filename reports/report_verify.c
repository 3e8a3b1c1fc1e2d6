/*
 * NAME
 *	report_verify - external report destinations (RFC 7489 7.1)
 * DESCRIPTION
 *	Contract in report_verify.h.  A thin use of libopendmarc: one
 *	policy context per check, the From: domain set to the policy
 *	domain, then opendmarc_policy_query_dmarc_xdomain().
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <netinet/in.h>

#include "dmarc.h"
#include "report_verify.h"

static OPENDMARC_LIB_T lib;

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_fakes(const char *path, char *err, size_t errlen)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *name, *value;

		line[strcspn(line, "#\r\n")] = '\0';
		name = trim(line);
		if (*name == '\0')
			continue;
		value = name + strcspn(name, " \t");
		if (*value != '\0')
			*value++ = '\0';
		opendmarc_dns_fake_record(name, trim(value));
	}
	fclose(f);
	return 0;
}

int verify_init(const char *test_dns_file, char *err, size_t errlen)
{
	memset(&lib, 0, sizeof lib);
	lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA; /* the library's default list */
	if (opendmarc_policy_library_init(&lib) != DMARC_PARSE_OKAY) {
		lib.tld_type = OPENDMARC_TLD_TYPE_NONE;
		opendmarc_policy_library_init(&lib);
	}
	return test_dns_file != NULL ? load_fakes(test_dns_file, err, errlen) : 0;
}

/* Is a the domain b or one of its subdomains? */
static int within(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la >= lb && strcasecmp(a + la - lb, b) == 0 && (la == lb || a[la - lb - 1] == '.');
}

enum verify_result verify_destination(const char *policy_domain, const char *rcpt)
{
	const char *at = strrchr(rcpt, '@');
	DMARC_POLICY_T *ctx;
	OPENDMARC_STATUS_T st;
	char uri[600];

	if (at != NULL && within(at + 1, policy_domain))
		return VERIFY_OK; /* the policy domain's own: no record needed */
	ctx = opendmarc_policy_connect_init((u_char *)"127.0.0.1", DMARC_POLICY_IP_TYPE_IPV4);
	if (ctx == NULL)
		return VERIFY_TEMPFAIL;
	snprintf(uri, sizeof uri, "mailto:%s", rcpt);
	st = opendmarc_policy_store_from_domain(ctx, (u_char *)policy_domain);
	if (st == DMARC_PARSE_OKAY)
		st = opendmarc_policy_query_dmarc_xdomain(ctx, (u_char *)uri);
	opendmarc_policy_connect_shutdown(ctx);
	if (st == DMARC_PARSE_OKAY)
		return VERIFY_OK;
	return st == DMARC_DNS_ERROR_TMPERR ? VERIFY_TEMPFAIL : VERIFY_REFUSED;
}

void verify_shutdown(void)
{
	opendmarc_policy_library_shutdown(&lib);
}
