/*
 * NAME
 *	frsend - send the failure reports an evaluated message calls for
 * SYNOPSIS
 *	struct frsend_msg m = { cfg, hostname, jobid, authservid, ip, mailfrom,
 *				msg, &auth, outs, nouts, &verdict, time(NULL) };
 *	frsend_all(&m);
 * DESCRIPTION
 *	With FailureReports on, for each From domain whose record's fo=
 *	asked for a report (query_domain(), failrep_wanted()): unless the
 *	policy in effect is none and FailureReportsOnNone is off, or the
 *	message is itself a feedback report (no report loops), the report
 *	(failrep_compose()) goes to the ruf= addresses that passed the
 *	external destination check and whose "!size" it fits, and to
 *	FailureReportsBcc; From is FailureReportsSentBy or <user>@<host>.
 *	FailureReportsRateLimit bounds the reports per reported domain.
 *	Each report is handed to ReportCommand (reportcmd_run(): argv, no
 *	shell, the report on standard input).
 * DIAGNOSTICS
 *	Everything is logged ("<jobid>: sent failure report for <domain> to
 *	<addresses>", or why not); nothing changes the message's fate.
 */
#ifndef FRSEND_H
#define FRSEND_H
#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "message.h"

#define FRSEND_TIMEOUT 30 /* seconds ReportCommand gets per report */

struct frsend_msg {
	const struct config *cfg;
	const char *hostname;
	const char *jobid;
	const char *authservid;
	const char *ip;
	const char *mailfrom;
	const struct message *msg;
	const struct auth_results *auth;
	const struct domain_outcome *outs;
	size_t nouts;
	const struct verdict *verdict;
	time_t arrival;
};

void frsend_all(const struct frsend_msg *m);

#endif
