/*
 * NAME
 *	dynlib - a shared library loaded with dlopen() into a function table
 * SYNOPSIS
 *	static struct { __typeof__(foo_open) *open; } t;
 *	static const struct dynlib_sym syms[] = {
 *		{ "foo_open", (void **)&t.open },
 *	};
 *	if (dynlib_load("libfoo.so.1", syms, 1, err, sizeof err) != 0) ...
 *
 *	static struct dynlib foo = DYNLIB_INIT("libfoo.so.1", syms, "FooOption", NULL);
 *	if (dynlib_need(&foo, err, sizeof err) != 0) ...
 * DESCRIPTION
 *	dynlib_load() opens soname (RTLD_NOW | RTLD_LOCAL) and stores the
 *	address of each named symbol (function or variable) in its slot.
 *	The library is never closed: the slots stay valid for the life of
 *	the process, and a later dlopen() of the same soname (after a
 *	chroot(), say) finds the loaded copy.  The caller serialises calls
 *	and remembers the success; a second load of the same table is
 *	harmless but pointless.
 * DIAGNOSTICS
 *	0, or -1 with a message naming the library and the dlerror() text
 *	(the library not found, or a symbol missing) in err; the slots are
 *	then untouched and the library is closed again.  dynlib_need()'s
 *	message starts with the struct's "what" (the option needing it).
 */
#ifndef DYNLIB_H_DAEMON
#define DYNLIB_H_DAEMON
#include <pthread.h>
#include <stddef.h>

struct dynlib_sym {
	const char *name;
	void **slot;
};

struct dynlib {
	const char *soname;
	const struct dynlib_sym *syms;
	size_t nsyms;
	const char *what;
	void (*hook)(void);
	pthread_mutex_t lock;
	int loaded;
};

#define DYNLIB_INIT(soname, syms, what, hook)                                          \
	{ (soname), (syms), sizeof(syms) / sizeof((syms)[0]), (what), (hook),           \
	  PTHREAD_MUTEX_INITIALIZER, 0 }

int dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t nsyms, char *err,
		size_t errlen);
int dynlib_need(struct dynlib *d, char *err, size_t errlen);

#endif
