/*
 * NAME
 *	testmode - "opendmarc -t file": one message through the filter
 * SYNOPSIS
 *	status = testmode_run(path, verbose);
 * DESCRIPTION
 *	Reads the header of an RFC 5322 message file (LF or CRLF, folded
 *	fields unfolded as the MTA would send them), takes the envelope
 *	sender from Return-Path when present, runs session_eom() with a
 *	client address of 127.0.0.1 and job id "TEST" (IgnoreHosts does not
 *	apply), and prints each action on standard output, one a line:
 *	"delete <field> <index>", "insert <index> <field>: <value>",
 *	"reply <code> <esc> <text>", "quarantine <reason>",
 *	"addrcpt <address>", then "result accept|reject|tempfail".
 * DIAGNOSTICS
 *	Returns 0 after a run, 1 when the file cannot be read.
 */
#ifndef TESTMODE_H
#define TESTMODE_H

int testmode_run(const char *path, int verbose);

#endif
