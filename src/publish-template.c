/*
 * publish-template.c: Jinja2 templates for guild publish, through
 * guild.publish_render (publish-template.h).
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "guildfile.h"
#include "proc.h"
#include "publish-template.h"
#include "run.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

extern char **environ;

static char *
dirname_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* The operation's "publish: template" and its project's directory. */
static char *
op_template(const char *opref, char **project_dir)
{
	struct opref		 ref;
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	const struct value	*t;
	char			*s = NULL;

	*project_dir = NULL;
	memset(&ref, 0, sizeof ref);
	if (opref == NULL || opref_parse(opref, &ref, NULL) == -1)
		return NULL;
	if (strcmp(ref.pkg_type, "guildfile") == 0) {
		*project_dir = dirname_of(ref.pkg_name);
		if ((gf = guildfile_load(ref.pkg_name, NULL)) != NULL) {
			if ((m = guildfile_model(gf, ref.model)) != NULL &&
			    (op = modeldef_op(m, ref.op)) != NULL &&
			    op->publish != NULL &&
			    (t = value_map_get(op->publish, "template")) !=
			    NULL && t->type == VALUE_STRING)
				s = xstrdup(t->u.s);
			guildfile_free(gf);
		}
	}
	opref_clear(&ref);
	return s;
}

int
publish_template_find(const char *spec, const char *opref, char **dirp,
    char **cause)
{
	char	*own, *project, *path;
	int	 rc = 0;

	*dirp = NULL;
	own = op_template(opref, &project);
	if (spec == NULL)
		spec = own != NULL ? own : "default";
	if ((*spec == '.' || *spec == '/') && path_exists(spec))
		*dirp = xstrdup(spec);
	else if (strcmp(spec, "default") == 0)
		;
	else if (project != NULL && path_exists(path = path_join(project,
	    spec)))
		*dirp = path;
	else {
		if (project != NULL)
			free(path);
		rc = set_cause(cause, "cannot find template %s", spec);
	}
	free(own);
	free(project);
	return rc;
}

struct helper_out {
	struct strbuf	err;
};

static void
helper_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct helper_out	*h = arg;

	(void)p;
	(void)stream;
	strbuf_add(&h->err, buf, len);
}

/* python -m guild.publish_render WHAT TEMPLATE DEST < json. */
static int
run_helper(const char *what, const char *template, const char *dest,
    const struct strbuf *json, char **cause)
{
	struct strvec		 argv = STRVEC_INIT, env = STRVEC_INIT;
	struct proc_spec	 spec;
	struct proc_hooks	 hooks = { .on_data = helper_data };
	struct helper_out	 h;
	char			*python = runner_python_exe(), *pp, **e;
	int			 code = 0, rc;

	strbuf_init(&h.err);
	strvec_push(&argv, python);
	strvec_push(&argv, "-m");
	strvec_push(&argv, "guild.publish_render");
	strvec_push(&argv, what);
	strvec_push(&argv, template);
	strvec_push(&argv, dest);
	for (e = environ; *e != NULL; e++)
		strvec_push(&env, *e);
	pp = runner_python_path(NULL);
	strvec_setenv(&env, "PYTHONPATH", pp);
	free(pp);
	memset(&spec, 0, sizeof spec);
	spec.argv = (const char *const *)argv.v;
	spec.env = (const char *const *)env.v;
	spec.mode = PROC_PIPES;
	spec.merge_err = true;
	spec.input = json->buf;
	spec.input_len = json->len;
	rc = proc_run(&spec, &hooks, &h, &code, cause);
	strbuf_rtrim(&h.err);
	if (rc == 0 && code == 3)
		rc = set_cause(cause, "templates need Jinja2, which %s cannot "
		    "import (Debian: apt-get install python3-jinja2)", python);
	else if (rc == 0 && code != 0)
		rc = set_cause(cause, "%s", h.err.len > 0 ? h.err.buf :
		    "the template could not be rendered");
	free(python);
	strbuf_release(&h.err);
	strvec_clear(&argv);
	strvec_clear(&env);
	return rc;
}

/* A YAML file of dir as a value; null when it is missing or unreadable. */
static struct value *
read_yaml(const char *dir, const char *name)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v = NULL;
	char		*path = path_join(dir, name);

	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_ATTR_MAX,
	    &sb, NULL, NULL) == 0)
		v = yaml_parse_value(sb.buf, sb.len, NULL);
	free(path);
	strbuf_release(&sb);
	return v != NULL ? v : value_null();
}

int
publish_template_run(const char *template, const char *run_dest,
    char **cause)
{
	struct value	*vars = value_map();
	struct strbuf	 json = STRBUF_INIT;
	int		 rc;

	value_map_set(vars, "run", read_yaml(run_dest, "run.yml"));
	value_map_set(vars, "flags", read_yaml(run_dest, "flags.yml"));
	value_encode_json(&json, vars);
	value_free(vars);
	rc = run_helper("run", template, run_dest, &json, cause);
	strbuf_release(&json);
	return rc;
}

int
publish_template_index(const char *path, const char *dest,
    const struct value *runs, char **cause)
{
	struct strbuf	 json = STRBUF_INIT;
	char		*file;
	int		 rc;

	if (!path_exists(path))
		return set_cause(cause, "index template '%s' does not exist",
		    path);
	if (path_is_dir(path)) {
		file = path_join(path, "README.md");
		if (!path_exists(file)) {
			free(file);
			return set_cause(cause, "index template '%s' is "
			    "missing README.md", path);
		}
	} else
		file = xstrdup(path);
	value_encode_json(&json, runs);
	rc = run_helper("index", file, dest, &json, cause);
	free(file);
	strbuf_release(&json);
	return rc;
}
