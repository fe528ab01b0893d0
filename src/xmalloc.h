/*
 * xmalloc.h: allocation wrappers that never return NULL.
 *
 * Running out of memory aborts with a message: the only place the core
 * exits on its own.
 */
#ifndef GUILD_XMALLOC_H
#define GUILD_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t) __attribute__((malloc));
void	*xcalloc(size_t, size_t) __attribute__((malloc));
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *) __attribute__((malloc));
char	*xstrndup(const char *, size_t) __attribute__((malloc));
void	*xmemdup(const void *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Grow *array (of *alloc elements of size) so that it can hold need. */
void	*xgrow(void *array, size_t *alloc, size_t need, size_t size);
#define XGROW(array, alloc, need) \
	((array) = xgrow((array), &(alloc), (need), sizeof *(array)))

#endif
