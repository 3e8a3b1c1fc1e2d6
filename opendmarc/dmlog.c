/*
 * dmlog - the daemon's one logging call.  See dmlog.h.
 */
#include "dmlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

static int log_syslog;
static int log_stderr;

int dmlog_facility(const char *name)
{
	static const struct {
		const char *name;
		int code;
	} fac[] = {
		{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
		{ "daemon", LOG_DAEMON }, { "ftp", LOG_FTP }, { "kern", LOG_KERN },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 }, { "lpr", LOG_LPR },
		{ "mail", LOG_MAIL }, { "news", LOG_NEWS }, { "user", LOG_USER },
		{ "uucp", LOG_UUCP },
	};
	size_t i;

	for (i = 0; i < sizeof(fac) / sizeof(fac[0]); i++)
		if (strcasecmp(fac[i].name, name) == 0)
			return fac[i].code;
	return -1;
}

int dmlog_open(int use_syslog, const char *facility, int use_stderr)
{
	int code = dmlog_facility(facility != NULL ? facility : "mail");

	if (code < 0)
		return -1;
	if (use_syslog && !log_syslog)
		openlog("opendmarc", LOG_PID, code);
	else if (!use_syslog && log_syslog)
		closelog();
	log_syslog = use_syslog;
	log_stderr = use_stderr;
	return 0;
}

void dmlog(int prio, const char *fmt, ...)
{
	va_list ap;

	if (log_syslog) {
		va_start(ap, fmt);
		vsyslog(prio, fmt, ap);
		va_end(ap);
	}
	if (log_stderr) {
		va_start(ap, fmt);
		fputs("opendmarc: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
}
