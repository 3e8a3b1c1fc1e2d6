/*
 * config - the daemon's option table, parser and dumper.  See conf.h.
 */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

#define OPT(n, t, d, f, h) { n, t, d, offsetof(struct config, f), 0, 0, NULL, h }
#define OPTN(n, d, f, lo, hi, h) { n, CONFIG_INT, d, offsetof(struct config, f), lo, hi, NULL, h }

static const char *const mode_words[] = { "rfc7489", "rfc9989", NULL };

/* Sorted by name, as the man page lists them. */
const struct config_option config_options[] = {
	OPT("AuthservID", CONFIG_STRING, NULL, authservid,
	    "authserv-id of added Authentication-Results fields (HOSTNAME: gethostname(); unset: the MTA's name)"),
	OPT("AuthservIDWithJobID", CONFIG_BOOL, "false", authservid_with_jobid,
	    "append \"/<job id>\" to the authserv-id"),
	OPT("AutoRestart", CONFIG_BOOL, "false", autorestart,
	    "restart the filter process when it dies"),
	OPTN("AutoRestartCount", "0", autorestart_count, 0, 1000000,
	     "give up after this many restarts (0: no limit)"),
	OPT("AutoRestartRate", CONFIG_RATE, NULL, autorestart_rate,
	    "give up when restarting faster than n/t[smhd]"),
	OPT("Background", CONFIG_BOOL, "true", background,
	    "fork and run in the background"),
	OPT("BaseDirectory", CONFIG_STRING, NULL, basedir,
	    "chdir(2) here before anything else"),
	OPT("ChangeRootDirectory", CONFIG_STRING, NULL, chroot_dir,
	    "chroot(2) here before serving"),
	OPT("CopyFailuresTo", CONFIG_STRING, NULL, copy_failures_to,
	    "add this envelope recipient to messages that fail DMARC"),
	{ "DMARCMode", CONFIG_ENUM, "rfc7489", offsetof(struct config, mode), 0, 0, mode_words,
	  "evaluation rules: rfc7489 (public suffix list) or rfc9989 (DNS tree walk, np, psd, t)" },
	OPT("DKIMSelfValidate", CONFIG_BOOL, "false", dkim_self_validate,
	    "verify DKIM signatures in-process when no trusted result exists (not supported yet)"),
	OPTN("DNSTimeout", "5", dns_timeout, 0, 3600,
	     "DNS timeout per query in seconds"),
	OPT("DomainWhitelist", CONFIG_STRING, NULL, domain_whitelist,
	    "domains whose arc=pass chains override a DMARC failure (comma-separated)"),
	OPT("DomainWhitelistFile", CONFIG_STRING, NULL, domain_whitelist_file,
	    "file of more DomainWhitelist domains, one a line"),
	OPTN("DomainWhitelistSize", "3000", domain_whitelist_size, 1, 10000000,
	     "maximum number of DomainWhitelist entries"),
	OPT("EnableCoredumps", CONFIG_BOOL, "false", enable_coredumps,
	    "ask the kernel for core dumps after a user change"),
	OPT("FailureReports", CONFIG_BOOL, "false", failure_reports,
	    "send RFC 6591 failure reports when requested by ruf="),
	OPT("FailureReportsBcc", CONFIG_STRING, NULL, failure_reports_bcc,
	    "always send failure reports to these addresses too"),
	OPT("FailureReportsOnNone", CONFIG_BOOL, "false", failure_reports_on_none,
	    "also report failures of domains with p=none"),
	OPT("FailureReportsRateLimit", CONFIG_RATE, "10/1h", failure_reports_rate,
	    "at most n failure reports per reported domain in time t (n/t[smhd]; 0/1: no limit)"),
	OPT("FailureReportsSentBy", CONFIG_STRING, NULL, failure_reports_sent_by,
	    "From: address of failure reports (default USER@HOSTNAME)"),
	OPT("HistoryFile", CONFIG_STRING, NULL, history_file,
	    "append aggregate-report history records to this file"),
	OPT("HoldQuarantinedMessages", CONFIG_BOOL, "false", hold_quarantined,
	    "put messages failing with p=quarantine on the MTA's hold queue"),
	OPT("IgnoreAuthenticatedClients", CONFIG_BOOL, "false", ignore_authenticated,
	    "pass mail from SMTP AUTH clients without evaluation"),
	OPT("IgnoreHosts", CONFIG_STRING, NULL, ignore_hosts,
	    "file of hosts, addresses and CIDR blocks not evaluated (default 127.0.0.1 and ::1)"),
	OPT("IgnoreMailFrom", CONFIG_STRING, NULL, ignore_mail_from,
	    "From domains not evaluated (comma-separated)"),
	OPTN("MilterDebug", "0", milter_debug, 0, 6,
	     "milter protocol debug level (6: trace commands)"),
	OPT("PidFile", CONFIG_STRING, NULL, pid_file,
	    "write the process id to this file"),
	OPT("PublicSuffixList", CONFIG_STRING, NULL, public_suffix_list,
	    "public suffix list file for organizational domains (rfc7489 mode)"),
	OPT("RecordAllMessages", CONFIG_BOOL, "false", record_all,
	    "write history records also for domains without a DMARC record"),
	OPT("RejectFailures", CONFIG_BOOL, "false", reject_failures,
	    "reject failures under p=reject, tempfail when evaluation could not complete"),
	OPT("RejectMultiValueFrom", CONFIG_BOOL, "false", reject_multi_from,
	    "reject messages whose From names more than one domain"),
	OPT("RejectText", CONFIG_STRING, "rejected by DMARC policy for", reject_text,
	    "text of the 550 reply, followed by the domain"),
	OPT("ReportCommand", CONFIG_STRING, "/usr/sbin/sendmail -t", report_command,
	    "command (argv, no shell) that delivers failure reports"),
	OPT("RequiredHeaders", CONFIG_BOOL, "false", required_headers,
	    "reject messages violating RFC 5322 header counts or without a From domain"),
	OPT("Socket", CONFIG_STRING, "inet:8893@localhost", socket,
	    "milter socket: local:path, inet:port[@host], inet6:port[@host]"),
	OPT("SoftwareHeader", CONFIG_BOOL, "false", software_header,
	    "add a DMARC-Filter header field"),
	OPT("SPFIgnoreResults", CONFIG_BOOL, "false", spf_ignore_results,
	    "ignore SPF results in the message header"),
	OPT("SPFSelfValidate", CONFIG_BOOL, "false", spf_self_validate,
	    "check SPF in-process when no trusted result exists"),
	OPT("Syslog", CONFIG_BOOL, "false", syslog,
	    "log through syslog(3)"),
	OPT("SyslogFacility", CONFIG_STRING, "mail", syslog_facility,
	    "syslog facility name"),
	OPT("TestDNSData", CONFIG_STRING, NULL, test_dns_data,
	    "file of \"name record\" lines answered instead of DNS (testing)"),
	OPT("TrustedAuthservIDs", CONFIG_STRING, NULL, trusted_authserv_ids,
	    "authserv-ids whose SPF and DKIM results are trusted (comma-separated)"),
	{ "UMask", CONFIG_OCTAL, NULL, offsetof(struct config, umask), 0, 0777, NULL,
	  "file creation mask (octal)" },
	OPT("UserID", CONFIG_STRING, NULL, userid,
	    "user[:group] to become after opening the socket"),
};

const size_t config_noptions = sizeof(config_options) / sizeof(config_options[0]);

const struct config_option *config_find(const char *name)
{
	size_t i;

	for (i = 0; i < config_noptions; i++)
		if (strcasecmp(config_options[i].name, name) == 0)
			return &config_options[i];
	return NULL;
}

int config_parse_bool(const char *value, int *out)
{
	switch (tolower((unsigned char)value[0])) {
	case 't': case 'y': case '1':
		*out = 1;
		return 0;
	case 'f': case 'n': case '0':
		*out = 0;
		return 0;
	default:
		return -1;
	}
}

static int parse_long(const char *value, int base, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, base);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static long parse_number(const char *s, char **end)
{
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, end, 10);
	return errno != 0 || v < 0 || v > INT_MAX ? -1 : v;
}

int config_parse_rate(const char *text, long *n, long *seconds)
{
	static const struct {
		char suffix;
		long factor;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	char *end;
	long count = parse_number(text, &end), t, factor = 1;
	size_t i;

	if (count < 0 || *end != '/')
		return -1;
	t = parse_number(end + 1, &end);
	if (t <= 0)
		return -1;
	if (*end != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0] && units[i].suffix != tolower((unsigned char)*end); i++)
			;
		if (i == sizeof units / sizeof units[0] || end[1] != '\0')
			return -1;
		factor = units[i].factor;
	}
	if (t > LONG_MAX / factor)
		return -1;
	*n = count;
	*seconds = t * factor;
	return 0;
}

static int parse_enum(const struct config_option *o, const char *value, long *out)
{
	long i;

	for (i = 0; o->choices[i] != NULL; i++) {
		if (strcasecmp(o->choices[i], value) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static int store_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
	return 0;
}

static int store(struct config *c, const struct config_option *o, const char *value)
{
	char *base = (char *)c + o->offset;
	long n, secs;

	switch (o->type) {
	case CONFIG_BOOL:
		return config_parse_bool(value, (int *)(void *)base);
	case CONFIG_INT:
		return parse_long(value, 10, o->min, o->max, (long *)(void *)base);
	case CONFIG_OCTAL:
		return parse_long(value, 8, o->min, o->max, (long *)(void *)base);
	case CONFIG_ENUM:
		return parse_enum(o, value, (long *)(void *)base);
	case CONFIG_RATE:
		if (config_parse_rate(value, &n, &secs) != 0)
			return -1;
		return store_string((char **)(void *)base, value);
	case CONFIG_STRING:
		return store_string((char **)(void *)base, value);
	}
	return -1;
}

int config_set(struct config *c, const char *name, const char *value, char *err, size_t errlen)
{
	const struct config_option *o = config_find(name);

	if (o == NULL) {
		snprintf(err, errlen, "unknown option \"%s\"", name);
		return -1;
	}
	if (value == NULL || *value == '\0') {
		snprintf(err, errlen, "%s: missing value", o->name);
		return -1;
	}
	if (store(c, o, value) != 0) {
		snprintf(err, errlen, "%s: bad value \"%s\"", o->name, value);
		return -1;
	}
	return 0;
}

struct config *config_new(void)
{
	struct config *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->umask = -1;
	for (i = 0; i < config_noptions; i++) {
		const struct config_option *o = &config_options[i];

		if (o->def != NULL && store(c, o, o->def) != 0) {
			fprintf(stderr, "config: bad default for %s\n", o->name);
			abort();
		}
	}
	return c;
}

void config_free(struct config **cp)
{
	struct config *c = *cp;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < config_noptions; i++)
		if (config_options[i].type == CONFIG_STRING || config_options[i].type == CONFIG_RATE)
			free(*(char **)(void *)((char *)c + config_options[i].offset));
	free(c);
	*cp = NULL;
}

/* Cuts a line into name and value in place; returns 0 for a blank line. */
static int split_line(char *line, char **name, char **value)
{
	char *p, *e;

	for (p = line; *p != '\0'; p++) {
		if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	e = line + strlen(line);
	while (e > line && isspace((unsigned char)e[-1]))
		*--e = '\0';
	for (p = line; isspace((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return 0;
	*name = p;
	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	while (isspace((unsigned char)*p))
		p++;
	*value = p;
	return 1;
}

int config_parse(struct config *c, const char *where, const char *text, size_t len, char *err,
		 size_t errlen)
{
	char line[CONFIG_LINE_MAX + 1], msg[512];
	char *name, *value;
	unsigned long lineno = 0;
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;

		lineno++;
		if (n > CONFIG_LINE_MAX) {
			snprintf(err, errlen, "%s:%lu: line too long", where, lineno);
			return -1;
		}
		memcpy(line, text + off, n);
		line[n] = '\0';
		off += n + (nl != NULL);
		if (split_line(line, &name, &value) == 0)
			continue;
		if (config_set(c, name, value, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "%s:%lu: %s", where, lineno, msg);
			return -1;
		}
	}
	return 0;
}

/* A configuration file is small; more than this is not one. */
#define CONFIG_FILE_MAX (4UL * 1024 * 1024)

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 8192;
			text = xrealloc(text, cap);
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len <= CONFIG_FILE_MAX);
	if (ferror(f) || len > CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" : "file too large");
		rc = -1;
	} else {
		rc = config_parse(c, path, text, len, err, errlen);
	}
	fclose(f);
	free(text);
	return rc;
}

void config_dump(const struct config *c, FILE *out)
{
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		const struct config_option *o = &config_options[i];
		const char *base = (const char *)c + o->offset;
		const char *s;
		long v;

		switch (o->type) {
		case CONFIG_BOOL:
			fprintf(out, "%s %s\n", o->name, *(const int *)(const void *)base ? "true" : "false");
			break;
		case CONFIG_INT:
			fprintf(out, "%s %ld\n", o->name, *(const long *)(const void *)base);
			break;
		case CONFIG_OCTAL:
			v = *(const long *)(const void *)base;
			if (v < 0)
				fprintf(out, "# %s (unset)\n", o->name);
			else
				fprintf(out, "%s %03lo\n", o->name, (unsigned long)v);
			break;
		case CONFIG_ENUM:
			fprintf(out, "%s %s\n", o->name, o->choices[*(const long *)(const void *)base]);
			break;
		case CONFIG_STRING:
		case CONFIG_RATE:
			s = *(const char *const *)(const void *)base;
			if (s == NULL)
				fprintf(out, "# %s (unset)\n", o->name);
			else
				fprintf(out, "%s %s\n", o->name, s);
			break;
		}
	}
}
