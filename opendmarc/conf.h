/*
 * NAME
 *	config - the daemon's option table, parser and dumper
 * SYNOPSIS
 *	struct config *c = config_new();
 *	if (config_load(c, path, err, sizeof err) != 0) ...
 *	if (config_parse(c, "name", text, len, err, sizeof err) != 0) ...
 *	config_set(c, "Socket", "inet:8893@localhost", err, sizeof err);
 *	config_dump(c, stdout);
 *	config_free(&c);
 * DESCRIPTION
 *	Every option is defined once, in config_options[] (name, type,
 *	default, help), which drives parsing, defaults, the "-n" dump and
 *	the man-page check (config_list_names()).  File syntax is
 *	OpenDMARC's: "Name value" per line, '#' starts a comment (at the
 *	start of a line or after white space), names are case-insensitive,
 *	booleans go by the first letter of the value (t, y, 1 true; f, n, 0
 *	false).  A later setting of the same name replaces an earlier one.
 *	config_load() reads a file and hands its text to config_parse(),
 *	which does no I/O; "where" names the text in messages.  A line
 *	holds at most CONFIG_LINE_MAX bytes.
 *	config_parse_rate() reads a rate "n/t", t in seconds or with a
 *	suffix s, m, h or d (e.g. "10/1h"): 0, or -1 for other text.
 * DIAGNOSTICS
 *	config_load() and config_set() return 0, or -1 with a message in err
 *	("file:line: unknown option \"Foo\"" and the like).
 */
#ifndef CONFIG_H_DAEMON
#define CONFIG_H_DAEMON
#include <stddef.h>
#include <stdio.h>

/* CONFIG_RATE: a string checked with config_parse_rate() ("n/t[smhd]") */
enum config_type { CONFIG_BOOL, CONFIG_INT, CONFIG_STRING, CONFIG_OCTAL, CONFIG_ENUM, CONFIG_RATE };

enum dmarc_mode { MODE_RFC7489, MODE_RFC9989 };

#define CONFIG_LINE_MAX 4094

struct config {
	/* strings: NULL when unset; all owned by the config */
	char *authservid;
	char *autorestart_rate;
	char *basedir;
	char *chroot_dir;
	char *copy_failures_to;
	char *domain_whitelist;
	char *domain_whitelist_file;
	char *failure_reports_bcc;
	char *failure_reports_rate;
	char *failure_reports_sent_by;
	char *history_file;
	char *ignore_hosts;
	char *ignore_mail_from;
	char *pid_file;
	char *public_suffix_list;
	char *report_command;
	char *socket;
	char *syslog_facility;
	char *test_dns_data;
	char *trusted_authserv_ids;
	char *userid;
	char *reject_text;
	/* booleans */
	int authservid_with_jobid;
	int autorestart;
	int background;
	int enable_coredumps;
	int failure_reports;
	int failure_reports_on_none;
	int hold_quarantined;
	int ignore_authenticated;
	int record_all;
	int reject_failures;
	int reject_multi_from;
	int required_headers;
	int software_header;
	int spf_ignore_results;
	int spf_self_validate;
	int dkim_self_validate;
	int syslog;
	/* numbers */
	long autorestart_count;
	long dns_timeout;
	long domain_whitelist_size;
	long milter_debug;
	long umask; /* -1: unset */
	long mode;  /* enum dmarc_mode */
};

struct config_option {
	const char *name;
	enum config_type type;
	const char *def;  /* default as it would be written in the file; NULL: unset */
	size_t offset;    /* into struct config */
	long min, max;    /* CONFIG_INT range */
	const char *const *choices; /* CONFIG_ENUM words, NULL-terminated */
	const char *help; /* one line */
};

extern const struct config_option config_options[];
extern const size_t config_noptions;

struct config *config_new(void);
void config_free(struct config **cp);
int config_set(struct config *c, const char *name, const char *value, char *err, size_t errlen);
int config_load(struct config *c, const char *path, char *err, size_t errlen);
int config_parse(struct config *c, const char *where, const char *text, size_t len, char *err,
		 size_t errlen);
int config_parse_bool(const char *value, int *out);
int config_parse_rate(const char *text, long *n, long *seconds);
void config_dump(const struct config *c, FILE *out);
const struct config_option *config_find(const char *name);

#endif
