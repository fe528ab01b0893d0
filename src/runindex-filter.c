/*
 * runindex-filter.c: run filters as SQL over the run index.
 *
 * A run_filter becomes a WHERE clause over the cached columns, with two
 * SQL functions for what SQL cannot say: guild_ops() (operation patterns:
 * globs, regexes) and guild_expr() (a -F expression, given only the
 * columns it uses; the flags and scalars it names are preloaded into
 * arrays indexed by rid).
 */
#include "common.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "filterexpr.h"
#include "regex.h"
#include "run.h"
#include "runindex-impl.h"
#include "runindex.h"
#include "runread.h"
#include "runsel.h"
#include "strbuf.h"
#include "strvec.h"
#include "timerange.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/* Filters. */

static char *
opt_part(const char *s, size_t len)
{
	if (len == 0)
		return NULL;
	return xstrndup(s, len);
}

/* "[pkg/]model:op", "model:", "op" (Guild's opspec parts). */
static void
op_pat_parse(struct op_pat *p, const char *spec)
{
	const char	*colon = strrchr(spec, ':'), *slash;

	if (colon == NULL) {
		p->op = opt_part(spec, strlen(spec));
		return;
	}
	p->op = opt_part(colon + 1, strlen(colon + 1));
	slash = memchr(spec, '/', (size_t)(colon - spec));
	if (slash != NULL) {
		p->pkg = opt_part(spec, (size_t)(slash - spec));
		p->model = opt_part(slash + 1, (size_t)(colon - slash - 1));
	} else
		p->model = opt_part(spec, (size_t)(colon - spec));
}

static bool
part_match(const char *want, const char *have)
{
	if (want == NULL)
		return true;
	if (have == NULL || *have == '\0')
		return false;
	if (strchr(want, '*') != NULL)
		return fnmatch(want, have, 0) == 0;
	return strcmp(want, have) == 0;
}

static bool
op_pat_match(const struct op_pat *p, const char *pkg_type,
    const char *pkg_name, const char *model, const char *op,
    const char *op_desc)
{
	if (p->re != NULL)
		return regex_match(p->re, op_desc, strlen(op_desc));
	return part_match(p->pkg, strcmp(pkg_type, "package") == 0 ?
	    pkg_name : NULL) && part_match(p->model, model) &&
	    part_match(p->op, op);
}

void
ri_sql_ops(sqlite3_context *ctx, int argc UNUSED, sqlite3_value **argv)
{
	struct runindex		*ri = sqlite3_user_data(ctx);
	struct runindex_filter	*f = ri->cur;
	size_t			 i;

	for (i = 0; f != NULL && i < f->nops; i++) {
		if (op_pat_match(&f->ops[i], ri_arg_text(argv[0]),
		    ri_arg_text(argv[1]), ri_arg_text(argv[2]), ri_arg_text(argv[3]),
		    ri_arg_text(argv[4]))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
	}
	sqlite3_result_int(ctx, 0);
}

/*
 * The -F expression's arguments, in this order; the columns a given
 * expression does not use are passed as NULL (decoding every column of
 * every row would cost more than the test).
 */
static const char *const expr_cols[] = {
	"rid", "id", "status", "op_desc", "model", "op", "pkg_type",
	"pkg_name", "label", "marked", "tags", "digest", "initialized",
	"started", "stopped", "exit_status", "attr_names",
};

/* Guild's core attrs (never attr files) and the columns they need. */
static const struct {
	const char	*name;
	unsigned	 cols;
} core_attrs[] = {
	[A_ID] = { "id", 1U << E_ID },
	[A_RUN] = { "run", 1U << E_ID },
	[A_SHORT_ID] = { "short_id", 1U << E_ID },
	[A_OPERATION] = { "operation", 1U << E_OP_DESC },
	[A_OP] = { "op", 1U << E_OP },
	[A_OP_MODEL] = { "op_model", 1U << E_MODEL },
	[A_FROM] = { "from", 1U << E_PKG_NAME },
	[A_SOURCECODE] = { "sourcecode", 1U << E_DIGEST },
	[A_STARTED] = { "started", 1U << E_STARTED },
	[A_STOPPED] = { "stopped", 1U << E_STOPPED },
	[A_STATUS] = { "status", 1U << E_STATUS },
	[A_TIME] = { "time", 1U << E_STARTED | 1U << E_STOPPED |
	    1U << E_STATUS },
};

/* Attr files the index has a column for. */
static const struct {
	const char	*name;
	int		 col;
} column_attrs[] = {
	{ "label", E_LABEL },
	{ "marked", E_MARKED },
	{ "sourcecode_digest", E_DIGEST },
	{ "initialized", E_INITIALIZED },
	{ "exit_status", E_EXIT_STATUS },
	{ "tags", E_TAGS },
};

static bool
is_core_attr(const char *name, unsigned *cols)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
		if (strcmp(core_attrs[i].name, name) == 0) {
			*cols = core_attrs[i].cols;
			return true;
		}
	}
	return false;
}

/* The columns an attr file needs: its own, or the id to read it. */
static unsigned
attr_file_cols(const char *name)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(column_attrs); i++) {
		if (strcmp(column_attrs[i].name, name) == 0)
			return 1U << column_attrs[i].col;
	}
	return 1U << E_ID | 1U << E_ATTR_NAMES;
}

static bool
has_attr(const struct expr_row *er, const char *name)
{
	const char	*names = ri_arg_text(er->argv[E_ATTR_NAMES]), *p;
	size_t		 len = strlen(name);

	for (p = names; (p = strstr(p, name)) != NULL; p++) {
		if (p > names && p[-1] == SEP && p[len] == SEP)
			return true;
	}
	return false;
}

/* Run attributes: Guild's core ones, then the run's attr files. */
static struct value *
attr_value(const struct expr_row *er, const char *name)
{
	sqlite3_value	**a = er->argv;
	struct value	 *v;
	struct run	  run;
	struct strvec	  tags = STRVEC_INIT;
	char		 *dir;
	size_t		  i;

	for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
		if (strcmp(core_attrs[i].name, name) == 0)
			return ri_core_value(er, (enum core_attr)i);
	}
	/* Attrs with a column: NULL there when the run has none. */
	for (i = 0; i < ARRAY_SIZE(column_attrs); i++) {
		if (strcmp(column_attrs[i].name, name) == 0)
			break;
	}
	if (i < ARRAY_SIZE(column_attrs) &&
	    sqlite3_value_type(a[column_attrs[i].col]) == SQLITE_NULL)
		return NULL;
	if (strcmp(name, "label") == 0)
		return value_string(ri_arg_text(a[E_LABEL]));
	if (strcmp(name, "marked") == 0)
		return value_bool(sqlite3_value_int(a[E_MARKED]) != 0);
	if (strcmp(name, "sourcecode_digest") == 0)
		return value_string(ri_arg_text(a[E_DIGEST]));
	if (strcmp(name, "initialized") == 0)
		return value_int(sqlite3_value_int64(a[E_INITIALIZED]));
	if (strcmp(name, "exit_status") == 0)
		return value_int(sqlite3_value_int64(a[E_EXIT_STATUS]));
	if (strcmp(name, "tags") == 0) {
		v = value_list();
		ri_split_col(&tags, ri_arg_text(a[E_TAGS]));
		for (i = 0; i < tags.n; i++)
			value_list_push(v, value_string(tags.v[i]));
		strvec_clear(&tags);
		return v;
	}
	/* Anything else is read from the run. */
	if (!has_attr(er, name))
		return NULL;
	dir = path_join(ri_base_dir(er->ri, er->ri->cur_deleted),
	    ri_arg_text(a[E_ID]));
	run.id = (char *)ri_arg_text(a[E_ID]);
	run.path = dir;
	run.guild = path_join(dir, ".guild");
	if (run_attr_read(&run, name, &v, NULL) == -1)
		v = NULL;
	free(run.guild);
	free(dir);
	return v;
}

static const struct exname *exname_find(struct runindex *, const char *);

static const struct value *
map_get(const struct runindex *ri, int i, int64_t rid)
{
	const struct valmap	*m;

	if (i < 0)
		return NULL;
	m = &ri->pre[i].map;
	return rid >= 0 && (uint64_t)rid < m->n ? m->v[rid] : NULL;
}

static const struct value *
expr_lookup(enum filterexpr_source src, const char *name, void *arg,
    struct value **owned)
{
	struct expr_row		*er = arg;
	const struct exname	*x = exname_find(er->ri, name);
	int64_t			 rid = sqlite3_value_int64(er->argv[E_RID]);
	const struct value	*v;

	if (src == FILTEREXPR_ANY || src == FILTEREXPR_ATTR) {
		if (x != NULL && x->core >= 0)
			*owned = ri_core_value(er, (enum core_attr)x->core);
		else if (x == NULL || x->attr)
			*owned = attr_value(er, name);
		if (src == FILTEREXPR_ATTR || (*owned != NULL &&
		    (*owned)->type != VALUE_NULL))
			return *owned;
		value_free(*owned);
		*owned = NULL;
	}
	if (x == NULL)
		return NULL;
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_FLAG) {
		v = map_get(er->ri, x->flag, rid);
		if (src == FILTEREXPR_FLAG || (v != NULL &&
		    v->type != VALUE_NULL))
			return v;
	}
	return map_get(er->ri, x->scalar, rid);
}

void
ri_sql_expr(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct expr_row	 er;
	struct runindex	*ri = sqlite3_user_data(ctx);

	if (ri->cur == NULL || ri->cur->expr == NULL || argc != E_COUNT) {
		/* Not ours to decide: keep the row. */
		sqlite3_result_int(ctx, 1);
		return;
	}
	er.ri = ri;
	er.argv = argv;
	sqlite3_result_int(ctx, filterexpr_eval(ri->cur->expr, expr_lookup,
	    &er));
}

/* Preloaded flags and scalars for the names an expression uses. */

static void
valmap_clear(struct valmap *m)
{
	size_t	i;

	for (i = 0; i < m->nowned; i++)
		value_free(m->owned[i]);
	for (i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->owned);
	free(m->strs);
	free(m->slab);
	free(m->v);
	memset(m, 0, sizeof *m);
}

void
ri_preload_clear(struct runindex *ri)
{
	size_t	i;

	for (i = 0; i < ri->npre; i++) {
		free(ri->pre[i].name);
		valmap_clear(&ri->pre[i].map);
	}
	free(ri->pre);
	free(ri->names);
	ri->pre = NULL;
	ri->npre = 0;
	ri->names = NULL;
	ri->nnames = 0;
	ri->pre_for = 0;
	ri->pre_deleted = -1;
}

static int
preload_add(struct runindex *ri, enum filterexpr_source src, const char *name)
{
	size_t	i;

	for (i = 0; i < ri->npre; i++) {
		if (ri->pre[i].src == src && strcmp(ri->pre[i].name, name) == 0)
			return (int)i;
	}
	ri->pre = xreallocarray(ri->pre, ri->npre + 1, sizeof *ri->pre);
	memset(&ri->pre[ri->npre], 0, sizeof *ri->pre);
	ri->pre[ri->npre].name = xstrdup(name);
	ri->pre[ri->npre].src = src;
	return (int)ri->npre++;
}

static const struct exname *
exname_find(struct runindex *ri, const char *name)
{
	size_t	i;

	/* The expression's own strings: by address, then (safely) by text. */
	for (i = 0; i < ri->nnames; i++) {
		if (ri->names[i].ptr == name)
			return &ri->names[i];
	}
	for (i = 0; i < ri->nnames; i++) {
		if (strcmp(ri->names[i].ptr, name) == 0)
			return &ri->names[i];
	}
	return NULL;
}

static void
preload_name(enum filterexpr_source src, const char *name, void *arg)
{
	struct runindex	*ri = arg;
	struct exname	*x;
	unsigned	 cols;
	size_t		 i;

	for (i = 0; i < ri->nnames; i++) {
		if (ri->names[i].ptr == name)
			return;
	}
	ri->names = xreallocarray(ri->names, ri->nnames + 1,
	    sizeof *ri->names);
	x = &ri->names[ri->nnames++];
	x->ptr = name;
	x->core = -1;
	x->attr = false;
	x->flag = x->scalar = -1;
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_ATTR) {
		if (is_core_attr(name, &cols)) {
			for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
				if (strcmp(core_attrs[i].name, name) == 0)
					x->core = (int)i;
			}
		} else
			x->attr = true;		/* until attr_entries() */
	}
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_FLAG)
		x->flag = preload_add(ri, FILTEREXPR_FLAG, name);
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_SCALAR)
		x->scalar = preload_add(ri, FILTEREXPR_SCALAR, name);
}


/*
 * Names no run has (or had) an attr file of are never looked for in
 * attrs; the columns the others need.
 */
static int
attr_entries(struct runindex *ri, unsigned *cols, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc;

	for (i = 0; i < ri->nnames; i++) {
		struct exname	*x = &ri->names[i];

		if (x->core >= 0)
			*cols |= core_attrs[x->core].cols;
		if (!x->attr)
			continue;
		if ((st = ri_stmt(ri, S_ATTRNAME_GET, cause)) == NULL)
			return -1;
		ri_bind_text(st, 1, x->ptr);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ri_sqlfail(ri, cause);
		x->attr = rc == SQLITE_ROW;
		if (x->attr)
			*cols |= attr_file_cols(x->ptr);
	}
	return 0;
}

/* "guild_expr(rid, NULL, status, ...)": the columns it needs. */
static char *
expr_call(unsigned cols)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	strbuf_addstr(&sb, "guild_expr(");
	for (i = 0; i < ARRAY_SIZE(expr_cols); i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		strbuf_addstr(&sb, (cols & (1U << i)) ? expr_cols[i] : "NULL");
	}
	strbuf_addch(&sb, ')');
	return strbuf_detach(&sb, NULL);
}


static int
fill_map(struct runindex *ri, struct preload *p, size_t nrids, char **cause)
{
	struct valmap	*m = &p->map;
	struct value	*v;
	sqlite3_stmt	*st;
	size_t		 nslab = 0, used = 0;
	int64_t		 rid;
	int		 rc, type;
	bool		 flag = p->src == FILTEREXPR_FLAG;

	/*
	 * One allocation for all the values (100,000 runs, 100,000 values):
	 * plain values live in the slab, strings beside it.
	 */
	st = ri_stmt(ri, flag ? S_PRE_COUNT_FLAGS : S_PRE_COUNT_SCALARS,
	    cause);
	if (st == NULL)
		return -1;
	ri_bind_text(st, 1, p->name);
	if (sqlite3_step(st) == SQLITE_ROW)
		nslab = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	m->n = nrids;
	m->v = xcalloc(nrids + 1, sizeof *m->v);
	m->slab = xcalloc(nslab + 1, sizeof *m->slab);
	if ((st = ri_stmt(ri, flag ? S_PRE_FLAGS : S_PRE_SCALARS,
	    cause)) == NULL)
		return -1;
	ri_bind_text(st, 1, p->name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && used < nslab) {
		rid = sqlite3_column_int64(st, 0);
		if (rid < 0 || (uint64_t)rid >= nrids)
			continue;
		v = &m->slab[used++];
		type = flag ? sqlite3_column_int(st, 1) : VALUE_FLOAT;
		switch (type) {
		case VALUE_BOOL:
			v->type = VALUE_BOOL;
			v->u.b = sqlite3_column_int(st, 2) != 0;
			break;
		case VALUE_INT:
			v->type = VALUE_INT;
			v->u.i = sqlite3_column_int64(st, 2);
			break;
		case VALUE_FLOAT:
			v->type = VALUE_FLOAT;
			v->u.f = ri_col_double(st, flag ? 2 : 1);
			break;
		case VALUE_STRING:
			v->type = VALUE_STRING;
			v->u.s = ri_col_dup(st, 2);
			XGROW(m->strs, m->astrs, m->nstrs + 1);
			m->strs[m->nstrs++] = v->u.s;
			break;
		case VALUE_LIST:
		case VALUE_MAP:
			v = ri_value_from_sql(type, sqlite3_column_value(st, 2));
			XGROW(m->owned, m->aowned, m->nowned + 1);
			m->owned[m->nowned++] = v;
			break;
		default:
			v->type = VALUE_NULL;
			break;
		}
		m->v[rid] = v;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ri_sqlfail(ri, cause);
	return 0;
}

static int
preload(struct runindex *ri, bool deleted, struct runindex_filter *f,
    char **cause)
{
	sqlite3_stmt	*st;
	bool		 scalars = false, flags = false;
	unsigned	 cols = 1U << E_RID;
	size_t		 i, nrids = 0;

	if (f->expr == NULL || (ri->pre_for == f->serial &&
	    ri->pre_deleted == (int)deleted && ri->pre_gen == ri->gen))
		return 0;
	ri_preload_clear(ri);
	filterexpr_names(f->expr, preload_name, ri);
	if (attr_entries(ri, &cols, cause) == -1)
		return -1;
	free(f->expr_call);
	f->expr_call = expr_call(cols);
	for (i = 0; i < ri->npre; i++) {
		if (ri->pre[i].src == FILTEREXPR_FLAG)
			flags = true;
		else
			scalars = true;
	}
	if (flags && ri_ensure_all_flags(ri, deleted, cause) == -1)
		return -1;
	if (scalars && ri_ensure_all_scalars(ri, deleted, ri_real_ns(), cause) == -1)
		return -1;
	if ((st = ri_stmt(ri, S_MAX_RID, cause)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		nrids = (size_t)sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	for (i = 0; i < ri->npre; i++) {
		if (fill_map(ri, &ri->pre[i], nrids, cause) == -1)
			return -1;
	}
	ri->pre_for = f->serial;
	ri->pre_deleted = deleted;
	ri->pre_gen = ri->gen;
	return 0;
}

/* Guild strips labels; trim() only what may need it (it is slow). */
static const char unlabeled_sql[] =
	"label IS NULL OR label = '' OR (label GLOB '[ \t\n\r]*' AND"
	" trim(label, ' \t\n\r') = '')";

static void
cond_add(struct strbuf *sb, const char *fmt, ...) PRINTFLIKE(2, 3);

static void
cond_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;

	strbuf_addstr(sb, sb->len == 0 ? "(" : " AND (");
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	strbuf_addch(sb, ')');
}

/*
 * The files a filter's columns come from (RUN_WATCH_*), to verify every
 * row against before it runs: a status has its exit_status and .guild
 * (LOCK, PENDING, STAGED); the start time, the digest and expressions
 * have no one file, so the whole stamp.
 */
static unsigned
filter_watch(const struct run_filter *f, unsigned all)
{
	unsigned	w = 0;

	if (f->expr != NULL || f->started != NULL || f->digest != NULL)
		return RUN_WATCH_FULL;
	if (f->status != 0 && (f->status & all) != all)
		w |= (1U << RUN_FST_GUILD) | RUN_WATCH_ATTR(RUN_EDITABLE_EXIT);
	if (f->unlabeled || f->labels.n > 0)
		w |= RUN_WATCH_ATTR(RUN_EDITABLE_LABEL);
	if (f->tags.n > 0)
		w |= RUN_WATCH_ATTR(RUN_EDITABLE_TAGS);
	if (f->marked || f->unmarked)
		w |= RUN_WATCH_ATTR(RUN_EDITABLE_MARKED);
	if (f->comments.n > 0)
		w |= RUN_WATCH_ATTR(RUN_EDITABLE_COMMENTS);
	return w;
}

/* "?N" for a new text parameter. */
static char *
param(struct runindex_filter *rf, const char *text)
{
	strvec_push(&rf->params, text);
	return xasprintf("?%zu", 9 + rf->params.n);
}

static void
any_of(struct runindex_filter *rf, struct strbuf *sb,
    const struct strvec *vals, const char *dash, const char *tmpl,
    bool lower, bool sep)
{
	struct strbuf	 alt = STRBUF_INIT;
	const char	*q;
	char		*p, *t;
	size_t		 i;

	for (i = 0; i < vals->n; i++) {
		if (i > 0)
			strbuf_addstr(&alt, " OR ");
		if (dash != NULL && strcmp(vals->v[i], "-") == 0) {
			strbuf_addstr(&alt, dash);
			continue;
		}
		t = sep ? xasprintf(SEP_S "%s" SEP_S, vals->v[i]) :
		    xstrdup(vals->v[i]);
		for (p = t; lower && *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		/* tmpl holds one "@", the parameter. */
		p = param(rf, t);
		q = strchr(tmpl, '@');
		strbuf_add(&alt, tmpl, (size_t)(q - tmpl));
		strbuf_addstr(&alt, p);
		strbuf_addstr(&alt, q + 1);
		free(p);
		free(t);
	}
	cond_add(sb, "%s", alt.buf);
	strbuf_release(&alt);
}

struct runindex_filter *
runindex_filter_new(const struct run_filter *f, int64_t now_s, char **cause)
{
	static unsigned long	 serial;
	struct runindex_filter	*rf = xcalloc(1, sizeof *rf);
	struct strbuf		 sb = STRBUF_INIT;
	struct timerange	 tr;
	char			*c = NULL, *p;
	size_t			 i;
	unsigned		 all = (1U << RUN_STATUS_COUNT) - 1;

	rf->serial = ++serial;
	if (f == NULL) {
		rf->cond = xstrdup("");
		return rf;
	}
	if (f->expr != NULL && *f->expr != '\0' &&
	    (rf->expr = filterexpr_parse(f->expr, cause)) == NULL)
		goto fail;
	if (f->started != NULL) {
		if (timerange_parse(f->started, (time_t)now_s, &tr, &c) == -1) {
			set_cause(cause, "invalid RANGE '%s': %s", f->started, c);
			free(c);
			goto fail;
		}
		/* Guild compares whole seconds: [start, end) in µs. */
		cond_add(&sb, "ts > 0");
		if (tr.has_start)
			cond_add(&sb, "ts >= %lld", (long long)tr.start *
			    1000000);
		if (tr.has_end)
			cond_add(&sb, "ts < %lld", (long long)tr.end * 1000000);
	}
	if (f->status != 0 && (f->status & all) != all) {
		strbuf_addstr(&sb, sb.len == 0 ? "(status IN (" :
		    " AND (status IN (");
		for (i = 0; i < RUN_STATUS_COUNT; i++) {
			if (f->status & (1U << i))
				strbuf_addf(&sb, "%s%zu", sb.buf[sb.len - 1] ==
				    '(' ? "" : ", ", i);
		}
		/* No status at all (every one left out): no run. */
		if (sb.buf[sb.len - 1] == '(')
			strbuf_addstr(&sb, "-1");
		strbuf_addstr(&sb, "))");
	}
	if (f->marked)
		cond_add(&sb, "marked != 0");
	if (f->unmarked)
		cond_add(&sb, "marked IS NOT 1");
	if (f->unlabeled)
		cond_add(&sb, "%s", unlabeled_sql);
	if (f->labels.n > 0)
		any_of(rf, &sb, &f->labels, unlabeled_sql,
		    "instr(label, @) > 0", false, false);
	if (f->tags.n > 0)
		any_of(rf, &sb, &f->tags, NULL, "instr(tags, @) > 0", false,
		    true);
	if (f->comments.n > 0)
		any_of(rf, &sb, &f->comments, "comments = ''",
		    "instr(comments, @) > 0", true, false);
	if (f->digest != NULL) {
		p = param(rf, f->digest);
		cond_add(&sb, "substr(ifnull(digest, ''), 1, length(%s)) = %s",
		    p, p);
		free(p);
	}
	if (f->ops.n > 0) {
		rf->ops = xcalloc(f->ops.n, sizeof *rf->ops);
		rf->nops = f->ops.n;
		for (i = 0; i < f->ops.n; i++) {
			const char	*s = f->ops.v[i];
			size_t		 len = strlen(s);

			if (*s == '^' || (len > 0 && s[len - 1] == '$')) {
				/* Guild quietly matches nothing; say why. */
				rf->ops[i].re = regex_new(s, 0, &c);
				if (rf->ops[i].re == NULL) {
					set_cause(cause, "invalid operation "
					    "pattern '%s': %s", s, c);
					free(c);
					goto fail;
				}
			} else
				op_pat_parse(&rf->ops[i], s);
		}
		cond_add(&sb, "guild_ops(pkg_type, pkg_name, model, op, "
		    "op_desc)");
	}
	rf->watch = filter_watch(f, all);
	rf->cond = strbuf_detach(&sb, NULL);
	return rf;
fail:
	strbuf_release(&sb);
	runindex_filter_free(rf);
	return NULL;
}

void
runindex_filter_free(struct runindex_filter *rf)
{
	size_t	i;

	if (rf == NULL)
		return;
	for (i = 0; i < rf->nops; i++) {
		regex_free(rf->ops[i].re);
		free(rf->ops[i].pkg);
		free(rf->ops[i].model);
		free(rf->ops[i].op);
	}
	free(rf->ops);
	filterexpr_free(rf->expr);
	free(rf->expr_call);
	free(rf->cond);
	strvec_clear(&rf->params);
	free(rf);
}

/* A statement for the filtered runs: "SELECT what ... WHERE ... tail". */
sqlite3_stmt *
ri_filtered(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    const char *what, const char *extra, const char *tail, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	sqlite3_stmt	*st;
	size_t		 i;

	if (rf != NULL && preload(ri, deleted, rf, cause) == -1)
		return NULL;
	ri->cur = rf;
	ri->cur_deleted = deleted;
	strbuf_addf(&sb, "SELECT %s FROM runs WHERE deleted = ?1", what);
	if (rf != NULL && *rf->cond != '\0')
		strbuf_addf(&sb, " AND %s", rf->cond);
	if (rf != NULL && rf->expr != NULL)
		strbuf_addf(&sb, " AND %s", rf->expr_call);
	if (extra != NULL)
		strbuf_addf(&sb, " AND %s", extra);
	if (tail != NULL)
		strbuf_addf(&sb, " %s", tail);
	st = ri_prepare(ri, sb.buf, cause);
	strbuf_release(&sb);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int(st, 1, deleted);
	for (i = 0; rf != NULL && i < rf->params.n; i++)
		ri_bind_text(st, 10 + (int)i, rf->params.v[i]);
	return st;
}
