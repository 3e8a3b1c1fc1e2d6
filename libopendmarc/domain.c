/*
 * NAME
 *	domain - domain name normalisation and label helpers
 * SYNOPSIS
 *	#include "domain.h"
 * DESCRIPTION
 *	domain_normalize() turns what a message or a list gives us into the
 *	one form every other module compares: lower case, A-labels, no
 *	trailing dot.  Names made of ASCII only are handled here byte by byte
 *	and never reach libidn2: that is the common case, and IDNA would
 *	refuse the underscore of names such as "_dmarc.example.com".  Other
 *	names go through idn2_to_ascii_8z() (IDNA2008 with the UTS #46
 *	non-transitional mapping, NFC applied first) and the result is then
 *	checked like an ASCII name.  libidn2 is loaded with dlopen() at the
 *	first such name, so programs that never see one do not map it and its
 *	libunistring (about 220 kB of resident memory); without it installed,
 *	U-label names are refused like any other bad name.
 *	Accepted bytes in a label: letters, digits, '-' and '_'; labels of
 *	1..63 bytes; 253 bytes at most in all.  Hyphens are not policed at
 *	label edges: mail does arrive from such names and DNS serves them.
 *
 *	domain_label_count(), domain_parent() and domain_equal() work on any
 *	string and treat one trailing dot as absent.
 * DIAGNOSTICS
 *	domain_normalize() returns 0, or -1 when the input is not a domain
 *	name, or the result does not fit in outlen bytes (NUL included).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <idn2.h> /* constants only: the library is loaded on demand */
#include <pthread.h>

#include "domain.h"

#define DOMAIN_MAX 253
#define LABEL_MAX 63
#define IDN_INPUT_MAX 1024

static int lower_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int label_byte_ok(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int all_ascii(const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80)
			return 0;
	return 1;
}

/* Lower-case in[0..len) into out and check the host name syntax. */
static int copy_checked(const char *in, size_t len, char *out, size_t outlen)
{
	size_t label = 0;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > DOMAIN_MAX || len >= outlen)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int c = lower_ascii((unsigned char)in[i]);

		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if (!label_byte_ok(c) || ++label > LABEL_MAX) {
			return -1;
		}
		out[i] = (char)c;
	}
	if (label == 0)
		return -1;
	out[len] = '\0';
	return 0;
}

typedef int (*to_ascii_fn)(const char *, char **, int);

static pthread_once_t idn_once = PTHREAD_ONCE_INIT;
static to_ascii_fn idn_to_ascii;

static void idn_load(void)
{
	void *lib = dlopen("libidn2.so.0", RTLD_NOW | RTLD_LOCAL);

	if (lib != NULL)
		*(void **)&idn_to_ascii = dlsym(lib, "idn2_to_ascii_8z");
}

/* U-labels present: let libidn2 map and encode, then check the result. */
static int copy_idna(const char *in, size_t len, char *out, size_t outlen)
{
	char buf[IDN_INPUT_MAX + 1];
	char *ace = NULL;
	int rc;

	if (len > IDN_INPUT_MAX || memchr(in, '\0', len) != NULL)
		return -1;
	memcpy(buf, in, len);
	buf[len] = '\0';
	pthread_once(&idn_once, idn_load);
	if (idn_to_ascii == NULL ||
	    idn_to_ascii(buf, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
		return -1;
	rc = copy_checked(ace, strlen(ace), out, outlen);
	free(ace); /* idn2_free() is free() */
	return rc;
}

int domain_normalize(const char *in, size_t inlen, char *out, size_t outlen)
{
	if (in == NULL || out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (all_ascii(in, inlen))
		return copy_checked(in, inlen, out, outlen);
	return copy_idna(in, inlen, out, outlen);
}

size_t domain_label_count(const char *name)
{
	size_t n = 0;
	int in_label = 0;

	if (name == NULL)
		return 0;
	for (; *name != '\0'; name++) {
		if (*name == '.') {
			in_label = 0;
		} else if (!in_label) {
			in_label = 1;
			n++;
		}
	}
	return n;
}

const char *domain_parent(const char *name)
{
	const char *dot;

	if (name == NULL || (dot = strchr(name, '.')) == NULL)
		return NULL;
	if (dot[1] == '\0')
		return NULL;
	return dot + 1;
}

/* Length without one trailing dot. */
static size_t bare_length(const char *s)
{
	size_t n = strlen(s);

	return (n > 0 && s[n - 1] == '.') ? n - 1 : n;
}

int domain_equal(const char *a, const char *b)
{
	size_t alen, blen;

	if (a == NULL || b == NULL)
		return 0;
	alen = bare_length(a);
	blen = bare_length(b);
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (lower_ascii((unsigned char)a[i]) != lower_ascii((unsigned char)b[i]))
			return 0;
	return 1;
}

void domain_copy(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	if (dstlen == 0)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}
