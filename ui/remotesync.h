/*
 * remotesync.h: the runs of remotes in guild view.
 *
 * The view shows a remote's runs as guild pull leaves them: run
 * directories in the local Guild home, a live one marked by
 * .guild/LOCK.remote. For each remote of the user config a background
 * `guild pull NAME -y` (a child through proc.c, its output captured, so
 * nothing reaches the terminal) runs at the remote's poll-interval
 * (REMOTE_POLL_INTERVAL without one), one at a time per remote; the
 * runs pane then notices what changed as it notices any run. A failure
 * is one message on the status line, said again only when it changes.
 *
 * Which remote a run belongs to is what pull mirrors: the runs of
 * GUILD_HOME/remotes/NAME/meta/runs (every run of NAME at its last
 * pull). A config without remotes starts nothing.
 */
#ifndef GUILD_UI_REMOTESYNC_H
#define GUILD_UI_REMOTESYNC_H

#include <stdbool.h>
#include <stddef.h>

struct view;

struct remotesync;

/*
 * Read the remotes of the user config and start their syncs (the first
 * at once). NULL when there are none; a broken config is an error on
 * the status line and NULL.
 */
struct remotesync *remotesync_start(struct view *);
/* Stop the syncs (a pull under way gets SIGTERM). NULL is allowed. */
void		 remotesync_free(struct remotesync *);

/* The remotes, in the config's order. */
size_t		 remotesync_count(const struct remotesync *);
const char	*remotesync_name(const struct remotesync *, size_t i);
/* The remote that has run id (at its last pull), or NULL. */
const char	*remotesync_remote_of(const struct remotesync *,
		    const char *id);
/*
 * The remote a pulled run is running on (its .guild/LOCK.remote), or
 * NULL when it is not a live run of a remote. Caller frees.
 */
char		*remotesync_live_remote(const char *run_dir);
/*
 * The remotes whose last sync failed, "a, b" after sep, for the runs
 * pane's title; whether there were any.
 */
struct strbuf;
bool		 remotesync_failing(const struct remotesync *,
		    struct strbuf *, const char *sep);
/* Sync name now (after an action there), or as soon as its pull ends. */
void		 remotesync_now(struct remotesync *, const char *name);

#endif
