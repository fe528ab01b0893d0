/*
 * runfiles.h: the files of a run as Guild 0.9's publish and api commands
 * list them: what the run holds outside .guild, and its source code.
 *
 * Two walks, as Guild has two:
 *	RUN_FILES_PUBLISH	publish's runfiles.csv: every file under the
 *				run directory, following links into
 *				directories (each real directory entered
 *				once), skipping every ".guild" directory;
 *				dangling links are listed too
 *	RUN_FILES_API		guild api runs' "files": regular files and
 *				links (to anything, dangling too), links
 *				never followed, only the top .guild skipped
 * Paths are relative to the run directory, naturally sorted (natcmp).
 */
#ifndef GUILD_RUNFILES_H
#define GUILD_RUNFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

enum run_files_walk {
	RUN_FILES_PUBLISH,
	RUN_FILES_API,
};

struct run_file {
	char	*path;		/* relative to the run directory */
	bool	 link;		/* a symbolic link */
	bool	 exists;	/* stat() of it (through a link) works */
	bool	 regular;	/* ... and it is a regular file */
	bool	 dir;		/* ... and it is a directory */
	int64_t	 size;		/* through links; -1 when it does not exist */
	int64_t	 mtime_us;	/* through links; 0 when it does not exist */
};

struct run_files {
	struct run_file	*v;
	size_t		 n, alloc;
};

#define RUN_FILES_INIT	{ NULL, 0, 0 }

/*
 * List the files of run_dir. skip (may be NULL) holds run-relative paths
 * left out (the source code files). A directory that cannot be read is
 * skipped (its files are not there to publish); -1 only when run_dir
 * itself cannot be read.
 */
int	 run_files_list(const char *run_dir, enum run_files_walk,
	    const struct strvec *skip, struct run_files *, char **cause);
void	 run_files_release(struct run_files *);

/*
 * A run's source code: the snapshot directory relative to the run ("."
 * when the files are at the run's root, as Guild 0.9 copies them) and the
 * manifest's source files (run-relative, sorted). The directory is the op
 * attr's sourcecode dest, else .guild/sourcecode when it exists (older
 * runs), else the run's root. A run without a manifest has no files.
 */
void	 run_sourcecode(const char *run_dir, char **root, struct strvec *files);

/*
 * Guild's formatted command (run_util._format_command): the cmd attr's
 * arguments joined by spaces, each quoted ("...") when it is empty or
 * holds a space. Nothing when cmd is not a list.
 */
struct strbuf;
struct value;
void	 run_command_text(struct strbuf *, const struct value *cmd);

#endif
