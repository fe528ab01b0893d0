/* home.c: locating the Guild home. */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "home.h"
#include "passwd.h"
#include "util.h"

struct guild_home *
home_new(const char *override, char **cause)
{
	struct guild_home	*h;
	const char		*env;
	char			*base, *dir;

	if (override != NULL && *override != '\0')
		base = path_absolute(override);
	else if ((env = getenv("GUILD_HOME")) != NULL && *env != '\0')
		base = path_absolute(env);
	else {
		if ((dir = passwd_home()) == NULL) {
			set_cause(cause, "cannot find the home directory: "
			    "set HOME or GUILD_HOME");
			return NULL;
		}
		base = path_join(dir, ".guild");
		free(dir);
	}
	h = xcalloc(1, sizeof *h);
	h->path = base;
	h->runs = path_join(base, "runs");
	h->trash = path_join(base, "trash/runs");
	h->cache = path_join(base, "cache");
	return h;
}

int
home_ensure(const struct guild_home *h, char **cause)
{
	if (mkdir_p(h->runs, 0755, cause) == -1 ||
	    mkdir_p(h->trash, 0755, cause) == -1 ||
	    mkdir_p(h->cache, 0755, cause) == -1)
		return -1;
	return 0;
}

void
home_free(struct guild_home *h)
{
	if (h == NULL)
		return;
	free(h->path);
	free(h->runs);
	free(h->trash);
	free(h->cache);
	free(h);
}
