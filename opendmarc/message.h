/*
 * NAME
 *	message - per-message state and the pure DMARC decision
 * SYNOPSIS
 *	struct message *m = message_new();
 *	message_add_header(m, name, value);
 *	n = message_from_domains(m, doms, &nfields, &status);
 *	message_auth_results(m, &trust, &auth);
 *	evaluate(&in, outcomes, n, &verdict);
 *	message_free(&m);
 * DESCRIPTION
 *	A message collects the envelope sender and the header fields as the
 *	MTA sent them.  Nothing here does I/O or DNS:
 *
 *	message_from_domains() returns the distinct domains of every From
 *	field (addr_from_domains), the number of From fields and the worst
 *	address-parser status.
 *
 *	message_auth_results() reads SPF, DKIM and ARC results from the
 *	Authentication-Results fields we trust, and from the topmost
 *	Received-SPF field under the CVE-2019-20790 rules (identity=mailfrom
 *	and envelope-from naming the SMTP MAIL FROM domain).  A field is
 *	trusted when its authserv-id is in TrustedAuthservIDs, or is our own
 *	and it sits above the first Received field (added by our MTA or a
 *	milter before us).  A field claiming our authserv-id below the first
 *	Received field came from outside: it is never used and is listed
 *	for deletion, last occurrence first (the CVE-2022-48521 lesson).
 *
 *	evaluate() turns the library's per-domain outcomes into one verdict:
 *	every From domain counts and the strictest failing one decides (RFC
 *	7489 section 6.6.1); pct (RFC 7489) and t=y (RFC 9989) downgrade the
 *	policy one step; RejectFailures, HoldQuarantinedMessages and
 *	RejectMultiValueFrom decide the action; the ARC override (a trusted
 *	arc=pass sealed by a DomainWhitelist domain) leaves a DMARC failure
 *	unenforced, for reject and quarantine alike.  A missing From never
 *	passes.
 */
#ifndef MESSAGE_H
#define MESSAGE_H
#include <stddef.h>

#include "addr.h"

#define MESSAGE_DKIM_MAX 16
#define MESSAGE_DELETE_MAX 64
#define MESSAGE_RUA_MAX 8
#define MESSAGE_RUF_MAX 8

struct message_header {
	char *name;
	char *value;
};

struct message {
	char *mailfrom; /* envelope sender as given, may be "<>" */
	char mfrom_domain[ADDR_DOMAIN_MAX];
	struct message_header *hdrs;
	size_t nhdrs, cap;
	size_t bytes; /* header bytes kept, for the size cap */
};

/* Results taken from the header (or computed by us). */
struct auth_spf {
	int have;
	int outcome; /* DMARC_POLICY_SPF_OUTCOME_* */
	int ares;    /* ARES_RESULT_* for history */
	int origin;  /* DMARC_POLICY_SPF_ORIGIN_* */
	char domain[ADDR_DOMAIN_MAX];
	char word[64];
};

struct auth_dkim {
	char domain[ADDR_DOMAIN_MAX];
	char selector[ADDR_DOMAIN_MAX];
	int outcome; /* DMARC_POLICY_DKIM_OUTCOME_* */
	int ares;
};

struct auth_results {
	struct auth_spf spf;
	size_t ndkim;
	struct auth_dkim dkim[MESSAGE_DKIM_MAX];
	int arc_ares;  /* ARES_RESULT_* of a trusted arc=, or ARES_RESULT_UNKNOWN */
	size_t ndelete;
	size_t delete_index[MESSAGE_DELETE_MAX]; /* 1-based A-R indices, descending */
};

struct trust {
	const char *authservid; /* ours, effective */
	const char *trusted;    /* TrustedAuthservIDs, HOSTNAME expanded */
	int own_trusted;        /* TrustedAuthservIDs set explicitly and naming ours */
	int spf_ignore;         /* SPFIgnoreResults */
};

/* OpenDMARC's ARES_RESULT_* and DMARC_RESULT_* codes, as history uses them. */
enum {
	ARES_RESULT_UNDEFINED = -1, ARES_RESULT_PASS = 0, ARES_RESULT_UNUSED = 1,
	ARES_RESULT_SOFTFAIL = 2, ARES_RESULT_NEUTRAL = 3, ARES_RESULT_TEMPERROR = 4,
	ARES_RESULT_PERMERROR = 5, ARES_RESULT_NONE = 6, ARES_RESULT_FAIL = 7,
	ARES_RESULT_POLICY = 8, ARES_RESULT_NXDOMAIN = 9, ARES_RESULT_SIGNED = 10,
	ARES_RESULT_UNKNOWN = 11, ARES_RESULT_DISCARD = 12
};
enum {
	DMARC_RESULT_REJECT = 0, DMARC_RESULT_DISCARD = 1, DMARC_RESULT_ACCEPT = 2,
	DMARC_RESULT_TEMPFAIL = 3, DMARC_RESULT_QUARANTINE = 4
};

/* What the library said about one From domain. */
struct domain_outcome {
	char domain[ADDR_DOMAIN_MAX];
	int status;  /* opendmarc_policy_query_dmarc() */
	int policy;  /* opendmarc_get_policy_to_enforce() */
	int used;    /* DMARC_USED_POLICY_IS_* */
	int p, sp, np;
	int pct;     /* 100 when absent or not applicable (rfc9989) */
	int testing; /* t=y, rfc9989 */
	int roll;    /* 0..99 drawn by the caller for pct */
	/* for the history record */
	int adkim, aspf, align_dkim, align_spf;
	int t_published; /* the record says t=y (any mode) */
	int discovery;   /* DMARC_DISCOVERY_NONE, _PSL or _TREEWALK (by mode) */
	char pdomain[ADDR_DOMAIN_MAX];
	size_t nrua;
	char rua[MESSAGE_RUA_MAX][256];
	/* failure reports (only when FailureReports asked for them) */
	int fo;              /* DMARC_RECORD_FO_* bits */
	int report_wanted;   /* fo= asks for a report about this message */
	size_t nruf, nruf_refused; /* ruf= URIs kept / refused by RFC 7489 7.1 */
	char ruf[MESSAGE_RUF_MAX][256];
};

enum dm_result { DM_PASS, DM_FAIL, DM_NONE, DM_TEMPERROR, DM_PERMERROR };
enum dm_action { ACT_ACCEPT, ACT_REJECT, ACT_TEMPFAIL };

struct eval_input {
	size_t from_fields;      /* number of From header fields */
	int reject_failures;
	int hold_quarantined;
	int reject_multi_from;
	int required_headers;
	int headers_ok;          /* RFC 5322 3.6 counts respected */
	int arc_override;        /* trusted arc=pass sealed by a DomainWhitelist domain */
};

struct verdict {
	enum dm_action action;
	const char *smtp_code, *esc; /* for ACT_REJECT / ACT_TEMPFAIL */
	const char *reason;      /* "policy", "multi-from", "headers", "no-from" */
	size_t which;            /* deciding outcome, when nout > 0 */
	enum dm_result result;
	const char *result_word; /* pass fail none temperror permerror */
	const char *policy_word; /* p= of the deciding domain */
	const char *disposition; /* none quarantine reject */
	int quarantine;          /* hold the message */
	int arc_override;        /* a failure left unenforced by the ARC override */
	int copy_failure;        /* CopyFailuresTo applies */
	int history_action;      /* DMARC_RESULT_* */
};

struct message *message_new(void);
void message_free(struct message **mp);
void message_set_mailfrom(struct message *m, const char *addr);
int message_add_header(struct message *m, const char *name, const char *value);
const char *message_header(const struct message *m, const char *name, size_t nth);
size_t message_from_domains(const struct message *m, char doms[][ADDR_DOMAIN_MAX], size_t max,
			    size_t *nfields, enum addr_status *status);
int message_headers_ok(const struct message *m);
void message_auth_results(const struct message *m, const struct trust *t,
			  struct auth_results *out);
enum dm_result outcome_result(const struct domain_outcome *o);
const char *dm_result_word(enum dm_result r); /* pass fail none temperror permerror */
const char *outcome_policy_word(const struct domain_outcome *o);
void evaluate(const struct eval_input *in, const struct domain_outcome *outs, size_t nout,
	      struct verdict *v);
int ares_code(const char *word);
const char *ares_word(int ares);   /* RFC 8601 word of an ARES_RESULT_* */
int ares_spf_outcome(int ares);  /* DMARC_POLICY_SPF_OUTCOME_* */
int ares_dkim_outcome(int ares); /* DMARC_POLICY_DKIM_OUTCOME_* */

#endif
