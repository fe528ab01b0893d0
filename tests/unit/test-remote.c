/*
 * test-remote.c: remotes read from the user config: every setting, the
 * lookup through GUILD_CONFIG, and a FILE:LINE:COL error for each kind of
 * bad config.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote.h"
#include "sshconn.h"
#include "tap.h"
#include "util.h"

static int
parse(const char *text, struct remote_list *l, char **cause)
{
	*cause = NULL;
	return remotes_parse(text, strlen(text), "cfg.yml", l, cause);
}

/* The error for a config, or "(none)". Caller frees. */
static char *
error_of(const char *text)
{
	struct remote_list	 l = REMOTE_LIST_INIT;
	char			*cause;

	if (parse(text, &l, &cause) == 0) {
		remotes_clear(&l);
		return strdup("(none)");
	}
	ok(l.n == 0, "nothing kept after an error");
	return cause;
}

static void
check_error(const char *text, const char *want)
{
	char	*got = error_of(text);

	is_str(got, want, "error: %s", want);
	free(got);
}

static void
test_full(void)
{
	struct remote_list	 l = REMOTE_LIST_INIT;
	const struct remote	*r;
	char			*cause, *s;

	is_int(parse(
	    "compat: default\n"
	    "remotes:\n"
	    "  gpu:\n"
	    "    type: ssh\n"
	    "    description: GPU box\n"
	    "    host: gpu1\n"
	    "    port: 2222\n"
	    "    user: ann\n"
	    "    private-key: ~/.ssh/id_gpu\n"
	    "    connect-timeout: 5\n"
	    "    proxy: ssh -W %h:%p bastion\n"
	    "    guild-home: /scratch/ann/guild\n"
	    "    guild-bin: /opt/guild/bin/guild\n"
	    "    init: |\n"
	    "      module load cuda\n"
	    "      export A=1\n"
	    "    env:\n"
	    "      CUDA_VISIBLE_DEVICES: 0\n"
	    "      EMPTY:\n"
	    "  hpc:\n"
	    "    type: slurm\n"
	    "    init: [module load slurm]\n"
	    "    sbatch-args: [--partition=gpu, '--gres=gpu:1']\n"
	    "    array-parallelism: 4\n"
	    "    poll-interval: 2.5\n", &l, &cause), 0, "full config parses");
	is_int((long long)l.n, 2, "two remotes");
	r = remotes_find(&l, "gpu");
	ok(r != NULL && r->type == REMOTE_SSH, "gpu is ssh");
	is_str(r->description, "GPU box", "description");
	is_str(r->host, "gpu1", "host");
	is_int(r->port, 2222, "port");
	is_str(r->user, "ann", "user");
	is_str(r->private_key, "~/.ssh/id_gpu", "private-key");
	is_int(r->connect_timeout, 5, "connect-timeout");
	is_str(r->proxy, "ssh -W %h:%p bastion", "proxy");
	is_str(r->guild_home, "/scratch/ann/guild", "guild-home");
	is_str(remote_guild_bin(r), "/opt/guild/bin/guild", "guild-bin");
	is_int((long long)r->init.n, 2, "init: two lines");
	is_str(r->init.v[1], "export A=1", "init line 2");
	is_int((long long)r->env.n, 2, "env: two");
	is_str(r->env.v[0], "CUDA_VISIBLE_DEVICES=0", "env 1");
	is_str(r->env.v[1], "EMPTY=", "env null is empty");
	is_int(r->line, 3, "defined at line 3");
	s = remote_destination(r);
	is_str(s, "ann@gpu1", "destination");
	free(s);
	s = remote_home_shell(r);
	is_str(s, "'/scratch/ann/guild'", "home for sh: absolute");
	free(s);

	r = remotes_find(&l, "hpc");
	ok(r != NULL && r->type == REMOTE_SLURM, "hpc is slurm");
	ok(r->host == NULL, "slurm without host");
	s = remote_destination(r);
	is_str(s, "localhost", "destination without host");
	free(s);
	is_str(remote_type_name(r->type), "slurm", "type name");
	is_int((long long)r->sbatch_args.n, 2, "sbatch-args");
	is_str(r->sbatch_args.v[1], "--gres=gpu:1", "sbatch-arg 2");
	is_int(r->array_parallelism, 4, "array-parallelism");
	ok(r->poll_interval == 2.5, "poll-interval");
	is_str(remote_guild_bin(r), "guild", "default guild-bin");
	s = remote_home_shell(r);
	is_str(s, "\"$HOME\"/'.guild'", "default home for sh");
	free(s);
	s = remote_home_rsync(r);
	is_str(s, ".guild", "default home for rsync");
	free(s);
	ok(remotes_find(&l, "nope") == NULL, "unknown name");
	remotes_clear(&l);

	is_int(parse("a: 1\n", &l, &cause), 0, "no remotes: ok");
	is_int((long long)l.n, 0, "no remotes: empty");
	remotes_clear(&l);
	is_int(parse("", &l, &cause), 0, "empty file: ok");
	remotes_clear(&l);
}

static void
test_errors(void)
{
	check_error("remotes: [a]\n", "cfg.yml:1:10: 'remotes' must be a map "
	    "of remote names to settings");
	check_error("remotes:\n  r: 3\n",
	    "cfg.yml:2:6: remote 'r': expected a map of settings");
	check_error("remotes:\n  r:\n    host: h\n",
	    "cfg.yml:2:3: remote 'r': missing required config: type "
	    "(ssh or slurm)");
	check_error("remotes:\n  r:\n    type: ec2\n",
	    "cfg.yml:3:11: remote 'r': unsupported type 'ec2' (guild has "
	    "ssh and slurm)");
	check_error("remotes:\n  r:\n    type: ssh\n",
	    "cfg.yml:2:3: remote 'r': missing required config: host");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    port: 70000\n",
	    "cfg.yml:5:11: remote 'r': 'port' must be a port number "
	    "(1-65535)");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    connect-timeout: -1\n",
	    "cfg.yml:5:22: remote 'r': 'connect-timeout' must be a "
	    "positive whole number");
	check_error("remotes:\n  r:\n    type: ssh\n    host: [a]\n",
	    "cfg.yml:4:11: remote 'r': 'host' must be a non-empty string");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    hots: x\n",
	    "cfg.yml:5:5: remote 'r': unknown setting 'hots'");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    sbatch-args: [a]\n",
	    "cfg.yml:5:5: remote 'r': 'sbatch-args' is only for remotes of "
	    "type slurm");
	check_error("remotes:\n  r:\n    type: slurm\n    sbatch-args: a\n",
	    "cfg.yml:4:18: remote 'r': 'sbatch-args' must be a list of "
	    "strings");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    array-parallelism: 2\n",
	    "cfg.yml:5:5: remote 'r': 'array-parallelism' is only for "
	    "remotes of type slurm");
	check_error("remotes:\n  r:\n    type: slurm\n    poll-interval: 0\n",
	    "cfg.yml:4:20: remote 'r': 'poll-interval' must be a positive "
	    "number of seconds");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    env: {1A: x}\n",
	    "cfg.yml:5:11: remote 'r': '1A' is not an environment variable "
	    "name");
	check_error("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    init: {a: b}\n",
	    "cfg.yml:5:11: remote 'r': 'init' must be a string or a list of "
	    "strings");
	{
		static const char	 y[] = "remotes:\n  r:\n    type: ssh\n"
		    "    host: h\n    poll-interval: 3\n";
		struct remote_list	 l = REMOTE_LIST_INIT;
		char			*cause = NULL;

		is_int(remotes_parse(y, strlen(y), "cfg.yml", &l, &cause), 0,
		    "poll-interval on an ssh remote (guild view's syncs)");
		ok(l.n == 1 && l.v[0]->poll_interval == 3.0,
		    "... is read");
		free(cause);
		remotes_clear(&l);
	}
	{
		char *got = error_of("remotes:\n  r: [\n");
		ok(strncmp(got, "cfg.yml:", 8) == 0, "YAML error: %s", got);
		free(got);
	}
}

static void
test_load(void)
{
	char		 dir[] = "/tmp/test-remote.XXXXXX", *path, *cause = NULL;
	struct remote	*r;
	FILE		*f;

	ok(mkdtemp(dir) != NULL, "temp dir");
	path = path_join(dir, "config.yml");
	f = fopen(path, "w");
	fputs("remotes:\n  box:\n    type: ssh\n    host: 127.0.0.1\n", f);
	fclose(f);
	setenv("GUILD_CONFIG", path, 1);
	r = remote_get(NULL, "box", &cause);
	ok(r != NULL, "remote_get finds box through GUILD_CONFIG");
	if (r != NULL) {
		is_str(r->host, "127.0.0.1", "its host");
		is_str(r->config, path, "its config file");
	}
	remote_free(r);
	r = remote_get(NULL, "other", &cause);
	ok(r == NULL, "remote_get: unknown");
	is_str(cause, "remote other is not defined (see guild remotes)",
	    "unknown remote's error");
	free(cause);
	f = fopen(path, "w");
	fputs("remotes:\n  box:\n    type: ssh\n    host: [\n", f);
	fclose(f);
	cause = NULL;
	r = remote_get(NULL, "box", &cause);
	ok(r == NULL && cause != NULL && strncmp(cause, path,
	    strlen(path)) == 0, "broken YAML: error names the file: %s",
	    cause ? cause : "(null)");
	free(cause);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void
test_script(void)
{
	struct remote_list	 l = REMOTE_LIST_INIT;
	const char		*args[] = { "runs", "it's", NULL };
	char			*cause, *s;

	is_int(parse("remotes:\n  r:\n    type: ssh\n    host: h\n"
	    "    guild-home: ~/g h\n    guild-bin: /opt/guild\n"
	    "    init: [module load cuda, cd /tmp]\n"
	    "    env: {A: \"x y\"}\n", &l, &cause), 0, "script config");
	s = remote_script(l.v[0], args);
	is_str(s, "module load cuda\ncd /tmp\nA='x y'; export A\n"
	    "exec /opt/guild -H \"$HOME\"/'g h' 'runs' 'it'\\''s'\n",
	    "remote_script: init, env, guild-bin, home, quoted args");
	free(s);
	s = remote_home_rsync(l.v[0]);
	is_str(s, "g h", "~/ home for rsync is relative to the login dir");
	free(s);
	remotes_clear(&l);
}

/*
 * A Slurm remote with a host travels to its login node as
 * REMOTE_LOGIN_ENV: the same Slurm settings without the ssh ones, found
 * there by remote_get() before (and without) any config file.
 */
static void
test_login(void)
{
	struct remote_list	 l = REMOTE_LIST_INIT;
	struct remote		*r;
	const char		*args[] = { "runs", NULL };
	char			*cause, *json, *s;

	is_int(parse("remotes:\n  c:\n    type: slurm\n    host: login\n"
	    "    port: 2222\n    guild-home: /scratch/g\n"
	    "    guild-bin: /opt/guild\n    init: [module load x]\n"
	    "    env: {A: \"x 'y\"}\n"
	    "    sbatch-args: [--partition=gpu, \"--comment=a b\"]\n"
	    "    array-parallelism: 3\n    poll-interval: 2.5\n", &l, &cause),
	    0, "login config");
	json = remote_login_config(l.v[0]);
	setenv(REMOTE_LOGIN_ENV, json, 1);
	cause = NULL;
	r = remote_get("/nonexistent", "c", &cause);
	ok(r != NULL, "remote_get finds the login node's remote: %s",
	    cause != NULL ? cause : "");
	if (r != NULL) {
		ok(r->type == REMOTE_SLURM && r->host == NULL &&
		    r->port == 0 && r->guild_home == NULL,
		    "... a Slurm remote of that machine, its home guild's");
		is_str(r->guild_bin, "/opt/guild", "... guild-bin");
		ok(r->init.n == 1 && strcmp(r->init.v[0], "module load x") == 0,
		    "... init");
		ok(r->env.n == 1 && strcmp(r->env.v[0], "A=x 'y") == 0,
		    "... env");
		ok(r->sbatch_args.n == 2 &&
		    strcmp(r->sbatch_args.v[1], "--comment=a b") == 0,
		    "... sbatch-args");
		ok(r->array_parallelism == 3 && r->poll_interval == 2.5,
		    "... array-parallelism and poll-interval");
	}
	remote_free(r);
	cause = NULL;
	ok(remote_get("/nonexistent", "other", &cause) == NULL &&
	    cause != NULL && strstr(cause, "remote other is not defined") !=
	    NULL, "another name is looked for in the config");
	free(cause);
	/* The script there exports it for the guild it runs. */
	s = remote_script(l.v[0], args);
	ok(strstr(s, REMOTE_LOGIN_ENV "=") != NULL &&
	    strstr(s, "; export " REMOTE_LOGIN_ENV "\n") != NULL,
	    "remote_script exports the login config");
	free(s);
	unsetenv(REMOTE_LOGIN_ENV);
	free(json);
	remotes_clear(&l);
}

int
main(void)
{
	char	*q;

	test_full();
	test_errors();
	test_load();
	test_script();
	test_login();
	q = shell_quote("it's");
	is_str(q, "'it'\\''s'", "shell_quote");
	free(q);
	return done_testing();
}
