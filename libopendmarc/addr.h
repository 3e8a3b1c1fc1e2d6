/*
 * NAME
 *	addr - domains of the addresses in an RFC 5322 From field
 * SYNOPSIS
 *	n = addr_from_domains(body, len, doms, ADDR_MAX, &status);
 * DESCRIPTION
 *	Parses a From field body (mailbox-list, display names, group syntax,
 *	comments, obsolete route syntax tolerated) with tok5322 and stores the
 *	domain of every mailbox, lower-cased, trailing dot removed, in doms.
 *	Pure: no allocation, no I/O.
 * DIAGNOSTICS
 *	Returns the number of domains stored.  *status is ADDR_OK, or the
 *	first problem seen: ADDR_EMPTY (no mailbox), ADDR_SYNTAX (could not
 *	parse; domains found so far are still returned), ADDR_NO_DOMAIN (a
 *	mailbox without a domain, e.g. "<>" or "user"), ADDR_TOO_MANY (more
 *	than max mailboxes).
 */
#ifndef ADDR_H
#define ADDR_H
#include <stddef.h>

#define ADDR_DOMAIN_MAX 256 /* bytes, NUL included (DMARC_MAXHOSTNAMELEN) */
#define ADDR_MAX 16         /* mailboxes the daemon evaluates per From */

enum addr_status { ADDR_OK, ADDR_EMPTY, ADDR_SYNTAX, ADDR_NO_DOMAIN, ADDR_TOO_MANY };

size_t addr_from_domains(const char *body, size_t len, char doms[][ADDR_DOMAIN_MAX],
			 size_t max, enum addr_status *status);

#endif
