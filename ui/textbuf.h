/*
 * textbuf.h: lines of text with colour spans, for output and files: a
 * ring with a line and a byte budget where the oldest lines go first,
 * so following a run that writes without end keeps memory flat. No
 * curses here: lines carry roles, the panes turn them into styles.
 */
#ifndef GUILD_UI_TEXTBUF_H
#define GUILD_UI_TEXTBUF_H

#include <stddef.h>
#include <stdint.h>

#include "role.h"

struct output_span;

struct tline {
	char			*text;
	size_t			 len;
	struct output_span	*spans;
	size_t			 nspans;
	uint64_t		 lineno;
	enum role		 role;	/* ROLE_DEFAULT, or diff colours, ... */
	size_t			 key_len;	/* leading bytes drawn as a key */
	enum role		 key_role;
};

struct textbuf {
	struct tline	*v;
	size_t		 cap;	/* slots */
	size_t		 head;	/* index of the oldest line */
	size_t		 n;
	size_t		 bytes;
	size_t		 max_bytes;
	uint64_t	 dropped;	/* lines dropped from the front */
};

void		 textbuf_init(struct textbuf *, size_t max_lines,
		    size_t max_bytes);
void		 textbuf_release(struct textbuf *);
void		 textbuf_clear(struct textbuf *);
/* Add a line (copied), dropping the oldest when over a budget. */
struct tline	*textbuf_push(struct textbuf *, const char *text, size_t len,
		    const struct output_span *, size_t nspans,
		    uint64_t lineno);
/* Line i, 0 the oldest kept; NULL when out of range. */
struct tline	*textbuf_get(const struct textbuf *, size_t i);
/* Split text into lines (cooked: escapes dropped, colours kept). */
void		 textbuf_add_cooked(struct textbuf *, const char *text,
		    size_t len);
/* One plain line (a format). */
struct tline	*textbuf_addf(struct textbuf *, enum role, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

#endif
