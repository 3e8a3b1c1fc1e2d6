/*
 * NAME
 *	listfile - read a file of list entries (IgnoreHosts, DomainWhitelistFile)
 * SYNOPSIS
 *	int listfile_load(const char *path, listfile_entry_fn *fn, void *arg,
 *		char *err, size_t errlen);
 * DESCRIPTION
 *	Reads path line by line (any length); '#' starts a comment that runs
 *	to the end of the line; entries are separated by commas, spaces, tabs
 *	and line ends.  fn(arg, entry, why, whylen) is called for each entry
 *	in order and returns 0, or -1 with a reason in why.
 * DIAGNOSTICS
 *	Returns 0, or -1 with "path: error" (the file cannot be read) or
 *	"path:line: reason" (an entry fn refused) in err.
 */
#ifndef LISTFILE_H
#define LISTFILE_H

#include <stddef.h>

typedef int listfile_entry_fn(void *arg, const char *entry, char *why, size_t whylen);

int listfile_load(const char *path, listfile_entry_fn *fn, void *arg, char *err, size_t errlen);

#endif
