/*
 * runops.h: changing runs: delete to the trash, restore, purge, stop,
 * label, tags and mark. Shared by the run commands of the CLI and by
 * guild view, so both do exactly the same thing.
 *
 * These functions touch the run directories only (the truth); callers
 * tell the run index afterwards (runindex_update / runindex_forget), or
 * let it notice.
 */
#ifndef GUILD_RUNOPS_H
#define GUILD_RUNOPS_H

#include <stdbool.h>

struct guild_home;
struct run;
struct strvec;

/*
 * Move runs/ID to trash/runs/ID (Guild's delete). A run already in the
 * trash under that id is first moved aside to trash/runs/ID_XXXXXX, as
 * Guild does.
 */
int	run_trash(const struct guild_home *, const char *id, char **cause);
/* Move trash/runs/ID back to runs/ID; fails if runs/ID exists. */
int	run_restore(const struct guild_home *, const char *id, char **cause);
/* Remove trash/runs/ID for good. */
int	run_purge(const struct guild_home *, const char *id, char **cause);
/*
 * The real path of file, a path in the run directory run_dir that may
 * pass through links, when it leads into run_dir or into a run of the
 * home (dependencies link to the files of upstream runs), never out of
 * the home (a link to /etc/shadow planted by an operation). NULL with
 * errno EXDEV when it leads out, else realpath()'s errno. Caller frees.
 */
char	*run_file_resolve(const struct guild_home *, const char *run_dir,
	    const char *file);
/* Remove runs/ID for good (delete --permanent). */
int	run_remove(const struct guild_home *, const char *id, char **cause);

/*
 * Send signo to the run's operation process group (the LOCK pid leads
 * it when guild started the run; for a process that does not lead a
 * group, the process alone). -1 with "run X is not running" when there
 * is no live LOCK process.
 */
int	run_signal(const struct run *, int signo, char **cause);
/*
 * Stop a run and wait: SIGTERM, then up to timeout_ms for the process to
 * go (and for its supervisor, the process's parent, to record the end, so
 * the run reads terminated, not error, once this returns); still alive:
 * with force, SIGKILL and up to 5 s more, else an error "run X did not
 * stop within N seconds". Blocks (the CLI's guild stop); the view sends
 * run_signal() and watches instead.
 */
int	run_stop(const struct run *, unsigned timeout_ms, bool force,
	    char **cause);

/* Set the label; NULL or "" removes it. */
int	run_set_label(const struct run *, const char *label, char **cause);
/*
 * Append a comment as Guild writes one: {body, host, time (µs), user};
 * user and host NULL: this process's (run_comment_user/host), time 0:
 * now.
 */
int	run_comment_add(const struct run *, const char *body, const char *user,
	    const char *host, int64_t time, char **cause);
/* Who comments, as Guild records it: $USER, else the passwd name. */
char	*run_comment_user(void);
/* Where: the host name ("" when unknown). */
char	*run_comment_host(void);
/* Set the tags (a list attr); an empty vector removes the attr. */
int	run_set_tags(const struct run *, const struct strvec *tags,
	    char **cause);
/* The tags attr as strings (non-string items formatted); 0 or -1. */
int	run_get_tags(const struct run *, struct strvec *tags, char **cause);
/* Mark (marked: true) or unmark (the attr removed). */
int	run_set_marked(const struct run *, bool marked, char **cause);

#endif
