/*
 * NAME
 *	cmdline - Getopt::Long-compatible option parsing
 * DESCRIPTION
 *	Contract in cmdline.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static const struct cmdopt *lookup(const struct cmdopt *opts, const char *name, size_t n)
{
	for (; opts->name != NULL; opts++)
		if (strlen(opts->name) == n && strncmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

/* One option word at argv[*i]; may take argv[*i + 1] as its value. */
static int one_option(int argc, char **argv, int *i, const struct cmdopt *opts, cmdline_fn fn,
		      void *ctx, char *err, size_t errlen)
{
	const char *word = argv[*i] + (argv[*i][1] == '-' ? 2 : 1);
	const char *eq = strchr(word, '=');
	size_t n = eq != NULL ? (size_t)(eq - word) : strlen(word);
	const struct cmdopt *o = lookup(opts, word, n);
	const char *value = eq != NULL ? eq + 1 : NULL;

	if (o == NULL && eq == NULL && strncmp(word, "no", 2) == 0 &&
	    (o = lookup(opts, word + 2, n - 2)) != NULL && !o->has_arg)
		return fn(ctx, o->name, "0", err, errlen);
	if (o == NULL) {
		snprintf(err, errlen, "unknown option: %s", argv[*i]);
		return -1;
	}
	if (o->has_arg && value == NULL) {
		if (*i + 1 >= argc) {
			snprintf(err, errlen, "option %s needs a value", argv[*i]);
			return -1;
		}
		value = argv[++*i];
	} else if (!o->has_arg && value != NULL) {
		snprintf(err, errlen, "option --%s takes no value", o->name);
		return -1;
	}
	return fn(ctx, o->name, value, err, errlen);
}

int cmdline_parse(int argc, char **argv, const struct cmdopt *opts, cmdline_fn fn, void *ctx,
		  char **args, int maxargs, char *err, size_t errlen)
{
	int i, nargs = 0, options = 1;

	for (i = 1; i < argc; i++) {
		int operand = !options || argv[i][0] != '-' || argv[i][1] == '\0';

		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if (!operand) {
			if (one_option(argc, argv, &i, opts, fn, ctx, err, errlen) != 0)
				return -1;
			continue;
		}
		if (nargs >= maxargs) {
			snprintf(err, errlen, "too many arguments");
			return -1;
		}
		args[nargs++] = argv[i];
	}
	return nargs;
}

int cmdline_number(const char *name, const char *v, long min, long max, long *out, char *err,
		   size_t errlen)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < min || n > max) {
		snprintf(err, errlen, "--%s: not a number from %ld to %ld: %s", name, min, max, v);
		return -1;
	}
	*out = n;
	return 0;
}

int cmdline_help_version(const char *prog, int help, int version, void (*usage)(FILE *))
{
	if (help)
		usage(stdout);
	else if (version)
		printf("%s (%s) %s\n", prog, PACKAGE_NAME, PACKAGE_VERSION);
	return help || version;
}
