/*
 * NAME
 *	arcjson - the ARC chain summary of a history "arc_policy" value
 * SYNOPSIS
 *	n = arcjson_parse(rec.arc_policy, &policy, sets, ARCJSON_MAX);
 * DESCRIPTION
 *	OpenDMARC 1.4 writes "arc_policy <n> json:[{...}, ...]": the ARC
 *	policy result code, then one JSON object per ARC set with the
 *	instance "i", sealing domain "d", selector "s" and the client
 *	address "ip" recorded in ARC-Authentication-Results (Exim writes
 *	"json[ ... ]").  This reads that small, flat subset of JSON: an
 *	array of objects whose keys (quoted or bare) map to strings or
 *	integers; other keys are ignored, and sets beyond max are dropped.
 *	Strings longer than their field are refused, not truncated.
 * DIAGNOSTICS
 *	Returns the number of sets stored, or -1 for text that does not
 *	parse (*policy is still set when the leading number was readable,
 *	else 0).  An empty value gives 0 sets and policy 0.
 */
#ifndef ARCJSON_H
#define ARCJSON_H
#include <stddef.h>

#define ARCJSON_MAX 50

struct arc_set {
	long instance;
	char domain[256];
	char selector[256];
	char ip[64];
};

int arcjson_parse(const char *value, int *policy, struct arc_set *sets, size_t max);

#endif
