/*
 * NAME
 *	importer - the checkpointed import loop of opendmarc-import
 * DESCRIPTION
 *	Contract in importer.h.  A file is mapped read-only as it is when
 *	opened (records appended later wait for the next run); standard
 *	input is read whole.  run_batch() is one transaction: up to batch
 *	records stored or rejected, the checkpoint moved, the reject file
 *	synced, COMMIT.  importer_run() also tells how far the file is now
 *	accounted for, which importer_rotate.c needs before it deletes one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "history.h"
#include "cmdline.h"
#include "importer.h"
#include "store.h"
#include "xalloc.h"

#define HEAD_HASH_MAX 65536 /* bytes of the first record that identify a file */

struct importer {
	struct sqldb *db;
	struct store *store;
	struct checkpoint *ckpt;
	struct import_opts opts;
	struct history_record rec;
};

struct source {
	const char *path;	/* as given; "-" for standard input */
	const char *text;
	size_t len;
	int is_stdin;
	struct stat st;
	void *map;
	char *heap;
	FILE *rejects;
	char rejects_path[4096];
};

/* Where one run over a source stands. */
struct cursor {
	struct ckpt_id id;
	struct ckpt_pos pos;
	int have_id;
	int done;
};

int importer_open(struct sqldb *db, const struct import_opts *o, struct importer **ip)
{
	struct importer *im = xcalloc(1, sizeof *im);

	im->db = db;
	im->opts = *o;
	if (im->opts.batch <= 0)
		im->opts.batch = IMPORT_DEFAULT_BATCH;
	*ip = im;
	if (store_open(db, &im->store) != 0 || checkpoint_open(db, &im->ckpt) != 0) {
		fprintf(stderr, "opendmarc-import: preparing statements: %s\n", sqldb_error(db));
		importer_close(ip);
		return -1;
	}
	return 0;
}

void importer_close(struct importer **ip)
{
	if (*ip == NULL)
		return;
	store_close(&(*ip)->store);
	checkpoint_close(&(*ip)->ckpt);
	free(*ip);
	*ip = NULL;
}

/* ---- sources ------------------------------------------------------- */

static int read_all(int fd, struct source *src)
{
	size_t cap = 65536;
	ssize_t n;

	src->heap = xcalloc(1, cap);
	for (;;) {
		if (src->len == cap)
			src->heap = xrealloc(src->heap, cap *= 2);
		n = read(fd, src->heap + src->len, cap - src->len);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		src->len += (size_t)n;
	}
	src->text = src->heap;
	return 0;
}

static int map_file(int fd, struct source *src)
{
	if (fstat(fd, &src->st) != 0)
		return -1;
	if (!S_ISREG(src->st.st_mode))
		return read_all(fd, src);
	src->len = (size_t)src->st.st_size;
	if (src->len == 0) {
		src->text = "";
		return 0;
	}
	src->map = mmap(NULL, src->len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (src->map == MAP_FAILED) {
		src->map = NULL;
		return -1;
	}
	src->text = src->map;
	return 0;
}

static int source_open(struct source *src, const char *path, const char *rejects)
{
	int fd, rc;

	memset(src, 0, sizeof *src);
	src->path = path;
	src->is_stdin = strcmp(path, "-") == 0;
	if (rejects != NULL)
		snprintf(src->rejects_path, sizeof src->rejects_path, "%s", rejects);
	else
		snprintf(src->rejects_path, sizeof src->rejects_path, "%s.rejected",
			 src->is_stdin ? "opendmarc-import" : path);
	if (src->is_stdin)
		return read_all(STDIN_FILENO, src);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = map_file(fd, src);
	close(fd);
	return rc;
}

static void source_close(struct source *src)
{
	if (src->map != NULL)
		munmap(src->map, src->len);
	free(src->heap);
	if (src->rejects != NULL)
		fclose(src->rejects);
	memset(src, 0, sizeof *src);
}

/* ---- rejects ------------------------------------------------------- */

static int reject(struct source *src, size_t off, size_t n, const char *why)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (src->rejects == NULL && (src->rejects = fopen(src->rejects_path, "a")) == NULL) {
		fprintf(stderr, "opendmarc-import: %s: %s\n", src->rejects_path, strerror(errno));
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(src->rejects, "# rejected %s: %s (%s, byte %zu)\n", when, why,
		src->is_stdin ? "standard input" : src->path, off);
	fwrite(src->text + off, 1, n, src->rejects);
	if (n > 0 && src->text[off + n - 1] != '\n')
		fputc('\n', src->rejects);
	return ferror(src->rejects) ? -1 : 0;
}

static int rejects_sync(struct source *src)
{
	if (src->rejects == NULL)
		return 0;
	if (fflush(src->rejects) != 0 || fsync(fileno(src->rejects)) != 0) {
		fprintf(stderr, "opendmarc-import: %s: %s\n", src->rejects_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the loop ------------------------------------------------------ */

static int torn_is_final(const struct importer *im, const struct source *src)
{
	return src->is_stdin || !S_ISREG(src->st.st_mode) ||
	       time(NULL) - src->st.st_mtime >= im->opts.torn_grace;
}

/*
 * One record at cur->pos.offset: stored, skipped as a duplicate, or
 * rejected.  Returns 0 to go on, 1 when the source is done, -1 on error.
 */
static int one_record(struct importer *im, struct source *src, struct cursor *cur,
		      struct import_stats *st)
{
	size_t off = (size_t)cur->pos.offset, used = 0;
	const char *why = NULL;
	int rc;

	enum history_status hs = history_parse(src->text + off, src->len - off, &im->rec, &used, &why);

	if (hs == HISTORY_END) {
		cur->pos.offset += (long long)used;
		return 1;
	}
	if (hs == HISTORY_TORN && !torn_is_final(im, src)) {
		st->pending += (long long)used;
		return 1;
	}
	if (hs == HISTORY_OK) {
		rc = store_record(im->store, &im->rec);
		if (rc < 0)
			return -1;
		st->added += rc;
		st->duplicates += !rc;
		cur->pos.records += rc;
	} else {
		if (reject(src, off, used, why != NULL ? why : "malformed record") != 0)
			return -1;
		st->rejected++;
		cur->pos.rejects++;
	}
	cur->pos.offset += (long long)used;
	return cur->pos.offset >= (long long)src->len;
}

static int fail_db(struct importer *im, const struct source *src, const char *what)
{
	fprintf(stderr, "opendmarc-import: %s: %s: %s\n", src->path, what, sqldb_error(im->db));
	return -1;
}

/* One transaction; cur->done is set at the end of the source. */
static int run_batch(struct importer *im, struct source *src, struct cursor *cur,
		     struct import_stats *st)
{
	struct ckpt_pos before = cur->pos;
	struct import_stats was = *st;
	long n;
	int rc = 0;

	if (sqldb_begin(im->db) != 0)
		return fail_db(im, src, "begin");
	for (n = 0; n < im->opts.batch && rc == 0; n++)
		rc = one_record(im, src, cur, st);
	if (rc >= 0 && cur->have_id && checkpoint_put(im->ckpt, &cur->id, src->path, &cur->pos) != 0)
		rc = -1;
	if (rc >= 0 && rejects_sync(src) == 0 && sqldb_commit(im->db) == 0) {
		cur->done = rc == 1;
		return 0;
	}
	fail_db(im, src, "import");
	sqldb_rollback(im->db);
	store_forget(im->store);
	cur->pos = before;
	*st = was;
	return -1;
}

/* Identify the file and find its checkpoint: 0, or 1 when it holds nothing. */
static int locate(struct importer *im, struct source *src, struct cursor *cur)
{
	size_t used = 0;
	const char *why;

	memset(cur, 0, sizeof *cur);
	if (src->is_stdin || !S_ISREG(src->st.st_mode))
		return 0;
	if (history_parse(src->text, src->len, &im->rec, &used, &why) == HISTORY_END)
		return 1;
	cur->have_id = 1;
	cur->id.dev = (long long)src->st.st_dev;
	cur->id.ino = (long long)src->st.st_ino;
	cur->id.head = checkpoint_hash(src->text, used < HEAD_HASH_MAX ? used : HEAD_HASH_MAX);
	if (checkpoint_get(im->ckpt, &cur->id, &cur->pos) < 0)
		return fail_db(im, src, "reading checkpoint");
	if (cur->pos.offset > (long long)src->len) {
		fprintf(stderr, "opendmarc-import: %s: shorter than its checkpoint; reading it all\n",
			src->path);
		cur->pos.offset = 0;
	}
	if (im->opts.verbose && cur->pos.offset > 0)
		fprintf(stderr, "opendmarc-import: %s: resuming at byte %lld\n", src->path,
			cur->pos.offset);
	return 0;
}

static void report(const struct importer *im, const struct source *src,
		   const struct import_stats *st)
{
	if (st->rejected > 0)
		fprintf(stderr, "opendmarc-import: %s: %lld record(s) rejected, see %s\n", src->path,
			st->rejected, src->rejects_path);
	if (im->opts.verbose)
		fprintf(stderr,
			"opendmarc-import: %s: %lld added, %lld already present, %lld rejected,"
			" %lld byte(s) pending\n",
			src->path, st->added, st->duplicates, st->rejected, st->pending);
}

/* Where the run left the source: imported up to end->offset, and its identity. */
static void note_end(const struct source *src, const struct cursor *cur, int empty,
		     struct import_end *end)
{
	memset(end, 0, sizeof *end);
	end->offset = empty ? (long long)src->len : cur->pos.offset;
	end->have_id = cur->have_id;
	end->id = cur->id;
}

int importer_run(struct importer *im, const char *path, const char *rejects,
		 struct import_stats *total, struct import_end *end)
{
	struct import_stats st = { 0, 0, 0, 0 };
	struct source src;
	struct cursor cur;
	int rc, empty;

	memset(end, 0, sizeof *end);
	if (source_open(&src, path, rejects) != 0) {
		fprintf(stderr, "opendmarc-import: %s: %s\n", path, strerror(errno));
		source_close(&src);
		return -1;
	}
	rc = locate(im, &src, &cur);
	empty = rc == 1;
	cur.done = rc != 0 || cur.pos.offset >= (long long)src.len;
	rc = rc < 0 ? -1 : 0;
	while (rc == 0 && !cur.done)
		rc = run_batch(im, &src, &cur, &st);
	report(im, &src, &st);
	note_end(&src, &cur, empty, end);
	total->added += st.added;
	total->duplicates += st.duplicates;
	total->rejected += st.rejected;
	total->pending += st.pending;
	source_close(&src);
	return rc;
}

int importer_file(struct importer *im, const char *path, struct import_stats *total)
{
	struct import_end end;

	return importer_run(im, path, im->opts.rejects, total, &end);
}

int importer_forget(struct importer *im, const struct import_end *end)
{
	if (!end->have_id)
		return 0;
	if (checkpoint_forget(im->ckpt, &end->id) != 0) {
		fprintf(stderr, "opendmarc-import: forgetting a checkpoint: %s\n",
			sqldb_error(im->db));
		return -1;
	}
	return 0;
}

const struct import_opts *importer_opts(const struct importer *im)
{
	return &im->opts;
}

void import_opts_init(struct import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->batch = IMPORT_DEFAULT_BATCH;
	o->torn_grace = IMPORT_DEFAULT_TORN_GRACE;
}

int import_opts_set(struct import_opts *o, const char *name, const char *value, char *err,
		    size_t errlen)
{
	if (strcmp(name, "batch") == 0)
		return cmdline_number(name, value, 1, 1000000, &o->batch, err, errlen);
	if (strcmp(name, "torn-grace") == 0)
		return cmdline_number(name, value, 0, 86400, &o->torn_grace, err, errlen);
	if (strcmp(name, "verbose") == 0) {
		o->verbose = value == NULL || strcmp(value, "0") != 0;
		return 0;
	}
	return 1;
}
