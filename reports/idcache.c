/*
 * NAME
 *	idcache - bounded (kind, name) -> ID map, open addressing
 * DESCRIPTION
 *	Contract in idcache.h.  IDCACHE_SLOTS slots, linear probing, FNV-1a
 *	hashing; at half full the whole map is cleared, which keeps probes
 *	short and memory bounded (names are at most 255 bytes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idcache.h"
#include "xalloc.h"

#define IDCACHE_SLOTS 65536u

struct slot {
	char *name; /* NULL: empty */
	int kind;
	long long id;
};

struct idcache {
	struct slot *slots;
	size_t used;
};

static uint32_t hash(int kind, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return h;
}

struct idcache *idcache_new(void)
{
	struct idcache *c = xcalloc(1, sizeof *c);

	c->slots = xcalloc(IDCACHE_SLOTS, sizeof *c->slots);
	return c;
}

static struct slot *find(const struct idcache *c, int kind, const char *name)
{
	uint32_t i = hash(kind, name) & (IDCACHE_SLOTS - 1);

	while (c->slots[i].name != NULL &&
	       (c->slots[i].kind != kind || strcmp(c->slots[i].name, name) != 0))
		i = (i + 1) & (IDCACHE_SLOTS - 1);
	return &c->slots[i];
}

int idcache_get(const struct idcache *c, int kind, const char *name, long long *id)
{
	const struct slot *s = find(c, kind, name);

	if (s->name == NULL)
		return 0;
	*id = s->id;
	return 1;
}

void idcache_put(struct idcache *c, int kind, const char *name, long long id)
{
	struct slot *s;

	if (c->used >= IDCACHE_SLOTS / 2)
		idcache_clear(c);
	s = find(c, kind, name);
	if (s->name == NULL) {
		s->name = xstrdup(name);
		s->kind = kind;
		c->used++;
	}
	s->id = id;
}

void idcache_clear(struct idcache *c)
{
	size_t i;

	for (i = 0; i < IDCACHE_SLOTS && c->used > 0; i++) {
		if (c->slots[i].name != NULL) {
			free(c->slots[i].name);
			c->slots[i].name = NULL;
			c->used--;
		}
	}
	c->used = 0;
}

void idcache_free(struct idcache **cp)
{
	if (*cp == NULL)
		return;
	idcache_clear(*cp);
	free((*cp)->slots);
	free(*cp);
	*cp = NULL;
}
