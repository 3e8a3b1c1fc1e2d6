/*
 * NAME
 *	runtime - the configuration in force, and its atomic replacement
 * SYNOPSIS
 *	struct runtime *rt;
 *	if (runtime_build(cfg, &rt, err, sizeof err) != 0) ...
 *	if (runtime_activate(rt, err, sizeof err) != 0) ...   (start-up, reload)
 *	rt = runtime_acquire(); ... runtime_release(rt);   (per connection)
 *	if (runtime_eval_enter() == 0) { evaluate; runtime_eval_leave(); }
 *	runtime_eval_close();                   (shutdown)
 * DESCRIPTION
 *	A runtime owns a config and everything derived from it: the
 *	IgnoreHosts list, the authserv-id and trusted list with HOSTNAME
 *	expanded, the IgnoreMailFrom list and the HistoryFile descriptor
 *	(opened O_APPEND).  runtime_build() does all the work that can fail
 *	and touches nothing global.  Each connection acquires a reference on
 *	the runtime in force at connect and releases it at close; the last
 *	release frees a replaced runtime, so a reload never disturbs a
 *	connection in progress.
 *
 *	What lives in the library rather than in a runtime is global: the
 *	suffix list and DMARCMode, DNSTimeout, the TestDNSData answers and
 *	the DNS cache.  runtime_activate() re-initialises it from the
 *	runtime's config and then installs the runtime, both while holding
 *	the evaluation lock exclusively, so no evaluation sees one without
 *	the other or sees either change under it.  When the new library
 *	settings do not load, the previous ones are applied again and the
 *	new runtime is freed.  Every evaluation runs between
 *	runtime_eval_enter() and runtime_eval_leave(), a shared hold on that
 *	lock (a waiting reload goes before later evaluations, so it is not
 *	starved).  runtime_eval_close() waits for the evaluations in
 *	progress and makes every later runtime_eval_enter() fail, so the
 *	library can be shut down while connections are still open.
 * DIAGNOSTICS
 *	runtime_build() returns 0, or -1 with err set (nothing allocated).
 *	runtime_activate() returns 0, or -1 with err set (the previous
 *	settings are back in force and rt is freed).
 *	runtime_eval_enter() returns 0, or -1 after runtime_eval_close().
 */
#ifndef RUNTIME_H
#define RUNTIME_H
#include <stddef.h>

#include "conf.h"
#include "domlist.h"
#include "hostlist.h"

struct runtime {
	struct config *cfg;
	struct hostlist *ignore;
	struct domlist *whitelist; /* DomainWhitelist(File), NULL when unset (arc.c) */
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
int runtime_activate(struct runtime *rt, char *err, size_t errlen);
int runtime_eval_enter(void);
void runtime_eval_leave(void);
void runtime_eval_close(void);

#endif
