/*
 * histfile - append one history record with one write(2).  See histfile.h.
 */
#include "histfile.h"

#include <errno.h>
#include <fcntl.h>
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

/*
 * Opened per record, as OpenDMARC does, so that opendmarc-import --rotate
 * renaming the file takes effect at the next message; the descriptor
 * opened at start-up is used only when the path cannot be opened (say,
 * after a privilege drop), so no record is lost either way.
 */
int histfile_append_at(const char *path, int fallback_fd, const struct history_record *rec)
{
	int fd = path != NULL ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
	int rc, saved;

	if (fd < 0)
		return fallback_fd >= 0 ? histfile_append(fallback_fd, rec) : -1;
	rc = histfile_append(fd, rec);
	saved = errno;
	if (close(fd) != 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}
