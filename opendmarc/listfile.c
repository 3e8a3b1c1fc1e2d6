/*
 * listfile - read a file of list entries.  See listfile.h.
 */
#include "listfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char separators[] = ", \t\r\n";

/* each entry of one line (comment already cut off) through fn */
static int line_entries(char *line, listfile_entry_fn *fn, void *arg, char *why, size_t whylen)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(line, separators, &save); tok != NULL;
	     tok = strtok_r(NULL, separators, &save))
		if (fn(arg, tok, why, whylen) != 0)
			return -1;
	return 0;
}

int listfile_load(const char *path, listfile_entry_fn *fn, void *arg, char *err, size_t errlen)
{
	char *line = NULL, why[256];
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		lineno++;
		line[strcspn(line, "#")] = '\0';
		why[0] = '\0';
		if (line_entries(line, fn, arg, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%lu: %s", path, lineno, why);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}
