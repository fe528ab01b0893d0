/* batch.c: grid and random searches: trials, and running them. */
#include "common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "deps.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "loop.h"
#include "output.h"
#include "run.h"
#include "runner.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/* Seconds a stopped trial gets before SIGKILL. */
#define BATCH_KILL_MS	10000

/* ------------------------------------------------------------------ */
/* Random numbers */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
batch_rng_seed(struct batch_rng *r, uint64_t seed)
{
	size_t	i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
batch_rng_next(struct batch_rng *r)
{
	uint64_t	result = rotl(r->s[1] * 5, 7) * 9;
	uint64_t	t = r->s[1] << 17;

	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return result;
}

double
batch_rng_double(struct batch_rng *r)
{
	return (double)(batch_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t
batch_rng_below(struct batch_rng *r, uint64_t n)
{
	uint64_t	limit, x;

	/* Rejection keeps it unbiased. */
	limit = UINT64_MAX - UINT64_MAX % n;
	do
		x = batch_rng_next(r);
	while (x >= limit);
	return x % n;
}

/* ------------------------------------------------------------------ */
/* Batch files */

/* One CSV record; false at end of input. */
static bool
csv_record(const char **pp, const char *end, struct strvec *fields)
{
	const char	*p = *pp;
	struct strbuf	 f = STRBUF_INIT;
	bool		 quoted = false, any = false;

	if (p >= end)
		return false;
	for (;;) {
		if (p >= end) {
			strvec_push(fields, f.buf);
			break;
		}
		if (quoted) {
			if (*p == '"' && p + 1 < end && p[1] == '"') {
				strbuf_addch(&f, '"');
				p += 2;
			} else if (*p == '"') {
				quoted = false;
				p++;
			} else
				strbuf_addch(&f, *p++);
			continue;
		}
		if (*p == '"' && f.len == 0 && !any) {
			quoted = true;
			any = true;
			p++;
		} else if (*p == ',') {
			strvec_push(fields, f.buf);
			strbuf_reset(&f);
			any = false;
			p++;
		} else if (*p == '\n' || *p == '\r') {
			strvec_push(fields, f.buf);
			if (*p == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			p++;
			break;
		} else
			strbuf_addch(&f, *p++);
	}
	strbuf_release(&f);
	*pp = p;
	return true;
}

static int
read_csv(const char *path, const struct strbuf *sb, struct value **rows,
    char **cause)
{
	const char	*p = sb->buf, *end = sb->buf + sb->len;
	struct strvec	 header = STRVEC_INIT, fields = STRVEC_INIT;
	struct value	*list = value_list(), *row;
	size_t		 i;

	if (!csv_record(&p, end, &header) || header.n == 0 ||
	    (header.n == 1 && *header.v[0] == '\0')) {
		strvec_clear(&header);
		value_free(list);
		return set_cause(cause, "%s: missing header row", path);
	}
	while (csv_record(&p, end, &fields)) {
		if (fields.n == 1 && *fields.v[0] == '\0') {
			strvec_clear(&fields);
			continue;
		}
		row = value_map();
		for (i = 0; i < fields.n && i < header.n; i++)
			value_map_set(row, header.v[i],
			    flag_decode(fields.v[i], FLAG_TYPE_AUTO));
		value_list_push(list, row);
		strvec_clear(&fields);
	}
	strvec_clear(&header);
	*rows = list;
	return 0;
}

int
batch_read_file(const char *path, struct value **rows, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v, *list;
	char		*err = NULL;
	size_t		 i;
	int		 rc = -1;

	*rows = NULL;
	if (!str_ends_with(path, ".csv") && !str_ends_with(path, ".json") &&
	    !str_ends_with(path, ".yml") && !str_ends_with(path, ".yaml"))
		return set_cause(cause, "unsupported batch file extension "
		    "for %s", path);
	if (strbuf_read_file(&sb, path, cause) == -1)
		return -1;
	if (str_ends_with(path, ".csv")) {
		rc = read_csv(path, &sb, rows, cause);
		strbuf_release(&sb);
		return rc;
	}
	/* JSON is YAML. */
	v = yaml_parse_value(sb.buf, sb.len, &err);
	strbuf_release(&sb);
	if (v == NULL && err != NULL) {
		set_cause(cause, "%s: %s", path, err);
		free(err);
		return -1;
	}
	if (v != NULL && v->type == VALUE_MAP) {
		list = value_list();
		value_list_push(list, v);
		v = list;
	}
	if (v == NULL)
		v = value_list();
	if (v->type != VALUE_LIST)
		goto bad;
	for (i = 0; i < v->u.list.n; i++)
		if (v->u.list.v[i]->type != VALUE_MAP)
			goto bad;
	*rows = v;
	return 0;
bad:
	value_free(v);
	return set_cause(cause, "%s: expected a list of flag maps", path);
}

/* ------------------------------------------------------------------ */
/* Trials */

/* A list value that is a grid dimension (not an arg-split flag's value). */
static bool
is_dimension(const struct opdef *op, const char *name, const struct value *v)
{
	const struct flagdef	*fd;

	if (v->type != VALUE_LIST)
		return false;
	fd = op != NULL ? opdef_flag(op, name) : NULL;
	return fd == NULL || fd->arg_split == NULL;
}

int
batch_kind(const struct opdef *op, const struct value *user, size_t nfiles,
    const char *optimizer, enum batch_kind *kind, char **cause)
{
	bool	lists = nfiles > 0, funcs = false;
	size_t	i;

	for (i = 0; user != NULL && i < user->u.map.n; i++) {
		if (flag_is_function(user->u.map.v[i]))
			funcs = true;
		else if (is_dimension(op, user->u.map.k[i], user->u.map.v[i]))
			lists = true;
	}
	if (optimizer != NULL) {
		if (strcmp(optimizer, "random") == 0) {
			*kind = BATCH_RANDOM;
			return 0;
		}
		if (strcmp(optimizer, "+") == 0 || strcmp(optimizer, "grid") == 0) {
			if (funcs)
				return set_cause(cause, "flag functions need a "
				    "random search (--optimizer random)");
			*kind = BATCH_GRID;
			return 0;
		}
		return set_cause(cause, "unsupported optimizer '%s' (guild runs "
		    "grid searches and random searches: --optimizer random)",
		    optimizer);
	}
	if (funcs)
		*kind = BATCH_RANDOM;
	else if (lists)
		*kind = BATCH_GRID;
	else
		*kind = BATCH_NONE;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dimension names of user not set in row, sorted. */
static void
dimensions(const struct opdef *op, const struct value *user,
    const struct value *row, struct strvec *dims)
{
	size_t	i;

	for (i = 0; user != NULL && i < user->u.map.n; i++)
		if (is_dimension(op, user->u.map.k[i], user->u.map.v[i]) &&
		    value_map_get(row, user->u.map.k[i]) == NULL)
			strvec_push(dims, user->u.map.k[i]);
	if (dims->n > 1)
		qsort(dims->v, dims->n, sizeof *dims->v, name_cmp);
}

/* Append the product of dims over base to trials. */
static int
grid_expand(const struct value *user, const struct value *base,
    const struct strvec *dims, struct value *trials, char **cause)
{
	size_t	*idx, i, k, total = 1;

	for (k = 0; k < dims->n; k++) {
		size_t	n = value_map_get(user, dims->v[k])->u.list.n;

		if (n == 0)
			return 0;
		if (total > 1000000 / n)
			return set_cause(cause, "too many trials (more than "
			    "1000000)");
		total *= n;
	}
	idx = xcalloc(dims->n + 1, sizeof *idx);
	for (i = 0; i < total; i++) {
		struct value	*t = value_dup(base);

		for (k = 0; k < dims->n; k++) {
			const struct value *l = value_map_get(user, dims->v[k]);

			value_map_set(t, dims->v[k], value_dup(l->u.list.v[idx[k]]));
		}
		value_list_push(trials, t);
		/* Odometer: the last name varies fastest. */
		for (k = dims->n; k-- > 0; ) {
			size_t	n = value_map_get(user, dims->v[k])->u.list.n;

			if (++idx[k] < n)
				break;
			idx[k] = 0;
		}
	}
	free(idx);
	return 0;
}

static int
size_cmp(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Keep max of the trials, chosen at random, in their order. */
static void
sample_trials(struct value *trials, size_t max, struct batch_rng *rng)
{
	size_t		 n = trials->u.list.n, i, *pick;
	struct value	**kept;

	if (max >= n)
		return;
	pick = xcalloc(n, sizeof *pick);
	for (i = 0; i < n; i++)
		pick[i] = i;
	for (i = 0; i < max; i++) {
		size_t	j = i + (size_t)batch_rng_below(rng, n - i), t;

		t = pick[i];
		pick[i] = pick[j];
		pick[j] = t;
	}
	qsort(pick, max, sizeof *pick, size_cmp);
	kept = xcalloc(max + 1, sizeof *kept);
	for (i = 0; i < max; i++) {
		kept[i] = trials->u.list.v[pick[i]];
		trials->u.list.v[pick[i]] = NULL;
	}
	for (i = 0; i < n; i++)
		value_free(trials->u.list.v[i]);
	free(trials->u.list.v);
	trials->u.list.v = kept;
	trials->u.list.n = max;
	trials->u.list.alloc = max + 1;
	free(pick);
}

static bool
num_arg(const struct value *v, double *d, bool *isint)
{
	if (v->type == VALUE_INT) {
		*d = (double)v->u.i;
		*isint = true;
		return true;
	}
	if (v->type == VALUE_FLOAT) {
		*d = v->u.f;
		*isint = false;
		return true;
	}
	return false;
}

/* One random value of a flag function. */
static struct value *
sample_function(const char *flag, const char *text, bool first,
    struct batch_rng *rng, char **cause)
{
	struct value	*args = NULL, *out = NULL;
	char		*name = NULL;
	double		 lo, hi;
	bool		 ilo, ihi;

	if (!flag_function_parse(text, &name, &args)) {
		set_cause(cause, "invalid flag function %s for %s", text, flag);
		return NULL;
	}
	if (name != NULL && strcmp(name, "uniform") != 0 &&
	    strcmp(name, "loguniform") != 0) {
		set_cause(cause, "unsupported flag function '%s' for %s "
		    "(expected uniform or loguniform)", name, flag);
		goto out;
	}
	if (args->u.list.n < 2 || !num_arg(args->u.list.v[0], &lo, &ilo) ||
	    !num_arg(args->u.list.v[1], &hi, &ihi) || hi < lo) {
		set_cause(cause, "invalid range %s for %s: expected [LOW:HIGH]",
		    text, flag);
		goto out;
	}
	if (first && args->u.list.n >= 3) {
		out = value_dup(args->u.list.v[2]);
		goto out;
	}
	if (name != NULL && strcmp(name, "loguniform") == 0) {
		if (lo <= 0) {
			set_cause(cause, "invalid range %s for %s: loguniform "
			    "needs bounds above 0", text, flag);
			goto out;
		}
		out = value_float(exp(log(lo) + batch_rng_double(rng) *
		    (log(hi) - log(lo))));
	} else if (ilo && ihi) {
		long long	a = args->u.list.v[0]->u.i;
		long long	b = args->u.list.v[1]->u.i;

		out = value_int(a + (long long)batch_rng_below(rng,
		    (uint64_t)(b - a) + 1));
	} else
		out = value_float(lo + batch_rng_double(rng) * (hi - lo));
out:
	free(name);
	value_free(args);
	return out;
}

/* One trial of a random search: user's flags with every function sampled. */
static struct value *
random_trial(const struct opdef *op, const struct value *user, bool first,
    struct batch_rng *rng, char **cause)
{
	struct value	*t = value_map();
	size_t		 k;

	for (k = 0; user != NULL && k < user->u.map.n; k++) {
		const char		*name = user->u.map.k[k];
		const struct value	*v = user->u.map.v[k];
		struct value		*x;

		if (flag_is_function(v)) {
			if ((x = sample_function(name, v->u.s, first, rng,
			    cause)) == NULL) {
				value_free(t);
				return NULL;
			}
		} else if (is_dimension(op, name, v) && v->u.list.n > 0)
			x = value_dup(v->u.list.v[batch_rng_below(rng,
			    v->u.list.n)]);
		else
			x = value_dup(v);
		value_map_set(t, name, x);
	}
	return t;
}

/*
 * A random search makes its trials as they are asked for, from the
 * generator's state (trial i follows trial i - 1 in one stream), so a
 * search of ten million trials takes no more memory than one of two. A
 * grid is bounded (a million trials) and sampled as a whole, so it is
 * made up front.
 */
struct batch_gen {
	enum batch_kind		 kind;
	size_t			 n, next;
	struct value		*grid;		/* BATCH_GRID: every trial */
	struct value		*user;		/* BATCH_RANDOM */
	const struct opdef	*op;
	uint64_t		 seed;
	struct batch_rng	 rng;
};

static int
grid_trials(const struct opdef *op, const struct value *user,
    const struct value *rows, long max_trials, uint64_t seed,
    struct value *trials, char **cause)
{
	struct batch_rng rng;
	size_t		 i, k;
	int		 rc;

	batch_rng_seed(&rng, seed);
	if (rows == NULL || rows->u.list.n == 0) {
		struct strvec	 dims = STRVEC_INIT;
		struct value	*base = value_dup(user);

		dimensions(op, user, NULL, &dims);
		for (k = 0; k < dims.n; k++)
			value_map_del(base, dims.v[k]);
		rc = grid_expand(user, base, &dims, trials, cause);
		value_free(base);
		strvec_clear(&dims);
	} else {
		for (i = 0, rc = 0; rc == 0 && i < rows->u.list.n; i++) {
			const struct value	*row = rows->u.list.v[i];
			struct strvec		 dims = STRVEC_INIT;
			struct value		*base = value_dup(user);

			dimensions(op, user, row, &dims);
			for (k = 0; k < dims.n; k++)
				value_map_del(base, dims.v[k]);
			/* The file wins over the command line. */
			for (k = 0; k < row->u.map.n; k++)
				value_map_set(base, row->u.map.k[k],
				    value_dup(row->u.map.v[k]));
			rc = grid_expand(user, base, &dims, trials, cause);
			value_free(base);
			strvec_clear(&dims);
		}
	}
	if (rc == 0 && max_trials > 0)
		sample_trials(trials, (size_t)max_trials, &rng);
	return rc;
}

struct batch_gen *
batch_gen_new(const struct opdef *op, const struct value *user,
    const struct value *rows, enum batch_kind kind, long max_trials,
    uint64_t seed, char **cause)
{
	struct batch_gen	*g = xcalloc(1, sizeof *g);

	g->kind = kind;
	g->op = op;
	g->seed = seed;
	g->user = user != NULL ? value_dup(user) : value_map();
	if (kind == BATCH_RANDOM) {
		struct batch_rng	 probe;
		struct value		*t;
		int			 i;

		if (rows != NULL && rows->u.list.n > 0) {
			set_cause(cause, "batch files cannot be used in a "
			    "random search");
			goto fail;
		}
		g->n = (size_t)(max_trials > 0 ? max_trials :
		    op != NULL && op->default_max_trials > 0 ?
		    op->default_max_trials : BATCH_DEFAULT_MAX_TRIALS);
		/*
		 * A bad flag function fails the same way in every trial but
		 * the first (which may take a given start value): try both
		 * now, so the search fails before anything is created.
		 */
		batch_rng_seed(&probe, seed);
		for (i = 0; i < 2; i++) {
			if ((t = random_trial(op, g->user, i == 0, &probe,
			    cause)) == NULL)
				goto fail;
			value_free(t);
		}
	} else {
		g->grid = value_list();
		if (grid_trials(op, g->user, rows, max_trials, seed, g->grid,
		    cause) == -1)
			goto fail;
		g->n = g->grid->u.list.n;
	}
	batch_gen_rewind(g);
	return g;
fail:
	batch_gen_free(g);
	return NULL;
}

size_t
batch_gen_count(const struct batch_gen *g)
{
	return g->n;
}

void
batch_gen_rewind(struct batch_gen *g)
{
	g->next = 0;
	batch_rng_seed(&g->rng, g->seed);
}

struct value *
batch_gen_next(struct batch_gen *g, char **cause)
{
	struct value	*t;

	if (g->next >= g->n) {
		set_cause(cause, "no more trials");
		return NULL;
	}
	if (g->kind == BATCH_RANDOM)
		t = random_trial(g->op, g->user, g->next == 0, &g->rng, cause);
	else
		t = value_dup(g->grid->u.list.v[g->next]);
	if (t != NULL)
		g->next++;
	return t;
}

void
batch_gen_free(struct batch_gen *g)
{
	if (g == NULL)
		return;
	value_free(g->grid);
	value_free(g->user);
	free(g);
}

int
batch_trials(const struct opdef *op, const struct value *user,
    const struct value *rows, enum batch_kind kind, long max_trials,
    uint64_t seed, struct value **out, char **cause)
{
	struct batch_gen	*g;
	struct value		*trials, *t;

	*out = NULL;
	if ((g = batch_gen_new(op, user, rows, kind, max_trials, seed,
	    cause)) == NULL)
		return -1;
	trials = value_list();
	while (g->next < g->n) {
		if ((t = batch_gen_next(g, cause)) == NULL) {
			value_free(trials);
			batch_gen_free(g);
			return -1;
		}
		value_list_push(trials, t);
	}
	batch_gen_free(g);
	*out = trials;
	return 0;
}

char *
batch_trial_desc(const struct opdef *op, const struct value *flags)
{
	struct strvec	 dep = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*sorted = value_dup(flags);
	size_t		 i;

	deps_flag_names(op, &dep);
	if (sorted != NULL && sorted->type == VALUE_MAP) {
		value_map_sort(sorted);
		for (i = 0; i < sorted->u.map.n; i++) {
			if (sorted->u.map.v[i]->type == VALUE_NULL ||
			    strvec_find(&dep, sorted->u.map.k[i]) >= 0)
				continue;
			if (sb.len > 0)
				strbuf_addstr(&sb, ", ");
			strbuf_addf(&sb, "%s=", sorted->u.map.k[i]);
			flag_format(&sb, sorted->u.map.v[i], true);
		}
	}
	value_free(sorted);
	strvec_clear(&dep);
	return strbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ */
/* The batch run */

static int
write_attr(const struct run *run, const char *name, struct value *v,
    char **cause)
{
	int	rc = run_attr_write(run, name, v, cause);

	value_free(v);
	return rc;
}

/*
 * The attrs Guild writes for a batch run besides flags and seeds: the
 * command and op config of its batch operation (guild.batch_main for a
 * grid, the skopt plugin's random_main), the system attrs, user_flags
 * (a batch takes none of its own here) and the objective.
 */
static int
batch_guild_attrs(const struct run *run, const struct opdef *op,
    enum batch_kind kind, char **cause)
{
	extern char	**environ;
	struct strvec	  env = STRVEC_INIT;
	struct value	 *cmd, *o, *oc, *ce, *sc;
	const char	 *py = getenv("GUILD_PYTHON_EXE");
	char		**e;
	int		  rc;

	cmd = value_list();
	value_list_push(cmd, value_string(py != NULL && *py != '\0' ? py :
	    "python3"));
	value_list_push(cmd, value_string("-um"));
	value_list_push(cmd, value_string(kind == BATCH_RANDOM ?
	    "guild.plugins.random_main" : "guild.batch_main"));
	o = value_map();
	oc = value_map();
	value_map_set(oc, "cmd-args", value_dup(cmd));
	ce = value_map();
	value_map_set(ce, "NO_OP_INTERRUPTED_MSG", value_string("1"));
	value_map_set(oc, "cmd-env", ce);
	value_map_set(oc, "flags-dest", value_string("args"));
	value_map_set(o, "op-cmd", oc);
	value_map_set(o, "label-template", value_null());
	sc = value_map();
	value_map_set(sc, "dest", value_null());
	value_map_set(o, "sourcecode", sc);
	value_map_set(o, "delete-on-success", value_bool(true));
	for (e = environ; e != NULL && *e != NULL; e++)
		strvec_push(&env, *e);
	rc = write_attr(run, "cmd", cmd, cause) == -1 ||
	    write_attr(run, "op", o, cause) == -1 ||
	    write_attr(run, "user_flags", value_map(), cause) == -1 ||
	    runner_write_system_attrs(run, op, &env, cause) == -1 ||
	    (op->objective != NULL && write_attr(run, "objective",
	    value_dup(op->objective), cause) == -1) ? -1 : 0;
	strvec_clear(&env);
	return rc;
}

struct run *
batch_create(const struct guild_home *home, const struct opdef *op,
    enum batch_kind kind, const struct value *user, uint64_t seed,
    long max_trials, const char *id, char **cause)
{
	struct run	*run, *proto = NULL;
	struct opref	 ref;
	struct value	*flags = NULL;
	char		*dir;
	bool		 fresh = true;

	if (id != NULL) {
		dir = run_dir_path(home->runs, id);
		fresh = !path_exists(dir);
		free(dir);
	}
	if ((run = run_create(home->runs, id, cause)) == NULL)
		return NULL;
	/* Guild's opref for its batch operations: builtin:guildai VERSION. */
	memset(&ref, 0, sizeof ref);
	ref.pkg_type = (char *)"builtin";
	ref.pkg_name = (char *)"guildai";
	ref.pkg_version = (char *)PACKAGE_VERSION;
	ref.model = (char *)"";
	ref.op = (char *)(kind == BATCH_RANDOM ? "random" : "+");
	if (run_opref_write(run, &ref, cause) == -1 ||
	    batch_guild_attrs(run, op, kind, cause) == -1 ||
	    write_attr(run, "flags", value_map(), cause) == -1 ||
	    write_attr(run, "random_seed", value_int((long long)(seed &
	    0x7fffffffffffffffULL)), cause) == -1)
		goto fail;
	if ((max_trials > 0 || kind == BATCH_RANDOM) &&
	    write_attr(run, "max_trials", value_int(max_trials > 0 ?
	    max_trials : op->default_max_trials > 0 ? op->default_max_trials :
	    BATCH_DEFAULT_MAX_TRIALS), cause) == -1)
		goto fail;

	/* The prototype: what every trial is a run of. */
	if ((proto = run_create(run->guild, "proto", cause)) == NULL)
		goto fail;
	flags_apply(op, user, true, &flags, NULL);
	if (runner_write_opref(proto, op, cause) == -1 ||
	    write_attr(proto, "flags", flags != NULL ? flags : value_map(),
	    cause) == -1 ||
	    write_attr(proto, "user_flags", user != NULL ? value_dup(user) :
	    value_map(), cause) == -1 ||
	    run_marker_clear(proto, RUN_MARKER_PENDING, cause) == -1)
		goto fail;
	run_free(proto);
	return run;
fail:
	/* Not half a batch run left behind (a full disk). */
	run_free(proto);
	if (fresh)
		rm_rf(run->path, NULL);
	run_free(run);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Running */

struct trial {
	struct batch		*b;
	struct value		*flags;
	struct value		*user;
	struct runner_spec	 rspec;
	struct run_plan		 plan;
	bool			 planned;
	struct run		*run;
	struct runner		*runner;
	char			*id;
	bool			 finished;
	int			 code;
};

struct batch {
	struct loop		*loop;
	const struct batch_spec	*spec;
	struct run		*run;
	struct output		*output;
	struct batch_hooks	 hooks;
	void			*arg;
	struct loop_timer	*tick;
	struct loop_timer	*kill;
	struct loop_timer	*stop_after;	/* spec->stop_after_ms */
	uint64_t		 started_ms;
	struct trial		**running;
	size_t			 nrunning, runalloc;
	size_t			 next;
	size_t			 failed;
	int			 stop_signo;
	bool			 finished;
	char			*opname;
};

static void
batch_log(struct batch *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
batch_log(struct batch *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *line;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (b->output != NULL) {
		line = xasprintf("%s\n", s);
		output_feed(b->output, line, strlen(line), 0, NULL);
		free(line);
	}
	if (b->hooks.on_log != NULL)
		b->hooks.on_log(s, b->arg);
	free(s);
}

static void
deps_log(const char *line, void *arg)
{
	batch_log(arg, "%s", line);
}

/* A trial runner's log line (--stop-after), as the batch's. */
static void
trial_log(const char *line, void *arg)
{
	struct trial	*t = arg;

	batch_log(t->b, "%s", line);
}

static void
trial_free(struct trial *t)
{
	if (t == NULL)
		return;
	runner_free(t->runner);
	run_free(t->run);
	if (t->planned)
		run_plan_clear(&t->plan);
	value_free(t->flags);
	value_free(t->user);
	free(t->id);
	free(t);
}

static void
trial_data(const char *buf, size_t len, void *arg)
{
	struct trial	*t = arg;

	if (t->b->hooks.on_data != NULL)
		t->b->hooks.on_data(t->id, buf, len, t->b->arg);
}

static void
trial_line(const struct output_line *line, void *arg)
{
	struct trial	*t = arg;

	if (t->b->hooks.on_line != NULL)
		t->b->hooks.on_line(t->id, line, t->b->arg);
}

static void
trial_done(int code, void *arg)
{
	struct trial	*t = arg;

	t->finished = true;
	t->code = code;
	/* Reap from the timer: the runner is still on the stack here. */
	loop_timer_set(t->b->tick, 0, 0);
}

/* flags without the dependency flags, for --needed. */
static struct value *
comparable_flags(const struct opdef *op, const struct value *flags)
{
	struct strvec	 dep = STRVEC_INIT;
	struct value	*v = value_dup(flags);
	size_t		 i;

	deps_flag_names(op, &dep);
	for (i = 0; v != NULL && v->type == VALUE_MAP && i < dep.n; i++)
		value_map_del(v, dep.v[i]);
	strvec_clear(&dep);
	return v;
}

char *
batch_find_same(const struct guild_home *home, const struct opdef *op,
    const struct value *flags)
{
	struct strvec	 ids = STRVEC_INIT;
	struct value	*want = comparable_flags(op, flags);
	char		*found = NULL;
	size_t		 i;

	if (runsel_list(home->runs, &ids, NULL) == -1) {
		value_free(want);
		return NULL;
	}
	for (i = 0; i < ids.n && found == NULL; i++) {
		char		*path = run_dir_path(home->runs, ids.v[i]);
		struct run	*run = run_open(path, NULL);
		struct opref	 ref;
		struct value	*have = NULL, *cmp;
		enum run_status	 st;

		free(path);
		if (run == NULL)
			continue;
		if (run_opref_read(run, &ref, NULL) == 0) {
			if (strcmp(ref.pkg_name, op->model->gf->path) == 0 &&
			    strcmp(ref.model, op->model->name) == 0 &&
			    strcmp(ref.op, op->name) == 0 &&
			    ((st = run_get_status(run)) == RUN_STATUS_COMPLETED ||
			    st == RUN_STATUS_TERMINATED) &&
			    run_attr_read(run, "flags", &have, NULL) == 0) {
				cmp = comparable_flags(op, have);
				if (value_equal(cmp, want))
					found = xstrdup(ids.v[i]);
				value_free(cmp);
				value_free(have);
			}
			opref_clear(&ref);
		}
		run_free(run);
	}
	strvec_clear(&ids);
	value_free(want);
	return found;
}

/* Start trial i; a trial that cannot start is logged and counted failed. */
static void
trial_start(struct batch *b, size_t i)
{
	const struct batch_spec	*s = b->spec;
	struct runner_hooks	 hooks = { .on_data = trial_data,
				    .on_line = trial_line, .on_done = trial_done,
				    .on_log = trial_log };
	struct deps_plan	 dp;
	struct trial		*t = xcalloc(1, sizeof *t);
	char			*cause = NULL, *desc, *link, *target, *match;

	t->b = b;
	if ((t->user = batch_gen_next(s->trials, &cause)) == NULL) {
		batch_log(b, "ERROR: [guild] Trial %zu: %s", i + 1, cause);
		goto fail;
	}
	if (flags_apply(s->op, t->user, s->force_flags, &t->flags, &cause) == -1) {
		batch_log(b, "ERROR: [guild] Trial %zu: %s", i + 1, cause);
		goto fail;
	}
	if (s->needed && (match = batch_find_same(s->home, s->op, t->flags)) != NULL) {
		desc = batch_trial_desc(s->op, t->flags);
		batch_log(b, "INFO: [guild] Skipping trial (%s): run %.8s has "
		    "the same flags (--needed)", desc, match);
		free(desc);
		free(match);
		trial_free(t);
		return;
	}
	if (deps_plan(s->home, s->op, t->flags, NULL, s->force_deps, &dp,
	    &cause) == -1) {
		batch_log(b, "ERROR: [guild] Trial %zu: %s", i + 1, cause);
		goto fail;
	}
	t->rspec.home = s->home;
	t->rspec.op = s->op;
	t->rspec.flags = t->flags;
	t->rspec.user_flags = t->user;
	t->rspec.label = s->label;
	t->rspec.tags = s->tags;
	t->rspec.env = s->env;
	t->rspec.comment = s->comment;
	t->rspec.stage = s->stage_trials;
	if (runner_plan(&t->rspec, &t->plan, &cause) == -1) {
		deps_plan_clear(&dp);
		batch_log(b, "ERROR: [guild] Trial %zu: %s", i + 1, cause);
		goto fail;
	}
	if (s->vcs_commit != NULL)
		t->plan.vcs_commit = xstrdup(s->vcs_commit);
	t->planned = true;
	t->id = xstrdup(t->plan.id);
	if ((t->run = runner_create(&t->rspec, &t->plan, &cause)) == NULL) {
		deps_plan_clear(&dp);
		batch_log(b, "ERROR: [guild] Trial %s: %s", t->id, cause);
		goto fail;
	}
	link = path_join(b->run->path, t->id);
	target = xasprintf("../%s", t->id);
	if (symlink(target, link) == -1)
		warnx_core("%s: %s", link, strerror(errno));
	free(link);
	free(target);
	desc = batch_trial_desc(s->op, t->flags);
	batch_log(b, "INFO: [guild] %s trial %s: %s (%s)", s->stage_trials ?
	    "Staging" : "Running", t->id, b->opname, desc);
	free(desc);
	if (deps_resolve(s->home, s->op, &dp, t->run, deps_log, b,
	    &cause) == -1) {
		deps_plan_clear(&dp);
		runner_fail(t->run, 1, NULL);
		batch_log(b, "ERROR: [guild] Trial %s: %s", t->id, cause);
		goto fail;
	}
	deps_plan_clear(&dp);
	/* A staged trial waits for guild run --start. */
	if (s->stage_trials) {
		trial_free(t);
		return;
	}
	t->runner = runner_start(b->loop, &t->rspec, &t->plan, t->run, &hooks,
	    t, s->rows, s->cols, &cause);
	if (t->runner == NULL) {
		runner_fail(t->run, 127, NULL);
		batch_log(b, "ERROR: [guild] Trial %s: %s", t->id, cause);
		goto fail;
	}
	/* Trials get no keys: end of input for any that reads it. */
	runner_write(t->runner, "\004", 1);
	XGROW(b->running, b->runalloc, b->nrunning + 1);
	b->running[b->nrunning++] = t;
	return;
fail:
	free(cause);
	trial_free(t);
	b->failed++;
}

static void
batch_finish(struct batch *b)
{
	struct value	*v;
	char		*cause = NULL;
	int		 code = 0;

	if (b->finished)
		return;
	b->finished = true;
	if (b->stop_signo != 0)
		code = -b->stop_signo;
	else if (b->spec->fail_on_trial_error && b->failed > 0)
		code = 1;
	v = value_int(code);
	if (run_attr_write(b->run, "exit_status", v, &cause) == -1) {
		warnx_core("%s", cause);
		free(cause);
		cause = NULL;
	}
	value_free(v);
	v = value_int(run_now_us());
	run_attr_write(b->run, "stopped", v, NULL);
	value_free(v);
	run_lock_clear(b->run, NULL);
	if (b->output != NULL) {
		output_close(b->output, NULL);
		b->output = NULL;
	}
	loop_timer_stop(b->tick);
	loop_timer_stop(b->kill);
	if (b->stop_after != NULL)
		loop_timer_stop(b->stop_after);
	if (b->hooks.on_done != NULL)
		b->hooks.on_done(code, b->arg);
}

static void
batch_tick(struct loop_timer *timer, void *arg)
{
	struct batch	*b = arg;
	size_t		 i, n = batch_gen_count(b->spec->trials);
	size_t		 parallel = b->spec->parallel > 0 ? b->spec->parallel : 1;

	/* Reap finished trials. */
	for (i = 0; i < b->nrunning; ) {
		struct trial	*t = b->running[i];

		if (!t->finished) {
			i++;
			continue;
		}
		if (t->code > 0) {
			b->failed++;
			batch_log(b, "ERROR: [guild] Trial %s exited with an "
			    "error (%d) - see log for details", t->id, t->code);
		} else if (runner_error(t->runner) != NULL) {
			b->failed++;
			batch_log(b, "ERROR: [guild] Trial %s: %s", t->id,
			    runner_error(t->runner));
		}
		trial_free(t);
		memmove(&b->running[i], &b->running[i + 1],
		    (b->nrunning - i - 1) * sizeof *b->running);
		b->nrunning--;
	}
	for (;;) {
		if (b->spec->fail_on_trial_error && b->failed > 0 &&
		    b->stop_signo == 0 && b->next < n) {
			batch_log(b, "INFO: [guild] Stopping batch because a "
			    "trial failed (--fail-on-trial-error)");
			b->next = n;
		}
		if (b->stop_signo != 0 || b->nrunning >= parallel || b->next >= n)
			break;
		trial_start(b, b->next++);
	}
	if (b->nrunning == 0 && (b->next >= n || b->stop_signo != 0))
		batch_finish(b);
}

static void
batch_kill(struct loop_timer *timer, void *arg)
{
	struct batch	*b = arg;
	size_t		 i;

	for (i = 0; i < b->nrunning; i++)
		if (!b->running[i]->finished)
			runner_kill(b->running[i]->runner, SIGKILL);
}

/* --stop-after: the batch as a whole is stopped, as Guild stops its process. */
static void
batch_stop_early(struct loop_timer *t, void *arg)
{
	struct batch	*b = arg;

	(void)t;
	if (b->finished || b->stop_signo != 0)
		return;
	batch_log(b, "Stopping process early (pid %ld) - %.1f minute(s) "
	    "elapsed", (long)getpid(),
	    (double)(mono_ms() - b->started_ms) / 60000.0);
	batch_stop(b, SIGTERM);
}

struct batch *
batch_start(struct loop *loop, const struct batch_spec *spec,
    struct run *run, const struct batch_hooks *hooks, void *arg, char **cause)
{
	struct batch	*b = xcalloc(1, sizeof *b);
	struct value	*v;
	int		 rc;

	b->loop = loop;
	b->spec = spec;
	b->run = run;
	if (hooks != NULL)
		b->hooks = *hooks;
	b->arg = arg;
	b->opname = opdef_fullname(spec->op);
	batch_gen_rewind(spec->trials);
	if ((b->output = output_open(run->path, cause)) == NULL)
		goto fail;
	v = value_int(run_now_us());
	rc = run_attr_write(run, "started", v, cause);
	value_free(v);
	if (rc == -1 || run_lock_write(run, getpid(), cause) == -1 ||
	    run_marker_clear(run, RUN_MARKER_PENDING, cause) == -1)
		goto fail;
	b->tick = loop_timer_add(loop, 0, 0, batch_tick, b);
	b->kill = loop_timer_add(loop, BATCH_KILL_MS, 0, batch_kill, b);
	loop_timer_stop(b->kill);
	if (spec->stop_after_ms > 0) {
		b->started_ms = mono_ms();
		b->stop_after = loop_timer_add(loop, spec->stop_after_ms, 0,
		    batch_stop_early, b);
	}
	return b;
fail:
	if (b->output != NULL)
		output_close(b->output, NULL);
	free(b->opname);
	free(b);
	return NULL;
}

void
batch_stop(struct batch *b, int signo)
{
	size_t	i;

	if (b->finished || b->stop_signo != 0)
		return;
	b->stop_signo = signo;
	for (i = 0; i < b->nrunning; i++) {
		struct trial	*t = b->running[i];

		if (t->finished)
			continue;
		batch_log(b, "INFO: [guild] Stopping trial %s (proc %ld)", t->id,
		    (long)runner_pid(t->runner));
		runner_stop(t->runner, SIGTERM);
	}
	batch_log(b, "INFO: [guild] Stopping batch");
	loop_timer_set(b->kill, BATCH_KILL_MS, 0);
	loop_timer_set(b->tick, 0, 0);
}

void
batch_free(struct batch *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nrunning; i++)
		trial_free(b->running[i]);
	free(b->running);
	loop_timer_del(b->tick);
	loop_timer_del(b->kill);
	if (b->stop_after != NULL)
		loop_timer_del(b->stop_after);
	if (b->output != NULL)
		output_close(b->output, NULL);
	free(b->opname);
	free(b);
}

/* ------------------------------------------------------------------ */
/* Staging trials (a batch that runs elsewhere: a Slurm array job) */

int
batch_stage_trials(const struct batch_spec *s, struct run *brun,
    struct strvec *ids, void (*log)(const char *, void *), void *arg,
    char **cause)
{
	struct runner_spec	 rspec;
	struct run_plan		 plan;
	struct deps_plan	 dp;
	struct value		*user, *flags;
	struct run		*run;
	char			*link, *target, *desc, *c = NULL;
	size_t			 i, n = batch_gen_count(s->trials);

	for (i = 0; i < n; i++) {
		if ((user = batch_gen_next(s->trials, cause)) == NULL)
			return -1;
		flags = NULL;
		if (flags_apply(s->op, user, s->force_flags, &flags, cause) == -1 ||
		    deps_plan(s->home, s->op, flags, NULL, s->force_deps, &dp,
		    cause) == -1) {
			value_free(user);
			value_free(flags);
			return -1;
		}
		memset(&rspec, 0, sizeof rspec);
		rspec.home = s->home;
		rspec.op = s->op;
		rspec.flags = flags;
		rspec.user_flags = user;
		rspec.label = s->label;
		rspec.tags = s->tags;
		rspec.env = s->env;
		rspec.comment = s->comment;
		rspec.stage = true;
		run = NULL;
		if (runner_plan(&rspec, &plan, cause) == 0) {
			if ((run = runner_create(&rspec, &plan, cause)) != NULL &&
			    deps_resolve(s->home, s->op, &dp, run, NULL, NULL,
			    &c) == -1) {
				set_cause(cause, "trial %.8s: %s", run->id,
				    c != NULL ? c : "a dependency was not met");
				free(c);
				runner_fail(run, 1, NULL);
				run_free(run);
				run = NULL;
			}
			run_plan_clear(&plan);
		}
		deps_plan_clear(&dp);
		if (run != NULL) {
			link = path_join(brun->path, run->id);
			target = xasprintf("../%s", run->id);
			if (symlink(target, link) == -1)
				warnx_core("%s: %s", link, strerror(errno));
			free(link);
			free(target);
			strvec_push(ids, run->id);
			if (log != NULL) {
				desc = batch_trial_desc(s->op, flags);
				log_linef(log, arg, "INFO: [guild] Staged trial "
				    "%s: %s", run->id, desc);
				free(desc);
			}
		}
		value_free(user);
		value_free(flags);
		if (run == NULL)
			return -1;
		run_free(run);
	}
	return 0;
}
