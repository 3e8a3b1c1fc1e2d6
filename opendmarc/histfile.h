/*
 * NAME
 *	histfile - append one history record with one write(2)
 * SYNOPSIS
 *	if (histfile_append(fd, &rec) != 0) ...
 *	if (histfile_append_at(path, fallback_fd, &rec) != 0) ...
 * DESCRIPTION
 *	Formats the record with history_format() (reports/history.c, the
 *	one definition of the format) into a buffer, then writes it with a
 *	single write(2) on a descriptor opened O_APPEND, so concurrent
 *	writers (threads, or several daemons sharing a file) never interleave
 *	and a crash never leaves half a record behind a complete one.
 *	histfile_append_at() opens the path for each record, so a rotated
 *	file is followed at once; fallback_fd serves when it cannot be opened.
 * DIAGNOSTICS
 *	Returns 0, or -1 with errno set (EMSGSIZE when the record would not
 *	format, EIO for a short write).
 */
#ifndef HISTFILE_H
#define HISTFILE_H

#include "history.h"

int histfile_append(int fd, const struct history_record *rec);
int histfile_append_at(const char *path, int fallback_fd, const struct history_record *rec);

#endif
