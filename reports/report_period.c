/*
 * NAME
 *	report_period - report periods
 * DESCRIPTION
 *	Contract in report_period.h.  midnight() rounds a time down to the
 *	start of its day with timegm() or mktime() (which handles daylight
 *	saving changes).
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "report_period.h"

static int midnight(time_t t, int utc, long long *out)
{
	struct tm tm;
	time_t m;

	if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL)
		return -1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	m = utc ? timegm(&tm) : mktime(&tm);
	if (m == (time_t)-1)
		return -1;
	*out = (long long)m;
	return 0;
}

int period_compute(time_t now, long interval, int day, int utc, struct period *p)
{
	if (interval < 1)
		return -1;
	if (day) {
		if (midnight(now - interval, utc, &p->begin) != 0 || midnight(now, utc, &p->end) != 0)
			return -1;
		return p->begin < p->end ? 0 : -1;
	}
	p->end = (long long)now - (long long)now % interval;
	p->begin = p->end - interval;
	return 0;
}

size_t period_format(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		buf[0] = '\0';
		return 0;
	}
	return strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}
