/*
 * message - per-message state and the pure DMARC decision.  See message.h.
 */
#include "message.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ar.h"
#include "dmarc.h"
#include "xalloc.h"

#define MESSAGE_BYTES_MAX (4u * 1024 * 1024) /* other fields beyond this are dropped */
#define MESSAGE_FIELDS_MAX 10000

struct message *message_new(void)
{
	return xcalloc(1, sizeof(struct message));
}

void message_free(struct message **mp)
{
	struct message *m = *mp;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	free(m->hdrs);
	free(m->mailfrom);
	free(m);
	*mp = NULL;
}

/* Domain of an address ("<user@Example.COM>", "user@x", "x"), lower-cased. */
static void address_domain(const char *addr, char *out, size_t outlen)
{
	const char *at = strrchr(addr, '@');
	const char *s = at != NULL ? at + 1 : addr;
	size_t i, n = strcspn(s, ">");

	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n >= outlen)
		n = 0; /* too long to be a domain name: no domain */
	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[n] = '\0';
	if (strchr(out, '<') != NULL || strchr(out, ' ') != NULL)
		out[0] = '\0';
}

void message_set_mailfrom(struct message *m, const char *addr)
{
	free(m->mailfrom);
	m->mailfrom = xstrdup(addr);
	if (strchr(addr, '@') != NULL)
		address_domain(addr, m->mfrom_domain, sizeof m->mfrom_domain);
	else
		m->mfrom_domain[0] = '\0';
}

static int is_kept_always(const char *name)
{
	return strcasecmp(name, "From") == 0 || strcasecmp(name, "Authentication-Results") == 0 ||
	       strcasecmp(name, "Received-SPF") == 0 || strcasecmp(name, "Received") == 0;
}

int message_add_header(struct message *m, const char *name, const char *value)
{
	size_t size = strlen(name) + strlen(value);

	if ((m->bytes + size > MESSAGE_BYTES_MAX || m->nhdrs >= MESSAGE_FIELDS_MAX) &&
	    !is_kept_always(name))
		return -1;
	if (m->nhdrs == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 32;
		m->hdrs = xrealloc(m->hdrs, m->cap * sizeof(*m->hdrs));
	}
	m->hdrs[m->nhdrs].name = xstrdup(name);
	m->hdrs[m->nhdrs].value = xstrdup(value);
	m->nhdrs++;
	m->bytes += size;
	return 0;
}

const char *message_header(const struct message *m, const char *name, size_t nth)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, name) == 0 && nth-- == 0)
			return m->hdrs[i].value;
	return NULL;
}

static size_t count_fields(const struct message *m, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, name) == 0)
			n++;
	return n;
}

size_t message_from_domains(const struct message *m, char doms[][ADDR_DOMAIN_MAX], size_t max,
			    size_t *nfields, enum addr_status *status)
{
	char found[ADDR_MAX][ADDR_DOMAIN_MAX];
	size_t i, j, k, n = 0;

	*nfields = 0;
	*status = ADDR_OK;
	for (i = 0; i < m->nhdrs; i++) {
		enum addr_status st;
		size_t nf;

		if (strcasecmp(m->hdrs[i].name, "From") != 0)
			continue;
		(*nfields)++;
		nf = addr_from_domains(m->hdrs[i].value, strlen(m->hdrs[i].value), found, ADDR_MAX, &st);
		if (*status == ADDR_OK)
			*status = st;
		for (j = 0; j < nf; j++) {
			for (k = 0; k < n && strcmp(doms[k], found[j]) != 0; k++)
				;
			if (k < n)
				continue;
			if (n == max) {
				*status = ADDR_TOO_MANY;
				break;
			}
			memcpy(doms[n++], found[j], ADDR_DOMAIN_MAX);
		}
	}
	if (*nfields == 0)
		*status = ADDR_EMPTY;
	return n;
}

int message_headers_ok(const struct message *m)
{
	static const char *const once[] = { "Sender", "Reply-To", "To", "Cc", "Bcc",
					    "Message-ID", "In-Reply-To", "References", "Subject" };
	size_t i;

	if (count_fields(m, "From") != 1 || count_fields(m, "Date") != 1)
		return 0;
	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (count_fields(m, once[i]) > 1)
			return 0;
	return 1;
}

int ares_code(const char *word)
{
	static const struct {
		const char *word;
		int code;
	} codes[] = {
		{ "pass", ARES_RESULT_PASS }, { "softfail", ARES_RESULT_SOFTFAIL },
		{ "neutral", ARES_RESULT_NEUTRAL }, { "temperror", ARES_RESULT_TEMPERROR },
		{ "tempfail", ARES_RESULT_TEMPERROR }, { "permerror", ARES_RESULT_PERMERROR },
		{ "none", ARES_RESULT_NONE }, { "fail", ARES_RESULT_FAIL },
		{ "hardfail", ARES_RESULT_FAIL }, { "policy", ARES_RESULT_POLICY },
		{ "nxdomain", ARES_RESULT_NXDOMAIN }, { "signed", ARES_RESULT_SIGNED },
		{ "unknown", ARES_RESULT_UNKNOWN }, { "discard", ARES_RESULT_DISCARD },
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcasecmp(codes[i].word, word) == 0)
			return codes[i].code;
	return ARES_RESULT_PERMERROR;
}

const char *ares_word(int ares)
{
	static const char *const words[] = {
		"pass", "unused", "softfail", "neutral", "temperror", "permerror", "none",
		"fail", "policy", "nxdomain", "signed", "unknown", "discard",
	};

	return ares >= 0 && ares < (int)(sizeof(words) / sizeof(words[0])) ? words[ares] : "none";
}

int ares_spf_outcome(int ares)
{
	switch (ares) {
	case ARES_RESULT_PASS:
		return DMARC_POLICY_SPF_OUTCOME_PASS;
	case ARES_RESULT_FAIL: case ARES_RESULT_SOFTFAIL: case ARES_RESULT_NEUTRAL:
		return DMARC_POLICY_SPF_OUTCOME_FAIL;
	case ARES_RESULT_TEMPERROR:
		return DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
	default:
		return DMARC_POLICY_SPF_OUTCOME_NONE;
	}
}

int ares_dkim_outcome(int ares)
{
	switch (ares) {
	case ARES_RESULT_PASS:
		return DMARC_POLICY_DKIM_OUTCOME_PASS;
	case ARES_RESULT_TEMPERROR:
		return DMARC_POLICY_DKIM_OUTCOME_TMPFAIL;
	case ARES_RESULT_NONE:
		return DMARC_POLICY_DKIM_OUTCOME_NONE;
	default:
		return DMARC_POLICY_DKIM_OUTCOME_FAIL;
	}
}

static void take_spf(const struct ar_result *r, struct auth_spf *spf)
{
	const char *mf = ar_prop_get(r, "smtp", "mailfrom");
	const char *helo = ar_prop_get(r, "smtp", "helo");

	if (spf->have || (mf == NULL && helo == NULL))
		return;
	address_domain(mf != NULL ? mf : helo, spf->domain, sizeof spf->domain);
	if (spf->domain[0] == '\0')
		return;
	spf->have = 1;
	spf->origin = mf != NULL ? DMARC_POLICY_SPF_ORIGIN_MAILFROM : DMARC_POLICY_SPF_ORIGIN_HELO;
	spf->ares = ares_code(r->result);
	spf->outcome = ares_spf_outcome(spf->ares);
	snprintf(spf->word, sizeof spf->word, "%s", r->result);
}

static void take_dkim(const struct ar_result *r, struct auth_results *out)
{
	const char *d = ar_prop_get(r, "header", "d");
	const char *i = ar_prop_get(r, "header", "i");
	const char *s = ar_prop_get(r, "header", "s");
	struct auth_dkim *k;

	if ((d == NULL && i == NULL) || out->ndkim == MESSAGE_DKIM_MAX)
		return;
	k = &out->dkim[out->ndkim];
	address_domain(d != NULL ? d : i, k->domain, sizeof k->domain);
	if (k->domain[0] == '\0')
		return;
	snprintf(k->selector, sizeof k->selector, "%s", s != NULL ? s : "");
	k->ares = ares_code(r->result);
	k->outcome = ares_dkim_outcome(k->ares);
	out->ndkim++;
}

static void take_results(const struct ar_header *ar, const struct trust *t,
			 struct auth_results *out)
{
	size_t i;

	for (i = 0; i < ar->nresults; i++) {
		const struct ar_result *r = &ar->results[i];

		if (strcasecmp(r->method, "spf") == 0 && !t->spf_ignore)
			take_spf(r, &out->spf);
		else if (strcasecmp(r->method, "dkim") == 0)
			take_dkim(r, out);
		else if (strcasecmp(r->method, "arc") == 0)
			out->arc_ares = ares_code(r->result);
	}
}

/* The topmost Received-SPF, only for identity=mailfrom naming our MAIL FROM. */
static void take_received_spf(const struct message *m, struct auth_spf *spf)
{
	const char *body = message_header(m, "Received-SPF", 0);
	char domain[ADDR_DOMAIN_MAX];
	struct rspf rs;

	if (body == NULL || m->mfrom_domain[0] == '\0' || rspf_parse(body, strlen(body), &rs) != 0)
		return;
	if (strcasecmp(rs.identity, "mailfrom") != 0 || rs.envelope_from[0] == '\0')
		return;
	address_domain(rs.envelope_from, domain, sizeof domain);
	if (strcmp(domain, m->mfrom_domain) != 0)
		return;
	spf->have = 1;
	spf->origin = DMARC_POLICY_SPF_ORIGIN_MAILFROM;
	spf->ares = ares_code(rs.result);
	spf->outcome = ares_spf_outcome(spf->ares);
	snprintf(spf->domain, sizeof spf->domain, "%s", m->mfrom_domain);
	snprintf(spf->word, sizeof spf->word, "%s", rs.result);
}

/*
 * A field carrying our own authserv-id cannot be told apart from one the
 * sender forged: the MTA shows milters neither its own Received field nor
 * which fields an earlier milter added, and the sender orders the rest.
 * So such fields are removed and ignored (CVE-2022-48521), unless the
 * operator named our id in TrustedAuthservIDs, asserting that an earlier
 * filter (say opendkim with RemoveARFrom) strips forged ones first.
 */
void message_auth_results(const struct message *m, const struct trust *t,
			  struct auth_results *out)
{
	size_t i, arindex = 0;
	struct ar_header arh = { 0 }, *ar = &arh;

	memset(out, 0, sizeof(*out));
	out->arc_ares = ARES_RESULT_UNKNOWN;
	for (i = 0; i < m->nhdrs; i++) {
		const char *v = m->hdrs[i].value;

		if (strcasecmp(m->hdrs[i].name, "Authentication-Results") != 0)
			continue;
		arindex++;
		if (ar_parse(v, strlen(v), ar) != 0)
			continue;
		if (ar_id_in_list(ar->authservid, t->authservid)) {
			if (!t->own_trusted) {
				if (out->ndelete < MESSAGE_DELETE_MAX)
					out->delete_index[out->ndelete++] = arindex;
				continue;
			}
		} else if (!ar_id_in_list(ar->authservid, t->trusted)) {
			continue;
		}
		take_results(ar, t, out);
	}
	ar_header_free(ar);
	/* delete from the last occurrence backwards */
	for (i = 0; i < out->ndelete / 2; i++) {
		size_t tmp = out->delete_index[i];

		out->delete_index[i] = out->delete_index[out->ndelete - 1 - i];
		out->delete_index[out->ndelete - 1 - i] = tmp;
	}
	if (!out->spf.have && !t->spf_ignore)
		take_received_spf(m, &out->spf);
}

enum dm_result outcome_result(const struct domain_outcome *o)
{
	switch (o->status) {
	case DMARC_DNS_ERROR_TMPERR:
		return DM_TEMPERROR;
	case DMARC_DNS_ERROR_NO_RECORD:
	case DMARC_DNS_ERROR_NXDOMAIN:
		return DM_NONE;
	case DMARC_PARSE_OKAY:
		break;
	default:
		return DM_PERMERROR;
	}
	switch (o->policy) {
	case DMARC_POLICY_PASS:
		return DM_PASS;
	case DMARC_POLICY_REJECT:
	case DMARC_POLICY_QUARANTINE:
	case DMARC_POLICY_NONE:
		return DM_FAIL;
	case DMARC_POLICY_ABSENT:
	case DMARC_FROM_DOMAIN_ABSENT:
		return DM_NONE;
	case DMARC_DNS_ERROR_TMPERR:
		return DM_TEMPERROR;
	default:
		return DM_PERMERROR;
	}
}

static const char *policy_letter_word(int c)
{
	switch (c) {
	case DMARC_RECORD_P_REJECT:
		return "reject";
	case DMARC_RECORD_P_QUARANTINE:
		return "quarantine";
	default:
		return "none";
	}
}

const char *outcome_policy_word(const struct domain_outcome *o)
{
	enum dm_result r = outcome_result(o);

	if (r != DM_PASS && r != DM_FAIL)
		return "none";
	if (o->used == DMARC_USED_POLICY_IS_SP)
		return policy_letter_word(o->sp);
	if (o->used == DMARC_USED_POLICY_IS_NP)
		return policy_letter_word(o->np);
	return policy_letter_word(o->p);
}

/* The policy a failure gets after pct (RFC 7489 6.6.4) and t=y (RFC 9989). */
static int effective_policy(const struct domain_outcome *o)
{
	int pol = o->policy;

	if (o->testing || o->roll >= o->pct) {
		if (pol == DMARC_POLICY_REJECT)
			pol = DMARC_POLICY_QUARANTINE;
		else if (pol == DMARC_POLICY_QUARANTINE)
			pol = DMARC_POLICY_NONE;
	}
	return pol;
}

static int rank(const struct domain_outcome *o)
{
	switch (outcome_result(o)) {
	case DM_FAIL:
		switch (effective_policy(o)) {
		case DMARC_POLICY_REJECT:
			return 6;
		case DMARC_POLICY_QUARANTINE:
			return 4;
		default:
			return 3;
		}
	case DM_TEMPERROR:
		return 5;
	case DM_PERMERROR:
		return 2;
	case DM_NONE:
		return 1;
	case DM_PASS:
	default:
		return 0;
	}
}

static const char *const result_words[] = { "pass", "fail", "none", "temperror", "permerror" };

const char *dm_result_word(enum dm_result r)
{
	return result_words[r];
}

static void set_reject(struct verdict *v, const char *reason)
{
	v->action = ACT_REJECT;
	v->smtp_code = "550";
	v->esc = "5.7.1";
	v->reason = reason;
	v->disposition = "reject";
	v->history_action = DMARC_RESULT_REJECT;
}

static void apply_policy(const struct eval_input *in, const struct domain_outcome *o,
			 struct verdict *v)
{
	if (v->result == DM_TEMPERROR && in->reject_failures) {
		v->action = ACT_TEMPFAIL;
		v->smtp_code = "451";
		v->esc = "4.7.1";
		v->reason = "temperror";
		v->history_action = DMARC_RESULT_TEMPFAIL;
		return;
	}
	if (v->result != DM_FAIL)
		return;
	v->copy_failure = 1;
	if (in->arc_override) {
		v->arc_override = effective_policy(o) != DMARC_POLICY_NONE;
		return;
	}
	switch (effective_policy(o)) {
	case DMARC_POLICY_REJECT:
		if (in->reject_failures)
			set_reject(v, "policy");
		break;
	case DMARC_POLICY_QUARANTINE:
		if (in->reject_failures || in->hold_quarantined) {
			v->disposition = "quarantine";
			v->history_action = DMARC_RESULT_QUARANTINE;
			v->quarantine = in->hold_quarantined;
		}
		break;
	default:
		break;
	}
	v->copy_failure = v->action == ACT_ACCEPT;
}

void evaluate(const struct eval_input *in, const struct domain_outcome *outs, size_t nout,
	      struct verdict *v)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->action = ACT_ACCEPT;
	v->disposition = "none";
	v->policy_word = "none";
	v->history_action = DMARC_RESULT_ACCEPT;
	v->result = DM_PERMERROR;
	v->result_word = "permerror";
	if (nout == 0) {
		v->reason = "no-from";
		if (in->required_headers)
			set_reject(v, "headers");
		return;
	}
	for (i = 1; i < nout; i++)
		if (rank(&outs[i]) > rank(&outs[v->which]))
			v->which = i;
	v->result = outcome_result(&outs[v->which]);
	v->result_word = result_words[v->result];
	v->policy_word = outcome_policy_word(&outs[v->which]);
	if (in->required_headers && !in->headers_ok) {
		set_reject(v, "headers");
		return;
	}
	if (nout > 1 && in->reject_multi_from) {
		set_reject(v, "multi-from");
		return;
	}
	apply_policy(in, &outs[v->which], v);
}
