/*
 * NAME
 *	runtime - the configuration in force, and its atomic replacement
 * SYNOPSIS
 *	struct runtime *rt;
 *	if (runtime_build(cfg, &rt, err, sizeof err) != 0) ...
 *	runtime_install(rt);                    (start-up, reload)
 *	rt = runtime_acquire(); ... runtime_release(rt);   (per connection)
 * DESCRIPTION
 *	A runtime owns a config and everything derived from it: the
 *	IgnoreHosts list, the authserv-id and trusted list with HOSTNAME
 *	expanded, the IgnoreMailFrom list and the HistoryFile descriptor
 *	(opened O_APPEND).  runtime_build() does all the work that can fail;
 *	runtime_install() swaps the pointer under a mutex, so a reload never
 *	disturbs a connection that holds the old one: each connection
 *	acquires a reference at connect and releases it at close, and the
 *	last release frees a replaced runtime.
 * DIAGNOSTICS
 *	runtime_build() returns 0, or -1 with err set (nothing allocated).
 */
#ifndef RUNTIME_H
#define RUNTIME_H
#include <stddef.h>

#include "conf.h"
#include "hostlist.h"

struct runtime {
	struct config *cfg;
	struct hostlist *ignore;
	char hostname[256];
	char *authservid; /* NULL: the MTA's name ({j}), else hostname */
	char *trusted;    /* TrustedAuthservIDs, HOSTNAME expanded */
	int history_fd;   /* -1 when no HistoryFile */
	int refs;
};

int runtime_build(struct config *cfg, struct runtime **out, char *err, size_t errlen);
void runtime_install(struct runtime *rt);
struct runtime *runtime_acquire(void);
void runtime_release(struct runtime *rt);
void runtime_shutdown(void);
int runtime_load_dnsdata(const char *path, char *err, size_t errlen);

#endif
