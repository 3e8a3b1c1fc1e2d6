/*
 * NAME
 *	importer - history files into the database, checkpointed
 * SYNOPSIS
 *	importer_open(db, &opts, &im);
 *	rc = importer_file(im, "/var/spool/opendmarc/history.dat", &stats);
 *	rc = importer_file(im, "-", &stats);	(standard input)
 *	rc = importer_rotate(im, "/var/spool/opendmarc/history.dat", &stats);
 *	importer_close(&im);
 * DESCRIPTION
 *	Reads a history file from where the last run stopped (its
 *	checkpoint) and stores its records in transactions of opts.batch
 *	records.  Each transaction also moves the file's checkpoint, so a
 *	crash, kill -9 or lost connection at any point leaves the database
 *	with whole transactions only and the next run resumes exactly after
 *	the last one: nothing is lost and nothing imported twice (the unique
 *	key of messages guards the rest, e.g. standard input, which has no
 *	checkpoint).
 *
 *	A malformed record, or a torn one (cut off at the end of the file)
 *	older than opts.torn_grace seconds, is appended verbatim to the
 *	reject file after a "# rejected ..." comment line giving the reason,
 *	file and byte offset; the reject file is flushed to disk before the
 *	transaction that skips the record commits, and can be fixed and
 *	imported like any history file.  A torn tail younger than that is
 *	left for a later run, as its writer may still be finishing it.  The
 *	reject file is opts.rejects, or "<file>.rejected" next to each
 *	input ("opendmarc-import.rejected" for standard input).
 *
 *	importer_rotate() is --rotate (importer_rotate.c): it finishes the
 *	file's earlier rotations still on disk, renames the file away from
 *	its writers, imports it to its end and deletes it only when every
 *	byte of it is committed and no writer still has it open.  Rejects
 *	go to "<file>.rejected" under the original name.
 *
 *	importer_run() is importer_file() for importer_rotate.c: it takes
 *	the reject file to use and tells, in end, the byte offset up to
 *	which the file is now accounted for (its length when it was read
 *	to the end; less while a torn tail waits) and the file's checkpoint
 *	identity, which importer_forget() deletes once the file is gone;
 *	importer_opts() gives the options the importer was opened with.
 * DIAGNOSTICS
 *	importer_file() returns 0 on success and -1 on failure, with a
 *	message on standard error; the counts in stats are added to.
 */
#ifndef IMPORTER_H
#define IMPORTER_H

#include "checkpoint.h"
#include "sqldb.h"

struct import_opts {
	const char *rejects;
	long batch;
	long torn_grace;
	int verbose;
};

/* The options opendmarc-import and opendmarc-importstats share, for
 * their cmdopt tables and usage texts; import_opts_init() sets their
 * defaults, import_opts_set() takes one of them: 0, -1 with err set for
 * a bad value, 1 when name is not one. */
#define IMPORT_DEFAULT_BATCH 5000
#define IMPORT_DEFAULT_TORN_GRACE 60
#define IMPORT_CMDOPTS { "batch", 1 }, { "torn-grace", 1 }, { "verbose", 0 }
#define IMPORT_USAGE                                                            \
	"\t--batch=N            records per transaction [5000]\n"               \
	"\t--torn-grace=SECS    wait this long for a torn last record [60]\n"   \
	"\t--verbose            progress on standard error\n"

void import_opts_init(struct import_opts *o);
int import_opts_set(struct import_opts *o, const char *name, const char *value, char *err,
		    size_t errlen);

struct import_stats {
	long long added, duplicates, rejected, pending;
};

struct import_end {
	long long offset;
	int have_id;
	struct ckpt_id id;
};

struct importer;

int importer_open(struct sqldb *db, const struct import_opts *o, struct importer **ip);
int importer_file(struct importer *im, const char *path, struct import_stats *st);
int importer_rotate(struct importer *im, const char *path, struct import_stats *st);
void importer_close(struct importer **ip);

int importer_run(struct importer *im, const char *path, const char *rejects,
		 struct import_stats *st, struct import_end *end);
int importer_forget(struct importer *im, const struct import_end *end);
const struct import_opts *importer_opts(const struct importer *im);

#endif
