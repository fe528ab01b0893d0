/*
 * compat.h: Guild 0.9 mode. The walkthrough's ways are the default; with
 * compat "0.9" guild takes Guild AI 0.9's habits for people who come from
 * it:
 *
 *	- runs are numbered from 1 in listings and selections ([1:19c67a72]
 *	  is the newest run; "guild runs info 1" shows it);
 *	- the current project's operations have no "./" before them;
 *	- a run's source snapshot is written to the run's root, not to
 *	  .guild/sourcecode (both layouts are always read).
 *
 * The setting: GUILD_COMPAT=0.9 in the environment, else a top-level
 * `compat: "0.9"` in Guild's user config file, the first of $GUILD_CONFIG,
 * ./guild-config.yml, GUILD_HOME/config.yml and ~/.guild/config.yml that
 * exists. compat_load() decides once per process; until then (and in
 * tests of the core) the default holds.
 */
#ifndef GUILD_COMPAT_H
#define GUILD_COMPAT_H

#include <stdbool.h>

/*
 * Read the setting; home is the Guild home's path. -1 with cause for a
 * value that is not a compat mode or a config file that cannot be read.
 */
int		 compat_load(const char *home, char **cause);
bool		 compat_guild09(void);
/*
 * Guild's user config file: the first of $GUILD_CONFIG (only that one
 * when set: a GUILD_CONFIG that is not there is no config),
 * ./guild-config.yml, HOME/config.yml (home: the Guild home, may be NULL)
 * and ~/.guild/config.yml that exists; NULL when none does. Caller
 * frees. Its settings: compat here, remotes in remote.h.
 */
char		*user_config_path(const char *home);
/* The number users give the newest run: 0, or 1 in Guild 0.9 mode. */
unsigned	 compat_index_base(void);
/* Where a run's source snapshot goes when guild.yml does not say. */
const char	*compat_sourcecode_dest(void);

#endif
