/*
 * fuzz_arc - a whole message header through the daemon's header readers:
 * the ARC chain (arc_chain, arc_policy_value: ARC-Seal and
 * ARC-Authentication-Results fields), the trusted results and forged-field
 * deletions (message_auth_results: Authentication-Results, Received-SPF)
 * and the From domains (message_from_domains).
 *
 * Input: lines separated by LF; "Name:value" is a header field (value
 * as the MTA hands it to a milter, without the colon); a first line
 * "MAIL:addr" is the envelope sender; a line without ':' is skipped.
 * Our authserv-id is "mx.test.example", the trusted one
 * "relay.test.example".  Invariants, abort() on breach:
 *	ARC: at most ARC_SETS_MAX sets, instances strictly rising within
 *	1..ARC_INSTANCE_MAX, non-empty NUL-terminated d= and s=;
 *	arc_policy_value() stays inside buffers of any size (exactly
 *	allocated) and NUL-terminates them; arc_policy_code() is 0, 1 or 2.
 *	Results: counts within their arrays; deletions strictly descending,
 *	each naming an Authentication-Results field that parses with our
 *	authserv-id; no DKIM result and no ARC result unless some field
 *	with our or the trusted authserv-id exists.
 *	From: at most the asked number of domains, each NUL-terminated.
 * No state survives a call.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ar.h"
#include "arc.h"
#include "message.h"

#define OURS "mx.test.example"
#define TRUSTED "relay.test.example"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void terminated(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
}

static struct message *build(const uint8_t *data, size_t size)
{
	struct message *m = message_new();
	char *text = malloc(size + 1), *line, *next;
	int first = 1;

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line != NULL; line = next, first = 0) {
		char *colon;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		if (first && strcmp(line, "MAIL") == 0)
			message_set_mailfrom(m, colon + 1);
		else
			(void)message_add_header(m, line, colon + 1);
	}
	free(text);
	return m;
}

static void check_arc(const struct arc_chain *c)
{
	static const size_t sizes[] = { 1, 2, 7, 64, 300, 4096 };
	size_t i;
	long last = 0;

	if (c->nsets > ARC_SETS_MAX)
		abort();
	for (i = 0; i < c->nsets; i++) {
		const struct arc_hop *h = &c->sets[i];

		if (h->instance <= last || h->instance > ARC_INSTANCE_MAX)
			abort();
		last = h->instance;
		terminated(h->domain, sizeof h->domain);
		terminated(h->selector, sizeof h->selector);
		terminated(h->ip, sizeof h->ip);
		if (h->domain[0] == '\0' || h->selector[0] == '\0')
			abort();
	}
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *buf = malloc(sizes[i]);
		int code = arc_policy_code((int)(i % 3) == 0 ? ARES_RESULT_PASS : ARES_RESULT_FAIL,
					   (int)(i & 1));

		if (buf == NULL)
			abort();
		if (code < 0 || code > 2)
			abort();
		arc_policy_value(c, code, buf, sizes[i]);
		terminated(buf, sizes[i]);
		free(buf);
	}
}

/* the value of the idx-th (1-based) Authentication-Results field, or NULL */
static const char *nth_ar(const struct message *m, size_t idx)
{
	size_t i, n = 0;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, "Authentication-Results") == 0 && ++n == idx)
			return m->hdrs[i].value;
	return NULL;
}

static void check_auth(const struct message *m, const struct auth_results *a)
{
	struct ar_header arh = { 0 }, *ar = &arh;
	size_t i;
	int any_trusted = 0;

	if (a->ndkim > MESSAGE_DKIM_MAX || a->ndelete > MESSAGE_DELETE_MAX)
		abort();
	for (i = 0; i < a->ndkim; i++) {
		terminated(a->dkim[i].domain, sizeof a->dkim[i].domain);
		terminated(a->dkim[i].selector, sizeof a->dkim[i].selector);
	}
	terminated(a->spf.domain, sizeof a->spf.domain);
	terminated(a->spf.word, sizeof a->spf.word);
	for (i = 0; i < a->ndelete; i++) {
		const char *v = nth_ar(m, a->delete_index[i]);

		if (v == NULL || (i > 0 && a->delete_index[i] >= a->delete_index[i - 1]))
			abort();
		if (ar_parse(v, strlen(v), ar) != 0 || !ar_id_in_list(ar->authservid, OURS))
			abort();
	}
	for (i = 0; i < m->nhdrs; i++) {
		const char *v = m->hdrs[i].value;

		if (strcasecmp(m->hdrs[i].name, "Authentication-Results") == 0 &&
		    ar_parse(v, strlen(v), ar) == 0 &&
		    (ar_id_in_list(ar->authservid, OURS) || ar_id_in_list(ar->authservid, TRUSTED)))
			any_trusted = 1;
	}
	if (!any_trusted && (a->ndkim != 0 || a->arc_ares != ARES_RESULT_UNKNOWN))
		abort();
	ar_header_free(ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message *m = build(data, size);
	struct arc_chain *chain = malloc(sizeof(*chain));
	struct auth_results *auth = malloc(sizeof(*auth));
	char (*doms)[ADDR_DOMAIN_MAX] = malloc(4 * ADDR_DOMAIN_MAX);
	struct trust t = { .authservid = OURS, .trusted = TRUSTED };
	size_t n, nfields, i;
	enum addr_status status;

	if (chain == NULL || auth == NULL || doms == NULL)
		abort();
	arc_chain(m, chain);
	check_arc(chain);
	message_auth_results(m, &t, auth);
	check_auth(m, auth);
	t.spf_ignore = 1;
	message_auth_results(m, &t, auth);
	check_auth(m, auth);
	n = message_from_domains(m, doms, 4, &nfields, &status);
	if (n > 4)
		abort();
	for (i = 0; i < n; i++)
		terminated(doms[i], ADDR_DOMAIN_MAX);
	free(doms);
	free(auth);
	free(chain);
	message_free(&m);
	return 0;
}
