/*
 * regex.c: general PCRE2 searches (see regex.h). scalars.c keeps its own
 * patterns because it needs named groups and Guild's aliases.
 */
#include "common.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"

/* Older PCRE2 rejects invalid UTF-8 subjects: that is just no match. */
#ifdef PCRE2_MATCH_INVALID_UTF
#define COMPILE_OPTIONS	(PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)
#else
#define COMPILE_OPTIONS	(PCRE2_UTF | PCRE2_UCP)
#endif

struct regex {
	char			*pattern;
	pcre2_code		*code;
	pcre2_match_data	*md;
};

/* Whether a pattern has an upper-case letter outside escapes (\S, \W). */
static bool
has_upper(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (isupper((unsigned char)*p))
			return true;
	}
	return false;
}

struct regex *
regex_new(const char *pattern, int flags, char **cause)
{
	struct regex	*re;
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 erroff;
	uint32_t	 options = COMPILE_OPTIONS;
	int		 errcode;

	if (flags & REGEX_ICASE)
		options |= PCRE2_CASELESS;
	else if ((flags & REGEX_SMARTCASE) && !has_upper(pattern))
		options |= PCRE2_CASELESS;
	/* PCRE2 refuses UCP with LITERAL; it means nothing there anyway. */
	if (flags & REGEX_LITERAL)
		options = (options & ~PCRE2_UCP) | PCRE2_LITERAL;
	re = xcalloc(1, sizeof *re);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    options, &errcode, &erroff, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		set_cause(cause, "%s at offset %zu", (const char *)msg,
		    (size_t)erroff);
		free(re);
		return NULL;
	}
	/* Without JIT (not built, no exec memory) it is just slower. */
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->pattern = xstrdup(pattern);
	return re;
}

void
regex_free(struct regex *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re);
}

const char *
regex_pattern(const struct regex *re)
{
	return re->pattern;
}

unsigned
regex_ngroups(const struct regex *re)
{
	uint32_t	n = 0;

	pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
	return n;
}

size_t
regex_nnames(const struct regex *re)
{
	uint32_t	n = 0;

	pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &n);
	return n;
}

const char *
regex_name(const struct regex *re, size_t i, unsigned *group)
{
	PCRE2_SPTR		 table;
	uint32_t		 size;
	const unsigned char	*e;

	if (i >= regex_nnames(re))
		return NULL;
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
	e = table + i * size;
	if (group != NULL)
		*group = (unsigned)(e[0] << 8 | e[1]);
	return (const char *)e + 2;
}

int
regex_exec(struct regex *re, const char *text, size_t len, size_t from,
    int eflags)
{
	uint32_t	options = 0;
	int		rc;

	if (from > len)
		return 0;
	if (eflags & REGEX_NOTEMPTY_HERE)
		options |= PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
	rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, from, options,
	    re->md, NULL);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, from,
		    options | PCRE2_NO_JIT, re->md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc < 0 ? -1 : 1;
}

bool
regex_group(const struct regex *re, unsigned n, size_t *start, size_t *end)
{
	PCRE2_SIZE	*ov = pcre2_get_ovector_pointer(re->md);

	if (n >= pcre2_get_ovector_count(re->md) || ov[2 * n] == PCRE2_UNSET)
		return false;
	*start = ov[2 * n];
	*end = ov[2 * n + 1] < ov[2 * n] ? ov[2 * n] : ov[2 * n + 1];
	return true;
}

bool
regex_search(struct regex *re, const char *text, size_t len, size_t from,
    size_t *start, size_t *end)
{
	size_t	s = 0, e = 0;

	if (regex_exec(re, text, len, from, 0) != 1)
		return false;
	regex_group(re, 0, &s, &e);
	if (start != NULL)
		*start = s;
	if (end != NULL)
		*end = e;
	return true;
}

bool
regex_match(struct regex *re, const char *text, size_t len)
{
	return regex_search(re, text, len, 0, NULL, NULL);
}
