/*
 * NAME
 *	cmdline - OpenDMARC-style long options for the report tools
 * SYNOPSIS
 *	static const struct cmdopt opts[] = { { "dbhost", 1 }, { "verbose", 0 }, { NULL, 0 } };
 *	n = cmdline_parse(argc, argv, opts, handle, ctx, args, maxargs, err, sizeof err);
 * DESCRIPTION
 *	Accepts what Perl's Getopt::Long accepted for OpenDMARC's scripts:
 *	"--name=value", "-name=value", "--name value", "-name value" for
 *	options that take a value, "--name"/"-name" (and "--noname" for a
 *	flag) for those that do not.  "--" ends the options; "-" alone and
 *	anything not starting with "-" are operands, returned in args in
 *	order.  handle(ctx, name, value) gets the canonical name and the
 *	value (NULL for a flag; "0" for --noname) and returns 0 to go on.
 * DIAGNOSTICS
 *	Returns the number of operands, or -1 with err set for an unknown
 *	option, a missing or unexpected value, too many operands, or a
 *	handler failure (whose own message is then in err).
 */
#ifndef CMDLINE_H
#define CMDLINE_H
#include <stddef.h>
#include <stdio.h>

struct cmdopt {
	const char *name;
	int has_arg;
};

typedef int (*cmdline_fn)(void *ctx, const char *name, const char *value, char *err,
			  size_t errlen);

/* v as a decimal in [min, max] into *out; -1 with "--name: ..." in err. */
int cmdline_number(const char *name, const char *v, long min, long max, long *out, char *err,
		   size_t errlen);
/* --help: usage(stdout); --version: "prog (PACKAGE) VERSION".  1 when
 * either was asked (the program then exits 0), else 0. */
int cmdline_help_version(const char *prog, int help, int version, void (*usage)(FILE *));
int cmdline_parse(int argc, char **argv, const struct cmdopt *opts, cmdline_fn fn, void *ctx,
		  char **args, int maxargs, char *err, size_t errlen);

#endif
