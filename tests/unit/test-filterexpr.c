/* test-filterexpr.c: -F filter expressions: grammar, semantics, errors. */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filterexpr.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "value.h"
#include "yamlnode.h"

/* A run as Guild's filter-parser test has it. */
static struct value	*attrs, *flags, *scalars;

static struct value *
map_from_yaml(const char *text)
{
	char		*cause = NULL;
	struct value	*v = yaml_parse_value(text, strlen(text), &cause);

	if (v == NULL) {
		diag("yaml: %s", cause);
		free(cause);
		exit(1);
	}
	return v;
}

static const struct value *
lookup(enum filterexpr_source src, const char *name, void *arg,
    struct value **owned)
{
	const struct value	*v = NULL;
	int			*calls = arg;

	if (calls != NULL)
		(*calls)++;
	switch (src) {
	case FILTEREXPR_ANY:
		if ((v = value_map_get(attrs, name)) == NULL &&
		    (v = value_map_get(flags, name)) == NULL)
			v = value_map_get(scalars, name);
		break;
	case FILTEREXPR_ATTR:
		v = value_map_get(attrs, name);
		break;
	case FILTEREXPR_FLAG:
		v = value_map_get(flags, name);
		break;
	case FILTEREXPR_SCALAR:
		v = value_map_get(scalars, name);
		break;
	}
	/* Half the values are made for the call, half lent. */
	if (v != NULL && (calls == NULL || *calls % 2 == 0)) {
		*owned = value_dup(v);
		return *owned;
	}
	return v;
}

static int	lookups;

static int
test(const char *text)
{
	struct filterexpr	*fx;
	char			*cause = NULL;
	bool			 r;

	if ((fx = filterexpr_parse(text, &cause)) == NULL) {
		diag("parse '%s': %s", text, cause);
		free(cause);
		return -1;
	}
	r = filterexpr_eval(fx, lookup, &lookups);
	filterexpr_free(fx);
	return r;
}

#define T(text)	is_int(test(text), 1, "%s", text)
#define F(text)	is_int(test(text), 0, "not: %s", text)

static void
syntax(const char *text, const char *want)
{
	struct filterexpr	*fx;
	char			*cause = NULL;

	fx = filterexpr_parse(text, &cause);
	ok(fx == NULL, "syntax error: %s", text);
	is_str(cause, want, "message for: %s", text);
	filterexpr_free(fx);
	free(cause);
}

/* open n times, then mid, then close n times. */
static char *
nest(const char *open, size_t n, const char *mid, const char *close)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < n; i++)
		strbuf_addstr(&sb, open);
	strbuf_addstr(&sb, mid);
	for (i = 0; i < n; i++)
		strbuf_addstr(&sb, close);
	return strbuf_detach(&sb, NULL);
}

static void
collect(enum filterexpr_source src, const char *name, void *arg)
{
	strvec_pushf(arg, "%d:%s", (int)src, name);
}

int
main(void)
{
	struct filterexpr	*fx;
	struct strvec		 names = STRVEC_INIT;
	char			*cause = NULL, *deep;
	int			 calls = 0;

	attrs = map_from_yaml("id: abcd1234\nstarted: 1661354455107621\n"
	    "label: hello world a=1\nl: [1, two, 3.0]\nstatus: completed\n"
	    "tags: [red, green]\nop: train\n");
	flags = map_from_yaml("a: 1\nb: 1.2\nc: red\nd: true\nid: 4321dcba\n"
	    "e: null\nnan: .nan\n");
	scalars = map_from_yaml("x: 0.456\ny: 1.123\nb: 1.3\nloss: 0.25\n");

	/* Terms alone: their truth. */
	T("1");
	F("0");
	T("1.2");
	T("a");
	T("'a'");
	T("true");
	F("falSE");
	F("undefined");
	T("[1]");
	T("cat");
	F("''");

	/* Numeric comparison. */
	T("a = 1");
	F("a = 2");
	F("a < 1");
	T("a <= 1");
	F("a > 1");
	T("a >= 1");
	F("a != 1");
	T("a <> 2");
	T("b < 1.21");
	T("x = 0.456");
	T("x < 0.5");
	T("a = 1.0");
	T("d = 1");
	T("loss < 0.3 and b = 1.2");
	T("a > -1");
	T("x >= .45");
	T("a < 1e3");

	/* Undefined. */
	F("a is undefined");
	T("a is not undefined");
	T("not a is undefined");
	F("zz = 1");
	T("zz is undefined");
	F("zz is not undefined");
	T("e is undefined");
	F("zz < 1");
	F("zz > 1");
	T("zz != 1");

	/* Mixed types never order, and are unequal. */
	F("c < 1");
	F("c > 1");
	F("c = 1");
	T("c != 1");
	F("a = '1'");
	T("c = red");
	T("c = 'red'");
	T("c is red");
	T("c is not blue");
	T("c < s");
	F("nan = nan");
	F("nan < 1");
	F("nan >= 1");

	/* Membership. */
	T("c in ['red',green,blue]");
	T("c in [red,green, blue]");
	F("c in [green,blue]");
	F("c not in [red, green, blue]");
	T("c not in [green, blue]");
	T("a in [1, 2]");
	T("a in (3, 1)");
	T("b in [1.2]");
	F("zz in [1]");
	T("zz not in [1]");
	T("zz in [undefined]");
	T("status in [completed, terminated]");

	/* contains. */
	T("c contains 'ed'");
	T("c contains ed");
	T("c contains red");
	F("c contains fred");
	F("c not contains ed");
	T("c not contains fred");
	T("label contains hello");
	T("label contains 'hello world'");
	T("label contains 'HELLO WORLD'");
	T("label CONTAINS world");
	F("LABEL contains world");
	F("xxx contains abc");
	T("xxx not contains abc");
	T("l contains two");
	F("l contains TWO");
	T("l contains 1");
	F("l contains three");
	T("l contains 3");
	T("l contains 3.0");
	T("l contains [1, two]");
	F("l contains [1, four]");
	T("tags contains red");
	F("tags contains [red, blue]");
	T("tags not contains [blue]");
	T("a contains 1");
	T("b contains '.2'");
	T("d contains true");
	T("started contains 1661");

	/* Logic and precedence: not > and > or. */
	T("a = 1 and b = 1.2");
	F("a = 1 and b = 1.3");
	T("true or false");
	T("a = 1 or b = 1.3");
	F("a = 1.1 or b = 1.3");
	F("not true");
	F("not 1");
	T("not 0");
	F("not a = 1");
	T("true or false and true");
	T("true or false and false");
	F("(true or false) and false");
	T("a = 1 or a = 2 and c in [blue,green]");
	F("(a = 1 or a = 2) and c in [blue,green]");
	T("not ((a = 1 or a = 2) and c in [blue,green])");
	F("a = 1 and b < 1.2");
	T("a = 1 and b <= 1.2");
	F("false and true or true and false");
	T("false and true or true");
	T("not not true");
	T("a=1AND b=1.2");

	/* Lookup order: attrs, flags, scalars; prefixes choose. */
	T("id = abcd1234");
	F("id = '4321dcba'");
	T("b = 1.2");
	F("b = 1.3");
	T("flag:id = '4321dcba'");
	F("flag:id = abcd1234");
	T("scalar:b = 1.3");
	F("scalar:b = 1.2");
	T("attr:id = abcd1234");
	F("attr:c = red");
	T("op = train");
	T("target/.guild#loss is undefined");
	F("no-such-value < hello");

	/* Strings. */
	T("label = \"hello world a=1\"");
	T("label = 'hello world a=1'");
	T("c = \"r\\ed\"");
	F("c = 'r\\ed'");
	T("c != \"it's\"");
	T("'1.2'");

	/* Names looked up, for preloading. */
	fx = filterexpr_parse("loss < 1 and (flag:lr = 2 or not scalar:acc in "
	    "[1]) or attr:label contains x", &cause);
	ok(fx != NULL, "parse for names");
	filterexpr_names(fx, collect, &names);
	is_int((long long)names.n, 4, "four names");
	is_str(names.n > 0 ? names.v[0] : NULL, "0:loss", "loss, any source");
	is_str(names.n > 1 ? names.v[1] : NULL, "2:lr", "flag lr");
	is_str(names.n > 2 ? names.v[2] : NULL, "3:acc", "scalar acc");
	is_str(names.n > 3 ? names.v[3] : NULL, "1:label", "attr label");
	/* Short circuit: the right side is not looked up. */
	ok(!filterexpr_eval(fx, lookup, &calls) || 1, "eval");
	filterexpr_free(fx);
	fx = filterexpr_parse("a = 2 and b = 1 and c = 3", NULL);
	calls = 0;
	ok(!filterexpr_eval(fx, lookup, &calls), "false and ...");
	is_int(calls, 1, "and stops at the first false test");
	filterexpr_free(fx);
	strvec_clear(&names);

	/* Syntax errors point at the position. */
	syntax("", "syntax error in filter at column 1: unexpected end of "
	    "expression\n  \n  ^");
	syntax("'", "syntax error in filter at column 1: unclosed quote '\n"
	    "  '\n  ^");
	syntax("a == 123", "syntax error in filter at column 4: unexpected "
	    "'='\n  a == 123\n     ^");
	syntax("'a' = 123", "syntax error in filter at column 5: unexpected "
	    "'='\n  'a' = 123\n      ^");
	syntax("a = 1 or \nb(", "syntax error in filter at column 12: "
	    "unexpected '('\n  a = 1 or  b(\n             ^");
	syntax("and id = foo", "syntax error in filter at column 1: "
	    "unexpected 'and'\n  and id = foo\n  ^");
	syntax("a = ", "syntax error in filter at column 5: unexpected end of "
	    "expression\n  a = \n      ^");
	syntax("(a = 1", "syntax error in filter at column 7: unexpected end "
	    "of expression\n  (a = 1\n        ^");
	syntax("a in 1", "syntax error in filter at column 6: unexpected '1'\n"
	    "  a in 1\n       ^");
	syntax("a not = 1", "syntax error in filter at column 7: unexpected "
	    "'='\n  a not = 1\n        ^");
	syntax("a = [1, 2", "syntax error in filter at column 10: unexpected "
	    "end of expression\n  a = [1, 2\n           ^");
	syntax("a = 1 b = 2", "syntax error in filter at column 7: unexpected "
	    "'b'\n  a = 1 b = 2\n        ^");
	syntax("a = @", "syntax error in filter at column 5: unexpected "
	    "character '@'\n  a = @\n      ^");
	syntax("é = 1 )", "syntax error in filter at column 1: unexpected "
	    "character 'é'\n  é = 1 )\n  ^");
	syntax("x = 'é' )", "syntax error in filter at column 9: unexpected "
	    "')'\n  x = 'é' )\n          ^");

	/*
	 * Nesting is bounded (found by fuzzing: 130,000 "(" overflowed the
	 * stack); the message points at the first level too many.
	 */
	deep = nest("(", 100, "1", ")");
	T(deep);
	free(deep);
	deep = nest("(", 200000, "1", ")");
	fx = filterexpr_parse(deep, &cause);
	ok(fx == NULL && cause != NULL && strncmp(cause, "syntax error in "
	    "filter at column 101: nesting deeper than 100 levels\n",
	    strlen("syntax error in filter at column 101: nesting deeper "
	    "than 100 levels\n")) == 0, "200,000 parentheses: an error");
	free(cause);
	cause = NULL;
	free(deep);
	deep = nest("not ", 101, "1", "");
	fx = filterexpr_parse(deep, &cause);
	ok(fx == NULL && strstr(cause, "nesting deeper than 100 levels") !=
	    NULL, "101 nots: an error");
	free(cause);
	cause = NULL;
	free(deep);
	deep = nest("[", 101, "1", "]");
	fx = filterexpr_parse(deep, &cause);
	ok(fx == NULL && strstr(cause, "nesting deeper than 100 levels") !=
	    NULL, "101 nested lists: an error");
	free(cause);
	cause = NULL;
	free(deep);

	value_free(attrs);
	value_free(flags);
	value_free(scalars);
	return done_testing();
}
