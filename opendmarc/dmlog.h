/*
 * NAME
 *	dmlog - the daemon's one logging call
 * SYNOPSIS
 *	dmlog_open(use_syslog, "mail", use_stderr);
 *	dmlog(LOG_INFO, "%s: %s %s", jobid, domain, result);
 * DESCRIPTION
 *	Messages go to syslog(3) with ident "opendmarc" when syslog is on,
 *	and to standard error (prefixed "opendmarc: ") when asked, e.g. in
 *	the foreground with -v or in -t test mode.  dmlog_facility() maps a
 *	syslog.conf(5) facility name to its code.
 * DIAGNOSTICS
 *	dmlog_open() returns -1 for an unknown facility name.
 */
#ifndef DMLOG_H
#define DMLOG_H
#include <syslog.h>

int dmlog_open(int use_syslog, const char *facility, int use_stderr);
int dmlog_facility(const char *name);
void dmlog(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
