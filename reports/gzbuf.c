/*
 * NAME
 *	gzbuf - in-memory gzip
 * DESCRIPTION
 *	Contract in gzbuf.h.  deflate with windowBits 15 + 16 writes the
 *	gzip wrapper; deflateSetHeader() adds the name and time.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "gzbuf.h"

#define GZ_CHUNK 65536

/* Run zlib over the input until it reports the end. */
static int pump(z_stream *z, int deflating, struct strbuf *out)
{
	int rc;

	do {
		strbuf_reserve(out, GZ_CHUNK);
		z->next_out = (Bytef *)out->s + out->len;
		z->avail_out = GZ_CHUNK;
		rc = deflating ? deflate(z, Z_FINISH) : inflate(z, Z_NO_FLUSH);
		out->len += GZ_CHUNK - z->avail_out;
		out->s[out->len] = '\0';
		if (rc == Z_BUF_ERROR && z->avail_out != 0)
			return -1; /* truncated input */
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return -1;
	} while (rc != Z_STREAM_END);
	return 0;
}

int gzbuf_compress(const void *in, size_t len, const char *name, time_t mtime, struct strbuf *out)
{
	char fname[1024];
	gz_header h;
	z_stream z;
	int rc;

	memset(&z, 0, sizeof z);
	memset(&h, 0, sizeof h);
	snprintf(fname, sizeof fname, "%s", name != NULL ? name : "");
	h.name = (Bytef *)fname;
	h.time = (uLong)mtime;
	h.os = 3; /* Unix */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	rc = deflateSetHeader(&z, &h) == Z_OK ? pump(&z, 1, out) : -1;
	deflateEnd(&z);
	return rc;
}

int gzbuf_decompress(const void *in, size_t len, struct strbuf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	rc = pump(&z, 0, out);
	inflateEnd(&z);
	return rc;
}
