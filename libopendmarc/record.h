/*
 * NAME
 *	record - DMARC policy record parser (RFC 7489 6.3/6.4, RFC 9989)
 * SYNOPSIS
 *	status = record_parse(txt, len, &rec);  ...  record_free(&rec);
 * DESCRIPTION
 *	record_is_dmarc() tells whether a TXT string starts with the exact
 *	version tag "v=DMARC1" (discovery discards the others).
 *	record_parse() fills rec with every tag, defaults applied: keywords
 *	matched whole and case-insensitively, unknown tags ignored, a bad
 *	value in any tag but p falls back to that tag's default, pct strict
 *	digits 0..100, rua/ruf URIs validated one by one (bad ones dropped)
 *	with their "!size" suffix decoded to bytes.  A missing or bad p is
 *	treated as p=none when at least one valid rua URI is present
 *	(RFC 7489 6.6.3); otherwise the record is unusable.
 * DIAGNOSTICS
 *	DMARC_PARSE_OKAY, DMARC_PARSE_ERROR_EMPTY, _BAD_VERSION,
 *	_NO_REQUIRED_P, _BAD_VALUE (syntax error in the tag list),
 *	_NO_ALLOC.  rec->warning names the first tag that fell back.
 */
#ifndef RECORD_H
#define RECORD_H
#include <stddef.h>
#include <stdint.h>

#define RECORD_URI_MAX 16

struct record_uri {
	char *uri;          /* as written, without the !size suffix */
	uint64_t max_size;  /* bytes; 0 = no limit */
};

struct record {
	int p;          /* DMARC_RECORD_P_* ; never UNSPECIFIED after OKAY */
	int sp;         /* DMARC_RECORD_P_UNSPECIFIED when absent */
	int np;         /* RFC 9989; DMARC_RECORD_P_UNSPECIFIED when absent */
	int adkim;      /* 'r' (default) or 's' */
	int aspf;       /* 'r' (default) or 's' */
	int pct;        /* 0..100, default 100 */
	int pct_given;  /* pct tag present and valid */
	int fo;         /* DMARC_RECORD_FO_* bitmap, default FO_0 */
	int rf;         /* DMARC_RECORD_RF_* bitmap, default AFRF */
	unsigned long ri; /* seconds, default 86400 */
	int psd;        /* 'y', 'n' or '\0' (RFC 9989) */
	int testing;    /* 1 when t=y (RFC 9989) */
	size_t rua_count, ruf_count;
	struct record_uri rua[RECORD_URI_MAX];
	struct record_uri ruf[RECORD_URI_MAX];
	const char *warning; /* static text, NULL when none */
	/* one block holds every URI string (fewer allocations per record) */
	char *uri_text;
	size_t uri_text_used, uri_text_size;
};

int record_is_dmarc(const char *txt, size_t len);
int record_parse(const char *txt, size_t len, struct record *rec);
void record_free(struct record *rec);

#endif
