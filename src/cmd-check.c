/*
 * cmd-check.c: guild check, Guild AI's report on the set-up: what guild
 * is, where its home is, which Python runs scripts and what it has, the
 * platform and the GPU tools. Each line says what it found; a missing
 * optional tool is "not installed", not an error.
 */
#include "common.h"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "home.h"
#include "proc.h"
#include "regex.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

enum {
	OPT_ENV = 1,
	OPT_TENSORFLOW,
	OPT_PYTORCH,
	OPT_VERBOSE,
	OPT_SPACE,
	OPT_VERSION,
	OPT_OFFLINE,
};

static const struct cmd_option check_options[] = {
	{ OPT_ENV, NULL, "env", NULL, "Limit check to environment info." },
	{ OPT_TENSORFLOW, NULL, "tensorflow", NULL, "Check TensorFlow status." },
	{ OPT_PYTORCH, NULL, "pytorch", NULL, "Check PyTorch status." },
	{ OPT_VERBOSE, "v", "verbose", NULL, "Show more information." },
	{ OPT_SPACE, NULL, "space", NULL,
	    "Show disk space usage for Guild files." },
	{ OPT_VERSION, NULL, "version", "REQUIRED",
	    "Check the installed version." },
	/* Guild's; guild never looks for a newer version. */
	{ OPT_OFFLINE, NULL, "offline|no-offline", NULL,
	    "Don't check for latest versions (always the case).", true },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/* Guild's column: values start at 27. */
#define ATTR_COL_WIDTH	26

static void
attr(FILE *out, const char *name, const char *val)
{
	int	pad = ATTR_COL_WIDTH - (int)strlen(name);

	fprintf(out, "%s:%*s%s\n", name, pad > 0 ? pad : 0, "",
	    cli_field(out, val));
}

/* Version requirements, as Guild reads them (PEP 440, simplified). */

/*
 * A version's release numbers and pre-release rank: "0.9.1rc2" is
 * {0, 9, 1}, rank 2 (rc), number 2. Final releases rank highest.
 */
struct version {
	long	n[8];
	size_t	len;
	int	rank;		/* 0 dev, 1 a, 2 b, 3 rc, 4 final, 5 post */
	long	pre;
	bool	wild;		/* ends in ".*" (a requirement only) */
};

static int
version_parse(const char *s, struct version *v, bool allow_wild)
{
	static const struct { const char *tag; int rank; } tags[] = {
		{ ".dev", 0 }, { "dev", 0 }, { "alpha", 1 }, { "a", 1 },
		{ "beta", 2 }, { "b", 2 }, { "rc", 3 }, { "c", 3 },
		{ ".post", 5 }, { "post", 5 },
	};
	char	*end;
	size_t	 i;

	memset(v, 0, sizeof *v);
	v->rank = 4;
	if (*s == 'v')
		s++;
	for (;;) {
		if (allow_wild && v->len > 0 && strcmp(s, "*") == 0) {
			v->wild = true;
			return 0;
		}
		if (!isdigit((unsigned char)*s) || v->len == ARRAY_SIZE(v->n))
			return -1;
		errno = 0;
		v->n[v->len++] = strtol(s, &end, 10);
		if (errno != 0)
			return -1;
		s = end;
		if (*s != '.' || !(isdigit((unsigned char)s[1]) ||
		    (allow_wild && s[1] == '*')))
			break;
		s++;
	}
	if (*s == '\0')
		return 0;
	for (i = 0; i < ARRAY_SIZE(tags); i++) {
		size_t	len = strlen(tags[i].tag);

		if (strncmp(s, tags[i].tag, len) == 0) {
			s += len;
			v->rank = tags[i].rank;
			v->pre = strtol(s, &end, 10);
			return *end == '\0' ? 0 : -1;
		}
	}
	return -1;
}

/* <0, 0, >0; with prefix, only as many release numbers as b has. */
static int
version_cmp(const struct version *a, const struct version *b, bool prefix)
{
	size_t	i, len = a->len > b->len ? a->len : b->len;

	if (prefix)
		len = b->len;
	for (i = 0; i < len; i++) {
		long	x = i < a->len ? a->n[i] : 0;
		long	y = i < b->len ? b->n[i] : 0;

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (prefix)
		return 0;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->pre < b->pre ? -1 : a->pre > b->pre;
}

/* One clause ("==0.9.*", ">=0.7", "0.9.1"): 1 match, 0 not, -1 bad. */
static int
version_clause(const struct version *have, const char *clause)
{
	static const char *const ops[] = {
		"===", "==", "!=", "<=", ">=", "~=", "<", ">",
	};
	struct version	 want;
	const char	*op = "==";
	size_t		 i;
	int		 c;

	while (isspace((unsigned char)*clause))
		clause++;
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (strncmp(clause, ops[i], strlen(ops[i])) == 0) {
			op = ops[i];
			clause += strlen(ops[i]);
			break;
		}
	}
	while (isspace((unsigned char)*clause))
		clause++;
	if (version_parse(clause, &want, strcmp(op, "==") == 0 ||
	    strcmp(op, "!=") == 0) == -1)
		return -1;
	c = version_cmp(have, &want, want.wild);
	if (strcmp(op, "==") == 0 || strcmp(op, "===") == 0)
		return c == 0;
	if (strcmp(op, "!=") == 0)
		return c != 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	if (strcmp(op, ">=") == 0)
		return c >= 0;
	if (strcmp(op, "<") == 0)
		return c < 0;
	if (strcmp(op, ">") == 0)
		return c > 0;
	/* ~=X.Y.Z: >= X.Y.Z and == X.Y.* */
	if (want.len < 2)
		return -1;
	if (c < 0)
		return 0;
	want.len--;
	return version_cmp(have, &want, true) == 0;
}

/* 1 when version have matches req (comma-separated clauses), 0, -1 bad. */
static int
version_matches(const char *have_s, const char *req)
{
	struct version	 have;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = req, *comma;
	int		 rc = 1, m;

	if (version_parse(have_s, &have, false) == -1 || *req == '\0')
		return -1;
	for (;;) {
		comma = strchr(p, ',');
		strbuf_reset(&sb);
		strbuf_add(&sb, p, comma != NULL ? (size_t)(comma - p) :
		    strlen(p));
		strbuf_rtrim(&sb);
		if ((m = version_clause(&have, sb.buf)) == -1) {
			rc = -1;
			break;
		}
		if (m == 0)
			rc = 0;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	strbuf_release(&sb);
	return rc;
}

/* Children. */

static void
capture_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct strbuf	*out = arg;

	(void)p;
	if (stream == 0 && out->len < 1024 * 1024)
		strbuf_add(out, buf, len);
}

/*
 * Run argv with pipes (stderr dropped) and keep its stdout in *out;
 * 0 when it ran and exited 0, else -1.
 */
static int
capture(const char *const *argv, struct strbuf *out)
{
	struct proc_spec	 spec = { .argv = argv, .mode = PROC_PIPES };
	struct proc_hooks	 hooks = { .on_data = capture_data };
	char			*cause = NULL;
	int			 code;

	if (proc_run(&spec, &hooks, out, &code, &cause) == -1) {
		free(cause);
		return -1;
	}
	return code == 0 ? 0 : -1;
}

/* The first group of pattern in s, or NULL. Caller frees. */
static char *
match1(const char *s, const char *pattern)
{
	struct regex	*re;
	size_t		 start, end;
	char		*r = NULL, *cause = NULL;

	if ((re = regex_new(pattern, 0, &cause)) == NULL) {
		free(cause);
		return NULL;
	}
	if (regex_search(re, s, strlen(s), 0, &start, &end) &&
	    regex_group(re, 1, &start, &end))
		r = xstrndup(s + start, end - start);
	regex_free(re);
	return r;
}

/*
 * Version of a tool found in PATH: NULL when it is not there, else what
 * pattern finds in the output of argv ("unknown (error)" if nothing).
 */
static char *
tool_version(const char *const *argv, const char *pattern)
{
	struct strbuf	 out = STRBUF_INIT;
	char		*exe, *v;

	if ((exe = path_which(argv[0])) == NULL)
		return NULL;
	free(exe);
	capture(argv, &out);
	v = match1(out.buf, pattern);
	strbuf_release(&out);
	return v != NULL ? v : xstrdup("unknown (error)");
}

/*
 * What the Python that runs scripts says about itself, as "key\tvalue"
 * lines: its version, executable and path, TensorBoard's version, and
 * TensorFlow's and PyTorch's when asked (Guild runs the TensorFlow check
 * in its own process too: importing it is slow and noisy).
 */
static const char python_probe[] =
	"import sys\n"
	"def out(k, v):\n"
	"    sys.stdout.write('%s\\t%s\\n' % (k, str(v).replace('\\n', ' ')))\n"
	"out('python_version', sys.version)\n"
	"out('python_exe', sys.executable)\n"
	"out('python_path', ':'.join(sys.path))\n"
	"try:\n"
	"    from tensorboard import version\n"
	"    out('tensorboard_version', version.VERSION)\n"
	"except Exception:\n"
	"    out('tensorboard_version', 'not installed')\n"
	"if 'tensorflow' in sys.argv[1:]:\n"
	"    try:\n"
	"        import tensorflow as tf\n"
	"    except ImportError as e:\n"
	"        m = str(e)\n"
	"        out('tensorflow_version', 'not installed' if\n"
	"            m == \"No module named 'tensorflow'\" else\n"
	"            'not installed (%s)' % m)\n"
	"    else:\n"
	"        out('tensorflow_version', tf.__version__)\n"
	"        cuda = tf.test.is_built_with_cuda()\n"
	"        out('tensorflow_cuda_support', 'yes' if cuda else 'no')\n"
	"        gpus = tf.config.list_physical_devices('GPU')\n"
	"        out('tensorflow_gpu_available', 'yes' if gpus else\n"
	"            'NO (CUDA support is enabled but GPU is not available)'\n"
	"            if cuda else 'no')\n"
	"if 'pytorch' in sys.argv[1:]:\n"
	"    try:\n"
	"        import torch, torch.version\n"
	"    except Exception:\n"
	"        out('pytorch_version', 'not installed')\n"
	"    else:\n"
	"        out('pytorch_version', torch.version.__version__)\n"
	"        out('pytorch_cuda_version', torch.version.cuda)\n"
	"        out('pytorch_cuda_available',\n"
	"            'yes' if torch.cuda.is_available() else 'no')\n"
	"        n = torch.cuda.device_count()\n"
	"        out('pytorch_cuda_devices', ', '.join(\n"
	"            '%s (%d)' % (torch.cuda.get_device_name(i), i)\n"
	"            for i in range(n)) if n else 'none')\n";

/* The probe's value for key, or NULL. */
static const char *
probe_get(const struct strvec *kv, const char *key)
{
	size_t	i;

	for (i = 0; i + 1 < kv->n; i += 2) {
		if (strcmp(kv->v[i], key) == 0)
			return kv->v[i + 1];
	}
	return NULL;
}

static void
probe_python(const char *python, bool tf, bool torch, struct strvec *kv)
{
	const char	*argv[] = { python, "-c", python_probe, NULL, NULL,
			    NULL };
	struct strbuf	 out = STRBUF_INIT;
	char		*line, *next, *tab;
	size_t		 n = 3;

	if (tf)
		argv[n++] = "tensorflow";
	if (torch)
		argv[n++] = "pytorch";
	capture(argv, &out);
	for (line = out.buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		strvec_push(kv, line);
		strvec_push(kv, tab + 1);
	}
	strbuf_release(&out);
}

/* Disk use, as Guild counts it: the sizes of everything, links not followed. */

static unsigned long long du_total;

static int
du_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	du_total += (unsigned long long)st->st_size;
	return 0;
}

static unsigned long long
disk_usage(const char *path)
{
	struct stat	st;

	if (lstat(path, &st) == -1)
		return 0;
	du_total = 0;
	nftw(path, du_add, 16, FTW_PHYS);
	return du_total;
}

static void
print_space(FILE *out, const struct guild_home *home)
{
	const char	*names[] = { "guild_home", "runs", "deleted_runs",
			    "remote_state", "cache" };
	char		*paths[5], *sizes[5], *val, *name;
	size_t		 i, w = 0;

	paths[0] = xstrdup(home->path);
	paths[1] = xstrdup(home->runs);
	paths[2] = xstrdup(home->trash);
	paths[3] = path_join(home->path, "remotes");
	paths[4] = xstrdup(home->cache);
	for (i = 0; i < 5; i++) {
		struct strbuf	sb = STRBUF_INIT;

		format_bytes(&sb, disk_usage(paths[i]));
		sizes[i] = strbuf_detach(&sb, NULL);
		if (strlen(sizes[i]) > w)
			w = strlen(sizes[i]);
	}
	fprintf(out, "disk_space:\n");
	for (i = 0; i < 5; i++) {
		name = xasprintf("  %s", names[i]);
		val = xasprintf("%s%*s%s", sizes[i],
		    (int)(w - strlen(sizes[i]) + 1), "", paths[i]);
		attr(out, name, val);
		free(name);
		free(val);
		free(paths[i]);
		free(sizes[i]);
	}
}

/* guild_home's line: the path and what is in it. */
static char *
home_desc(const struct guild_home *home)
{
	struct stat	 st;
	size_t		 runs = 0, trash = 0;
	DIR		*d;
	struct dirent	*de;
	const char	*dirs[2] = { home->runs, home->trash };
	size_t		*counts[2] = { &runs, &trash };
	size_t		 i;

	if (stat(home->path, &st) == -1)
		return xasprintf("%s (%s)", home->path, errno == ENOENT ?
		    "not created yet" : strerror(errno));
	for (i = 0; i < 2; i++) {
		if ((d = opendir(dirs[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] != '.')
				(*counts[i])++;
		}
		closedir(d);
	}
	return xasprintf("%s (%zu run%s, %zu deleted)", home->path, runs,
	    runs == 1 ? "" : "s", trash);
}

/* Where this guild is installed: the directory of its executable. */
static char *
install_location(const char *argv0)
{
	char	*exe, *dir = NULL, *slash;

	if ((exe = realpath("/proc/self/exe", NULL)) == NULL &&
	    (exe = strchr(argv0, '/') != NULL ? realpath(argv0, NULL) :
	    path_which(argv0)) == NULL)
		return xstrdup("unknown");
	if ((slash = strrchr(exe, '/')) != NULL)
		dir = xstrndup(exe, slash == exe ? 1 : (size_t)(slash - exe));
	free(exe);
	return dir != NULL ? dir : xstrdup("unknown");
}

static int
cmd_check_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct guild_home	*home;
	struct strvec		 kv = STRVEC_INIT;
	struct utsname		 u;
	const char		*req = cmd_arg_value(args, OPT_VERSION);
	const char		*v;
	const char *const	 nvcc[] = { "nvcc", "--version", NULL };
	const char *const	 smi_query[] = { "nvidia-smi", "--query", NULL };
	const char *const	 smi[] = { "nvidia-smi", NULL };
	char			*s, *python, *pyexe;
	bool			 env = cmd_arg_has(args, OPT_ENV);
	bool			 verbose = cmd_arg_has(args, OPT_VERBOSE);

	if (args->pos.n > 0)
		return cli_error("unexpected extra argument '%s'",
		    args->pos.v[0]);
	if (req != NULL) {
		switch (version_matches(PACKAGE_VERSION, req)) {
		case -1:
			return cli_error("invalid requirement spec '%s'", req);
		case 0:
			return cli_error("version mismatch: current version "
			    "'%s' does not match '%s'", PACKAGE_VERSION, req);
		}
	}
	if ((home = cli_home(ctx)) == NULL)
		return 1;

	attr(ctx->out, "guild_version", PACKAGE_VERSION);
	s = install_location(ctx->argv0);
	attr(ctx->out, "guild_install_location", s);
	free(s);
	s = home_desc(home);
	attr(ctx->out, "guild_home", s);
	free(s);
	s = path_join(home->cache, "resources");
	attr(ctx->out, "guild_resource_cache", s);
	free(s);

	python = runner_python_exe();
	if (strchr(python, '/') == NULL)
		pyexe = path_which(python);
	else
		pyexe = access(python, X_OK) == 0 ? xstrdup(python) : NULL;
	if (pyexe != NULL)
		probe_python(pyexe, !env && cmd_arg_has(args, OPT_TENSORFLOW),
		    !env && cmd_arg_has(args, OPT_PYTORCH), &kv);
	v = probe_get(&kv, "python_version");
	attr(ctx->out, "python_version", v != NULL ? v : pyexe != NULL ?
	    "unknown (error)" : "not installed");
	v = probe_get(&kv, "python_exe");
	if (v == NULL && pyexe == NULL)
		s = xasprintf("%s not found%s", python,
		    strchr(python, '/') != NULL ? "" : " in PATH");
	else
		s = xstrdup(v != NULL ? v : pyexe);
	attr(ctx->out, "python_exe", s);
	free(s);
	if (verbose && (v = probe_get(&kv, "python_path")) != NULL)
		attr(ctx->out, "python_path", v);
	if (!env) {
		if (uname(&u) == 0) {
			s = xasprintf("%s %s %s", u.sysname, u.release,
			    u.machine);
			attr(ctx->out, "platform", s);
			free(s);
		}
		v = probe_get(&kv, "tensorboard_version");
		attr(ctx->out, "tensorboard_version", v != NULL ? v :
		    "not installed");
		if (cmd_arg_has(args, OPT_TENSORFLOW)) {
			attr(ctx->out, "tensorflow_version",
			    (v = probe_get(&kv, "tensorflow_version")) != NULL ?
			    v : "not installed");
			if ((v = probe_get(&kv, "tensorflow_cuda_support")))
				attr(ctx->out, "tensorflow_cuda_support", v);
			if ((v = probe_get(&kv, "tensorflow_gpu_available")))
				attr(ctx->out, "tensorflow_gpu_available", v);
		}
		if (cmd_arg_has(args, OPT_PYTORCH)) {
			static const char *const keys[] = {
				"pytorch_cuda_version",
				"pytorch_cuda_available",
				"pytorch_cuda_devices",
			};
			size_t	i;

			attr(ctx->out, "pytorch_version",
			    (v = probe_get(&kv, "pytorch_version")) != NULL ?
			    v : "not installed");
			for (i = 0; i < ARRAY_SIZE(keys); i++) {
				if ((v = probe_get(&kv, keys[i])) != NULL)
					attr(ctx->out, keys[i], v);
			}
		}
		if ((s = tool_version(nvcc, "V([0-9.]+)")) == NULL)
			s = tool_version(smi_query,
			    "CUDA Version\\s+: ([0-9.]+)");
		attr(ctx->out, "cuda_version", s != NULL ? s : "not installed");
		free(s);
		s = tool_version(smi, "NVIDIA-SMI ([0-9.]+)");
		attr(ctx->out, "nvidia_smi_version", s != NULL ? s :
		    "not installed");
		free(s);
		if (cmd_arg_has(args, OPT_SPACE))
			print_space(ctx->out, home);
	}
	free(python);
	free(pyexe);
	strvec_clear(&kv);
	return 0;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.summary = "Check the Guild setup.",
	.description =
	    "Prints information about guild, its home, the Python that runs\n"
	    "scripts (and the TensorBoard, TensorFlow and PyTorch it has) and\n"
	    "the GPU tools. A tool that is missing shows as \"not installed\".\n"
	    "\n"
	    "To verify that this guild's version matches a requirement, use\n"
	    "--version: REQUIRED is one or more comma-separated clauses such\n"
	    "as '>=0.1', '<1.0,>=0.1' or '==0.1.*' (a bare version means ==).\n"
	    "Quote it in the shell.",
	.options = check_options,
	.exec = cmd_check_exec,
};
