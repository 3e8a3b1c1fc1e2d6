/*
 * NAME
 *	filter - the libmilter callbacks
 * SYNOPSIS
 *	smfi_register(filter_desc);
 * DESCRIPTION
 *	Each callback is a thin adapter: connect takes a reference on the
 *	runtime in force and applies IgnoreHosts, envfrom applies
 *	IgnoreAuthenticatedClients and starts a message, header stores the
 *	field, eom hands the message to session_eom() with the smfi_* output
 *	operations and maps its action to an SMFIS_* code, close drops the
 *	reference.  The negotiate callback (milter protocol v6) asks the MTA
 *	to skip RCPT, DATA, unknown commands, end of header and the body,
 *	and keeps only the actions we use: add and change header fields,
 *	quarantine, add a recipient.
 */
#ifndef FILTER_H
#define FILTER_H

#include <libmilter/mfapi.h>

extern struct smfiDesc filter_desc;

#endif
