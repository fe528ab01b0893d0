/*
 * flagimport.h: an operation's flags imported from its Python main
 * module, as Guild AI 0.9 does.
 *
 * The module's script (main: train is PROJECT/train.py) is read by
 * guild.import_flags (src/python/guild/import_flags.py) with the
 * Python that runs operations: argparse options if it imports argparse,
 * else click options if it imports click, else its module-level
 * assignments of numbers, strings and booleans.
 * Which flags are taken follows flags-import: yes or all (every one), a
 * list (those), no (none), not set (only those guild.yml names, which
 * get the script's default, help, type and choices where guild.yml has
 * none); flags-import-skip leaves some out. guild.yml's attributes
 * always win. The result is cached in GUILD_HOME/cache/import-flags/,
 * keyed by the script's content and the main: spec's arguments, so a
 * second run does not start Python.
 */
#ifndef GUILD_FLAGIMPORT_H
#define GUILD_FLAGIMPORT_H

#include <stdbool.h>

struct guild_home;
struct opdef;

/*
 * Whether flags_import_apply() would start Python (nothing cached for
 * the script yet). A process whose event loop owns the signals (guild
 * view) cannot wait for a child in a loop of its own: it has a guild
 * process import them first (guild run OP --test-flags), then applies
 * them from the cache.
 */
bool	flags_import_pending(const struct guild_home *, const struct opdef *);

/*
 * Import op's flags into it (once per opdef). 0 also when there is
 * nothing to import (no Python main, a script not found); -1 with cause
 * when the script could not be read or its Python failed.
 */
int	flags_import_apply(const struct guild_home *, struct opdef *,
	    char **cause);

/*
 * The project file of op's Python main module (main: train is
 * PROJECT/train.py), or NULL (none, or one of Guild's own modules).
 */
char	*flags_import_main_script(const struct opdef *);

#endif
