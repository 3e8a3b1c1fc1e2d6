/*
 * NAME
 *	importer_rotate - opendmarc-import --rotate: take a history file
 *	away from its writers, import it to its end, delete it only then
 * SYNOPSIS
 *	rc = importer_rotate(im, "/var/spool/opendmarc/history.dat", &stats);
 * DESCRIPTION
 *	Contract in importer.h; the user's view is opendmarc-import(8),
 *	ROTATION.  For a history file F:
 *
 *	1. Rotations of F left by earlier runs (F.<UTC stamp>[.<n>], and
 *	   F.OLD.<pid> from OpenDMARC's opendmarc-importstats) are finished
 *	   first, in name order.
 *	2. F is renamed F.<stamp> by link(2) and unlink(2), which never
 *	   replaces a file.  A writer that opens F per record (O_APPEND)
 *	   creates a new F from then on; one that still has F open goes on
 *	   appending to F.<stamp>.
 *	3. F.<stamp> is imported to its end (each batch committed with its
 *	   checkpoint).  Then a read lease is asked for (F_SETLEASE): the
 *	   kernel grants it only while no process has the file open for
 *	   writing, and holds back any later open for writing.  Under the
 *	   lease the size is compared with the committed offset: if equal,
 *	   the file is unlinked and its checkpoint row dropped; if it grew,
 *	   the import goes on from the checkpoint.
 *	4. While a writer has the file open, or a torn record at its end
 *	   may still be completed, the file stays for a later run, imported
 *	   as far as it goes.  Without leases (file systems that lack them,
 *	   a file of another user without CAP_LEASE) a file unchanged for
 *	   the torn-record grace period is taken as closed.
 *
 *	A flock(2) on each rotated file keeps two importers off the same
 *	one; the second skips it.
 * DIAGNOSTICS
 *	importer_rotate() returns 0 when everything found was imported or
 *	kept for later, -1 on an error (message on standard error).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "importer.h"
#include "xalloc.h"

#define ROTATE_ROUNDS 8	  /* import/compare rounds while a file still grows */
#define ROTATE_NAMES 1000 /* F.<stamp>.<n> tried for a free name */

enum retire_status { RETIRE_DONE, RETIRE_GREW, RETIRE_KEPT, RETIRE_ERROR = -1 };

static int fail(const char *path, const char *what)
{
	fprintf(stderr, "opendmarc-import: %s: %s: %s\n", path, what, strerror(errno));
	return -1;
}

/* ---- names --------------------------------------------------------- */

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* "YYYYMMDDTHHMMSSZ" or "YYYYMMDDTHHMMSSZ.<n>" or "OLD.<pid>" */
static int is_rotation_suffix(const char *s)
{
	size_t n = strlen(s);

	if (strncmp(s, "OLD.", 4) == 0)
		return all_digits(s + 4, n - 4);
	if (n < 16 || !all_digits(s, 8) || s[8] != 'T' || !all_digits(s + 9, 6) || s[15] != 'Z')
		return 0;
	return s[16] == '\0' || (s[16] == '.' && all_digits(s + 17, n - 17));
}

static void split_path(const char *path, char *dir, size_t size, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		snprintf(dir, size, ".");
		*base = path;
	} else {
		snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		*base = slash + 1;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Earlier rotations of path, sorted; *n of them in *out (free each and *out). */
static int leftovers(const char *path, char ***out, size_t *n)
{
	char dir[PATH_MAX];
	const char *base;
	size_t blen, cap = 0;
	struct dirent *e;
	DIR *d;

	*out = NULL;
	*n = 0;
	split_path(path, dir, sizeof dir, &base);
	blen = strlen(base);
	if ((d = opendir(dir)) == NULL)
		return fail(dir, "listing rotated files");
	while ((e = readdir(d)) != NULL) {
		char full[PATH_MAX];

		if (strncmp(e->d_name, base, blen) != 0 || e->d_name[blen] != '.' ||
		    !is_rotation_suffix(e->d_name + blen + 1))
			continue;
		if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) >= (int)sizeof full)
			continue;
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
		(*out)[(*n)++] = xstrdup(full);
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, by_name);
	return 0;
}

static void stamp_name(const char *path, int n, char *out, size_t size)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	if (n == 0)
		snprintf(out, size, "%s.%s", path, stamp);
	else
		snprintf(out, size, "%s.%s.%d", path, stamp, n);
}

/* A new name for path without replacing anything: 0, or -1 with errno. */
static int rename_noreplace(const char *path, const char *to)
{
	struct stat st;

	if (link(path, to) == 0)
		return unlink(path);
	if (errno != EPERM && errno != ENOTSUP && errno != EMLINK)
		return -1;
	/* no hard links here: rename, having made sure nothing is replaced */
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(path, to);
}

/*
 * Rename path to path.<stamp>: 1 done (name in rotated), 0 nothing to
 * rotate (missing or empty), -1 error.
 */
static int take_away(const char *path, char *rotated, size_t size)
{
	struct stat st;
	int n;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : fail(path, "stat");
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "opendmarc-import: %s: --rotate needs a regular file "
				"(not a link or device)\n", path);
		return -1;
	}
	if (st.st_size == 0)
		return 0;
	for (n = 0; n < ROTATE_NAMES; n++) {
		stamp_name(path, n, rotated, size);
		if (rename_noreplace(path, rotated) == 0)
			return 1;
		if (errno == ENOENT)
			return 0; /* another importer took it first */
		if (errno != EEXIST)
			return fail(path, "rotating");
	}
	errno = EEXIST;
	return fail(path, "rotating");
}

/* ---- retiring a rotated file --------------------------------------- */

/*
 * 1 when no process has fd's file open for writing: a read lease is now
 * held on fd (*leased), or leases are not available and the file has not
 * changed for grace seconds.  0 when a writer may still have it.
 */
static int no_writer(int fd, long grace, int *leased)
{
	struct stat st;

	*leased = 0;
#ifdef F_SETLEASE
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		*leased = 1;
		return 1;
	}
	if (errno == EAGAIN)
		return 0;
#endif
	if (fstat(fd, &st) != 0)
		return 0;
	return time(NULL) - st.st_mtime >= grace;
}

static void unlease(int fd, int leased)
{
#ifdef F_SETLEASE
	if (leased)
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
#else
	(void)fd;
	(void)leased;
#endif
}

/* Delete the file when all of it is committed and nobody writes it. */
static enum retire_status retire(struct importer *im, const char *rotated, int fd,
				 const struct import_end *end)
{
	struct stat st;
	int leased, rc = RETIRE_DONE;

	if (!no_writer(fd, importer_opts(im)->torn_grace, &leased)) {
		if (importer_opts(im)->verbose)
			fprintf(stderr, "opendmarc-import: %s: still open for writing; kept\n",
				rotated);
		return RETIRE_KEPT;
	}
	if (fstat(fd, &st) != 0)
		rc = fail(rotated, "stat");
	else if (st.st_size > end->offset)
		rc = RETIRE_GREW;
	else if (st.st_size < end->offset) {
		fprintf(stderr, "opendmarc-import: %s: shorter than imported; kept\n", rotated);
		rc = RETIRE_KEPT;
	} else if (unlink(rotated) != 0)
		rc = fail(rotated, "deleting");
	unlease(fd, leased);
	if (rc == RETIRE_DONE) {
		if (importer_opts(im)->verbose)
			fprintf(stderr, "opendmarc-import: %s: imported and deleted\n", rotated);
		/* still linked elsewhere (a run killed mid-rotation): keep its place */
		if (st.st_nlink <= 1 && importer_forget(im, end) != 0)
			rc = RETIRE_ERROR;
	}
	return (enum retire_status)rc;
}

static void add_stats(struct import_stats *to, const struct import_stats *from)
{
	to->added += from->added;
	to->duplicates += from->duplicates;
	to->rejected += from->rejected;
	to->pending += from->pending;
}

/* Import rotated (a rotation of orig) and delete it once complete. */
static int finish_locked(struct importer *im, const char *orig, const char *rotated, int fd,
			 struct import_stats *total)
{
	char rejects[PATH_MAX];
	struct import_end end;
	int round;

	if (importer_opts(im)->rejects != NULL)
		snprintf(rejects, sizeof rejects, "%s", importer_opts(im)->rejects);
	else
		snprintf(rejects, sizeof rejects, "%s.rejected", orig);
	for (round = 0; round < ROTATE_ROUNDS; round++) {
		struct import_stats one = { 0, 0, 0, 0 };
		int rc = importer_run(im, rotated, rejects, &one, &end);

		add_stats(total, &one);
		if (rc != 0)
			return -1;
		if (one.pending > 0) {
			if (importer_opts(im)->verbose)
				fprintf(stderr, "opendmarc-import: %s: torn last record; kept\n",
					rotated);
			return 0;
		}
		rc = retire(im, rotated, fd, &end);
		if (rc != RETIRE_GREW)
			return rc == RETIRE_ERROR ? -1 : 0;
	}
	return 0; /* still growing: a later run goes on from the checkpoint */
}

static int finish(struct importer *im, const char *orig, const char *rotated,
		  struct import_stats *total)
{
	int fd = open(rotated, O_RDONLY | O_CLOEXEC), rc;
	struct sigaction ign, old;

	if (fd < 0)
		return errno == ENOENT ? 0 : fail(rotated, "open");
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		if (errno != EWOULDBLOCK)
			return fail(rotated, "lock");
		if (importer_opts(im)->verbose)
			fprintf(stderr, "opendmarc-import: %s: another importer has it\n", rotated);
		return 0;
	}
	/* a lease break (someone opening it for writing) must not kill us */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGIO, &ign, &old);
	rc = finish_locked(im, orig, rotated, fd, total);
	close(fd);
	sigaction(SIGIO, &old, NULL);
	return rc;
}

int importer_rotate(struct importer *im, const char *path, struct import_stats *total)
{
	char rotated[PATH_MAX], **old;
	size_t i, n;
	int rc;

	if (strcmp(path, "-") == 0) {
		fprintf(stderr, "opendmarc-import: --rotate needs files, not standard input\n");
		return -1;
	}
	rc = leftovers(path, &old, &n);
	for (i = 0; i < n; i++) {
		if (finish(im, path, old[i], total) != 0)
			rc = -1;
		free(old[i]);
	}
	free(old);
	switch (take_away(path, rotated, sizeof rotated)) {
	case 1:
		if (importer_opts(im)->verbose)
			fprintf(stderr, "opendmarc-import: %s: rotated to %s\n", path, rotated);
		return finish(im, path, rotated, total) != 0 ? -1 : rc;
	case 0:
		return rc;
	default:
		return -1;
	}
}
