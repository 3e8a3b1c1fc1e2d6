/*
 * NAME
 *	opendmarc-check - show the DMARC policy that applies to domains
 * SYNOPSIS
 *	opendmarc-check [-m rfc7489|rfc9989] [-l suffix-list] [-n ns[:port]]
 *	                [-t timeout] domain...
 * DESCRIPTION
 *	For each domain: the record found, the DNS name it was found at and
 *	how (exact name, suffix-list organizational domain, or RFC 9989 tree
 *	walk), the organizational domain, and the policy that would apply to
 *	mail from that domain failing DMARC.  Everything goes through the
 *	public library API, so this is also what a program using the library
 *	sees.
 * DIAGNOSTICS
 *	Exit 0 when every domain was looked up (with or without a record),
 *	1 when a lookup failed temporarily or a record was unusable, 2 on
 *	usage errors.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmarc.h"

struct check_opts {
	OPENDMARC_LIB_T lib;
	int timeout;
};

static void usage(void)
{
	fprintf(stderr, "usage: opendmarc-check [-m rfc7489|rfc9989] [-l suffix-list] "
			"[-n nameserver[:port]] [-t seconds] domain...\n");
	exit(2);
}

/* "192.0.2.1" or "192.0.2.1:5353" into the next nsaddr_list slot. */
static int add_nameserver(OPENDMARC_LIB_T *lib, const char *arg)
{
	char host[64];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	struct sockaddr_in *sin;
	long port = 53;

	if (lib->nscount >= MAXNS || len >= sizeof host)
		return -1;
	memcpy(host, arg, len);
	host[len] = '\0';
	if (colon != NULL) {
		char *end;

		port = strtol(colon + 1, &end, 10);
		if (*end != '\0' || port < 1 || port > 65535)
			return -1;
	}
	sin = &lib->nsaddr_list[lib->nscount];
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	lib->nscount++;
	return 0;
}

static void parse_args(int argc, char **argv, struct check_opts *o)
{
	int c;

	memset(o, 0, sizeof *o);
	o->lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
	while ((c = getopt(argc, argv, "m:l:n:t:")) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "rfc9989") == 0)
				o->lib.tld_type = OPENDMARC_TLD_TYPE_TREEWALK;
			else if (strcmp(optarg, "rfc7489") != 0)
				usage();
			break;
		case 'l':
			if (strlen(optarg) >= sizeof o->lib.tld_source_file)
				usage();
			strcpy((char *)o->lib.tld_source_file, optarg);
			break;
		case 'n':
			if (add_nameserver(&o->lib, optarg) != 0)
				usage();
			break;
		case 't':
			o->timeout = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
}

static const char *method_name(int method)
{
	switch (method) {
	case DMARC_DISCOVERY_EXACT: return "exact name";
	case DMARC_DISCOVERY_PSL: return "organizational domain (public suffix list, RFC 7489)";
	case DMARC_DISCOVERY_TREEWALK: return "DNS tree walk (RFC 9989)";
	case DMARC_DISCOVERY_STORED: return "supplied";
	default: return "none";
	}
}

static const char *policy_name(int status)
{
	switch (status) {
	case DMARC_POLICY_REJECT: return "reject";
	case DMARC_POLICY_QUARANTINE: return "quarantine";
	case DMARC_POLICY_NONE: return "none";
	case DMARC_POLICY_PASS: return "pass";
	default: return "none (no DMARC record)";
	}
}

static const char *tag_name(int used)
{
	switch (used) {
	case DMARC_USED_POLICY_IS_SP: return "sp";
	case DMARC_USED_POLICY_IS_NP: return "np";
	default: return "p";
	}
}

static void print_found(DMARC_POLICY_T *pctx)
{
	u_char buf[4096], name[DMARC_MAXHOSTNAMELEN + 16];
	int method = 0, policy;

	opendmarc_policy_fetch_record(pctx, buf, sizeof buf);
	printf("  record:        %s\n", (char *)buf);
	opendmarc_policy_fetch_discovery(pctx, &method, name, sizeof name);
	printf("  found at:      %s (%s)\n", (char *)name, method_name(method));
	policy = opendmarc_get_policy_to_enforce(pctx);
	printf("  policy:        %s (%s=) for mail failing DMARC\n", policy_name(policy),
	       tag_name(opendmarc_get_policy_token_used(pctx)));
}

static int check_domain(const char *domain)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"0.0.0.0", 4);
	u_char org[DMARC_MAXHOSTNAMELEN];
	int st, rc = 0;

	if (pctx == NULL) {
		fprintf(stderr, "opendmarc-check: out of memory\n");
		return 1;
	}
	printf("%s:\n", domain);
	st = opendmarc_policy_query_dmarc(pctx, (u_char *)domain);
	if (st == DMARC_PARSE_OKAY) {
		print_found(pctx);
	} else {
		printf("  record:        none (%s)\n", opendmarc_policy_status_to_str(st));
		rc = (st == DMARC_DNS_ERROR_NO_RECORD || st == DMARC_DNS_ERROR_NXDOMAIN) ? 0 : 1;
	}
	if (opendmarc_policy_fetch_org_domain(pctx, org, sizeof org) == DMARC_PARSE_OKAY)
		printf("  org domain:    %s\n", (char *)org);
	opendmarc_policy_connect_shutdown(pctx);
	return rc;
}

int main(int argc, char **argv)
{
	struct check_opts o;
	int st, rc = 0;

	parse_args(argc, argv, &o);
	st = opendmarc_policy_library_init(&o.lib);
	if (st != DMARC_PARSE_OKAY) {
		if (st == DMARC_TLD_ERROR_UNKNOWN)
			fprintf(stderr, "opendmarc-check: %s\n", opendmarc_policy_status_to_str(st));
		else
			fprintf(stderr, "opendmarc-check: cannot load the public suffix list: %s\n",
				strerror(st));
		return 1;
	}
	if (o.timeout > 0)
		opendmarc_policy_library_dns_timeout(o.timeout);
	for (; optind < argc; optind++)
		rc |= check_domain(argv[optind]);
	opendmarc_policy_library_shutdown(&o.lib);
	return rc;
}
