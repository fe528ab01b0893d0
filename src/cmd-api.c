/*
 * cmd-api.c: guild api runs|ops|help-op|compare: runs, operations and the
 * comparison table as JSON on standard output, for editors and notebooks
 * (Guild's VS Code extension calls these), as Guild 0.9's api commands
 * write them (guild/commands/api_*.py, view_impl_legacy.run_data): the
 * same keys, in the same order, with the same value types.
 *
 * The JSON is Python's json.dumps(): ", " and ": " separators, keys in
 * Guild's order, non-ASCII text as \uXXXX escapes; with -f/--format,
 * indent=2 and sort_keys=True. Unlike Python, NaN and infinities are
 * written as null, so that every JSON parser reads the output.
 */
#include "common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd-compare.h"
#include "cmd-run.h"
#include "cmd-select.h"
#include "cmds.h"
#include "digest.h"
#include "flagimport.h"
#include "format.h"
#include "guildfile.h"
#include "home.h"
#include "run.h"
#include "runfiles.h"
#include "runindex.h"
#include "runner.h"
#include "scalars.h"
#include "sourcecode.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

enum {
	O_FORMAT = 1,
	O_API_VERSION,
	O_DELETED,
	O_INCLUDE_BATCH,
};

#define FORMAT_OPTION \
	{ O_FORMAT, "f", "format", NULL, "Format the JSON output." }

static const struct cmd_option runs_options[] = {
	FORMAT_OPTION,
	{ O_API_VERSION, "v", "api-version", "[1|2]",
	  "API version (default 2)." },
	{ O_DELETED, "d", "deleted", NULL, "Show deleted runs." },
	{ O_INCLUDE_BATCH, NULL, "include-batch", NULL, "Include batch runs." },
	{ 0 }
};

static const struct cmd_option ops_options[] = {
	FORMAT_OPTION,
	{ 0 }
};

static const struct cmd_option help_op_options[] = {
	FORMAT_OPTION,
	{ 0 }
};

static const struct cmd_option compare_options[] = {
	FORMAT_OPTION,
	{ O_INCLUDE_BATCH, NULL, "include-batch", NULL, "Include batch runs." },
	{ 0 }
};

/*
 * Output
 */

static void
sort_keys(struct value *v)
{
	size_t	i;

	if (v->type == VALUE_MAP) {
		value_map_sort(v);
		for (i = 0; i < v->u.map.n; i++)
			sort_keys(v->u.map.v[i]);
	} else if (v->type == VALUE_LIST)
		for (i = 0; i < v->u.list.n; i++)
			sort_keys(v->u.list.v[i]);
}

static void
add_u16(struct strbuf *sb, unsigned u)
{
	strbuf_addf(sb, "\\u%04x", u);
}

/*
 * One code point of UTF-8 at s (n bytes left) as \uXXXX (a surrogate pair
 * above U+FFFF); a byte that does not start valid UTF-8 is U+FFFD.
 * Returns the bytes used.
 */
static size_t
escape_utf8(struct strbuf *sb, const unsigned char *s, size_t n)
{
	unsigned	cp, min;
	size_t		len, i;

	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	if (cp >= 0x10000) {
		cp -= 0x10000;
		add_u16(sb, 0xd800 | cp >> 10);
		add_u16(sb, 0xdc00 | (cp & 0x3ff));
	} else
		add_u16(sb, cp);
	return len;
bad:
	add_u16(sb, 0xfffd);
	return 1;
}

static void
newline(struct strbuf *sb, size_t indent)
{
	strbuf_addch(sb, '\n');
	strbuf_addchars(sb, ' ', indent);
}

/*
 * Re-lay compact JSON (value_encode_json's) as Python's json.dumps does:
 * non-ASCII escaped, and with pretty, indented by 2 (Python's ","
 * item separator at line ends, empty containers as [] and {}).
 */
static void
json_layout(struct strbuf *out, const char *json, bool pretty)
{
	const unsigned char	*p = (const unsigned char *)json;
	size_t			 n = strlen(json), i, indent = 0;
	bool			 in_str = false;

	for (i = 0; i < n; ) {
		unsigned char	c = p[i];

		if (in_str) {
			if (c == '\\' && i + 1 < n) {
				strbuf_add(out, p + i, 2);
				i += 2;
				continue;
			}
			if (c == '"')
				in_str = false;
			if (c >= 0x80) {
				i += escape_utf8(out, p + i, n - i);
				continue;
			}
			strbuf_addch(out, c);
			i++;
			continue;
		}
		if (c == '"')
			in_str = true;
		if (!pretty) {
			strbuf_addch(out, c);
			i++;
			continue;
		}
		switch (c) {
		case '[':
		case '{':
			strbuf_addch(out, c);
			if (i + 1 < n && (p[i + 1] == ']' || p[i + 1] == '}')) {
				strbuf_addch(out, p[i + 1]);
				i += 2;
				continue;
			}
			indent += 2;
			newline(out, indent);
			break;
		case ']':
		case '}':
			indent -= indent >= 2 ? 2 : indent;
			newline(out, indent);
			strbuf_addch(out, c);
			break;
		case ',':
			strbuf_addch(out, ',');
			newline(out, indent);
			if (i + 1 < n && p[i + 1] == ' ')
				i++;
			break;
		default:
			strbuf_addch(out, c);
		}
		i++;
	}
}

/* Print v (taken) as the command's output. */
static int
api_out(struct cmd_args *a, struct value *v)
{
	struct strbuf	compact = STRBUF_INIT, out = STRBUF_INIT;
	bool		pretty = cmd_arg_has(a, O_FORMAT);

	if (pretty)
		sort_keys(v);
	value_encode_json(&compact, v);
	value_free(v);
	json_layout(&out, compact.buf, pretty);
	strbuf_addch(&out, '\n');
	/* Pure ASCII JSON: nothing a terminal would act on. */
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&compact);
	strbuf_release(&out);
	if (fflush(stdout) == EOF || ferror(stdout))
		return cli_error("write error on standard output");
	return 0;
}

static struct value *
str_or_null(const char *s)
{
	return s != NULL ? value_string(s) : value_null();
}

static bool
is_batch(const struct run_row *row)
{
	return row->op != NULL && str_ends_with(row->op, "+");
}

static void
drop_batch_runs(struct run_rows *rows)
{
	size_t	i, j;

	for (i = 0, j = 0; i < rows->n; i++)
		if (is_batch(rows->v[i]))
			run_row_free(rows->v[i]);
		else
			rows->v[j++] = rows->v[i];
	rows->n = j;
}

/*
 * guild api runs
 */

/* Guild's CORE_RUN_ATTRS and LEGACY_RUN_ATTRS: not in otherAttrs. */
static bool
core_attr(const char *name)
{
	static const char *const names[] = {
		"cmd", "deps", "env", "exit_status", "flags", "host", "id",
		"initialized", "label", "op", "opdef_attrs", "platform",
		"plugins", "random_seed", "run_params", "sourcecode_digest",
		"started", "stopped", "user", "user_flags", "vcs_commit",
		"pip_freeze", "r_sys_info", "r_packages_loaded",
		"resolved_deps", "opdef", NULL
	};
	size_t	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int
natcmp_p(const void *a, const void *b)
{
	return natcmp(*(char *const *)a, *(char *const *)b);
}

static struct value *
other_attrs(const struct run_row *row)
{
	struct value	*out = value_map();
	struct strvec	 names = STRVEC_INIT;
	size_t		 i;

	if (row->attrs == NULL || row->attrs->type != VALUE_MAP)
		return out;
	for (i = 0; i < row->attrs->u.map.n; i++) {
		const char	*k = row->attrs->u.map.k[i];

		if (k[0] != '_' && !core_attr(k))
			strvec_push(&names, k);
	}
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, natcmp_p);
	for (i = 0; i < names.n; i++)
		value_map_set(out, names.v[i],
		    value_dup(value_map_get(row->attrs, names.v[i])));
	strvec_clear(&names);
	return out;
}

static struct value *
attr_or(const struct run_row *row, const char *name, struct value *dflt)
{
	const struct value	*v;

	if (row->attrs != NULL && (v = value_map_get(row->attrs, name)) != NULL &&
	    v->type != VALUE_NULL) {
		value_free(dflt);
		return value_dup(v);
	}
	return dflt;
}

/* The operation of run id in runs_dir ("model:op"), or NULL. */
static char *
run_operation(const char *runs_dir, const char *id)
{
	struct opref	 ref;
	struct run	*run;
	char		*path = path_join(runs_dir, id), *op = NULL;

	memset(&ref, 0, sizeof ref);
	if ((run = run_open(path, NULL)) != NULL &&
	    run_opref_read(run, &ref, NULL) == 0) {
		op = *ref.model != '\0' ? xasprintf("%s:%s", ref.model, ref.op) :
		    xstrdup(ref.op);
		opref_clear(&ref);
	}
	run_free(run);
	free(path);
	return op;
}

/*
 * A path under runs_dir: its run id (the first component) and the rest;
 * false for other paths.
 */
static bool
in_runs_dir(const char *runs_dir, const char *path, char **id,
    const char **rest)
{
	size_t	n = strlen(runs_dir), len;

	if (strncmp(path, runs_dir, n) != 0 || path[n] != '/')
		return false;
	path += n + 1;
	len = strcspn(path, "/");
	if (len == 0)
		return false;
	*id = xstrndup(path, len);
	*rest = path[len] == '/' ? path + len + 1 : path + len;
	return true;
}

/* Guild's _format_deps: the runs this run's deps attr points into. */
static struct value *
run_deps(const struct run_row *row, const char *runs_dir)
{
	const struct value	*deps;
	struct value		*out = value_list(), *item = NULL, *paths;
	struct strvec		 all = STRVEC_INIT;
	size_t			 i, j, k;

	deps = row->attrs != NULL ? value_map_get(row->attrs, "deps") : NULL;
	if (deps == NULL || deps->type != VALUE_MAP)
		return out;
	for (i = 0; i < deps->u.map.n; i++) {
		const struct value	*v = deps->u.map.v[i];

		if (v->type == VALUE_LIST) {
			for (j = 0; j < v->u.list.n; j++)
				if (v->u.list.v[j]->type == VALUE_STRING)
					strvec_push(&all, v->u.list.v[j]->u.s);
		} else if (v->type == VALUE_MAP)
			for (j = 0; j < v->u.map.n; j++)
				strvec_push(&all, v->u.map.k[j]);
	}
	for (i = 0; i < all.n; i++) {
		const char	*rest;
		char		*id, *op;

		if (!in_runs_dir(runs_dir, all.v[i], &id, &rest))
			continue;
		for (k = 0, item = NULL; k < out->u.list.n; k++) {
			const struct value *r = value_map_get(out->u.list.v[k],
			    "id");

			if (strcmp(r->u.s, id) == 0)
				item = out->u.list.v[k];
		}
		if (item == NULL) {
			/* A dependency on a run that is gone is left out. */
			if ((op = run_operation(runs_dir, id)) == NULL) {
				free(id);
				continue;
			}
			item = value_map();
			value_map_set(item, "id", value_string(id));
			value_map_set(item, "run", value_string_n(id,
			    RUN_SHORT_ID_LEN));
			value_map_set(item, "operation", value_string(op));
			value_map_set(item, "paths", value_list());
			free(op);
			/* Sorted by operation, as Guild sorts them. */
			for (k = 0; k < out->u.list.n; k++)
				if (strcmp(value_map_get(out->u.list.v[k],
				    "operation")->u.s, value_map_get(item,
				    "operation")->u.s) > 0)
					break;
			value_list_push(out, item);
			memmove(out->u.list.v + k + 1, out->u.list.v + k,
			    (out->u.list.n - 1 - k) * sizeof *out->u.list.v);
			out->u.list.v[k] = item;
		}
		paths = value_map_get(item, "paths");
		value_list_push(paths, value_string(rest));
		free(id);
	}
	for (k = 0; k < out->u.list.n; k++)
		value_map_del(out->u.list.v[k], "id");
	strvec_clear(&all);
	return out;
}

/*
 * Guild's _base_file_type_info, for API version 1: a description, an
 * icon, its tooltip and a viewer (NULL: none), by the name.
 */
struct file_kind {
	const char	*suffix;	/* matched at the end (lowercase) */
	const char	*desc, *icon, *tooltip, *viewer;
};

static const struct file_kind file_kinds[] = {
	{ "saved_model.pb", "SavedModel protocol buffer", "file", "File",
	  NULL },
	{ "graph.pb", "GraphDef protocol buffer", "file", "File", NULL },
	{ "saved_model.pbtxt", "SavedModel protocol buffer", "file-document",
	  "Text file", "text" },
	{ "graph.pbtxt", "GraphDef protocol buffer", "file-document",
	  "Text file", "text" },
	{ ".index", "Checkpoint index", "file", "File", NULL },
	{ ".meta", "Checkpoint meta graph", "file", "File", NULL },
	{ "/checkpoint", "Latest checkpoint marker", "file", "File", NULL },
	{ ".tfrecord", "Dataset file", "file", "File", NULL },
	{ ".jpg", "Image", "file-image", "Image", "image" },
	{ ".jpeg", "Image", "file-image", "Image", "image" },
	{ ".gif", "Image", "file-image", "Image", "image" },
	{ ".png", "Image", "file-image", "Image", "image" },
	{ ".tiff", "Image", "file-image", "Image", "image" },
};

static void
file_kind_v1(struct value *m, const char *abs, const struct run_file *f,
    bool to_run)
{
	const char	*desc = "File", *icon = "file", *tip = "File";
	const char	*viewer = NULL;
	char		*lower = xstrdup(abs), *p;
	size_t		 i;

	for (p = lower; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strstr(lower, ".tfevents.") != NULL) {
		desc = "Event log";
		icon = "file-chart";
	} else {
		for (i = 0; i < ARRAY_SIZE(file_kinds); i++)
			if (str_ends_with(lower, file_kinds[i].suffix))
				break;
		if (i < ARRAY_SIZE(file_kinds)) {
			desc = file_kinds[i].desc;
			icon = file_kinds[i].icon;
			tip = file_kinds[i].tooltip;
			viewer = file_kinds[i].viewer;
		} else if (strstr(lower, ".mid") != NULL) {
			desc = "Audio";
			icon = "file-music";
			tip = "Audio";
			viewer = "midi";
		} else if (strstr(lower, ".wav") != NULL ||
		    strstr(lower, ".mp3") != NULL) {
			desc = "Audio";
			icon = "file-music";
			tip = "Audio";
		} else if (strstr(lower, ".csv") != NULL ||
		    strstr(lower, ".tsv") != NULL) {
			desc = "Table";
			icon = "file-delimited";
			tip = "Delimited";
			viewer = "table";
		} else if (f->exists && f->regular &&
		    sourcecode_is_text_file(abs)) {
			desc = "Text file";
			icon = "file-document";
			tip = "Text file";
			viewer = "text";
		}
	}
	if (f->link) {
		desc = to_run ? "Link to operation output" : "Link";
		icon = f->dir ? "folder-move" : "file-send";
		tip = "Link";
	}
	value_map_set(m, "type", value_string(desc));
	value_map_set(m, "icon", value_string(icon));
	value_map_set(m, "iconTooltip", value_string(tip));
	value_map_set(m, "viewer", str_or_null(viewer));
	free(lower);
}

static struct value *
run_files_value(const struct run_row *row, const char *runs_dir, int version)
{
	struct run_files	 fs = RUN_FILES_INIT;
	struct value		*out = value_list(), *m;
	size_t			 i;

	if (run_files_list(row->dir, RUN_FILES_API, NULL, &fs, NULL) == -1)
		return out;
	for (i = 0; i < fs.n; i++) {
		const struct run_file	*f = &fs.v[i];
		char			*abs = path_join(row->dir, f->path);
		char			*real, *id = NULL, *op = NULL;
		const char		*rest;
		bool			 to_run = false;

		m = value_map();
		value_map_set(m, "path", value_string(f->path));
		value_map_set(m, "size", f->exists ? value_int(f->size) :
		    value_null());
		value_map_set(m, "mtime", f->exists ?
		    value_int(f->mtime_us / 1000) : value_null());
		/* A link into another run names that run and operation. */
		if (f->link && (real = realpath(abs, NULL)) != NULL) {
			if (in_runs_dir(runs_dir, real, &id, &rest)) {
				to_run = true;
				if ((op = run_operation(runs_dir, id)) == NULL)
					op = xasprintf("%s (deleted)", id);
				else {
					char	*s = xstrndup(id, RUN_SHORT_ID_LEN);

					free(id);
					id = s;
				}
				if (strstr(op, " (deleted)") != NULL) {
					free(id);
					id = NULL;
				}
			}
			free(real);
		}
		if (version == 1)
			file_kind_v1(m, abs, f, to_run);
		value_map_set(m, "operation", str_or_null(op));
		value_map_set(m, "run", str_or_null(id));
		value_list_push(out, m);
		free(op);
		free(id);
		free(abs);
	}
	run_files_release(&fs);
	return out;
}

static struct value *
opref_value(const char *encoded)
{
	struct opref	 ref;
	struct value	*m;

	memset(&ref, 0, sizeof ref);
	if (encoded == NULL || opref_parse(encoded, &ref, NULL) == -1)
		return value_null();
	m = value_map();
	value_map_set(m, "pkgType", value_string(ref.pkg_type));
	value_map_set(m, "pkgName", value_string(ref.pkg_name));
	value_map_set(m, "pkgVersion", value_string(ref.pkg_version));
	value_map_set(m, "modelName", value_string(ref.model));
	value_map_set(m, "opName", value_string(ref.op));
	opref_clear(&ref);
	return m;
}

/* index.run_scalars(): a row per key, Guild's columns. */
static struct value *
scalars_value(const struct run_row *row, int version)
{
	static const char *const v1[] = {
		"first_val", "first_step", "last_val", "last_step", "min_val",
		"min_step", "max_val", "max_step", "avg_val"
	};
	static const char *const v2[] = {
		"firstVal", "firstStep", "lastVal", "lastStep", "minVal",
		"minStep", "maxVal", "maxStep", "avgVal"
	};
	const char *const	*k = version == 1 ? v1 : v2;
	struct value		*out = value_list(), *m;
	size_t			 i;

	for (i = 0; row->scalars != NULL && i < row->scalars->n; i++) {
		const struct scalar_stats	*s = &row->scalars->v[i];
		const char			*hash;

		if (s->count == 0)
			continue;
		m = value_map();
		value_map_set(m, "run", value_string(row->id));
		/* Keys "dir#tag" come from TensorBoard files in dir. */
		if ((hash = strrchr(s->key, '#')) != NULL) {
			value_map_set(m, "prefix", value_string_n(s->key,
			    (size_t)(hash - s->key)));
			value_map_set(m, "tag", value_string(hash + 1));
		} else {
			value_map_set(m, "prefix", value_string(".guild"));
			value_map_set(m, "tag", value_string(s->key));
		}
		value_map_set(m, k[0], value_float(s->first.value));
		value_map_set(m, k[1], value_int(s->first.step));
		value_map_set(m, k[2], value_float(s->last.value));
		value_map_set(m, k[3], value_int(s->last.step));
		value_map_set(m, k[4], value_float(s->min.value));
		value_map_set(m, k[5], value_int(s->min.step));
		value_map_set(m, k[6], value_float(s->max.value));
		value_map_set(m, k[7], value_int(s->max.step));
		value_map_set(m, k[8], value_float(s->total /
		    (double)s->count));
		value_map_set(m, "total", value_float(s->total));
		value_map_set(m, "count", value_int((long long)s->count));
		value_list_push(out, m);
	}
	return out;
}

static struct value *
sourcecode_value(const struct run_row *row)
{
	struct strvec	 files = STRVEC_INIT;
	struct value	*m = value_map(), *l = value_list();
	char		*root;
	size_t		 i;

	run_sourcecode(row->dir, &root, &files);
	for (i = 0; i < files.n; i++)
		value_list_push(l, value_string(files.v[i]));
	value_map_set(m, "root", value_string(root));
	value_map_set(m, "files", l);
	free(root);
	strvec_clear(&files);
	return m;
}

/* view_impl_legacy.run_data(), version 1 or 2. */
static struct value *
run_data(const struct run_row *row, const char *runs_dir, int version)
{
	struct value	*m = value_map(), *v;
	struct strbuf	 sb = STRBUF_INIT;
	char		*s;
	size_t		 i;

	value_map_set(m, "id", value_string(row->id));
	value_map_set(m, "shortId", value_string_n(row->id, RUN_SHORT_ID_LEN));
	value_map_set(m, "dir", value_string(row->dir));
	value_map_set(m, "operation", value_string(row->op_desc != NULL ?
	    row->op_desc : ""));
	if (version == 1) {
		value_map_set(m, "started",
		    value_string((s = format_time_str(row->started))));
		free(s);
		value_map_set(m, "stopped",
		    value_string((s = format_time_str(row->stopped))));
		free(s);
		format_run_time(&sb, row->started, row->stopped,
		    row->status == RUN_STATUS_RUNNING, now_us());
		value_map_set(m, "time", value_string(sb.buf));
		strbuf_reset(&sb);
	} else {
		value_map_set(m, "started", row->started > 0 ?
		    value_int(row->started) : value_null());
		value_map_set(m, "stopped", row->stopped > 0 ?
		    value_int(row->stopped) : value_null());
	}
	value_map_set(m, "label", value_string(row->label != NULL ?
	    row->label : ""));
	if (version == 1) {
		s = strvec_join(&row->tags, ", ");
		value_map_set(m, "tags", value_string(s));
		free(s);
	} else {
		v = value_list();
		for (i = 0; i < row->tags.n; i++)
			value_list_push(v, value_string(row->tags.v[i]));
		value_map_set(m, "tags", v);
	}
	value_map_set(m, "comments", attr_or(row, "comments", value_list()));
	value_map_set(m, "status", value_string(run_status_name(row->status)));
	value_map_set(m, "exitStatus", row->has_exit_status ?
	    value_int(row->exit_status) : attr_or(row, "exit_status",
	    value_string("")));
	run_command_text(&sb, row->attrs != NULL ?
	    value_map_get(row->attrs, "cmd") : NULL);
	value_map_set(m, "command", value_string(sb.buf));
	value_map_set(m, "otherAttrs", other_attrs(row));
	value_map_set(m, "flags", row->flags != NULL ? value_dup(row->flags) :
	    value_map());
	value_map_set(m, "env", attr_or(row, "env", value_map()));
	value_map_set(m, "deps", run_deps(row, runs_dir));
	value_map_set(m, "files", run_files_value(row, runs_dir, version));
	value_map_set(m, "sourcecode", sourcecode_value(row));
	s = run_row_project_dir(row);
	value_map_set(m, "projectDir", str_or_null(s));
	free(s);
	value_map_set(m, "opRef", opref_value(row->opref));
	value_map_set(m, "marked", value_bool(row->marked));
	value_map_set(m, "scalars", scalars_value(row, version));
	strbuf_release(&sb);
	return m;
}

static int
cmd_api_runs_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct runindex		*idx;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct value		*out;
	const char		*ver = cmd_arg_value(a, O_API_VERSION);
	bool			 deleted = cmd_arg_has(a, O_DELETED);
	int			 version = 2, rc;
	size_t			 i;

	if (ver != NULL) {
		if (strcmp(ver, "1") != 0 && strcmp(ver, "2") != 0)
			return cli_error("invalid value for '-v' / "
			    "'--api-version': '%s' is not one of '1', '2'", ver);
		version = ver[0] - '0';
	}
	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if ((rc = cmd_runs_select(ctx, a, NULL, NULL, deleted,
	    RUNINDEX_FLAGS | RUNINDEX_SCALARS | RUNINDEX_ATTRS, &idx,
	    &rows)) != 0)
		return rc;
	runindex_close(idx);
	/* As guild runs list: batch runs are shown with the deleted ones. */
	if (!cmd_arg_has(a, O_INCLUDE_BATCH) && !deleted)
		drop_batch_runs(&rows);
	out = value_list();
	for (i = 0; i < rows.n; i++)
		value_list_push(out, run_data(rows.v[i], home->runs, version));
	run_rows_release(&rows);
	return api_out(a, out);
}

/*
 * guild api ops
 */

/*
 * Guild's flag_util.format_flag: the flag encoding, and a string with a
 * space (not already quoted) as Python's repr: msg='Hello Guild!'.
 */
static void
flag_assign_value(struct strbuf *sb, const struct value *v)
{
	struct strbuf	enc = STRBUF_INIT;

	value_format_flag(&enc, v);
	if (v->type == VALUE_STRING && enc.buf[0] != '\'' &&
	    enc.buf[0] != '"' && strchr(enc.buf, ' ') != NULL)
		format_str_repr(sb, enc.buf);
	else
		strbuf_addstr(sb, enc.buf);
	strbuf_release(&enc);
}

/* Guild's op_info_for_opdef (api_help_op.py), for api ops and help-op. */
static struct value *
op_value(const struct guild_home *home, struct opdef *op)
{
	const struct guildfile	*gf = op->model->gf;
	struct value		*m = value_map(), *v, *flags, *f, *choices;
	struct strbuf		 sb = STRBUF_INIT;
	struct opref		 ref;
	char			*cause = NULL, *full, *md5;
	size_t			 i, j;

	/* Guild lists the flags a script's main module defines too. */
	if (flags_import_apply(home, op, &cause) == -1) {
		warnx_core("%s", cause);
		free(cause);
	}
	runner_opref(op, &ref, &md5);
	v = value_map();
	value_map_set(v, "pkgType", value_string(ref.pkg_type));
	value_map_set(v, "pkgName", value_string(ref.pkg_name));
	value_map_set(v, "pkgVersion", str_or_null(ref.pkg_version));
	value_map_set(v, "modelName", value_string(ref.model));
	value_map_set(v, "opName", value_string(ref.op));
	value_map_set(m, "opref", v);
	free(md5);
	value_map_set(m, "name", value_string(op->name));
	full = opdef_fullname(op);
	value_map_set(m, "fullname", value_string(full));
	free(full);
	value_map_set(m, "description", value_string(op->description != NULL ?
	    op->description : ""));
	v = value_map();
	value_map_set(v, "dir", value_string(gf->dir));
	value_map_set(v, "src", value_string(gf->path));
	value_map_set(m, "guildfile", v);
	flags = value_map();
	for (i = 0; i < op->nflags; i++) {
		const struct flagdef	*fd = op->flags[i];
		struct value		*dflt = fd->default_value != NULL ?
					    value_dup(fd->default_value) :
					    value_null();

		f = value_map();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s=", fd->name);
		flag_assign_value(&sb, dflt);
		value_map_set(f, "default", dflt);
		value_map_set(f, "defaultAssign", value_string(sb.buf));
		value_map_set(f, "description", value_string(fd->description !=
		    NULL ? fd->description : ""));
		choices = value_list();
		for (j = 0; j < fd->nchoices; j++) {
			const struct flag_choice	*c = &fd->choices[j];

			v = value_map();
			value_map_set(v, "value", c->value != NULL ?
			    value_dup(c->value) : value_null());
			value_map_set(v, "alias", str_or_null(c->alias));
			value_map_set(v, "description", value_string(
			    c->description != NULL ? c->description : ""));
			value_list_push(choices, v);
		}
		value_map_set(f, "choices", choices);
		value_map_set(f, "type", fd->type == FLAG_TYPE_AUTO ?
		    value_null() : value_string(flag_type_name(fd->type)));
		value_map_set(flags, fd->name, f);
	}
	value_map_set(m, "flags", flags);
	strbuf_release(&sb);
	return m;
}

static int
cmd_api_ops_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct guildfile	*gf;
	struct value		*out = value_list();
	size_t			 i, j;

	/* Outside a project there are no operations. */
	if (!path_exists(GUILDFILE_NAME))
		return api_out(a, out);
	if ((home = cli_home(ctx)) == NULL || (gf = cli_guildfile(ctx)) == NULL) {
		value_free(out);
		return 1;
	}
	for (i = 0; i < gf->nmodels; i++)
		for (j = 0; j < gf->models[i]->nops; j++)
			value_list_push(out, op_value(home,
			    gf->models[i]->ops[j]));
	return api_out(a, out);
}

/*
 * guild api help-op OPSPEC: one operation (of the project, a script or an
 * installed package, as guild run finds it) as api ops shows it.
 */
static int
cmd_api_help_op_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct guildfile	*own_gf;
	const struct opdef	*op;
	int			 rc;

	if (a->pos.n == 0)
		return cli_error("missing argument 'OPSPEC'\n"
		    "Try 'guild api help-op --help' for more information.");
	if (a->pos.n > 1)
		return cli_error("unexpected extra argument '%s'", a->pos.v[1]);
	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if ((rc = run_opspec(ctx, a->pos.v[0], &own_gf, &op)) != 0)
		return rc;
	/* Imported flags are added to the operation, which is ours here. */
	rc = api_out(a, op_value(home, (struct opdef *)op));
	guildfile_free(own_gf);
	return rc;
}

/*
 * guild api compare
 */

static int
cmd_api_compare_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex	*idx;
	struct run_rows	 rows = RUN_ROWS_INIT;
	int		 rc;

	if ((rc = cmd_runs_select(ctx, a, NULL, NULL, false,
	    RUNINDEX_FLAGS | RUNINDEX_SCALARS, &idx, &rows)) != 0)
		return rc;
	runindex_close(idx);
	if (!cmd_arg_has(a, O_INCLUDE_BATCH))
		drop_batch_runs(&rows);
	return api_out(a, cmd_compare_value(&rows));
}

static const struct cmd_entry cmd_api_runs_entry = {
	.name = "runs",
	.usage = "[RUN...]",
	.summary = "Show runs as JSON.",
	.description =
	    "Prints the runs (all runs without RUN arguments, newest first)\n"
	    "as a JSON list, one object per run with Guild's keys: id,\n"
	    "shortId, dir, operation, started, stopped, label, tags, comments,\n"
	    "status, exitStatus, command, otherAttrs, flags, env, deps, files,\n"
	    "sourcecode, projectDir, opRef, marked and scalars. Batch runs are\n"
	    "left out unless --include-batch or --deleted.",
	.options = runs_options,
	.filter_options = run_filter_options,
	.exec = cmd_api_runs_exec,
};

static const struct cmd_entry cmd_api_ops_entry = {
	.name = "ops",
	.usage = "",
	.summary = "Show operations as JSON.",
	.description =
	    "Prints the operations of the project in the current directory\n"
	    "as a JSON list: opref, name, fullname, description, guildfile and\n"
	    "flags (default, defaultAssign, description, choices, type).",
	.options = ops_options,
	.exec = cmd_api_ops_exec,
};

static const struct cmd_entry cmd_api_help_op_entry = {
	.name = "help-op",
	.usage = "OPSPEC",
	.summary = "Show help info for an operation as JSON.",
	.description =
	    "OPSPEC is an operation of the project in the current directory\n"
	    "([MODEL:]OP), a script, or an operation of an installed package\n"
	    "(PACKAGE/MODEL:OP). Prints it as one JSON object with the keys\n"
	    "of api ops: opref, name, fullname, description, guildfile and\n"
	    "flags.",
	.options = help_op_options,
	.exec = cmd_api_help_op_exec,
};

static const struct cmd_entry cmd_api_compare_entry = {
	.name = "compare",
	.usage = "[RUN...]",
	.summary = "Show comparison matrix as JSON.",
	.description =
	    "Prints guild compare's table as a JSON list of rows: the\n"
	    "headings (id, operation, started, time, status, label, then the\n"
	    "flags and scalars), then one row of values per run.",
	.options = compare_options,
	.filter_options = run_filter_options,
	.exec = cmd_api_compare_exec,
};

static const struct cmd_entry *const api_subcommands[] = {
	&cmd_api_compare_entry,
	&cmd_api_help_op_entry,
	&cmd_api_ops_entry,
	&cmd_api_runs_entry,
	NULL
};

const struct cmd_entry cmd_api_entry = {
	.name = "api",
	.usage = "COMMAND [ARGS]...",
	.summary = "CLI based API calls.",
	.description =
	    "JSON on standard output for programs that drive guild (editors,\n"
	    "notebooks, Guild's VS Code extension), as Guild 0.9's api\n"
	    "commands write it.",
	.subcommands = api_subcommands,
};
