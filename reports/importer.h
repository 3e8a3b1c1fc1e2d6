/*
 * NAME
 *	importer - history files into the database, checkpointed
 * SYNOPSIS
 *	importer_open(db, &opts, &im);
 *	rc = importer_file(im, "/var/spool/opendmarc/history.dat", &stats);
 *	rc = importer_file(im, "-", &stats);	(standard input)
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
 * DIAGNOSTICS
 *	importer_file() returns 0 on success and -1 on failure, with a
 *	message on standard error; the counts in stats are added to.
 */
#ifndef IMPORTER_H
#define IMPORTER_H

#include "sqldb.h"

struct import_opts {
	const char *rejects;
	long batch;
	long torn_grace;
	int verbose;
};

struct import_stats {
	long long added, duplicates, rejected, pending;
};

struct importer;

int importer_open(struct sqldb *db, const struct import_opts *o, struct importer **ip);
int importer_file(struct importer *im, const char *path, struct import_stats *st);
void importer_close(struct importer **ip);

#endif
