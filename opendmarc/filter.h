/*
 * NAME
 *	filter - the milter handlers
 * SYNOPSIS
 *	milterd_run(&filter_handlers);
 * DESCRIPTION
 *	Each handler is a thin adapter: connect takes a reference on the
 *	runtime in force and applies IgnoreHosts, envfrom applies
 *	IgnoreAuthenticatedClients and starts a message, header stores the
 *	field, eom hands the message to session_eom() with the mctx_* output
 *	operations and maps its action to an MS_* code, close drops the
 *	reference.  wants_body() tells milterd whether to ask the MTA for
 *	the body (DKIMSelfValidate needs it for session_body()).
 *
 *	Each evaluation runs between runtime_eval_enter() and
 *	runtime_eval_leave(), so a reload never changes library settings
 *	under it; after runtime_eval_close() a message is temp-failed.
 *	Open connections are counted from connect to close (an ignored
 *	host's too): filter_drain() waits until none is left or the time is
 *	up and returns how many are still open; filter_connections() tells
 *	the count now.  After filter_refuse_new() every new connection is
 *	temp-failed at connect and not counted.
 */
#ifndef FILTER_H
#define FILTER_H

#include "milterd.h"

extern const struct milter_handlers filter_handlers;

void filter_refuse_new(void);
long filter_drain(int seconds);
long filter_connections(void);

#endif
