/*
 * test-batch.c: trials of grid and random searches, batch files and the
 * seeded generator.
 */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "flags.h"
#include "guildfile.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

static const char yml[] =
    "say:\n"
    "  exec: echo\n"
    "  default-max-trials: 5\n"
    "  flags:\n"
    "    msg: hello\n"
    "    loud: no\n"
    "    layers:\n"
    "      default: [1, 2]\n"
    "      arg-split: yes\n"
    "train:\n"
    "  exec: echo\n"
    "  flags:\n"
    "    lr: 0.1\n"
    "    epochs: 1\n";

static struct value *
parse(const char *text)
{
	return yaml_parse_value(text, strlen(text), NULL);
}

/* The trials as "a=1 b=2;a=1 b=3" (keys sorted). */
static char *
show_trials(const struct value *trials)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, k;

	for (i = 0; i < trials->u.list.n; i++) {
		struct value	*t = value_dup(trials->u.list.v[i]);

		value_map_sort(t);
		if (i > 0)
			strbuf_addch(&sb, ';');
		for (k = 0; k < t->u.map.n; k++) {
			if (k > 0)
				strbuf_addch(&sb, ' ');
			strbuf_addf(&sb, "%s=", t->u.map.k[k]);
			value_format_flag(&sb, t->u.map.v[k]);
		}
		value_free(t);
	}
	return strbuf_detach(&sb, NULL);
}

static void
check_grid(const struct opdef *op, const char *user_yaml, const char *rows_yaml,
    long max, const char *want, const char *name)
{
	struct value	*user = parse(user_yaml), *rows = NULL, *trials = NULL;
	char		*cause = NULL, *got;

	if (rows_yaml != NULL)
		rows = parse(rows_yaml);
	if (batch_trials(op, user, rows, BATCH_GRID, max, 42, &trials,
	    &cause) == -1) {
		ok(false, "%s: %s", name, cause);
		free(cause);
	} else {
		got = show_trials(trials);
		is_str(got, want, "%s", name);
		free(got);
	}
	value_free(user);
	value_free(rows);
	value_free(trials);
}

static void
test_rng(void)
{
	struct batch_rng	a, b;
	uint64_t		x[4];
	size_t			i;
	bool			same = true, inrange = true, varied = false;
	double			d;

	batch_rng_seed(&a, 7);
	batch_rng_seed(&b, 7);
	for (i = 0; i < 100; i++)
		if (batch_rng_next(&a) != batch_rng_next(&b))
			same = false;
	ok(same, "rng: a seed gives the same sequence");
	batch_rng_seed(&a, 7);
	batch_rng_seed(&b, 8);
	for (i = 0; i < 4; i++)
		x[i] = batch_rng_next(&a);
	ok(x[0] != batch_rng_next(&b), "rng: another seed, another sequence");
	for (i = 0; i < 1000; i++) {
		uint64_t	v = batch_rng_below(&a, 3);

		if (v >= 3)
			inrange = false;
		if (v != 0)
			varied = true;
		d = batch_rng_double(&a);
		if (d < 0 || d >= 1)
			inrange = false;
	}
	ok(inrange, "rng: below(3) and double() stay in range");
	ok(varied, "rng: below(3) varies");
}

static void
test_kind(const struct opdef *say)
{
	struct value	*u;
	enum batch_kind	 k;
	char		*cause = NULL;

	u = parse("{msg: [a, b]}");
	ok(batch_kind(say, u, 0, NULL, &k, NULL) == 0 && k == BATCH_GRID,
	    "kind: a list is a grid");
	value_free(u);
	u = parse("{layers: [3, 4]}");
	ok(batch_kind(say, u, 0, NULL, &k, NULL) == 0 && k == BATCH_NONE,
	    "kind: an arg-split flag's list is one value");
	ok(batch_kind(say, u, 1, NULL, &k, NULL) == 0 && k == BATCH_GRID,
	    "kind: a batch file is a grid");
	value_free(u);
	u = parse("{msg: 'uniform[1:2]'}");
	ok(batch_kind(say, u, 0, NULL, &k, NULL) == 0 && k == BATCH_RANDOM,
	    "kind: a flag function is a random search");
	ok(batch_kind(say, u, 0, "+", &k, &cause) == -1,
	    "kind: a function in a grid is an error");
	is_str(cause, "flag functions need a random search (--optimizer random)",
	    "kind: its message");
	free(cause);
	cause = NULL;
	value_free(u);
	u = parse("{msg: hi}");
	ok(batch_kind(say, u, 0, NULL, &k, NULL) == 0 && k == BATCH_NONE,
	    "kind: plain values are no batch");
	ok(batch_kind(say, u, 0, "random", &k, NULL) == 0 && k == BATCH_RANDOM,
	    "kind: --optimizer random");
	ok(batch_kind(say, u, 0, "gp", &k, &cause) == -1, "kind: gp is refused");
	ok(cause != NULL && strstr(cause, "unsupported optimizer 'gp'") != NULL,
	    "kind: its message");
	free(cause);
	value_free(u);
}

static void
test_grid(const struct opdef *say)
{
	check_grid(say, "{msg: [hi]}", NULL, 0, "msg=hi", "grid: one value");
	check_grid(say, "{msg: [c, a, b]}", NULL, 0, "msg=c;msg=a;msg=b",
	    "grid: list order is kept");
	check_grid(say, "{msg: [a, b], loud: yes}", NULL, 0,
	    "loud=yes msg=a;loud=yes msg=b", "grid: fixed flags join in");
	check_grid(say, "{msg: [b, a], loud: [no, yes]}", NULL, 0,
	    "loud=no msg=b;loud=no msg=a;loud=yes msg=b;loud=yes msg=a",
	    "grid: product, names sorted, first varies slowest");
	check_grid(say, "{}", "[{msg: hello 1}, {msg: hello 2, loud: yes}, "
	    "{msg: hello 3}]", 0,
	    "msg=hello 1;loud=yes msg=hello 2;msg=hello 3",
	    "grid: batch file rows");
	check_grid(say, "{loud: no}", "[{msg: hello 1}, {msg: hello 2, "
	    "loud: yes}]", 0, "loud=no msg=hello 1;loud=yes msg=hello 2",
	    "grid: the file wins over the command line");
	check_grid(say, "{loud: [yes, no]}", "[{msg: hello 1}, {msg: hello 2, "
	    "loud: yes}, {msg: hello 3}]", 0,
	    "loud=yes msg=hello 1;loud=no msg=hello 1;loud=yes msg=hello 2;"
	    "loud=yes msg=hello 3;loud=no msg=hello 3",
	    "grid: lists expand rows that do not set them");
	check_grid(say, "{msg: [hello 4, hello 5]}", "[{msg: hello 1}]", 0,
	    "msg=hello 1", "grid: a row's value beats a list");
	check_grid(say, "{msg: []}", NULL, 0, "", "grid: an empty list, no trials");
}

static void
test_max_trials(const struct opdef *say)
{
	struct value	*user = parse("{msg: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
	struct value	*t1 = NULL, *t2 = NULL;
	char		*s1, *s2;
	size_t		 i;
	bool		 ordered = true;

	ok(batch_trials(say, user, NULL, BATCH_GRID, 4, 99, &t1, NULL) == 0,
	    "max-trials: sampled");
	is_int((long long)t1->u.list.n, 4, "max-trials: 4 of 10");
	for (i = 1; i < t1->u.list.n; i++)
		if (value_map_get(t1->u.list.v[i - 1], "msg")->u.i >=
		    value_map_get(t1->u.list.v[i], "msg")->u.i)
			ordered = false;
	ok(ordered, "max-trials: in their order");
	batch_trials(say, user, NULL, BATCH_GRID, 4, 99, &t2, NULL);
	s1 = show_trials(t1);
	s2 = show_trials(t2);
	is_str(s1, s2, "max-trials: the same seed, the same sample");
	free(s1);
	free(s2);
	value_free(t1);
	value_free(t2);
	ok(batch_trials(say, user, NULL, BATCH_GRID, 20, 99, &t1, NULL) == 0 &&
	    t1->u.list.n == 10, "max-trials: more than there are keeps all");
	value_free(t1);
	value_free(user);
}

static void
test_random(const struct opdef *say, const struct opdef *train)
{
	struct value	*user, *t = NULL, *t2 = NULL;
	char		*cause = NULL, *s1, *s2;
	size_t		 i;
	bool		 ints = true, inrange = true, logok = true, choice = true;

	user = parse("{msg: 'uniform[1:10]', loud: 'loguniform[0.001:0.1]', "
	    "layers: [a, b]}");
	ok(batch_trials(say, user, NULL, BATCH_RANDOM, 0, 3, &t, NULL) == 0,
	    "random: trials");
	is_int((long long)t->u.list.n, 5, "random: the op's default-max-trials");
	for (i = 0; i < t->u.list.n; i++) {
		const struct value *m = value_map_get(t->u.list.v[i], "msg");
		const struct value *l = value_map_get(t->u.list.v[i], "loud");
		const struct value *c = value_map_get(t->u.list.v[i], "layers");

		if (m->type != VALUE_INT)
			ints = false;
		else if (m->u.i < 1 || m->u.i > 10)
			inrange = false;
		if (l->type != VALUE_FLOAT || l->u.f < 0.001 || l->u.f > 0.1)
			logok = false;
		/* layers is arg-split: the list is one value, not choices. */
		if (c->type != VALUE_LIST)
			choice = false;
	}
	ok(ints && inrange, "random: integer bounds give integers in range");
	ok(logok, "random: loguniform floats in range");
	ok(choice, "random: an arg-split list stays a value");
	batch_trials(say, user, NULL, BATCH_RANDOM, 0, 3, &t2, NULL);
	s1 = show_trials(t);
	s2 = show_trials(t2);
	is_str(s1, s2, "random: the same seed, the same trials");
	free(s1);
	free(s2);
	value_free(t);
	value_free(t2);
	value_free(user);

	user = parse("{lr: '[0.01:0.1:0.05]', epochs: [1, 2, 3]}");
	ok(batch_trials(train, user, NULL, BATCH_RANDOM, 7, 5, &t, NULL) == 0,
	    "random: anonymous function and choices");
	is_int((long long)t->u.list.n, 7, "random: --max-trials");
	ok(value_map_get(t->u.list.v[0], "lr")->type == VALUE_FLOAT &&
	    fabs(value_map_get(t->u.list.v[0], "lr")->u.f - 0.05) < 1e-12,
	    "random: the third argument is the first trial's value");
	for (i = 0; i < t->u.list.n; i++) {
		const struct value *e = value_map_get(t->u.list.v[i], "epochs");

		if (e->type != VALUE_INT || e->u.i < 1 || e->u.i > 3)
			choice = false;
	}
	ok(choice, "random: list values are choices");
	value_free(t);
	value_free(user);
	ok(batch_trials(train, NULL, NULL, BATCH_RANDOM, 0, 5, &t, NULL) == 0 &&
	    t->u.list.n == BATCH_DEFAULT_MAX_TRIALS, "random: default 20 trials");
	value_free(t);

	user = parse("{lr: 'normal[0:1]'}");
	ok(batch_trials(train, user, NULL, BATCH_RANDOM, 0, 5, &t,
	    &cause) == -1, "random: unknown function");
	is_str(cause, "unsupported flag function 'normal' for lr (expected "
	    "uniform or loguniform)", "random: its message");
	free(cause);
	cause = NULL;
	value_free(user);
	user = parse("{lr: 'loguniform[0:1]'}");
	ok(batch_trials(train, user, NULL, BATCH_RANDOM, 0, 5, &t,
	    &cause) == -1, "random: loguniform from 0");
	free(cause);
	cause = NULL;
	value_free(user);
	user = parse("{lr: 'uniform[5:1]'}");
	ok(batch_trials(train, user, NULL, BATCH_RANDOM, 0, 5, &t,
	    &cause) == -1, "random: reversed bounds");
	is_str(cause, "invalid range uniform[5:1] for lr: expected [LOW:HIGH]",
	    "random: its message");
	free(cause);
	value_free(user);
}

static void
write_file(const char *path, const char *text)
{
	write_file_atomic(path, text, strlen(text), NULL);
}

static void
test_files(const char *dir)
{
	struct value	*rows = NULL;
	char		*cause = NULL, *p, *s;

	p = path_join(dir, "b.csv");
	write_file(p, "msg,loud\nhello 1\n\"hello, 2\",yes\r\nhello 3,\n");
	ok(batch_read_file(p, &rows, NULL) == 0, "csv: read");
	s = show_trials(rows);
	is_str(s, "msg=hello 1;loud=yes msg=hello, 2;loud='' msg=hello 3",
	    "csv: rows, quotes, CRLF, short rows, values decoded");
	free(s);
	value_free(rows);
	free(p);

	p = path_join(dir, "b.json");
	write_file(p, "[{\"msg\": \"hello 7\", \"loud\": false},\n"
	    " {\"msg\": \"hello 8\", \"loud\": true}]\n");
	ok(batch_read_file(p, &rows, NULL) == 0, "json: read");
	s = show_trials(rows);
	is_str(s, "loud=no msg=hello 7;loud=yes msg=hello 8", "json: rows");
	free(s);
	value_free(rows);
	free(p);

	p = path_join(dir, "b.yml");
	write_file(p, "msg: one\n");
	ok(batch_read_file(p, &rows, NULL) == 0, "yaml: one map");
	s = show_trials(rows);
	is_str(s, "msg=one", "yaml: a map is one row");
	free(s);
	value_free(rows);
	write_file(p, "- 1\n- 2\n");
	ok(batch_read_file(p, &rows, &cause) == -1, "yaml: not maps");
	ok(cause != NULL && str_ends_with(cause,
	    "b.yml: expected a list of flag maps"), "yaml: its message");
	free(cause);
	cause = NULL;
	free(p);

	ok(batch_read_file("trials.unknown", &rows, &cause) == -1,
	    "unknown extension");
	is_str(cause, "unsupported batch file extension for trials.unknown",
	    "unknown extension: message");
	free(cause);
	cause = NULL;
	ok(batch_read_file("/nonexistent/t.csv", &rows, &cause) == -1,
	    "missing file");
	free(cause);
}

static void
test_desc(const struct opdef *say)
{
	struct value	*f = parse("{msg: hello 1, loud: no, x: null, lr: 0.123456789}");
	char		*d = batch_trial_desc(say, f);

	is_str(d, "loud=no, lr=0.12345, msg='hello 1'",
	    "trial description: sorted, quoted, no nulls, floats cut");
	free(d);
	value_free(f);
}

int
main(void)
{
	struct guildfile	*gf;
	char			*cause = NULL, tmpl[] = "/tmp/test-batch.XXXXXX";
	char			*dir;

	gf = guildfile_load_buf(yml, sizeof yml - 1, "guild.yml", "/tmp",
	    &cause);
	if (gf == NULL) {
		diag("%s", cause);
		return 1;
	}
	dir = mkdtemp(tmpl);
	test_rng();
	test_kind(modeldef_op(gf->models[0], "say"));
	test_grid(modeldef_op(gf->models[0], "say"));
	test_max_trials(modeldef_op(gf->models[0], "say"));
	test_random(modeldef_op(gf->models[0], "say"),
	    modeldef_op(gf->models[0], "train"));
	if (dir != NULL) {
		test_files(dir);
		rm_rf(dir, NULL);
	}
	test_desc(modeldef_op(gf->models[0], "say"));
	guildfile_free(gf);
	return done_testing();
}
