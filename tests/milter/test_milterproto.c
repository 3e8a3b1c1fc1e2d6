/*
 * test_milterproto - the milter protocol's framing: mp_next, mp_strings,
 * mp_optneg, mp_connect, mp_macro and mp_put.  Every input is copied into
 * a buffer of exactly its size, so a read past its end is a sanitizer
 * report and not a silent pass.
 */
#include <stdlib.h>

#include "../check.h"
#include "milterproto.h"

/* a bytes literal and its length without the literal's own NUL */
#define B(s) s, sizeof(s) - 1

static unsigned char *dup(const void *p, size_t n)
{
	unsigned char *d = malloc(n > 0 ? n : 1);

	if (d == NULL) {
		perror("malloc");
		exit(2);
	}
	if (n > 0)
		memcpy(d, p, n);
	return d;
}

static void set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void test_next(void)
{
	static const struct {
		const char *ctx, *buf;
		size_t len;
		long want;
		char cmd;
		const char *data;
		size_t dlen;
	} cases[] = {
		{ "empty", B(""), 0, 0, NULL, 0 },
		{ "1 byte", B("\0"), 0, 0, NULL, 0 },
		{ "3 bytes", B("\0\0\0"), 0, 0, NULL, 0 },
		{ "length 0", B("\0\0\0\0"), -1, 0, NULL, 0 },
		{ "length 0 with cmd", B("\0\0\0\0Q"), -1, 0, NULL, 0 },
		{ "length ffffffff", B("\xff\xff\xff\xff"), -1, 0, NULL, 0 },
		{ "length 80000000", B("\x80\0\0\0O"), -1, 0, NULL, 0 },
		{ "length 1, no cmd yet", B("\0\0\0\x01"), 0, 0, NULL, 0 },
		{ "incomplete data", B("\0\0\0\x05Oab"), 0, 0, NULL, 0 },
		{ "one byte short", B("\0\0\0\x04Hab"), 0, 0, NULL, 0 },
		{ "no data", B("\0\0\0\x01N"), 5, 'N', "", 0 },
		{ "exact", B("\0\0\0\x04Habc"), 8, 'H', "abc", 3 },
		{ "with NULs", B("\0\0\0\x04L\0x\0"), 8, 'L', "\0x\0", 3 },
		{ "trailing byte", B("\0\0\0\x04Habcd"), 8, 'H', "abc", 3 },
		{ "length 256", B("\0\0\x01\0B"), 0, 0, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *buf = dup(cases[i].buf, cases[i].len);
		struct mp_packet p = { 0, NULL, 0 };
		long got = mp_next(buf, cases[i].len, &p);

		CHECK_INT(got, cases[i].want, cases[i].ctx);
		if (got > 0) {
			CHECK(p.cmd == cases[i].cmd, "%s: cmd %c, want %c", cases[i].ctx, p.cmd,
			      cases[i].cmd);
			CHECK(p.data == (const char *)buf + MP_HEADER_LEN, "%s: data pointer",
			      cases[i].ctx);
			CHECK_INT(p.len, cases[i].dlen, cases[i].ctx);
			CHECK(p.len == cases[i].dlen &&
				      memcmp(p.data, cases[i].data, cases[i].dlen) == 0,
			      "%s: data bytes", cases[i].ctx);
		}
		free(buf);
	}
}

static void test_next_stream(void)
{
	static const char stream[] = "\0\0\0\x03" "Dxy"
				     "\0\0\0\x01Q";
	unsigned char *buf = dup(stream, sizeof stream - 1);
	size_t len = sizeof stream - 1, off = 0;
	struct mp_packet p;
	long got;

	got = mp_next(buf, len, &p);
	CHECK_INT(got, 7, "stream: first");
	CHECK(got == 7 && p.cmd == 'D' && p.len == 2 && memcmp(p.data, "xy", 2) == 0,
	      "stream: first packet is D \"xy\"");
	off += got > 0 ? (size_t)got : 0;
	got = mp_next(buf + off, len - off, &p);
	CHECK_INT(got, 5, "stream: second");
	CHECK(got == 5 && p.cmd == 'Q' && p.len == 0 && p.data == (const char *)buf + 12,
	      "stream: second packet is Q at offset 7");
	off += got > 0 ? (size_t)got : 0;
	CHECK_INT(off, len, "stream: all consumed");
	CHECK_INT(mp_next(buf + off, len - off, &p), 0, "stream: end");
	free(buf);
}

static void test_next_limits(void)
{
	size_t whole = MP_HEADER_LEN + MP_MAX_DATA;
	unsigned char *buf = malloc(whole), hdr[4];
	struct mp_packet p = { 0, NULL, 0 };
	long got;

	if (buf == NULL) {
		perror("malloc");
		exit(2);
	}
	memset(buf, 'x', whole);
	set32(buf, (uint32_t)(MP_MAX_DATA + 1));
	buf[4] = 'B';
	got = mp_next(buf, whole, &p);
	CHECK_INT(got, whole, "largest packet, whole");
	CHECK(got > 0 && p.cmd == 'B' && p.len == MP_MAX_DATA, "largest packet: cmd and len");
	CHECK_INT(mp_next(buf, whole - 1, &p), 0, "largest packet, one byte short");
	CHECK_INT(mp_next(buf, 4, &p), 0, "largest packet, header only");
	free(buf);

	set32(hdr, (uint32_t)(MP_MAX_DATA + 2));
	buf = dup(hdr, sizeof hdr);
	CHECK_INT(mp_next(buf, sizeof hdr, &p), -1, "length MP_MAX_DATA+2");
	free(buf);
	set32(hdr, (uint32_t)(MP_MAX_DATA + 1));
	buf = dup(hdr, sizeof hdr);
	CHECK_INT(mp_next(buf, sizeof hdr, &p), 0, "length MP_MAX_DATA+1, header only");
	free(buf);
}

static void test_strings(void)
{
	static const struct {
		const char *ctx, *data;
		size_t len, max, want;
		const char *s[4];
	} cases[] = {
		{ "three and a tail", B("a\0bc\0\0d"), 8, 3, { "a", "bc", "" } },
		{ "max 2", B("a\0bc\0\0d"), 2, 2, { "a", "bc" } },
		{ "max 1", B("a\0bc\0\0d"), 1, 1, { "a" } },
		{ "max 0", B("a\0bc\0"), 0, 0, { NULL } },
		{ "empty data", B(""), 8, 0, { NULL } },
		{ "no NUL", B("abc"), 8, 0, { NULL } },
		{ "two empty", B("\0\0"), 8, 2, { "", "" } },
		{ "one empty", B("\0"), 8, 1, { "" } },
		{ "terminated", B("From\0 a@b\0"), 8, 2, { "From", " a@b" } },
		{ "esmtp args", B("<a@b>\0SIZE=10\0BODY=8BITMIME\0"), 8, 3,
		  { "<a@b>", "SIZE=10", "BODY=8BITMIME" } },
	};
	size_t i, j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *v[9] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "sentinel" };
		char *data = (char *)dup(cases[i].data, cases[i].len);
		size_t got = mp_strings(data, cases[i].len, v, cases[i].max);

		CHECK_INT(got, cases[i].want, cases[i].ctx);
		for (j = 0; j < got && j < cases[i].want; j++) {
			CHECK(v[j] >= data && v[j] < data + cases[i].len, "%s: v[%zu] inside data",
			      cases[i].ctx, j);
			if (v[j] >= data && v[j] < data + cases[i].len)
				CHECK_STR(v[j], cases[i].s[j], cases[i].ctx);
		}
		for (j = got; j < 8; j++)
			CHECK(v[j] == NULL, "%s: v[%zu] written beyond the count", cases[i].ctx, j);
		CHECK_STR(v[8], "sentinel", cases[i].ctx);
		free(data);
	}
}

static void test_optneg(void)
{
	static const char words[] = "\x00\x00\x00\x06"
				    "\x01\x02\x03\x04"
				    "\x80\x1f\xff\xfe"
				    "extra";
	struct mp_packet p;
	uint32_t w[3] = { 0, 0, 0 };
	char *data;

	data = (char *)dup(words, 11);
	p.cmd = 'O', p.data = data, p.len = 11;
	CHECK_INT(mp_optneg(&p, w), -1, "optneg: 11 bytes");
	free(data);
	p.len = 0, p.data = "";
	CHECK_INT(mp_optneg(&p, w), -1, "optneg: no data");

	data = (char *)dup(words, 12);
	p.data = data, p.len = 12;
	CHECK_INT(mp_optneg(&p, w), 0, "optneg: 12 bytes");
	CHECK(w[0] == 6, "optneg: version %lx", (unsigned long)w[0]);
	CHECK(w[1] == 0x01020304UL, "optneg: actions %lx", (unsigned long)w[1]);
	CHECK(w[2] == 0x801ffffeUL, "optneg: steps %lx", (unsigned long)w[2]);
	free(data);

	data = (char *)dup(words, sizeof words - 1);
	p.data = data, p.len = sizeof words - 1;
	w[0] = w[1] = w[2] = 0;
	CHECK_INT(mp_optneg(&p, w), 0, "optneg: longer");
	CHECK(w[0] == 6 && w[1] == 0x01020304UL && w[2] == 0x801ffffeUL, "optneg: longer words");
	free(data);
}

static void test_connect(void)
{
	static const struct {
		const char *ctx, *data;
		size_t len;
		int want;
		const char *host;
		char family;
		unsigned port;
		const char *addr;
	} cases[] = {
		{ "ipv4", B("mail.example.com\0004\x12\x34" "192.0.2.1\0"), 0, "mail.example.com",
		  '4', 0x1234, "192.0.2.1" },
		{ "ipv6, port 25", B("[2001:db8::1]\0006\0\x19" "2001:db8::1\0"), 0,
		  "[2001:db8::1]", '6', 25, "2001:db8::1" },
		{ "high port", B("h\0004\xfe\x01" "10.0.0.1\0"), 0, "h", '4', 0xfe01, "10.0.0.1" },
		{ "unix", B("localhost\0L\0\0/var/run/sock\0"), 0, "localhost", 'L', 0,
		  "/var/run/sock" },
		{ "unknown", B("unknown\0U"), 0, "unknown", 'U', 0, "" },
		{ "empty host", B("\0U"), 0, "", 'U', 0, "" },
		{ "empty addr", B("h\0004\x12\x34\0"), 0, "h", '4', 0x1234, "" },
		{ "no NUL after host", B("mail.example.com"), -1, NULL, 0, 0, NULL },
		{ "no family", B("mail.example.com\0"), -1, NULL, 0, 0, NULL },
		{ "empty", B(""), -1, NULL, 0, 0, NULL },
		{ "truncated port", B("h\0004\x12"), -1, NULL, 0, 0, NULL },
		{ "port, no addr", B("h\0004\x12\x34"), -1, NULL, 0, 0, NULL },
		{ "addr not terminated", B("h\0004\x12\x34" "192.0.2.1"), -1, NULL, 0, 0, NULL },
		{ "port NUL is not addr end", B("h\0006\0\0" "::1"), -1, NULL, 0, 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *data = (char *)dup(cases[i].data, cases[i].len);
		struct mp_packet p = { 'C', data, cases[i].len };
		struct mp_connect c = { NULL, 0, 0, NULL };
		int got = mp_connect(&p, &c);

		CHECK_INT(got, cases[i].want, cases[i].ctx);
		if (got == 0 && cases[i].want == 0) {
			CHECK(c.host == data, "%s: host points at data", cases[i].ctx);
			CHECK_STR(c.host, cases[i].host, cases[i].ctx);
			CHECK(c.family == cases[i].family, "%s: family %c, want %c", cases[i].ctx,
			      c.family, cases[i].family);
			CHECK_INT(c.port, cases[i].port, cases[i].ctx);
			CHECK(c.addr != NULL, "%s: addr set", cases[i].ctx);
			if (c.addr != NULL)
				CHECK_STR(c.addr, cases[i].addr, cases[i].ctx);
		}
		free(data);
	}
}

static void test_macro(void)
{
	static const struct {
		const char *ctx, *data;
		size_t len;
		const char *name, *want;
	} cases[] = {
		{ "j", B("Cj\0mx.example.org\0{daemon_name}\0smtpd\0"), "j", "mx.example.org" },
		{ "second", B("Cj\0mx.example.org\0{daemon_name}\0smtpd\0"), "{daemon_name}",
		  "smtpd" },
		{ "{j} finds j", B("Cj\0mx.example.org\0"), "{j}", "mx.example.org" },
		{ "step byte is not a name", B("Cj\0mx.example.org\0"), "Cj", NULL },
		{ "step byte only", B("M"), "i", NULL },
		{ "empty", B(""), "i", NULL },
		{ "i finds {i}", B("M{i}\0ABC123\0{auth_authen}\0alice\0"), "i", "ABC123" },
		{ "{i} finds i", B("Mi\0Q9\0"), "{i}", "Q9" },
		{ "{i} finds {i}", B("M{i}\0ABC123\0"), "{i}", "ABC123" },
		{ "auth_authen", B("M{i}\0ABC123\0{auth_authen}\0alice\0"), "{auth_authen}",
		  "alice" },
		{ "auth_authen without braces", B("M{auth_authen}\0alice\0"), "auth_authen", NULL },
		{ "auth_author", B("M{auth_authen}\0alice\0"), "{auth_author}", NULL },
		{ "name is not a value", B("Mi\0{i}\0"), "{i}", "{i}" },
		{ "missing", B("Mi\0ABC123\0"), "j", NULL },
		{ "i is not {ix}", B("M{ix}\0v\0"), "i", NULL },
		{ "j is not jx", B("Mjx\0v\0"), "j", NULL },
		{ "prefix is not a name", B("C{daemon_name}\0smtpd\0"), "{daemon", NULL },
		{ "empty value", B("M{auth_authen}\0\0i\0Q1\0"), "{auth_authen}", "" },
		{ "after empty value", B("M{auth_authen}\0\0i\0Q1\0"), "i", "Q1" },
		{ "odd count", B("Mi\0Q1\0j"), "j", NULL },
		{ "odd count, terminated", B("Mi\0Q1\0j\0"), "j", NULL },
		{ "odd count, earlier one", B("Mi\0Q1\0j\0"), "i", "Q1" },
		{ "unterminated value", B("Mi\0Q1\0j\0mx"), "j", NULL },
		{ "unterminated, earlier one", B("Mi\0Q1\0j\0mx"), "i", "Q1" },
		{ "unterminated name", B("M{auth"), "{auth", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *data = (char *)dup(cases[i].data, cases[i].len);
		const char *got = mp_macro(data, cases[i].len, cases[i].name);

		if (cases[i].want == NULL) {
			CHECK(got == NULL, "%s: got \"%s\", want NULL", cases[i].ctx,
			      got != NULL && got >= data && got < data + cases[i].len ? got
										       : "?");
		} else {
			CHECK(got != NULL && got > data && got < data + cases[i].len,
			      "%s: want a pointer into data", cases[i].ctx);
			if (got != NULL && got > data && got < data + cases[i].len)
				CHECK_STR(got, cases[i].want, cases[i].ctx);
		}
		free(data);
	}
}

static void test_put(void)
{
	unsigned char out[64];
	struct mp_packet p;
	size_t got;

	memset(out, 0xaa, sizeof out);
	got = mp_put(out, sizeof out, 'L', "From", 5, " a@b\0", 5);
	CHECK_INT(got, 15, "put: two parts");
	CHECK(memcmp(out, "\0\0\0\x0bL" "From\0 a@b\0", 15) == 0, "put: two parts bytes");
	CHECK(out[15] == 0xaa, "put: wrote past its packet");
	CHECK_INT(mp_next(out, got, &p), 15, "put: reads back");

	memset(out, 0xaa, sizeof out);
	got = mp_put(out, sizeof out, 'a', NULL, 0, NULL, 0);
	CHECK_INT(got, 5, "put: empty parts");
	CHECK(memcmp(out, "\0\0\0\x01" "a", 5) == 0, "put: empty parts bytes");

	memset(out, 0xaa, sizeof out);
	got = mp_put(out, sizeof out, 'y', NULL, 0, "550 5.7.1 no\0", 13);
	CHECK_INT(got, 18, "put: only b");
	CHECK(memcmp(out, "\0\0\0\x0ey" "550 5.7.1 no\0", 18) == 0, "put: only b bytes");

	memset(out, 0xaa, sizeof out);
	got = mp_put(out, sizeof out, 'i', "\0\0\0\x01", 4, NULL, 0);
	CHECK_INT(got, 9, "put: only a");
	CHECK(memcmp(out, "\0\0\0\x05i\0\0\0\x01", 9) == 0, "put: only a bytes");
	CHECK(out[9] == 0xaa, "put: only a wrote past its packet");

	memset(out, 0xaa, sizeof out);
	CHECK_INT(mp_put(out, 8, 'i', "\0\0\0\x01", 4, NULL, 0), 0, "put: one byte short");
	CHECK(out[0] == 0xaa, "put: wrote when it did not fit");
	CHECK_INT(mp_put(out, 4, 'c', NULL, 0, NULL, 0), 0, "put: room 4, empty");
	CHECK_INT(mp_put(out, 0, 'c', NULL, 0, NULL, 0), 0, "put: room 0");
	CHECK_INT(mp_put(out, 5, 'c', NULL, 0, NULL, 0), 5, "put: room exactly 5");
	CHECK_INT(mp_put(out, 9, 'i', "\0\0\0\x01", 4, NULL, 0), 9, "put: room exact");
}

static void test_put_large(void)
{
	size_t n = MP_HEADER_LEN + 300;
	unsigned char *out = malloc(n), a[200], b[100];
	struct mp_packet p = { 0, NULL, 0 };

	if (out == NULL) {
		perror("malloc");
		exit(2);
	}
	memset(a, 'a', sizeof a);
	memset(b, 'b', sizeof b);
	CHECK_INT(mp_put(out, n, 'B', a, sizeof a, b, sizeof b), n, "put: 300 bytes");
	CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0x01 && out[3] == 0x2d,
	      "put: length 301 big-endian");
	CHECK(out[4] == 'B' && out[5] == 'a' && out[204] == 'a' && out[205] == 'b' &&
		      out[n - 1] == 'b',
	      "put: 300 bytes layout");
	CHECK_INT(mp_next(out, n, &p), n, "put: 300 bytes read back");
	CHECK_INT(p.len, 300, "put: 300 bytes len");
	CHECK_INT(mp_put(out, n - 1, 'B', a, sizeof a, b, sizeof b), 0, "put: 300 bytes short");
	free(out);
}

int main(void)
{
	test_next();
	test_next_stream();
	test_next_limits();
	test_strings();
	test_optneg();
	test_connect();
	test_macro();
	test_put();
	test_put_large();
	return check_done("test_milterproto");
}
