/*
 * configflags.c: flags-dest: config:FILE, as Guild AI 0.9 does it (see
 * configflags.h).
 */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "configflags.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

enum config_fmt { FMT_YAML, FMT_JSON, FMT_INI, FMT_NONE };

static enum config_fmt
config_fmt(const char *path)
{
	if (str_ends_with(path, ".yml") || str_ends_with(path, ".yaml"))
		return FMT_YAML;
	if (str_ends_with(path, ".json"))
		return FMT_JSON;
	if (str_ends_with(path, ".cfg") || str_ends_with(path, ".ini"))
		return FMT_INI;
	return FMT_NONE;
}

const char *
config_flags_file(const char *flags_dest)
{
	if (flags_dest == NULL || strncmp(flags_dest, "config:", 7) != 0 ||
	    flags_dest[7] == '\0')
		return NULL;
	return flags_dest + 7;
}

/* An INI file as {section: {key: value}}, values read as YAML scalars. */
static struct value *
read_ini(const char *text)
{
	struct value	*root = value_map(), *sec = NULL;
	const char	*p = text, *nl, *eq;
	char		*line, *key, *val;

	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		key = str_trim(line);
		free(line);
		if (*key == '[' && key[strlen(key) - 1] == ']') {
			key[strlen(key) - 1] = '\0';
			sec = value_map();
			value_map_set(root, key + 1, sec);
		} else if (sec != NULL && *key != '#' && *key != ';' &&
		    (eq = strpbrk(key, "=:")) != NULL) {
			val = str_trim(eq + 1);
			key[eq - key] = '\0';
			line = str_trim(key);
			value_map_set(sec, line, value_from_plain_scalar(val,
			    strlen(val)));
			free(line);
			free(val);
		}
		free(key);
	}
	return root;
}

static void
write_ini(struct strbuf *sb, const struct value *root)
{
	size_t	i, j;

	for (i = 0; i < root->u.map.n; i++) {
		const struct value	*sec = root->u.map.v[i];

		if (sec->type != VALUE_MAP)
			continue;
		strbuf_addf(sb, "%s[%s]\n", i > 0 ? "\n" : "", root->u.map.k[i]);
		for (j = 0; j < sec->u.map.n; j++) {
			/* Guild's encode_cfg_val is Python's str(). */
			strbuf_addf(sb, "%s = ", sec->u.map.k[j]);
			value_format_py(sb, sec->u.map.v[j], false);
			strbuf_addch(sb, '\n');
		}
	}
}

struct value *
config_flags_read(const char *path, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct ynode	*root;
	struct value	*v;
	char		*err = NULL;

	switch (config_fmt(path)) {
	case FMT_NONE:
		set_cause(cause, "%s: unsupported config file (expected .yml, "
		    ".yaml, .json, .cfg or .ini)", path);
		return NULL;
	case FMT_INI:
		if (strbuf_read_file(&sb, path, cause) == -1)
			return NULL;
		v = read_ini(sb.buf);
		strbuf_release(&sb);
		return v;
	default:
		break;
	}
	if ((root = ynode_parse_file(path, path, &err)) == NULL) {
		if (err == NULL)
			return value_map();	/* an empty file */
		set_cause(cause, "%s", err);
		free(err);
		return NULL;
	}
	v = ynode_to_value(root);
	ynode_free(root);
	if (v == NULL || v->type != VALUE_MAP) {
		value_free(v);
		set_cause(cause, "%s: expected a mapping", path);
		return NULL;
	}
	return v;
}

/* map["a"]["b"]["c"] = v for name "a.b.c", making maps on the way. */
static void
set_nested(struct value *map, const char *name, const struct value *v)
{
	const char	*dot;
	struct value	*sub;
	char		*key;

	while ((dot = strchr(name, '.')) != NULL) {
		key = xstrndup(name, (size_t)(dot - name));
		if ((sub = value_map_get(map, key)) == NULL ||
		    sub->type != VALUE_MAP) {
			sub = value_map();
			value_map_set(map, key, sub);
		}
		free(key);
		map = sub;
		name = dot + 1;
	}
	value_map_set(map, name, value_dup(v));
}

static void
flatten(const struct value *map, const char *prefix, struct value *out)
{
	size_t	i;
	char	*name;

	for (i = 0; i < map->u.map.n; i++) {
		name = *prefix != '\0' ? xasprintf("%s.%s", prefix,
		    map->u.map.k[i]) : xstrdup(map->u.map.k[i]);
		if (map->u.map.v[i]->type == VALUE_MAP)
			flatten(map->u.map.v[i], name, out);
		else
			value_map_set(out, name, value_dup(map->u.map.v[i]));
		free(name);
	}
}

struct value *
config_flags_flatten(const struct value *config)
{
	struct value	*out = value_map();

	if (config != NULL && config->type == VALUE_MAP)
		flatten(config, "", out);
	return out;
}

int
config_flags_write(const char *project_dir, const char *run_dir,
    const char *file, const struct value *flags, char **cause)
{
	char	*dst;
	int	 rc;

	dst = path_join(run_dir, file);
	rc = config_flags_write_to(project_dir, file, dst, flags, cause);
	free(dst);
	return rc;
}

int
config_flags_write_to(const char *project_dir, const char *file,
    const char *dst, const struct value *flags, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*config;
	char		*src, *dir, *slash;
	size_t		 i;
	int		 rc;

	if (*file == '/' || strstr(file, "..") != NULL)
		return set_cause(cause, "flags-dest config:%s: not a file of "
		    "the project", file);
	src = path_join(project_dir, file);
	config = path_exists(src) ? config_flags_read(src, cause) :
	    config_fmt(file) != FMT_NONE ? value_map() :
	    config_flags_read(src, cause);
	free(src);
	if (config == NULL)
		return -1;
	for (i = 0; flags != NULL && flags->type == VALUE_MAP &&
	    i < flags->u.map.n; i++) {
		if (flags->u.map.v[i]->type != VALUE_NULL)
			set_nested(config, flags->u.map.k[i],
			    flags->u.map.v[i]);
	}
	switch (config_fmt(file)) {
	case FMT_JSON:
		value_encode_json(&sb, config);
		strbuf_addch(&sb, '\n');
		break;
	case FMT_INI:
		write_ini(&sb, config);
		break;
	default:
		value_encode_yaml(&sb, config);
	}
	value_free(config);
	dir = xstrdup(dst);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	rc = mkdir_p(dir, 0777, cause);
	if (rc == 0)
		rc = write_file_atomic(dst, sb.buf, sb.len, cause);
	free(dir);
	strbuf_release(&sb);
	return rc;
}
