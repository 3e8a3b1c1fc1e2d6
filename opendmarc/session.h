/*
 * NAME
 *	session - one SMTP connection and its end-of-message work
 * SYNOPSIS
 *	struct session *s = session_new(rt);
 *	session_connect(s, hostname, ipstr, iptype);
 *	session_begin(s, mailfrom);
 *	session_header(s, name, value) ...;  session_body(s, chunk, len) ...
 *	act = session_eom(s, jobid, &ops, handle);
 *	session_free(&s);
 * DESCRIPTION
 *	session_header() stores a header field (leading white space of the
 *	value dropped) and, with DKIMSelfValidate, feeds it to the DKIM
 *	verifier with the body chunks session_body() gets; session_wants_body()
 *	tells the milter whether to ask for the body at all.
 *	session_eom() runs the whole decision for the current message: From
 *	domains, trusted results (or our own SPF check), the library query
 *	per From domain, evaluate(), then the outputs through an ops table:
 *	the milter's smfi_* calls in filter.c, or printing in -t test mode.
 *	Outputs, in order: forged Authentication-Results fields deleted
 *	(last first), DMARC-Filter, our spf= field, our dmarc= field, each
 *	inserted at index 0 so ours ends on top; quarantine; the
 *	CopyFailuresTo recipient; or, instead of all that, an SMTP reply.
 *	Then history records (one per From domain, O_APPEND, one write) and
 *	the log lines "<jobid>: <domain> <result>" and
 *	"<jobid>: SPF(<mailfrom|helo>): <identity> <result>".
 * DIAGNOSTICS
 *	Returns the action for the MTA.  Output failures are logged; a
 *	failed history write is logged and does not change the action.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stddef.h>

#include "dkim.h"
#include "message.h"
#include "runtime.h"

struct out_ops {
	int (*insheader)(void *h, int idx, const char *name, const char *value);
	int (*delheader)(void *h, const char *name, int idx);
	int (*setreply)(void *h, const char *code, const char *esc, const char *text);
	int (*quarantine)(void *h, const char *reason);
	int (*addrcpt)(void *h, const char *rcpt);
};

struct session {
	struct runtime *rt;
	char ip[64];
	int iptype;       /* DMARC_POLICY_IP_TYPE_* */
	char host[256];
	char helo[256];
	char mta_name[256]; /* {j}, for the default authserv-id */
	int authenticated;  /* {auth_authen} was set */
	struct message *msg;
	struct dkimv *dkim; /* DKIMSelfValidate: this message's verifier */
};

struct session *session_new(struct runtime *rt);
void session_free(struct session **sp);
void session_begin(struct session *s, const char *mailfrom);
void session_header(struct session *s, const char *name, const char *value);
void session_body(struct session *s, const unsigned char *buf, size_t len);
int session_wants_body(const struct runtime *rt);
void session_end_message(struct session *s);
enum dm_action session_eom(struct session *s, const char *jobid, const struct out_ops *ops,
			   void *h);
const char *session_authservid(const struct session *s);

#endif
