/*
 * ratelimit - at most N events per key in a time window.  See ratelimit.h.
 */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

struct rl_entry {
	char *key;
	time_t opened;
	long count;
};

struct ratelimit {
	pthread_mutex_t lock;
	long n, seconds;
	size_t nkeys, maxkeys;
	struct rl_entry *keys;
};

struct ratelimit *ratelimit_new(long n, long seconds, size_t maxkeys)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));

	pthread_mutex_init(&rl->lock, NULL);
	rl->n = n;
	rl->seconds = seconds > 0 ? seconds : 1;
	rl->maxkeys = maxkeys > 0 ? maxkeys : 1;
	rl->keys = xcalloc(rl->maxkeys, sizeof(*rl->keys));
	return rl;
}

void ratelimit_free(struct ratelimit **rlp)
{
	struct ratelimit *rl = *rlp;
	size_t i;

	if (rl == NULL)
		return;
	for (i = 0; i < rl->nkeys; i++)
		free(rl->keys[i].key);
	free(rl->keys);
	pthread_mutex_destroy(&rl->lock);
	free(rl);
	*rlp = NULL;
}

/* The entry of key, reusing the oldest one when the table is full. */
static struct rl_entry *entry(struct ratelimit *rl, const char *key, time_t now)
{
	size_t i, oldest = 0;
	struct rl_entry *e;

	for (i = 0; i < rl->nkeys; i++) {
		if (strcasecmp(rl->keys[i].key, key) == 0)
			return &rl->keys[i];
		if (rl->keys[i].opened < rl->keys[oldest].opened)
			oldest = i;
	}
	if (rl->nkeys < rl->maxkeys) {
		e = &rl->keys[rl->nkeys++];
	} else {
		e = &rl->keys[oldest];
		free(e->key);
	}
	e->key = xstrdup(key);
	e->opened = now;
	e->count = 0;
	return e;
}

int ratelimit_allow(struct ratelimit *rl, const char *key, time_t now)
{
	struct rl_entry *e;
	int ok;

	if (rl->n == 0)
		return 1;
	pthread_mutex_lock(&rl->lock);
	e = entry(rl, key, now);
	if (now - e->opened >= rl->seconds || now < e->opened) {
		e->opened = now;
		e->count = 0;
	}
	ok = e->count < rl->n;
	if (ok)
		e->count++;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}
