/*
 * NAME
 *	ratelimit - at most N events per key in a time window
 * SYNOPSIS
 *	struct ratelimit *rl = ratelimit_new(n, seconds, 4096);
 *	if (ratelimit_allow(rl, "example.com", time(NULL))) send ...
 *	ratelimit_free(&rl);
 * DESCRIPTION
 *	A fixed window per key: the first event of a key opens a window of
 *	the given length, and at most n events are allowed until it closes.
 *	Keys compare case-insensitively.  The table holds at most maxkeys
 *	keys; when it is full, the key whose window opened first is
 *	forgotten.  n == 0 allows everything.  Thread safe.  (The "n/t"
 *	text of the options is read by config_parse_rate(), conf.h.)
 * DIAGNOSTICS
 *	None.
 */
#ifndef RATELIMIT_H
#define RATELIMIT_H
#include <stddef.h>
#include <time.h>

struct ratelimit;

struct ratelimit *ratelimit_new(long n, long seconds, size_t maxkeys);
int ratelimit_allow(struct ratelimit *rl, const char *key, time_t now);
void ratelimit_free(struct ratelimit **rlp);

#endif
