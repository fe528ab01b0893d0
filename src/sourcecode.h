/*
 * sourcecode.h: the source code snapshot of a run.
 *
 * The project's source files are copied into RUN/.guild/sourcecode/ (our
 * compatibility decision: Guild 0.9 copies to the run directory root, so
 * "guild ls" could not tell source from what the run generated; in Guild
 * 0.9 mode, compat.h, they go there too), or to RUN/<dest> when the
 * guild.yml sourcecode spec names a dest.
 *
 * Selection follows Guild. Rules are tried in order for every entry and
 * the last rule that matches decides; an entry no rule matches is left
 * out. The base rules come first:
 *
 *	exclude dirs	__pycache__, .*, build, dist, *.egg-info, dirs
 *			holding a .guild-nocopy file, virtualenvs (holding
 *			bin/activate)
 *	include		text files of at most 1 MiB, the first 100 of them
 *			in walk order (a warning names the cut)
 *
 * then the model's sourcecode rules, then the operation's. A pattern is
 * an fnmatch glob against the path relative to the source root ('*'
 * crosses '/'); a pattern without '/' is matched against the base name.
 * An untyped pattern naming an existing directory means everything below
 * that directory, as in Guild. `sourcecode: no` on the operation, or on
 * the model without operation rules, copies nothing.
 *
 * "Text" is decided from the name and the first 1 KiB: known source and
 * data extensions (.py .sh .md .txt .csv ...) are text, known binary ones
 * (.png .zip .pkl .pyc ...) are not. Otherwise an empty file is text; a
 * NUL byte, or more than 30% control characters (other than \t \n \r \f
 * \b and ESC), means binary; valid UTF-8 is text; other bytes are text in
 * some 8-bit encoding unless more than 30% of them have the high bit set.
 * Guild uses chardet here; this gives the same answer on source files.
 *
 * Walking is in Guild's order (files of a directory sorted, then its
 * subdirectories sorted). Symlinks are followed only when they resolve
 * inside the source root, and a directory is never entered twice along
 * one path. Only regular files are copied, with their permission bits.
 * A file that cannot be read is a warning (warnx_core), not an error.
 */
#ifndef GUILD_SOURCECODE_H
#define GUILD_SOURCECODE_H

#include <stdbool.h>

#include "strvec.h"

struct sourcecode_spec;

#define SOURCECODE_DEFAULT_DEST		".guild/sourcecode"
#define SOURCECODE_MAX_FILE_SIZE	(1024 * 1024)
#define SOURCECODE_MAX_FILES		100

struct sourcecode_result {
	struct strvec	 files;		/* copied, relative to dest, sorted */
	char		*dest;		/* run-relative snapshot directory */
	char		*digest;	/* the sourcecode_digest attr, or NULL
					   (nothing copied, or digest: no) */
};

/*
 * Snapshot the project in project_dir into run_dir. model and op are the
 * sourcecode specs of the model and the operation (NULL or unset: none);
 * opname (may be NULL) is named in the warnings. Writes the manifest
 * RUN/.guild/manifest, one "s <run path> <sha1> <project path>" line per
 * file in copy order, shell-quoted (replacing any manifest: dependencies
 * are appended after this). Fills res; -1 with cause on an invalid dest or
 * when the run directory cannot be written.
 */
int	 sourcecode_snapshot(const char *project_dir,
	    const struct sourcecode_spec *model,
	    const struct sourcecode_spec *op, const char *opname,
	    const char *run_dir, struct sourcecode_result *res, char **cause);
void	 sourcecode_result_clear(struct sourcecode_result *);

/*
 * --test-sourcecode: what a snapshot would copy, copying nothing. rules
 * as Guild shows them ("exclude dir .*", "include text * size < 1048577,
 * max match 100"), selected and skipped paths relative to root in walk
 * order (pruned directories with a trailing '/'); disabled: no copy at
 * all (sourcecode: no), both lists empty.
 */
struct sourcecode_test {
	char		*root;		/* absolute source root */
	struct strvec	 rules;
	struct strvec	 selected;
	struct strvec	 skipped;
	bool		 disabled;
};
int	 sourcecode_test(const char *project_dir,
	    const struct sourcecode_spec *model,
	    const struct sourcecode_spec *op, struct sourcecode_test *,
	    char **cause);
void	 sourcecode_test_clear(struct sourcecode_test *);

/*
 * guild run --proto RUN: the source files of the run in proto_dir (its
 * manifest's "s" lines, else its .guild/sourcecode) copied to the same
 * places in run_dir, with a manifest as a snapshot has it (res->digest
 * NULL: the run takes its prototype's sourcecode_digest attr, as Guild).
 */
int	 sourcecode_copy_run(const char *proto_dir, const char *run_dir,
	    struct sourcecode_result *res, char **cause);

/* The text test above. */
bool	 sourcecode_is_text_file(const char *path);

#endif
