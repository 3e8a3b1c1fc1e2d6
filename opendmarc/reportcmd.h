/*
 * NAME
 *	reportcmd - run ReportCommand with a message on its standard input
 * SYNOPSIS
 *	if (reportcmd_run("/usr/sbin/sendmail -t", text, len, 30, err, sizeof err) != 0) ...
 *	n = reportcmd_split(command, argv, REPORTCMD_ARGS_MAX, store, sizeof store);
 * DESCRIPTION
 *	No shell is involved anywhere: reportcmd_split() cuts the command at
 *	white space into an argument vector (no quoting, no expansion), the
 *	program is found on PATH when it has no '/', and reportcmd_run()
 *	fork()s and execve()s it with the text written to its standard
 *	input through a socket pair (a reader that goes away never raises
 *	SIGPIPE), standard output and error to /dev/null, and every other
 *	descriptor closed.  The child gets timeout seconds to read the text
 *	and exit; then it is killed.  Safe to call from several threads.
 * DIAGNOSTICS
 *	reportcmd_run() returns 0 when the command read everything and
 *	exited 0, else -1 with err set ("exit status 75", "killed by signal
 *	9", "timed out", "/x: No such file or directory").
 *	reportcmd_split() returns the number of arguments, -1 when there are
 *	none or too many or they do not fit in store.
 */
#ifndef REPORTCMD_H
#define REPORTCMD_H
#include <stddef.h>

#define REPORTCMD_ARGS_MAX 32

int reportcmd_split(const char *command, char **argv, size_t max, char *store, size_t storelen);
int reportcmd_run(const char *command, const char *text, size_t len, int timeout, char *err,
		  size_t errlen);

#endif
