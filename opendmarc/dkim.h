/*
 * NAME
 *	dkim - DKIM verification (RFC 6376) with libopendkim, for
 *	DKIMSelfValidate
 * SYNOPSIS
 *	if (dkimv_load(err, sizeof err) != 0) ...	(DKIMSelfValidate on)
 *
 *	struct dkimv *v = dkimv_begin(jobid);
 *	dkimv_header(v, name, value);		(each field, in order)
 *	dkimv_body(v, chunk, len);		(each body chunk)
 *	n = dkimv_end(v, results, MESSAGE_DKIM_MAX);
 *	dkimv_free(&v);
 *
 *	ares = dkimv_ares(flags, bodyhash, sigerror, key_tempfail);
 *	n = dkimv_field(name, value, buf, sizeof buf);
 * DESCRIPTION
 *	libopendkim (and the libcrypto and libdb it needs) is not linked in:
 *	dkimv_load() loads libopendkim.so.11 with dlopen() and resolves the
 *	functions used; the configuration calls it when DKIMSelfValidate is
 *	on (at start-up, before chroot() and the privilege drop, and at each
 *	reload), so a daemon without the option maps none of them.  Once
 *	loaded the library stays; dkimv_begin() also loads it on first use.
 *
 *	The prefix is dkimv_ because dkim_ is libopendkim's.  One library
 *	handle serves the whole process (created on first use; libopendkim
 *	handles are thread safe, one DKIM context per message).  Keys are
 *	looked up through libopendmarc's resolver: the same name servers,
 *	DNSTimeout, cache and TestDNSData answers as the DMARC lookups, and
 *	only in dkimv_end() (signature processing is delayed to the end of
 *	the message), so the milter callbacks before it do no DNS.  At
 *	most DKIMV_MAX_SIGS signatures of a message are verified, the others
 *	are ignored; keys shorter than 1024 bits are refused (policy).
 *
 *	dkimv_header() hands libopendkim the field as "Name:" and the value;
 *	a value that does not start with white space gets one space back
 *	(MTAs strip it unless SMFIP_HDR_LEADSPC was negotiated), which is
 *	exact for the usual "Name: value" and harmless under relaxed header
 *	canonicalization.  Bare LF line ends become CRLF.
 *
 *	dkimv_end() ends the message and fills one struct auth_dkim per
 *	verified signature: d=, s=, the ARES_RESULT_* code and the DMARC
 *	outcome.  dkimv_ares() is that mapping: pass (signature and body hash
 *	verified), fail (bad signature or body hash, expired, future, l= too
 *	long, unauthorized subdomain), temperror (the key lookup failed
 *	temporarily), permerror (no key, unusable or revoked key), policy
 *	(key too small), neutral (a signature that cannot be processed:
 *	syntax).  dkimv_field() is the pure rebuilding of a field for
 *	dkimv_header(); it returns the length, or 0 when buf is too small.
 * DIAGNOSTICS
 *	dkimv_load() returns 0, or -1 with "DKIMSelfValidate: can't load
 *	libopendkim.so.11: <reason>" in err.
 *	dkimv_begin() never returns NULL; when libopendkim cannot be loaded
 *	or cannot set a message up, the context yields no results and the
 *	reason is logged.
 */
#ifndef DKIM_H_DAEMON
#define DKIM_H_DAEMON
#include <stddef.h>

#include "message.h"

#define DKIMV_MAX_SIGS 8

struct dkimv;

int dkimv_load(char *err, size_t errlen);
struct dkimv *dkimv_begin(const char *jobid);
void dkimv_header(struct dkimv *v, const char *name, const char *value);
void dkimv_body(struct dkimv *v, const unsigned char *buf, size_t len);
size_t dkimv_end(struct dkimv *v, struct auth_dkim *out, size_t max);
void dkimv_free(struct dkimv **vp);

int dkimv_ares(unsigned int flags, int bodyhash, int sigerror, int key_tempfail);
size_t dkimv_field(const char *name, const char *value, char *buf, size_t len);

#endif
