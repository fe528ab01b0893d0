/*
 * regex.h: the only user of PCRE2 (UTF-8, Unicode properties, JIT where
 * available): filters and searches that people type (the view's / filter
 * over runs and its search in output, resource select: patterns) and the
 * output-scalar patterns of guild.yml (scalars.c).
 *
 *	struct regex *re = regex_new("loss|acc", REGEX_SMARTCASE, &cause);
 *	if (regex_search(re, text, len, 0, &start, &end)) ...
 *	regex_free(re);
 *
 * Invalid UTF-8 in the subject never fails a search; it just does not
 * match a character.
 */
#ifndef GUILD_REGEX_H
#define GUILD_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#define REGEX_ICASE	0x1	/* case-insensitive */
#define REGEX_SMARTCASE	0x2	/* case-insensitive unless the pattern has
				   an upper-case letter (as less and vim) */
#define REGEX_LITERAL	0x4	/* the pattern is plain text, not a regex */

struct regex;

/* Compile; NULL with a cause like "missing ) at offset 4" on error. */
struct regex	*regex_new(const char *pattern, int flags, char **cause);
void		 regex_free(struct regex *);
/* The pattern as given. */
const char	*regex_pattern(const struct regex *);

/*
 * Groups, for patterns whose groups carry data (output scalars): the
 * number of capturing groups, and the named ones as (name, number).
 */
unsigned	 regex_ngroups(const struct regex *);
size_t		 regex_nnames(const struct regex *);
const char	*regex_name(const struct regex *, size_t i, unsigned *group);

/*
 * Match at or after byte offset from; with REGEX_NOTEMPTY_HERE only a
 * non-empty match starting exactly at from counts (to step past an
 * empty match, as Python's finditer does). 1 on a match, 0 on none, -1
 * on a matching error (resource limits). A JIT stack overflow is retried
 * without JIT.
 */
#define REGEX_NOTEMPTY_HERE	0x1
int		 regex_exec(struct regex *, const char *text, size_t len,
		    size_t from, int eflags);
/* Group n (0: the whole match) of the last match; false if it took no part. */
bool		 regex_group(const struct regex *, unsigned n, size_t *start,
		    size_t *end);

/* Whether the pattern matches anywhere in text. */
bool		 regex_match(struct regex *, const char *text, size_t len);
/*
 * The first match at or after byte offset from: true with [*start, *end)
 * set. An empty match is reported with *start == *end; callers looping
 * over matches must step past it.
 */
bool		 regex_search(struct regex *, const char *text, size_t len,
		    size_t from, size_t *start, size_t *end);

#endif
