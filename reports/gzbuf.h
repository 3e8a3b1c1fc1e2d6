/*
 * NAME
 *	gzbuf - gzip (RFC 1952) a buffer in memory with zlib
 * SYNOPSIS
 *	if (gzbuf_compress(xml.s, xml.len, "r!d!1!2.xml", mtime, &gz) != 0) ...
 *	if (gzbuf_decompress(gz.s, gz.len, &xml) != 0) ...
 * DESCRIPTION
 *	gzbuf_compress() appends a gzip member to out whose header carries
 *	the original file name and modification time, as gzip(1) writes,
 *	so "gunzip -N" restores the report's name.  gzbuf_decompress()
 *	appends the uncompressed bytes (tests and the outbox listing use it).
 * DIAGNOSTICS
 *	Both return 0, or -1 when zlib fails (corrupt input, out of memory).
 */
#ifndef GZBUF_H
#define GZBUF_H
#include <stddef.h>
#include <time.h>

#include "strbuf.h"

int gzbuf_compress(const void *in, size_t len, const char *name, time_t mtime, struct strbuf *out);
int gzbuf_decompress(const void *in, size_t len, struct strbuf *out);

#endif
