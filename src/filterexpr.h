/*
 * filterexpr.h: run filter expressions (-F/--filter), Guild's language.
 *
 *	loss < 0.3 and lr = 0.1
 *	status in [completed, terminated] or label contains best
 *	not (flag:epochs >= 10) and tags contains [a, b]
 *	scalar:acc is not undefined
 *
 * Tests: NAME OP TERM with OP one of = != <> < <= > >= (is and is not
 * are = and !=), NAME [not] in LIST, NAME [not] contains TERM, combined
 * with not, and, or (in that order of precedence) and parentheses. A term
 * alone is a test of its truth ("true", "1"). Terms: numbers (read as
 * YAML: 1 is an int, 1.0 and 1e3 floats), 'quoted' or "quoted" strings,
 * bare words (strings), true, false, undefined, [lists, of, terms].
 * Keywords are case-insensitive.
 *
 * Names are looked up through a callback, by default as a run attribute,
 * then a flag, then a scalar; attr:, flag: and scalar: choose one.
 * Comparisons follow Python's: numbers compare with numbers, strings with
 * strings, anything else is unequal and never less or greater; "contains"
 * is a case-insensitive substring test, or membership when the value is
 * a list (every item, when the term is a list too).
 */
#ifndef GUILD_FILTEREXPR_H
#define GUILD_FILTEREXPR_H

#include <stdbool.h>

struct value;

enum filterexpr_source {
	FILTEREXPR_ANY,		/* attr, else flag, else scalar */
	FILTEREXPR_ATTR,
	FILTEREXPR_FLAG,
	FILTEREXPR_SCALAR,
};

/*
 * The value of a name for the run being tested, or NULL when undefined.
 * A value made for the call is also stored in *owned, and the evaluator
 * frees it; anything else must stay valid until the next call. name is
 * the expression's own string, the same pointer filterexpr_names() gave
 * (so a callback may recognise it by address).
 */
typedef const struct value *(*filterexpr_lookup_fn)(enum filterexpr_source,
	    const char *name, void *arg, struct value **owned);

struct filterexpr;

/*
 * Parse; on a syntax error, -1 with a cause naming the position and
 * showing it under the expression.
 */
struct filterexpr	*filterexpr_parse(const char *text, char **cause);
void			 filterexpr_free(struct filterexpr *);

/* Call fn for every name the expression looks up (duplicates too). */
void			 filterexpr_names(const struct filterexpr *,
			    void (*fn)(enum filterexpr_source, const char *name,
			    void *arg), void *arg);

bool			 filterexpr_eval(const struct filterexpr *,
			    filterexpr_lookup_fn, void *arg);

/* Python's truth and equality of values (NULL: None), for the lookups. */
bool			 filterexpr_truth(const struct value *);

#endif
