/*
 * histfile - append one history record with one write(2).  See histfile.h.
 */
#include "histfile.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "xalloc.h"

#define HISTFILE_BUF (64 * 1024)

int histfile_append(int fd, const struct history_record *rec)
{
	char *buf = xcalloc(1, HISTFILE_BUF);
	ssize_t n = history_format(rec, buf, HISTFILE_BUF), w;

	if (n < 0) {
		free(buf);
		errno = EMSGSIZE;
		return -1;
	}
	do
		w = write(fd, buf, (size_t)n);
	while (w < 0 && errno == EINTR);
	free(buf);
	if (w < 0)
		return -1;
	if (w != n) {
		errno = EIO;
		return -1;
	}
	return 0;
}
