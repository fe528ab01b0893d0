/* test-run.c: run directories in Guild 0.9's format. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "runner.h"
#include "runops.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"

static char	*tmp;

static char *
slurp(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL;

	if (strbuf_read_file(&sb, path, &cause) == -1) {
		free(cause);
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static void
spit(const char *path, const char *text)
{
	char	*cause = NULL;

	if (write_file_atomic(path, text, strlen(text), &cause) == -1) {
		diag("%s", cause);
		free(cause);
	}
}

static char *
gpath(const struct run *run, const char *rel)
{
	return xasprintf("%s/%s", run->guild, rel);
}

static void
put(const struct run *run, const char *rel, const char *text)
{
	char	*p = gpath(run, rel);

	spit(p, text);
	free(p);
}

static void
rm(const struct run *run, const char *rel)
{
	char	*p = gpath(run, rel);

	unlink(p);
	free(p);
}

/* Write v as attr name, check the file's bytes and that it reads back. */
static void
check_attr(struct run *run, const char *name, struct value *v,
    const char *want)
{
	struct value	*got = NULL;
	char		*cause = NULL, *p, *text;

	ok(run_attr_write(run, name, v, &cause) == 0, "write %s", name);
	p = xasprintf("%s/attrs/%s", run->guild, name);
	text = slurp(p);
	is_str(text, want, "%s encodes as Guild does", name);
	ok(run_attr_read(run, name, &got, &cause) == 0 && got != NULL,
	    "read %s", name);
	ok(got != NULL && value_equal(got, v), "%s round trip", name);
	if (cause != NULL) {
		diag("%s", cause);
		free(cause);
	}
	value_free(got);
	value_free(v);
	free(text);
	free(p);
}

static void
test_ids(void)
{
	char	*a, *b, *s;
	size_t	 i;
	bool	 hex = true;

	a = run_new_id(NULL);
	b = run_new_id(NULL);
	is_int((long long)strlen(a), 32, "id is 32 characters");
	for (i = 0; i < 32; i++)
		if (strchr("0123456789abcdef", a[i]) == NULL)
			hex = false;
	ok(hex, "id is lowercase hex");
	ok(a[12] == '4' && strchr("89ab", a[16]) != NULL, "id is a uuid4");
	ok(strcmp(a, b) != 0, "ids differ");
	s = run_short_id(a);
	ok(strlen(s) == 8 && strncmp(s, a, 8) == 0, "short id");
	free(s);
	s = run_dir_path("/h/runs", a);
	ok(str_starts_with(s, "/h/runs/") && strcmp(s + 8, a) == 0,
	    "run dir path");
	free(s);
	free(a);
	free(b);
	ok(run_now_us() < run_now_us(), "timestamps increase");
}

static void
test_attrs(struct run *run)
{
	struct value	*m, *l, *v = NULL;
	char		*cause = NULL;
	long long	 n;
	DIR		*d;
	struct dirent	*de;
	bool		 clean = true;
	char		*p;

	check_attr(run, "i", value_int(42), "42\n");
	check_attr(run, "neg", value_int(-7), "-7\n");
	check_attr(run, "s", value_string("hello"), "hello\n");
	check_attr(run, "yes", value_string("yes"), "'yes'\n");
	check_attr(run, "empty", value_string(""), "''\n");
	check_attr(run, "octal", value_string("010"), "'010'\n");
	check_attr(run, "t", value_bool(true), "true\n");
	check_attr(run, "f", value_bool(false), "false\n");
	check_attr(run, "null", value_null(), "null\n");
	check_attr(run, "float", value_float(0.1), "0.1\n");
	check_attr(run, "float1", value_float(1.0), "1.0\n");

	l = value_list();
	value_list_push(l, value_string("a"));
	value_list_push(l, value_int(1));
	check_attr(run, "list", l, "- a\n- 1\n");
	check_attr(run, "emptylist", value_list(), "[]\n");
	check_attr(run, "emptymap", value_map(), "{}\n");

	/* python3: yaml.safe_dump({...}, default_flow_style=False, indent=2) */
	m = value_map();
	value_map_set(m, "batch_size", value_int(100));
	value_map_set(m, "epochs", value_int(2));
	value_map_set(m, "lr", value_float(0.01));
	check_attr(run, "flags", m, "batch_size: 100\nepochs: 2\nlr: 0.01\n");

	m = value_map();
	l = value_list();
	value_list_push(l, value_string("python"));
	value_list_push(l, value_string("-u"));
	value_list_push(l, value_string("train.py"));
	value_map_set(m, "cmd", l);
	check_attr(run, "nested", m, "cmd:\n- python\n- -u\n- train.py\n");

	l = value_list();
	m = value_map();
	value_map_set(m, "a", value_int(1));
	v = value_list();
	value_list_push(v, value_int(1));
	value_list_push(v, value_int(2));
	value_map_set(m, "b", v);
	value_list_push(l, m);
	check_attr(run, "deep", l, "- a: 1\n  b:\n  - 1\n  - 2\n");
	v = NULL;

	/* Overwriting goes through a temporary file and leaves none. */
	check_attr(run, "i", value_int(43), "43\n");
	p = xasprintf("%s/attrs", run->guild);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strstr(de->d_name, "tmp") != NULL)
				clean = false;
		}
		closedir(d);
	}
	free(p);
	ok(clean, "atomic writes leave no temporary files");

	ok(run_attr_read(run, "missing", &v, &cause) == 0 && v == NULL &&
	    cause == NULL, "a missing attr is NULL, not an error");
	ok(run_attr_delete(run, "s", &cause) == 0, "delete attr");
	ok(run_attr_read(run, "s", &v, &cause) == 0 && v == NULL,
	    "deleted attr is missing");
	ok(run_attr_delete(run, "s", &cause) == 0,
	    "deleting a missing attr succeeds");
	if (!ok(run_attr_write(run, "../evil", v, &cause) == -1 && cause != NULL &&
	    strcmp(cause, "invalid attribute name '../evil'") == 0,
	    "attr names cannot leave attrs/"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;
	if (!ok(run_attr_read(run, ".hidden", &v, &cause) == -1 && cause != NULL &&
	    strcmp(cause, "invalid attribute name '.hidden'") == 0,
	    "no dot names"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;

	ok(run_attr_int(run, "i", &n) && n == 43, "int attr (fast path)");
	put(run, "attrs/hexint", "0x10\n");
	ok(run_attr_int(run, "hexint", &n) && n == 16,
	    "int attr through YAML (0x10)");
	ok(!run_attr_int(run, "s", &n), "missing int attr");
	ok(!run_attr_int(run, "list", &n), "non-int attr");
	ok(!run_attr_int(run, "null", &n), "null int attr");

	put(run, "attrs/bad", "a: [\n");
	ok(run_attr_read(run, "bad", &v, &cause) == -1 && cause != NULL,
	    "invalid YAML is an error");
	if (cause != NULL)
		ok(strstr(cause, "attrs/bad") != NULL, "error names the file: %s",
		    cause);
	free(cause);
}

/* What the env attr leaves out (runner_env_secret). */
static void
test_env_secret(void)
{
	static const struct {
		const char	*name, *value;
		bool		 secret;
	} cases[] = {
		/* Guild's rule: anywhere in the name. */
		{ "DB_PASSWORD", "x", true },
		{ "GITHUB_TOKEN", "x", true },
		{ "mysecretthing", "x", true },
		/* Whole components, any case. */
		{ "OPENAI_API_KEY", "x", true },
		{ "AWS_ACCESS_KEY_ID", "x", true },
		{ "MYSQL_PWD", "x", true },
		{ "PRIVATE_KEY", "x", true },
		{ "CREDENTIALS", "x", true },
		{ "GOOGLE_APPLICATION_CREDENTIALS", "x", true },
		{ "SSH_PASS", "x", true },
		{ "http_auth", "x", true },
		{ "api-key", "x", true },
		{ "my.apikey", "x", true },
		{ "KEY", "x", true },
		/* Not a component: kept. */
		{ "KEYBOARD_LAYOUT", "us", false },
		{ "MONKEY", "x", false },
		{ "PASSTHROUGH", "1", false },
		{ "AUTHOR", "me", false },
		{ "PATH", "/bin", false },
		{ "LANG", "C", false },
		/* The working directory is no password. */
		{ "PWD", "/tmp", false },
		{ "OLDPWD", "/tmp", false },
		/* URLs with a password, whatever the name. */
		{ "DATABASE_URL", "postgres://u:pw@h:5432/db", true },
		{ "PIP_EXTRA", "x https://u:p/w@h/simple", true },
		{ "PROXY", "http://h:3128,http://u:p@h2", true },
		{ "PLAIN_URL", "https://alice@h/x", false },
		{ "BLANK_URL", "https://alice:@h/x", false },
		{ "NO_AT", "https://h:8080/x", false },
		{ "MAILTO", "mailto:a@b", false },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		ok(runner_env_secret(cases[i].name, cases[i].value) ==
		    cases[i].secret, "env %s=%s is %s", cases[i].name,
		    cases[i].value, cases[i].secret ? "secret" : "kept");
}

static void
test_shlex(void)
{
	static const struct {
		const char	*in, *out;
	} quotes[] = {
		{ "", "''" },
		{ "train", "train" },
		{ "/a/b-c_d.yml", "/a/b-c_d.yml" },
		{ "x=1,y:2@3%+", "x=1,y:2@3%+" },
		{ "a b", "'a b'" },
		{ "it's", "'it'\"'\"'s'" },
		{ "caf\xc3\xa9", "'caf\xc3\xa9'" },
		{ "$HOME", "'$HOME'" },
	};
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 sv = STRVEC_INIT;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < ARRAY_SIZE(quotes); i++) {
		strbuf_reset(&sb);
		shlex_quote(&sb, quotes[i].in);
		is_str(sb.buf, quotes[i].out, "shlex_quote '%s'", quotes[i].in);
		strvec_clear(&sv);
		ok(shlex_split(sb.buf, &sv, NULL) == 0 && sv.n == 1 &&
		    strcmp(sv.v[0], quotes[i].in) == 0, "split back '%s'",
		    quotes[i].in);
	}
	strbuf_release(&sb);

	strvec_clear(&sv);
	ok(shlex_split(" a \"b c\" 'd e' f\\ g '' x\"y\"z ", &sv, NULL) == 0 &&
	    sv.n == 6, "split words");
	if (sv.n == 6) {
		is_str(sv.v[1], "b c", "double quotes");
		is_str(sv.v[2], "d e", "single quotes");
		is_str(sv.v[3], "f g", "backslash");
		is_str(sv.v[4], "", "empty word");
		is_str(sv.v[5], "xyz", "adjacent quotes join");
	}
	strvec_clear(&sv);
	ok(shlex_split("\"a\\\"b\\\\c\\d\"", &sv, NULL) == 0 && sv.n == 1 &&
	    strcmp(sv.v[0], "a\"b\\c\\d") == 0,
	    "backslash in double quotes escapes only \" and \\");
	strvec_clear(&sv);
	if (!ok(shlex_split("'abc", &sv, &cause) == -1 && cause != NULL &&
	    strcmp(cause, "no closing quotation") == 0,
	    "unclosed quote"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;
	if (!ok(shlex_split("abc\\", &sv, &cause) == -1 && cause != NULL &&
	    strcmp(cause, "no escaped character") == 0,
	    "trailing backslash"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	strvec_clear(&sv);
	ok(shlex_split("  ", &sv, NULL) == 0 && sv.n == 0, "blank: no words");
	strvec_clear(&sv);
}

static void
test_opref(struct run *run)
{
	struct opref	 ref = { 0 }, back;
	char		*s, *cause = NULL, *p;

	ref.pkg_type = xstrdup("guildfile");
	ref.pkg_name = xstrdup("/home/u/my proj/guild.yml");
	ref.pkg_version = xstrdup("2673b06329378ca2fc355cb5c0f38cef");
	ref.model = xstrdup("");
	ref.op = xstrdup("it's");
	s = opref_format(&ref);
	is_str(s, "guildfile:'/home/u/my proj/guild.yml' "
	    "2673b06329378ca2fc355cb5c0f38cef '' 'it'\"'\"'s'",
	    "opref with spaces, quotes and an empty model");
	ok(opref_parse(s, &back, &cause) == 0, "parse it back");
	is_str(back.pkg_type, "guildfile", "pkg_type");
	is_str(back.pkg_name, ref.pkg_name, "pkg_name");
	is_str(back.pkg_version, ref.pkg_version, "pkg_version");
	is_str(back.model, "", "model");
	is_str(back.op, "it's", "op");
	opref_clear(&back);
	free(s);

	ok(run_opref_write(run, &ref, &cause) == 0, "write opref");
	p = gpath(run, "opref");
	s = slurp(p);
	ok(s != NULL && strchr(s, '\n') == NULL, "opref has no newline");
	free(s);
	free(p);
	ok(run_opref_read(run, &back, &cause) == 0 &&
	    strcmp(back.op, "it's") == 0, "read opref");
	opref_clear(&back);
	opref_clear(&ref);

	ok(opref_parse("script:/home/u/proj '' '' train.py", &back, NULL) == 0 &&
	    strcmp(back.pkg_type, "script") == 0 &&
	    strcmp(back.pkg_name, "/home/u/proj") == 0 &&
	    *back.pkg_version == '\0' && *back.model == '\0' &&
	    strcmp(back.op, "train.py") == 0, "Guild's script opref");
	opref_clear(&back);
	ok(opref_parse("guildfile:/p/guild.yml abc fashion train\n", &back,
	    NULL) == 0 && strcmp(back.model, "fashion") == 0,
	    "trailing newline tolerated");
	opref_clear(&back);
	ok(opref_parse("guildfile:/p/guild.yml abc train", &back, &cause) == -1,
	    "three parts is an error");
	free(cause);
	cause = NULL;
	ok(opref_parse("nocolon abc m train", &back, &cause) == -1,
	    "no ':' is an error");
	free(cause);
	cause = NULL;
	ok(opref_parse("a:b 'c d e", &back, &cause) == -1, "unclosed quote");
	free(cause);
}

static pid_t
dead_pid(void)
{
	pid_t	pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void
check_status(struct run *run, enum run_status want, const char *what)
{
	enum run_status	got = run_get_status(run);

	is_str(run_status_name(got), run_status_name(want), "status: %s", what);
}

static void
test_status(struct run *run)
{
	unsigned long long	 start = 0;
	long			 pid = 0;
	char			*s, *p, boot[64] = "";
	int			 i;

	/* run has PENDING from run_create. */
	check_status(run, RUN_STATUS_PENDING, "PENDING");
	put(run, "LOCK.remote", "ec2");
	check_status(run, RUN_STATUS_RUNNING, "LOCK.remote wins");
	rm(run, "LOCK.remote");
	ok(run_marker_set(run, RUN_MARKER_STAGED, NULL) == 0, "set STAGED");
	check_status(run, RUN_STATUS_PENDING, "PENDING before STAGED");
	ok(run_marker_clear(run, RUN_MARKER_PENDING, NULL) == 0,
	    "clear PENDING");
	ok(run_marker_clear(run, RUN_MARKER_PENDING, NULL) == 0,
	    "clear PENDING twice");
	ok(!run_marker_exists(run, RUN_MARKER_PENDING), "PENDING gone");
	check_status(run, RUN_STATUS_STAGED, "STAGED");
	run_marker_clear(run, RUN_MARKER_STAGED, NULL);

	check_status(run, RUN_STATUS_ERROR, "no exit_status, no LOCK");
	put(run, "attrs/exit_status", "0\n");
	check_status(run, RUN_STATUS_COMPLETED, "exit_status 0");
	put(run, "attrs/exit_status", "1\n");
	check_status(run, RUN_STATUS_ERROR, "exit_status 1");
	put(run, "attrs/exit_status", "-15\n");
	check_status(run, RUN_STATUS_TERMINATED, "exit_status -15");
	put(run, "attrs/exit_status", "oops\n");
	check_status(run, RUN_STATUS_ERROR, "exit_status not an int");

	ok(run_lock_write(run, getpid(), NULL) == 0, "write LOCK");
	put(run, "attrs/exit_status", "0\n");
	check_status(run, RUN_STATUS_COMPLETED, "exit_status beats LOCK");
	put(run, "attrs/exit_status", "null\n");
	check_status(run, RUN_STATUS_RUNNING, "null exit_status: LOCK decides");
	run_attr_delete(run, "exit_status", NULL);
	check_status(run, RUN_STATUS_RUNNING, "live LOCK");
	is_int(run_lock_pid(run), getpid(), "LOCK pid");
	p = gpath(run, "LOCK");
	s = slurp(p);
	ok(s != NULL && atol(s) == (long)getpid() && strchr(s, '\n') == NULL,
	    "LOCK is the pid, no newline");
	free(s);
	free(p);

	/* Pid reuse: the same pid with another start time is not ours. */
	p = gpath(run, "LOCK.start");
	s = slurp(p);
	ok(s != NULL && sscanf(s, "%ld %llu %63s", &pid, &start, boot) == 3 &&
	    pid == (long)getpid() && start > 0, "LOCK.start: %s",
	    s != NULL ? s : "(none)");
	free(s);
	s = xasprintf("%ld %llu %s\n", pid, start + 1, boot);
	spit(p, s);
	free(s);
	ok(!run_lock_alive(run), "other start time: not alive");
	check_status(run, RUN_STATUS_ERROR, "recycled pid");
	s = xasprintf("%ld %llu 00000000-0000-0000-0000-000000000000\n", pid,
	    start);
	spit(p, s);
	free(s);
	check_status(run, RUN_STATUS_ERROR, "other boot");
	s = xasprintf("%ld %llu %s\n", pid + 1, start + 1, boot);
	spit(p, s);
	free(s);
	check_status(run, RUN_STATUS_RUNNING,
	    "LOCK.start for another pid is ignored");
	unlink(p);
	check_status(run, RUN_STATUS_RUNNING, "Guild's LOCK alone: by pid");
	free(p);

	ok(run_lock_write(run, dead_pid(), NULL) == 0, "LOCK for a dead pid");
	check_status(run, RUN_STATUS_ERROR, "dead pid (with LOCK.start)");
	{
		char	host[256], *h, *cause = NULL;

		/* The record names this machine: judged here, dead. */
		p = gpath(run, "LOCK.start");
		s = slurp(p);
		gethostname(host, sizeof host);
		host[sizeof host - 1] = '\0';
		ok(s != NULL && strstr(s, host) != NULL, "LOCK.start names "
		    "this host: %s", s != NULL ? s : "(none)");
		free(s);
		ok(run_lock_host(run) == NULL, "our own LOCK: no other host");
		/* Another machine's pid (dead here) is not judged here. */
		s = xasprintf("%ld 1 00000000-0000-0000-0000-000000000000 "
		    "node-7\n", (long)run_lock_pid(run));
		spit(p, s);
		free(s);
		check_status(run, RUN_STATUS_RUNNING, "another host's LOCK: "
		    "never a local pid check");
		h = run_lock_host(run);
		is_str(h, "node-7", "run_lock_host");
		free(h);
		ok(run_signal(run, SIGTERM, &cause) == -1, "no local signal "
		    "for another host's run");
		ok(cause != NULL && strstr(cause, "runs on node-7: stop it "
		    "there") != NULL, "its error: %s", cause ? cause : "");
		free(cause);
		put(run, "attrs/exit_status", "-15\n");
		check_status(run, RUN_STATUS_TERMINATED, "its exit status ends "
		    "it");
		run_attr_delete(run, "exit_status", NULL);
		free(p);
	}
	rm(run, "LOCK.start");
	check_status(run, RUN_STATUS_ERROR, "dead pid (Guild's LOCK)");
	put(run, "LOCK", "garbage");
	is_int(run_lock_pid(run), 0, "garbage LOCK: no pid");
	check_status(run, RUN_STATUS_ERROR, "garbage LOCK");
	run_lock_write(run, getpid(), NULL);
	ok(run_lock_clear(run, NULL) == 0, "clear LOCK");
	p = gpath(run, "LOCK");
	s = gpath(run, "LOCK.start");
	ok(!path_exists(p) && !path_exists(s), "LOCK and LOCK.start removed");
	free(p);
	free(s);
	ok(run_lock_clear(run, NULL) == 0, "clear twice");

	for (i = 0; i < RUN_STATUS_COUNT; i++)
		is_int(run_status_from_name(run_status_name(i)), i,
		    "status name %s", run_status_name(i));
	is_int(run_status_from_name("bogus"), -1, "unknown status name");
}

/* PENDING names its creator; a dead creator's run is not pending. */
static void
test_pending(struct run *run)
{
	unsigned long long	 start = 0;
	long			 pid = 0;
	char			*s, *p, *cause = NULL, boot[64] = "";

	p = gpath(run, "PENDING");
	ok(run_marker_set(run, RUN_MARKER_PENDING, NULL) == 0, "set PENDING");
	s = slurp(p);
	ok(s != NULL && sscanf(s, "%ld %llu %63s", &pid, &start, boot) == 3 &&
	    pid == (long)getpid() && start > 0, "PENDING names us: %s",
	    s != NULL ? s : "(none)");
	free(s);
	check_status(run, RUN_STATUS_PENDING, "PENDING of a live creator");
	s = xasprintf("%ld %llu %s\n", (long)dead_pid(), start, boot);
	spit(p, s);
	free(s);
	ok(!run_pending_live(run), "a dead creator's PENDING is not live");
	check_status(run, RUN_STATUS_ERROR, "PENDING of a dead creator");
	put(run, "attrs/exit_status", "0\n");
	check_status(run, RUN_STATUS_COMPLETED,
	    "a dead creator's PENDING: the rest decides");
	run_attr_delete(run, "exit_status", NULL);
	s = xasprintf("%ld %llu %s\n", pid, start + 1, boot);
	spit(p, s);
	free(s);
	check_status(run, RUN_STATUS_ERROR, "PENDING of a recycled pid");
	spit(p, "");
	check_status(run, RUN_STATUS_PENDING, "Guild AI's empty PENDING");
	spit(p, "not a record\n");
	check_status(run, RUN_STATUS_PENDING, "PENDING not ours: pending");

	/* Claims: one process per run. */
	unlink(p);
	ok(run_pending_claim(run, &cause) == 0, "claim a run");
	ok(run_pending_claim(run, &cause) == -1 && cause != NULL &&
	    strstr(cause, "being started by another guild process") != NULL,
	    "a second claim fails: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;
	s = xasprintf("%ld 1 %s\n", (long)dead_pid(), boot);
	spit(p, s);
	free(s);
	ok(run_pending_claim(run, &cause) == 0,
	    "a dead creator's claim is taken over");
	unlink(p);
	run_lock_write(run, getpid(), NULL);
	ok(run_pending_claim(run, &cause) == -1 && cause != NULL &&
	    strstr(cause, "is running") != NULL && !path_exists(p),
	    "a running run is not claimed: %s", cause != NULL ? cause : "(none)");
	free(cause);
	run_lock_clear(run, NULL);
	free(p);
}

/* A run directory as Guild AI 0.9 writes it, made by hand. */
static void
test_guild_run(const char *runs)
{
	static const char *const files[][2] = {
		{ "opref", "guildfile:/home/u/proj/guild.yml "
		    "2673b06329378ca2fc355cb5c0f38cef fashion train" },
		{ "attrs/id", "19c67a72d5e711e8a0f0c85b76a1c5b2\n" },
		{ "attrs/initialized", "1539705451000001\n" },
		{ "attrs/started", "1539705452123456\n" },
		{ "attrs/stopped", "1539705499000000\n" },
		{ "attrs/exit_status", "0\n" },
		{ "attrs/flags", "batch_size: 100\nepochs: 2\nlr: 0.001\n" },
		{ "attrs/cmd", "- /usr/bin/python\n- -um\n- guild.op_main\n"
		    "- train\n" },
		{ "attrs/label", "epochs=2 lr=0.001\n" },
		{ "attrs/sourcecode_digest",
		    "f5bc31476b2462e925e62265454fe492\n" },
	};
	struct opref	 ref;
	struct run	*run;
	struct value	*v = NULL, *x;
	char		*dir, *p, *cause = NULL;
	size_t		 i;
	double		 d;

	dir = xasprintf("%s/19c67a72d5e711e8a0f0c85b76a1c5b2", runs);
	p = xasprintf("%s/.guild/attrs", dir);
	mkdir_p(p, 0777, NULL);
	free(p);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		p = xasprintf("%s/.guild/%s", dir, files[i][0]);
		spit(p, files[i][1]);
		free(p);
	}
	run = run_open(dir, &cause);
	ok(run != NULL, "open a Guild run");
	if (run == NULL) {
		diag("%s", cause);
		free(cause);
		free(dir);
		return;
	}
	is_str(run->id, "19c67a72d5e711e8a0f0c85b76a1c5b2", "its id");
	check_status(run, RUN_STATUS_COMPLETED, "Guild run");
	is_int(run_timestamp(run), 1539705452123456LL, "timestamp = started");
	ok(run_opref_read(run, &ref, &cause) == 0 &&
	    strcmp(ref.model, "fashion") == 0 && strcmp(ref.op, "train") == 0 &&
	    strcmp(ref.pkg_name, "/home/u/proj/guild.yml") == 0,
	    "its opref");
	opref_clear(&ref);
	ok(run_attr_read(run, "flags", &v, &cause) == 0 && v != NULL &&
	    v->type == VALUE_MAP, "its flags");
	x = value_map_get(v, "lr");
	ok(x != NULL && value_number(x, &d) && d == 0.001 &&
	    x->type == VALUE_FLOAT, "lr is the float 0.001");
	x = value_map_get(v, "epochs");
	ok(x != NULL && x->type == VALUE_INT && x->u.i == 2, "epochs is 2");
	value_free(v);
	ok(run_attr_read(run, "cmd", &v, &cause) == 0 && v != NULL &&
	    v->type == VALUE_LIST && v->u.list.n == 4, "its cmd");
	value_free(v);
	ok(run_attr_read(run, "label", &v, &cause) == 0 && v != NULL &&
	    v->type == VALUE_STRING &&
	    strcmp(v->u.s, "epochs=2 lr=0.001") == 0, "its label");
	value_free(v);

	rm(run, "attrs/started");
	is_int(run_timestamp(run), 1539705451000001LL,
	    "timestamp = initialized without started");
	rm(run, "attrs/initialized");
	is_int(run_timestamp(run), 0, "no timestamp");
	run_free(run);
	free(dir);
}

static void
test_list(const char *runs, const char *fresh)
{
	struct strvec	 ids = STRVEC_INIT;
	char		*p, *cause = NULL;

	p = xasprintf("%s/notarun/.guild", runs);
	mkdir_p(p, 0777, NULL);
	free(p);
	p = xasprintf("%s/afile", runs);
	spit(p, "x");
	free(p);
	p = xasprintf("%s/aaa/.guild", runs);
	mkdir_p(p, 0777, NULL);
	free(p);
	p = xasprintf("%s/aaa/.guild/opref", runs);
	spit(p, "script:/p '' '' a.py");
	free(p);

	ok(run_list(runs, &ids, &cause) == 0, "list runs");
	is_int((long long)ids.n, 3, "three runs");
	ok(strvec_find(&ids, "19c67a72d5e711e8a0f0c85b76a1c5b2") != -1 &&
	    strvec_find(&ids, "aaa") != -1 && strvec_find(&ids, fresh) != -1,
	    "the runs, not the other entries");
	ok(ids.n == 3 && strcmp(ids.v[0], ids.v[1]) < 0 &&
	    strcmp(ids.v[1], ids.v[2]) < 0, "in byte order");
	strvec_clear(&ids);
	p = xasprintf("%s/nothere", tmp);
	ok(run_list(p, &ids, &cause) == 0 && ids.n == 0,
	    "a missing runs dir is empty");
	free(p);
	strvec_clear(&ids);
}

int
main(void)
{
	struct run	*run, *again;
	char		*runs, *cause = NULL, *p, *s, *id;

	tmp = xstrdup("/tmp/test-run-XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	runs = xasprintf("%s/runs", tmp);

	test_ids();
	test_shlex();
	test_env_secret();

	run = run_create(runs, NULL, &cause);
	ok(run != NULL, "create a run");
	if (run == NULL) {
		diag("%s", cause);
		return done_testing();
	}
	ok(run->path[0] == '/' && str_ends_with(run->path, run->id),
	    "absolute run path");
	p = xasprintf("%s/attrs/id", run->guild);
	s = slurp(p);
	id = xasprintf("%s\n", run->id);
	is_str(s, id, "attr id");
	free(id);
	free(s);
	free(p);
	p = xasprintf("%s/attrs/initialized", run->guild);
	s = slurp(p);
	ok(s != NULL && strlen(s) == 17 && s[16] == '\n' && atoll(s) > 0,
	    "attr initialized is µs: %s", s != NULL ? s : "(none)");
	free(s);
	free(p);
	ok(run_marker_exists(run, RUN_MARKER_PENDING), "PENDING set");
	if (!ok(run_open(run->path, &cause) == NULL && cause != NULL &&
	    str_ends_with(cause, ": not a run directory"),
	    "not a run before its opref"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;

	test_attrs(run);
	test_opref(run);

	again = run_open(run->path, &cause);
	ok(again != NULL && strcmp(again->id, run->id) == 0,
	    "a run once its opref exists");
	run_free(again);
	if (!ok(run_create(runs, run->id, &cause) == NULL && cause != NULL &&
	    str_ends_with(cause, " already exists"),
	    "cannot create an existing run"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;
	if (!ok(run_create(runs, "../x", &cause) == NULL && cause != NULL &&
	    strcmp(cause, "invalid run id '../x'") == 0,
	    "invalid run id"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	cause = NULL;

	test_status(run);
	test_pending(run);
	test_guild_run(runs);
	test_list(runs, run->id);

	run_free(run);
	rm_rf(tmp, NULL);
	free(runs);
	free(tmp);
	return done_testing();
}
