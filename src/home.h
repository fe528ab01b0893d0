/*
 * home.h: the Guild home, where runs live.
 *
 * $GUILD_HOME/runs/<id>/        runs
 * $GUILD_HOME/trash/runs/<id>/  deleted runs
 * $GUILD_HOME/cache/            caches (the run index), safe to delete
 *
 * The home is -H PATH, else $GUILD_HOME, else ~/.guild.
 */
#ifndef GUILD_HOME_H
#define GUILD_HOME_H

struct guild_home {
	char	*path;		/* absolute */
	char	*runs;		/* path/runs */
	char	*trash;		/* path/trash/runs */
	char	*cache;		/* path/cache */
};

/* Resolve the home (nothing is created). override may be NULL. */
struct guild_home	*home_new(const char *override, char **cause);
/* Create runs/, trash/runs/ and cache/ when missing. */
int			 home_ensure(const struct guild_home *, char **cause);
void			 home_free(struct guild_home *);

#endif
