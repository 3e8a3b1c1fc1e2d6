/*
 * NAME
 *	history - the OpenDMARC 1.4.2 history record: one definition, a
 *	writer and a bounded reader
 * SYNOPSIS
 *	n = history_format(&rec, buf, sizeof buf);         (daemon)
 *	st = history_parse(text, len, &rec, &used, &why);  (opendmarc-import)
 *	history_init(&rec);
 * DESCRIPTION
 *	A history record is a block of "key value" lines.  The writer emits
 *	the keys in OpenDMARC's order:
 *	job reporter received ipaddr from mfrom dkim* spf pdomain policy
 *	rua+ pct adkim aspf p sp align_dkim align_spf arc arc_policy action
 *	("dkim <domain> <selector> <result>" once per signature, "rua -"
 *	when there is none), then our extension keys, after all of
 *	OpenDMARC's:
 *	  fo <n>	the record's fo= as a bitmap of DMARC_RECORD_FO_*
 *			(1 "0", 2 "1", 4 "d", 8 "s"), 0..15
 *	  np <n>	np= coded like p and sp (110 n, 113 q, 114 r;
 *			0 when the record has no np=)
 *	  testing <n>	t=: 1 for t=y, 0 otherwise
 *	  discovery <w>	how the record was found: psl (RFC 7489) or
 *			treewalk (RFC 9989) - the RFC 9990 discovery_method
 *			words - or none (no record)
 *	An extension field at HISTORY_UNKNOWN is not written; a record
 *	without the key (older writers, OpenDMARC) reads as HISTORY_UNKNOWN,
 *	and so does an unrecognised discovery word.  OpenDMARC's own
 *	importer stores such records unchanged, warning "unknown key" on
 *	stderr once per extension line.  There is no blank line or other
 *	terminator: a record ends where the next "job" line starts, or at
 *	the end of the text.
 *	The reader accepts the keys in any order (Exim writes "action"
 *	before "arc"), the pre-1.4 form "dkim <domain> <result>", blank
 *	lines and "#" comment lines between or inside records, and skips
 *	unknown lowercase keys, so files from newer writers still load.
 *	The field table in history.c drives both directions.
 *
 *	history_format() writes values so that no header byte can start a
 *	new line or key: CR, LF, NUL, other controls and (except in the
 *	free-text arc_policy) spaces become '?'.  A value longer than the
 *	reader's bound for it (the width of its database column) makes the
 *	call fail rather than write a record the reader would refuse.
 *
 *	history_parse() reads one record starting at text, stops before the
 *	next "job" line, and never reads past len; it does not need a NUL.
 *	Numbers are decimal with range checks; strings are bounded by the
 *	database columns they end up in (job 128, names 255, ipaddr 63).
 *	Signatures and rua URIs beyond HISTORY_DKIM_MAX/HISTORY_RUA_MAX are
 *	counted in ndkim_dropped/nrua_dropped and otherwise ignored.
 * DIAGNOSTICS
 *	history_format() returns the length written (NUL excluded), or -1
 *	when buf is too small or a value is over its bound.
 *	history_parse() sets *used to the bytes the record (or the garbage
 *	it skipped) spans, and returns HISTORY_OK, HISTORY_END (nothing but
 *	blank and comment lines left; *used covers them), HISTORY_TORN (the
 *	text ended inside the record: before "action" or in the middle of a
 *	line before it; a record is complete once "action" is there, and an
 *	unfinished line after it is left for the next call), or HISTORY_BAD with *why set to a static reason (malformed
 *	line or value, missing or repeated key, text not starting with
 *	"job", or a record cut short by the next "job" line).
 */
#ifndef HISTORY_H
#define HISTORY_H
#include <stddef.h>
#include <sys/types.h>

#define HISTORY_NAME_MAX 256
#define HISTORY_DKIM_MAX 16
#define HISTORY_RUA_MAX 16
#define HISTORY_URI_MAX 512
#define HISTORY_ARC_MAX 1024

/* Result codes as OpenDMARC writes them (ARES_RESULT_* in opendmarc-ar.h). */
#define HISTORY_ARES_UNDEFINED (-1)
#define HISTORY_ARES_PASS 0
#define HISTORY_ARES_TEMPERROR 4
#define HISTORY_ARES_PERMERROR 5
#define HISTORY_ARES_NONE 6
#define HISTORY_ARES_FAIL 7

/* An extension field the record does not carry. */
#define HISTORY_UNKNOWN (-1)

/* "discovery" words; the values are libopendmarc's DMARC_DISCOVERY_*. */
#define HISTORY_DISCOVERY_NONE 0
#define HISTORY_DISCOVERY_PSL 2
#define HISTORY_DISCOVERY_TREEWALK 3

struct history_dkim {
	char domain[HISTORY_NAME_MAX];
	char selector[HISTORY_NAME_MAX]; /* "" when not written ("-") */
	int result; /* ARES_RESULT_* code as OpenDMARC writes it */
};

struct history_record {
	char job[HISTORY_NAME_MAX];
	char reporter[HISTORY_NAME_MAX];
	long long received; /* time_t, 1 .. 2^31-1 (MySQL TIMESTAMP) */
	char ipaddr[64];
	char from[HISTORY_NAME_MAX];
	char mfrom[HISTORY_NAME_MAX];
	size_t ndkim, ndkim_dropped;
	struct history_dkim dkim[HISTORY_DKIM_MAX];
	int spf; /* ARES_RESULT_*; -1 (undefined) when no SPF result */
	char pdomain[HISTORY_NAME_MAX];
	int policy;
	size_t nrua, nrua_dropped;
	char rua[HISTORY_RUA_MAX][HISTORY_URI_MAX];
	int pct, adkim, aspf, p, sp;
	int align_dkim, align_spf;
	int arc; /* ARES_RESULT_*; -1: no "arc" line (pre-1.4 writers) */
	char arc_policy[HISTORY_ARC_MAX]; /* "<n> json:[...]"; "" if absent */
	int action;
	/* extensions, written after "action"; HISTORY_UNKNOWN when absent */
	int fo;	       /* DMARC_RECORD_FO_* bits, 0..15 */
	int np;	       /* 'n', 'q', 'r', or 0 when the record has no np= */
	int testing;   /* 1 t=y, 0 t=n */
	int discovery; /* HISTORY_DISCOVERY_* */
};

enum history_status { HISTORY_OK, HISTORY_END, HISTORY_TORN, HISTORY_BAD };

void history_init(struct history_record *rec);
ssize_t history_format(const struct history_record *rec, char *buf, size_t buflen);
enum history_status history_parse(const char *text, size_t len, struct history_record *rec,
				  size_t *used, const char **why);

#endif
