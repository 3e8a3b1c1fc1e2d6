/*
 * dmarc.h - public interface of libopendmarc.
 *
 * Source and binary compatible with OpenDMARC 1.4.2's <opendmarc/dmarc.h>:
 * every name, value and signature below matches it, so a program written for
 * that library compiles and runs against this one unchanged.  Additions
 * (RFC 9989 support, discovery details) are marked "extension" and come
 * after the compatible part.  Where answers deliberately differ from
 * OpenDMARC's, docs/compatibility.md says so and why.
 */
#ifndef DMARC_H
#define DMARC_H

#ifdef __cplusplus
extern "C" {
#endif

#include <sys/param.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <resolv.h>

/* glibc hides u_char in strict ISO C modes (-std=c11); the API uses it. */
#if defined(__GLIBC__) && !defined(__u_char_defined)
typedef unsigned char u_char;
#define __u_char_defined
#endif

#define OPENDMARC_LIB_VERSION 0x00000000

#define DMARC_MAXHOSTNAMELEN (256)

/* Address family of the connecting client. */
#define DMARC_POLICY_IP_TYPE_IPV4 (4)
#define DMARC_POLICY_IP_TYPE_IPV6 (6)

/* Which identity an SPF result is for. */
#define DMARC_POLICY_SPF_ORIGIN_MAILFROM (1)
#define DMARC_POLICY_SPF_ORIGIN_HELO     (2)

/* SPF outcomes stored by the caller, and alignment verdicts returned. */
#define DMARC_POLICY_SPF_OUTCOME_NONE    (0)
#define DMARC_POLICY_SPF_OUTCOME_PASS    (1)
#define DMARC_POLICY_SPF_OUTCOME_FAIL    (2)
#define DMARC_POLICY_SPF_OUTCOME_TMPFAIL (3)
#define DMARC_POLICY_SPF_ALIGNMENT_PASS  (4)
#define DMARC_POLICY_SPF_ALIGNMENT_FAIL  (5)

/* DKIM outcomes stored by the caller, and alignment verdicts returned. */
#define DMARC_POLICY_DKIM_OUTCOME_NONE    (0)
#define DMARC_POLICY_DKIM_OUTCOME_PASS    (1)
#define DMARC_POLICY_DKIM_OUTCOME_FAIL    (2)
#define DMARC_POLICY_DKIM_OUTCOME_TMPFAIL (3)
#define DMARC_POLICY_DKIM_ALIGNMENT_PASS  (4)
#define DMARC_POLICY_DKIM_ALIGNMENT_FAIL  (5)

/* Values of the record's single-letter tags. */
#define DMARC_RECORD_A_UNSPECIFIED  ('\0')
#define DMARC_RECORD_A_STRICT       ('s')
#define DMARC_RECORD_A_RELAXED      ('r')
#define DMARC_RECORD_P_UNSPECIFIED  ('\0')
#define DMARC_RECORD_P_NONE         ('n')
#define DMARC_RECORD_P_QUARANTINE   ('q')
#define DMARC_RECORD_P_REJECT       ('r')
#define DMARC_RECORD_RF_UNSPECIFIED (0x0)
#define DMARC_RECORD_RF_AFRF        (0x1)
#define DMARC_RECORD_RF_IODEF       (0x2)
#define DMARC_RECORD_FO_UNSPECIFIED (0x0)
#define DMARC_RECORD_FO_0           (0x1)
#define DMARC_RECORD_FO_1           (0x2)
#define DMARC_RECORD_FO_D           (0x4)
#define DMARC_RECORD_FO_S           (0x8)

/* Status codes.  One number space, as in OpenDMARC. */
#define DMARC_PARSE_OKAY                 (0)
#define DMARC_PARSE_ERROR_EMPTY          (1)
#define DMARC_PARSE_ERROR_NULL_CTX       (2)
#define DMARC_PARSE_ERROR_BAD_VERSION    (3)
#define DMARC_PARSE_ERROR_BAD_VALUE      (4)
#define DMARC_PARSE_ERROR_NO_REQUIRED_P  (5)
#define DMARC_PARSE_ERROR_NO_DOMAIN      (6)
#define DMARC_PARSE_ERROR_NO_ALLOC       (7)
#define DMARC_PARSE_ERROR_BAD_SPF_MACRO  (8)
#define DMARC_PARSE_ERROR_BAD_DKIM_MACRO DMARC_PARSE_ERROR_BAD_SPF_MACRO
#define DMARC_DNS_ERROR_NO_RECORD        (9)
#define DMARC_DNS_ERROR_NXDOMAIN         (10)
#define DMARC_DNS_ERROR_TMPERR           (11)
#define DMARC_TLD_ERROR_UNKNOWN          (12)
#define DMARC_FROM_DOMAIN_ABSENT         (13)
#define DMARC_POLICY_ABSENT              (14)
#define DMARC_POLICY_PASS                (15)
#define DMARC_POLICY_REJECT              (16)
#define DMARC_POLICY_QUARANTINE          (17)
#define DMARC_POLICY_NONE                (18)
#define DMARC_USED_POLICY_IS_P           (19)
#define DMARC_USED_POLICY_IS_SP          (20)
/* extension: the RFC 9989 "np" tag was the policy taken */
#define DMARC_USED_POLICY_IS_NP          (21)

#ifndef OPENDMARC_POLICY_C
typedef struct dmarc_policy_t DMARC_POLICY_T;
#endif

#define OPENDMARC_STATUS_T int

#ifndef MAXPATHLEN
#define MAXPATHLEN (2048)
#endif
#ifndef MAXNS
#define MAXNS (3)
#endif
#define OPENDMARC_MAX_NSADDRLIST (8)

/* Start-up settings; nothing inside is allocated or freed by the library. */
typedef struct {
	int tld_type;
	u_char tld_source_file[MAXPATHLEN];
	int nscount;
	struct sockaddr_in nsaddr_list[MAXNS];
} OPENDMARC_LIB_T;

#define OPENDMARC_TLD_TYPE_NONE    (0) /* no list: default list if present */
#define OPENDMARC_TLD_TYPE_MOZILLA (1) /* RFC 7489: public suffix list file */
/* extension: RFC 9989 DNS tree walk instead of a suffix list */
#define OPENDMARC_TLD_TYPE_TREEWALK (2)

/* Library set-up, once, before threads start. */
OPENDMARC_STATUS_T opendmarc_policy_library_init(OPENDMARC_LIB_T *lib_init);
OPENDMARC_STATUS_T opendmarc_policy_library_shutdown(OPENDMARC_LIB_T *lib_init);
void opendmarc_policy_library_dns_hook(int *nscountp, struct sockaddr_in *nsaddr_list);

/* Per-connection contexts. */
DMARC_POLICY_T *opendmarc_policy_connect_init(u_char *ip_addr, int ip_type);
DMARC_POLICY_T *opendmarc_policy_connect_clear(DMARC_POLICY_T *pctx);
DMARC_POLICY_T *opendmarc_policy_connect_rset(DMARC_POLICY_T *pctx);
DMARC_POLICY_T *opendmarc_policy_connect_shutdown(DMARC_POLICY_T *pctx);

/* What the caller learned about the message. */
OPENDMARC_STATUS_T opendmarc_policy_store_from_domain(DMARC_POLICY_T *pctx, u_char *domain);
OPENDMARC_STATUS_T opendmarc_policy_store_dkim(DMARC_POLICY_T *pctx, u_char *domain, u_char *selector, int result, u_char *human_result);
OPENDMARC_STATUS_T opendmarc_policy_store_spf(DMARC_POLICY_T *pctx, u_char *domain, int result, int origin, u_char *human_result);

/* The DMARC record. */
OPENDMARC_STATUS_T opendmarc_policy_query_dmarc(DMARC_POLICY_T *pctx, u_char *domain);
OPENDMARC_STATUS_T opendmarc_policy_parse_dmarc(DMARC_POLICY_T *pctx, u_char *domain, u_char *record);
OPENDMARC_STATUS_T opendmarc_policy_store_dmarc(DMARC_POLICY_T *pctx, u_char *dmarc_record, u_char *domain, u_char *organizationaldomain);

/* Results and parts of the record. */
OPENDMARC_STATUS_T opendmarc_get_policy_to_enforce(DMARC_POLICY_T *pctx);
OPENDMARC_STATUS_T opendmarc_policy_fetch_alignment(DMARC_POLICY_T *pctx, int *dkim_alignment, int *spf_alignment);
OPENDMARC_STATUS_T opendmarc_policy_fetch_pct(DMARC_POLICY_T *pctx, int *pctp);
OPENDMARC_STATUS_T opendmarc_policy_fetch_adkim(DMARC_POLICY_T *pctx, int *adkim);
OPENDMARC_STATUS_T opendmarc_policy_fetch_aspf(DMARC_POLICY_T *pctx, int *aspf);
OPENDMARC_STATUS_T opendmarc_policy_fetch_p(DMARC_POLICY_T *pctx, int *p);
OPENDMARC_STATUS_T opendmarc_policy_fetch_sp(DMARC_POLICY_T *pctx, int *sp);
OPENDMARC_STATUS_T opendmarc_policy_fetch_fo(DMARC_POLICY_T *pctx, int *fo);
OPENDMARC_STATUS_T opendmarc_policy_fetch_rf(DMARC_POLICY_T *pctx, int *rf);
u_char **opendmarc_policy_fetch_rua(DMARC_POLICY_T *pctx, u_char *list_buf, size_t size_of_buf, int constant);
u_char **opendmarc_policy_fetch_ruf(DMARC_POLICY_T *pctx, u_char *list_buf, size_t size_of_buf, int constant);
OPENDMARC_STATUS_T opendmarc_policy_fetch_utilized_domain(DMARC_POLICY_T *pctx, u_char *buf, size_t buflen);
OPENDMARC_STATUS_T opendmarc_policy_fetch_from_domain(DMARC_POLICY_T *pctx, u_char *buf, size_t buflen);
OPENDMARC_STATUS_T opendmarc_policy_query_dmarc_xdomain(DMARC_POLICY_T *pctx, u_char *uri);
OPENDMARC_STATUS_T opendmarc_get_policy_token_used(DMARC_POLICY_T *pctx);

/* Public suffix list. */
int opendmarc_tld_read_file(char *path_fname, char *commentstring, char *drop, char *except);
void opendmarc_tld_shutdown(void);
int opendmarc_get_tld(u_char *domain, u_char *tld, size_t tld_len);

/* Aggregate-report XML (kept for ABI; see docs/compatibility.md). */
u_char **opendmarc_xml(char *b, size_t blen, char *e, size_t elen);
u_char **opendmarc_xml_parse(char *fname, char *err_buf, size_t err_len);

/* Utilities. */
void opendmarc_dns_fake_record(const char *name, const char *answer);
u_char **opendmarc_util_clearargv(u_char **ary);
u_char *opendmarc_util_finddomain(u_char *raw, u_char *buf, size_t buflen);
const char *opendmarc_policy_status_to_str(OPENDMARC_STATUS_T status);
int opendmarc_policy_check_alignment(u_char *subdomain, u_char *tld, int mode);
int opendmarc_policy_to_buf(DMARC_POLICY_T *pctx, char *buf, size_t buflen);

/* SPF (built without libspf2: always returns DMARC_POLICY_SPF_OUTCOME_NONE). */
int opendmarc_spf_test(char *ip_address, char *mail_from_domain, char *helo_domain, char *spf_record, int soft_fail_as_pass, char *human_readable, size_t human_readable_len, int *use_mailfrom);
int opendmarc_spf2_test(char *ip_address, char *mail_from_domain, char *helo_domain, char *spf_record, int softfail_okay_flag, char *human_readable, size_t human_readable_len, int *used_mfrom);

/* ---- extensions (not in OpenDMARC) ---- */

/* How the record in use was found. */
#define DMARC_DISCOVERY_NONE     (0) /* no record */
#define DMARC_DISCOVERY_EXACT    (1) /* at _dmarc.<From domain> */
#define DMARC_DISCOVERY_PSL      (2) /* RFC 7489: at the suffix-list org domain */
#define DMARC_DISCOVERY_TREEWALK (3) /* RFC 9989: found walking up the tree */
#define DMARC_DISCOVERY_STORED   (4) /* given by opendmarc_policy_store_dmarc() */

/* RFC 9989 psd= values. */
#define DMARC_RECORD_PSD_UNSPECIFIED ('\0')
#define DMARC_RECORD_PSD_YES         ('y')
#define DMARC_RECORD_PSD_NO          ('n')

OPENDMARC_STATUS_T opendmarc_policy_fetch_np(DMARC_POLICY_T *pctx, int *np);
OPENDMARC_STATUS_T opendmarc_policy_fetch_psd(DMARC_POLICY_T *pctx, int *psd);
OPENDMARC_STATUS_T opendmarc_policy_fetch_t(DMARC_POLICY_T *pctx, int *testing);
OPENDMARC_STATUS_T opendmarc_policy_fetch_discovery(DMARC_POLICY_T *pctx, int *method, u_char *record_name, size_t namelen);
OPENDMARC_STATUS_T opendmarc_policy_fetch_record(DMARC_POLICY_T *pctx, u_char *buf, size_t buflen);
OPENDMARC_STATUS_T opendmarc_policy_fetch_org_domain(DMARC_POLICY_T *pctx, u_char *buf, size_t buflen);
/* DNS timeout per query in seconds (default 5); 0 keeps the default. */
void opendmarc_policy_library_dns_timeout(int seconds);
/* A TXT lookup through the library's resolver (its name servers, timeout,
 * cache and fake records), for callers that need other TXT records (DKIM
 * keys) without a second resolver: up to max records, the strings of each
 * joined, into txt[] (the caller free()s each) and their number into
 * *count.  Returns DMARC_PARSE_OKAY, DMARC_DNS_ERROR_NXDOMAIN,
 * DMARC_DNS_ERROR_NO_RECORD (the name has no TXT record),
 * DMARC_DNS_ERROR_TMPERR, or DMARC_PARSE_ERROR_NULL_CTX for a name that
 * cannot be asked. */
OPENDMARC_STATUS_T opendmarc_dns_get_txt(const char *name, char **txt, size_t max, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* DMARC_H */
