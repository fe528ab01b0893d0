/* test-yamlnode.c: YAML text to ynode trees and values. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "tap.h"
#include "value.h"
#include "yamlnode.h"

static struct ynode *
parse(const char *text, char **cause)
{
	free(*cause);
	*cause = NULL;
	return ynode_parse(text, strlen(text), "guild.yml", cause);
}

/* The error for text, or "(no error)". The result is static. */
static const char *
error_of(const char *text)
{
	static char	*last;
	struct ynode	*n;
	char		*cause = NULL;

	free(last);
	n = ynode_parse(text, strlen(text), "guild.yml", &cause);
	ynode_free(n);
	last = cause != NULL ? cause : xstrdup("(no error)");
	return last;
}

static char *
flow(const struct ynode *n)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v;

	v = ynode_to_value(n);
	value_encode_flow(&sb, v);
	value_free(v);
	return strbuf_detach(&sb, NULL);
}

static void
test_positions(void)
{
	struct ynode	*n, *seq;
	char		*cause = NULL;

	n = parse("a: 1\nb:\n  - x\n  - 'y'\n  - \"z\"\nc: {d: e}\n", &cause);
	ok(n != NULL && cause == NULL, "parses a small document");
	is_int(n->kind, YNODE_MAP, "root is a map");
	is_int((long long)n->n, 3, "three pairs");
	is_str(n->file, "guild.yml", "root knows its file");
	is_int(n->line, 1, "root at line 1");
	is_int(n->keys[1]->line, 2, "key b at line 2");
	is_int(n->keys[1]->col, 1, "key b at column 1");
	is_int(n->items[0]->col, 4, "value 1 at column 4");
	seq = ynode_get(n, "b");
	ok(seq != NULL && seq->kind == YNODE_SEQ, "b is a sequence");
	is_int(seq->line, 3, "sequence starts at line 3");
	is_int(seq->col, 3, "sequence starts at column 3");
	is_int(seq->items[1]->line, 4, "second item at line 4");
	is_int(seq->items[1]->col, 5, "second item at column 5");
	ok(seq->items[0]->plain, "x is plain");
	ok(!seq->items[1]->plain, "'y' is quoted");
	ok(!seq->items[2]->plain, "\"z\" is quoted");
	is_str(seq->items[1]->str, "y", "quotes are removed");
	ok(seq->items[2]->file == n->file, "nodes share the file name");
	is_int(ynode_get(n, "c")->line, 6, "flow map at line 6");
	is_int(ynode_get(ynode_get(n, "c"), "d")->col, 8,
	    "flow value at column 8");
	ok(ynode_get(n, "nope") == NULL, "missing key is NULL");
	ok(ynode_get(seq, "x") == NULL, "ynode_get on a sequence is NULL");
	ynode_free(n);
	free(cause);
}

static void
test_scalars(void)
{
	struct ynode	*n;
	struct value	*v;
	char		*cause = NULL, *s;

	n = parse("a: ~\nb:\nc: null\nd: 'null'\ne: \"a\\0b\"\n", &cause);
	ok(ynode_is_null(ynode_get(n, "a")), "~ is null");
	ok(ynode_is_null(ynode_get(n, "b")), "empty is null");
	ok(ynode_is_null(ynode_get(n, "c")), "null is null");
	ok(!ynode_is_null(ynode_get(n, "d")), "'null' is a string");
	is_int((long long)ynode_get(n, "e")->len, 3, "scalars may hold NULs");
	ynode_free(n);

	n = parse("i: 12\nf: 1e3\nb: yes\ns: '12'\nt: !!str 12\nu: ! 12\n"
	    "x: !!int '7'\no: 0o17\n", &cause);
	v = ynode_to_value(n);
	is_int(value_map_get(v, "i")->type, VALUE_INT, "12 is an int");
	is_int(value_map_get(v, "f")->type, VALUE_FLOAT, "1e3 is a float");
	is_int(value_map_get(v, "b")->type, VALUE_BOOL, "yes is a bool");
	is_int(value_map_get(v, "s")->type, VALUE_STRING, "'12' is a string");
	is_int(value_map_get(v, "t")->type, VALUE_STRING, "!!str 12 is a string");
	is_int(value_map_get(v, "u")->type, VALUE_STRING, "! 12 is a string");
	is_int(value_map_get(v, "x")->type, VALUE_INT, "!!int '7' is an int");
	value_free(v);
	ynode_free(n);

	v = yaml_parse_value("", 0, &cause);
	ok(v != NULL && v->type == VALUE_NULL, "empty text is null");
	value_free(v);
	v = yaml_parse_value("[1, 'a', {b: no}]", 17, &cause);
	ok(v != NULL && v->type == VALUE_LIST && v->u.list.n == 3,
	    "flow list value");
	value_free(v);
	v = yaml_parse_value("0.001", 5, &cause);
	ok(v != NULL && v->type == VALUE_FLOAT, "attr value 0.001");
	value_free(v);
	v = yaml_parse_value("[1", 2, &cause);
	ok(v == NULL, "bad value fails");
	is_str(cause, "2:1: did not find expected ',' or ']' (while parsing "
	    "a flow sequence at line 1)", "value errors have no file name");

	n = parse("a: [1, 2.5, true, x, null]\n", &cause);
	s = flow(n);
	is_str(s, "{a: [1, 2.5, true, x, null]}", "to_value keeps types");
	free(s);
	v = ynode_to_value(n);
	ynode_free(n);
	n = ynode_from_value(v);
	value_free(v);
	s = flow(n);
	is_str(s, "{a: [1, 2.5, true, x, null]}", "from_value round trip");
	free(s);
	ynode_free(n);
	free(cause);
}

static void
test_maps(void)
{
	struct ynode	*n, *d;
	char		*cause = NULL, *s;

	n = parse("a: 1\nb: 2\na: 3\n", &cause);
	is_int((long long)n->n, 2, "duplicate keys are folded");
	is_str(n->keys[0]->str, "a", "first position kept");
	is_str(n->items[0]->str, "3", "last value wins");
	ynode_free(n);

	n = parse("base: &b {x: 1, y: 2}\n"
	    "other: &o {y: 9, z: 3}\n"
	    "m: {<<: *b, y: 5}\n"
	    "l: {<<: [*b, *o]}\n"
	    "q: {'<<': 1}\n", &cause);
	ok(n != NULL, "merge keys parse: %s", cause ? cause : "");
	s = flow(ynode_get(n, "m"));
	is_str(s, "{x: 1, y: 5}", "merge key: own keys win");
	free(s);
	d = ynode_get(n, "l");
	ok(d->n == 3 && strcmp(d->keys[0]->str, "y") == 0 &&
	    strcmp(d->keys[1]->str, "z") == 0 &&
	    strcmp(d->keys[2]->str, "x") == 0, "merge list: PyYAML's order");
	is_str(ynode_get(d, "y")->str, "2", "merge list: first map wins");
	s = flow(ynode_get(n, "q"));
	is_str(s, "{'<<': 1}", "quoted << is a plain key");
	free(s);
	d = ynode_dup(n);
	ynode_free(n);
	ok(d->own_file && strcmp(d->file, "guild.yml") == 0,
	    "a copy owns its file name");
	is_int((long long)ynode_count(d, NULL), 31, "copy has every node");
	ynode_free(d);

	is_str(error_of("a: {<<: 1}"), "guild.yml:1:9: expected a mapping or "
	    "list of mappings for merging", "merging a scalar fails");
	is_str(error_of("? [a]\n: 1"), "guild.yml:1:3: found unhashable key",
	    "sequence keys fail");
	free(cause);
}

static void
test_aliases(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct ynode	*n;
	char		*cause = NULL, *s;
	int		 i, j;

	n = parse("a: &x [1, {b: 2}]\nc: *x\nd: *x\n", &cause);
	s = flow(ynode_get(n, "d"));
	is_str(s, "[1, {b: 2}]", "aliases are expanded");
	free(s);
	ok(ynode_get(n, "c") != ynode_get(n, "a"), "each alias is a copy");
	is_int(ynode_get(n, "c")->line, 2, "an alias copy is where it is used");
	ynode_free(n);

	is_str(error_of("a: *x"), "guild.yml:1:4: found undefined alias 'x'",
	    "undefined alias");
	is_str(error_of("a: &x [*x]"), "guild.yml:1:8: found recursive "
	    "alias 'x'", "recursive alias");

	/* Billion laughs: nine levels of ten. */
	strbuf_addstr(&sb, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
	    "\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (i = 1; i < 9; i++) {
		strbuf_addf(&sb, "%c: &%c [", 'a' + i, 'a' + i);
		for (j = 0; j < 10; j++)
			strbuf_addf(&sb, "%s*%c", j ? "," : "", 'a' + i - 1);
		strbuf_addstr(&sb, "]\n");
	}
	n = parse(sb.buf, &cause);
	ok(n == NULL, "billion laughs is rejected");
	ok(cause != NULL && strstr(cause, "document too large") != NULL,
	    "with a clear message: %s", cause ? cause : "");
	ok(cause != NULL && strncmp(cause, "guild.yml:6:", 12) == 0,
	    "pointing where the budget ran out: %s", cause ? cause : "");
	strbuf_release(&sb);

	/* Depth: 300 nested lists. */
	for (i = 0; i < 300; i++)
		strbuf_addch(&sb, '[');
	for (i = 0; i < 300; i++)
		strbuf_addch(&sb, ']');
	n = parse(sb.buf, &cause);
	ok(n == NULL && cause != NULL && strstr(cause, "nested too deeply"),
	    "deep nesting is rejected: %s", cause ? cause : "");
	strbuf_release(&sb);
	for (i = 0; i < 200; i++)
		strbuf_addch(&sb, '[');
	for (i = 0; i < 200; i++)
		strbuf_addch(&sb, ']');
	n = parse(sb.buf, &cause);
	ok(n != NULL, "200 levels are fine");
	ynode_free(n);
	strbuf_release(&sb);

	/* An alias cannot lift a deep tree past the limit either. */
	strbuf_addstr(&sb, "a: &x ");
	for (i = 0; i < 150; i++)
		strbuf_addch(&sb, '[');
	for (i = 0; i < 150; i++)
		strbuf_addch(&sb, ']');
	strbuf_addstr(&sb, "\nb: ");
	for (i = 0; i < 150; i++)
		strbuf_addch(&sb, '[');
	strbuf_addstr(&sb, "*x");
	for (i = 0; i < 150; i++)
		strbuf_addch(&sb, ']');
	n = parse(sb.buf, &cause);
	ok(n == NULL && cause != NULL && strstr(cause, "nested too deeply"),
	    "an alias may not nest too deeply: %s", cause ? cause : "");
	strbuf_release(&sb);

	n = parse("a: &x 1\nb: &x 2\nc: *x\n", &cause);
	is_str(ynode_get(n, "c")->str, "2", "a redefined anchor: the latest");
	ynode_free(n);

	/* Many anchors and aliases: found by hash, not by a scan. */
	strbuf_addstr(&sb, "a:\n");
	for (i = 0; i < 100000; i++)
		strbuf_addf(&sb, "- &a%d %d\n", i, i);
	strbuf_addstr(&sb, "b:\n");
	for (i = 0; i < 100000; i++)
		strbuf_addf(&sb, "- *a%d\n", i);
	n = parse(sb.buf, &cause);
	ok(n != NULL && ynode_get(n, "b")->n == 100000 &&
	    strcmp(ynode_get(n, "b")->items[99999]->str, "99999") == 0,
	    "100000 anchors and aliases");
	ynode_free(n);
	strbuf_release(&sb);

	/* Anchors on values dropped by duplicate keys stay usable. */
	n = parse("- {a: &x [1], a: 2}\n- *x\n- {<<: &y {k: v}}\n- *y\n",
	    &cause);
	ok(n != NULL, "anchors in dropped nodes: %s", cause ? cause : "");
	s = flow(n);
	is_str(s, "[{a: 2}, [1], {k: v}, {k: v}]", "and keep their value");
	free(s);
	ynode_free(n);
	free(cause);
}

static void
test_errors(void)
{
	struct ynode	*n;
	char		*cause = NULL;
	char		 dir[] = "/tmp/test-yamlnode.XXXXXX";
	char		*path;

	is_str(error_of("a: b: c"), "guild.yml:1:5: mapping values are not "
	    "allowed in this context", "mapping values");
	is_str(error_of("a:\n  b: 1\n c: 2"), "guild.yml:3:2: did not find "
	    "expected key (while parsing a block mapping at line 1)",
	    "bad indentation");
	is_str(error_of("a: \"x\n"), "guild.yml:2:1: found unexpected end of "
	    "stream (while scanning a quoted scalar at line 1)",
	    "unterminated quote");
	is_str(error_of("\tfoo: 1"), "guild.yml:1:1: found character that "
	    "cannot start any token", "tab");
	is_str(error_of("a: 1\nb: \xff\xfe\n"), "guild.yml:2:4: invalid "
	    "leading UTF-8 octet", "bad UTF-8 with its position");
	is_str(error_of("a: 1\n---\nb: 2\n"), "guild.yml:2:1: expected a "
	    "single document in the stream", "two documents");

	n = parse("", &cause);
	ok(n == NULL && cause == NULL, "empty text: NULL, no error");
	n = parse("# only a comment\n", &cause);
	ok(n == NULL && cause == NULL, "comments only: NULL, no error");
	n = parse("---\n", &cause);
	ok(n != NULL && ynode_is_null(n), "an empty document is null");
	ynode_free(n);

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	n = ynode_parse_file(dir, "proj", &cause);
	is_str(cause, "proj: not a regular file", "a directory is refused");
	path = xasprintf("%s/missing.yml", dir);
	free(cause);
	cause = NULL;
	n = ynode_parse_file(path, "missing.yml", &cause);
	is_str(cause, "missing.yml: No such file or directory",
	    "missing file");
	free(path);
	path = xasprintf("%s/fifo", dir);
	free(cause);
	cause = NULL;
	if (mkfifo(path, 0600) == 0) {
		n = ynode_parse_file(path, "fifo", &cause);
		is_str(cause, "fifo: not a regular file",
		    "a FIFO is refused without blocking");
		unlink(path);
	}
	free(path);

	/*
	 * Read to the end whatever size fstat gave: more than the 64 KB of
	 * one read, and a file that says 0 bytes but has some (procfs).
	 */
	{
		struct strbuf	 big = STRBUF_INIT;
		FILE		*f;
		size_t		 i;

		path = xasprintf("%s/big.yml", dir);
		for (i = 0; i < 5000; i++)
			strbuf_addf(&big, "key%05zu: a value to make it long\n",
			    i);
		if ((f = fopen(path, "w")) != NULL) {
			fwrite(big.buf, 1, big.len, f);
			fclose(f);
		}
		free(cause);
		cause = NULL;
		n = ynode_parse_file(path, "big.yml", &cause);
		ok(big.len > 2 * 65536 && n != NULL && n->n == 5000 &&
		    strcmp(n->keys[4999]->str, "key04999") == 0,
		    "a file of %zu bytes read to its end", big.len);
		ynode_free(n);
		unlink(path);
		free(path);
		strbuf_release(&big);
	}
	if (access("/proc/self/comm", R_OK) == 0) {
		n = ynode_parse_file("/proc/self/comm", "comm", &cause);
		ok(n != NULL && n->str != NULL &&
		    strcmp(n->str, "test-yamlnode") == 0,
		    "a file of size 0 that has text is read");
		ynode_free(n);
	} else
		diag("no /proc/self/comm: a file of size 0 not tried");
	rmdir(dir);
	free(cause);
}

int
main(void)
{
	test_positions();
	test_scalars();
	test_maps();
	test_aliases();
	test_errors();
	return done_testing();
}
