/*
 * cmd-compare.c: guild compare [RUN...]: runs side by side, one row per
 * run, one column per core attribute, flag and scalar, as a table or CSV.
 *
 * Columns come in Guild's three sections: the core attributes (.run,
 * .operation, .started, .time, .status, .label), each run's own columns
 * (=flag for every flag, a "step" column and the last value of every
 * scalar), and the user's --cols. A column's heading names it; headings
 * are gathered section by section in the order runs list them, and a run
 * with several columns of one heading shows the last that has a value.
 */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-compare.h"
#include "cmd-select.h"
#include "cmds.h"
#include "format.h"
#include "home.h"
#include "run.h"
#include "runattrs.h"
#include "runindex.h"
#include "runsel.h"
#include "scalars.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "../ui/view.h"

enum {
	O_COLS = 1,
	O_STRICT_COLS,
	O_MIN,
	O_MAX,
	O_TOP,
	O_SKIP_OP,
	O_SKIP_CORE,
	O_EXTRA,
	O_ALL_SCALARS,
	O_SKIP_UNCHANGED,
	O_TABLE,
	O_CSV,
	O_PRINT_SCALARS,
	O_INCLUDE_BATCH,
};

static const struct cmd_option compare_options[] = {
	{ O_COLS, "c", "cols", "COLS",
	  "Add columns, e.g. '=lr,.exit_status,min loss as best'." },
	{ O_STRICT_COLS, "cc", "strict-cols", "COLS",
	  "Show only the run column and COLS." },
	{ O_MIN, NULL, "min", "COL", "Sort by COL, lowest first." },
	{ O_MAX, NULL, "max", "COL", "Sort by COL, highest first." },
	{ O_TOP, "n", "top|limit", "N", "Show only the first N runs." },
	{ O_SKIP_OP, "p", "skip-op-cols", NULL,
	  "Leave out the runs' flag and scalar columns." },
	{ O_SKIP_CORE, "r", "skip-core", NULL,
	  "Leave out the core columns, except run." },
	{ O_EXTRA, "e", "extra-cols", NULL,
	  "Add the source code digest column." },
	{ O_ALL_SCALARS, "s", "all-scalars", NULL,
	  "Include system scalars (sys/...)." },
	{ O_SKIP_UNCHANGED, "u", "skip-unchanged", NULL,
	  "Leave out columns with the same value for every run." },
	{ O_TABLE, "t", "table", NULL, "Print the comparison as a table." },
	{ O_CSV, NULL, "csv", "PATH",
	  "Write the comparison as CSV to PATH ('-' for standard output)." },
	{ O_PRINT_SCALARS, NULL, "print-scalars", NULL,
	  "Print the last value of each run's scalars." },
	{ O_INCLUDE_BATCH, NULL, "include-batch", NULL, "Include batch runs." },
	{ 0 }
};

#define BASE_COLS	".run,.operation,.started,.time,.status,.label"
#define EXTRA_COLS	".sourcecode"
#define MIN_COLS	".run"

enum col_kind { COL_ATTR, COL_FLAG, COL_SCALAR };

enum col_qual {
	QUAL_LAST,	/* the default */
	QUAL_FIRST,
	QUAL_MIN,
	QUAL_MAX,
	QUAL_AVG,
	QUAL_TOTAL,
	QUAL_COUNT,
};

static const char *const qual_names[] = {
	"last", "first", "min", "max", "avg", "total", "count", NULL
};

struct col {
	enum col_kind	 kind;
	char		*name;
	enum col_qual	 qual;
	bool		 qualified;	/* a qualifier was written */
	bool		 step;		/* the step, not the value */
	char		*header;
};

struct cols {
	struct col	*v;
	size_t		 n, alloc;
};

static void
cols_release(struct cols *cs)
{
	size_t	i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].name);
		free(cs->v[i].header);
	}
	free(cs->v);
	memset(cs, 0, sizeof *cs);
}

/* Split one column's text into words; quotes group and are removed. */
static int
col_words(const char *s, struct strvec *words, char **cause)
{
	struct strbuf	 w = STRBUF_INIT;
	const char	*p = s;
	char		 q;
	bool		 have = false;

	for (;;) {
		if (*p == '\0' || *p == ' ' || *p == '\t') {
			if (have)
				strvec_push(words, w.buf);
			strbuf_reset(&w);
			have = false;
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (*p == '\\' && q == '"' && p[1] != '\0')
					p++;
				strbuf_addch(&w, *p++);
			}
			if (*p != q) {
				strbuf_release(&w);
				return set_cause(cause, "unclosed quote");
			}
			p++;
			have = true;
			continue;
		}
		strbuf_addch(&w, *p++);
		have = true;
	}
	strbuf_release(&w);
	return 0;
}

static int
qual_from_name(const char *s)
{
	int	i;

	for (i = 0; qual_names[i] != NULL; i++)
		if (strcmp(qual_names[i], s) == 0)
			return i;
	return -1;
}

/* One column: "=lr", ".status", "min loss step as best", ... */
static int
parse_col(const char *text, struct col *c, char **cause)
{
	struct strvec	 w = STRVEC_INIT;
	size_t		 i = 0, n;
	const char	*first;
	int		 q;

	memset(c, 0, sizeof *c);
	if (col_words(text, &w, cause) == -1) {
		strvec_clear(&w);
		return -1;
	}
	n = w.n;
	/* "... as HEADING" */
	if (n >= 3 && strcmp(w.v[n - 2], "as") == 0) {
		c->header = xstrdup(w.v[n - 1]);
		n -= 2;
	}
	if (n == 0) {
		strvec_clear(&w);
		free(c->header);
		return set_cause(cause, "empty column");
	}
	first = w.v[0];
	if (*first == '=' || *first == '.' ||
	    str_starts_with(first, "flag:") || str_starts_with(first, "attr:")) {
		const char	*name;

		c->kind = (*first == '=' || *first == 'f') ? COL_FLAG : COL_ATTR;
		name = *first == '=' || *first == '.' ? first + 1 :
		    first + 5;
		if (*name == '\0' && n >= 2) {
			name = w.v[1];
			i = 1;
		}
		if (*name == '\0' || i + 1 != n) {
			strvec_clear(&w);
			free(c->header);
			return set_cause(cause, "expected one %s name",
			    c->kind == COL_FLAG ? "flag" : "attribute");
		}
		c->name = xstrdup(name);
	} else {
		c->kind = COL_SCALAR;
		if (str_starts_with(w.v[0], "scalar:")) {
			/* "scalar:loss" or "scalar:" "min" "loss" */
			if (w.v[0][7] != '\0') {
				char	*rest = xstrdup(w.v[0] + 7);

				free(w.v[0]);
				w.v[0] = rest;
			} else
				i = 1;
		}
		if (i < n && (q = qual_from_name(w.v[i])) != -1) {
			c->qual = (enum col_qual)q;
			c->qualified = true;
			i++;
		}
		/* Guild's keywords are not scalar names: "min" alone is wrong. */
		if (i >= n || qual_from_name(w.v[i]) != -1 ||
		    strcmp(w.v[i], "step") == 0 || strcmp(w.v[i], "as") == 0) {
			strvec_clear(&w);
			free(c->header);
			return set_cause(cause, "expected a scalar name");
		}
		c->name = xstrdup(w.v[i++]);
		if (i < n && strcmp(w.v[i], "step") == 0) {
			c->step = true;
			i++;
		}
		if (i != n) {
			set_cause(cause, "unexpected '%s'", w.v[i]);
			strvec_clear(&w);
			free(c->header);
			free(c->name);
			return -1;
		}
	}
	strvec_clear(&w);
	if (c->header == NULL) {
		/*
		 * Guild heads a scalar column with its key whatever the
		 * qualifier, so "min loss" would replace the "loss" column;
		 * we name the qualifier, so both can be shown.
		 */
		if (c->kind != COL_SCALAR)
			c->header = xstrdup(c->name);
		else
			c->header = xasprintf("%s%s%s%s",
			    c->qualified && c->qual != QUAL_LAST ?
			    qual_names[c->qual] : "",
			    c->qualified && c->qual != QUAL_LAST ? " " : "",
			    c->name, c->step ? " step" : "");
	}
	return 0;
}

/* A comma-separated column spec, appended to cs. */
static int
parse_colspec(const char *spec, struct cols *cs, char **cause)
{
	struct strbuf	 item = STRBUF_INIT;
	const char	*p = spec;
	char		 q = 0, *why = NULL;
	struct col	 c;

	for (;; p++) {
		if (*p == '\0' || (*p == ',' && q == 0)) {
			if (parse_col(item.buf, &c, &why) == -1) {
				set_cause(cause, "invalid column '%s' in '%s': %s",
				    item.buf, spec, why);
				free(why);
				strbuf_release(&item);
				return -1;
			}
			XGROW(cs->v, cs->alloc, cs->n + 1);
			cs->v[cs->n++] = c;
			strbuf_reset(&item);
			if (*p == '\0')
				break;
			continue;
		}
		if (q == 0 && (*p == '\'' || *p == '"'))
			q = *p;
		else if (q != 0 && *p == q)
			q = 0;
		strbuf_addch(&item, *p);
	}
	strbuf_release(&item);
	return 0;
}

static struct value *
string_or_null(struct strbuf *sb)
{
	struct value	*v;

	v = sb->len > 0 ? value_string(sb->buf) : value_null();
	strbuf_release(sb);
	return v;
}

/*
 * A core attribute of a run, else (as Guild's index) one it declares or
 * logged (other: runattrs_read), else one of its attr files; NULL when it
 * has none.
 */
static struct value *
attr_value(const struct run_row *row, const char *name,
    const struct value *other)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v;

	if (strcmp(name, "run") == 0 || strcmp(name, "short_id") == 0)
		return value_string_n(row->id, RUN_SHORT_ID_LEN);
	if (strcmp(name, "id") == 0)
		return value_string(row->id);
	if (strcmp(name, "operation") == 0) {
		char	*op = format_op_str(row);

		v = value_string(op);
		free(op);
		return v;
	}
	if (strcmp(name, "started") == 0 || strcmp(name, "stopped") == 0) {
		format_time(&sb, name[2] == 'a' ? row->started : row->stopped);
		return string_or_null(&sb);
	}
	if (strcmp(name, "time") == 0) {
		format_run_time(&sb, row->started, row->stopped,
		    row->status == RUN_STATUS_RUNNING, now_us());
		return string_or_null(&sb);
	}
	if (strcmp(name, "status") == 0)
		return value_string(run_status_name(row->status));
	if (strcmp(name, "label") == 0)
		return value_string(row->label != NULL ? row->label : "");
	if (strcmp(name, "sourcecode") == 0) {
		if (row->sourcecode_digest != NULL)
			strbuf_add(&sb, row->sourcecode_digest,
			    strnlen(row->sourcecode_digest, 8));
		return string_or_null(&sb);
	}
	if (strcmp(name, "marked") == 0)
		return value_bool(row->marked);
	if (strcmp(name, "exit_status") == 0)
		return row->has_exit_status ? value_int(row->exit_status) :
		    value_null();
	if (strcmp(name, "pid") == 0)
		return row->pid > 0 ? value_int(row->pid) : value_null();
	if (strcmp(name, "from") == 0) {
		char	*abbrev;

		if (row->pkg_name == NULL)
			return value_null();
		abbrev = path_abbrev_home(row->pkg_name);
		v = value_string(abbrev);
		free(abbrev);
		return v;
	}
	if (other != NULL && (v = value_map_get(other, name)) != NULL)
		return value_dup(v);
	if (row->attrs != NULL && (v = value_map_get(row->attrs, name)) != NULL)
		return value_dup(v);
	return NULL;
}

static struct value *
scalar_value(const struct run_row *row, const struct col *c)
{
	const struct scalar_stats	*s;
	const struct scalar_point	*pt;

	if (row->scalars == NULL ||
	    (s = scalars_summary_lookup(row->scalars, c->name)) == NULL ||
	    s->count == 0)
		return NULL;
	switch (c->qual) {
	case QUAL_FIRST:
		pt = &s->first;
		break;
	case QUAL_MIN:
		pt = &s->min;
		break;
	case QUAL_MAX:
		pt = &s->max;
		break;
	case QUAL_AVG:
		return c->step ? NULL : value_float(s->total / (double)s->count);
	case QUAL_TOTAL:
		return c->step ? NULL : value_float(s->total);
	case QUAL_COUNT:
		return c->step ? NULL : value_int((long long)s->count);
	default:
		pt = &s->last;
		break;
	}
	if (c->step)
		return value_int(pt->step);
	return value_float(pt->value);
}

static struct value *
col_value(const struct run_row *row, const struct col *c,
    const struct value *other)
{
	struct value	*v;

	switch (c->kind) {
	case COL_FLAG:
		if (row->flags == NULL ||
		    (v = value_map_get(row->flags, c->name)) == NULL)
			return NULL;
		return value_dup(v);
	case COL_ATTR:
		return attr_value(row, c->name, other);
	default:
		return scalar_value(row, c);
	}
}

/* CSV cells: full values, booleans and floats as Python writes them. */
static void
format_csv_value(struct strbuf *sb, const struct value *v)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_NULL:
		return;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "True" : "False");
		return;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		return;
	case VALUE_FLOAT:
		format_double(sb, v->u.f);
		return;
	case VALUE_STRING:
		strbuf_addstr(sb, v->u.s);
		return;
	default:
		value_encode_flow(sb, v);
		return;
	}
}

/* One heading: its column (for --min/--max) and every run's value. */
struct header {
	char		 *name;
	struct value	**vals;		/* per row; NULL: no value */
	bool		  hidden;	/* a sort column not asked for */
};

struct table {
	struct run_rows	 rows;
	struct header	*h;
	size_t		 nh, alloc;
	size_t		*order;		/* row order after sorting */
	struct value	**other;	/* per row: runattrs_read(), or NULL */
};

/* A row's declared and logged attrs, read once (a walk of its directory). */
static const struct value *
row_other(struct table *t, size_t r)
{
	if (t->other == NULL)
		t->other = xcalloc(t->rows.n + 1, sizeof *t->other);
	if (t->other[r] == NULL)
		t->other[r] = runattrs_read(t->rows.v[r]->dir);
	return t->other[r];
}

static size_t
table_header(struct table *t, const char *name, bool hidden)
{
	size_t	i;

	for (i = 0; i < t->nh; i++)
		if (strcmp(t->h[i].name, name) == 0) {
			if (!hidden)
				t->h[i].hidden = false;
			return i;
		}
	XGROW(t->h, t->alloc, t->nh + 1);
	t->h[t->nh].name = xstrdup(name);
	t->h[t->nh].vals = xcalloc(t->rows.n + 1, sizeof *t->h[t->nh].vals);
	t->h[t->nh].hidden = hidden;
	return t->nh++;
}

/* A run's value for a heading: the last column of that heading with one. */
static void
table_set(struct table *t, size_t hi, size_t row, struct value *v)
{
	if (v == NULL || v->type == VALUE_NULL) {
		if (t->h[hi].vals[row] == NULL)
			t->h[hi].vals[row] = v;
		else
			value_free(v);
		return;
	}
	if (t->h[hi].vals[row] != NULL)
		value_free(t->h[hi].vals[row]);
	t->h[hi].vals[row] = v;
}

static void
table_release(struct table *t)
{
	size_t	i, r;

	for (i = 0; i < t->nh; i++) {
		for (r = 0; r < t->rows.n; r++)
			value_free(t->h[i].vals[r]);
		free(t->h[i].vals);
		free(t->h[i].name);
	}
	free(t->h);
	free(t->order);
	for (r = 0; t->other != NULL && r < t->rows.n; r++)
		value_free(t->other[r]);
	free(t->other);
	run_rows_release(&t->rows);
}

/*
 * A run's own columns, as Guild's default compare: its flags, the attrs it
 * declares or logged (not the core ones), then its scalars after a step
 * column.
 */
static void
op_cols(const struct run_row *row, const struct value *other,
    bool all_scalars, struct cols *cs)
{
	struct strvec	 names = STRVEC_INIT;
	const char	*step_key = NULL;
	size_t		 i;
	struct col	 c;

	if (row->flags != NULL && row->flags->type == VALUE_MAP) {
		for (i = 0; i < row->flags->u.map.n; i++)
			strvec_push(&names, row->flags->u.map.k[i]);
		strvec_sort(&names);
		for (i = 0; i < names.n; i++) {
			memset(&c, 0, sizeof c);
			c.kind = COL_FLAG;
			c.name = xstrdup(names.v[i]);
			c.header = xstrdup(names.v[i]);
			XGROW(cs->v, cs->alloc, cs->n + 1);
			cs->v[cs->n++] = c;
		}
		strvec_clear(&names);
	}
	for (i = 0; other != NULL && i < other->u.map.n; i++)
		if (!runattrs_is_core(other->u.map.k[i]))
			strvec_push(&names, other->u.map.k[i]);
	strvec_sort(&names);
	for (i = 0; i < names.n; i++) {
		memset(&c, 0, sizeof c);
		c.kind = COL_ATTR;
		c.name = xstrdup(names.v[i]);
		c.header = xstrdup(names.v[i]);
		XGROW(cs->v, cs->alloc, cs->n + 1);
		cs->v[cs->n++] = c;
	}
	strvec_clear(&names);
	if (row->scalars == NULL)
		return;
	/* Guild names the columns by tag, whatever directory logged it. */
	for (i = 0; i < row->scalars->n; i++) {
		const char	*tag = scalars_key_tag(row->scalars->v[i].key);

		if (!all_scalars && str_starts_with(tag, "sys/"))
			continue;
		if (strvec_find(&names, tag) < 0)
			strvec_push(&names, tag);
	}
	strvec_sort(&names);
	for (i = 0; i < names.n; i++)
		if (strcmp(names.v[i], "loss") == 0)
			step_key = names.v[i];
	if (names.n > 0) {
		memset(&c, 0, sizeof c);
		c.kind = COL_SCALAR;
		c.name = xstrdup(step_key != NULL ? step_key : names.v[0]);
		c.step = true;
		c.header = xstrdup("step");
		XGROW(cs->v, cs->alloc, cs->n + 1);
		cs->v[cs->n++] = c;
	}
	for (i = 0; i < names.n; i++) {
		memset(&c, 0, sizeof c);
		c.kind = COL_SCALAR;
		c.name = xstrdup(names.v[i]);
		c.header = xstrdup(names.v[i]);
		XGROW(cs->v, cs->alloc, cs->n + 1);
		cs->v[cs->n++] = c;
	}
	strvec_clear(&names);
}

static bool	core_attr(const char *);

static void
add_section(struct table *t, size_t r, const struct cols *cs, bool hidden)
{
	size_t	i, hi;

	for (i = 0; i < cs->n; i++) {
		hi = table_header(t, cs->v[i].header, hidden);
		table_set(t, hi, r, col_value(t->rows.v[r], &cs->v[i],
		    cs->v[i].kind == COL_ATTR && !core_attr(cs->v[i].name) ?
		    row_other(t, r) : NULL));
	}
}

/* Sorting: NULL last either way; numbers by value, else text. */
struct sort_ctx {
	struct table	*t;
	size_t		 hi;
	bool		 desc;
};

static bool
numeric(const struct value *v, double *d)
{
	if (v->type == VALUE_BOOL) {
		*d = v->u.b;
		return true;
	}
	return value_number(v, d);
}

static int
value_order(const struct value *a, const struct value *b)
{
	struct strbuf	 sa = STRBUF_INIT, sb = STRBUF_INIT;
	double		 x, y;
	int		 c;

	if (numeric(a, &x) && numeric(b, &y)) {
		if (isnan(x) || isnan(y))
			return isnan(x) - isnan(y);
		return x < y ? -1 : x > y;
	}
	format_csv_value(&sa, a);
	format_csv_value(&sb, b);
	c = strcmp(sa.buf, sb.buf);
	strbuf_release(&sa);
	strbuf_release(&sb);
	return c;
}

/* Order of two cells: missing values last whichever the direction. */
static int
cell_order(const struct value *a, const struct value *b, bool desc)
{
	bool	an = a == NULL || a->type == VALUE_NULL;
	bool	bn = b == NULL || b->type == VALUE_NULL;
	int	c;

	if (an || bn)
		return an - bn;
	c = value_order(a, b);
	return desc ? -c : c;
}

/* A stable merge sort of the row order: equal rows keep newest first. */
static void
merge_sort(size_t *v, size_t *tmp, size_t n, struct value **vals, bool desc)
{
	size_t	mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(v, tmp, mid, vals, desc);
	merge_sort(v + mid, tmp, n - mid, vals, desc);
	while (i < mid && j < n) {
		if (cell_order(vals[v[j]], vals[v[i]], desc) < 0)
			tmp[k++] = v[j++];
		else
			tmp[k++] = v[i++];
	}
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static void
sort_rows(struct table *t, size_t hi, bool desc)
{
	size_t	*tmp = xcalloc(t->rows.n + 1, sizeof *tmp);

	merge_sort(t->order, tmp, t->rows.n, t->h[hi].vals, desc);
	free(tmp);
}

/* The columns asked for, parsed before the runs are read. */
struct plan {
	struct cols	 core, user;
	struct cols	 sortcol;	/* --min/--max as a spec, when it is one */
	char		*sort_error;	/* why it is not */
	const char	*sortname;
	bool		 skip_op, all_scalars, desc;
};

static void
plan_release(struct plan *p)
{
	cols_release(&p->core);
	cols_release(&p->user);
	cols_release(&p->sortcol);
	free(p->sort_error);
}

static int
plan_init(struct plan *p, struct cmd_args *a, char **cause)
{
	const char	*spec;
	size_t		 i;
	bool		 strict = cmd_arg_has(a, O_STRICT_COLS);
	int		 id = strict ? O_STRICT_COLS : O_COLS;
	struct col	 c;

	memset(p, 0, sizeof *p);
	if (strict && cmd_arg_has(a, O_COLS))
		return set_cause(cause, "--cols cannot be used with --strict-cols");
	p->skip_op = strict || cmd_arg_has(a, O_SKIP_OP);
	p->all_scalars = cmd_arg_has(a, O_ALL_SCALARS);
	if (strict || cmd_arg_has(a, O_SKIP_CORE))
		spec = MIN_COLS;
	else if (cmd_arg_has(a, O_EXTRA))
		spec = BASE_COLS "," EXTRA_COLS;
	else
		spec = BASE_COLS;
	if (parse_colspec(spec, &p->core, cause) == -1)
		return -1;
	for (i = 0; i < a->values[id].n; i++)
		if (parse_colspec(a->values[id].v[i], &p->user, cause) == -1)
			return -1;
	p->desc = (p->sortname = cmd_arg_value(a, O_MIN)) == NULL;
	if (p->sortname == NULL)
		p->sortname = cmd_arg_value(a, O_MAX);
	/* A heading, or else a column of its own ("min loss"). */
	if (p->sortname != NULL &&
	    parse_col(p->sortname, &c, &p->sort_error) == 0) {
		XGROW(p->sortcol.v, p->sortcol.alloc, 1);
		p->sortcol.v[p->sortcol.n++] = c;
	}
	return 0;
}

/* Attributes that rows carry without RUNINDEX_ATTRS (see attr_value). */
static bool
core_attr(const char *name)
{
	static const char *const names[] = {
		"run", "short_id", "id", "operation", "started", "stopped",
		"time", "status", "label", "sourcecode", "marked",
		"exit_status", "pid", "from", NULL
	};
	size_t	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* What the index must load: attribute files only when a column needs one. */
static unsigned
plan_what(const struct plan *p)
{
	const struct cols	*sets[] = { &p->user, &p->sortcol };
	unsigned		 what = 0;
	size_t			 i, j;

	if (!p->skip_op)
		what |= RUNINDEX_FLAGS | RUNINDEX_SCALARS;
	for (i = 0; i < ARRAY_SIZE(sets); i++)
		for (j = 0; j < sets[i]->n; j++) {
			const struct col	*c = &sets[i]->v[j];

			if (c->kind == COL_FLAG)
				what |= RUNINDEX_FLAGS;
			else if (c->kind == COL_SCALAR)
				what |= RUNINDEX_SCALARS;
			else if (!core_attr(c->name))
				what |= RUNINDEX_ATTRS;
		}
	return what;
}

static int
build_table(struct table *t, struct plan *p, char **cause)
{
	struct cols	 own;
	size_t		 r, hi;

	for (r = 0; r < t->rows.n; r++)
		add_section(t, r, &p->core, false);
	if (!p->skip_op)
		for (r = 0; r < t->rows.n; r++) {
			memset(&own, 0, sizeof own);
			op_cols(t->rows.v[r], row_other(t, r), p->all_scalars,
			    &own);
			add_section(t, r, &own, false);
			cols_release(&own);
		}
	for (r = 0; r < t->rows.n; r++)
		add_section(t, r, &p->user, false);

	t->order = xcalloc(t->rows.n + 1, sizeof *t->order);
	for (r = 0; r < t->rows.n; r++)
		t->order[r] = r;
	if (p->sortname == NULL)
		return 0;
	for (hi = 0; hi < t->nh; hi++)
		if (strcmp(t->h[hi].name, p->sortname) == 0)
			break;
	if (hi == t->nh) {
		if (p->sortcol.n != 1)
			return set_cause(cause, "invalid sort column '%s': %s",
			    p->sortname, p->sort_error);
		/* No run, no heading to sort by (and nothing to sort). */
		if (t->rows.n == 0)
			return 0;
		free(p->sortcol.v[0].header);
		p->sortcol.v[0].header = xasprintf("\n%s", p->sortname);
		for (r = 0; r < t->rows.n; r++)
			add_section(t, r, &p->sortcol, true);
		hi = t->nh - 1;
	}
	sort_rows(t, hi, p->desc);
	return 0;
}

/* Which headings to show: not hidden, and with -u not constant. */
static bool *
shown_headers(const struct table *t, size_t nrows, bool skip_unchanged)
{
	bool		*shown = xcalloc(t->nh + 1, sizeof *shown);
	struct strbuf	 first = STRBUF_INIT, cur = STRBUF_INIT;
	size_t		 i, r;

	for (i = 0; i < t->nh; i++) {
		shown[i] = !t->h[i].hidden;
		if (!shown[i] || !skip_unchanged || nrows < 2 ||
		    strcmp(t->h[i].name, "run") == 0)
			continue;
		strbuf_reset(&first);
		format_value_cell(&first, t->h[i].vals[t->order[0]]);
		for (r = 1; r < nrows; r++) {
			strbuf_reset(&cur);
			format_value_cell(&cur, t->h[i].vals[t->order[r]]);
			if (strcmp(first.buf, cur.buf) != 0)
				break;
		}
		if (r == nrows)
			shown[i] = false;
	}
	strbuf_release(&first);
	strbuf_release(&cur);
	return shown;
}

static void
print_table(const struct table *t, size_t nrows, const bool *shown)
{
	struct strbuf	*cells;
	const char	**ptrs;
	size_t		 ncols = 0, i, r, k;
	size_t		 op_hi = (size_t)-1;

	for (i = 0; i < t->nh; i++) {
		if (shown[i])
			ncols++;
		if (strcmp(t->h[i].name, "operation") == 0)
			op_hi = i;
	}
	if (nrows == 0 || ncols == 0)
		return;
	cells = xcalloc((nrows + 1) * ncols, sizeof *cells);
	ptrs = xcalloc((nrows + 1) * ncols, sizeof *ptrs);
	for (i = 0, k = 0; i < t->nh; i++) {
		if (!shown[i])
			continue;
		strbuf_init(&cells[k]);
		strbuf_addstr(&cells[k], t->h[i].name);
		k++;
	}
	for (r = 0; r < nrows; r++) {
		size_t			 row = t->order[r];
		const struct run_row	*rr = t->rows.v[row];

		for (i = 0; i < t->nh; i++) {
			if (!shown[i])
				continue;
			strbuf_init(&cells[k]);
			format_value_cell(&cells[k], t->h[i].vals[row]);
			if (i == op_hi && rr->marked)
				strbuf_addstr(&cells[k], " [marked]");
			k++;
		}
	}
	for (k = 0; k < (nrows + 1) * ncols; k++)
		ptrs[k] = cells[k].buf;
	cli_table(stdout, ptrs, nrows + 1, ncols);
	for (k = 0; k < (nrows + 1) * ncols; k++)
		strbuf_release(&cells[k]);
	free(cells);
	free(ptrs);
}

static int
write_csv(const struct table *t, size_t nrows, const bool *shown,
    const char *path)
{
	struct strbuf	 out = STRBUF_INIT, cell = STRBUF_INIT;
	char		*cause = NULL, *dir, *slash;
	size_t		 i, r;
	bool		 sep;

	if (nrows > 0) {
		for (i = 0, sep = false; i < t->nh; i++) {
			if (!shown[i])
				continue;
			if (sep)
				strbuf_addch(&out, ',');
			format_csv_field(&out, t->h[i].name);
			sep = true;
		}
		strbuf_addch(&out, '\n');
	}
	for (r = 0; r < nrows; r++) {
		for (i = 0, sep = false; i < t->nh; i++) {
			if (!shown[i])
				continue;
			if (sep)
				strbuf_addch(&out, ',');
			strbuf_reset(&cell);
			format_csv_value(&cell, t->h[i].vals[t->order[r]]);
			format_csv_field(&out, cell.buf);
			sep = true;
		}
		strbuf_addch(&out, '\n');
	}
	strbuf_release(&cell);
	if (strcmp(path, "-") == 0) {
		cli_write_text(stdout, out.buf, out.len);
		strbuf_release(&out);
		return 0;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0777, &cause) == -1) {
			free(dir);
			strbuf_release(&out);
			return cli_error_cause(cause);
		}
	}
	free(dir);
	if (write_file_atomic(path, out.buf, out.len, &cause) == -1) {
		strbuf_release(&out);
		return cli_error_cause(cause);
	}
	strbuf_release(&out);
	fflush(stdout);
	fprintf(stderr, "Wrote %zu row(s) to %s\n", nrows,
	    cli_field(stderr, path));
	return 0;
}

static void
print_scalars(const struct run_rows *rows)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		r, i;

	for (r = 0; r < rows->n; r++) {
		const struct run_row	*row = rows->v[r];
		char			*op = format_op_str(row);
		char			*id8 = xstrndup(row->id, 8);

		printf("[%s] %s\n", cli_field(stdout, id8),
		    cli_field(stdout, op));
		free(id8);
		free(op);
		for (i = 0; row->scalars != NULL && i < row->scalars->n; i++) {
			const struct scalar_stats *s = &row->scalars->v[i];

			if (s->count == 0)
				continue;
			strbuf_reset(&sb);
			format_scalar_step(&sb, s->last.value, s->last.step);
			printf("  %s: %s\n", cli_field(stdout, s->key), sb.buf);
		}
	}
	strbuf_release(&sb);
}

/*
 * For guild api compare: the default columns with the full id first, as
 * Guild's api compare moves its ".id" column to the run column's place.
 */
struct value *
cmd_compare_value(struct run_rows *rows)
{
	struct table	 t;
	struct plan	 plan;
	struct value	*out = value_list(), *line;
	size_t		 i, r;

	memset(&t, 0, sizeof t);
	memset(&plan, 0, sizeof plan);
	t.rows = *rows;
	memset(rows, 0, sizeof *rows);
	if (t.rows.n > 0 &&
	    parse_colspec(".id,.operation,.started,.time,.status,.label",
	    &plan.core, NULL) == 0 && build_table(&t, &plan, NULL) == 0) {
		line = value_list();
		for (i = 0; i < t.nh; i++)
			value_list_push(line, value_string(t.h[i].name));
		value_list_push(out, line);
		for (r = 0; r < t.rows.n; r++) {
			line = value_list();
			for (i = 0; i < t.nh; i++)
				if (strcmp(t.h[i].name, "operation") == 0)
					/* Guild's operation: no "./". */
					value_list_push(line, value_string(
					    t.rows.v[r]->op_desc != NULL ?
					    t.rows.v[r]->op_desc : ""));
				else
					value_list_push(line, t.h[i].vals[r] !=
					    NULL ? value_dup(t.h[i].vals[r]) :
					    value_null());
			value_list_push(out, line);
		}
	}
	plan_release(&plan);
	table_release(&t);
	return out;
}

/*
 * Batch runs (Guild's builtin batch operations: "+", random) have no flags
 * or scalars of their own: left out unless --include-batch, as Guild does.
 */
static void
drop_batches(struct run_rows *rows)
{
	size_t	i, n = 0;

	for (i = 0; i < rows->n; i++) {
		if (rows->v[i]->opref != NULL &&
		    str_starts_with(rows->v[i]->opref, "builtin:"))
			run_row_free(rows->v[i]);
		else
			rows->v[n++] = rows->v[i];
	}
	rows->n = n;
}

/* guild view on its compare table, of these runs (all: of every run). */
static int
view_compare(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct run_rows *rows)
{
	struct view_options	opts;
	struct strvec		ids = STRVEC_INIT;
	size_t			i;
	bool			some = a->pos.n > 0 || cmd_arg_has_filter(a);
	int			rc;

	memset(&opts, 0, sizeof opts);
	opts.start = VIEW_START_COMPARE;
	for (i = 0; some && i < rows->n; i++)
		strvec_push(&ids, rows->v[i]->id);
	opts.run_ids = some ? &ids : NULL;
	rc = ctx->view(ctx, &opts);
	strvec_clear(&ids);
	return rc;
}

static int
cmd_compare_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex		*idx;
	struct table		 t;
	struct plan		 plan;
	const char		*v, *csv;
	char			*cause = NULL, *end;
	unsigned long		 top = 0;
	unsigned		 what;
	size_t			 nrows;
	bool			*shown, to_view;
	int			 rc;

	/* On a terminal, without --table or --csv: the view's compare. */
	to_view = !cmd_arg_has(a, O_TABLE) && !cmd_arg_has(a, O_CSV) &&
	    !cmd_arg_has(a, O_PRINT_SCALARS) && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO);
	/* guild has no view: the view program does all of it, once. */
	if (to_view && ctx->view == NULL)
		return cmd_view_handoff(ctx);
	memset(&t, 0, sizeof t);
	if (cmd_arg_has(a, O_TABLE) && cmd_arg_has(a, O_CSV))
		return cli_error("--table and --csv cannot be used together");
	if (cmd_arg_has(a, O_MIN) && cmd_arg_has(a, O_MAX))
		return cli_error("--min and --max cannot be used together");
	if ((v = cmd_arg_value(a, O_TOP)) != NULL) {
		errno = 0;
		top = strtoul(v, &end, 10);
		if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0)
			return cli_error("invalid value for --top: '%s' is not "
			    "a valid integer", v);
	}
	if (plan_init(&plan, a, &cause) == -1) {
		plan_release(&plan);
		return cli_error_cause(cause);
	}
	what = cmd_arg_has(a, O_PRINT_SCALARS) ? RUNINDEX_SCALARS :
	    plan_what(&plan);
	if ((rc = cmd_runs_select(ctx, a, NULL, NULL, false, what, &idx,
	    &t.rows)) != 0) {
		plan_release(&plan);
		return rc;
	}
	if (!cmd_arg_has(a, O_INCLUDE_BATCH))
		drop_batches(&t.rows);
	/*
	 * Every run's declared and logged attrs at once, from the index's
	 * cache, when they are columns (its scalar sources are current).
	 */
	if (!to_view && !cmd_arg_has(a, O_PRINT_SCALARS) && !plan.skip_op &&
	    (what & RUNINDEX_SCALARS) && t.rows.n > 0) {
		t.other = xcalloc(t.rows.n + 1, sizeof *t.other);
		runindex_run_attrs(idx, t.rows.v, t.rows.n, t.other);
	}
	runindex_close(idx);

	if (to_view) {
		plan_release(&plan);
		rc = view_compare(ctx, a, &t.rows);
		run_rows_release(&t.rows);
		return rc;
	}

	if (cmd_arg_has(a, O_PRINT_SCALARS)) {
		print_scalars(&t.rows);
		run_rows_release(&t.rows);
		plan_release(&plan);
		return 0;
	}
	rc = build_table(&t, &plan, &cause);
	plan_release(&plan);
	if (rc == -1) {
		table_release(&t);
		return cli_error_cause(cause);
	}
	nrows = t.rows.n;
	if (cmd_arg_has(a, O_TOP) && top < nrows)
		nrows = top;
	shown = shown_headers(&t, nrows, cmd_arg_has(a, O_SKIP_UNCHANGED));
	if ((csv = cmd_arg_value(a, O_CSV)) != NULL)
		rc = write_csv(&t, nrows, shown, csv);
	else
		print_table(&t, nrows, shown);
	free(shown);
	table_release(&t);
	return rc;
}

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.usage = "[RUN...]",
	.summary = "Compare run results.",
	.description =
	    "Shows the runs side by side, one row per run: the core columns\n"
	    "(run, operation, started, time, status, label), each flag, a step\n"
	    "column and the last value of each scalar. RUN specs select runs\n"
	    "as in 'guild runs'; without them every run is compared, newest\n"
	    "first. Floats are cut (not rounded) to 6 decimals in tables; CSV\n"
	    "keeps full values.",
	.options = compare_options,
	.filter_options = run_filter_options,
	.exec = cmd_compare_exec,
};
