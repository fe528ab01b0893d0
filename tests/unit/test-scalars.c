/* test-scalars.c: output-scalar patterns, steps, the scalar log. */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guildfile.h"
#include "scalars.h"
#include "strbuf.h"
#include "tap.h"
#include "tfevents.h"
#include "util.h"

/* Scalars as "key=value@step" joined by spaces. */
static void
on_scalar(const char *key, double value, long long step, void *arg)
{
	struct strbuf	*sb = arg;

	if (sb->len > 0)
		strbuf_addch(sb, ' ');
	strbuf_addf(sb, "%s=%g@%lld", key, value, step);
}

/* Feed lines (split on '\n') and return what was captured; caller frees. */
static char *
feed(struct scalars *s, const char *lines)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = lines, *nl;

	for (;;) {
		nl = strchr(p, '\n');
		scalars_feed_line(s, p, nl ? (size_t)(nl - p) : strlen(p),
		    on_scalar, &sb);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return strbuf_detach(&sb, NULL);
}

/* Fresh default matcher per check: steps are state. */
static void
check_default(const char *lines, const char *want, const char *name)
{
	struct scalars	*s;
	char		*got, *cause = NULL;

	s = scalars_new(NULL, NULL, &cause);
	if (s == NULL) {
		ok(0, "%s: %s", name, cause);
		free(cause);
		return;
	}
	got = feed(s, lines);
	is_str(got, want, "%s", name);
	free(got);
	scalars_free(s);
}

static void
test_defaults(void)
{
	check_default("loss: 0.5", "loss=0.5@0", "key: value");
	check_default("loss: 0.5 (step 3)", "loss=0.5@3",
	    "key: value (step N)");
	check_default("loss: 0.5 (3)", "loss=0.5@3", "key: value (N)");
	check_default("step: 5\nacc: 0.9\nloss: 0.1", "acc=0.9@5 loss=0.1@5",
	    "step: N sets the step for later lines");
	check_default("x: 1.1\ny: 1.2\nz: 1.3", "x=1.1@0 y=1.2@0 z=1.3@0",
	    "new keys: implied step 0");
	check_default("x: 1.1\nx: 1.2\nx: 1.3", "x=1.1@0 x=1.2@1 x=1.3@2",
	    "repeated key: step increments");
	check_default("x: 1.1\ny: 2.2\nx: 3.3\ny: 4.4\nx: 5.5\ny: 6.6",
	    "x=1.1@0 y=2.2@0 x=3.3@1 y=4.4@1 x=5.5@2 y=6.6@2",
	    "alternating keys");
	check_default("x: 1.1\ny: 2.2\ny: 3.3\ny: 4.4\nx: 5.5\ny: 6.6",
	    "x=1.1@0 y=2.2@0 y=3.3@1 y=4.4@2 x=5.5@2 y=6.6@3",
	    "any repeated key increments");
	check_default("x: 1.1\ny: 2.2\nx: 3.3\ny: 4.4 (10)\nx: 5.5\ny: 6.6",
	    "x=1.1@0 y=2.2@0 x=3.3@1 y=4.4@10 x=5.5@10 y=6.6@10",
	    "an explicit step ends implied steps");
	check_default("x: 1.1 (10)\ny: 1.2 (10)", "x=1.1@10 y=1.2@10",
	    "steps in parentheses");
	check_default("a: nan\nb: inf\nc: -inf\nd: 1e-3\ne: +2\nf: .5",
	    "a=nan@0 b=inf@0 c=-inf@0 d=0.001@0 e=2@0 f=0.5@0",
	    "nan, inf, exponents, signs");
	check_default("loss: abc\nloss: .\nloss: 1.2.3\nloss:\nloss: -",
	    "", "invalid values ignored");
	check_default("  loss: 0.5", "", "leading space: no match");
	check_default("loss: 0.5   \t", "loss=0.5@0", "trailing space trimmed");
	check_default("loss: 0.5 (val)", "loss=0.5@0", "other parentheses");
	check_default("Epoch 1 loss: 0.5", "", "key must start the line");
	check_default("val/acc: 0.75", "val/acc=0.75@0", "keys with slashes");
	check_default("step: 2.9\nx: 1", "x=1@2", "float steps truncated");
	check_default("step: nan\nx: 1", "x=1@0", "nan step ignored");
	check_default("caf\xc3\xa9: 1\n\xff: 2", "caf\xc3\xa9=1@0",
	    "UTF-8 keys; invalid UTF-8 does not break matching");
}

static void
test_flags_ignored(void)
{
	static const char *const flags[] = { "lr", "epochs", NULL };
	struct scalars	*s;
	struct capture	 cap;
	struct capture_spec spec;
	char		*got, *cause = NULL;

	s = scalars_new(NULL, flags, &cause);
	got = feed(s, "lr: 0.1\nepochs: 10\nloss: 0.3");
	is_str(got, "loss=0.3@0", "flag names ignored with default patterns");
	free(got);
	scalars_free(s);

	spec.key = NULL;
	spec.pattern = xstrdup("^(\\key):\\s+(\\value)$");
	cap.mode = CAPTURE_CUSTOM;
	cap.specs = &spec;
	cap.nspecs = 1;
	s = scalars_new(&cap, flags, &cause);
	got = feed(s, "lr: 0.1\nloss: 0.3");
	is_str(got, "lr=0.1@0 loss=0.3@0", "but not with custom patterns");
	free(got);
	scalars_free(s);
	free(spec.pattern);
}

/* A custom capture from pairs of (key or NULL, pattern). */
static struct scalars *
custom(const char *const *pairs, size_t n, char **cause)
{
	struct capture		 cap;
	struct capture_spec	*specs;
	struct scalars		*s;
	size_t			 i;

	specs = xcalloc(n, sizeof *specs);
	for (i = 0; i < n; i++) {
		specs[i].key = pairs[2 * i] ? xstrdup(pairs[2 * i]) : NULL;
		specs[i].pattern = xstrdup(pairs[2 * i + 1]);
	}
	cap.mode = CAPTURE_CUSTOM;
	cap.specs = specs;
	cap.nspecs = n;
	s = scalars_new(&cap, NULL, cause);
	for (i = 0; i < n; i++) {
		free(specs[i].key);
		free(specs[i].pattern);
	}
	free(specs);
	return s;
}

static void
check_custom(const char *const *pairs, size_t n, const char *lines,
    const char *want, const char *name)
{
	struct scalars	*s;
	char		*got, *cause = NULL;

	s = custom(pairs, n, &cause);
	if (s == NULL) {
		ok(0, "%s: %s", name, cause);
		free(cause);
		return;
	}
	got = feed(s, lines);
	is_str(got, want, "%s", name);
	free(got);
	scalars_free(s);
}

static void
test_custom(void)
{
	static const char *const map[] = {
		"acc", "accuracy=(\\value)",
		"loss", "loss=(\\value)",
	};
	static const char *const two[] = {
		NULL, "(\\key)=(\\value)",
	};
	static const char *const named_kv[] = {
		NULL, "(?P<_key>\\w+) is (?P<_val>\\value)",
	};
	static const char *const named[] = {
		NULL, "loss=(?P<loss>\\value) acc=(?P<acc>\\value)",
	};
	static const char *const with_step[] = {
		"step", "^Epoch (\\step)",
		"loss", "loss (\\value)",
	};
	static const char *const named_step[] = {
		NULL, "^(?P<step>\\step): (?P<loss>\\value)$",
	};
	static const char *const optional[] = {
		NULL, "(?P<_key>a)?(?P<_val>\\d+)",
	};
	static const char *const empty[] = {
		"z", "(\\d*)",
	};

	check_custom(map, 2, "accuracy=0.9 loss=0.2\nloss=0.1",
	    "acc=0.9@0 loss=0.2@0 loss=0.1@1", "map form: key -> 1 group");
	check_custom(two, 1, "a=1 b=2 c=x\na=3",
	    "a=1@0 b=2@0 a=3@1", "string form: every match on the line");
	check_custom(named_kv, 1, "loss is 0.5, acc is 0.9",
	    "acc=0.9@0 loss=0.5@0", "named _key and _val");
	check_custom(named, 1, "loss=0.5 acc=0.9",
	    "acc=0.9@0 loss=0.5@0", "named groups are keys");
	check_custom(with_step, 2,
	    "Epoch 7\nloss 0.5\nloss 0.4\nEpoch 8 loss 0.3",
	    "loss=0.5@7 loss=0.4@7 loss=0.3@8", "step key in the map form");
	check_custom(named_step, 1, "4: 0.25", "loss=0.25@4",
	    "named step group");
	check_custom(optional, 1, "12 a34", "a=34@0",
	    "unset named group: that match skipped");
	check_custom(empty, 1, "x1y22", "z=22@0",
	    "empty matches advance, last match wins on a line");
}

static void
check_error(const char *key, const char *pattern, const char *want,
    const char *name)
{
	const char *const	 pairs[] = { key, pattern };
	struct scalars		*s;
	char			*cause = NULL;

	s = custom(pairs, 1, &cause);
	ok(s == NULL, "%s: fails", name);
	ok(cause != NULL && strstr(cause, pattern) != NULL &&
	    strstr(cause, want) != NULL, "%s: %s", name,
	    cause ? cause : "(no cause)");
	free(cause);
	scalars_free(s);
}

static void
test_errors(void)
{
	struct scalars	*s;
	struct capture	 cap = { .mode = CAPTURE_NONE };
	char		*got, *cause = NULL;

	check_error("loss", "loss: (\\value", "at offset", "unclosed group");
	check_error("loss", "loss: [0-9", "missing terminating ]",
	    "unclosed class");
	check_error(NULL, "loss: (\\value)", "no key", "one group, no key");
	check_error("x", "(a)(b)(c)", "3 groups", "three groups");
	check_error("x", "abc", "0 groups", "no group");

	s = scalars_new(&cap, NULL, &cause);
	ok(s != NULL && !scalars_enabled(s), "output-scalars: no");
	got = feed(s, "loss: 0.5\nstep: 3");
	is_str(got, "", "captures nothing");
	free(got);
	scalars_free(s);

	s = scalars_new(NULL, NULL, &cause);
	ok(scalars_enabled(s), "defaults enabled");
	scalars_free(s);
}

static void
test_log(void)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	const struct scalar_stats *st;
	struct scalars_log	*log;
	char			*dir, *path, *cause = NULL;
	int			 fd;

	dir = xstrdup("/tmp/guild-test-scalars.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return;
	path = xasprintf("%s/.guild", dir);
	mkdir_p(path, 0755, NULL);
	free(path);

	is_int(scalars_summary_read(dir, 0, &sum, &cause), 0,
	    "no log: no error");
	is_int((long long)sum.n, 0, "no log: no keys");

	log = scalars_log_open(dir, &cause);
	ok(log != NULL, "log open");
	scalars_log_append(log, "loss", 0.5, 0, NULL);
	scalars_log_append(log, "loss", 0.25, 2, NULL);
	scalars_log_append(log, "loss", 0.75, 1, NULL);
	scalars_log_append(log, "loss", 0.125, 2, NULL);
	scalars_log_append(log, "acc", NAN, 0, NULL);
	scalars_log_append(log, "acc", 0.1 + 0.2, 1, NULL);
	scalars_log_append(log, "odd\tkey\\x", -INFINITY, -3, NULL);
	scalars_log_append(log, "allnan", NAN, 5, NULL);
	is_int(scalars_log_close(log, &cause), 0, "log close");

	/* A half-written record (crash) and a reopened log. */
	path = xasprintf("%s/.guild/scalars.tsv", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, "9\tloss\t0.", 9) != 9)
		diag("append failed");
	if (fd >= 0)
		close(fd);
	free(path);

	is_int(scalars_summary_read(dir, SCALARS_SERIES, &sum, &cause), 0,
	    "summary read");
	is_int((long long)sum.n, 4, "four keys");
	ok(sum.n == 4 && strcmp(sum.v[0].key, "acc") == 0 &&
	    strcmp(sum.v[3].key, "odd\tkey\\x") == 0, "sorted, key unescaped");

	st = scalars_summary_find(&sum, "loss");
	ok(st != NULL, "find loss");
	if (st != NULL) {
		is_int((long long)st->count, 4, "count (half record ignored)");
		ok(st->first.value == 0.5 && st->first.step == 0, "first");
		ok(st->last.value == 0.125 && st->last.step == 2,
		    "last: greatest step, later on ties");
		ok(st->min.value == 0.125 && st->min.step == 2, "min");
		ok(st->max.value == 0.75 && st->max.step == 1, "max");
		ok(st->total == 1.625, "total");
		ok(st->nseries == 4 && st->series[2].value == 0.75 &&
		    st->series[2].step == 1, "series in logged order");
		ok(st->first.time_ms > 0, "times kept");
	}
	st = scalars_summary_find(&sum, "acc");
	ok(st != NULL && st->count == 2 && isnan(st->first.value) &&
	    st->min.value == 0.1 + 0.2 && st->max.value == 0.1 + 0.2,
	    "NaN counted, skipped by min/max; values exact");
	st = scalars_summary_find(&sum, "odd\tkey\\x");
	ok(st != NULL && isinf(st->last.value) && st->last.value < 0 &&
	    st->last.step == -3, "-inf and negative step");
	st = scalars_summary_find(&sum, "allnan");
	ok(st != NULL && isnan(st->min.value) && isnan(st->max.value),
	    "all NaN: min and max NaN");
	ok(scalars_summary_find(&sum, "nope") == NULL, "missing key");
	scalars_summary_release(&sum);

	is_int(scalars_summary_read(dir, 0, &sum, &cause), 0,
	    "summary without series");
	ok(sum.n == 4 && sum.v[0].series == NULL, "no series kept");
	scalars_summary_release(&sum);

	log = scalars_log_open(dir, &cause);
	scalars_log_append(log, "loss", 1, 3, NULL);
	scalars_log_close(log, NULL);
	scalars_summary_read(dir, 0, &sum, &cause);
	st = scalars_summary_find(&sum, "loss");
	ok(st != NULL && st->count == 5 && st->last.step == 3,
	    "reopened log appends after a torn record");
	scalars_summary_release(&sum);

	ok(scalars_log_open("/tmp/guild-test-scalars-missing/x", &cause) ==
	    NULL && cause != NULL, "log open error: %s", cause ? cause : "");
	free(cause);
	rm_rf(dir, NULL);
	free(dir);
}

/* Wiring as the runner does it: matched scalars go to the log. */
static void
to_log(const char *key, double value, long long step, void *arg)
{
	scalars_log_append(arg, key, value, step, NULL);
}

static void
test_pipeline(void)
{
	static const char *const lines[] = {
		"Epoch 1", "loss: 0.9", "acc: 0.5", "loss: 0.5", "acc: 0.7",
		"loss: 0.2 (step 10)", "acc: 0.9",
	};
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	const struct scalar_stats *st;
	struct scalars_log	*log;
	struct scalars		*s;
	char			*dir, *path;
	size_t			 i;

	dir = xstrdup("/tmp/guild-test-scalars.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return;
	path = xasprintf("%s/.guild", dir);
	mkdir_p(path, 0755, NULL);
	s = scalars_new(NULL, NULL, NULL);
	log = scalars_log_open(dir, NULL);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		scalars_feed_line(s, lines[i], strlen(lines[i]), to_log, log);
	scalars_log_close(log, NULL);
	scalars_free(s);
	scalars_summary_read(dir, 0, &sum, NULL);
	st = scalars_summary_find(&sum, "loss");
	ok(st != NULL && st->count == 3 && st->last.value == 0.2 &&
	    st->last.step == 10 && st->min.value == 0.2, "loss summary");
	st = scalars_summary_find(&sum, "acc");
	ok(st != NULL && st->count == 3 && st->last.value == 0.9 &&
	    st->last.step == 10 && st->first.step == 0, "acc summary");
	scalars_summary_release(&sum);
	rm_rf(dir, NULL);
	free(path);
	free(dir);
}

static int
count_event(const struct tfevents_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
	return 0;
}

/* Guild AI's runs: event files in .guild/, no scalars.tsv. And ours. */
static void
test_events(void)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	const struct scalar_stats *st;
	struct scalars_log	*log;
	struct tfevents		*tf;
	char			*dir, *path, *cause = NULL;
	int			 n = 0;

	dir = xstrdup("/tmp/guild-test-events.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return;
	path = xasprintf("%s/.guild", dir);
	mkdir_p(path, 0755, NULL);
	free(path);
	path = xasprintf("%s/.guild/events.out.tfevents.1700000000.host.1.0",
	    dir);
	tf = tfevents_create(path, 1700000000.0, &cause);
	ok(tf != NULL, "a Guild AI event file");
	tfevents_add_scalar(tf, 1700000001.0, 1, "loss", 0.5f, NULL);
	tfevents_add_scalar(tf, 1700000002.0, 2, "loss", 0.25f, NULL);
	tfevents_close(tf, NULL);
	free(path);
	is_int(scalars_summary_read(dir, 0, &sum, &cause), 0,
	    "event files are read without scalars.tsv");
	st = scalars_summary_find(&sum, "loss");
	ok(st != NULL && st->count == 2 && st->last.step == 2 &&
	    st->last.value == 0.25, "their scalars: last loss 0.25 at step 2");
	scalars_summary_release(&sum);

	/*
	 * Wall times no int64_t of ms can hold are unknown (0), not a cast
	 * out of range (found by fuzz-tfevents).
	 */
	path = xasprintf("%s/.guild/events.out.tfevents.1700000000.host.1.0",
	    dir);
	tf = tfevents_create(path, 1700000000.0, &cause);
	tfevents_add_scalar(tf, 2.5e263, 1, "t", 1.0f, NULL);
	tfevents_add_scalar(tf, NAN, 2, "t", 2.0f, NULL);
	tfevents_add_scalar(tf, -INFINITY, 3, "t", 3.0f, NULL);
	tfevents_add_scalar(tf, 1700000001.5, 4, "t", 4.0f, NULL);
	tfevents_close(tf, NULL);
	free(path);
	is_int(scalars_summary_read(dir, SCALARS_SERIES, &sum, &cause), 0,
	    "event files with wild wall times");
	st = scalars_summary_find(&sum, "t");
	ok(st != NULL && st->nseries == 4 && st->series[0].time_ms == 0 &&
	    st->series[1].time_ms == 0 && st->series[2].time_ms == 0 &&
	    st->series[3].time_ms == 1700000001500, "wild wall times: 0 ms");
	scalars_summary_release(&sum);
	rm_rf(dir, NULL);

	/* Our log writes an event file too, so Guild AI reads our scalars. */
	mkdir_p(dir, 0755, NULL);
	path = xasprintf("%s/.guild", dir);
	mkdir_p(path, 0755, NULL);
	log = scalars_log_open(dir, NULL);
	scalars_log_append(log, "acc", 0.75, 3, NULL);
	scalars_log_close(log, NULL);
	{
		struct strbuf	 cmd = STRBUF_INIT;
		DIR		*d = opendir(path);
		struct dirent	*de;

		while (d != NULL && (de = readdir(d)) != NULL)
			if (str_starts_with(de->d_name, "events.out.tfevents.") &&
			    str_ends_with(de->d_name, ".guild")) {
				strbuf_addf(&cmd, "%s/%s", path, de->d_name);
				n++;
			}
		if (d != NULL)
			closedir(d);
		is_int(n, 1, "the log writes one event file (.guild suffix)");
		if (n == 1)
			is_int(tfevents_read(cmd.buf, count_event, NULL, NULL), 2,
			    "with the version event and the scalar");
		strbuf_release(&cmd);
	}
	free(path);
	rm_rf(dir, NULL);
	free(dir);
}

/* Guild 0.9's Keras detection: imports and a call of fit or predict. */
static void
test_keras(void)
{
	static const struct {
		const char	*src;
		bool		 keras;
	} cases[] = {
		{ "import tensorflow as tf\nm.fit(x)\n", true },
		{ "from tensorflow import keras\nm.predict (x)\n", true },
		{ "import os, keras.models\nfit(x)\n", true },
		{ "from keras.layers import Dense\ny = m.fit(\n", true },
		{ "import tensorflow\n", false },
		{ "import numpy\nm.fit(x)\n", false },
		{ "import tensorflowx\nm.fit(x)\n", false },
		{ "import tensorflow\nm.fitness(x)\nrefit(x)\n", false },
		{ "# import keras\nm.fit(x)\n", false },
	};
	char	*dir, *path;
	size_t	 i;
	FILE	*f;

	dir = xstrdup("/tmp/guild-test-keras.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return;
	path = xasprintf("%s/train.py", dir);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if ((f = fopen(path, "w")) == NULL)
			break;
		fputs(cases[i].src, f);
		fclose(f);
		ok(scalars_keras_script(path) == cases[i].keras,
		    "keras script %zu: %s", i, cases[i].keras ? "yes" : "no");
	}
	ok(!scalars_keras_script("/nonexistent/train.py"), "no script");
	free(path);
	rm_rf(dir, NULL);
	free(dir);
}

/* The index keeps sources as text: it reads back the same. */
static void
test_sources_text(void)
{
	struct scalars_sources	 a = SCALARS_SOURCES_INIT;
	struct scalars_sources	 b = SCALARS_SOURCES_INIT;
	char			*text;

	a.v = xcalloc(2, sizeof *a.v);
	a.alloc = 2;
	a.v[0].path = xstrdup(".guild/scalars.tsv");
	a.v[0].offset = 10;
	a.v[0].size = 12;
	a.v[0].mtime_ns = -1;
	a.v[0].ino = 7;
	a.v[1].path = xstrdup("logs/a b\tc\\d\ne");
	a.v[1].offset = 1ULL << 40;
	a.n = 2;
	text = scalars_sources_encode(&a);
	ok(scalars_sources_decode(text, &b) == 0 && b.n == 2 &&
	    strcmp(b.v[1].path, a.v[1].path) == 0 &&
	    b.v[1].offset == a.v[1].offset && b.v[0].mtime_ns == -1 &&
	    b.v[0].ino == 7 && b.v[0].size == 12, "sources round trip");
	ok(scalars_sources_decode("1 2 3\n", &b) == -1 && b.n == 0,
	    "malformed sources: an error, nothing kept");
	ok(scalars_sources_decode("1 2 3 4 x", &b) == -1,
	    "a line without its end");
	free(text);
	text = NULL;

	/* Directories: kept beside the files, checked by their stamps. */
	{
		char		 dir[] = "/tmp/test-scalars-src.XXXXXX";
		struct stat	 st;
		char		*sub;

		ok(mkdtemp(dir) != NULL, "a run directory");
		sub = path_join(dir, "logs");
		mkdir(sub, 0755);
		stat(sub, &st);
		scalars_sources_release(&a);
		a.dirs = xcalloc(1, sizeof *a.dirs);
		a.dalloc = 1;
		a.dirs[0].path = xstrdup("logs");
		a.dirs[0].ino = (uint64_t)st.st_ino;
		a.dirs[0].mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec;
		a.ndirs = 1;
		text = scalars_sources_encode(&a);
		ok(scalars_sources_decode(text, &b) == 0 && b.n == 0 &&
		    b.ndirs == 1 && strcmp(b.dirs[0].path, "logs") == 0 &&
		    b.dirs[0].mtime_ns == a.dirs[0].mtime_ns,
		    "directories round trip");
		ok(!scalars_sources_stale(AT_FDCWD, dir, text),
		    "an unchanged directory: not stale");
		free(text);
		a.dirs[0].mtime_ns--;
		text = scalars_sources_encode(&a);
		ok(scalars_sources_stale(AT_FDCWD, dir, text),
		    "a directory changed since: stale");
		ok(scalars_sources_stale(AT_FDCWD, dir, ""),
		    "no directory kept (an older index): stale");
		ok(scalars_sources_stale(AT_FDCWD, dir, "1 2 3\n"),
		    "malformed: stale");
		free(sub);
		rm_rf(dir, NULL);
	}
	free(text);
	scalars_sources_release(&a);
	scalars_sources_release(&b);
}

int
main(void)
{
	test_defaults();
	test_flags_ignored();
	test_custom();
	test_errors();
	test_log();
	test_pipeline();
	test_events();
	test_keras();
	test_sources_text();
	return done_testing();
}
