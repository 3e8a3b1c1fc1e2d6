/*
 * NAME
 *	idcache - remembers the row IDs of names already looked up
 * SYNOPSIS
 *	c = idcache_new();
 *	if (idcache_get(c, kind, name, &id)) ...; else idcache_put(c, kind, name, id);
 *	idcache_clear(c); idcache_free(&c);
 * DESCRIPTION
 *	A bounded hash map from (kind, name) to a 64-bit ID, so importing a
 *	day of history does not ask the database for "example.com" a
 *	thousand times.  kind separates tables (and, for selectors, the
 *	signing domain's ID goes into the name).  When full it forgets
 *	everything and starts over.  After a ROLLBACK the caller must call
 *	idcache_clear(): IDs of rows the database no longer has must go.
 */
#ifndef IDCACHE_H
#define IDCACHE_H

struct idcache;

struct idcache *idcache_new(void);
int idcache_get(const struct idcache *c, int kind, const char *name, long long *id);
void idcache_put(struct idcache *c, int kind, const char *name, long long id);
void idcache_clear(struct idcache *c);
void idcache_free(struct idcache **cp);

#endif
