/*
 * test-deps.c: choosing upstream runs and resolving dependencies into a
 * run directory, in a temporary Guild home and project.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deps.h"
#include "digest.h"
#include "guildfile.h"
#include "home.h"
#include "run.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"

static char			*tmp;
static struct guild_home	*home;
static struct guildfile		*gf;
static struct strvec		 warnings = STRVEC_INIT;
static struct strvec		 logs = STRVEC_INIT;

static void
warn_sink(const char *msg, void *arg)
{
	strvec_push(&warnings, msg);
}

static void
log_line(const char *line, void *arg)
{
	strvec_push(&logs, line);
}

static void
write_text(const char *path, const char *text)
{
	char	*dir = xstrdup(path), *slash;

	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		mkdir_p(dir, 0755, NULL);
	}
	free(dir);
	write_file_atomic(path, text, strlen(text), NULL);
}

static char *
read_text(const char *path)
{
	struct strbuf	sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, NULL) == -1) {
		strbuf_release(&sb);
		return xstrdup("<missing>");
	}
	return strbuf_detach(&sb, NULL);
}

static char *
link_of(const char *path)
{
	char	buf[4096];
	ssize_t	n = readlink(path, buf, sizeof buf - 1);

	if (n < 0)
		return xstrdup("<not a link>");
	buf[n] = '\0';
	return xstrdup(buf);
}

/* A finished run of model:op with the given status and start time. */
static struct run *
fake_run(const char *id, const char *op, int exit_status, long long started)
{
	struct run	*run = run_create(home->runs, id, NULL);
	struct opref	 ref = { (char *)"guildfile", gf->path, (char *)"x",
			    (char *)"m", (char *)op };
	struct value	*v;

	run_opref_write(run, &ref, NULL);
	v = value_int(started);
	run_attr_write(run, "started", v, NULL);
	value_free(v);
	if (exit_status != -1000) {
		v = value_int(exit_status);
		run_attr_write(run, "exit_status", v, NULL);
		value_free(v);
	}
	run_marker_clear(run, RUN_MARKER_PENDING, NULL);
	return run;
}

static const struct opdef *
op_named(const char *name)
{
	return modeldef_op(gf->models[0], name);
}

static void
test_relpath(void)
{
	struct { const char *from, *to, *want; } c[] = {
		{ "/h/runs/A/model", "/h/runs/B/w.hdf5", "../../B/w.hdf5" },
		{ "/h/runs/A", "/h/runs/A/x", "x" },
		{ "/h/runs/AB", "/h/runs/A/x", "../A/x" },
		{ "/h/runs/A/model", "/h/runs/A", ".." },
		{ "/", "/x/y", "x/y" },
		{ "/a/b", "/a/b", "." },
		{ "/a/b/c", "/d", "../../../d" },
	};
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		char	*got = deps_relpath(c[i].from, c[i].to);

		is_str(got, c[i].want, "relpath %s -> %s", c[i].from, c[i].to);
		free(got);
	}
}

static void
test_url_cache(void)
{
	char	*a = deps_url_cache_dir(home, "https://x.org/d/data.tgz");
	char	*b = deps_url_cache_dir(home, "https://x.org/d/data.tgz");
	char	*c = deps_url_cache_dir(home, "https://x.org/d/data.tgz?v=2");
	char	*prefix = xasprintf("%s/resources/", home->cache);

	is_str(a, b, "url cache: the same URL, the same directory");
	ok(strcmp(a, c) != 0, "url cache: the query counts");
	ok(str_starts_with(a, prefix) && strlen(a) == strlen(prefix) + 64,
	    "url cache: cache/resources/<sha256>");
	free(a);
	free(b);
	free(c);
	free(prefix);
}

static void
test_plan(void)
{
	const struct opdef	*predict = op_named("predict");
	struct deps_plan	 plan;
	struct value		*flags;
	struct run		*r;
	char			*cause = NULL;

	flags = value_map();
	ok(deps_plan(home, predict, flags, NULL, false, &plan, &cause) == -1,
	    "plan: no train run");
	is_str(cause, "run failed because a dependency was not met: could not "
	    "resolve 'operation:train' in trained-model resource: no suitable "
	    "run for train", "plan: the message names what is missing");
	free(cause);
	cause = NULL;
	ok(deps_plan(home, predict, flags, NULL, true, &plan, NULL) == 0 &&
	    plan.n == 1 && plan.v[0].error != NULL && plan.v[0].run_id == NULL,
	    "plan: forced, the source keeps its error");
	deps_plan_clear(&plan);

	run_free(fake_run("aaaa0001", "train", 0, 1000));
	run_free(fake_run("aaaa0002", "train", 1, 3000));
	run_free(fake_run("aaaa0003", "train", -15, 2000));
	run_free(fake_run("bbbb0001", "other", 0, 4000));
	ok(deps_plan(home, predict, flags, NULL, false, &plan, NULL) == 0,
	    "plan: resolves");
	is_str(plan.v[0].run_id, "aaaa0003",
	    "plan: the newest completed or terminated run, errors skipped");
	is_str(value_map_get(flags, "trained-model")->u.s, "aaaa0003",
	    "plan: the resource flag names the run");
	deps_plan_clear(&plan);

	r = fake_run("aaaa0000", "train", 0, 500);
	{
		struct value	*t = value_bool(true);

		run_attr_write(r, "marked", t, NULL);
		value_free(t);
	}
	run_free(r);
	value_map_del(flags, "trained-model");
	deps_plan(home, predict, flags, NULL, false, &plan, NULL);
	is_str(plan.v[0].run_id, "aaaa0000", "plan: a marked run wins");
	deps_plan_clear(&plan);

	value_map_set(flags, "trained-model", value_string("aaaa0002"));
	deps_plan(home, predict, flags, NULL, false, &plan, NULL);
	is_str(plan.v[0].run_id, "aaaa0002",
	    "plan: the flag chooses a run, any status");
	deps_plan_clear(&plan);

	value_map_set(flags, "trained-model", value_string("bbbb"));
	ok(deps_plan(home, predict, flags, NULL, false, &plan, &cause) == -1,
	    "plan: a flag naming a run of another operation");
	ok(cause != NULL && str_ends_with(cause,
	    "no suitable run for train matching 'bbbb'"), "plan: its message");
	free(cause);
	value_free(flags);

	/* Pipelines: only runs linked from the parent. */
	{
		char	*parent = run_dir_path(home->runs, "aaaa0001");
		char	*link = path_join(parent, "train");

		run_free(fake_run("pppp0001", "pipe", 0, 100));
		free(parent);
		parent = run_dir_path(home->runs, "pppp0001");
		free(link);
		link = path_join(parent, "train");
		ok(symlink("../aaaa0001", link) == 0, "parent: step link");
		setenv("GUILD_RUNS_PARENT", "pppp0001", 1);
		flags = value_map();
		deps_plan(home, predict, flags, NULL, false, &plan, NULL);
		is_str(plan.v[0].run_id, "aaaa0001",
		    "parent: the sibling step's run, not the newest");
		deps_plan_clear(&plan);
		value_free(flags);
		unsetenv("GUILD_RUNS_PARENT");
		free(link);
		free(parent);
	}

	{
		struct strvec	ids = STRVEC_INIT;

		deps_child_runs(home->runs, "pppp0001", &ids);
		ok(ids.n == 1 && strcmp(ids.v[0], "aaaa0001") == 0,
		    "child runs: links to ../ID");
		strvec_clear(&ids);
	}
}

static void
test_resolve_operation(void)
{
	const struct opdef	*predict = op_named("predict");
	struct deps_plan	 plan;
	struct value		*flags = value_map(), *deps = NULL, *prior;
	struct run		*up, *down;
	char			*cause = NULL, *p, *s, *updir;

	/* No marked run from here on. */
	p = run_dir_path(home->runs, "aaaa0000");
	up = run_open(p, NULL);
	run_attr_delete(up, "marked", NULL);
	run_free(up);
	free(p);
	up = fake_run("cccc0001", "train", 0, 9000);
	updir = xstrdup(up->path);
	p = path_join(updir, "weights-0001.hdf5");
	write_text(p, "w1");
	free(p);
	p = path_join(updir, "logs/events.out");
	write_text(p, "ev");
	free(p);
	p = path_join(updir, "model/upstream-dep");
	write_text(p, "dep");
	free(p);
	p = path_join(updir, "train.py");
	write_text(p, "print()");
	free(p);
	p = path_join(updir, ".guild/manifest");
	write_text(p, "s train.py 0 train.py\nd model/upstream-dep - operation:x\n");
	free(p);
	run_free(up);

	ok(deps_plan(home, predict, flags, NULL, false, &plan, NULL) == 0,
	    "resolve: planned");
	down = fake_run("dddd0001", "predict", -1000, 9500);
	run_marker_set(down, RUN_MARKER_PENDING, NULL);
	strvec_clear(&logs);
	ok(deps_resolve(home, predict, &plan, down, log_line, NULL,
	    &cause) == 0, "resolve: links the generated files");
	if (cause != NULL)
		diag("%s", cause);
	ok(logs.n == 2 && strcmp(logs.v[0], "Resolving trained-model") == 0 &&
	    strcmp(logs.v[1], "Using run cccc0001 for operation:train") == 0,
	    "resolve: progress lines");

	p = path_join(down->path, "model/weights-0001.hdf5");
	s = link_of(p);
	is_str(s, "../../cccc0001/weights-0001.hdf5",
	    "resolve: a relative link into the upstream run");
	free(s);
	s = read_text(p);
	is_str(s, "w1", "resolve: the link reads the file");
	free(s);
	free(p);
	p = path_join(down->path, "model/logs");
	s = link_of(p);
	is_str(s, "../../cccc0001/logs", "resolve: directories are linked whole");
	free(s);
	free(p);
	p = path_join(down->path, "model/train.py");
	ok(!path_exists(p), "resolve: source files are left out");
	free(p);
	p = path_join(down->path, "model/model/upstream-dep");
	ok(!path_exists(p), "resolve: the upstream run's own deps are left out");
	free(p);
	p = path_join(down->path, "model/.guild");
	ok(!path_exists(p), "resolve: .guild is left out");
	free(p);

	run_attr_read(down, "deps", &deps, NULL);
	{
		struct strbuf	sb = STRBUF_INIT;

		value_encode_yaml(&sb, deps);
		is_str(sb.buf, "trained-model:\n"
		    "  operation:train:\n"
		    "    config: cccc0001\n"
		    "    paths:\n"
		    "    - ../cccc0001/logs\n"
		    "    - ../cccc0001/weights-0001.hdf5\n"
		    "    uri: operation:train\n", "resolve: the deps attr");
		strbuf_release(&sb);
	}
	p = path_join(down->path, ".guild/manifest");
	s = read_text(p);
	is_str(s, "d model/logs - operation:train cccc0001/logs\n"
	    "d model/weights-0001.hdf5 - operation:train "
	    "cccc0001/weights-0001.hdf5\n", "resolve: manifest d lines");
	free(s);
	free(p);

	/* A restart keeps what was resolved. */
	prior = deps;
	deps = NULL;
	deps_plan_clear(&plan);
	value_map_del(flags, "trained-model");
	deps_plan(home, predict, flags, prior, false, &plan, NULL);
	is_str(plan.v[0].run_id, "cccc0001", "restart: the prior run is kept");
	strvec_clear(&logs);
	ok(deps_resolve(home, predict, &plan, down, log_line, NULL, NULL) == 0,
	    "restart: resolves");
	ok(logs.n == 2 && strcmp(logs.v[1], "Skipping resolution of "
	    "operation:train because it's already resolved") == 0,
	    "restart: already resolved is skipped");
	value_free(prior);
	deps_plan_clear(&plan);
	run_free(down);

	/* The upstream run goes away between plan and resolve. */
	value_map_del(flags, "trained-model");
	deps_plan(home, predict, flags, NULL, false, &plan, NULL);
	rm_rf(updir, NULL);
	down = fake_run("dddd0002", "predict", -1000, 9600);
	ok(deps_resolve(home, predict, &plan, down, NULL, NULL, &cause) == -1,
	    "deleted upstream: an error");
	is_str(cause, "run failed because a dependency was not met: could not "
	    "resolve 'operation:train' in trained-model resource: run cccc0001 "
	    "was deleted", "deleted upstream: the message");
	free(cause);
	deps_plan_clear(&plan);
	run_free(down);
	free(updir);
	value_free(flags);
}

static void
test_resolve_files(void)
{
	const struct opdef	*op = op_named("files");
	struct deps_plan	 plan;
	struct value		*flags = value_map();
	struct run		*run;
	char			*cause = NULL, *p, *s;

	p = path_join(gf->dir, "data/a.csv");
	write_text(p, "a");
	free(p);
	p = path_join(gf->dir, "data/b.txt");
	write_text(p, "b");
	free(p);
	p = path_join(gf->dir, "data/sub/c.csv");
	write_text(p, "c");
	free(p);

	ok(deps_plan(home, op, flags, NULL, false, &plan, NULL) == 0,
	    "files: planned");
	run = fake_run("eeee0001", "files", -1000, 10000);
	strvec_clear(&warnings);
	ok(deps_resolve(home, op, &plan, run, NULL, NULL, &cause) == 0,
	    "files: resolved");
	if (cause != NULL)
		diag("%s", cause);
	p = path_join(run->path, "data/a.csv");
	s = read_text(p);
	is_str(s, "a", "file: selected files are copied");
	free(s);
	s = link_of(p);
	is_str(s, "<not a link>", "file: a copy, not a link");
	free(s);
	free(p);
	p = path_join(run->path, "data/c.csv");
	ok(path_is_file(p), "file: select matches nested paths, by base name");
	free(p);
	p = path_join(run->path, "data/b.txt");
	ok(!path_exists(p), "file: what select leaves out is not there");
	free(p);
	p = path_join(run->path, "renamed.txt");
	s = read_text(p);
	is_str(s, "b", "file: rename");
	free(s);
	free(p);
	p = path_join(run->path, "remote.bin");
	s = link_of(p);
	ok(str_starts_with(s, "../../cache/resources/"),
	    "url: a relative link into the download cache");
	free(s);
	s = read_text(p);
	is_str(s, "remote", "url: the file:// URL's content");
	free(s);
	free(p);
	ok(warnings.n == 1 && strstr(warnings.v[0], "file:missing.txt") != NULL,
	    "optional: a missing optional source is a warning");
	p = path_join(run->path, ".guild/manifest");
	s = read_text(p);
	ok(strstr(s, "d data/a.csv 86f7e437faa5a7fce15d1ddcb9eaeaea377667b8 "
	    "data a.csv\n") != NULL, "file: manifest line with the sha1");
	free(s);
	free(p);
	deps_plan_clear(&plan);
	run_free(run);

	/* A bad sha256. */
	op = op_named("badsha");
	deps_plan(home, op, flags, NULL, false, &plan, NULL);
	run = fake_run("eeee0002", "badsha", -1000, 10001);
	ok(deps_resolve(home, op, &plan, run, NULL, NULL, &cause) == -1,
	    "url: a bad sha256 fails");
	ok(cause != NULL && strstr(cause, "bad sha256 for") != NULL &&
	    strstr(cause, "expected 0000") != NULL, "url: its message");
	free(cause);
	cause = NULL;
	deps_plan_clear(&plan);
	run_free(run);

	/* A path leaving the run directory. */
	op = op_named("escape");
	deps_plan(home, op, flags, NULL, false, &plan, NULL);
	run = fake_run("eeee0003", "escape", -1000, 10002);
	ok(deps_resolve(home, op, &plan, run, NULL, NULL, &cause) == -1,
	    "target-path: .. is refused");
	ok(cause != NULL && strstr(cause, "must not leave the run directory"),
	    "target-path: its message");
	free(cause);
	cause = NULL;
	deps_plan_clear(&plan);
	run_free(run);

	/* An http URL not in the cache. */
	op = op_named("http");
	deps_plan(home, op, flags, NULL, false, &plan, NULL);
	run = fake_run("eeee0004", "http", -1000, 10003);
	ok(deps_resolve(home, op, &plan, run, NULL, NULL, &cause) == -1,
	    "url: no network");
	ok(cause != NULL && strstr(cause, "guild does not use the network"),
	    "url: its message names the cache");
	free(cause);
	cause = NULL;
	deps_plan_clear(&plan);
	{
		char	*dir = deps_url_cache_dir(home,
		    "https://example.org/files/model.bin");

		p = path_join(dir, "model.bin");
		write_text(p, "cached");
		free(p);
		free(dir);
	}
	deps_plan(home, op, flags, NULL, false, &plan, NULL);
	ok(deps_resolve(home, op, &plan, run, NULL, NULL, &cause) == 0,
	    "url: a cached file is used");
	p = path_join(run->path, "model.bin");
	s = read_text(p);
	is_str(s, "cached", "url: the cached content");
	free(s);
	free(p);
	deps_plan_clear(&plan);
	run_free(run);

	/* Undefined resource. */
	op = op_named("undefined");
	ok(deps_plan(home, op, flags, NULL, false, &plan, &cause) == -1,
	    "undefined resource");
	is_str(cause, "resource 'nope' required by operation 'm:undefined' is "
	    "not defined", "undefined resource: message");
	free(cause);
	value_free(flags);
}

static void
test_flag_names(void)
{
	struct strvec	names = STRVEC_INIT;

	deps_flag_names(op_named("predict"), &names);
	ok(names.n == 1 && strcmp(names.v[0], "trained-model") == 0,
	    "flag names: a named resource");
	strvec_clear(&names);
	deps_flag_names(op_named("inline"), &names);
	ok(names.n == 1 && strcmp(names.v[0], "operation:train") == 0,
	    "flag names: an inline operation source is operation:NAME");
	strvec_clear(&names);
	deps_flag_names(op_named("files"), &names);
	is_int((long long)names.n, 0, "flag names: file sources have none");
	strvec_clear(&names);
}

int
main(void)
{
	char	 tmpl[] = "/tmp/test-deps.XXXXXX";
	char	*proj, *yml, *cause = NULL, *sha;
	FILE	*f;

	warn_set_sink(warn_sink, NULL);
	if ((tmp = mkdtemp(tmpl)) == NULL)
		return 1;
	tmp = xstrdup(tmp);
	{
		char	*h = path_join(tmp, "home");

		home = home_new(h, NULL);
		home_ensure(home, NULL);
		free(h);
	}
	proj = path_join(tmp, "proj");
	mkdir_p(proj, 0755, NULL);
	yml = path_join(proj, "guild.yml");
	{
		char	*dl = xasprintf("%s/dl/remote.bin", proj);

		write_text(dl, "remote");
		sha = digest_file(DIGEST_SHA256, dl, NULL);
		free(dl);
	}
	if ((f = fopen(yml, "w")) == NULL)
		return 1;
	fprintf(f,
	    "- model: m\n"
	    "  operations:\n"
	    "    train: {exec: 'true'}\n"
	    "    predict:\n"
	    "      exec: 'true'\n"
	    "      requires: trained-model\n"
	    "    inline:\n"
	    "      exec: 'true'\n"
	    "      requires:\n"
	    "        - operation: train\n"
	    "    files:\n"
	    "      exec: 'true'\n"
	    "      requires:\n"
	    "        - file: data\n"
	    "          select: '.*\\.csv'\n"
	    "          path: data\n"
	    "        - file: data/b.txt\n"
	    "          rename: 'b\\.txt renamed.txt'\n"
	    "        - url: file://%s/dl/remote.bin\n"
	    "          sha256: %s\n"
	    "        - file: missing.txt\n"
	    "          optional: yes\n"
	    "    badsha:\n"
	    "      exec: 'true'\n"
	    "      requires:\n"
	    "        - url: file://%s/dl/remote.bin\n"
	    "          sha256: 0000000000000000000000000000000000000000000000000000000000000000\n"
	    "    escape:\n"
	    "      exec: 'true'\n"
	    "      requires:\n"
	    "        - file: data/b.txt\n"
	    "          path: ../out\n"
	    "    http:\n"
	    "      exec: 'true'\n"
	    "      requires:\n"
	    "        - url: https://example.org/files/model.bin\n"
	    "    undefined:\n"
	    "      exec: 'true'\n"
	    "      requires: nope\n"
	    "  resources:\n"
	    "    trained-model:\n"
	    "      path: model\n"
	    "      sources:\n"
	    "        - operation: train\n", proj, sha, proj);
	fclose(f);
	free(sha);
	if ((gf = guildfile_load(yml, &cause)) == NULL) {
		diag("%s", cause);
		return 1;
	}
	test_relpath();
	test_url_cache();
	test_flag_names();
	test_plan();
	test_resolve_operation();
	test_resolve_files();
	guildfile_free(gf);
	home_free(home);
	rm_rf(tmp, NULL);
	free(tmp);
	free(proj);
	free(yml);
	strvec_clear(&warnings);
	strvec_clear(&logs);
	return done_testing();
}
