/*
 * dynlib - a shared library loaded with dlopen().  See dynlib.h.
 */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t nsyms, char *err,
		size_t errlen)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	void **addr;
	const char *why;
	size_t i;

	if (lib == NULL) {
		why = dlerror();
		snprintf(err, errlen, "can't load %s: %s", soname, why != NULL ? why : "dlopen() failed");
		return -1;
	}
	addr = calloc(nsyms > 0 ? nsyms : 1, sizeof(*addr));
	if (addr == NULL) {
		snprintf(err, errlen, "can't load %s: out of memory", soname);
		dlclose(lib);
		return -1;
	}
	for (i = 0; i < nsyms; i++) {
		(void)dlerror();
		addr[i] = dlsym(lib, syms[i].name);
		if (addr[i] == NULL) {
			why = dlerror();
			snprintf(err, errlen, "can't load %s: symbol %s: %s", soname, syms[i].name,
				 why != NULL ? why : "not found");
			free(addr);
			dlclose(lib);
			return -1;
		}
	}
	for (i = 0; i < nsyms; i++)
		*syms[i].slot = addr[i];
	free(addr);
	return 0;
}

int dynlib_need(struct dynlib *d, char *err, size_t errlen)
{
	char why[512];
	int rc = 0;

	pthread_mutex_lock(&d->lock);
	if (!d->loaded) {
		if (dynlib_load(d->soname, d->syms, d->nsyms, why, sizeof why) == 0) {
			if (d->hook != NULL)
				d->hook();
			d->loaded = 1;
		} else {
			snprintf(err, errlen, "%s: %s", d->what, why);
			rc = -1;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}
