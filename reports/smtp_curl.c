/*
 * NAME
 *	smtp_curl - SMTP submission through libcurl
 * DESCRIPTION
 *	Contract in smtp_curl.h.  on_debug() sees every command we send
 *	and every reply line; stage records the last command (and "EOD"
 *	once DATA got its 354), which classify() turns into a status.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "smtp_curl.h"
#include "xalloc.h"

struct smtp {
	CURL *curl;
	struct smtp_conf conf;
	char url[1024];
	char errbuf[CURL_ERROR_SIZE];
	char stage[16];
	char reply[256];
	char err_stage[16]; /* where the first 4xx/5xx reply came, if any */
	char err_reply[256];
	int err_code;
	const char *msg; /* the message being read by libcurl */
	size_t len, off;
};

static void copy_line(char *dst, size_t size, const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

static void note_command(struct smtp *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < sizeof s->stage && isalpha((unsigned char)p[i]); i++)
		s->stage[i] = (char)toupper((unsigned char)p[i]);
	s->stage[i] = '\0';
}

/* Keep the first failure reply: libcurl's QUIT afterwards hides it. */
static void note_error(struct smtp *s)
{
	int code = atoi(s->reply);

	if (s->err_code != 0 || code < 400 || code > 599 || s->reply[3] == '-')
		return;
	s->err_code = code;
	memcpy(s->err_stage, s->stage, sizeof s->err_stage);
	memcpy(s->err_reply, s->reply, sizeof s->err_reply);
}

static int on_debug(CURL *c, curl_infotype type, char *p, size_t n, void *ctx)
{
	struct smtp *s = ctx;

	(void)c;
	if (type == CURLINFO_HEADER_OUT)
		note_command(s, p, n);
	else if (type == CURLINFO_HEADER_IN) {
		copy_line(s->reply, sizeof s->reply, p, n);
		if (strcmp(s->stage, "DATA") == 0 && strncmp(s->reply, "354", 3) == 0)
			strcpy(s->stage, "EOD");
		note_error(s);
	} else
		return 0;
	if (s->conf.verbose >= 3)
		fprintf(stderr, "opendmarc-reports: smtp %s %.*s", type == CURLINFO_HEADER_OUT ? ">" : "<",
			(int)n, strncasecmp(p, "AUTH", 4) == 0 ? "AUTH ...\r\n" : p);
	return 0;
}

static size_t on_read(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct smtp *s = ctx;
	size_t n = size * nitems, left = s->len - s->off;

	if (n > left)
		n = left;
	memcpy(buf, s->msg + s->off, n);
	s->off += n;
	return n;
}

static void make_url(struct smtp *s)
{
	const char *host = s->conf.server;
	int v6 = strchr(host, ':') != NULL && host[0] != '[';

	snprintf(s->url, sizeof s->url, "%s://%s%s%s:%u/%s",
		 s->conf.tls == SMTP_TLS_SMTPS ? "smtps" : "smtp", v6 ? "[" : "", host, v6 ? "]" : "",
		 s->conf.port, s->conf.helo != NULL ? s->conf.helo : "");
}

static void set_options(struct smtp *s)
{
	CURL *c = s->curl;
	const struct smtp_conf *k = &s->conf;

	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, s);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, k->timeout > 0 ? k->timeout : 120L);
	/* the wait for each reply, end of data included (default 60 s) */
	curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, k->timeout > 0 ? k->timeout : 120L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, k->timeout > 0 && k->timeout < 30 ? k->timeout : 30L);
	if (k->tls == SMTP_TLS_TRY || k->tls == SMTP_TLS_STARTTLS)
		curl_easy_setopt(c, CURLOPT_USE_SSL,
				 k->tls == SMTP_TLS_TRY ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	if (k->cafile != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, k->cafile);
	if (k->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (k->user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, k->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, k->password != NULL ? k->password : "");
	}
}

struct smtp *smtp_new(const struct smtp_conf *conf)
{
	struct smtp *s;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->conf = *conf;
	s->curl = curl_easy_init();
	if (s->curl == NULL) {
		free(s);
		curl_global_cleanup();
		return NULL;
	}
	make_url(s);
	set_options(s);
	return s;
}

/* Which steps come before the message is ours to lose. */
static int before_mail(const char *stage)
{
	return stage[0] == '\0' || strcmp(stage, "EHLO") == 0 || strcmp(stage, "HELO") == 0 ||
	       strcmp(stage, "STARTTLS") == 0 || strcmp(stage, "AUTH") == 0;
}

static void classify(struct smtp *s, CURLcode rc, struct smtp_result *res)
{
	long code = 0;
	const char *stage = s->err_code != 0 ? s->err_stage : s->stage;
	const char *reply = s->err_code != 0 ? s->err_reply : s->reply;
	int late = strcmp(stage, "RCPT") == 0 || strcmp(stage, "DATA") == 0 ||
		   strcmp(stage, "EOD") == 0;

	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	if (s->err_code != 0)
		code = s->err_code;
	res->code = (int)code;
	if (rc == CURLE_OK)
		res->status = SMTP_SENT;
	else if (code >= 500 && code < 600 && late)
		res->status = SMTP_REJECT;
	else
		res->status = SMTP_DEFER;
	res->server_down = rc != CURLE_OK && (before_mail(stage) || code == 421);
	if (stage[0] == '\0')
		stage = "connect";
	if (rc != CURLE_OK && s->err_code == 0)
		snprintf(res->reply, sizeof res->reply, "%s%s%s (after %s)", curl_easy_strerror(rc),
			 s->errbuf[0] != '\0' ? ": " : "", s->errbuf, stage);
	else
		snprintf(res->reply, sizeof res->reply, "%s (after %s)", reply, stage);
}

/* After a failure, drop the connection: the server may be stuck in the
 * middle of a transaction that libcurl would otherwise reuse. */
static void reconnect(struct smtp *s)
{
	CURL *fresh = curl_easy_init();

	if (fresh == NULL)
		return;
	curl_easy_cleanup(s->curl);
	s->curl = fresh;
	set_options(s);
}

enum smtp_status smtp_send(struct smtp *s, const char *from, const char *rcpt, const char *msg,
			   size_t len, struct smtp_result *res)
{
	char from_arg[300], rcpt_arg[300];
	struct curl_slist *to;
	CURLcode rc;

	snprintf(from_arg, sizeof from_arg, "<%s>", from);
	snprintf(rcpt_arg, sizeof rcpt_arg, "<%s>", rcpt);
	to = curl_slist_append(NULL, rcpt_arg);
	s->msg = msg;
	s->len = len;
	s->off = 0;
	s->stage[0] = s->reply[0] = s->errbuf[0] = s->err_stage[0] = s->err_reply[0] = '\0';
	s->err_code = 0;
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from_arg);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(s->curl);
	classify(s, rc, res);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(to);
	if (rc != CURLE_OK)
		reconnect(s);
	return res->status;
}

void smtp_free(struct smtp **sp)
{
	struct smtp *s = *sp;

	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	curl_global_cleanup();
	free(s);
	*sp = NULL;
}

int smtp_tls_parse(const char *name)
{
	static const char *const names[] = { "none", "try", "starttls", "smtps" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}
