/*
 * cmd-export.h: what guild archive shares with guild export.
 */
#ifndef GUILD_CMD_EXPORT_H
#define GUILD_CMD_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

struct cmd_ctx;
struct run_rows;
struct runindex;

/*
 * Export rows to the directory loc as guild export does (links between
 * them kept, dangling ones named; with move, the originals removed once
 * all are there, and forgotten by idx). Errors are printed; returns 0 or
 * the exit status, with *count the runs exported.
 */
int	cmd_export_to_dir(struct cmd_ctx *, struct runindex *idx,
	    const struct run_rows *rows, const char *loc, bool move,
	    bool copy_resources, size_t *count);

/*
 * The directory of an archive named name (Guild's label, or its
 * directory's name, under the archives directory), or name itself when
 * it is a path. NULL when there is none (nothing printed).
 */
char	*cmd_archive_path(struct cmd_ctx *, const char *name);

#endif
