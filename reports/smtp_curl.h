/*
 * NAME
 *	smtp_curl - hand one message to an SMTP server (libcurl)
 * SYNOPSIS
 *	s = smtp_new(&conf);
 *	st = smtp_send(s, "dmarc@example.net", "agg@example.com", msg, len, &res);
 *	smtp_free(&s);
 * DESCRIPTION
 *	One libcurl easy handle per run, so consecutive messages reuse the
 *	connection; after a failure the connection is closed and the next
 *	message opens a new one.  conf.tls chooses plain SMTP, opportunistic STARTTLS,
 *	required STARTTLS or SMTPS; AUTH happens when conf.user is set and
 *	the server offers it.  msg must be a complete RFC 5322 message
 *	with CRLF line ends; libcurl does the dot-stuffing.
 *
 *	A debug callback follows the dialogue, so the result says at which
 *	step the server answered what: SMTP_SENT when the end of data got a
 *	2xx; SMTP_REJECT for a 5xx to RCPT TO, DATA or the end of data (this
 *	destination will never take it); SMTP_DEFER for everything else: a
 *	4xx, a 5xx before RCPT (our own set-up: greeting, EHLO, STARTTLS,
 *	AUTH, MAIL FROM), a timeout, or a connection that failed or dropped
 *	(also in the middle of DATA).  res.server_down is set when the
 *	failure came before MAIL FROM or was a 421, so the caller can leave
 *	the remaining messages for the next run.  res.reply holds the
 *	server's last reply line or libcurl's error.
 * DIAGNOSTICS
 *	smtp_new() returns NULL when libcurl cannot be initialised.
 */
#ifndef SMTP_CURL_H
#define SMTP_CURL_H
#include <stddef.h>

enum smtp_tls { SMTP_TLS_NONE, SMTP_TLS_TRY, SMTP_TLS_STARTTLS, SMTP_TLS_SMTPS };
enum smtp_status { SMTP_SENT, SMTP_DEFER, SMTP_REJECT };

struct smtp_conf {
	const char *server;
	unsigned port;
	enum smtp_tls tls;
	const char *user, *password;
	const char *cafile;
	int insecure;	/* do not verify the server's certificate */
	long timeout;	/* seconds for one message, connection included */
	const char *helo;
	int verbose;	/* >= 3: the SMTP dialogue on standard error */
};

struct smtp_result {
	enum smtp_status status;
	int code;
	int server_down;
	char reply[768];
};

struct smtp;

struct smtp *smtp_new(const struct smtp_conf *conf);
enum smtp_status smtp_send(struct smtp *s, const char *from, const char *rcpt, const char *msg,
			   size_t len, struct smtp_result *res);
void smtp_free(struct smtp **sp);
int smtp_tls_parse(const char *name);

#endif
