/*
 * NAME
 *	psl - public suffix list (Mozilla format) and RFC 7489 3.2 org domains
 * SYNOPSIS
 *	struct psl *l = psl_parse(buf, len);
 *	psl_org_domain(l, "a.b.example.co.uk", out, sizeof out);
 *	psl_free(&l);
 * DESCRIPTION
 *	psl_parse() reads the list (comments "//", blank lines, wildcard
 *	"*." rules, "!" exceptions, both ICANN and private sections; a rule
 *	ends at the first white space) into a hash table.  psl_org_domain()
 *	applies the PSL algorithm (longest match; exceptions win; no match
 *	means the implicit "*" rule) and returns the public suffix plus one
 *	label.  The name must already be normalised (see domain.h).
 *	psl_load_file() is the only function doing I/O.
 * DIAGNOSTICS
 *	psl_parse()/psl_load_file() return NULL on allocation failure or an
 *	unreadable file (errno set).  psl_org_domain() returns 0, or -1 when
 *	the name is itself a public suffix or does not fit in out.
 */
#ifndef PSL_H
#define PSL_H
#include <stddef.h>

struct psl;

struct psl *psl_parse(const char *buf, size_t len);
struct psl *psl_load_file(const char *path);
int psl_org_domain(const struct psl *list, const char *name, char *out, size_t outlen);
void psl_free(struct psl **list);

#endif
