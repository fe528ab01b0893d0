/*
 * cmd-run-ops.c: guild run's --help-op (Guild's layout, Click's
 * formatter), scripts and executables as operations, and the optimizers
 * guild.yml declares for an operation. See cmd-run.h.
 */
#include "common.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "runner.h"
#include "cmd-run.h"
#include "deps.h"
#include "flags.h"
#include "home.h"
#include "guildfile.h"
#include "package.h"
#include "run.h"
#include "runsel.h"
#include "sourcecode.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

static int
flag_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct flagdef *const *)a)->name,
	    (*(const struct flagdef *const *)b)->name);
}

/*
 * A flag's text in --help-op, as Guild writes it: each line of the
 * description a paragraph, the first followed by the default (or
 * "(required)", or the null label), then the choices as a block of their
 * own, laid out in what is left of the width after the flag column.
 */
static char *
flag_help(const struct flagdef *f, size_t name_w)
{
	struct strbuf	 sb = STRBUF_INIT, block = STRBUF_INIT;
	struct strvec	 rows = STRVEC_INIT;
	const char	*d = f->description != NULL ? f->description : "";
	size_t		 i, first = strcspn(d, "\n"), w = cli_help_width();
	bool		 described = false;

	strbuf_add(&sb, d, first);
	if (sb.len > 0 && (f->default_value != NULL || f->required ||
	    f->null_label != NULL))
		strbuf_addch(&sb, ' ');
	if (f->default_value != NULL) {
		/* Guild's format_flag: 'Hello Guild!' quoted. */
		strbuf_addstr(&sb, "(default is ");
		flag_format(&sb, f->default_value, false);
		strbuf_addch(&sb, ')');
	} else if (f->required)
		strbuf_addstr(&sb, "(required)");
	else if (f->null_label != NULL)
		strbuf_addf(&sb, "(default is %s)", f->null_label);
	for (d += first; *d == '\n'; d += first) {
		d++;
		first = strcspn(d, "\n");
		strbuf_addstr(&sb, "\n\n");
		strbuf_add(&sb, d, first);
	}
	if (f->nchoices == 0)
		goto done;
	for (i = 0; i < f->nchoices; i++)
		described |= f->choices[i].description != NULL &&
		    *f->choices[i].description != '\0';
	w = w > name_w + 4 ? w - name_w - 4 : 10;
	if (described) {
		for (i = 0; i < f->nchoices; i++) {
			const struct flag_choice *c = &f->choices[i];

			strbuf_reset(&block);
			if (c->alias != NULL)
				strbuf_addstr(&block, c->alias);
			else
				value_format_flag(&block, c->value);
			strvec_push(&rows, block.buf);
			strvec_push(&rows, c->description != NULL ?
			    c->description : "");
		}
		strbuf_reset(&block);
		strbuf_addstr(&block, "Choices:\n");
		cli_dl(&block, (const char *const *)rows.v, rows.n / 2, 2, w);
	} else {
		strbuf_reset(&block);
		for (i = 0; i < f->nchoices; i++) {
			if (i > 0)
				strbuf_addstr(&block, ", ");
			if (f->choices[i].alias != NULL)
				strbuf_addstr(&block, f->choices[i].alias);
			else
				value_format_flag(&block, f->choices[i].value);
		}
		strvec_push(&rows, "Choices:");
		strvec_push(&rows, block.buf);
		strbuf_reset(&block);
		cli_dl(&block, (const char *const *)rows.v, 1, 0,
		    w > 8 ? w - 8 : 10);
	}
	strbuf_rtrim(&block);
	strbuf_addf(&sb, "\n\n\b\n%s", block.buf);
done:
	strvec_clear(&rows);
	strbuf_release(&block);
	return strbuf_detach(&sb, NULL);
}

/* A definition list section of --help-op: "\nHeading:\n  term  text". */
static void
help_section(struct strbuf *out, const char *heading, struct strvec *rows)
{
	if (rows->n == 0)
		return;
	strbuf_addf(out, "\n%s:\n", heading);
	cli_dl(out, (const char *const *)rows->v, rows->n / 2, 2,
	    cli_help_width());
}

/*
 * guild run OP --help-op, laid out as Guild's: usage, the description
 * (each line a paragraph), a pointer to the options, the dependencies
 * that have a description, the flags sorted by name.
 */
void
run_help_op(const struct opdef *op, const char *opname)
{
	struct strbuf		 out = STRBUF_INIT, desc = STRBUF_INIT;
	struct strvec		 rows = STRVEC_INIT;
	const struct flagdef	**flags;
	struct flagdef		*depflags;
	struct strvec		 depnames = STRVEC_INIT;
	const struct resdef	*res;
	const char		*p;
	size_t			 i, nflags, name_w = 0, width = cli_help_width();

	strbuf_addf(&out, "Usage: guild run [OPTIONS] %s [FLAG]...\n", opname);
	if (op->description != NULL && *op->description != '\0') {
		for (p = op->description; *p != '\0'; p++) {
			strbuf_addch(&desc, *p);
			if (*p == '\n')
				strbuf_addch(&desc, '\n');
		}
		strbuf_addch(&out, '\n');
		cli_wrap(&out, desc.buf, width, 0);
		strbuf_addch(&out, '\n');
	}
	strbuf_addstr(&out, "\nUse 'guild run --help' for a list of options.\n");
	for (i = 0; i < op->nrequires; i++) {
		const char	*ref = op->requires[i]->resource_ref;

		if (ref == NULL || strchr(ref, ':') != NULL ||
		    (res = modeldef_resource(op->model, ref)) == NULL ||
		    res->description == NULL || *res->description == '\0')
			continue;
		strvec_push(&rows, ref);
		strvec_push(&rows, res->description);
	}
	help_section(&out, "Dependencies", &rows);
	strvec_clear(&rows);
	/*
	 * A dependency's flag is a flag too (Guild's resource_flags plugin):
	 * "- operation: train" is listed as operation:train.
	 */
	deps_flag_names(op, &depnames);
	depflags = xcalloc(depnames.n + 1, sizeof *depflags);
	nflags = op->nflags + depnames.n;
	flags = xcalloc(nflags + 1, sizeof *flags);
	for (i = 0; i < op->nflags; i++)
		flags[i] = op->flags[i];
	for (i = 0; i < depnames.n; i++) {
		depflags[i].name = depnames.v[i];
		depflags[i].type = FLAG_TYPE_STRING;
		flags[op->nflags + i] = &depflags[i];
	}
	qsort(flags, nflags, sizeof *flags, flag_cmp);
	for (i = 0; i < nflags; i++) {
		if (strlen(flags[i]->name) > name_w)
			name_w = strlen(flags[i]->name);
	}
	for (i = 0; i < nflags; i++) {
		strvec_push(&rows, flags[i]->name);
		strvec_push_nodup(&rows, flag_help(flags[i], name_w));
	}
	free(flags);
	free(depflags);
	strvec_clear(&depnames);
	help_section(&out, "Flags", &rows);
	strvec_clear(&rows);
	fputs(cli_text(stdout, out.buf), stdout);
	strbuf_release(&desc);
	strbuf_release(&out);
}

/*
 * The operation's optimizers, as Guild reads guild.yml's `optimizer:` (an
 * algorithm, or a mapping with one) and `optimizers:` (a mapping of
 * names to an algorithm or a mapping; or a list of names): names (sorted)
 * into names, their algorithms into algos, and the default's index (the
 * only one, or the one with `default: yes`; -1: none).
 */
long
run_op_optimizers(const struct opdef *op, struct strvec *names,
    struct strvec *algos)
{
	const struct value	*o = op->optimizers, *d, *alg;
	struct value		*sorted = NULL;
	long			 def = -1;
	size_t			 i;

	if (o == NULL)
		return -1;
	if (o->type == VALUE_STRING) {
		strvec_push(names, o->u.s);
		strvec_push(algos, o->u.s);
		return 0;
	}
	if (o->type == VALUE_MAP && (alg = value_map_get(o, "algorithm")) !=
	    NULL && alg->type == VALUE_STRING) {
		strvec_push(names, alg->u.s);
		strvec_push(algos, alg->u.s);
		return 0;
	}
	if (o->type == VALUE_LIST) {
		for (i = 0; i < o->u.list.n; i++) {
			if (o->u.list.v[i]->type != VALUE_STRING)
				continue;
			strvec_push(names, o->u.list.v[i]->u.s);
			strvec_push(algos, o->u.list.v[i]->u.s);
		}
		strvec_sort(names);
		strvec_sort(algos);
		return names->n == 1 ? 0 : -1;
	}
	if (o->type != VALUE_MAP)
		return -1;
	sorted = value_dup(o);
	value_map_sort(sorted);
	for (i = 0; i < sorted->u.map.n; i++) {
		d = sorted->u.map.v[i];
		strvec_push(names, sorted->u.map.k[i]);
		if (d->type == VALUE_STRING)
			strvec_push(algos, d->u.s);
		else if (d->type == VALUE_MAP &&
		    (alg = value_map_get(d, "algorithm")) != NULL &&
		    alg->type == VALUE_STRING)
			strvec_push(algos, alg->u.s);
		else
			strvec_push(algos, sorted->u.map.k[i]);
		if (d->type == VALUE_MAP &&
		    (alg = value_map_get(d, "default")) != NULL &&
		    alg->type == VALUE_BOOL && alg->u.b && def == -1)
			def = (long)i;
	}
	value_free(sorted);
	return names->n == 1 ? 0 : def;
}

/* A one-operation guild.yml in dir: name runs cmd (exec) or mod (main). */
static struct guildfile *
one_op_guildfile(const char *dir, const char *name, const char *exec,
    const char *mod, char **cause)
{
	struct strbuf		 yml = STRBUF_INIT;
	struct value		*v;
	struct guildfile	*gf;

	strbuf_addstr(&yml, "- model: ''\n  operations:\n    ");
	v = value_string(name);
	value_encode_flow(&yml, v);
	value_free(v);
	strbuf_addstr(&yml, ":\n      ");
	v = value_string(exec != NULL ? exec : mod);
	strbuf_addstr(&yml, exec != NULL ? "exec: " : "main: ");
	value_encode_flow(&yml, v);
	value_free(v);
	if (exec == NULL)
		strbuf_addstr(&yml, "\n      flags-import: all");
	strbuf_addch(&yml, '\n');
	gf = guildfile_load_buf(yml.buf, yml.len, GUILDFILE_NAME, dir, cause);
	strbuf_release(&yml);
	if (gf != NULL)
		gf->script = true;
	return gf;
}

/*
 * "guild run train.py": any Python script is an operation, as in Guild
 * AI 0.9, named after the file, in a project that is the script's
 * directory, with every flag it takes imported; "guild run ./train.sh":
 * an executable file is an operation named after it, run as it is. NULL
 * when spec is not such a file (or guild.yml defines an operation of
 * that name); NULL with cause for a file that cannot be run.
 */
static struct guildfile *
run_script_guildfile(struct cmd_ctx *ctx, const char *spec, char **cause)
{
	struct strbuf		 cmd = STRBUF_INIT;
	struct guildfile	*gf;
	char			*abs, *dir, *base, *mod;
	size_t			 len = strlen(spec);
	bool			 py;

	if (!path_is_file(spec))
		return NULL;
	py = len > 3 && strcmp(spec + len - 3, ".py") == 0;
	/* guild.yml's own operation of that name wins; its errors too. */
	if (path_exists(GUILDFILE_NAME)) {
		char	*c = NULL;

		if (ctx->gf == NULL &&
		    (ctx->gf = guildfile_find(NULL, &c)) == NULL) {
			free(c);
			return NULL;
		}
		if (opspec_resolve(ctx->gf, spec, NULL) != NULL)
			return NULL;
	}
	abs = path_absolute(spec);
	base = strrchr(abs, '/') + 1;
	dir = xstrndup(abs, (size_t)(base - abs - 1));
	if (py) {
		mod = xstrndup(base, strlen(base) - 3);
		gf = one_op_guildfile(*dir != '\0' ? dir : "/", base, NULL, mod,
		    cause);
		free(mod);
	} else if (access(abs, X_OK) == 0) {
		shlex_quote(&cmd, abs);
		gf = one_op_guildfile(*dir != '\0' ? dir : "/", base, cmd.buf,
		    NULL, cause);
	} else {
		gf = NULL;
		set_cause(cause, "cannot run '%s': must be an executable file",
		    spec);
	}
	strbuf_release(&cmd);
	free(dir);
	free(abs);
	return gf;
}

/* The script operation of a run of one: DIR/guild.yml's op "x.py". */
struct guildfile *
run_script_at(struct cmd_ctx *ctx, const char *pkg_name, const char *op,
    char **cause)
{
	struct guildfile	*gf;
	const char		*slash = strrchr(pkg_name, '/');
	char			*dir, *script;

	if (slash == NULL || strchr(op, '/') != NULL)
		return NULL;
	dir = xstrndup(pkg_name, (size_t)(slash - pkg_name));
	script = path_join(*dir != '\0' ? dir : "/", op);
	gf = path_is_file(script) ? run_script_guildfile(ctx, script, cause) :
	    NULL;
	free(script);
	free(dir);
	return gf;
}


/* ---------------------------------------------------------------- */
/* Operations of installed packages. */

struct guildfile *
run_package_named(struct cmd_ctx *ctx, const char *name, char **cause)
{
	struct installed_pkg		*pkgs = NULL;
	const struct installed_pkg	*ip;
	struct guildfile		*gf = NULL;
	size_t				 n = 0;

	if (packages_installed(cli_home(ctx), &pkgs, &n, cause) == -1)
		return NULL;
	if ((ip = packages_find(pkgs, n, name)) == NULL)
		set_cause(cause, "cannot find package '%s' (guild packages "
		    "lists those installed)", name);
	else
		gf = package_guildfile(ip, cause);
	packages_free(pkgs, n);
	return gf;
}

/*
 * "PACKAGE/MODEL:OP" (or PACKAGE/OP): the installed package's guild.yml
 * (package.h) with *rest the spec within it; NULL without cause when spec
 * names no package (no '/', or a path that exists), NULL with cause when
 * the package is not installed.
 */
static struct guildfile *
run_package_guildfile(struct cmd_ctx *ctx, const char *spec,
    const char **rest, char **cause)
{
	const char		*slash = strchr(spec, '/');
	struct guildfile	*gf;
	char			*name;

	if (slash == NULL || slash == spec || path_exists(spec))
		return NULL;
	name = xstrndup(spec, (size_t)(slash - spec));
	gf = run_package_named(ctx, name, cause);
	free(name);
	*rest = slash + 1;
	return gf;
}

/* One "NAME: VALUE" line of --test-flags ("NAME:" for no value). */
static void
test_flags_line(int indent, const char *name, const struct value *v,
    const char *s)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addf(&sb, "%*s%s:", indent, "", name);
	if (v != NULL) {
		strbuf_addch(&sb, ' ');
		value_format_flag(&sb, v);
	} else if (s != NULL)
		strbuf_addf(&sb, " %s", s);
	printf("%s\n", cli_field(stdout, sb.buf));
	strbuf_release(&sb);
}

static int
run_test_flags(const struct opdef *op, const char *flags_dest)
{
	size_t	i, k;

	test_flags_line(0, "flags-dest", NULL, flags_dest);
	test_flags_line(0, "flags-import", op->flags_import, NULL);
	printf("flags:\n");
	for (i = 0; i < op->nflags; i++) {
		const struct flagdef	*f = op->flags[i];
		struct value		*choices = value_list();

		printf("  %s:\n", cli_field(stdout, f->name));
		test_flags_line(4, "default", f->default_value, NULL);
		test_flags_line(4, "type", NULL, f->type == FLAG_TYPE_AUTO ?
		    NULL : flag_type_name(f->type));
		test_flags_line(4, "required", NULL, f->required ? "yes" : "no");
		test_flags_line(4, "arg-name", NULL, f->arg_name);
		test_flags_line(4, "arg-skip", NULL, f->arg_skip ? "yes" : NULL);
		test_flags_line(4, "arg-switch", f->arg_switch, NULL);
		test_flags_line(4, "arg-split", NULL, f->arg_split);
		test_flags_line(4, "arg-encoding", f->arg_encoding, NULL);
		test_flags_line(4, "env-name", NULL, f->env_name);
		test_flags_line(4, "env-encoding", f->env_encoding, NULL);
		for (k = 0; k < f->nchoices; k++)
			value_list_push(choices, value_dup(f->choices[k].value));
		test_flags_line(4, "choices", choices, NULL);
		value_free(choices);
		test_flags_line(4, "allow-other", NULL, f->allow_other ? "yes" :
		    "no");
		test_flags_line(4, "distribution", NULL, f->distribution);
		test_flags_line(4, "max", f->max, NULL);
		test_flags_line(4, "min", f->min, NULL);
		test_flags_line(4, "null-label", NULL, f->null_label);
	}
	return 0;
}

/*
 * A path of the source tree as Guild shows it: relative to the current
 * directory when the tree is in it, else absolute.
 */
static char *
test_sourcecode_path(const char *root, const char *rel)
{
	char	*cwd = getcwd(NULL, 0), *out;
	size_t	 n = cwd != NULL ? strlen(cwd) : 0;

	if (cwd != NULL && strcmp(root, cwd) == 0)
		out = xstrdup(rel);
	else if (cwd != NULL && strncmp(root, cwd, n) == 0 && root[n] == '/')
		out = *rel != '\0' ? xasprintf("%s/%s", root + n + 1, rel) :
		    xstrdup(root + n + 1);
	else
		out = *rel != '\0' ? xasprintf("%s/%s", root, rel) :
		    xstrdup(root);
	free(cwd);
	return out;
}

int
run_test_sourcecode(const struct opdef *op)
{
	struct sourcecode_test	 t;
	char			*cause = NULL, *p;
	size_t			 i;

	/* A pipeline copies no source of its own (its steps do). */
	if (op->nsteps > 0 && op->main == NULL && op->exec == NULL) {
		printf("Copying from the current directory\nRules:\n"
		    "Source code copy disabled\n");
		return 0;
	}
	if (sourcecode_test(opdef_dir(op), &op->model->sourcecode,
	    &op->sourcecode, &t, &cause) == -1)
		return cli_error_cause(cause);
	p = test_sourcecode_path(t.root, "");
	if (*p == '\0')
		printf("Copying from the current directory\n");
	else
		printf("Copying from '%s'\n", cli_field(stdout, p));
	free(p);
	printf("Rules:\n");
	for (i = 0; i < t.rules.n; i++)
		printf("  %s\n", cli_field(stdout, t.rules.v[i]));
	if (t.disabled)
		printf("Source code copy disabled\n");
	else {
		printf("Selected for copy:\n");
		for (i = 0; i < t.selected.n; i++) {
			p = test_sourcecode_path(t.root, t.selected.v[i]);
			printf("  %s\n", cli_field(stdout, p));
			free(p);
		}
		printf("Skipped:\n");
		for (i = 0; i < t.skipped.n; i++) {
			p = test_sourcecode_path(t.root, t.skipped.v[i]);
			printf("  %s\n", cli_field(stdout, p));
			free(p);
		}
	}
	sourcecode_test_clear(&t);
	return 0;
}

/* --debug (or guild --debug): Guild's debug log lines, on stderr. */
static bool	run_debug;

void
run_debug_set(bool on)
{
	run_debug = on;
}

void
run_debug_log(const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;

	if (!run_debug)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fprintf(stderr, "DEBUG: [guild] %s\n", cli_text(stderr, sb.buf));
	strbuf_release(&sb);
}

/* A string as Python's repr() writes it (Guild logs lists that way). */
static void
py_repr(struct strbuf *sb, const char *s)
{
	char	q = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ?
	    '"' : '\'';

	strbuf_addch(sb, q);
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == q)
			strbuf_addf(sb, "\\%c", *s);
		else if (*s == '\n')
			strbuf_addstr(sb, "\\n");
		else if (*s == '\t')
			strbuf_addstr(sb, "\\t");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			strbuf_addf(sb, "\\x%02x", (unsigned char)*s);
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, q);
}

void
run_debug_start(const struct run_plan *plan)
{
	struct strbuf	sb = STRBUF_INIT;
	const char	*env = getenv("DEBUG_ENV");
	size_t		i;

	if (!run_debug)
		return;
	run_debug_log("starting run %s in %s", plan->id, plan->run_dir);
	strbuf_addch(&sb, '[');
	for (i = 0; i < plan->argv.n; i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		py_repr(&sb, plan->argv.v[i]);
	}
	strbuf_addch(&sb, ']');
	run_debug_log("operation command: %s", sb.buf);
	if (env != NULL && strcmp(env, "1") == 0) {
		strbuf_reset(&sb);
		strbuf_addch(&sb, '{');
		for (i = 0; i < plan->env.n; i++) {
			const char	*eq = strchr(plan->env.v[i], '=');
			char		*name;

			if (eq == NULL)
				continue;
			name = xstrndup(plan->env.v[i],
			    (size_t)(eq - plan->env.v[i]));
			if (sb.len > 1)
				strbuf_addstr(&sb, ", ");
			py_repr(&sb, name);
			strbuf_addstr(&sb, ": ");
			py_repr(&sb, runner_env_secret(name, eq + 1) ? "***" :
			    eq + 1);
			free(name);
		}
		strbuf_addch(&sb, '}');
		run_debug_log("operation env: %s", sb.buf);
	}
	strbuf_release(&sb);
}

/* Staged with --run-dir: how to start it by hand, as Guild says. */
void
run_stage_dir_note(const struct run_plan *plan)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < plan->argv.n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ' ');
		shlex_quote(&sb, plan->argv.v[i]);
	}
	printf("%s staged in '%s'\nTo start the operation, use \"(cd '%s' "
	    "&& source .guild/ENV && %s)\"\n", cli_field(stdout,
	    plan->opname), cli_field(stdout, plan->run_dir),
	    cli_field(stdout, plan->run_dir), cli_field(stdout, sb.buf));
	strbuf_release(&sb);
}

/* ---------------------------------------------------------------- */
/* Options of guild run that need no state of cmd-run.c. */

/* --run-dir DIR, absolute (relative to where guild started: -C). */
char *
run_dir_arg(const struct cmd_args *a)
{
	const char	*d = cmd_arg_value(a, OPT_RUN_DIR);
	char		*rel, *abs;

	if (*d == '/')
		return path_absolute(d);
	rel = cli_start_dir() != NULL ? path_join(cli_start_dir(), d) :
	    xstrdup(d);
	abs = path_absolute(rel);
	free(rel);
	return abs;
}

/* --test-flags, with the flags-dest a run would get. */
int
run_test_flags_plan(const struct guild_home *home, const struct opdef *op)
{
	struct runner_spec	 spec;
	struct run_plan		 plan;
	struct value		*flags = NULL;
	int			 rc;

	memset(&spec, 0, sizeof spec);
	memset(&plan, 0, sizeof plan);
	if (flags_apply(op, NULL, true, &flags, NULL) == -1)
		flags = value_map();
	spec.home = home;
	spec.op = op;
	spec.flags = flags;
	if (runner_plan(&spec, &plan, NULL) == -1)
		memset(&plan, 0, sizeof plan);
	rc = run_test_flags(op, plan.flags_dest);
	run_plan_clear(&plan);
	value_free(flags);
	return rc;
}

/* --proto RUN with an operation of its own: the run, to read. */
int
run_proto_open(const struct guild_home *home, const char *spec,
    struct run **runp, char **idp)
{
	struct strvec	 ids = STRVEC_INIT;
	char		*cause = NULL, *path;

	if (runsel_list(home->runs, &ids, &cause) == -1 ||
	    (*idp = runsel_one(&ids, spec, &cause)) == NULL) {
		strvec_clear(&ids);
		return cli_error_cause(cause);
	}
	strvec_clear(&ids);
	path = run_dir_path(home->runs, *idp);
	*runp = run_open(path, &cause);
	free(path);
	if (*runp == NULL)
		return cli_error_cause(cause);
	return 0;
}

/*
 * -Fo FLAG=VAL: flags of the optimizer. Guild's error without one; the
 * optimizers guild has (grid, random) take no flags, so each is refused
 * as Guild refuses an unknown flag, unless --force-flags (then it is
 * accepted and has no effect). -1 after printing an error.
 */
int
run_opt_flags_check(const struct cmd_args *a, const struct opdef *op,
    enum batch_kind kind, const char *algo)
{
	const struct strvec	*fo = &a->values[OPT_OPT_FLAG];
	char			*name;
	size_t			 i;

	(void)op;
	if (fo->n == 0)
		return 0;
	if (kind == BATCH_NONE) {
		cli_error("invalid optimizer flag %s: no optimizer specified",
		    fo->v[0]);
		return -1;
	}
	for (i = 0; i < fo->n; i++) {
		if (strchr(fo->v[i], '=') == NULL) {
			cli_error("invalid argument '%s' - expected NAME=VAL",
			    fo->v[i]);
			return -1;
		}
	}
	if (cmd_arg_has(a, OPT_FORCE_FLAGS))
		return 0;
	name = xstrndup(fo->v[0], strcspn(fo->v[0], "="));
	cli_error("unsupported flag '%s'", name);
	fprintf(stderr, "Try 'guild run %s --help-op' for a list of flags or "
	    "use --force-flags to skip this check.\n",
	    kind == BATCH_RANDOM ? "skopt:random" : "+");
	free(name);
	(void)algo;
	return -1;
}

/*
 * Options that cannot go together, checked first as Guild's
 * _check_incompatible_options and _check_incompatible_with_restart do
 * (with their messages; Guild says --restart for --start too, one option
 * there). --break-on-error needs a terminal to debug in: not with a run
 * in the background. -1 after printing the error.
 */
int
run_options_check(const struct cmd_args *a)
{
	static const struct { int a, b; const char *msg; } incompatible[] = {
		{ OPT_NO_GPUS, OPT_GPUS, "--no-gpus and --gpus" },
		{ OPT_OPTIMIZE, OPT_OPTIMIZER, "--optimize and --optimizer" },
		{ OPT_PRINT_TRIALS, OPT_STAGE_TRIALS,
		    "--print-trials and --stage-trials" },
		{ OPT_STAGE, OPT_BACKGROUND, "--stage and --background" },
		{ OPT_STAGE, OPT_PIDFILE, "--stage and --pidfile" },
		{ OPT_BACKGROUND, OPT_BREAK_ON_ERROR,
		    "--background and --break-on-error" },
		{ OPT_PIDFILE, OPT_BREAK_ON_ERROR,
		    "--pidfile and --break-on-error" },
	};
	static const struct { int id; const char *desc; } with_restart[] = {
		{ OPT_HELP_OP, "--help-op" },
		{ OPT_OPTIMIZE, "--optimize" },
		{ OPT_OPTIMIZER, "--optimizer" },
		{ OPT_PROTO, "--proto" },
		{ OPT_RUN_DIR, "--run-dir" },
		{ OPT_TEST_SCALARS, "--test-output-scalars" },
		{ OPT_TEST_ATTRS, "--test-output-attrs" },
		{ OPT_TEST_SOURCECODE, "--test-sourcecode" },
		{ OPT_TEST_FLAGS, "--test-flags" },
	};
	const char	*desc = NULL;
	size_t		 i;

	for (i = 0; i < ARRAY_SIZE(incompatible); i++) {
		if (!cmd_arg_has(a, incompatible[i].a) ||
		    !cmd_arg_has(a, incompatible[i].b))
			continue;
		cli_error("%s cannot both be used", incompatible[i].msg);
		fprintf(stderr, "Try 'guild run --help' for more information.\n");
		return -1;
	}
	if (!cmd_arg_has(a, OPT_RESTART) && !cmd_arg_has(a, OPT_START))
		return 0;
	/* An operation named before the flags (FLAG=VAL and @FILE are not). */
	if (a->pos.n > 0 && strchr(a->pos.v[0], '=') == NULL &&
	    a->pos.v[0][0] != '@')
		desc = "OPERATION";
	for (i = 0; desc == NULL && i < ARRAY_SIZE(with_restart); i++)
		if (cmd_arg_has(a, with_restart[i].id))
			desc = with_restart[i].desc;
	if (desc == NULL)
		return 0;
	cli_error("%s cannot be used with --restart", desc);
	fprintf(stderr, "Try 'guild run --help' for more information.\n");
	return -1;
}

int
run_opspec(struct cmd_ctx *ctx, const char *opspec, struct guildfile **own_gf,
    const struct opdef **op)
{
	struct guildfile	*gf;
	char			*cause = NULL;

	*own_gf = NULL;
	*op = NULL;
	if (opspec != NULL && (*own_gf = run_script_guildfile(ctx, opspec,
	    &cause)) != NULL) {
		gf = *own_gf;
		opspec = gf->models[0]->ops[0]->name;
	} else if (opspec != NULL && cause == NULL &&
	    (*own_gf = run_package_guildfile(ctx, opspec, &opspec,
	    &cause)) != NULL) {
		gf = *own_gf;	/* "gpkg.hello/hello:say" */
	} else if (cause != NULL)
		return cli_error_cause(cause);
	else if ((gf = cli_guildfile(ctx)) == NULL)
		return 1;
	if ((*op = opspec_resolve(gf, opspec != NULL ? opspec : "",
	    &cause)) == NULL)
		return cli_error_cause(cause);
	return 0;
}
