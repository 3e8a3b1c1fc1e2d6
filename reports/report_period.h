/*
 * NAME
 *	report_period - which period a run reports on
 * SYNOPSIS
 *	period_compute(now, interval, day, utc, &p);
 *	n = period_format(t, buf, sizeof buf);
 * DESCRIPTION
 *	With day set (--day) the period is OpenDMARC's: from midnight of
 *	the day holding now - interval up to midnight today, in local time
 *	or, with utc, in UTC.  Otherwise the period is the last whole
 *	interval before now, counted from the epoch (UTC): with the default
 *	86400 that is yesterday in UTC, with 3600 the last full hour.
 *	Unlike OpenDMARC's "now - interval up to now", periods do not
 *	depend on when the job runs, so running twice reports nothing twice
 *	and a report that has to be retried keeps its period.
 *	p.begin is the first second of the period and p.end the first one
 *	after it.  period_format() writes "YYYY-MM-DD HH:MM:SS UTC".
 * DIAGNOSTICS
 *	period_compute() returns -1 for an interval below 1, a time the C
 *	library cannot convert, or (--day with an interval shorter than
 *	the time since midnight) an empty period.
 */
#ifndef REPORT_PERIOD_H
#define REPORT_PERIOD_H
#include <stddef.h>
#include <time.h>

struct period {
	long long begin, end;
};

int period_compute(time_t now, long interval, int day, int utc, struct period *p);
size_t period_format(long long t, char *buf, size_t size);

#endif
