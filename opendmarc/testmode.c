/*
 * testmode - one message file through the filter.  See testmode.h.
 */
#include "testmode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "session.h"
#include "xalloc.h"

static int t_insheader(void *h, int idx, const char *name, const char *value)
{
	printf("insert %d %s: %s\n", idx, name, value);
	return 0;
}

static int t_delheader(void *h, const char *name, int idx)
{
	printf("delete %s %d\n", name, idx);
	return 0;
}

static int t_setreply(void *h, const char *code, const char *esc, const char *text)
{
	printf("reply %s %s %s\n", code, esc, text);
	return 0;
}

static int t_quarantine(void *h, const char *reason)
{
	printf("quarantine %s\n", reason);
	return 0;
}

static int t_addrcpt(void *h, const char *rcpt)
{
	printf("addrcpt %s\n", rcpt);
	return 0;
}

static const struct out_ops test_ops = {
	t_insheader, t_delheader, t_setreply, t_quarantine, t_addrcpt,
};

/* Adds the field in buf ("Name: value", folded lines joined by "\n") to the message. */
static void add_field(struct session *s, char *buf)
{
	char *colon = strchr(buf, ':');

	if (colon == NULL)
		return;
	*colon = '\0';
	session_header(s, buf, colon + 1);
}

/* The rest of the file is the body (for DKIMSelfValidate). */
static void read_body(FILE *f, struct session *s)
{
	unsigned char buf[8192];
	size_t n;

	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		session_body(s, buf, n);
}

static void read_header(FILE *f, struct session *s)
{
	char line[8192];
	char *field = NULL;
	size_t len = 0;

	while (fgets(line, sizeof line, f) != NULL) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (n == 0)
			break;
		if ((line[0] == ' ' || line[0] == '\t') && field != NULL) {
			field = xrealloc(field, len + n + 2);
			memcpy(field + len, "\n", 1);
			memcpy(field + len + 1, line, n + 1);
			len += n + 1;
			continue;
		}
		if (field != NULL)
			add_field(s, field);
		free(field);
		field = xstrdup(line);
		len = n;
	}
	if (field != NULL)
		add_field(s, field);
	free(field);
}

static void envelope_from_return_path(struct session *s)
{
	const char *rp = message_header(s->msg, "Return-Path", 0);
	char addr[512];
	size_t n;

	if (rp == NULL)
		return;
	snprintf(addr, sizeof addr, "%s", rp);
	n = strcspn(addr, ">");
	addr[n] = '\0';
	message_set_mailfrom(s->msg, addr[0] == '<' ? addr + 1 : addr);
}

int testmode_run(const char *path, int verbose)
{
	static const char *const words[] = { "accept", "reject", "tempfail" };
	struct runtime *rt = runtime_acquire();
	struct session *s;
	enum dm_action act;
	FILE *f = fopen(path, "r");

	if (f == NULL || rt == NULL) {
		fprintf(stderr, "opendmarc: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		runtime_release(rt);
		return 1;
	}
	s = session_new(rt);
	snprintf(s->ip, sizeof s->ip, "127.0.0.1");
	s->iptype = DMARC_POLICY_IP_TYPE_IPV4;
	session_begin(s, "");
	read_header(f, s);
	read_body(f, s);
	fclose(f);
	envelope_from_return_path(s);
	if (verbose)
		fprintf(stderr, "opendmarc: %s: %zu header fields\n", path, s->msg->nhdrs);
	act = session_eom(s, "TEST", &test_ops, NULL);
	printf("result %s\n", words[act]);
	session_free(&s);
	runtime_release(rt);
	return 0;
}
