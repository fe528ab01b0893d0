/*
 * regex.h: general text search with PCRE2 (UTF-8, Unicode properties),
 * for filters and searches that people type: the view's / filter over
 * runs and its search in output.
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
