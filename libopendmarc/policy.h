/*
 * NAME
 *	policy - the per-connection context behind DMARC_POLICY_T, and the
 *	library-wide settings made by opendmarc_policy_library_init()
 * DESCRIPTION
 *	policy.c keeps contexts and the evaluation; policy_fetch.c the
 *	read-only accessors; compat.c the free-standing OpenDMARC utilities.
 *	All DMARC logic lives in the pure modules (record, discover, align,
 *	psl, domain, addr); this layer only stores their results and maps
 *	them onto OpenDMARC's status codes.
 */
#ifndef POLICY_H
#define POLICY_H

#define OPENDMARC_POLICY_C
typedef struct dmarc_policy_t DMARC_POLICY_T;
#include "dmarc.h"
#include "discover.h"
#include "record.h"

#define POLICY_DKIM_MAX 32

struct policy_dkim {
	char domain[DISCOVER_NAME_MAX];
	char selector[DISCOVER_NAME_MAX];
	int outcome;
};

struct dmarc_policy_t {
	char ip_addr[64];
	int ip_type;
	char from_domain[DISCOVER_NAME_MAX];
	char spf_domain[DISCOVER_NAME_MAX];
	int spf_outcome;
	int spf_origin;
	size_t ndkim, dkim_cap;
	struct policy_dkim *dkim;      /* grown on demand, kept across rset */
	int have_record;               /* rec below is valid */
	int discovery;                 /* DMARC_DISCOVERY_* */
	char record_domain[DISCOVER_NAME_MAX]; /* where the record was found */
	char org_domain[DISCOVER_NAME_MAX];    /* of the From domain, "" unknown */
	struct record rec;
	char *record_txt;              /* the record as published */
	size_t record_txt_cap;         /* kept across rset: no malloc per message */
	int evaluated;                 /* alignment and policy computed */
	int dkim_alignment, spf_alignment;
	int policy_used;               /* DMARC_USED_POLICY_IS_* */
	u_char **rua_const, **ruf_const; /* arrays handed out with constant=1 */
};

/* library-wide state, set once by opendmarc_policy_library_init() */
struct psl;
int policy_lib_mode(void);                 /* OPENDMARC_TLD_TYPE_* in force */
const struct psl *policy_lib_psl(void);    /* NULL when none is loaded */
int policy_lib_set_psl_file(const char *path); /* 0, or an errno value */
void policy_lib_drop_psl(void);
/* organizational domain of name under the library's mode; 0 or -1 */
int policy_org_domain(const char *name, char *out, size_t outlen);

#endif
