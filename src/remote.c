/* remote.c: remotes read from the user config (remote.h). */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "error.h"
#include "remote.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"
#include "yamlnode.h"

/* "FILE:LINE:COL: remote 'NAME': message" for node n (rname may be NULL). */
static int node_error(char **, const struct ynode *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

static int
node_error(char **cause, const struct ynode *n, const char *rname,
    const char *fmt, ...)
{
	struct strbuf	 sb = STRBUF_INIT;
	va_list		 ap;

	if (n != NULL && n->file != NULL)
		strbuf_addf(&sb, "%s:", n->file);
	if (n != NULL && n->line > 0)
		strbuf_addf(&sb, "%u:%u: ", n->line, n->col);
	if (rname != NULL)
		strbuf_addf(&sb, "remote '%s': ", rname);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	set_cause(cause, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static void
remote_clear(struct remote *r)
{
	free(r->name);
	free(r->description);
	free(r->host);
	free(r->user);
	free(r->private_key);
	free(r->proxy);
	free(r->guild_home);
	free(r->guild_bin);
	strvec_clear(&r->init);
	strvec_clear(&r->env);
	strvec_clear(&r->sbatch_args);
	free(r->config);
}

void
remote_free(struct remote *r)
{
	if (r == NULL)
		return;
	remote_clear(r);
	free(r);
}

static int
get_string(const struct ynode *v, const char *rname, const char *key,
    char **out, char **cause)
{
	if (v->kind != YNODE_SCALAR || ynode_is_null(v) || v->len == 0 ||
	    strlen(v->str) != v->len)
		return node_error(cause, v, rname,
		    "'%s' must be a non-empty string", key);
	free(*out);
	*out = xstrdup(v->str);
	return 0;
}

static int
get_uint(const struct ynode *v, const char *rname, const char *key,
    unsigned long max, unsigned *out, char **cause)
{
	unsigned long	 n;
	char		*end;

	if (v->kind == YNODE_SCALAR && v->str[0] >= '0' && v->str[0] <= '9') {
		errno = 0;
		n = strtoul(v->str, &end, 10);
		if (*end == '\0' && errno == 0 && n >= 1 && n <= max) {
			*out = (unsigned)n;
			return 0;
		}
	}
	return node_error(cause, v, rname, max == 65535 ?
	    "'%s' must be a port number (1-65535)" :
	    "'%s' must be a positive whole number", key);
}

static int
get_seconds(const struct ynode *v, const char *rname, const char *key,
    double *out, char **cause)
{
	double	 d;
	char	*end;

	if (v->kind == YNODE_SCALAR && v->str[0] != '\0') {
		errno = 0;
		d = strtod(v->str, &end);
		if (*end == '\0' && errno == 0 && d > 0 && d < 86400 * 365) {
			*out = d;
			return 0;
		}
	}
	return node_error(cause, v, rname,
	    "'%s' must be a positive number of seconds", key);
}

/* A list of strings; allow_string: a string is one item per line. */
static int
get_lines(const struct ynode *v, const char *rname, const char *key,
    bool allow_string, struct strvec *out, char **cause)
{
	const char	*p, *nl;
	size_t		 i;

	strvec_clear(out);
	if (v->kind == YNODE_SCALAR && allow_string && !ynode_is_null(v) &&
	    strlen(v->str) == v->len) {
		for (p = v->str; *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL) {
				strvec_push(out, p);
				break;
			}
			if (nl > p) {
				char *line = xstrndup(p, (size_t)(nl - p));
				strvec_push_nodup(out, line);
			}
		}
		return 0;
	}
	if (v->kind != YNODE_SEQ)
		return node_error(cause, v, rname, allow_string ?
		    "'%s' must be a string or a list of strings" :
		    "'%s' must be a list of strings", key);
	for (i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		if (it->kind != YNODE_SCALAR || ynode_is_null(it) ||
		    strlen(it->str) != it->len)
			return node_error(cause, it, rname,
			    "'%s' items must be strings", key);
		strvec_push(out, it->str);
	}
	return 0;
}

static bool
env_name_ok(const char *s)
{
	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s != '\0'; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int
get_env(const struct ynode *v, const char *rname, struct strvec *out,
    char **cause)
{
	size_t	 i;

	if (v->kind != YNODE_MAP)
		return node_error(cause, v, rname,
		    "'env' must be a map of NAME: VALUE");
	strvec_clear(out);
	for (i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *val = v->items[i];
		if (!env_name_ok(k->str))
			return node_error(cause, k, rname,
			    "'%s' is not an environment variable name",
			    k->str);
		if (val->kind != YNODE_SCALAR || strlen(val->str) != val->len)
			return node_error(cause, val, rname,
			    "the value of env '%s' must be a string",
			    k->str);
		strvec_pushf(out, "%s=%s", k->str,
		    ynode_is_null(val) ? "" : val->str);
	}
	return 0;
}

/* Guild AI's settings for its Python environment: not ours. */
static const char *const ignored_keys[] = {
	"venv-path", "guild-env", "conda-env", "venv-activate",
	"use-prerelease", NULL,
};

static bool
slurm_key(const char *k)
{
	/* poll-interval is every remote's: guild view syncs at it. */
	return strcmp(k, "sbatch-args") == 0 ||
	    strcmp(k, "array-parallelism") == 0;
}

static int
remote_key(struct remote *r, const struct ynode *k, const struct ynode *v,
    char **cause)
{
	const char	*key = k->str, *n = r->name;
	size_t		 i;

	if (slurm_key(key) && r->type != REMOTE_SLURM)
		return node_error(cause, k, n,
		    "'%s' is only for remotes of type slurm", key);
	if (strcmp(key, "type") == 0)
		return 0;
	if (strcmp(key, "description") == 0)
		return get_string(v, n, key, &r->description, cause);
	if (strcmp(key, "host") == 0)
		return get_string(v, n, key, &r->host, cause);
	if (strcmp(key, "user") == 0)
		return get_string(v, n, key, &r->user, cause);
	if (strcmp(key, "private-key") == 0)
		return get_string(v, n, key, &r->private_key, cause);
	if (strcmp(key, "proxy") == 0)
		return get_string(v, n, key, &r->proxy, cause);
	if (strcmp(key, "guild-home") == 0)
		return get_string(v, n, key, &r->guild_home, cause);
	if (strcmp(key, "guild-bin") == 0)
		return get_string(v, n, key, &r->guild_bin, cause);
	if (strcmp(key, "port") == 0)
		return get_uint(v, n, key, 65535, &r->port, cause);
	if (strcmp(key, "connect-timeout") == 0)
		return get_uint(v, n, key, 86400, &r->connect_timeout, cause);
	if (strcmp(key, "init") == 0)
		return get_lines(v, n, key, true, &r->init, cause);
	if (strcmp(key, "env") == 0)
		return get_env(v, n, &r->env, cause);
	if (strcmp(key, "sbatch-args") == 0)
		return get_lines(v, n, key, false, &r->sbatch_args, cause);
	if (strcmp(key, "array-parallelism") == 0)
		return get_uint(v, n, key, 1000000, &r->array_parallelism,
		    cause);
	if (strcmp(key, "poll-interval") == 0)
		return get_seconds(v, n, key, &r->poll_interval, cause);
	for (i = 0; ignored_keys[i] != NULL; i++) {
		if (strcmp(key, ignored_keys[i]) == 0) {
			warnx_core("%s:%u: remote '%s': '%s' is ignored "
			    "(use guild-bin and init)", k->file ? k->file : "",
			    k->line, n, key);
			return 0;
		}
	}
	return node_error(cause, k, n, "unknown setting '%s'", key);
}

static struct remote *
remote_read(const struct ynode *name, const struct ynode *map,
    const char *file, char **cause)
{
	struct remote		*r;
	const struct ynode	*t;
	size_t			 i;

	if (map->kind != YNODE_MAP)
		return node_error(cause, map, name->str,
		    "expected a map of settings"), NULL;
	if ((t = ynode_get(map, "type")) == NULL)
		return node_error(cause, name, name->str,
		    "missing required config: type (ssh or slurm)"), NULL;
	r = xcalloc(1, sizeof *r);
	r->name = xstrdup(name->str);
	r->config = xstrdup(file != NULL ? file : "");
	r->line = name->line;
	if (t->kind == YNODE_SCALAR && strcmp(t->str, "ssh") == 0)
		r->type = REMOTE_SSH;
	else if (t->kind == YNODE_SCALAR && strcmp(t->str, "slurm") == 0)
		r->type = REMOTE_SLURM;
	else {
		node_error(cause, t, name->str, "unsupported type '%s' "
		    "(guild has ssh and slurm)", t->kind == YNODE_SCALAR ?
		    t->str : "?");
		goto fail;
	}
	for (i = 0; i < map->n; i++)
		if (remote_key(r, map->keys[i], map->items[i], cause) != 0)
			goto fail;
	if (r->type == REMOTE_SSH && r->host == NULL) {
		node_error(cause, name, name->str,
		    "missing required config: host");
		goto fail;
	}
	return r;
fail:
	remote_free(r);
	return NULL;
}

static int
remotes_from_tree(const struct ynode *root, const char *name,
    struct remote_list *list, char **cause)
{
	const struct ynode	*rs;
	struct remote		*r;
	size_t			 i;

	if (root == NULL || root->kind != YNODE_MAP ||
	    (rs = ynode_get(root, "remotes")) == NULL || ynode_is_null(rs))
		return 0;
	if (rs->kind != YNODE_MAP)
		return node_error(cause, rs, NULL, "'remotes' must be a map "
		    "of remote names to settings");
	for (i = 0; i < rs->n; i++) {
		if ((r = remote_read(rs->keys[i], rs->items[i], name,
		    cause)) == NULL) {
			remotes_clear(list);
			return -1;
		}
		list->v = xreallocarray(list->v, list->n + 1, sizeof *list->v);
		list->v[list->n++] = r;
	}
	return 0;
}

int
remotes_parse(const char *text, size_t len, const char *name,
    struct remote_list *list, char **cause)
{
	struct ynode	*root;
	char		*err = NULL;
	int		 rc;

	remotes_clear(list);
	root = ynode_parse(text, len, name, &err);
	if (root == NULL && err != NULL) {
		set_cause(cause, "%s", err);
		free(err);
		return -1;
	}
	list->config = name != NULL ? xstrdup(name) : NULL;
	rc = remotes_from_tree(root, name, list, cause);
	ynode_free(root);
	if (rc == -1)
		remotes_clear(list);
	return rc;
}

int
remotes_load(const char *home, struct remote_list *list, char **cause)
{
	struct ynode	*root;
	char		*path, *err = NULL;
	int		 rc;

	remotes_clear(list);
	if ((path = user_config_path(home)) == NULL)
		return 0;
	root = ynode_parse_file(path, path, &err);
	if (root == NULL && err != NULL) {
		set_cause(cause, "%s", err);
		free(err);
		free(path);
		return -1;
	}
	rc = remotes_from_tree(root, path, list, cause);
	ynode_free(root);
	if (rc == 0)
		list->config = path;
	else
		free(path);
	return rc;
}

void
remotes_clear(struct remote_list *list)
{
	size_t	 i;

	for (i = 0; i < list->n; i++)
		remote_free(list->v[i]);
	free(list->v);
	free(list->config);
	list->v = NULL;
	list->n = 0;
	list->config = NULL;
}

const struct remote *
remotes_find(const struct remote_list *list, const char *name)
{
	size_t	 i;

	for (i = 0; i < list->n; i++)
		if (strcmp(list->v[i]->name, name) == 0)
			return list->v[i];
	return NULL;
}

/* Take the remote named name out of list, or NULL. */
static struct remote *
list_take(struct remote_list *list, const char *name)
{
	struct remote	*r;
	size_t		 i;

	for (i = 0; i < list->n; i++) {
		if (strcmp(list->v[i]->name, name) == 0) {
			r = list->v[i];
			list->v[i] = list->v[--list->n];
			return r;
		}
	}
	return NULL;
}

struct remote *
remote_get(const char *home, const char *name, char **cause)
{
	struct remote_list	 list = REMOTE_LIST_INIT;
	struct remote		*r = NULL;
	const char		*login = getenv(REMOTE_LOGIN_ENV);

	/*
	 * On a login node, the remote the ssh guild means: its config is
	 * not ours, and it may not be in ours at all.
	 */
	if (login != NULL && *login != '\0' && remotes_parse(login,
	    strlen(login), "$" REMOTE_LOGIN_ENV, &list, NULL) == 0 &&
	    (r = list_take(&list, name)) != NULL) {
		remotes_clear(&list);
		return r;
	}
	remotes_clear(&list);
	if (remotes_load(home, &list, cause) != 0)
		return NULL;
	r = list_take(&list, name);
	remotes_clear(&list);
	if (r == NULL)
		set_cause(cause, "remote %s is not defined (see guild "
		    "remotes)", name);
	return r;
}

const char *
remote_type_name(enum remote_type t)
{
	return t == REMOTE_SLURM ? "slurm" : "ssh";
}

char *
remote_destination(const struct remote *r)
{
	struct strbuf	 sb = STRBUF_INIT;

	if (r->host == NULL)
		return xstrdup("localhost");
	if (r->user != NULL)
		strbuf_addf(&sb, "%s@", r->user);
	strbuf_addstr(&sb, r->host);
	return strbuf_detach(&sb, NULL);
}

const char *
remote_guild_bin(const struct remote *r)
{
	return r->guild_bin != NULL ? r->guild_bin : REMOTE_GUILD_BIN;
}

/* guild-home relative to the login directory, or NULL when absolute. */
static const char *
home_relative(const struct remote *r)
{
	const char	*h = r->guild_home;

	if (h == NULL)
		return ".guild";
	if (strcmp(h, "~") == 0)
		return ".";
	if (str_starts_with(h, "~/"))
		return h + 2;
	return h[0] == '/' ? NULL : h;
}

char *
remote_home_shell(const struct remote *r)
{
	const char	*rel = home_relative(r);
	char		*q, *s;

	if (rel == NULL)
		return shell_quote(r->guild_home);
	q = shell_quote(rel);
	s = xasprintf("\"$HOME\"/%s", q);
	free(q);
	return s;
}

char *
remote_home_rsync(const struct remote *r)
{
	const char	*rel = home_relative(r);

	return xstrdup(rel != NULL ? rel : r->guild_home);
}

char *
shell_quote(const char *s)
{
	struct strbuf	 sb = STRBUF_INIT;

	strbuf_addch(&sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			strbuf_addstr(&sb, "'\\''");
		else
			strbuf_addch(&sb, *s);
	}
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb, NULL);
}

static struct value *
strvec_value(const struct strvec *sv)
{
	struct value	*l = value_list();
	size_t		 i;

	for (i = 0; i < sv->n; i++)
		value_list_push(l, value_string(sv->v[i]));
	return l;
}

char *
remote_login_config(const struct remote *r)
{
	struct value	*top = value_map(), *rs = value_map();
	struct value	*m = value_map(), *env = value_map();
	struct strbuf	 sb = STRBUF_INIT;
	const char	*eq;
	char		*k;
	size_t		 i;

	value_map_set(m, "type", value_string("slurm"));
	if (r->guild_bin != NULL)
		value_map_set(m, "guild-bin", value_string(r->guild_bin));
	if (r->init.n > 0)
		value_map_set(m, "init", strvec_value(&r->init));
	for (i = 0; i < r->env.n; i++) {
		eq = strchr(r->env.v[i], '=');
		k = xstrndup(r->env.v[i], (size_t)(eq - r->env.v[i]));
		value_map_set(env, k, value_string(eq + 1));
		free(k);
	}
	if (r->env.n > 0)
		value_map_set(m, "env", env);
	else
		value_free(env);
	if (r->sbatch_args.n > 0)
		value_map_set(m, "sbatch-args", strvec_value(&r->sbatch_args));
	if (r->array_parallelism > 0)
		value_map_set(m, "array-parallelism",
		    value_int(r->array_parallelism));
	if (r->poll_interval > 0)
		value_map_set(m, "poll-interval",
		    value_float(r->poll_interval));
	value_map_set(rs, r->name, m);
	value_map_set(top, "remotes", rs);
	value_encode_json(&sb, top);
	value_free(top);
	return strbuf_detach(&sb, NULL);
}
