/* strvec.c: NULL-terminated string vectors. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "strvec.h"

void
strvec_push_nodup(struct strvec *sv, char *s)
{
	XGROW(sv->v, sv->alloc, sv->n + 2);
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_nodup(sv, xstrdup(s));
}

void
strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strvec_push_nodup(sv, xvasprintf(fmt, ap));
	va_end(ap);
}

void
strvec_pushv(struct strvec *sv, const char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		strvec_push(sv, *v);
}

void
strvec_pop(struct strvec *sv)
{
	if (sv->n == 0)
		return;
	free(sv->v[--sv->n]);
	sv->v[sv->n] = NULL;
}

void
strvec_clear(struct strvec *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

long
strvec_find(const struct strvec *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
strvec_sort(struct strvec *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

char *
strvec_join(const struct strvec *sv, const char *sep)
{
	size_t	 i, len = 1, seplen = strlen(sep);
	char	*s, *p;

	for (i = 0; i < sv->n; i++)
		len += strlen(sv->v[i]) + (i > 0 ? seplen : 0);
	p = s = xmalloc(len);
	for (i = 0; i < sv->n; i++) {
		size_t	n = strlen(sv->v[i]);

		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, sv->v[i], n);
		p += n;
	}
	*p = '\0';
	return s;
}

static long
env_index(const struct strvec *sv, const char *name)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < sv->n; i++)
		if (strncmp(sv->v[i], name, len) == 0 && sv->v[i][len] == '=')
			return (long)i;
	return -1;
}

void
strvec_setenv(struct strvec *sv, const char *name, const char *value)
{
	long	i = env_index(sv, name);

	if (i < 0) {
		strvec_pushf(sv, "%s=%s", name, value);
		return;
	}
	free(sv->v[i]);
	sv->v[i] = xasprintf("%s=%s", name, value);
}

const char *
strvec_getenv(const struct strvec *sv, const char *name)
{
	long	i = env_index(sv, name);

	return i < 0 ? NULL : sv->v[i] + strlen(name) + 1;
}
