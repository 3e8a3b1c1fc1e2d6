/*
 * NAME
 *	report_conf - the settings of one opendmarc-reports run
 * DESCRIPTION
 *	Filled by opendmarc-reports.c from the command line, read by
 *	report_gen.c (which reports to build) and report_send.c (how to
 *	deliver them).  Plain data; no functions.
 */
#ifndef REPORT_CONF_H
#define REPORT_CONF_H
#include <stddef.h>
#include <time.h>

#include "report_xml.h"
#include "smtp_curl.h"

#define REPORT_MAX_SKIP 256

struct report_conf {
	time_t now;
	long interval;		/* --interval, seconds */
	int day, utc;		/* --day, --utc */
	int test, keepfiles;	/* --test: build and show, send and record nothing */
	int update;		/* --noupdate clears: lastsent stays */
	int verbose;
	int queue_only, send_only;
	enum report_format format;
	char org[256];		/* --report-org: <org_name> */
	char email[256];	/* --report-email: <email>, From:, MAIL FROM */
	char submitter[256];	/* the domain in file names, Subject, Report-ID */
	const char *extra_contact;
	const char *copy_to;
	const char *outbox_dir;
	const char *force_domain;	/* --domain */
	const char *skip[REPORT_MAX_SKIP]; /* --nodomain */
	size_t nskip;
	long retry_base, retry_max, retry_days;
	int retry_now;
	const char *test_dns;
	struct smtp_conf smtp;
};

#endif
