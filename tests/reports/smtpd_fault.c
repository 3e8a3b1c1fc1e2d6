/*
 * NAME
 *	smtpd_fault - a loopback SMTP server that fails on request (tests)
 * SYNOPSIS
 *	smtpd_fault -P portfile -d maildir [-r rules] [-a user:pass]
 *	    [-t seconds]
 * DESCRIPTION
 *	Listens on 127.0.0.1 at a free port (written to portfile once it
 *	listens), serves one connection at a time and stores every message
 *	it accepts as maildir/<n>.eml (dot-stuffing undone, envelope in
 *	"X-Envelope-From:" and "X-Envelope-To:" lines on top).  maildir/log
 *	gets one line per event: "accepted <rcpt> <n>.eml", "fault <rcpt>
 *	<action>", "auth <user>".  It exits after -t seconds (default 120)
 *	or on SIGTERM.
 *
 *	The rules file holds "<who> <action> [<times>]" lines, tried in
 *	order; the first with times left that matches is used up (times
 *	defaults to 1; 0 means always).  who is a recipient address, "*"
 *	for any, or "greeting" for new connections.  Actions:
 *	  greeting: 421, 554 (sent as the greeting, then the connection is
 *	    closed).
 *	  recipients: 421 (at RCPT TO, then close), 451, 550 (at RCPT TO);
 *	    drop (close the connection in the middle of DATA); 552, 451data
 *	    (reply to the end of data); stall (no reply to the end of data
 *	    until the client gives up); ok.
 *	With -a, EHLO offers AUTH PLAIN and MAIL FROM needs it.
 * DIAGNOSTICS
 *	Exit 2 on a set-up error; otherwise it runs until a signal.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXRULES 64

struct rule {
	char who[256], action[32];
	int times; /* left; 0 = always */
	int used;
};

static struct rule rules[MAXRULES];
static int nrules;
static const char *maildir, *auth;
static int msgno;

/* One line "<what> <who> <detail>" in maildir/log. */
static void note(const char *what, const char *who, const char *detail)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/log", maildir);
	if ((f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "%s %s %s\n", what, who, detail);
	fclose(f);
}

static void load_rules(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof line, f) != NULL && nrules < MAXRULES) {
		struct rule *r = &rules[nrules];

		r->times = 1;
		if (line[0] == '#' || sscanf(line, "%255s %31s %d", r->who, r->action, &r->times) < 2)
			continue;
		nrules++;
	}
	fclose(f);
}

/* The action for who, used up; "ok" when no rule matches. */
static const char *take(const char *who)
{
	int i;

	for (i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];
		int any = strcmp(r->who, "*") == 0 && strcmp(who, "greeting") != 0;

		if (!any && strcasecmp(r->who, who) != 0)
			continue;
		if (r->times != 0 && r->used >= r->times)
			continue;
		r->used++;
		return r->action;
	}
	return "ok";
}

static void reply(FILE *out, const char *text)
{
	fprintf(out, "%s\r\n", text);
	fflush(out);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Decode base64 in place; returns the length. */
static size_t unbase64(char *s)
{
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;
	char *p;

	for (p = s; *p != '\0' && *p != '='; p++) {
		const char *c = strchr(b64, *p);

		if (c == NULL)
			continue;
		v = (v << 6) | (unsigned)(c - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			s[o++] = (char)((v >> bits) & 0xff);
		}
	}
	return o;
}

/* "\0user\0pass" against -a user:pass. */
static int check_plain(char *resp)
{
	char want[512];
	size_t n = unbase64(resp), ul;
	const char *colon = strchr(auth, ':');

	if (colon == NULL)
		return 0;
	ul = (size_t)(colon - auth);
	snprintf(want, sizeof want, "%c%.*s%c%s", 0, (int)ul, auth, 0, colon + 1);
	if (n != ul + strlen(colon + 1) + 2 || memcmp(resp, want, n) != 0)
		return 0;
	note("auth", "ok", "");
	return 1;
}

struct session {
	FILE *in, *out;
	char from[512], rcpt[512], action[32];
	int authed, has_rcpt;
};

static int do_auth(struct session *s, char *arg)
{
	char line[1024];

	if (strncasecmp(arg, "PLAIN", 5) != 0) {
		reply(s->out, "504 5.5.4 only PLAIN");
		return 0;
	}
	arg += 5;
	arg[strcspn(arg, "\r\n")] = '\0';
	while (*arg == ' ')
		arg++;
	if (*arg == '\0') {
		reply(s->out, "334 ");
		if (fgets(line, sizeof line, s->in) == NULL)
			return -1;
		arg = line;
	}
	arg[strcspn(arg, "\r\n")] = '\0';
	s->authed = check_plain(arg);
	reply(s->out, s->authed ? "235 2.7.0 ok" : "535 5.7.8 bad credentials");
	return 0;
}

static void save(struct session *s, const char *data, size_t n)
{
	char path[4096], name[32];
	FILE *f;

	snprintf(name, sizeof name, "%d.eml", ++msgno);
	snprintf(path, sizeof path, "%s/%s", maildir, name);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n", s->from, s->rcpt);
	fwrite(data, 1, n, f);
	fclose(f);
	note("accepted", s->rcpt, name);
}

/* Wait (bounded) until the client closes the connection. */
static void stall(struct session *s)
{
	struct pollfd p = { fileno(s->in), POLLIN, 0 };
	char buf[512];
	int i;

	for (i = 0; i < 60 && poll(&p, 1, 1000) >= 0; i++)
		if ((p.revents & POLLIN) && read(p.fd, buf, sizeof buf) <= 0)
			break;
}

/* DATA: read to the lone dot, then answer as the rule says. */
static int do_data(struct session *s)
{
	char line[4096], *buf = NULL;
	size_t n = 0, lines = 0;
	int rc = 0;

	reply(s->out, "354 go ahead");
	while (fgets(line, sizeof line, s->in) != NULL) {
		const char *p = line;
		size_t len;

		if (strcmp(line, ".\r\n") == 0 || strcmp(line, ".\n") == 0)
			break;
		if (++lines == 5 && strcmp(s->action, "drop") == 0) {
			note("fault", s->rcpt, "drop");
			free(buf);
			return -1;
		}
		p += line[0] == '.';
		len = strlen(p);
		buf = realloc(buf, n + len + 1);
		memcpy(buf + n, p, len);
		n += len;
	}
	if (strcmp(s->action, "stall") == 0) {
		note("fault", s->rcpt, "stall");
		stall(s);
		rc = -1;
	} else if (strcmp(s->action, "552") == 0 || strcmp(s->action, "451data") == 0) {
		note("fault", s->rcpt, s->action);
		reply(s->out, s->action[0] == '5' ? "552 5.3.4 message too big for this mailbox"
						  : "451 4.3.0 temporary failure, try later");
	} else {
		save(s, buf != NULL ? buf : "", n);
		reply(s->out, "250 2.0.0 accepted");
	}
	free(buf);
	s->has_rcpt = 0;
	return rc;
}

static int do_rcpt(struct session *s, const char *arg)
{
	const char *lt = strchr(arg, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;

	if (lt == NULL || gt == NULL) {
		reply(s->out, "501 5.1.3 bad address");
		return 0;
	}
	snprintf(s->rcpt, sizeof s->rcpt, "%.*s", (int)(gt - lt - 1), lt + 1);
	snprintf(s->action, sizeof s->action, "%s", take(s->rcpt));
	if (strcmp(s->action, "421") == 0 || strcmp(s->action, "451") == 0 ||
	    strcmp(s->action, "550") == 0) {
		note("fault", s->rcpt, s->action);
		reply(s->out, strcmp(s->action, "550") == 0   ? "550 5.1.1 no such user here"
			      : strcmp(s->action, "421") == 0 ? "421 4.3.2 service shutting down"
							      : "451 4.7.1 greylisted, try again later");
		return strcmp(s->action, "421") == 0 ? -1 : 0;
	}
	s->has_rcpt = 1;
	reply(s->out, "250 2.1.5 ok");
	return 0;
}

static void ehlo(struct session *s)
{
	fprintf(s->out, "250-smtpd_fault\r\n250-SIZE 52428800\r\n%s250 8BITMIME\r\n",
		auth != NULL ? "250-AUTH PLAIN\r\n" : "");
	fflush(s->out);
}

/* One command; -1 ends the session. */
static int command(struct session *s, char *line)
{
	char *arg = line + strcspn(line, " \r\n");

	arg += *arg == ' ';
	if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0)
		ehlo(s);
	else if (strncasecmp(line, "AUTH", 4) == 0)
		return do_auth(s, arg);
	else if (strncasecmp(line, "MAIL", 4) == 0) {
		if (auth != NULL && !s->authed) {
			reply(s->out, "530 5.7.0 authentication required");
			return 0;
		}
		snprintf(s->from, sizeof s->from, "%s", arg);
		s->from[strcspn(s->from, "\r\n")] = '\0';
		reply(s->out, "250 2.1.0 ok");
	} else if (strncasecmp(line, "RCPT", 4) == 0)
		return do_rcpt(s, arg);
	else if (strncasecmp(line, "DATA", 4) == 0)
		return s->has_rcpt ? do_data(s) : (reply(s->out, "503 5.5.1 no recipient"), 0);
	else if (strncasecmp(line, "RSET", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0)
		reply(s->out, "250 2.0.0 ok");
	else if (strncasecmp(line, "QUIT", 4) == 0) {
		reply(s->out, "221 2.0.0 bye");
		return -1;
	} else
		reply(s->out, "502 5.5.2 not implemented");
	return 0;
}

static void serve(int fd)
{
	struct session s;
	const char *g = take("greeting");
	char line[4096];

	memset(&s, 0, sizeof s);
	s.in = fdopen(fd, "r");
	s.out = fdopen(dup(fd), "w");
	if (s.in == NULL || s.out == NULL)
		goto done;
	if (strcmp(g, "ok") != 0) {
		note("fault", "greeting", g);
		reply(s.out, g[0] == '5' ? "554 5.3.2 no service" : "421 4.3.2 too busy, try later");
		goto done;
	}
	reply(s.out, "220 smtpd_fault ESMTP");
	while (fgets(line, sizeof line, s.in) != NULL)
		if (command(&s, line) != 0)
			break;
done:
	if (s.in != NULL)
		fclose(s.in);
	if (s.out != NULL)
		fclose(s.out);
}

static int listen_port(const char *portfile)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	FILE *f;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		perror("smtpd_fault: listen");
		exit(2);
	}
	if ((f = fopen(portfile, "w")) == NULL) {
		perror(portfile);
		exit(2);
	}
	fprintf(f, "%u\n", ntohs(a.sin_port));
	fclose(f);
	return fd;
}

int main(int argc, char **argv)
{
	const char *portfile = NULL;
	int c, lfd, seconds = 120;

	while ((c = getopt(argc, argv, "P:d:r:a:t:")) != -1) {
		if (c == 'P')
			portfile = optarg;
		else if (c == 'd')
			maildir = optarg;
		else if (c == 'r')
			load_rules(optarg);
		else if (c == 'a')
			auth = optarg;
		else if (c == 't')
			seconds = atoi(optarg);
		else
			return 2;
	}
	if (portfile == NULL || maildir == NULL) {
		fprintf(stderr, "usage: smtpd_fault -P portfile -d maildir [-r rules] [-a u:p] [-t s]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)seconds);
	lfd = listen_port(portfile);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0)
			serve(fd);
		else if (errno != EINTR)
			return 2;
	}
}
