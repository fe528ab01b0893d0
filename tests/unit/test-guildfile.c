/* test-guildfile.c: loading guild.yml (fixtures in tests/unit/guildfiles). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guildfile.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

static struct strvec	warnings = STRVEC_INIT;

static void
collect_warning(const char *msg, void *arg)
{
	(void)arg;
	strvec_push(&warnings, msg);
}

static struct guildfile *
load(const char *name)
{
	struct guildfile	*gf;
	char			*cause = NULL;

	gf = guildfile_load(name, &cause);
	if (gf == NULL) {
		diag("loading %s: %s", name, cause);
		free(cause);
	}
	return gf;
}

/*
 * The error loading name, or else the first operation's that could not
 * be read (only it fails, as in Guild AI 0.9; opspec_resolve says so),
 * or "(loaded)". The result is static.
 */
static const char *
error_of(const char *name)
{
	static char		*last;
	struct guildfile	*gf;
	struct opdef		*op;
	char			*cause = NULL, *spec, *why = NULL;
	size_t			 i, j;

	free(last);
	last = NULL;
	gf = guildfile_load(name, &cause);
	for (i = 0; gf != NULL && last == NULL && i < gf->nmodels; i++)
		for (j = 0; last == NULL && j < gf->models[i]->nops; j++) {
			op = gf->models[i]->ops[j];
			if (op->error == NULL)
				continue;
			spec = opdef_fullname(op);
			if (opspec_resolve(gf, spec, &why) == NULL &&
			    why != NULL && strcmp(why, op->error) == 0)
				last = xstrdup(op->error);
			else
				last = xstrdup("(op error not reported)");
			free(why);
			free(spec);
		}
	guildfile_free(gf);
	if (last == NULL)
		last = cause != NULL ? cause : xstrdup("(loaded)");
	else
		free(cause);
	return last;
}

/* A value in flow style, for comparing. The result is static. */
static const char *
flow(const struct value *v)
{
	static struct strbuf	sb = STRBUF_INIT;

	strbuf_reset(&sb);
	if (v == NULL)
		return "(none)";
	value_encode_flow(&sb, v);
	return sb.buf;
}

static const char *
resolve(const struct guildfile *gf, const char *spec)
{
	static char	*last;
	struct opdef	*op;
	char		*cause = NULL;

	free(last);
	op = opspec_resolve(gf, spec, &cause);
	if (op == NULL)
		last = cause;
	else {
		last = opdef_fullname(op);
		free(cause);
	}
	return last;
}

static void
test_walkthrough(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	struct resdef		*res;

	gf = load("walkthrough.yml");
	ok(gf != NULL, "walkthrough: the single-model form loads");
	if (gf == NULL)
		return;
	ok(gf->path[0] == '/' && str_ends_with(gf->path,
	    "/guildfiles/walkthrough.yml"), "path is absolute");
	ok(str_ends_with(gf->dir, "/guildfiles"), "dir is the file's");
	is_int((long long)gf->nmodels, 1, "one model");
	m = guildfile_default_model(gf);
	ok(m == gf->models[0], "the only model is the default");
	is_str(m->name, "fashion", "model name");
	is_str(m->description, "Basic fashion MNIST image classifier.",
	    "model description");
	is_int((long long)m->nops, 2, "two operations");
	is_str(m->ops[0]->name, "train", "guild.yml order: train first");
	is_str(m->ops[1]->name, "predict", "then predict");
	op = modeldef_op(m, "train");
	is_str(op->description, "Train classifier from scratch.",
	    "op description");
	is_str(op->main, "train", "op main");
	is_int(op->line, 4, "op line");
	ok(op->model == m, "op knows its model");
	ok(m->gf == gf, "model knows its guildfile");
	op = modeldef_op(m, "predict");
	is_int((long long)op->nrequires, 1, "predict requires one resource");
	is_str(op->requires[0]->resource_ref, "trained-model",
	    "by reference");
	ok(modeldef_default_op(m) == NULL, "two public ops: no default op");
	res = modeldef_resource(m, "trained-model");
	ok(res != NULL, "the resource is there");
	is_str(res->target_path, "model", "path is target-path");
	is_int((long long)res->nsources, 1, "one source");
	is_int(res->sources[0]->kind, SOURCE_OPERATION, "operation source");
	is_str(res->sources[0]->uri, "train", "source uri");
	is_str(res->sources[0]->name, "operation:train", "source name");
	ok(res->sources[0]->unpack && res->sources[0]->warn_if_empty,
	    "source defaults");
	ok(op->output_scalars.mode == CAPTURE_DEFAULT, "default scalars");
	ok(!op->sourcecode.set, "no sourcecode attribute");

	is_str(resolve(gf, "train"), "fashion:train", "resolve OP");
	is_str(resolve(gf, "fashion:predict"), "fashion:predict",
	    "resolve MODEL:OP");
	is_str(resolve(gf, "fash:train"), "fashion:train",
	    "model by unique substring");
	is_str(resolve(gf, "trian"), "cannot find operation 'trian'\n"
	    "Operations: fashion:predict, fashion:train",
	    "unknown op lists what exists");
	is_str(resolve(gf, ""), "cannot find a default operation\n"
	    "Operations: fashion:predict, fashion:train", "no default op");
	is_str(resolve(gf, "x:train"), "cannot find model 'x'\n"
	    "Models: fashion", "unknown model");
	is_str(resolve(gf, "fashion:nope"), "cannot find operation "
	    "'fashion:nope'\nOperations: fashion:predict, fashion:train",
	    "unknown op of a model");
	guildfile_free(gf);
}

static void
test_find(void)
{
	struct guildfile	*gf;
	char			*cause = NULL;

	gf = guildfile_find("project", &cause);
	ok(gf != NULL, "guildfile_find loads DIR/guild.yml");
	if (gf != NULL) {
		ok(str_ends_with(gf->path, "/project/guild.yml"),
		    "absolute path to guild.yml");
		ok(str_ends_with(gf->dir, "/project"), "project dir");
		is_str(gf->models[0]->name, "fashion", "the model");
		is_int((long long)gf->models[0]->nops, 0, "no operations yet");
		is_str(resolve(gf, ""), "cannot find a default operation "
		    "(no operations defined)", "nothing to run");
	}
	guildfile_free(gf);
	gf = guildfile_find("included", &cause);
	ok(gf == NULL, "no guild.yml is an error");
	is_str(cause, "no guild.yml in included (run guild inside a project "
	    "directory or use -C DIR)", "naming the directory");
	free(cause);
}

static void
test_anonymous(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	struct flagdef		*f;

	gf = load("anonymous.yml");
	ok(gf != NULL, "a map of operations loads");
	if (gf == NULL)
		return;
	is_int((long long)gf->nmodels, 1, "one model");
	m = gf->models[0];
	is_str(m->name, "", "the anonymous model");
	is_int((long long)m->nops, 3, "three operations");
	is_str(m->ops[0]->main, "train", "a string op is its main");
	op = modeldef_op(m, "prepare");
	is_str(op->main, "prepare --fast", "main with args");
	is_int((long long)op->nflags, 2, "two flags");
	f = opdef_flag(op, "lr");
	is_str(flow(f->default_value), "0.1", "scalar flag = default");
	is_int(f->type, FLAG_TYPE_AUTO, "no type");
	is_str(f->description, "", "no description is empty");
	f = opdef_flag(op, "epochs");
	is_str(flow(f->default_value), "10", "map flag default");
	is_int(f->type, FLAG_TYPE_INT, "int type");
	is_str(flag_type_name(f->type), "int", "type name");
	ok(opdef_flag(op, "nope") == NULL, "missing flag is NULL");
	op = modeldef_op(m, "_helper");
	ok(op != NULL && op->main == NULL, "{} op has no main");
	is_str(resolve(gf, "train"), "train", "anonymous ops have no prefix");
	is_str(resolve(gf, ""), "cannot find a default operation\n"
	    "Operations: _helper, prepare, train",
	    "two public ops: no default");
	guildfile_free(gf);
}

static void
test_list(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;

	gf = load("list.yml");
	ok(gf != NULL, "a list of items loads");
	if (gf == NULL)
		return;
	is_int((long long)gf->nmodels, 3, "models only (no config, package)");
	is_str(gf->models[0]->description, "Model A", "description stripped");
	m = guildfile_default_model(gf);
	ok(m != NULL && strcmp(m->name, "b") == 0, "default: yes model");
	is_str(gf->models[2]->name, "", "item with operations only");
	ok(guildfile_model(gf, "shared") == NULL, "configs are not models");
	is_str(resolve(gf, ""), "b:train", "default op of default model");
	is_str(resolve(gf, "train"), "b:train", "default model wins");
	is_str(resolve(gf, "a:"), "model 'a' has no default operation\n"
	    "Operations: a:eval, a:train, b:train, solo", "MODEL: with no default");
	is_str(resolve(gf, "eval"), "a:eval", "op unique across models");
	is_str(resolve(gf, "b"), "b:train", "a model name: its default op");
	is_str(resolve(gf, "solo"), "solo", "anonymous model op");
	is_str(resolve(gf, ":solo"), "solo", "anonymous model by ':'");
	guildfile_free(gf);
}

static void
test_extends(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;

	gf = load("extends.yml");
	ok(gf != NULL, "extends loads");
	if (gf == NULL)
		return;
	is_int((long long)gf->nmodels, 2, "two models");
	m = guildfile_model(gf, "child");
	is_str(m->description, "Base description", "description inherited");
	is_int((long long)m->extends.n, 1, "extends as written");
	is_str(m->extends.v[0], "mid", "extends names");
	is_int((long long)m->nops, 3, "own and inherited ops");
	op = modeldef_op(m, "train");
	is_str(op->main, "child_train", "child params win in parent data");
	is_str(flow(opdef_flag(op, "batch")->default_value), "64",
	    "the nearer parent wins");
	is_str(flow(opdef_flag(op, "lr")->default_value), "0.1",
	    "maps merge recursively");
	ok(modeldef_op(m, "eval") != NULL, "grandparent op");
	ok(modeldef_op(m, "test") != NULL, "own op");
	is_str(flow(m->extra), "{a: 1, b: 2, nested: {x: 1, y: 3}}",
	    "extra merged recursively, child wins");
	is_int((long long)m->nresources, 1, "resources inherited");
	m = guildfile_model(gf, "other");
	is_str(m->description, "Other model", "own description wins");
	is_str(modeldef_op(m, "train")->main, "base_train",
	    "parent params apply");
	guildfile_free(gf);

	is_str(error_of("err-extends-cycle.yml"), "err-extends-cycle.yml:4:12: "
	    "cycle in 'extends' (m -> a -> c -> b -> a)", "extends cycle");
	is_str(error_of("err-extends-undefined.yml"),
	    "err-extends-undefined.yml:2:12: undefined model or config "
	    "'nowhere'", "unknown parent");
}

static void
test_params(void)
{
	struct guildfile	*gf;
	struct opdef		*op;

	gf = load("params.yml");
	ok(gf != NULL, "params load");
	if (gf == NULL)
		return;
	op = modeldef_op(guildfile_model(gf, "m"), "train");
	is_str(op->main, "train --greet hello world",
	    "params inside text, resolved through other params");
	is_str(op->description, "hello world! with lr=0.01",
	    "chained params; numbers as text");
	is_str(flow(opdef_flag(op, "lr")->default_value), "0.01",
	    "a whole reference keeps the type (float)");
	is_str(flow(opdef_flag(op, "layers")->default_value), "[32, 64]",
	    "a whole reference keeps the type (list)");
	is_str(flow(opdef_flag(op, "unknown")->default_value), "'{{ nope }}'",
	    "unknown params are left alone");
	op = modeldef_op(guildfile_model(gf, "n"), "op");
	is_str(flow(opdef_flag(op, "on")->default_value), "true",
	    "params inherited through extends");
	is_str(flow(opdef_flag(op, "lr")->default_value), "0.5",
	    "{{name}} without spaces");
	guildfile_free(gf);
}

static void
test_include(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;

	gf = load("include.yml");
	ok(gf != NULL, "include: loads");
	if (gf == NULL)
		return;
	is_int((long long)gf->nmodels, 3, "models from three files");
	is_str(gf->models[0]->name, "from-include", "included items first");
	is_str(gf->models[1]->name, "main", "in place");
	is_str(gf->models[2]->name, "more", "include as a list");
	m = guildfile_model(gf, "main");
	ok(modeldef_op(m, "prepare") != NULL,
	    "extends a config from an included file");
	guildfile_free(gf);

	is_str(error_of("err-include-file.yml"), "err-include-file.yml:2:12: "
	    "cannot find include 'no-such-file.yml' (includes are relative to "
	    "the including file, or installed packages)", "missing include file");
	is_str(error_of("err-in-include.yml"), "included/bad.yml:4:18: invalid "
	    "value 'perhaps' for 'stoppable': expected yes or no",
	    "errors name the included file");
	is_str(error_of("err-include-cycle-a.yml"),
	    "err-include-cycle-b.yml:1:12: cycle in 'includes' "
	    "(err-include-cycle-a.yml -> err-include-cycle-b.yml -> "
	    "err-include-cycle-a.yml)", "include cycle");
}

/* A package finder over pkgs/ (the Python path of the test). */
static char *
find_pkg(const char *pkg, void *arg)
{
	char	*rel, *p, *path;

	(void)arg;
	rel = xstrdup(pkg);
	for (p = rel; *p != '\0'; p++)
		*p = *p == '.' ? '/' : *p;
	path = xasprintf("pkgs/%s/guild.yml", rel);
	free(rel);
	if (access(path, F_OK) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

static void
test_pkg_extends(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	char			*pkgdir;

	is_str(error_of("pkg-extends.yml"), "pkg-extends.yml:2:12: cannot find "
	    "Guild file for package 'gpkg.base' (guild packages lists those "
	    "installed)", "no finder: no package");
	guildfile_set_pkg_finder(find_pkg, NULL);
	gf = load("pkg-extends.yml");
	ok(gf != NULL, "extends: PKG/MODEL loads");
	if (gf == NULL) {
		guildfile_set_pkg_finder(NULL, NULL);
		return;
	}
	pkgdir = path_absolute("pkgs/gpkg/base");
	m = guildfile_model(gf, "mine");
	is_int((long long)m->nops, 2, "the package's operations");
	is_str(m->description, "Base of the package", "its description");
	is_int((long long)m->parents.n, 1, "one parent");
	is_str(m->parents.n ? m->parents.v[0] : "", pkgdir, "the package's dir");
	op = modeldef_op(m, "train");
	is_str(op->dir, pkgdir, "an inherited operation's files: the package's");
	ok(opdef_flag(op, "lr") != NULL && opdef_flag(op, "epochs") != NULL,
	    "its $include of the package's config, and the project's flag");
	op = modeldef_op(m, "test");
	is_str(op->dir, gf->dir, "a redefined one's: the project's");
	ok(m->sourcecode.set && m->sourcecode.nrules > 0, "sourcecode inherited");
	m = guildfile_model(gf, "other");
	ok(modeldef_op(m, "prep") != NULL, "extends a config of a package");
	is_str(modeldef_op(m, "prep")->dir, pkgdir, "its operation's files");
	ok(opdef_flag(modeldef_op(m, "op"), "lr") != NULL,
	    "$include of a package's config in an own operation");
	is_str(modeldef_op(m, "op")->dir, gf->dir, "own operation: the project");
	free(pkgdir);
	guildfile_free(gf);
	guildfile_set_pkg_finder(NULL, NULL);
}

static void
test_dollar_include(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	struct flagdef		*f;

	gf = load("dollar-include.yml");
	ok(gf != NULL, "$include loads");
	if (gf == NULL)
		return;
	m = gf->models[0];
	is_int((long long)m->nops, 5, "ops included and own");
	is_str(m->ops[0]->name, "prepare", "included ops come first");
	is_int(m->ops[0]->line, 11, "with their own lines");
	op = modeldef_op(m, "train");
	is_int((long long)op->nflags, 3, "flags included");
	f = opdef_flag(op, "epochs");
	is_str(flow(f->default_value), "5", "local flag value wins");
	is_str(f->description, "Epochs", "included flag attrs kept");
	op = modeldef_op(m, "tune");
	is_int((long long)op->nflags, 2, "MODEL:OP#ATTRS takes some flags");
	is_str(op->flags[0]->name, "epochs", "the named one");
	is_str(flow(op->flags[0]->default_value), "5", "as written there");
	op = modeldef_op(m, "steps-op");
	is_str(flow(op->steps[0]->flags), "{epochs: 3, lr: 0.1}",
	    "$include in step flags, reduced to values");
	is_int((long long)m->nresources, 2, "resources included");
	is_str(m->resources[0]->name, "dataset", "included resource");
	guildfile_free(gf);

	is_str(error_of("err-include-target.yml"),
	    "err-include-target.yml:5:19: invalid include reference "
	    "'missing-config': cannot find target", "missing $include target");
}

static void
test_op_defaults(void)
{
	struct guildfile	*gf;
	struct opdef		*op;

	gf = load("op-defaults.yml");
	ok(gf != NULL, "operation-defaults load");
	if (gf == NULL)
		return;
	op = modeldef_op(gf->models[0], "train");
	is_str(op->label, "own-label", "an op's own attr wins");
	is_int(op->output_scalars.mode, CAPTURE_NONE, "default applied");
	ok(op->sourcecode.set && op->sourcecode.disabled,
	    "sourcecode: no applied");
	ok(opdef_flag(op, "seed") != NULL, "default flags for an op without");
	op = modeldef_op(gf->models[0], "eval");
	is_str(op->label, "default-label", "default label");
	ok(opdef_flag(op, "seed") == NULL && opdef_flag(op, "k") != NULL,
	    "own flags replace default flags");
	guildfile_free(gf);
}

static void
test_attrs(void)
{
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;
	struct flagdef		*f;
	struct resdef		*r;
	struct source		*s;
	struct opdep		*d;

	gf = load("attrs.yml");
	ok(gf != NULL, "every attribute loads");
	if (gf == NULL)
		return;
	m = gf->models[0];
	is_str(m->description, "Full model.", "block description stripped");
	ok(m->default_, "model default");
	is_str(m->python_requires, ">=3.8", "model python-requires");
	is_str(flow(m->references), "['https://example.com/paper']",
	    "references");
	is_str(flow(m->extra), "{owner: me}", "extra");
	ok(m->sourcecode.set && !m->sourcecode.disabled, "model sourcecode");
	is_int((long long)m->sourcecode.nrules, 3, "three rules");
	ok(!m->sourcecode.rules[0].include &&
	    strcmp(m->sourcecode.rules[0].patterns.v[0], "data") == 0,
	    "exclude rule");
	ok(m->sourcecode.rules[1].include &&
	    m->sourcecode.rules[1].match == SELECT_TEXT &&
	    m->sourcecode.rules[1].patterns.n == 2, "typed include rule");
	is_int(m->sourcecode.rules[2].match, SELECT_DIR, "dir rule");

	op = modeldef_op(m, "train");
	ok(modeldef_default_op(m) == op, "default op");
	is_str(op->flags_dest, "globals", "flags-dest");
	is_str(flow(op->flags_import), "[lr, batch]", "flags-import list");
	is_str(op->flags_import_skip.v[0], "debug", "flags-import-skip");
	is_str(flow(op->env), "{KEY: value, N: 3}", "env");
	is_str(op->env_secrets.v[0], "TOKEN", "env-secrets as a string");
	is_str(op->python_requires, ">=3.9", "python-requires");
	is_int((long long)op->python_path.n, 2, "python-path");
	ok(op->stoppable, "stoppable");
	is_str(op->label, "lr=${lr}", "label");
	is_int((long long)op->tags.n, 2, "tags");
	is_str(op->compare.v[1], "=lr", "compare");
	ok(op->handle_keyboard_interrupt, "handle-keyboard-interrupt");
	is_str(op->flag_encoder, "mod:encode", "flag-encoder");
	is_int(op->default_max_trials, 20, "default-max-trials");
	is_int(op->output_scalars.mode, CAPTURE_CUSTOM, "custom scalars");
	is_int((long long)op->output_scalars.nspecs, 2, "two patterns");
	is_str(op->output_scalars.specs[0].key, "loss", "map form key");
	is_str(op->output_scalars.specs[0].pattern, "loss: (\\value)",
	    "map form pattern");
	ok(op->output_scalars.specs[1].key == NULL, "string form: no key");
	is_int((long long)op->output_attrs.nspecs, 1, "output-attrs string");
	is_str(flow(op->objective), "loss", "objective");
	is_str(flow(op->optimizers), "gp", "optimizer");
	is_str(flow(op->publish), "{template: t}", "publish");
	ok(op->sourcecode.set && op->sourcecode.nrules == 2 &&
	    !op->sourcecode.digest, "sourcecode map: select, digest");
	is_str(op->sourcecode.root, "src", "sourcecode root");
	is_str(op->sourcecode.dest, "code", "sourcecode dest");
	ok(op->delete_on_success && op->can_stage_trials && !op->pip_freeze,
	    "delete-on-success, can-stage-trials, pip-freeze");
	is_str(flow(op->run_attrs), "{color: blue}", "run-attrs");
	ok(op->default_flag_arg_skip, "default-flag-arg-skip");

	is_int((long long)op->nrequires, 4, "four requirements");
	is_str(op->requires[0]->resource_ref, "dataset", "string ref");
	is_str(op->requires[1]->resource_ref, "other:res", "{resource: REF}");
	d = op->requires[2];
	ok(d->resource_ref == NULL && d->inline_res != NULL,
	    "a source map is an inline resource");
	ok(d->inline_res->name == NULL, "unnamed");
	is_int((long long)d->inline_res->nsources, 1, "with one source");
	s = d->inline_res->sources[0];
	is_int(s->kind, SOURCE_OPERATION, "operation source");
	is_str(s->select.v[0], "out/.*", "select");
	is_str(s->target_path, "prepared", "target-path");
	d = op->requires[3];
	is_str(d->inline_res->name, "inline", "inline resource with name");
	is_str(d->inline_res->sources[0]->sha256, "abc", "sha256");
	is_int(d->line, 60, "requirement line");

	is_int((long long)op->nflags, 8, "eight flags");
	f = opdef_flag(op, "lr");
	is_str(f->description, "Learning rate", "flag description");
	is_int(f->type, FLAG_TYPE_FLOAT, "float");
	ok(f->required, "required");
	is_str(f->alias, "learning-rate", "alias");
	is_str(f->arg_name, "learning_rate", "arg-name");
	is_str(flow(f->min), "0.0", "min");
	is_str(flow(f->max), "1", "max");
	is_str(f->distribution, "log-uniform", "distribution");
	is_int(f->line, 65, "flag line");
	f = opdef_flag(op, "mode");
	is_int((long long)f->nchoices, 2, "two choices");
	is_str(flow(f->choices[0].value), "fast", "plain choice");
	is_str(flow(f->choices[1].value), "slow", "map choice value");
	is_str(f->choices[1].description, "Slowly", "choice description");
	is_str(f->choices[1].alias, "s", "choice alias");
	is_str(flow(f->choices[1].flags), "{batch: 8}", "choice flags");
	ok(f->allow_other, "allow-other");
	is_str(f->null_label, "auto", "null-label");
	ok(f->default_value == NULL, "no default");
	f = opdef_flag(op, "debug");
	is_str(flow(f->arg_switch), "true", "arg-switch");
	ok(!f->arg_skip, "arg-skip");
	f = opdef_flag(op, "items");
	is_str(f->arg_split, "shlex", "arg-split: yes is shlex");
	f = opdef_flag(op, "csv");
	is_str(f->arg_split, ",", "arg-split delimiter");
	is_str(flow(f->arg_encoding), "{'no': '0', 'yes': '1'}",
	    "arg-encoding keys in flag format");
	is_str(flow(f->env_encoding), "{'''yes''': x}",
	    "quoted keys stay quoted");
	is_str(f->env_name, "MY_CSV", "env-name");
	ok(opdef_flag(op, "nothing")->default_value == NULL, "null flag");
	is_int(opdef_flag(op, "path")->type, FLAG_TYPE_EXISTING_PATH,
	    "existing-path");

	op = modeldef_op(m, "exec-op");
	is_str(op->exec, "bash -c 'echo ${flag_args}'", "exec");
	is_int(op->output_scalars.mode, CAPTURE_NONE, "output-scalars: no");
	ok(op->sourcecode.disabled, "sourcecode: no");
	op = modeldef_op(m, "nb");
	is_str(op->notebook, "nb.ipynb", "notebook");
	ok(op->sourcecode.nrules == 2 && !op->sourcecode.rules[0].include &&
	    op->sourcecode.rules[1].include, "sourcecode string");
	op = modeldef_op(m, "pipeline");
	is_int((long long)op->nsteps, 3, "three steps");
	is_str(op->steps[0]->run, "prepare", "string step");
	is_str(op->steps[1]->run, "train lr=0.1", "step run");
	is_str(op->steps[1]->name, "first", "step name");
	ok(!op->steps[1]->isolate_runs && op->steps[0]->isolate_runs,
	    "isolate-runs");
	is_str(flow(op->steps[1]->flags), "{batch: 16}", "step flags");
	is_str(flow(op->steps[1]->params), "{label: step-label, max-trials: 3}",
	    "other step params");
	is_str(flow(op->steps[2]->flags), "{batch: 4, lr: 0.2}",
	    "step flags as a list");
	op = modeldef_op(m, "opt2");
	is_str(flow(op->optimizers), "{gp: {}, random: {}}", "optimizers");

	r = modeldef_resource(m, "dataset");
	is_str(r->description, "The data", "resource description");
	is_str(r->target_path, "data", "resource target-path");
	is_str(r->target_type, "copy", "resource target-type");
	ok(!r->default_unpack && r->private_ && r->preserve_path,
	    "default-unpack, private, preserve-path");
	is_str(r->flag_name, "ds", "resource flag-name");
	is_int((long long)r->nsources, 5, "five sources");
	s = r->sources[0];
	ok(s->kind == SOURCE_FILE && strcmp(s->uri, "data.csv") == 0,
	    "a bare string is a file");
	ok(!s->unpack, "unpack follows default-unpack");
	s = r->sources[1];
	is_str(s->name, "arch", "source name");
	ok(s->unpack, "unpack: yes");
	is_int((long long)s->select.n, 2, "select list");
	is_str(s->select_min, "min-(.*)", "select-min");
	is_str(s->select_max, "max-(.*)", "select-max");
	ok(!s->warn_if_empty && s->optional && s->fail_if_empty,
	    "warn-if-empty, optional, fail-if-empty");
	is_str(s->rename_pattern, "a", "rename pattern");
	is_str(s->rename_repl, "b", "rename repl");
	is_str(s->help, "Some help", "help");
	is_str(s->post_process, "touch x", "post-process");
	is_str(s->target_path, "zipped", "path is target-path");
	is_str(s->target_type, "link", "target-type");
	ok(s->replace_existing && s->always_resolve && s->preserve_path,
	    "replace-existing, always-resolve, preserve-path");
	is_str(s->flag_name, "zip", "source flag-name");
	is_str(flow(s->params), "{k: v}", "params");
	s = r->sources[2];
	ok(s->kind == SOURCE_URL && strcmp(s->name, s->uri) == 0,
	    "a URL names itself");
	ok(strcmp(s->rename_pattern, "x") == 0 &&
	    strcmp(s->rename_repl, "y") == 0, "rename map");
	is_int(r->sources[3]->kind, SOURCE_MODULE, "module source");
	is_str(r->sources[3]->name, "module:numpy", "module name");
	is_int(r->sources[4]->kind, SOURCE_CONFIG, "config source");
	is_str(r->sources[4]->rename_pattern, ".*", "rename NAME");
	r = modeldef_resource(m, "listed");
	is_int((long long)r->nsources, 2, "a list is the sources");
	guildfile_free(gf);
}

static void
test_empty(void)
{
	struct guildfile	*gf;
	char			*cause = NULL;

	gf = load("empty.yml");
	ok(gf != NULL && gf->nmodels == 0, "an empty file has no models");
	if (gf != NULL)
		is_str(resolve(gf, ""), "cannot find a default operation "
		    "(no operations defined)", "and nothing to run");
	guildfile_free(gf);
	gf = load("comments.yml");
	ok(gf != NULL && gf->nmodels == 0, "comments only: no models");
	guildfile_free(gf);
	gf = guildfile_load_buf("~\n", 2, "buf.yml", "/nonexistent", &cause);
	ok(gf != NULL && gf->nmodels == 0, "null: no models");
	if (gf != NULL)
		is_str(gf->path, "/nonexistent/buf.yml", "buffer path");
	guildfile_free(gf);
}

/* One operation that cannot be read fails alone, when used (Guild 0.9). */
static void
test_broken_op(void)
{
	static const char	 yml[] =
	    "model: m\n"
	    "operations:\n"
	    "  good:\n"
	    "    exec: 'true'\n"
	    "  bad:\n"
	    "    description: Broken.\n"
	    "    stoppable: perhaps\n";
	struct guildfile	*gf;
	struct opdef		*op;
	char			*cause = NULL;

	gf = guildfile_load_buf(yml, sizeof yml - 1, "b.yml", "/nonexistent",
	    &cause);
	ok(gf != NULL && gf->nmodels == 1 && gf->models[0]->nops == 2,
	    "a file with a broken operation loads, both listed");
	if (gf == NULL) {
		free(cause);
		return;
	}
	ok(opspec_resolve(gf, "good", NULL) != NULL, "the good one resolves");
	op = modeldef_op(gf->models[0], "bad");
	is_str(op != NULL ? op->description : NULL, "Broken.",
	    "the broken one keeps its description");
	ok(opspec_resolve(gf, "m:bad", &cause) == NULL, "and does not resolve");
	is_str(cause, "b.yml:7:16: invalid value 'perhaps' for 'stoppable': "
	    "expected yes or no", "with its error, file, line and column");
	free(cause);
	guildfile_free(gf);
}

static void
test_errors(void)
{
	is_str(error_of("err-yaml.yml"), "err-yaml.yml:3:14: mapping values "
	    "are not allowed in this context", "bad YAML");
	is_str(error_of("err-scalar.yml"), "err-scalar.yml:1:1: expected a "
	    "mapping or a list", "scalar top level");
	is_str(error_of("err-operations.yml"), "err-operations.yml:2:13: "
	    "invalid value '3' for 'operations': expected a mapping",
	    "operations: 3");
	is_str(error_of("err-flags.yml"), "err-flags.yml:3:10: invalid value "
	    "for 'flags': expected a mapping", "flags: [1]");
	is_str(error_of("err-required.yml"), "err-required.yml:4:17: invalid "
	    "value 'maybe' for 'required': expected yes or no",
	    "required: maybe");
	is_str(error_of("err-no-type.yml"), "err-no-type.yml:2:3: missing "
	    "required type (one of: config, include, model, package, test)",
	    "item without a type");
	is_str(error_of("err-multi-type.yml"), "err-multi-type.yml:1:3: "
	    "multiple types (config, model)", "item with two types");
	is_str(error_of("err-duplicate.yml"), "err-duplicate.yml:2:3: "
	    "duplicate model 'a'", "duplicate model");
	is_str(error_of("err-steps.yml"), "err-steps.yml:2:10: invalid value "
	    "'run' for 'steps': expected a list", "steps: run");
	is_str(error_of("err-requires.yml"), "err-requires.yml:3:7: invalid "
	    "value for 'requires': expected a string or a mapping",
	    "requires: [[a]]");
	is_str(error_of("err-flag-type.yml"), "err-flag-type.yml:4:13: "
	    "invalid value 'bignum' for 'type': expected one of string, int, "
	    "float, number, boolean, path, existing-path, auto", "flag type");
	is_str(error_of("err-optimizers.yml"), "err-optimizers.yml:1:1: "
	    "conflicting optimizer configuration in operation 'train': "
	    "cannot define both 'optimizer' and 'optimizers'",
	    "optimizer and optimizers");
	is_str(error_of("err-source-conflict.yml"),
	    "err-source-conflict.yml:3:7: invalid source: conflicting "
	    "attributes (file, url)", "two source types");
	is_str(error_of("err-op-list.yml"), "err-op-list.yml:1:8: invalid "
	    "value for operation 'train': expected a string or a mapping",
	    "op as a list");
	is_str(error_of("err-resource.yml"), "err-resource.yml:3:8: invalid "
	    "value for resource 'r': expected a mapping or a list",
	    "resource: 3");
	is_str(error_of("no-such.yml"), "no-such.yml: No such file or "
	    "directory", "missing file");
}

static void
test_warnings(void)
{
	struct guildfile	*gf;
	char			*cause = NULL;
	size_t			 i;

	strvec_clear(&warnings);
	gf = load("unknown-attrs.yml");
	ok(gf != NULL, "unknown attributes do not stop loading");
	/* Those in an operation fail that operation (when used) instead. */
	if (!is_int((long long)warnings.n, 2, "two warnings")) {
		for (i = 0; i < warnings.n; i++)
			diag("warning: %s", warnings.v[i]);
	}
	if (warnings.n == 2) {
		is_str(warnings.v[0], "unknown-attrs.yml:2:3: unknown model "
		    "attribute 'colour'", "model attribute");
		is_str(warnings.v[1], "unknown-attrs.yml:16:7: unknown resource "
		    "attribute 'oops'", "resource attribute");
	}
	if (gf != NULL) {
		const struct opdef *op = modeldef_op(gf->models[0], "train");

		ok(op != NULL, "the operation is there");
		is_str(op != NULL ? op->error : NULL, "unknown-attrs.yml:6:7: "
		    "unknown operation attribute 'foo'",
		    "its first unknown attribute is its error");
	}
	guildfile_free(gf);
	strvec_clear(&warnings);
	/* A flag's or a source's unknown attribute fails its operation too. */
	gf = guildfile_load_buf("t:\n  main: t\n  flags:\n    a:\n"
	    "      bogus: 1\nu:\n  main: t\n  requires:\n    - file: x\n"
	    "      weird: 1\n", 98, "g.yml", NULL, &cause);
	ok(gf != NULL && warnings.n == 0, "no warning for them: %s",
	    cause != NULL ? cause : warnings.n > 0 ? warnings.v[0] : "");
	free(cause);
	if (gf != NULL) {
		const struct opdef *t = modeldef_op(gf->models[0], "t");
		const struct opdef *u = modeldef_op(gf->models[0], "u");

		is_str(t != NULL ? t->error : NULL, "g.yml:5:7: unknown flag "
		    "attribute 'bogus'", "flag attribute");
		is_str(u != NULL ? u->error : NULL, "g.yml:10:7: unknown source "
		    "attribute 'weird'", "source attribute");
	}
	guildfile_free(gf);
	strvec_clear(&warnings);
}

/* Inputs that must fail fast rather than run away. */
static void
test_budget(void)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct guildfile	*gf;
	char			*cause = NULL;
	int			 i;

	/* Each param doubles the previous one: 2^40 bytes if unchecked. */
	strbuf_addstr(&sb, "- model: m\n  params:\n    p0: xxxxxxxxxxxxxxxx\n");
	for (i = 1; i <= 40; i++)
		strbuf_addf(&sb, "    p%d: \"{{p%d}}{{p%d}}\"\n", i, i - 1, i - 1);
	strbuf_addstr(&sb, "  operations:\n    t: \"{{p40}}\"\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	ok(gf == NULL && cause != NULL && strstr(cause, "too much data"),
	    "doubling params stop: %s", cause ? cause : "");
	strbuf_reset(&sb);
	free(cause);
	cause = NULL;

	/* Each config extends the previous one twice. */
	strbuf_addstr(&sb, "- config: c0\n  operations: {a: a, b: b, c: c}\n");
	for (i = 1; i <= 40; i++)
		strbuf_addf(&sb, "- config: c%d\n  extends: [c%d, c%d]\n", i,
		    i - 1, i - 1);
	strbuf_addstr(&sb, "- model: m\n  extends: c40\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	ok(gf != NULL && gf->models[0]->nops == 3,
	    "each parent is extended once: %s", cause ? cause : "");
	guildfile_free(gf);
	strbuf_release(&sb);
	free(cause);
	cause = NULL;

	/*
	 * A param that refers to itself twice (found by fuzzing): an error
	 * at once, not after doubling to the size limit.
	 */
	strbuf_addstr(&sb, "- model: m\n  params:\n    p: \"x{{p}}y{{p}}\"\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	is_str(cause, "guild.yml:3:5: param 'p' refers to itself",
	    "a self-referencing param is an error");
	strbuf_reset(&sb);
	free(cause);
	cause = NULL;

	/* Through others: the cycle is named by its first param. */
	strbuf_addstr(&sb, "- model: m\n  params:\n    z: \"{{a}}\"\n"
	    "    a: \"{{ b }}!\"\n    b: \"{{c}}\"\n    c: \"{{a}}{{z2}}\"\n"
	    "    z2: 1\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	is_str(cause, "guild.yml:4:5: param 'a' refers to itself",
	    "a param that refers to itself through others is an error");
	strbuf_reset(&sb);
	free(cause);
	cause = NULL;

	/* Alone it used to stay as it was: an error too. */
	strbuf_addstr(&sb, "- model: m\n  params:\n    p: \"{{p}}\"\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	is_str(cause, "guild.yml:3:5: param 'p' refers to itself",
	    "a param that is only itself is an error");
	strbuf_reset(&sb);
	free(cause);
	cause = NULL;

	/* A chain is no cycle. */
	strbuf_addstr(&sb, "- model: m\n  params:\n    p0: x\n");
	for (i = 1; i <= 50; i++)
		strbuf_addf(&sb, "    p%d: \"{{p%d}}\"\n", i, i - 1);
	strbuf_addstr(&sb, "  operations:\n    t: \"{{p50}}\"\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	ok(gf != NULL && strcmp(gf->models[0]->ops[0]->name, "t") == 0 &&
	    gf->models[0]->ops[0]->main != NULL &&
	    strcmp(gf->models[0]->ops[0]->main, "x") == 0,
	    "a chain of 50 params resolves: %s", cause ? cause : "");
	guildfile_free(gf);
	strbuf_reset(&sb);
	free(cause);
	cause = NULL;

	/* Many "{{" and no "}}": one pass, not one per brace. */
	strbuf_addstr(&sb, "train:\n  main: \"");
	for (i = 0; i < 200000; i++)
		strbuf_addstr(&sb, "{{");
	strbuf_addstr(&sb, "\"\n");
	gf = guildfile_load_buf(sb.buf, sb.len, "guild.yml", NULL, &cause);
	ok(gf != NULL && strlen(gf->models[0]->ops[0]->main) == 400000,
	    "unclosed references are text");
	guildfile_free(gf);
	strbuf_release(&sb);

	gf = guildfile_load_buf("train: train\n", 13, "guild.yml", NULL,
	    &cause);
	ok(gf != NULL, "load_buf");
	guildfile_free(gf);
}

/* The resolve error of spec in buf (static), or "(resolved)". */
static const char *
test_resolve_error(const char *buf, const char *spec)
{
	static char		*last;
	struct guildfile	*gf;
	char			*cause = NULL;

	free(last);
	gf = guildfile_load_buf(buf, strlen(buf), "guild.yml", "/tmp", &cause);
	if (gf != NULL && opspec_resolve(gf, spec, &cause) != NULL)
		cause = xstrdup("(resolved)");
	guildfile_free(gf);
	last = cause;
	return last;
}

static void
test_model_tests(void)
{
	static const char yml[] =
	    "- model: m\n"
	    "  operations:\n"
	    "    train: train\n"
	    "    _check: check\n"
	    "- model: _private\n"
	    "  operations:\n"
	    "    x: x\n"
	    "- test: quick\n"
	    "  description: One epoch\n"
	    "  steps:\n"
	    "    - run: train\n"
	    "      expect:\n"
	    "        - output: 'acc'\n"
	    "        - scalar: accuracy >= 0.9\n"
	    "    - run: _check\n"
	    "      expect: {file: out.txt}\n";
	struct guildfile	*gf;
	struct opdef		*op;
	char			*cause = NULL;

	gf = guildfile_load_buf(yml, sizeof yml - 1, "guild.yml", "/tmp",
	    &cause);
	ok(gf != NULL, "a guild.yml with a test loads");
	if (gf == NULL) {
		diag("%s", cause);
		free(cause);
		return;
	}
	is_int(gf->nmodels, 2, "the test model is not among the models");
	ok(gf->test_model != NULL && gf->test_model->nops == 1,
	    "one test");
	op = opspec_resolve(gf, "test:quick", NULL);
	ok(op != NULL && op->test && op->nsteps == 2, "test:quick resolves "
	    "to the test, a pipeline of two steps");
	ok(guildfile_model(gf, "test") == gf->test_model,
	    "guildfile_model finds the test model (restarts)");
	if (op != NULL && op->nsteps == 2) {
		ok(op->steps[0]->expect != NULL &&
		    op->steps[0]->expect->type == VALUE_LIST &&
		    op->steps[0]->expect->u.list.n == 2, "a list of checks");
		ok(op->steps[1]->expect != NULL &&
		    op->steps[1]->expect->u.list.n == 1,
		    "one check is a list of one");
		ok(op->steps[0]->params == NULL, "expect is not a run param");
	}
	is_str(op != NULL ? op->description : NULL, "One epoch",
	    "the test's description");
	is_int(guildfile_listed_models(gf, false), 1,
	    "a private model is not listed");
	is_int(guildfile_listed_models(gf, true), 2, "unless all");
	ok(guildfile_listed_model(gf, 0, false) == gf->models[0],
	    "the listed model");
	is_int(modeldef_listed_ops(gf->models[0], false), 1,
	    "a private op is not listed");
	ok(modeldef_listed_op(gf->models[0], 1, true) ==
	    gf->models[0]->ops[1] &&
	    modeldef_listed_op(gf->models[0], 1, false) == NULL,
	    "listed ops by index");
	ok(opspec_resolve(gf, "_check", NULL) != NULL,
	    "a private op still resolves");
	guildfile_free(gf);

	is_str(test_resolve_error("- test: t\n  steps:\n    - run: a\n"
	    "      expect:\n        - scalar: acc ~ 3\n", "test:t"),
	    "guild.yml:5:11: invalid scalar check 'acc ~ 3': expected "
	    "'[last|min|max] KEY OP NUMBER' with OP one of >=, >, <=, <, ==, "
	    "!=", "a bad check: the test fails when it is run");
	is_str(test_resolve_error("- test: t\n  steps:\n    - run: a\n"
	    "      expect: {output: '('}\n", "test:t"),
	    "guild.yml:4:15: invalid regular expression '(': missing closing "
	    "parenthesis at offset 1", "a bad regex");
	is_str(test_resolve_error("- test: t\n  description: x\n", "test:t"),
	    "guild.yml:1:3: test 't' has no steps", "a test without steps");
	is_str(test_resolve_error("- model: test\n  operations: {a: a}\n"
	    "- test: t\n  steps: [a]\n", "a"), "guild.yml:3:9: test 't': a "
	    "model named 'test' is in the way (tests run as test:NAME)",
	    "a model named test");
	is_str(test_resolve_error("- test: t\n  steps: [a]\n- test: t\n"
	    "  steps: [b]\n", "test:t"), "guild.yml:3:9: duplicate test 't'",
	    "a duplicate test");
	is_str(test_resolve_error("- model: m\n  operations:\n    p:\n"
	    "      steps:\n        - run: a\n          expect: [3]\n", "p"),
	    "guild.yml:6:20: invalid check: expected a mapping with file, "
	    "output or scalar", "expect: in an ordinary pipeline too");
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		*dir;

	warn_set_sink(collect_warning, NULL);
	dir = xasprintf("%s/tests/unit/guildfiles", top ? top : ".");
	if (chdir(dir) != 0) {
		diag("cannot chdir to %s", dir);
		free(dir);
		return 1;
	}
	free(dir);

	test_walkthrough();
	test_find();
	test_anonymous();
	test_list();
	test_extends();
	test_params();
	test_include();
	test_dollar_include();
	test_pkg_extends();
	test_op_defaults();
	test_attrs();
	test_empty();
	test_errors();
	test_broken_op();
	test_warnings();
	test_budget();
	test_model_tests();
	strvec_clear(&warnings);
	return done_testing();
}
