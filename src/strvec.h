/*
 * strvec.h: a NULL-terminated vector of owned strings, for argv and envp.
 */
#ifndef GUILD_STRVEC_H
#define GUILD_STRVEC_H

#include <stddef.h>

struct strvec {
	char	**v;	/* NULL-terminated once anything was pushed */
	size_t	  n;
	size_t	  alloc;
};

#define STRVEC_INIT { NULL, 0, 0 }

void	 strvec_push(struct strvec *, const char *);
void	 strvec_push_nodup(struct strvec *, char *);
void	 strvec_pushf(struct strvec *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strvec_pushv(struct strvec *, const char *const *);
void	 strvec_pop(struct strvec *);
void	 strvec_clear(struct strvec *);
/* Index of s in the vector, or -1. */
long	 strvec_find(const struct strvec *, const char *s);
void	 strvec_sort(struct strvec *);
/* The strings joined by sep. Caller frees. */
char	*strvec_join(const struct strvec *, const char *sep);

/*
 * Environment helpers: set NAME=VALUE, replacing an existing NAME; get the
 * value of NAME or NULL.
 */
void		 strvec_setenv(struct strvec *, const char *name, const char *value);
const char	*strvec_getenv(const struct strvec *, const char *name);

#endif
