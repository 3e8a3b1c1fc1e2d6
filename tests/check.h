/*
 * check.h - the few macros our table-driven unit tests share.
 * CHECK() records a failure with file:line and the message, and carries on
 * so one run shows every broken case; check_done() prints the tally and
 * gives the exit status automake's test driver reads.
 */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		check_count++;                                                \
		if (!(cond)) {                                                \
			check_failures++;                                     \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
		}                                                             \
	} while (0)

#define CHECK_STR(got, want, ctx)                                              \
	CHECK(strcmp((got), (want)) == 0, "%s: got \"%s\", want \"%s\"", (ctx), \
	      (got), (want))

#define CHECK_INT(got, want, ctx)                                               \
	CHECK((long)(got) == (long)(want), "%s: got %ld, want %ld", (ctx), \
	      (long)(got), (long)(want))

static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
