/*
 * guildfile-read.c: reading guild.yml's attributes into models, operations,
 * flags, resources and steps (stage 3; see guildfile.c).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guildfile.h"
#include "guildfile-int.h"
#include "runcheck.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/* Attribute names, sorted: unknown ones are warnings. */
static const char *const model_attrs[] = { "config", "default", "description",
    "extends", "extra", "flags", "model", "operation-defaults", "operations",
    "params", "plugins", "python-requires", "references", "resources",
    "sourcecode" };
static const char *const op_attrs[] = { "can-stage-trials", "compare",
    "default", "default-flag-arg-skip", "default-max-trials",
    "delete-on-success", "description", "env", "env-secrets", "exec",
    "flag-encoder", "flags", "flags-dest", "flags-import",
    "flags-import-skip", "handle-keyboard-interrupt", "label", "main",
    "notebook", "objective", "optimizer", "optimizers", "output-attrs",
    "output-scalars", "pip-freeze", "plugins", "publish", "python-path",
    "python-requires", "requires", "run-attrs", "sourcecode", "steps",
    "stoppable", "tags" };
static const char *const flag_attrs[] = { "alias", "allow-other",
    "arg-encoding", "arg-name", "arg-skip", "arg-split", "arg-switch",
    "choices", "default", "description", "distribution", "env-encoding",
    "env-name", "max", "min", "null-label", "required", "type" };
static const char *const choice_attrs[] = { "alias", "description", "flags",
    "value" };
static const char *const resource_attrs[] = { "default-unpack",
    "description", "flag-name", "path", "preserve-path", "private",
    "references", "sources", "target-path", "target-type" };
static const char *const inline_resource_attrs[] = { "default-unpack",
    "description", "flag-name", "name", "path", "preserve-path", "private",
    "references", "sources", "target-path", "target-type" };
static const char *const source_attrs[] = { "always-resolve", "config",
    "fail-if-empty", "file", "flag-name", "help", "module", "name",
    "operation", "optional", "params", "path", "post-process",
    "preserve-path", "rename", "replace-existing", "select", "select-max",
    "select-min", "sha256", "target-path", "target-type", "type", "unpack",
    "url", "warn-if-empty" };
static const char *const sourcecode_attrs[] = { "dest", "digest", "root",
    "select" };
static const char *const select_attrs[] = { "exclude", "include" };

static const char *const source_types[] = { "file", "url", "module",
    "config", "operation" };

static const char *const flag_type_names[] = {
	[FLAG_TYPE_AUTO] = "auto",
	[FLAG_TYPE_STRING] = "string",
	[FLAG_TYPE_INT] = "int",
	[FLAG_TYPE_FLOAT] = "float",
	[FLAG_TYPE_NUMBER] = "number",
	[FLAG_TYPE_BOOLEAN] = "boolean",
	[FLAG_TYPE_PATH] = "path",
	[FLAG_TYPE_EXISTING_PATH] = "existing-path",
};

static int	read_resource(struct gload *, const char *,
		    const struct ynode *, const struct ynode *, bool,
		    struct resdef **);
static void	resdef_free(struct resdef *);


/* ---------------------------------------------------------------- */
/* Stage 3: reading attributes. */

static void
sourcecode_free(struct sourcecode_spec *sc)
{
	size_t	i;

	for (i = 0; i < sc->nrules; i++)
		strvec_clear(&sc->rules[i].patterns);
	free(sc->rules);
	free(sc->root);
	free(sc->dest);
	memset(sc, 0, sizeof *sc);
}

static struct select_rule *
add_rule(struct sourcecode_spec *sc, bool include, enum select_match match)
{
	struct select_rule	*r;

	sc->rules = xreallocarray(sc->rules, sc->nrules + 1, sizeof *sc->rules);
	r = &sc->rules[sc->nrules++];
	memset(r, 0, sizeof *r);
	r->include = include;
	r->match = match;
	return r;
}

static int
read_select_rule(struct gload *g, struct sourcecode_spec *sc,
    const struct ynode *item)
{
	static const char *const matches[] = { "dir", "text", "binary" };
	const struct ynode	*inc, *exc, *pat, *typed = NULL;
	struct select_rule	*r;
	enum select_match	 m = SELECT_ANY;
	const char		*what;
	size_t			 i;

	inc = ynode_get(item, "include");
	exc = ynode_get(item, "exclude");
	if (inc != NULL && exc != NULL)
		return gf_error(g, item, "invalid sourcecode item: cannot both "
		    "include and exclude (use one item for each, in order)");
	if (inc == NULL && exc == NULL)
		return gf_error(g, item, "invalid sourcecode item: expected "
		    "include or exclude");
	gf_check_attrs(g, item, "sourcecode", select_attrs,
	    ARRAY_SIZE(select_attrs));
	what = inc != NULL ? "include" : "exclude";
	pat = inc != NULL ? inc : exc;
	if (pat->kind == YNODE_MAP) {
		for (i = 0; i < ARRAY_SIZE(matches); i++) {
			if ((typed = ynode_get(pat, matches[i])) != NULL) {
				m = SELECT_DIR + (enum select_match)i;
				break;
			}
		}
		if (typed == NULL)
			return gf_type_error(g, pat, what, "patterns or a mapping "
			    "with dir, text or binary");
		pat = typed;
	}
	r = add_rule(sc, inc != NULL, m);
	return gf_node_strlist(g, pat, what, &r->patterns);
}

/* sourcecode: no, [], a pattern, a list, or {select, root, digest, dest}. */
static int
read_select(struct gload *g, const struct ynode *n, struct sourcecode_spec *sc)
{
	struct select_rule	*r;
	struct value		*v;
	bool			 b, is_bool, all_strings = true;
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		is_bool = v->type == VALUE_BOOL;
		b = is_bool && v->u.b;
		value_free(v);
		if (b)
			return gf_type_error(g, n, "sourcecode", "no, a pattern, a "
			    "list or a mapping");
		if (is_bool) {
			sc->disabled = true;
			return 0;
		}
	}
	if (n->kind == YNODE_SCALAR) {
		r = add_rule(sc, false, SELECT_ANY);
		strvec_push(&r->patterns, "*");
		r = add_rule(sc, true, SELECT_ANY);
		strvec_push(&r->patterns, n->str);
		return 0;
	}
	if (n->kind != YNODE_SEQ)
		return gf_type_error(g, n, "sourcecode", "a string, a list or a "
		    "mapping");
	if (n->n == 0) {
		sc->disabled = true;
		return 0;
	}
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			all_strings = false;
	}
	if (all_strings) {
		r = add_rule(sc, false, SELECT_ANY);
		strvec_push(&r->patterns, "*");
	}
	for (i = 0; i < n->n; i++) {
		const struct ynode	*item = n->items[i];

		if (item->kind == YNODE_SCALAR) {
			r = add_rule(sc, true, SELECT_ANY);
			strvec_push(&r->patterns, item->str);
		} else if (item->kind == YNODE_MAP) {
			if (read_select_rule(g, sc, item) != 0)
				return -1;
		} else
			return gf_type_error(g, item, "sourcecode", "a string or "
			    "a mapping");
	}
	return 0;
}

static int
read_sourcecode(struct gload *g, const struct ynode *map,
    struct sourcecode_spec *sc)
{
	const struct ynode	*n = ynode_get(map, "sourcecode");

	sc->digest = true;
	if (gf_is_null(n))
		return 0;
	sc->set = true;
	if (n->kind != YNODE_MAP)
		return read_select(g, n, sc);
	gf_check_attrs(g, n, "sourcecode", sourcecode_attrs,
	    ARRAY_SIZE(sourcecode_attrs));
	if (read_select(g, ynode_get(n, "select"), sc) != 0 ||
	    gf_get_string(g, n, "root", &sc->root) != 0 ||
	    gf_get_string(g, n, "dest", &sc->dest) != 0 ||
	    gf_get_bool(g, n, "digest", &sc->digest) != 0)
		return -1;
	return 0;
}

/* output-scalars / output-attrs: no, a regex, {key: regex}, or a list. */
static int
read_capture(struct gload *g, const struct ynode *map, const char *attr,
    struct capture *c)
{
	const struct ynode	*n = ynode_get(map, attr), *item;
	struct capture_spec	*s;
	size_t			 i, j, count;
	struct value		*v;

	c->mode = CAPTURE_DEFAULT;
	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_BOOL) {
			bool	b = v->u.b;

			value_free(v);
			if (b)
				return gf_type_error(g, n, attr, "no, a pattern, "
				    "a mapping or a list");
			c->mode = CAPTURE_NONE;
			return 0;
		}
		value_free(v);
	}
	if (n->kind == YNODE_SEQ && n->n == 0) {
		c->mode = CAPTURE_NONE;
		return 0;
	}
	count = n->kind == YNODE_SEQ ? n->n : 1;
	c->mode = CAPTURE_CUSTOM;
	for (i = 0; i < count; i++) {
		item = n->kind == YNODE_SEQ ? n->items[i] : n;
		if (item->kind == YNODE_SCALAR) {
			c->specs = xreallocarray(c->specs, c->nspecs + 1,
			    sizeof *c->specs);
			s = &c->specs[c->nspecs++];
			s->key = NULL;
			s->pattern = xstrdup(item->str);
			continue;
		}
		if (item->kind != YNODE_MAP)
			return gf_type_error(g, item, attr, "a pattern or a "
			    "mapping");
		for (j = 0; j < item->n; j++) {
			if (item->items[j]->kind != YNODE_SCALAR ||
			    gf_is_null(item->items[j]))
				return gf_type_error(g, item->items[j], attr,
				    "a pattern");
			c->specs = xreallocarray(c->specs, c->nspecs + 1,
			    sizeof *c->specs);
			s = &c->specs[c->nspecs++];
			s->key = xstrdup(item->keys[j]->str);
			s->pattern = xstrdup(item->items[j]->str);
		}
	}
	if (c->nspecs == 0)
		c->mode = CAPTURE_NONE;
	return 0;
}

static void
capture_free(struct capture *c)
{
	size_t	i;

	for (i = 0; i < c->nspecs; i++) {
		free(c->specs[i].key);
		free(c->specs[i].pattern);
	}
	free(c->specs);
	memset(c, 0, sizeof *c);
}

/* Encoding maps: keys as value_format_flag writes the key's value. */
static int
read_encoding(struct gload *g, const struct ynode *map, const char *attr,
    struct value **out)
{
	const struct ynode	*n = ynode_get(map, attr);
	struct strbuf		 sb = STRBUF_INIT;
	struct vbuild		 vb;
	struct value		*k;
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind != YNODE_MAP)
		return gf_type_error(g, n, attr, "a mapping");
	gf_vbuild_init(&vb);
	for (i = 0; i < n->n; i++) {
		k = ynode_to_value(n->keys[i]);
		strbuf_reset(&sb);
		value_format_flag(&sb, k);
		value_free(k);
		gf_vbuild_set(&vb, sb.buf, ynode_to_value(n->items[i]));
	}
	strbuf_release(&sb);
	*out = gf_vbuild_done(&vb);
	return 0;
}

static void
flag_free(struct flagdef *f)
{
	size_t	i;

	if (f == NULL)
		return;
	free(f->name);
	value_free(f->default_value);
	free(f->description);
	free(f->alias);
	free(f->arg_name);
	value_free(f->arg_switch);
	free(f->arg_split);
	value_free(f->arg_encoding);
	value_free(f->env_encoding);
	free(f->env_name);
	for (i = 0; i < f->nchoices; i++) {
		value_free(f->choices[i].value);
		free(f->choices[i].description);
		free(f->choices[i].alias);
		value_free(f->choices[i].flags);
	}
	free(f->choices);
	free(f->null_label);
	value_free(f->min);
	value_free(f->max);
	free(f->distribution);
	free(f);
}

static int
read_choices(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "choices"), *c, *v;
	struct flag_choice	*ch;
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind != YNODE_SEQ)
		return gf_type_error(g, n, "choices", "a list of values or "
		    "mappings");
	f->choices = xcalloc(n->n ? n->n : 1, sizeof *f->choices);
	for (i = 0; i < n->n; i++) {
		c = n->items[i];
		ch = &f->choices[f->nchoices++];
		if (c->kind != YNODE_MAP) {
			ch->value = ynode_to_value(c);
			continue;
		}
		gf_check_attrs(g, c, "flag choice", choice_attrs,
		    ARRAY_SIZE(choice_attrs));
		if ((v = ynode_get(c, "value")) == NULL)
			return gf_error(g, c, "invalid choice for flag '%s': "
			    "missing required 'value' attribute", f->name);
		ch->value = ynode_to_value(v);
		if (gf_get_string(g, c, "description", &ch->description) != 0 ||
		    gf_get_string(g, c, "alias", &ch->alias) != 0 ||
		    gf_get_value(g, c, "flags", SHAPE_MAP, &ch->flags) != 0)
			return -1;
	}
	return 0;
}

static int
read_flag_type(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "type");
	size_t			 i;

	f->type = FLAG_TYPE_AUTO;
	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		for (i = 0; i < ARRAY_SIZE(flag_type_names); i++) {
			if (strcmp(n->str, flag_type_names[i]) == 0) {
				f->type = (enum flag_type)i;
				return 0;
			}
		}
	}
	return gf_type_error(g, n, "type", "one of string, int, float, number, "
	    "boolean, path, existing-path, auto");
}

static int
read_arg_split(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "arg-split");
	struct value		*v;

	if (gf_is_null(n))
		return 0;
	if (n->kind != YNODE_SCALAR)
		return gf_type_error(g, n, "arg-split", "yes, shlex or a "
		    "delimiter");
	if (n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_BOOL) {
			if (v->u.b)
				f->arg_split = xstrdup("shlex");
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	f->arg_split = xstrdup(n->str);
	return 0;
}

static int
read_flag(struct gload *g, const struct ynode *key, const struct ynode *n,
    struct flagdef **out)
{
	struct flagdef	*f;
	int		 rc;

	f = xcalloc(1, sizeof *f);
	f->name = xstrdup(key->str);
	f->line = key->line;
	if (n->kind != YNODE_MAP) {
		if (!gf_is_null(n))
			f->default_value = ynode_to_value(n);
		f->description = xstrdup("");
		*out = f;
		return 0;
	}
	gf_check_attrs(g, n, "flag", flag_attrs, ARRAY_SIZE(flag_attrs));
	if (!gf_is_null(ynode_get(n, "default")))
		f->default_value = ynode_to_value(ynode_get(n, "default"));
	rc = gf_get_description(g, n, &f->description, false);
	if (rc == 0)
		rc = read_flag_type(g, f, n);
	if (rc == 0)
		rc = gf_get_bool(g, n, "required", &f->required);
	if (rc == 0)
		rc = gf_get_string(g, n, "alias", &f->alias);
	if (rc == 0)
		rc = gf_get_string(g, n, "arg-name", &f->arg_name);
	if (rc == 0)
		rc = gf_get_bool(g, n, "arg-skip", &f->arg_skip);
	if (rc == 0)
		rc = gf_get_value(g, n, "arg-switch", SHAPE_ANY, &f->arg_switch);
	if (rc == 0)
		rc = read_arg_split(g, f, n);
	if (rc == 0)
		rc = read_encoding(g, n, "arg-encoding", &f->arg_encoding);
	if (rc == 0)
		rc = read_encoding(g, n, "env-encoding", &f->env_encoding);
	if (rc == 0)
		rc = gf_get_string(g, n, "env-name", &f->env_name);
	if (rc == 0)
		rc = read_choices(g, f, n);
	if (rc == 0)
		rc = gf_get_bool(g, n, "allow-other", &f->allow_other);
	if (rc == 0)
		rc = gf_get_string(g, n, "null-label", &f->null_label);
	if (rc == 0)
		rc = gf_get_value(g, n, "min", SHAPE_SCALAR, &f->min);
	if (rc == 0)
		rc = gf_get_value(g, n, "max", SHAPE_SCALAR, &f->max);
	if (rc == 0)
		rc = gf_get_string(g, n, "distribution", &f->distribution);
	if (rc != 0) {
		flag_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

/* Split like Python's shlex.split (POSIX mode), for rename specs. */
static int
shlex_split(const char *s, struct strvec *out)
{
	struct strbuf	 sb = STRBUF_INIT;
	bool		 in_word = false;
	char		 q;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (in_word)
				strvec_push(out, sb.buf);
			strbuf_reset(&sb);
			in_word = false;
			continue;
		}
		in_word = true;
		if (*s == '\\') {
			if (s[1] == '\0')
				break;
			strbuf_addch(&sb, *++s);
		} else if (*s == '\'' || *s == '"') {
			q = *s++;
			while (*s != '\0' && *s != q) {
				if (q == '"' && *s == '\\' && s[1] != '\0' &&
				    strchr("\\\"$`\n", s[1]) != NULL)
					s++;
				strbuf_addch(&sb, *s++);
			}
			if (*s == '\0') {
				strbuf_release(&sb);
				return -1;
			}
		} else
			strbuf_addch(&sb, *s);
	}
	if (in_word)
		strvec_push(out, sb.buf);
	strbuf_release(&sb);
	return 0;
}

static int
read_rename(struct gload *g, struct source *src, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "rename");
	struct strvec		 parts = STRVEC_INIT;

	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_MAP) {
		if (gf_get_string(g, n, "pattern", &src->rename_pattern) != 0 ||
		    gf_get_string(g, n, "repl", &src->rename_repl) != 0)
			return -1;
		if (src->rename_pattern == NULL)
			src->rename_pattern = xstrdup("");
		if (src->rename_repl == NULL)
			src->rename_repl = xstrdup("");
		return 0;
	}
	if (n->kind != YNODE_SCALAR)
		return gf_type_error(g, n, "rename", "'PATTERN REPL' or a mapping");
	if (shlex_split(n->str, &parts) != 0 || parts.n == 0 || parts.n > 2) {
		strvec_clear(&parts);
		return gf_type_error(g, n, "rename", "'PATTERN REPL' or 'NAME'");
	}
	if (parts.n == 1) {
		src->rename_pattern = xstrdup(".*");
		src->rename_repl = xstrdup(parts.v[0]);
	} else {
		src->rename_pattern = xstrdup(parts.v[0]);
		src->rename_repl = xstrdup(parts.v[1]);
	}
	strvec_clear(&parts);
	return 0;
}

static void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	free(s->uri);
	free(s->name);
	free(s->flag_name);
	free(s->sha256);
	free(s->type);
	strvec_clear(&s->select);
	free(s->select_min);
	free(s->select_max);
	free(s->rename_pattern);
	free(s->rename_repl);
	free(s->help);
	free(s->post_process);
	free(s->target_path);
	free(s->target_type);
	value_free(s->params);
	free(s);
}

static int
read_source(struct gload *g, const struct resdef *res, const struct ynode *n,
    struct source **out)
{
	struct strbuf		 sb = STRBUF_INIT;
	const struct ynode	*t, *found = NULL;
	struct source		*s;
	size_t			 i, count = 0;
	int			 rc;

	s = xcalloc(1, sizeof *s);
	s->line = n->line;
	s->unpack = res->default_unpack;
	s->warn_if_empty = true;
	if (n->kind == YNODE_SCALAR && !gf_is_null(n)) {
		s->kind = SOURCE_FILE;
		s->uri = xstrdup(n->str);
		s->name = xasprintf("file:%s", s->uri);
		*out = s;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(s);
		return gf_error(g, n, "invalid source: expected a string or a "
		    "mapping");
	}
	gf_check_attrs(g, n, "source", source_attrs, ARRAY_SIZE(source_attrs));
	for (i = 0; i < ARRAY_SIZE(source_types); i++) {
		t = ynode_get(n, source_types[i]);
		if (gf_is_null(t) || (t->kind == YNODE_SCALAR && t->len == 0))
			continue;
		strbuf_addf(&sb, "%s%s", count ? ", " : "", source_types[i]);
		if (count++ == 0) {
			found = t;
			s->kind = (enum source_kind)i;
		}
	}
	if (count != 1) {
		if (count == 0)
			gf_error(g, n, "invalid source: missing required "
			    "attribute (one of file, url, module, config, "
			    "operation)");
		else
			gf_error(g, n, "invalid source: conflicting attributes "
			    "(%s)", sb.buf);
		strbuf_release(&sb);
		free(s);
		return -1;
	}
	strbuf_release(&sb);
	if (found->kind != YNODE_SCALAR) {
		i = s->kind;
		free(s);
		return gf_type_error(g, found, source_types[i], "a string");
	}
	s->uri = xstrdup(found->str);
	rc = gf_get_string(g, n, "name", &s->name);
	if (rc == 0 && s->name == NULL)
		s->name = s->kind == SOURCE_URL ? xstrdup(s->uri) :
		    xasprintf("%s:%s", source_types[s->kind], s->uri);
	if (rc == 0)
		rc = gf_get_string(g, n, "flag-name", &s->flag_name);
	if (rc == 0)
		rc = gf_get_string(g, n, "sha256", &s->sha256);
	if (rc == 0)
		rc = gf_get_bool(g, n, "unpack", &s->unpack);
	if (rc == 0)
		rc = gf_get_string(g, n, "type", &s->type);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "select", &s->select);
	if (rc == 0)
		rc = gf_get_string(g, n, "select-min", &s->select_min);
	if (rc == 0)
		rc = gf_get_string(g, n, "select-max", &s->select_max);
	if (rc == 0)
		rc = gf_get_bool(g, n, "warn-if-empty", &s->warn_if_empty);
	if (rc == 0)
		rc = gf_get_bool(g, n, "optional", &s->optional);
	if (rc == 0)
		rc = gf_get_bool(g, n, "fail-if-empty", &s->fail_if_empty);
	if (rc == 0)
		rc = read_rename(g, s, n);
	if (rc == 0)
		rc = gf_get_string(g, n, "help", &s->help);
	if (rc == 0)
		rc = gf_get_string(g, n, "post-process", &s->post_process);
	if (rc == 0)
		rc = gf_get_target_path(g, n, &s->target_path);
	if (rc == 0)
		rc = gf_get_target_type(g, n, &s->target_type);
	if (rc == 0)
		rc = gf_get_bool(g, n, "replace-existing", &s->replace_existing);
	if (rc == 0)
		rc = gf_get_bool(g, n, "always-resolve", &s->always_resolve);
	if (rc == 0)
		rc = gf_get_bool(g, n, "preserve-path", &s->preserve_path);
	if (rc == 0)
		rc = gf_get_value(g, n, "params", SHAPE_ANY, &s->params);
	if (rc != 0) {
		source_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static void
resdef_free(struct resdef *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->name);
	free(r->description);
	for (i = 0; i < r->nsources; i++)
		source_free(r->sources[i]);
	free(r->sources);
	free(r->target_path);
	free(r->target_type);
	free(r->flag_name);
	value_free(r->references);
	free(r);
}

/*
 * A resource: a map of attributes, or a list (its sources). inline_ is a
 * requires: item, which may also carry a name.
 */
static int
read_resource(struct gload *g, const char *name, const struct ynode *at,
    const struct ynode *n, bool inline_, struct resdef **out)
{
	const struct ynode	*sources;
	struct resdef		*r;
	size_t			 i;
	int			 rc = 0;

	if (n->kind != YNODE_MAP && n->kind != YNODE_SEQ) {
		if (name != NULL)
			return gf_error(g, n, "invalid value for resource '%s': "
			    "expected a mapping or a list", name);
		return gf_error(g, n, "invalid resource: expected a mapping or "
		    "a list");
	}
	r = xcalloc(1, sizeof *r);
	r->name = name != NULL ? xstrdup(name) : NULL;
	r->line = at->line;
	r->default_unpack = true;
	if (n->kind == YNODE_SEQ)
		sources = n;
	else {
		sources = ynode_get(n, "sources");
		if (inline_)
			gf_check_attrs(g, n, "resource", inline_resource_attrs,
			    ARRAY_SIZE(inline_resource_attrs));
		else
			gf_check_attrs(g, n, "resource", resource_attrs,
			    ARRAY_SIZE(resource_attrs));
		if (inline_ && r->name == NULL)
			rc = gf_get_string(g, n, "name", &r->name);
		if (rc == 0)
			rc = gf_get_description(g, n, &r->description, false);
		if (rc == 0)
			rc = gf_get_target_path(g, n, &r->target_path);
		if (rc == 0)
			rc = gf_get_target_type(g, n, &r->target_type);
		if (rc == 0)
			rc = gf_get_bool(g, n, "default-unpack",
			    &r->default_unpack);
		if (rc == 0)
			rc = gf_get_bool(g, n, "private", &r->private_);
		if (rc == 0)
			rc = gf_get_bool(g, n, "preserve-path", &r->preserve_path);
		if (rc == 0)
			rc = gf_get_string(g, n, "flag-name", &r->flag_name);
		if (rc == 0)
			rc = gf_get_value(g, n, "references", SHAPE_ANY,
			    &r->references);
	}
	if (r->description == NULL)
		r->description = xstrdup("");
	if (rc == 0 && !gf_is_null(sources)) {
		if (sources->kind != YNODE_SEQ)
			rc = gf_type_error(g, sources, "sources", "a list");
		else {
			r->sources = xcalloc(sources->n ? sources->n : 1,
			    sizeof *r->sources);
			for (i = 0; rc == 0 && i < sources->n; i++) {
				rc = read_source(g, r, sources->items[i],
				    &r->sources[r->nsources]);
				if (rc == 0)
					r->nsources++;
			}
		}
	}
	if (rc != 0) {
		resdef_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

static void
opdep_free(struct opdep *d)
{
	if (d == NULL)
		return;
	free(d->resource_ref);
	resdef_free(d->inline_res);
	free(d);
}

static int
read_opdep(struct gload *g, const struct ynode *n, struct opdep **out)
{
	const struct ynode	*res;
	struct opdep		*d;
	struct ynode		*wrap;
	int			 rc;

	d = xcalloc(1, sizeof *d);
	d->line = n->line;
	if (n->kind == YNODE_SCALAR && !gf_is_null(n)) {
		d->resource_ref = xstrdup(n->str);
		*out = d;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(d);
		return gf_type_error(g, n, "requires", "a string or a mapping");
	}
	if ((res = ynode_get(n, "resource")) != NULL) {
		if (res->kind != YNODE_SCALAR || gf_is_null(res)) {
			free(d);
			return gf_type_error(g, res, "resource", "a string");
		}
		d->resource_ref = xstrdup(res->str);
		*out = d;
		return 0;
	}
	if (ynode_get(n, "sources") != NULL)
		rc = read_resource(g, NULL, n, n, true, &d->inline_res);
	else {
		/* A single source: {sources: [n]}. */
		wrap = ynode_new_seq(n);
		ynode_seq_push(wrap, ynode_dup(n));
		rc = read_resource(g, NULL, n, wrap, true, &d->inline_res);
		ynode_free(wrap);
	}
	if (rc != 0) {
		free(d);
		return -1;
	}
	*out = d;
	return 0;
}

static int
read_requires(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "requires"), *item;
	size_t			 i, count;

	if (gf_is_null(n))
		return 0;
	count = n->kind == YNODE_SEQ ? n->n : 1;
	op->requires = xcalloc(count ? count : 1, sizeof *op->requires);
	for (i = 0; i < count; i++) {
		item = n->kind == YNODE_SEQ ? n->items[i] : n;
		if (read_opdep(g, item,
		    &op->requires[op->nrequires]) != 0)
			return -1;
		op->nrequires++;
	}
	return 0;
}

static void
step_free(struct step *s)
{
	if (s == NULL)
		return;
	free(s->run);
	free(s->name);
	value_free(s->flags);
	value_free(s->params);
	value_free(s->expect);
	free(s);
}

/* Step flags: $include resolved, flag maps reduced to their default. */
static int
read_step_flags(struct gload *g, struct step *s, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "flags"), *v;
	struct ynode		*resolved;
	struct vbuild		 vb;
	const char		*eq;
	char			*k;
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			v = n->items[i];
			if (v->kind != YNODE_SCALAR ||
			    (eq = strchr(v->str, '=')) == NULL || eq == v->str)
				return gf_type_error(g, v, "flags", "NAME=VALUE");
		}
		gf_vbuild_init(&vb);
		for (i = 0; i < n->n; i++) {
			v = n->items[i];
			eq = strchr(v->str, '=');
			k = xstrndup(v->str, (size_t)(eq - v->str));
			gf_vbuild_set(&vb, k, value_from_plain_scalar(eq + 1,
			    strlen(eq + 1)));
			free(k);
		}
		s->flags = gf_vbuild_done(&vb);
		return 0;
	}
	if ((resolved = gf_resolve_includes(g, map, "flags", false)) == NULL)
		return -1;
	gf_vbuild_init(&vb);
	for (i = 0; i < resolved->n; i++) {
		v = resolved->items[i];
		if (v->kind == YNODE_MAP)
			v = ynode_get(v, "default");
		gf_vbuild_set(&vb, resolved->keys[i]->str, ynode_to_value(v));
	}
	s->flags = gf_vbuild_done(&vb);
	ynode_free(resolved);
	return 0;
}

/* expect: one check or a list of them (runcheck.h), as a list. */
static int
read_step_expect(struct gload *g, struct step *s, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "expect");
	const struct ynode	*item;
	struct value		*v;
	char			*why = NULL;
	size_t			 i, count;

	if (gf_is_null(n))
		return 0;
	s->expect = value_list();
	count = n->kind == YNODE_SEQ ? n->n : 1;
	for (i = 0; i < count; i++) {
		item = n->kind == YNODE_SEQ ? n->items[i] : n;
		v = ynode_to_value(item);
		if (runcheck_validate(v, &why) == -1) {
			value_free(v);
			gf_error(g, item, "%s", why);
			free(why);
			return -1;
		}
		value_list_push(s->expect, v);
	}
	return 0;
}

static int
read_step(struct gload *g, const struct ynode *n, struct step **out)
{
	struct step	*s;
	struct vbuild	 vb;
	size_t		 i;
	int		 rc = 0;

	s = xcalloc(1, sizeof *s);
	s->line = n->line;
	s->isolate_runs = true;
	if (n->kind == YNODE_SCALAR && !gf_is_null(n)) {
		s->run = xstrdup(n->str);
		*out = s;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(s);
		return gf_error(g, n, "invalid step: expected a string or a "
		    "mapping");
	}
	if (gf_get_string(g, n, "run", &s->run) != 0)
		rc = -1;
	else if (s->run == NULL)
		rc = gf_error(g, n, "invalid step: missing required 'run' "
		    "attribute");
	if (rc == 0)
		rc = gf_get_string(g, n, "name", &s->name);
	if (rc == 0)
		rc = gf_get_bool(g, n, "isolate-runs", &s->isolate_runs);
	if (rc == 0)
		rc = read_step_flags(g, s, n);
	if (rc == 0)
		rc = read_step_expect(g, s, n);
	if (rc == 0) {
		gf_vbuild_init(&vb);
		for (i = 0; i < n->n; i++) {
			const char	*k = n->keys[i]->str;

			if (strcmp(k, "run") == 0 || strcmp(k, "name") == 0 ||
			    strcmp(k, "flags") == 0 ||
			    strcmp(k, "isolate-runs") == 0 ||
			    strcmp(k, "expect") == 0)
				continue;
			gf_vbuild_set(&vb, k, ynode_to_value(n->items[i]));
		}
		s->params = gf_vbuild_done(&vb);
		if (s->params->u.map.n == 0) {
			value_free(s->params);
			s->params = NULL;
		}
	}
	if (rc != 0) {
		step_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static int
read_steps(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "steps");
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind != YNODE_SEQ)
		return gf_type_error(g, n, "steps", "a list");
	op->steps = xcalloc(n->n ? n->n : 1, sizeof *op->steps);
	for (i = 0; i < n->n; i++) {
		if (read_step(g, n->items[i], &op->steps[op->nsteps]) != 0)
			return -1;
		op->nsteps++;
	}
	return 0;
}

static int
read_flags(struct gload *g, struct opdef *op, struct ynode *map)
{
	struct ynode	*resolved;
	size_t		 i;
	int		 rc = 0;

	/* map is the operation's own copy, read once: its flags are taken. */
	if ((resolved = gf_resolve_includes(g, map, "flags", true)) == NULL)
		return -1;
	op->flags = xcalloc(resolved->n ? resolved->n : 1, sizeof *op->flags);
	for (i = 0; rc == 0 && i < resolved->n; i++) {
		rc = read_flag(g, resolved->keys[i], resolved->items[i],
		    &op->flags[op->nflags]);
		if (rc == 0)
			op->nflags++;
	}
	ynode_free(resolved);
	return rc;
}

static int
read_flags_import(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "flags-import");
	struct value		*v;
	size_t			 i;

	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		v = ynode_to_value(n);
		if (v->type == VALUE_BOOL) {
			op->flags_import = v->u.b ? value_bool(true) :
			    value_list();
			value_free(v);
			return 0;
		}
		if (v->type == VALUE_STRING && strcmp(v->u.s, "all") == 0) {
			op->flags_import = value_bool(true);
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	if (n->kind != YNODE_SEQ)
		return gf_type_error(g, n, "flags-import", "yes, all, no or a list "
		    "of flag names");
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			return gf_type_error(g, n->items[i], "flags-import",
			    "a flag name");
	}
	op->flags_import = ynode_to_value(n);
	return 0;
}

static void
opdef_free(struct opdef *op)
{
	size_t	i;

	if (op == NULL)
		return;
	free(op->dir);
	free(op->name);
	free(op->error);
	free(op->description);
	free(op->main);
	free(op->exec);
	for (i = 0; i < op->nsteps; i++)
		step_free(op->steps[i]);
	free(op->steps);
	free(op->notebook);
	for (i = 0; i < op->nflags; i++)
		flag_free(op->flags[i]);
	free(op->flags);
	free(op->flags_dest);
	value_free(op->flags_import);
	strvec_clear(&op->flags_import_skip);
	for (i = 0; i < op->nrequires; i++)
		opdep_free(op->requires[i]);
	free(op->requires);
	value_free(op->env);
	strvec_clear(&op->env_secrets);
	free(op->python_requires);
	strvec_clear(&op->python_path);
	free(op->label);
	strvec_clear(&op->tags);
	strvec_clear(&op->compare);
	free(op->flag_encoder);
	capture_free(&op->output_scalars);
	capture_free(&op->output_attrs);
	value_free(op->objective);
	value_free(op->optimizers);
	value_free(op->publish);
	sourcecode_free(&op->sourcecode);
	value_free(op->run_attrs);
	free(op);
}

/* Copy the operation-defaults attributes an operation lacks. */
static int
apply_op_defaults(struct gload *g, struct ynode *op, const struct ynode *defs)
{
	struct kindex	 ki;
	struct ynode	*copy;
	size_t		 i;
	int		 rc = 0;

	if (gf_is_null(defs) || defs->kind != YNODE_MAP || defs->n == 0)
		return 0;
	gf_kindex_init(&ki, op);
	for (i = 0; i < defs->n; i++) {
		if (gf_kindex_find(&ki, defs->keys[i]->str, defs->keys[i]->len) >= 0)
			continue;
		if ((copy = gf_dup(g, defs->items[i])) == NULL) {
			rc = -1;
			break;
		}
		ynode_map_push(op, ynode_dup(defs->keys[i]), copy);
		gf_kindex_added(&ki);
	}
	gf_kindex_free(&ki);
	return rc;
}

/*
 * Where an operation's files are: those of the package its main, exec or
 * notebook was written in (an operation inherited from an installed
 * package, perhaps with other flags), else the project's.
 */
static const char *
op_origin_dir(const struct gload *g, const struct ynode *n)
{
	static const char *const runs[] = { "main", "exec", "notebook" };
	const struct ynode	*r;
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		if ((r = ynode_get(n, runs[i])) != NULL && !gf_is_null(r))
			return gf_origin_dir(g, r);
	}
	return gf_origin_dir(g, n);
}

static int
read_op(struct gload *g, struct modeldef *m, const struct ynode *key,
    struct ynode *n, struct opdef **out)
{
	const struct ynode *e;
	struct opdef	*op;
	int		 rc;

	if (n->kind != YNODE_MAP)
		return gf_error(g, n, "invalid value for operation '%s': expected "
		    "a string or a mapping", key->str);
	/* An error found in stage 1 (coerce_op), kept for this op. */
	if ((e = ynode_get(n, GF_OP_ERROR_KEY)) != NULL) {
		if (g->cause != NULL)
			*g->cause = xstrdup(e->str);
		return -1;
	}
	g->in_op = true;
	gf_check_attrs(g, n, "operation", op_attrs, ARRAY_SIZE(op_attrs));
	op = xcalloc(1, sizeof *op);
	op->model = m;
	op->name = xstrdup(key->str);
	op->line = key->line;
	op->dir = xstrdup(op_origin_dir(g, n));
	rc = gf_get_description(g, n, &op->description, true);
	if (rc == 0)
		rc = gf_get_bool(g, n, "default", &op->default_);
	if (rc == 0)
		rc = gf_get_string(g, n, "main", &op->main);
	if (rc == 0)
		rc = gf_get_string(g, n, "exec", &op->exec);
	if (rc == 0)
		rc = read_steps(g, op, n);
	if (rc == 0)
		rc = gf_get_string(g, n, "notebook", &op->notebook);
	if (rc == 0)
		rc = read_flags(g, op, n);
	if (rc == 0)
		rc = gf_get_string(g, n, "flags-dest", &op->flags_dest);
	if (rc == 0)
		rc = read_flags_import(g, op, n);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "flags-import-skip",
		    &op->flags_import_skip);
	if (rc == 0)
		rc = read_requires(g, op, n);
	if (rc == 0)
		rc = gf_get_value(g, n, "env", SHAPE_MAP, &op->env);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "env-secrets", &op->env_secrets);
	if (rc == 0)
		rc = gf_get_string(g, n, "python-requires", &op->python_requires);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "python-path", &op->python_path);
	if (rc == 0)
		rc = gf_get_bool(g, n, "stoppable", &op->stoppable);
	if (rc == 0)
		rc = gf_get_string(g, n, "label", &op->label);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "tags", &op->tags);
	if (rc == 0)
		rc = gf_get_strlist(g, n, "compare", &op->compare);
	if (rc == 0)
		rc = gf_get_bool(g, n, "handle-keyboard-interrupt",
		    &op->handle_keyboard_interrupt);
	if (rc == 0)
		rc = gf_get_string(g, n, "flag-encoder", &op->flag_encoder);
	if (rc == 0)
		rc = gf_get_long(g, n, "default-max-trials",
		    &op->default_max_trials);
	if (rc == 0)
		rc = read_capture(g, n, "output-scalars", &op->output_scalars);
	if (rc == 0)
		rc = read_capture(g, n, "output-attrs", &op->output_attrs);
	if (rc == 0)
		rc = gf_get_value(g, n, "objective", SHAPE_ANY, &op->objective);
	if (rc == 0 && ynode_get(n, "optimizer") != NULL &&
	    ynode_get(n, "optimizers") != NULL)
		rc = gf_error(g, key, "conflicting optimizer configuration in "
		    "operation '%s': cannot define both 'optimizer' and "
		    "'optimizers'", key->str);
	if (rc == 0)
		rc = gf_get_value(g, n, "optimizer", SHAPE_ANY, &op->optimizers);
	if (rc == 0)
		rc = gf_get_value(g, n, "optimizers", SHAPE_ANY, &op->optimizers);
	if (rc == 0)
		rc = gf_get_value(g, n, "publish", SHAPE_MAP, &op->publish);
	if (rc == 0)
		rc = read_sourcecode(g, n, &op->sourcecode);
	if (rc == 0)
		rc = gf_get_bool(g, n, "delete-on-success", &op->delete_on_success);
	if (rc == 0)
		rc = gf_get_bool(g, n, "can-stage-trials", &op->can_stage_trials);
	if (rc == 0)
		rc = gf_get_bool(g, n, "pip-freeze", &op->pip_freeze);
	if (rc == 0)
		rc = gf_get_value(g, n, "run-attrs", SHAPE_MAP, &op->run_attrs);
	if (rc == 0)
		rc = gf_get_bool(g, n, "default-flag-arg-skip",
		    &op->default_flag_arg_skip);
	g->in_op = false;
	/* Unknown attributes (the op's, its flags', sources'...): it fails. */
	if (g->op_unknown != NULL) {
		if (rc == 0 && g->cause != NULL)
			*g->cause = g->op_unknown;
		else
			free(g->op_unknown);
		g->op_unknown = NULL;
		rc = -1;
	}
	if (rc != 0) {
		opdef_free(op);
		return -1;
	}
	*out = op;
	return 0;
}

void
gf_modeldef_free(struct modeldef *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->name);
	free(m->description);
	for (i = 0; i < m->nops; i++)
		opdef_free(m->ops[i]);
	free(m->ops);
	for (i = 0; i < m->nresources; i++)
		resdef_free(m->resources[i]);
	free(m->resources);
	sourcecode_free(&m->sourcecode);
	strvec_clear(&m->extends);
	strvec_clear(&m->parents);
	value_free(m->references);
	value_free(m->extra);
	free(m->python_requires);
	free(m);
}

/*
 * An operation that could not be read: its name, its description if that
 * much can be read, and the error (taken from *g->cause), for when it is
 * used.
 */
static struct opdef *
broken_op(struct gload *g, struct modeldef *m, const struct ynode *key,
    const struct ynode *n)
{
	struct opdef		*op = xcalloc(1, sizeof *op);
	const struct ynode	*d;

	op->model = m;
	op->name = xstrdup(key->str);
	op->line = key->line;
	op->dir = xstrdup(n->kind == YNODE_MAP ? op_origin_dir(g, n) :
	    g->gf->dir);
	op->error = *g->cause;
	*g->cause = NULL;
	if (n->kind == YNODE_MAP && (d = ynode_get(n, "description")) != NULL &&
	    d->kind == YNODE_SCALAR && d->str != NULL)
		op->description = xstrdup(d->str);
	/* Still the default: running the model names this error. */
	if (n->kind == YNODE_MAP && (d = ynode_get(n, "default")) != NULL &&
	    d->kind == YNODE_SCALAR) {
		struct value	*v = ynode_to_value(d);

		op->default_ = v != NULL && v->type == VALUE_BOOL && v->u.b;
		value_free(v);
	}
	return op;
}

static int
read_model_ops(struct gload *g, struct modeldef *m, struct ynode *data)
{
	const struct ynode	*defs = ynode_get(data, "operation-defaults");
	struct ynode		*ops;
	size_t			 i;
	int			 rc = 0;

	if (!gf_is_null(defs) && defs->kind != YNODE_MAP)
		return gf_type_error(g, defs, "operation-defaults", "a mapping");
	/* data is the model's own copy: its operations are taken. */
	if ((ops = gf_resolve_includes(g, data, "operations", true)) == NULL)
		return -1;
	m->ops = xcalloc(ops->n ? ops->n : 1, sizeof *m->ops);
	for (i = 0; rc == 0 && i < ops->n; i++) {
		if (ops->items[i]->kind == YNODE_MAP)
			rc = apply_op_defaults(g, ops->items[i], defs);
		if (rc == 0)
			rc = read_op(g, m, ops->keys[i], ops->items[i],
			    &m->ops[m->nops]);
		if (rc == -1 && g->cause != NULL && *g->cause != NULL &&
		    !g->over_budget) {
			m->ops[m->nops] = broken_op(g, m, ops->keys[i],
			    ops->items[i]);
			rc = 0;
		}
		if (rc == 0)
			m->nops++;
	}
	ynode_free(ops);
	return rc;
}

static int
read_model_resources(struct gload *g, struct modeldef *m,
    const struct ynode *data)
{
	struct ynode	*res;
	size_t		 i;
	int		 rc = 0;

	if ((res = gf_resolve_includes(g, data, "resources", false)) == NULL)
		return -1;
	m->resources = xcalloc(res->n ? res->n : 1, sizeof *m->resources);
	for (i = 0; rc == 0 && i < res->n; i++) {
		rc = read_resource(g, res->keys[i]->str, res->keys[i],
		    res->items[i], false, &m->resources[m->nresources]);
		if (rc == 0)
			m->nresources++;
	}
	ynode_free(res);
	return rc;
}

static int
read_model(struct gload *g, const struct ynode *item, const char *name)
{
	struct strvec	 seen = STRVEC_INIT, parents = STRVEC_INIT;
	struct modeldef	*m;
	struct ynode	*data;
	int		 rc;

	strvec_push(&seen, name);
	data = gf_extended_data(g, item, &seen, &parents);
	strvec_clear(&seen);
	if (data == NULL) {
		strvec_clear(&parents);
		return -1;
	}
	if (gf_apply_params(g, data) != 0) {
		strvec_clear(&parents);
		ynode_free(data);
		return -1;
	}
	gf_check_attrs(g, data, "model", model_attrs, ARRAY_SIZE(model_attrs));

	m = xcalloc(1, sizeof *m);
	m->gf = g->gf;
	m->name = xstrdup(name);
	m->line = item->line;
	m->parents = parents;
	g->parents = &m->parents;
	rc = gf_get_description(g, data, &m->description, true);
	if (rc == 0)
		rc = gf_get_bool(g, data, "default", &m->default_);
	if (rc == 0)
		rc = gf_get_strlist(g, item, "extends", &m->extends);
	if (rc == 0)
		rc = gf_get_value(g, data, "references", SHAPE_ANY,
		    &m->references);
	if (rc == 0)
		rc = gf_get_value(g, data, "extra", SHAPE_ANY, &m->extra);
	if (rc == 0)
		rc = gf_get_string(g, data, "python-requires",
		    &m->python_requires);
	if (rc == 0)
		rc = read_sourcecode(g, data, &m->sourcecode);
	if (rc == 0)
		rc = read_model_ops(g, m, data);
	if (rc == 0)
		rc = read_model_resources(g, m, data);
	g->parents = NULL;
	ynode_free(data);
	if (rc != 0) {
		gf_modeldef_free(m);
		return -1;
	}
	g->gf->models = xreallocarray(g->gf->models, g->gf->nmodels + 1,
	    sizeof *g->gf->models);
	g->gf->models[g->gf->nmodels++] = m;
	return 0;
}

int
gf_read_models(struct gload *g)
{
	const struct ynode	*item, *name;
	struct strset		 names = { NULL, 0, 0 };
	const char		*n;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < g->nitems; i++) {
		if ((n = gf_item_name(g->items[i])) != NULL)
			gf_smap_add(&g->item_names, n, i);
	}
	for (i = 0; rc == 0 && i < g->nitems; i++) {
		item = g->items[i];
		if ((name = ynode_get(item, "model")) == NULL)
			continue;
		if (!gf_strset_add(&names, name->str))
			rc = gf_error(g, item, "duplicate model '%s'", name->str);
		else
			rc = read_model(g, item, name->str);
	}
	gf_strset_clear(&names);
	return rc;
}

/*
 * The test: items: each a pipeline operation of the hidden model "test"
 * (gf->test_model), so that `guild test NAME` runs it as any pipeline and
 * a restart finds it again as test:NAME.
 */
int
gf_read_tests(struct gload *g)
{
	struct strset		 names = { NULL, 0, 0 };
	const struct ynode	*item, *name;
	struct ynode		*data;
	struct modeldef		*m = NULL;
	struct opdef		*op;
	size_t			 i, j;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < g->nitems; i++) {
		item = g->items[i];
		if ((name = ynode_get(item, "test")) == NULL)
			continue;
		if (m == NULL &&
		    guildfile_model(g->gf, GUILDFILE_TEST_MODEL) != NULL) {
			rc = gf_error(g, name, "test '%s': a model named '%s' "
			    "is in the way (tests run as %s:NAME)", name->str,
			    GUILDFILE_TEST_MODEL, GUILDFILE_TEST_MODEL);
			break;
		}
		if (!gf_strset_add(&names, name->str)) {
			rc = gf_error(g, name, "duplicate test '%s'", name->str);
			break;
		}
		if (m == NULL) {
			m = xcalloc(1, sizeof *m);
			m->gf = g->gf;
			m->name = xstrdup(GUILDFILE_TEST_MODEL);
			m->line = item->line;
			g->gf->test_model = m;
		}
		data = ynode_new_map(item);
		for (j = 0; j < item->n; j++) {
			if (strcmp(item->keys[j]->str, "test") != 0)
				ynode_map_push(data, ynode_dup(item->keys[j]),
				    ynode_dup(item->items[j]));
		}
		op = NULL;
		rc = read_op(g, m, name, data, &op);
		if (rc == 0 && op->nsteps == 0) {
			opdef_free(op);
			rc = gf_error(g, item, "test '%s' has no steps",
			    name->str);
		}
		/* As a broken operation, a broken test fails when it is run. */
		if (rc == -1 && g->cause != NULL && *g->cause != NULL &&
		    !g->over_budget) {
			op = broken_op(g, m, name, data);
			rc = 0;
		}
		ynode_free(data);
		if (rc != 0)
			break;
		op->test = true;
		m->ops = xreallocarray(m->ops, m->nops + 1, sizeof *m->ops);
		m->ops[m->nops++] = op;
	}
	gf_strset_clear(&names);
	return rc;
}

void
gf_pkgdef_free(struct pkgdef *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->version);
	free(p->description);
	free(p->url);
	free(p->author);
	free(p->author_email);
	free(p->license);
	strvec_clear(&p->tags);
	free(p->python_tag);
	strvec_clear(&p->data_files);
	free(p->python_requires);
	strvec_clear(&p->requires);
	value_free(p->packages);
	free(p);
}

static const char *const package_attrs[] = { "author", "author-email",
    "data-files", "description", "license", "package", "packages",
    "python-requires", "python-tag", "requires", "tags", "url", "version" };

/* The package: item, as Guild AI 0.9's PackageDef reads it. */
int
gf_read_package(struct gload *g)
{
	const struct ynode	*item, *name;
	struct pkgdef		*p;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < g->nitems; i++) {
		item = g->items[i];
		if ((name = ynode_get(item, "package")) == NULL)
			continue;
		if (g->gf->package != NULL)
			return gf_error(g, item, "more than one package item "
			    "(the first is at line %u)", g->gf->package->line);
		gf_check_attrs(g, item, "package", package_attrs,
		    ARRAY_SIZE(package_attrs));
		p = xcalloc(1, sizeof *p);
		p->name = xstrdup(name->str);
		p->line = item->line;
		rc = gf_get_string(g, item, "version", &p->version);
		if (rc == 0)
			rc = gf_get_description(g, item, &p->description, true);
		if (rc == 0)
			rc = gf_get_string(g, item, "url", &p->url);
		if (rc == 0)
			rc = gf_get_string(g, item, "author", &p->author);
		if (rc == 0)
			rc = gf_get_string(g, item, "author-email",
			    &p->author_email);
		if (rc == 0)
			rc = gf_get_string(g, item, "license", &p->license);
		if (rc == 0)
			rc = gf_get_strlist(g, item, "tags", &p->tags);
		if (rc == 0)
			rc = gf_get_string(g, item, "python-tag",
			    &p->python_tag);
		if (rc == 0)
			rc = gf_get_strlist(g, item, "data-files",
			    &p->data_files);
		if (rc == 0)
			rc = gf_get_string(g, item, "python-requires",
			    &p->python_requires);
		if (rc == 0)
			rc = gf_get_strlist(g, item, "requires", &p->requires);
		if (rc == 0)
			rc = gf_get_value(g, item, "packages", SHAPE_MAP,
			    &p->packages);
		if (rc != 0) {
			gf_pkgdef_free(p);
			return -1;
		}
		if (p->version == NULL)
			p->version = xstrdup("0.0.0");
		g->gf->package = p;
	}
	return 0;
}

const char *
flag_type_name(enum flag_type t)
{
	if ((size_t)t >= ARRAY_SIZE(flag_type_names))
		return "auto";
	return flag_type_names[t];
}
