/*
 * strbuf.h: a growable byte buffer, always NUL-terminated.
 *
 *	struct strbuf sb = STRBUF_INIT;
 *	strbuf_addf(&sb, "%d runs", n);
 *	use(sb.buf);
 *	strbuf_release(&sb);
 */
#ifndef GUILD_STRBUF_H
#define GUILD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;	/* never NULL once initialised; "" when empty */
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void	 strbuf_init(struct strbuf *);
void	 strbuf_release(struct strbuf *);
char	*strbuf_detach(struct strbuf *, size_t *len);	/* caller frees */
void	 strbuf_grow(struct strbuf *, size_t extra);
void	 strbuf_add(struct strbuf *, const void *, size_t);
void	 strbuf_addstr(struct strbuf *, const char *);
void	 strbuf_addch(struct strbuf *, int);
void	 strbuf_addchars(struct strbuf *, int c, size_t n);
void	 strbuf_addf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vaddf(struct strbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 strbuf_setlen(struct strbuf *, size_t);
void	 strbuf_reset(struct strbuf *);
void	 strbuf_rtrim(struct strbuf *);

/* Read a whole file; -1 with cause on error. */
int	 strbuf_read_file(struct strbuf *, const char *path, char **cause);

#endif
