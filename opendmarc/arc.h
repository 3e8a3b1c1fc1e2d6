/*
 * NAME
 *	arc - the ARC chain a message shows, the ARC override, and the
 *	history "arc_policy" value
 * SYNOPSIS
 *	struct arc_chain chain;
 *	arc_chain(msg, &chain);
 *	sealer = arc_override(&chain, auth.arc_ares, whitelist);
 *	code = arc_policy_code(auth.arc_ares, sealer != NULL);
 *	arc_policy_value(&chain, code, buf, sizeof buf);
 *	arc_whitelist(cfg, &list, err, sizeof err);	(configuration time)
 * DESCRIPTION
 *	Nothing here verifies ARC signatures: whether the chain is valid
 *	comes from a trusted Authentication-Results "arc=" result (the MTA's
 *	ARC verifier; message_auth_results()).
 *
 *	arc_chain() lists the ARC sets of the header: each ARC-Seal field
 *	(RFC 8617 4.1.3; tag list i=, d=, s=, cv=) that parses with an
 *	instance in 1..50 and a d= and s= made of domain characters, with
 *	the client address of the ARC-Authentication-Results field of the
 *	same instance (its smtp.remote-ip or smtp.client-ip property, when
 *	it is an IP address).  Sets are ordered by instance; a repeated
 *	instance keeps the first; at most ARC_SETS_MAX are kept.
 *
 *	arc_override() is the ARC override of DomainWhitelist: when the
 *	trusted ARC result is pass and some ARC-Seal of the chain was made
 *	by a whitelisted domain, it returns that d= (the highest instance
 *	first), and a DMARC failure is then not enforced; otherwise NULL.
 *
 *	arc_policy_code() is OpenDMARC's DMARC_ARC_POLICY_RESULT_* for the
 *	history file: pass (0) when the override applies, fail (2) for a
 *	trusted arc=fail, unused (1) otherwise.  arc_policy_value() writes
 *	"<code> json:[...]", one {"i":, "d":, "s":, "ip":} object per set
 *	(whole objects only, never a cut one).
 *
 *	arc_whitelist() builds the DomainWhitelist set from the option and
 *	DomainWhitelistFile, bounded by DomainWhitelistSize; *out is NULL
 *	when neither is set.
 * DIAGNOSTICS
 *	arc_whitelist() returns 0, or -1 with err set (nothing allocated).
 *	Otherwise none: unusable fields are skipped.
 */
#ifndef ARC_H_DAEMON
#define ARC_H_DAEMON
#include <stddef.h>

#include "conf.h"
#include "domlist.h"
#include "message.h"

#define ARC_SETS_MAX 16
#define ARC_INSTANCE_MAX 50

enum { ARC_POLICY_PASS = 0, ARC_POLICY_UNUSED = 1, ARC_POLICY_FAIL = 2 };

struct arc_hop {
	long instance;
	char domain[ADDR_DOMAIN_MAX];
	char selector[ADDR_DOMAIN_MAX];
	char ip[64]; /* "" when the AAR gives none */
};

struct arc_chain {
	size_t nsets;
	struct arc_hop sets[ARC_SETS_MAX];
};

void arc_chain(const struct message *m, struct arc_chain *out);
const char *arc_override(const struct arc_chain *c, int arc_ares, const struct domlist *wl);
int arc_policy_code(int arc_ares, int overridden);
void arc_policy_value(const struct arc_chain *c, int code, char *buf, size_t len);
int arc_whitelist(const struct config *c, struct domlist **out, char *err, size_t errlen);

#endif
