/* compat.c: Guild 0.9 mode: where it is set and what it changes. */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sourcecode.h"
#include "util.h"
#include "yamlnode.h"

static bool	guild09;

/* Accepted values: "0.9" (also as the YAML number 0.9), "0.9.x". */
static int
compat_value(const char *v, const char *where, char **cause)
{
	if (strcmp(v, "0.9") == 0 || strncmp(v, "0.9.", 4) == 0) {
		guild09 = true;
		return 0;
	}
	if (*v == '\0' || strcmp(v, "default") == 0) {
		guild09 = false;
		return 0;
	}
	return set_cause(cause, "%s: unsupported compat '%s' (expected "
	    "\"0.9\")", where, v);
}

char *
user_config_path(const char *home)
{
	const char	*env = getenv("GUILD_CONFIG"), *h;
	char		*p;

	/* A GUILD_CONFIG that is not there is no config (Guild's). */
	if (env != NULL && *env != '\0')
		return path_exists(env) ? xstrdup(env) : NULL;
	if (path_exists("guild-config.yml"))
		return xstrdup("guild-config.yml");
	if (home != NULL) {
		p = path_join(home, "config.yml");
		if (path_exists(p))
			return p;
	} else
		p = NULL;
	if ((h = getenv("HOME")) != NULL && *h != '\0') {
		char	*q = path_join(h, ".guild/config.yml");

		/* The default home is ~/.guild: no second look at one file. */
		if ((p == NULL || strcmp(p, q) != 0) && path_exists(q)) {
			free(p);
			return q;
		}
		free(q);
	}
	free(p);
	return NULL;
}

int
compat_load(const char *home, char **cause)
{
	const char	*env = getenv("GUILD_COMPAT");
	struct ynode	*root, *v;
	char		*path, *err = NULL;
	int		 rc = 0;

	if (env != NULL)
		return compat_value(env, "GUILD_COMPAT", cause);
	if ((path = user_config_path(home)) == NULL)
		return 0;
	root = ynode_parse_file(path, path, &err);
	if (root == NULL && err != NULL) {
		/* Guild warns and goes on without it. */
		warnx_core("%s", err);
		free(err);
	} else if ((v = ynode_get(root, "compat")) != NULL &&
	    !ynode_is_null(v)) {
		if (v->kind != YNODE_SCALAR)
			rc = set_cause(cause, "%s:%u:%u: invalid value for "
			    "'compat': expected \"0.9\"", path, v->line,
			    v->col);
		else
			rc = compat_value(v->str, path, cause);
	}
	ynode_free(root);
	free(path);
	return rc;
}

bool
compat_guild09(void)
{
	return guild09;
}

unsigned
compat_index_base(void)
{
	return guild09 ? 1 : 0;
}

const char *
compat_sourcecode_dest(void)
{
	return guild09 ? "." : SOURCECODE_DEFAULT_DEST;
}
