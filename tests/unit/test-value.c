/*
 * test-value.c: dynamic values, YAML 1.1 scalar resolution and the
 * encoders. Expected texts come from PyYAML 6 (safe_dump with Guild's
 * float patch and strict y/n quoting) and Guild's flag_util.
 */
#include "common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"
#include "value.h"

static struct value *vn(void) { return value_null(); }
static struct value *vb(bool b) { return value_bool(b); }
static struct value *vi(long long i) { return value_int(i); }
static struct value *vf(double f) { return value_float(f); }
static struct value *vs(const char *s) { return value_string(s); }

static struct value *
vl(int n, ...)
{
	struct value	*v = value_list();
	va_list		 ap;

	va_start(ap, n);
	while (n-- > 0)
		value_list_push(v, va_arg(ap, struct value *));
	va_end(ap);
	return v;
}

static struct value *
vm(int n, ...)
{
	struct value	*v = value_map();
	const char	*k;
	va_list		 ap;

	va_start(ap, n);
	while (n-- > 0) {
		k = va_arg(ap, const char *);
		value_map_set(v, k, va_arg(ap, struct value *));
	}
	va_end(ap);
	return v;
}

static char *
enc(void (*fn)(struct strbuf *, const struct value *), const struct value *v)
{
	struct strbuf	sb = STRBUF_INIT;

	fn(&sb, v);
	return strbuf_detach(&sb, NULL);
}

/* Checks the three encoders on v (NULL: not checked), then frees v. */
static void
check_all(struct value *v, const char *yaml, const char *flow,
    const char *flag)
{
	char	*s, *name;

	name = enc(value_encode_flow, v);
	s = enc(value_encode_yaml, v);
	is_str(s, yaml, "yaml of %s", name);
	free(s);
	if (flow != NULL) {
		s = enc(value_encode_flow, v);
		is_str(s, flow, "flow of %s", name);
		free(s);
	}
	if (flag != NULL) {
		s = enc(value_format_flag, v);
		is_str(s, flag, "flag of %s", name);
		free(s);
	}
	free(name);
	value_free(v);
}

struct string_case {
	const char	*s;
	const char	*yaml;		/* the string alone */
	const char	*flow;
	const char	*flag;
	const char	*key;		/* {s: 1} */
	const char	*flag_list;	/* [s] */
};

static const struct string_case string_cases[] = {
	{ "abc", "abc\n", "abc", "abc", "abc: 1\n", "[abc]" },
	{ "", "''\n", "''", "''", "? ''\n: 1\n", "['']" },
	{ "yes", "'yes'\n", "'yes'", "'yes'", "'yes': 1\n", "['yes']" },
	{ "Yes", "'Yes'\n", "'Yes'", "'Yes'", "'Yes': 1\n", "['Yes']" },
	{ "YES", "'YES'\n", "'YES'", "'YES'", "'YES': 1\n", "['YES']" },
	{ "no", "'no'\n", "'no'", "'no'", "'no': 1\n", "['no']" },
	{ "on", "'on'\n", "'on'", "'on'", "'on': 1\n", "['on']" },
	{ "Off", "'Off'\n", "'Off'", "'Off'", "'Off': 1\n", "['Off']" },
	{ "true", "'true'\n", "'true'", "'true'", "'true': 1\n", "['true']" },
	{ "False", "'False'\n", "'False'", "'False'", "'False': 1\n", "['False']" },
	{ "y", "'y'\n", "y", "y", "'y': 1\n", "[y]" },
	{ "n", "'n'\n", "n", "n", "'n': 1\n", "[n]" },
	{ "Y", "'Y'\n", "Y", "Y", "'Y': 1\n", "[Y]" },
	{ "N", "'N'\n", "N", "N", "'N': 1\n", "[N]" },
	{ "null", "'null'\n", "'null'", "'null'", "'null': 1\n", "['null']" },
	{ "Null", "'Null'\n", "'Null'", "'Null'", "'Null': 1\n", "['Null']" },
	{ "~", "'~'\n", "'~'", "'~'", "'~': 1\n", "['~']" },
	{ "1", "'1'\n", "'1'", "'1'", "'1': 1\n", "['1']" },
	{ "-1", "'-1'\n", "'-1'", "'-1'", "'-1': 1\n", "['-1']" },
	{ "+1", "'+1'\n", "'+1'", "'+1'", "'+1': 1\n", "['+1']" },
	{ "1.0", "'1.0'\n", "'1.0'", "'1.0'", "'1.0': 1\n", "['1.0']" },
	{ "1.", "'1.'\n", "'1.'", "'1.'", "'1.': 1\n", "['1.']" },
	{ ".5", "'.5'\n", "'.5'", "'.5'", "'.5': 1\n", "['.5']" },
	{ "1e3", "'1e3'\n", "'1e3'", "'1e3'", "'1e3': 1\n", "['1e3']" },
	{ "1E-3", "'1E-3'\n", "'1E-3'", "'1E-3'", "'1E-3': 1\n", "['1E-3']" },
	{ "1_000", "'1_000'\n", "'1_000'", "'1_000'", "'1_000': 1\n", "['1_000']" },
	{ "0x1F", "'0x1F'\n", "'0x1F'", "'0x1F'", "'0x1F': 1\n", "['0x1F']" },
	{ "0b11", "'0b11'\n", "'0b11'", "'0b11'", "'0b11': 1\n", "['0b11']" },
	{ "017", "'017'\n", "'017'", "'017'", "'017': 1\n", "['017']" },
	{ "09", "09\n", "09", "09", "09: 1\n", "[09]" },
	{ "0o17", "0o17\n", "0o17", "0o17", "0o17: 1\n", "[0o17]" },
	{ "1:30", "'1:30'\n", "'1:30'", "'1:30'", "'1:30': 1\n", "['1:30']" },
	{ "1:30.5", "'1:30.5'\n", "'1:30.5'", "'1:30.5'", "'1:30.5': 1\n", "['1:30.5']" },
	{ ".inf", "'.inf'\n", "'.inf'", "'.inf'", "'.inf': 1\n", "['.inf']" },
	{ "-.inf", "'-.inf'\n", "'-.inf'", "'-.inf'", "'-.inf': 1\n", "['-.inf']" },
	{ ".nan", "'.nan'\n", "'.nan'", "'.nan'", "'.nan': 1\n", "['.nan']" },
	{ ".NaN", "'.NaN'\n", "'.NaN'", "'.NaN'", "'.NaN': 1\n", "['.NaN']" },
	{ "2018-10-16", "'2018-10-16'\n", "'2018-10-16'", "'2018-10-16'", "'2018-10-16': 1\n", "['2018-10-16']" },
	{ "2018-10-16 12:00:00", "'2018-10-16 12:00:00'\n", "'2018-10-16 12:00:00'", "'2018-10-16 12:00:00'", "'2018-10-16 12:00:00': 1\n", "['2018-10-16 12:00:00']" },
	{ "1.5e3", "'1.5e3'\n", "'1.5e3'", "'1.5e3'", "'1.5e3': 1\n", "['1.5e3']" },
	{ "=", "'='\n", "'='", "'='", "'=': 1\n", "['=']" },
	{ "<<", "'<<'\n", "'<<'", "'<<'", "'<<': 1\n", "['<<']" },
	{ "a b", "a b\n", "a b", "a b", "a b: 1\n", "[a b]" },
	{ " a", "' a'\n", "' a'", "' a'", "' a': 1\n", "[' a']" },
	{ "a ", "'a '\n", "'a '", "'a '", "'a ': 1\n", "['a ']" },
	{ "a: b", "'a: b'\n", "'a: b'", "'a: b'", "'a: b': 1\n", "['a: b']" },
	{ "a:b", "a:b\n", "a:b", "a:b", "a:b: 1\n", "[a:b]" },
	{ "a #b", "'a #b'\n", "'a #b'", "'a #b'", "'a #b': 1\n", "['a #b']" },
	{ "a#b", "a#b\n", "a#b", "a#b", "a#b: 1\n", "[a#b]" },
	{ "#a", "'#a'\n", "'#a'", "'#a'", "'#a': 1\n", "['#a']" },
	{ "- a", "'- a'\n", "'- a'", "'- a'", "'- a': 1\n", "['- a']" },
	{ "-a", "-a\n", "-a", "-a", "-a: 1\n", "[-a]" },
	{ "-", "'-'\n", "'-'", "'-'", "'-': 1\n", "['-']" },
	{ "? a", "'? a'\n", "'? a'", "'? a'", "'? a': 1\n", "['? a']" },
	{ "?a", "?a\n", "?a", "?a", "?a: 1\n", "[?a]" },
	{ ":a", ":a\n", ":a", ":a", ":a: 1\n", "[:a]" },
	{ ": a", "': a'\n", "': a'", "': a'", "': a': 1\n", "[': a']" },
	{ "a,b", "a,b\n", "a,b", "a,b", "a,b: 1\n", "['a,b']" },
	{ "[a]", "'[a]'\n", "'[a]'", "'[a]'", "'[a]': 1\n", "['[a]']" },
	{ "a[0]", "a[0]\n", "a[0]", "a[0]", "a[0]: 1\n", "[a[0]]" },
	{ "{a}", "'{a}'\n", "'{a}'", "'{a}'", "'{a}': 1\n", "['{a}']" },
	{ "a}", "a}\n", "a}", "a}", "a}: 1\n", "[a}]" },
	{ "&a", "'&a'\n", "'&a'", "'&a'", "'&a': 1\n", "['&a']" },
	{ "*a", "'*a'\n", "'*a'", "'*a'", "'*a': 1\n", "['*a']" },
	{ "!a", "'!a'\n", "'!a'", "'!a'", "'!a': 1\n", "['!a']" },
	{ "|a", "'|a'\n", "'|a'", "'|a'", "'|a': 1\n", "['|a']" },
	{ ">a", "'>a'\n", "'>a'", "'>a'", "'>a': 1\n", "['>a']" },
	{ "'a", "'''a'\n", "'''a'", "'''a'", "'''a': 1\n", "['''a']" },
	{ "\"a", "'\"a'\n", "'\"a'", "'\"a'", "'\"a': 1\n", "['\"a']" },
	{ "%a", "'%a'\n", "'%a'", "'%a'", "'%a': 1\n", "['%a']" },
	{ "@a", "'@a'\n", "'@a'", "'@a'", "'@a': 1\n", "['@a']" },
	{ "`a", "'`a'\n", "'`a'", "'`a'", "'`a': 1\n", "['`a']" },
	{ "---", "'---'\n", "'---'", "'---'", "'---': 1\n", "['---']" },
	{ "--- a", "'--- a'\n", "'--- a'", "'--- a'", "'--- a': 1\n", "['--- a']" },
	{ "...", "'...'\n", "'...'", "'...'", "'...': 1\n", "['...']" },
	{ "a\nb", "'a\n\n  b'\n", NULL, NULL, "? 'a\n\n  b'\n: 1\n", NULL },
	{ "a\n\nb", "'a\n\n\n  b'\n", NULL, NULL, "? 'a\n\n\n  b'\n: 1\n", NULL },
	{ "a\n", "'a\n\n  '\n", NULL, NULL, "? 'a\n\n  '\n: 1\n", NULL },
	{ "\na", "'\n\n  a'\n", NULL, NULL, "? '\n\n  a'\n: 1\n", NULL },
	{ "a \nb", "\"a \\nb\"\n", NULL, NULL, "? \"a \\nb\"\n: 1\n", NULL },
	{ "a\n b", "\"a\\n b\"\n", NULL, NULL, "? \"a\\n b\"\n: 1\n", NULL },
	{ "a\tb", "\"a\\tb\"\n", "\"a\\tb\"", "\"a\\tb\"", "\"a\\tb\": 1\n", "[\"a\\tb\"]" },
	{ "caf\303\251", "\"caf\\xE9\"\n", "\"caf\\xE9\"", "\"caf\\xE9\"", "\"caf\\xE9\": 1\n", "[\"caf\\xE9\"]" },
	{ "\342\202\254", "\"\\u20AC\"\n", "\"\\u20AC\"", "\"\\u20AC\"", "\"\\u20AC\": 1\n", "[\"\\u20AC\"]" },
	{ "\360\237\230\200", "\"\\U0001F600\"\n", "\"\\U0001F600\"", "\"\\U0001F600\"", "\"\\U0001F600\": 1\n", "[\"\\U0001F600\"]" },
	{ "it's", "it's\n", "it's", "it's", "it's: 1\n", "[it's]" },
	{ "say \"hi\"", "say \"hi\"\n", "say \"hi\"", "say \"hi\"", "say \"hi\": 1\n", "[say \"hi\"]" },
	{ "back\\slash", "back\\slash\n", "back\\slash", "back\\slash", "back\\slash: 1\n", "[back\\slash]" },
	{ "\007bell", "\"\\abell\"\n", "\"\\abell\"", "\"\\abell\"", "\"\\abell\": 1\n", "[\"\\abell\"]" },
	{ "\177", "\"\\x7F\"\n", "\"\\x7F\"", "\"\\x7F\"", "\"\\x7F\": 1\n", "[\"\\x7F\"]" },
	{ "\302\205", "\"\\N\"\n", "\"\\N\"", "\"\\N\"", "? \"\\N\"\n: 1\n", "[\"\\N\"]" },
	{ "\302\240", "\"\\_\"\n", "\"\\_\"", "\"\\_\"", "\"\\_\": 1\n", "[\"\\_\"]" },
	{ "lr=0.1", "lr=0.1\n", "lr=0.1", "lr=0.1", "lr=0.1: 1\n", "[lr=0.1]" },
	{ "a/b/c.txt", "a/b/c.txt\n", "a/b/c.txt", "a/b/c.txt", "a/b/c.txt: 1\n", "[a/b/c.txt]" },
	{ "http://x.y/z", "http://x.y/z\n", "http://x.y/z", "http://x.y/z", "http://x.y/z: 1\n", "[http://x.y/z]" },
	{ "x=1,y=2", "x=1,y=2\n", "x=1,y=2", "x=1,y=2", "x=1,y=2: 1\n", "['x=1,y=2']" },
	{ "\303\274mlaut", "\"\\xFCmlaut\"\n", "\"\\xFCmlaut\"", "\"\\xFCmlaut\"", "\"\\xFCmlaut\": 1\n", "[\"\\xFCmlaut\"]" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "? aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n: 1\n", "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]" },
};

static void
structure_cases(void)
{
	check_all(vi(3LL),
	    "3\n",
	    "3",
	    "3");
	check_all(vi(-42LL),
	    "-42\n",
	    "-42",
	    "-42");
	check_all(vf(0.1),
	    "0.1\n",
	    "0.1",
	    "0.1");
	check_all(vf(1.0),
	    "1.0\n",
	    "1.0",
	    "1.0");
	check_all(vf(1e-05),
	    "1.0e-05\n",
	    "1.0e-05",
	    "1.0e-05");
	check_all(vf(1e+16),
	    "1.0e+16\n",
	    "1.0e+16",
	    "1.0e+16");
	check_all(vf(123456.789),
	    "123456.789\n",
	    "123456.789",
	    "123456.789");
	check_all(vf(INFINITY),
	    ".inf\n",
	    ".inf",
	    ".inf");
	check_all(vf(-INFINITY),
	    "-.inf\n",
	    "-.inf",
	    "-.inf");
	check_all(vf(NAN),
	    ".nan\n",
	    ".nan",
	    ".nan");
	check_all(vf(-0.0),
	    "-0.0\n",
	    "-0.0",
	    "-0.0");
	check_all(vb(true),
	    "true\n",
	    "true",
	    "yes");
	check_all(vb(false),
	    "false\n",
	    "false",
	    "no");
	check_all(vn(),
	    "null\n",
	    "null",
	    "null");
	check_all(vl(0),
	    "[]\n",
	    "[]",
	    "[]");
	check_all(vm(0),
	    "{}\n",
	    "{}",
	    "{}");
	check_all(vl(2, vs("a"), vs("b")),
	    "- a\n- b\n",
	    "[a, b]",
	    "[a, b]");
	check_all(vm(2, "a", vi(1LL), "b", vl(1, vs("x"))),
	    "a: 1\nb:\n- x\n",
	    "{a: 1, b: [x]}",
	    "{a: 1, b: [x]}");
	check_all(vm(5, "b", vi(2LL), "a", vi(1LL), "B", vi(0LL), "_", vi(3LL), "aa", vi(4LL)),
	    "B: 0\n_: 3\na: 1\naa: 4\nb: 2\n",
	    "{B: 0, _: 3, a: 1, aa: 4, b: 2}",
	    "{B: 0, _: 3, a: 1, aa: 4, b: 2}");
	check_all(vm(1, "a", vm(1, "b", vm(1, "c", vi(1LL)))),
	    "a:\n  b:\n    c: 1\n",
	    "{a: {b: {c: 1}}}",
	    "{a: {b: {c: 1}}}");
	check_all(vl(2, vl(2, vi(1LL), vi(2LL)), vl(1, vi(3LL))),
	    "- - 1\n  - 2\n- - 3\n",
	    "[[1, 2], [3]]",
	    "[[1, 2], [3]]");
	check_all(vl(2, vm(2, "a", vi(1LL), "b", vi(2LL)), vm(1, "c", vl(0))),
	    "- a: 1\n  b: 2\n- c: []\n",
	    "[{a: 1, b: 2}, {c: []}]",
	    "[{a: 1, b: 2}, {c: []}]");
	check_all(vm(1, "a", vl(2, vl(2, vi(1LL), vi(2LL)), vm(1, "x", vm(0)))),
	    "a:\n- - 1\n  - 2\n- x: {}\n",
	    "{a: [[1, 2], {x: {}}]}",
	    "{a: [[1, 2], {x: {}}]}");
	check_all(vl(1, vl(1, vl(0))),
	    "- - []\n",
	    "[[[]]]",
	    "[[[]]]");
	check_all(vl(1, vm(0)),
	    "- {}\n",
	    "[{}]",
	    "[{}]");
	check_all(vm(1, "k", vl(1, vm(2, "a", vi(1LL), "b", vl(2, vi(1LL), vi(2LL))))),
	    "k:\n- a: 1\n  b:\n  - 1\n  - 2\n",
	    "{k: [{a: 1, b: [1, 2]}]}",
	    "{k: [{a: 1, b: [1, 2]}]}");
	check_all(vm(5, "lr", vf(0.1), "epochs", vi(2LL), "opt", vs("adam"), "flag", vb(true), "none", vn()),
	    "epochs: 2\nflag: true\nlr: 0.1\nnone: null\nopt: adam\n",
	    "{epochs: 2, flag: true, lr: 0.1, none: null, opt: adam}",
	    "{epochs: 2, flag: yes, lr: 0.1, none: null, opt: adam}");
	check_all(vl(6, vs("python"), vs("-um"), vs("guild.op_main"), vs("train"), vs("--lr"), vs("0.1")),
	    "- python\n- -um\n- guild.op_main\n- train\n- --lr\n- '0.1'\n",
	    "[python, -um, guild.op_main, train, --lr, '0.1']",
	    "[python, -um, guild.op_main, train, --lr, '0.1']");
	check_all(vm(2, "cmd", vm(2, "args", vl(3, vs("${python_exe}"), vs("-um"), vs("train")), "env", vm(1, "FLAGS_DEST", vs("globals"))), "flags-dest", vs("globals")),
	    "cmd:\n  args:\n  - ${python_exe}\n  - -um\n  - train\n  env:\n    FLAGS_DEST: globals\nflags-dest: globals\n",
	    "{cmd: {args: ['${python_exe}', -um, train], env: {FLAGS_DEST: globals}}, flags-dest: globals}",
	    "{cmd: {args: [${python_exe}, -um, train], env: {FLAGS_DEST: globals}}, flags-dest: globals}");
	check_all(vm(1, "", vm(1, "", vs("x"))),
	    "? ''\n: ? ''\n  : x\n",
	    "{? '' : {? '' : x}}",
	    "{'': {'': x}}");
	check_all(vm(1, "multi\nline", vl(1, vi(1LL))),
	    "? 'multi\n\n  line'\n: - 1\n",
	    NULL,
	    NULL);
	check_all(vl(2, vs("a\nb"), vm(1, "k", vs("x\ny"))),
	    "- 'a\n\n  b'\n- k: 'x\n\n    y'\n",
	    NULL,
	    NULL);
	check_all(vm(1, "k", vs("a\n\nb")),
	    "k: 'a\n\n\n  b'\n",
	    NULL,
	    NULL);
	check_all(vl(2, vf(0.1), vf(0.01)),
	    "- 0.1\n- 0.01\n",
	    "[0.1, 0.01]",
	    "[0.1, 0.01]");
	check_all(vm(1, "a", vi(1LL)),
	    "a: 1\n",
	    "{a: 1}",
	    "{a: 1}");
	check_all(vl(2, vs("a, b"), vs("c")),
	    "- a, b\n- c\n",
	    "['a, b', c]",
	    "['a, b', c]");
	check_all(vm(1, "x", vl(3, vs("1"), vi(1LL), vs("yes"))),
	    "x:\n- '1'\n- 1\n- 'yes'\n",
	    "{x: ['1', 1, 'yes']}",
	    "{x: ['1', 1, 'yes']}");
	check_all(vl(2, vf(1e-05), vf(2.5e+20)),
	    "- 1.0e-05\n- 2.5e+20\n",
	    "[1.0e-05, 2.5e+20]",
	    "[1.0e-05, 2.5e+20]");
	check_all(vl(2, vl(2, vf(0.1), vs("a b")), vm(1, "z", vn())),
	    "- - 0.1\n  - a b\n- z: null\n",
	    "[[0.1, a b], {z: null}]",
	    "[[0.1, a b], {z: null}]");
}

static void
string_cases_run(void)
{
	const struct string_case	*c;
	struct value			*v;
	size_t				 i;
	char				*s;

	for (i = 0; i < ARRAY_SIZE(string_cases); i++) {
		c = &string_cases[i];
		v = value_string(c->s);
		s = enc(value_encode_yaml, v);
		is_str(s, c->yaml, "yaml of string %zu", i);
		free(s);
		if (c->flow != NULL) {
			s = enc(value_encode_flow, v);
			is_str(s, c->flow, "flow of string %zu", i);
			free(s);
		}
		if (c->flag != NULL) {
			s = enc(value_format_flag, v);
			is_str(s, c->flag, "flag of string %zu", i);
			free(s);
		}
		value_free(v);

		v = vm(1, c->s, vi(1));
		s = enc(value_encode_yaml, v);
		is_str(s, c->key, "yaml of key %zu", i);
		free(s);
		value_free(v);

		if (c->flag_list != NULL) {
			v = vl(1, vs(c->s));
			s = enc(value_format_flag, v);
			is_str(s, c->flag_list, "flag of list of string %zu", i);
			free(s);
			value_free(v);
		}
	}
}

struct plain_case {
	const char	*text;
	enum value_type	 type;
	long long	 i;		/* ints and bools */
	double		 f;
};

static const struct plain_case plain_cases[] = {
	{ "", VALUE_NULL, 0, 0 },
	{ "~", VALUE_NULL, 0, 0 },
	{ "null", VALUE_NULL, 0, 0 },
	{ "Null", VALUE_NULL, 0, 0 },
	{ "NULL", VALUE_NULL, 0, 0 },
	{ "nULL", VALUE_STRING, 0, 0 },
	{ "yes", VALUE_BOOL, 1, 0 },
	{ "Yes", VALUE_BOOL, 1, 0 },
	{ "YES", VALUE_BOOL, 1, 0 },
	{ "yEs", VALUE_STRING, 0, 0 },
	{ "no", VALUE_BOOL, 0, 0 },
	{ "NO", VALUE_BOOL, 0, 0 },
	{ "true", VALUE_BOOL, 1, 0 },
	{ "True", VALUE_BOOL, 1, 0 },
	{ "TRUE", VALUE_BOOL, 1, 0 },
	{ "false", VALUE_BOOL, 0, 0 },
	{ "on", VALUE_BOOL, 1, 0 },
	{ "On", VALUE_BOOL, 1, 0 },
	{ "off", VALUE_BOOL, 0, 0 },
	{ "OFF", VALUE_BOOL, 0, 0 },
	{ "y", VALUE_STRING, 0, 0 },
	{ "n", VALUE_STRING, 0, 0 },
	{ "0", VALUE_INT, 0, 0 },
	{ "-0", VALUE_INT, 0, 0 },
	{ "+7", VALUE_INT, 7, 0 },
	{ "42", VALUE_INT, 42, 0 },
	{ "-42", VALUE_INT, -42, 0 },
	{ "1_000", VALUE_INT, 1000, 0 },
	{ "0x1F", VALUE_INT, 31, 0 },
	{ "-0x1f", VALUE_INT, -31, 0 },
	{ "0b101", VALUE_INT, 5, 0 },
	{ "017", VALUE_INT, 15, 0 },
	{ "00", VALUE_INT, 0, 0 },
	{ "09", VALUE_STRING, 0, 0 },
	{ "0o17", VALUE_STRING, 0, 0 },
	{ "1:30", VALUE_INT, 90, 0 },
	{ "-1:30", VALUE_INT, -90, 0 },
	{ "190:20:30", VALUE_INT, 685230, 0 },
	{ "1:60", VALUE_STRING, 0, 0 },
	{ "9223372036854775807", VALUE_INT, 9223372036854775807LL, 0 },
	{ "-9223372036854775808", VALUE_INT, -9223372036854775807LL - 1, 0 },
	{ "9223372036854775808", VALUE_FLOAT, 0, 9223372036854775808.0 },
	{ "1.5", VALUE_FLOAT, 0, 1.5 },
	{ "-1.5", VALUE_FLOAT, 0, -1.5 },
	{ "1.", VALUE_FLOAT, 0, 1.0 },
	{ ".5", VALUE_FLOAT, 0, 0.5 },
	{ "+.5", VALUE_STRING, 0, 0 },
	{ "1e3", VALUE_FLOAT, 0, 1000.0 },
	{ "1E3", VALUE_FLOAT, 0, 1000.0 },
	{ "1e-3", VALUE_FLOAT, 0, 0.001 },
	{ "-2e+2", VALUE_FLOAT, 0, -200.0 },
	{ "1.5e3", VALUE_FLOAT, 0, 1500.0 },
	{ "1.5E-3", VALUE_FLOAT, 0, 0.0015 },
	{ ".5e-1", VALUE_FLOAT, 0, 0.05 },
	{ ".5e1", VALUE_STRING, 0, 0 },
	{ "1_0.2_5", VALUE_FLOAT, 0, 10.25 },
	{ "1:30.5", VALUE_FLOAT, 0, 90.5 },
	{ "1e", VALUE_STRING, 0, 0 },
	{ "e3", VALUE_STRING, 0, 0 },
	{ ".", VALUE_STRING, 0, 0 },
	{ "._", VALUE_STRING, 0, 0 },
	{ ".inf", VALUE_FLOAT, 0, INFINITY },
	{ ".Inf", VALUE_FLOAT, 0, INFINITY },
	{ "+.INF", VALUE_FLOAT, 0, INFINITY },
	{ "-.inf", VALUE_FLOAT, 0, -INFINITY },
	{ ".iNf", VALUE_STRING, 0, 0 },
	{ "inf", VALUE_STRING, 0, 0 },
	{ ".nan", VALUE_FLOAT, 0, NAN },
	{ ".NaN", VALUE_FLOAT, 0, NAN },
	{ "-.nan", VALUE_STRING, 0, 0 },
	{ "2018-10-16", VALUE_STRING, 0, 0 },
	{ "<<", VALUE_STRING, 0, 0 },
	{ "=", VALUE_STRING, 0, 0 },
	{ "abc", VALUE_STRING, 0, 0 },
	{ "1 2", VALUE_STRING, 0, 0 },
	{ "0x", VALUE_STRING, 0, 0 },
	{ "12e", VALUE_STRING, 0, 0 },
};

static void
plain_cases_run(void)
{
	const struct plain_case	*c;
	struct value		*v;
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(plain_cases); i++) {
		c = &plain_cases[i];
		v = value_from_plain_scalar(c->text, strlen(c->text));
		is_int(v->type, c->type, "plain '%s' type", c->text);
		if (v->type != c->type) {
			value_free(v);
			continue;
		}
		switch (v->type) {
		case VALUE_BOOL:
			is_int(v->u.b, c->i, "plain '%s' bool", c->text);
			break;
		case VALUE_INT:
			is_int(v->u.i, c->i, "plain '%s' int", c->text);
			break;
		case VALUE_FLOAT:
			if (isnan(c->f))
				ok(isnan(v->u.f), "plain '%s' is nan", c->text);
			else
				ok(v->u.f == c->f, "plain '%s' float %.17g",
				    c->text, v->u.f);
			break;
		case VALUE_STRING:
			is_str(v->u.s, c->text, "plain '%s' string", c->text);
			break;
		default:
			break;
		}
		value_free(v);
	}

	/* Only len bytes count, and the text need not be NUL-terminated. */
	v = value_from_plain_scalar("12345", 2);
	ok(v->type == VALUE_INT && v->u.i == 12, "plain scalar by length");
	value_free(v);
}

static const struct {
	double		 d;
	const char	*repr;
} double_cases[] = {
	{ 0.0, "0.0" },
	{ -0.0, "-0.0" },
	{ 1.0, "1.0" },
	{ -1.0, "-1.0" },
	{ 0.1, "0.1" },
	{ 0.001, "0.001" },
	{ 0.0001, "0.0001" },
	{ 0.00001, "1e-05" },
	{ 0.000123, "0.000123" },
	{ 0.0000123, "1.23e-05" },
	{ 1e15, "1000000000000000.0" },
	{ 1e16, "1e+16" },
	{ 1.5e16, "1.5e+16" },
	{ 123456789.0, "123456789.0" },
	{ 1e22, "1e+22" },
	{ 1e100, "1e+100" },
	{ 1e-100, "1e-100" },
	{ 0.3, "0.3" },
	{ 0.1 + 0.2, "0.30000000000000004" },
	{ 1.0 / 3, "0.3333333333333333" },
	{ 2.5, "2.5" },
	{ 100.0, "100.0" },
	{ 9999999999999998.0, "9999999999999998.0" },
	{ 5e-324, "5e-324" },
	{ 1.7976931348623157e308, "1.7976931348623157e+308" },
	{ INFINITY, "inf" },
	{ -INFINITY, "-inf" },
	{ NAN, "nan" },
};

static void
double_cases_run(void)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < ARRAY_SIZE(double_cases); i++) {
		strbuf_reset(&sb);
		format_double(&sb, double_cases[i].d);
		is_str(sb.buf, double_cases[i].repr, "repr %s",
		    double_cases[i].repr);
	}
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x=");
	format_double(&sb, 0.5);
	is_str(sb.buf, "x=0.5", "format_double appends");
	strbuf_release(&sb);
}

static void
core_cases(void)
{
	struct value	*m, *l, *d, *x;
	double		 n;

	m = value_map();
	value_map_set(m, "b", vi(1));
	value_map_set(m, "a", vs("x"));
	value_map_set(m, "c", vn());
	is_int((long long)m->u.map.n, 3, "map has three keys");
	value_map_set(m, "b", vi(2));
	is_int((long long)m->u.map.n, 3, "set replaces an existing key");
	is_str(m->u.map.k[0], "b", "replacement keeps the key's place");
	is_int(value_map_get(m, "b")->u.i, 2, "replaced value");
	ok(value_map_get(m, "zz") == NULL, "missing key");
	x = vs("a");
	ok(value_map_get(x, "a") == NULL, "get on a non-map");
	ok(!value_map_del(x, "a"), "del on a non-map");
	value_free(x);
	ok(value_map_del(m, "a"), "del an existing key");
	ok(!value_map_del(m, "a"), "del a missing key");
	is_int((long long)m->u.map.n, 2, "two keys left");
	is_str(m->u.map.k[1], "c", "del keeps order");

	/* Grow past the first allocation of both arrays. */
	for (int i = 0; i < 100; i++) {
		char	k[16];

		snprintf(k, sizeof k, "k%03d", 99 - i);
		value_map_set(m, k, vi(i));
	}
	is_int((long long)m->u.map.n, 102, "map grows");
	value_map_sort(m);
	is_str(m->u.map.k[0], "b", "sorted first");
	is_str(m->u.map.k[2], "k000", "sorted third");
	is_int(value_map_get(m, "k000")->u.i, 99, "values follow their keys");
	is_str(m->u.map.k[101], "k099", "sorted last");

	d = value_dup(m);
	ok(value_equal(m, d), "dup is equal");
	value_map_set(d, "b", vi(3));
	ok(!value_equal(m, d), "changed dup differs");
	value_free(d);
	value_free(m);

	l = vl(3, vi(1), vf(2.5), vl(1, vs("x")));
	d = value_dup(l);
	ok(value_equal(l, d), "list dup is equal");
	value_list_push(d, vn());
	ok(!value_equal(l, d), "longer list differs");
	value_free(d);
	value_free(l);

	/* Python equality: 1 == 1.0 == True; maps regardless of order. */
	x = vi(1); d = vf(1.0);
	ok(value_equal(x, d), "1 == 1.0");
	value_free(d); d = vb(true);
	ok(value_equal(x, d), "1 == True");
	value_free(d); d = vs("1");
	ok(!value_equal(x, d), "1 != '1'");
	value_free(d); value_free(x);
	x = vn(); d = vn();
	ok(value_equal(x, d), "null == null");
	value_free(d); value_free(x);
	x = vm(2, "a", vi(1), "b", vi(2));
	d = vm(2, "b", vi(2), "a", vi(1));
	ok(value_equal(x, d), "maps equal in any order");
	value_free(d); value_free(x);
	x = vf(NAN);
	ok(!value_equal(x, x), "nan is not equal to itself");
	value_free(x);

	x = vi(3);
	ok(value_number(x, &n) && n == 3, "number of an int");
	value_free(x);
	x = vf(0.5);
	ok(value_number(x, &n) && n == 0.5, "number of a float");
	value_free(x);
	x = vs("3");
	ok(!value_number(x, &n), "a string is not a number");
	value_free(x);

	x = value_string_n("abcdef", 3);
	is_str(x->u.s, "abc", "string_n");
	value_free(x);
	value_free(NULL);
	ok(value_dup(NULL) == NULL, "dup of NULL");
}

static void
misc_cases(void)
{
	struct strbuf	sb = STRBUF_INIT;
	char		*s;
	struct value	*v;

	format_str_repr(&sb, "a b");
	is_str(sb.buf, "'a b'", "repr plain");
	strbuf_reset(&sb);
	format_str_repr(&sb, "it's");
	is_str(sb.buf, "\"it's\"", "repr with a single quote");
	strbuf_reset(&sb);
	format_str_repr(&sb, "it's \"x\"");
	is_str(sb.buf, "'it\\'s \"x\"'", "repr with both quotes");
	strbuf_reset(&sb);
	format_str_repr(&sb, "a\\b\n\t\001");
	is_str(sb.buf, "'a\\\\b\\n\\t\\x01'", "repr escapes");
	strbuf_release(&sb);

	ok(value_strtod("0.5", NULL) == 0.5, "strtod");

	/* Appending keeps what the buffer held. */
	strbuf_addstr(&sb, "x: ");
	v = vl(2, vi(1), vi(2));
	value_encode_flow(&sb, v);
	is_str(sb.buf, "x: [1, 2]", "flow appends");
	value_free(v);
	strbuf_release(&sb);

	/* Flow and flag encodings stay on one line. */
	v = vl(1, vs("a\nb"));
	s = enc(value_encode_flow, v);
	is_str(s, "[\"a\\nb\"]", "flow multi-line string is double-quoted");
	free(s);
	s = enc(value_format_flag, v);
	is_str(s, "[\"a\\nb\"]", "flag multi-line string is double-quoted");
	free(s);
	value_free(v);
	v = vm(1, "k", vs("x\ny"));
	s = enc(value_encode_flow, v);
	is_str(s, "{k: \"x\\ny\"}", "flow map with a multi-line value");
	free(s);
	value_free(v);

	/* Bytes that are not UTF-8 are escaped one by one. */
	v = vs("a\377b");
	s = enc(value_encode_yaml, v);
	is_str(s, "\"a\\xFFb\"\n", "invalid UTF-8 is escaped");
	free(s);
	value_free(v);

	/* Long strings are not folded (PyYAML would at 80 columns). */
	v = vs("aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee "
	    "ffffffffff gggggggggg hhhhhhhhhh");
	s = enc(value_encode_yaml, v);
	is_str(s, "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee "
	    "ffffffffff gggggggggg hhhhhhhhhh\n", "no folding");
	free(s);
	value_free(v);
}

/* --json: laid out as Python's json.dumps(); what JSON cannot write is null. */
static void
json_cases(void)
{
	struct value	*v;
	char		*s;

	v = vm(8, "a", vn(), "b", vb(true), "c", vi(-3), "d", vf(0.1),
	    "e", vl(3, vf(1.0), vf(1e-05), vf(1e16)), "f", vs("x"),
	    "g", vm(0), "h", vl(0));
	s = enc(value_encode_json, v);
	is_str(s, "{\"a\": null, \"b\": true, \"c\": -3, \"d\": 0.1, "
	    "\"e\": [1.0, 1e-05, 1e+16], \"f\": \"x\", \"g\": {}, \"h\": []}",
	    "json: every type, Python's separators and floats");
	free(s);
	value_free(v);

	/* JSON has no NaN or infinities: null, as the runs' scalars show. */
	v = vl(4, vf(NAN), vf(INFINITY), vf(-INFINITY), vf(-0.0));
	s = enc(value_encode_json, v);
	is_str(s, "[null, null, null, -0.0]", "json: nan and inf are null");
	free(s);
	value_free(v);

	/* Quotes, backslashes and control characters are escaped. */
	v = vm(1, "k\"ey", vs("a\"b\\c\nd\re\tf\001g\177h\303\251"));
	s = enc(value_encode_json, v);
	is_str(s, "{\"k\\\"ey\": \"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh"
	    "\303\251\"}", "json: escapes; UTF-8 as it is");
	free(s);
	value_free(v);

	/* A missing value is null. */
	s = enc(value_encode_json, NULL);
	is_str(s, "null", "json: NULL is null");
	free(s);
}

int
main(void)
{
	core_cases();
	plain_cases_run();
	double_cases_run();
	string_cases_run();
	structure_cases();
	misc_cases();
	json_cases();
	return done_testing();
}
