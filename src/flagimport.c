/*
 * flagimport.c: an operation's flags imported from its Python main
 * module, as Guild AI 0.9 does (see flagimport.h).
 */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "configflags.h"
#include "digest.h"
#include "flagimport.h"
#include "guildfile.h"
#include "home.h"
#include "proc.h"
#include "run.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

extern char **environ;

/* What flags-import asks for: all, none, or the names in want. */
enum import_what { IMPORT_NONE, IMPORT_ALL, IMPORT_NAMED };

static enum import_what
import_what(const struct opdef *op, struct strvec *want)
{
	const struct value	*fi = op->flags_import;
	size_t			 i;

	/* Not set: the flags guild.yml names get the script's details. */
	if (fi == NULL) {
		for (i = 0; i < op->nflags; i++)
			strvec_push(want, op->flags[i]->name);
		return want->n > 0 ? IMPORT_NAMED : IMPORT_NONE;
	}
	if (fi->type == VALUE_BOOL)
		return fi->u.b ? IMPORT_ALL : IMPORT_NONE;
	if (fi->type == VALUE_STRING) {
		strvec_push(want, fi->u.s);
		return IMPORT_NAMED;
	}
	if (fi->type != VALUE_LIST || fi->u.list.n == 0)
		return IMPORT_NONE;
	for (i = 0; i < fi->u.list.n; i++) {
		struct strbuf	sb = STRBUF_INIT;

		value_format_flag(&sb, fi->u.list.v[i]);
		strvec_push_nodup(want, strbuf_detach(&sb, NULL));
	}
	return IMPORT_NAMED;
}

/*
 * The script of a main: spec ("train", "pkg.train", "src/train ARGS"),
 * or NULL: not a file of the project, or one of Guild's own modules.
 */
static char *
main_script(const struct opdef *op, struct strvec *base_args)
{
	struct strvec	 words = STRVEC_INIT;
	char		*mod, *rel, *path, *p;
	size_t		 i;

	if (op->main == NULL || shlex_split(op->main, &words, NULL) == -1 ||
	    words.n == 0) {
		strvec_clear(&words);
		return NULL;
	}
	if (strncmp(words.v[0], "guild.", 6) == 0) {
		strvec_clear(&words);
		return NULL;
	}
	for (i = 1; i < words.n; i++)
		strvec_push(base_args, words.v[i]);
	mod = xstrdup(words.v[0]);
	strvec_clear(&words);
	if (strchr(mod, '/') == NULL) {
		for (p = mod; *p != '\0'; p++) {
			if (*p == '.')
				*p = '/';
		}
	}
	rel = xasprintf("%s.py", mod);
	free(mod);
	path = path_join(opdef_dir(op), rel);
	free(rel);
	if (!path_is_file(path)) {
		free(path);
		return NULL;
	}
	return path;
}

char *
flags_import_main_script(const struct opdef *op)
{
	struct strvec	 args = STRVEC_INIT;
	char		*script = main_script(op, &args);

	strvec_clear(&args);
	return script;
}

/* The cache file for script's content and base args. */
static char *
cache_path(const struct guild_home *home, const char *script,
    const struct strvec *base_args, char **cause)
{
	struct digest	*d = digest_new(DIGEST_SHA256);
	char		*hex, *dir, *path;
	size_t		 i;

	/* The version of what import_flags writes: a new one reads again. */
	digest_update(d, "import-flags 2", 15);
	if (digest_update_file(d, script, cause) == -1) {
		digest_free(d);
		return NULL;
	}
	for (i = 0; i < base_args->n; i++)
		digest_update(d, base_args->v[i], strlen(base_args->v[i]) + 1);
	hex = digest_end(d);
	dir = path_join(home->cache, "import-flags");
	path = xasprintf("%s/%s.json", dir, hex);
	free(dir);
	free(hex);
	return path;
}

/* Run guild.import_flags on script, writing out. 0, or -1 with cause. */
static int
run_import(const char *script, const struct strvec *base_args,
    const char *out, const char *project_dir, char **cause)
{
	struct strvec		 argv = STRVEC_INIT, env = STRVEC_INIT;
	struct proc_spec	 spec;
	char			*python = runner_python_exe(), *pp;
	char			**e;
	int			 code = 0, rc;

	strvec_push(&argv, python);
	strvec_push(&argv, "-m");
	strvec_push(&argv, "guild.import_flags");
	strvec_push(&argv, script);
	strvec_push(&argv, out);
	strvec_pushv(&argv, (const char *const *)base_args->v);
	for (e = environ; *e != NULL; e++)
		strvec_push(&env, *e);
	pp = runner_python_path(project_dir);
	strvec_setenv(&env, "PYTHONPATH", pp);
	free(pp);
	memset(&spec, 0, sizeof spec);
	spec.argv = (const char *const *)argv.v;
	spec.env = (const char *const *)env.v;
	spec.cwd = project_dir;
	spec.mode = PROC_PIPES;
	rc = proc_run(&spec, NULL, NULL, &code, cause);
	if (rc == 0 && code != 0)
		rc = set_cause(cause, "cannot import flags from %s: %s exited "
		    "with status %d", script, python, code);
	free(python);
	strvec_clear(&argv);
	strvec_clear(&env);
	return rc;
}

static enum flag_type
type_of(const struct value *t)
{
	static const struct { const char *name; enum flag_type type; } types[] = {
		{ "string", FLAG_TYPE_STRING }, { "int", FLAG_TYPE_INT },
		{ "float", FLAG_TYPE_FLOAT }, { "number", FLAG_TYPE_NUMBER },
		{ "boolean", FLAG_TYPE_BOOLEAN },
	};
	size_t	i;

	for (i = 0; t != NULL && t->type == VALUE_STRING &&
	    i < ARRAY_SIZE(types); i++) {
		if (strcmp(t->u.s, types[i].name) == 0)
			return types[i].type;
	}
	return FLAG_TYPE_AUTO;
}

static char *
string_of(const struct value *v)
{
	return v != NULL && v->type == VALUE_STRING ? xstrdup(v->u.s) : NULL;
}

/*
 * Imported attrs into flag f, where guild.yml did not set them: guild.yml
 * wins, the script fills in.
 */
static void
merge_flag(struct flagdef *f, const struct value *a)
{
	const struct value	*v, *c;
	size_t			 i;

	if (f->default_value == NULL &&
	    (v = value_map_get(a, "default")) != NULL)
		f->default_value = value_dup(v);
	if (f->description == NULL)
		f->description = string_of(value_map_get(a, "description"));
	if (f->type == FLAG_TYPE_AUTO)
		f->type = type_of(value_map_get(a, "type"));
	if (!f->required && (v = value_map_get(a, "required")) != NULL &&
	    v->type == VALUE_BOOL)
		f->required = v->u.b;
	if (f->arg_switch == NULL && (v = value_map_get(a, "arg-switch")) !=
	    NULL)
		f->arg_switch = value_dup(v);
	if (f->arg_name == NULL)
		f->arg_name = string_of(value_map_get(a, "arg-name"));
	if (f->arg_split == NULL && (v = value_map_get(a, "arg-split")) !=
	    NULL && v->type == VALUE_BOOL && v->u.b)
		f->arg_split = xstrdup("shlex");
	if (f->nchoices == 0 && (c = value_map_get(a, "choices")) != NULL &&
	    c->type == VALUE_LIST && c->u.list.n > 0) {
		f->choices = xcalloc(c->u.list.n, sizeof *f->choices);
		for (i = 0; i < c->u.list.n; i++)
			f->choices[i].value = value_dup(c->u.list.v[i]);
		f->nchoices = c->u.list.n;
	}
}

/* The flags of data (import_flags' JSON) into op. */
static void
merge_flags(struct opdef *op, const struct value *data,
    enum import_what what, const struct strvec *want)
{
	const struct value	*flags = value_map_get(data, "flags");
	const char		*dest = op->flags_dest, *param = NULL;
	struct flagdef		*f;
	size_t			 i;

	/*
	 * flags-dest global:NAME (dict:NAME, namespace:NAME): Guild imports
	 * the keys of the module's dict or SimpleNamespace NAME instead.
	 */
	if (dest != NULL && str_starts_with(dest, "global:"))
		param = dest + 7;
	else if (dest != NULL && str_starts_with(dest, "dict:"))
		param = dest + 5;
	else if (dest != NULL && str_starts_with(dest, "namespace:"))
		param = dest + 10;
	if (param != NULL)
		flags = value_map_get(value_map_get(data, "params"), param);
	if (flags == NULL || flags->type != VALUE_MAP)
		return;
	for (i = 0; i < flags->u.map.n; i++) {
		const char	*name = flags->u.map.k[i];

		if (flags->u.map.v[i]->type != VALUE_MAP ||
		    (what == IMPORT_NAMED && strvec_find(want, name) < 0) ||
		    strvec_find(&op->flags_import_skip, name) >= 0)
			continue;
		if ((f = opdef_flag(op, name)) == NULL) {
			f = xcalloc(1, sizeof *f);
			f->name = xstrdup(name);
			op->flags = xreallocarray(op->flags, op->nflags + 1,
			    sizeof *op->flags);
			op->flags[op->nflags++] = f;
		}
		merge_flag(f, flags->u.map.v[i]);
	}
}

/* flags-dest: config:FILE: the flags are the project's FILE's keys. */
static int
import_config(struct opdef *op, enum import_what what,
    const struct strvec *want, char **cause)
{
	struct value	*config, *flat, *data, *flags;
	char		*path;
	size_t		 i;

	path = path_join(opdef_dir(op), config_flags_file(op->flags_dest));
	if (!path_exists(path)) {
		free(path);
		return 0;
	}
	config = config_flags_read(path, cause);
	free(path);
	if (config == NULL)
		return -1;
	flat = config_flags_flatten(config);
	value_free(config);
	flags = value_map();
	for (i = 0; i < flat->u.map.n; i++) {
		struct value	*attrs = value_map();
		const struct value *v = flat->u.map.v[i];

		/*
		 * Guild's flag_data_for_val: a list is the string of its
		 * items, YAML-encoded and shell-quoted, split when used.
		 */
		if (v->type == VALUE_LIST) {
			struct strbuf	 s = STRBUF_INIT, item = STRBUF_INIT;
			size_t		 j;

			for (j = 0; j < v->u.list.n; j++) {
				strbuf_reset(&item);
				value_encode_flow(&item, v->u.list.v[j]);
				if (j > 0)
					strbuf_addch(&s, ' ');
				shlex_quote(&s, item.buf);
			}
			value_map_set(attrs, "default",
			    value_string(s.buf));
			value_map_set(attrs, "arg-split", value_bool(true));
			strbuf_release(&s);
			strbuf_release(&item);
		} else
			value_map_set(attrs, "default", value_dup(v));
		value_map_set(flags, flat->u.map.k[i], attrs);
	}
	value_free(flat);
	data = value_map();
	value_map_set(data, "flags", flags);
	merge_flags(op, data, what, want);
	value_free(data);
	return 0;
}

bool
flags_import_pending(const struct guild_home *home, const struct opdef *op)
{
	struct strvec	 want = STRVEC_INIT, base_args = STRVEC_INIT;
	char		*script = NULL, *path = NULL;
	bool		 pending = false;

	if (op->flags_imported || import_what(op, &want) == IMPORT_NONE ||
	    config_flags_file(op->flags_dest) != NULL ||
	    (script = main_script(op, &base_args)) == NULL)
		goto out;
	path = cache_path(home, script, &base_args, NULL);
	pending = path != NULL && !path_is_file(path);
out:
	strvec_clear(&want);
	strvec_clear(&base_args);
	free(script);
	free(path);
	return pending;
}

int
flags_import_apply(const struct guild_home *home, struct opdef *op,
    char **cause)
{
	struct strvec	 want = STRVEC_INIT, base_args = STRVEC_INIT;
	enum import_what what;
	struct ynode	*root;
	struct value	*data;
	char		*script = NULL, *path = NULL, *tmp = NULL, *dir;
	int		 rc = 0;

	if (op->flags_imported || (what = import_what(op, &want)) == IMPORT_NONE)
		goto out;
	op->flags_imported = true;
	if (config_flags_file(op->flags_dest) != NULL) {
		rc = import_config(op, what, &want, cause);
		goto out;
	}
	if ((script = main_script(op, &base_args)) == NULL)
		goto out;
	if ((path = cache_path(home, script, &base_args, cause)) == NULL) {
		rc = -1;
		goto out;
	}
	if (!path_is_file(path)) {
		dir = path_join(home->cache, "import-flags");
		if (mkdir_p(dir, 0777, cause) == -1) {
			free(dir);
			rc = -1;
			goto out;
		}
		free(dir);
		tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
		if (run_import(script, &base_args, tmp, opdef_dir(op),
		    cause) == -1 || rename(tmp, path) == -1) {
			if (cause != NULL && *cause == NULL)
				set_cause(cause, "%s: %s", path,
				    strerror(errno));
			unlink(tmp);
			rc = -1;
			goto out;
		}
	}
	if ((root = ynode_parse_file(path, path, cause)) == NULL) {
		rc = -1;
		goto out;
	}
	data = ynode_to_value(root);
	ynode_free(root);
	merge_flags(op, data, what, &want);
	value_free(data);
out:
	strvec_clear(&want);
	strvec_clear(&base_args);
	free(script);
	free(path);
	free(tmp);
	return rc;
}
