/*
 * NAME
 *	milterproto - the milter protocol's packets, pure
 * SYNOPSIS
 *	long mp_next(const unsigned char *buf, size_t len, struct mp_packet *p);
 *	size_t mp_strings(const char *data, size_t len, const char **v, size_t max);
 *	int mp_optneg(const struct mp_packet *p, uint32_t out[3]);
 *	int mp_connect(const struct mp_packet *p, struct mp_connect *c);
 *	const char *mp_macro(const char *data, size_t len, const char *name);
 *	size_t mp_put(unsigned char *out, size_t room, char cmd, const void *a,
 *		size_t alen, const void *b, size_t blen);
 * DESCRIPTION
 *	The milter protocol (version 2 to 6, as spoken by Sendmail's and
 *	Postfix's milter clients) frames every command and reply as a
 *	4-byte big-endian length, a command byte and length-1 bytes of data.
 *	These functions read and write that framing over bounded buffers
 *	and do no I/O; milterd.c does the sockets.
 *
 *	mp_next() finds the packet at the start of buf: it returns the bytes
 *	it takes (5 + data), 0 when buf does not yet hold all of it, and -1
 *	when the length is 0 or above MP_MAX_DATA (a broken or hostile peer).
 *
 *	mp_strings() splits data made of NUL-terminated strings into at most
 *	max pointers into data and returns how many; bytes after the last NUL
 *	are not a string.  mp_optneg() reads the three 32-bit words of
 *	SMFIC_OPTNEG (version, actions, protocol steps); mp_connect() the
 *	host name, family, port and address of SMFIC_CONNECT.  Both return
 *	-1 on a short or malformed packet.
 *
 *	mp_macro() looks a macro up in the data of an SMFIC_MACRO packet
 *	(the step byte first, then name and value strings); "i" and "{i}"
 *	are the same name, as in libmilter.
 *
 *	mp_put() writes one packet of command cmd whose data is a followed by
 *	b (either may be empty) and returns its size, or 0 when it would not
 *	fit in room.
 */
#ifndef MILTERPROTO_H
#define MILTERPROTO_H

#include <stddef.h>
#include <stdint.h>

/* the largest data part we accept: a 1 MB body chunk (SMFIP_MDS_1M) or
 * a header field of Postfix's largest header_size_limit, with room */
#define MP_MAX_DATA (1024UL * 1024UL + 65536UL)
#define MP_HEADER_LEN 5
#define MP_VERSION 6

/* commands, MTA to filter */
#define SMFIC_ABORT 'A'
#define SMFIC_BODY 'B'
#define SMFIC_CONNECT 'C'
#define SMFIC_MACRO 'D'
#define SMFIC_BODYEOB 'E'
#define SMFIC_HELO 'H'
#define SMFIC_QUIT_NC 'K'
#define SMFIC_HEADER 'L'
#define SMFIC_MAIL 'M'
#define SMFIC_EOH 'N'
#define SMFIC_OPTNEG 'O'
#define SMFIC_QUIT 'Q'
#define SMFIC_RCPT 'R'
#define SMFIC_DATA 'T'
#define SMFIC_UNKNOWN 'U'

/* replies, filter to MTA */
#define SMFIR_ADDRCPT '+'
#define SMFIR_ACCEPT 'a'
#define SMFIR_CONTINUE 'c'
#define SMFIR_INSHEADER 'i'
#define SMFIR_CHGHEADER 'm'
#define SMFIR_QUARANTINE 'q'
#define SMFIR_REJECT 'r'
#define SMFIR_TEMPFAIL 't'
#define SMFIR_REPLYCODE 'y'

/* actions the filter may take (SMFIC_OPTNEG word 2) */
#define SMFIF_ADDHDRS 0x001U
#define SMFIF_ADDRCPT 0x004U
#define SMFIF_CHGHDRS 0x010U
#define SMFIF_QUARANTINE 0x020U

/* protocol steps (word 3): steps not sent, and steps sent without a reply */
#define SMFIP_NOCONNECT 0x000001U
#define SMFIP_NOHELO 0x000002U
#define SMFIP_NOMAIL 0x000004U
#define SMFIP_NORCPT 0x000008U
#define SMFIP_NOBODY 0x000010U
#define SMFIP_NOHDRS 0x000020U
#define SMFIP_NOEOH 0x000040U
#define SMFIP_NR_HDR 0x000080U
#define SMFIP_NOUNKNOWN 0x000100U
#define SMFIP_NODATA 0x000200U
#define SMFIP_NR_CONN 0x001000U
#define SMFIP_NR_HELO 0x002000U
#define SMFIP_NR_MAIL 0x004000U
#define SMFIP_NR_RCPT 0x008000U
#define SMFIP_NR_DATA 0x010000U
#define SMFIP_NR_UNKN 0x020000U
#define SMFIP_NR_EOH 0x040000U
#define SMFIP_NR_BODY 0x080000U

struct mp_packet {
	char cmd;
	const char *data;
	size_t len; /* of data */
};

struct mp_connect {
	const char *host;
	char family; /* '4', '6', 'L' (unix), 'U' (unknown) */
	uint16_t port;
	const char *addr; /* "" when the family has none */
};

long mp_next(const unsigned char *buf, size_t len, struct mp_packet *p);
size_t mp_strings(const char *data, size_t len, const char **v, size_t max);
int mp_optneg(const struct mp_packet *p, uint32_t out[3]);
int mp_connect(const struct mp_packet *p, struct mp_connect *c);
const char *mp_macro(const char *data, size_t len, const char *name);
size_t mp_put(unsigned char *out, size_t room, char cmd, const void *a, size_t alen,
	      const void *b, size_t blen);

#endif
