/*
 * NAME
 *	outbox - reports waiting for delivery, and what became of them
 * SYNOPSIS
 *	outbox_open(db, "/var/lib/opendmarc/outbox", &ob, err, sizeof err);
 *	if (outbox_exists(ob, domain_id, begin, end) == 0) {
 *		outbox_add(ob, &rep, gz, gzlen, &id);
 *		outbox_add_delivery(ob, id, "dmarc@example.com", 10485760, 0);
 *	}
 *	outbox_due(ob, now, &list, &n);
 *	outbox_read(ob, list[i].filename, &gz);
 *	outbox_result(ob, list[i].id, DL_SENT, attempts, 0, now, "250 ok");
 *	if (outbox_settle(ob, list[i].report, &delivered) == 1) ...;
 *	outbox_sweep(ob); outbox_list(ob, stdout); outbox_close(&ob);
 * DESCRIPTION
 *	A generated report is a gzip file in the spool directory (written
 *	to a temporary name, synced, renamed, directory synced) plus a row
 *	in report_outbox (policy domain, period, Report-ID, file name), and
 *	one report_delivery row per destination (rcpt, "!size" limit,
 *	whether it is the operator's --copy-to), each with its own state,
 *	attempt count, next attempt time and last error.  (domain,
 *	period) is unique, so a report is generated once per period and a
 *	retry sends the same file, Report-ID and Message-ID.
 *
 *	outbox_due() lists the pending deliveries whose time has come,
 *	oldest report first.  outbox_result() records an attempt.
 *	outbox_settle() closes a report whose deliveries are all final:
 *	"delivered" when some rua destination got the report, the short
 *	"too large" notice, or is suppressed (the caller then moves
 *	lastsent), "undeliverable" otherwise; its spool file is removed.
 *	outbox_sweep() removes spool files that no open report names
 *	(left by a run that died before its transaction committed).
 *
 *	outbox_open() creates the directory (mode 0700) and takes an
 *	exclusive lock on its ".lock" file for the life of the outbox, so
 *	two runs never send the same report at once.
 * DIAGNOSTICS
 *	Functions return 0 (outbox_exists(), outbox_settle(): 1 or 0) or
 *	-1 with the reason from sqldb_error() or errno; outbox_open()
 *	fills err, and says so when another run holds the lock.
 */
#ifndef OUTBOX_H
#define OUTBOX_H
#include <stdio.h>
#include <time.h>

#include "sqldb.h"
#include "strbuf.h"

enum dl_state { DL_PENDING, DL_SENT, DL_NOTICE, DL_FAILED, DL_REFUSED, DL_SUPPRESSED };
enum ob_state { OB_OPEN, OB_DELIVERED, OB_UNDELIVERABLE };

struct ob_report {
	long long domain_id;
	const char *domain;
	long long begin, end; /* end exclusive */
	const char *report_id, *filename;
	int format;
	long long messages;
	time_t queued;
};

struct ob_delivery {
	long long id, report;
	char rcpt[256];
	long long maxbytes;
	int copy, attempts;
	long long domain_id;
	char domain[256];
	long long begin, end;
	char report_id[256];
	char filename[512];
	long long queued;
};

struct outbox;

int outbox_open(struct sqldb *db, const char *dir, struct outbox **obp, char *err, size_t errlen);
int outbox_exists(struct outbox *ob, long long domain_id, long long begin, long long end);
int outbox_add(struct outbox *ob, const struct ob_report *r, const void *gz, size_t gzlen,
	       long long *id);
int outbox_add_delivery(struct outbox *ob, long long report, const char *rcpt,
			long long maxbytes, int copy);
int outbox_due(struct outbox *ob, time_t now, struct ob_delivery **list, size_t *n);
int outbox_read(struct outbox *ob, const char *filename, struct strbuf *gz);
int outbox_result(struct outbox *ob, long long id, enum dl_state state, int attempts,
		  long long next_try, long long now, const char *error);
int outbox_settle(struct outbox *ob, long long report, int *delivered);
int outbox_sweep(struct outbox *ob);
int outbox_list(struct outbox *ob, FILE *out);
const char *outbox_state_name(enum dl_state s);
void outbox_close(struct outbox **obp);

#endif
