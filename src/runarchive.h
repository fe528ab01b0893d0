/*
 * runarchive.h: archives of run directories (tar, gzipped tar, zip), the
 * only user of libarchive. (Not "archive.h": with -I src that name would
 * hide libarchive's own <archive.h>.)
 *
 * An archive holds top-level directories (runs, named by their ids) and
 * everything under them: directories, regular files and symbolic links,
 * with their permission bits and modification times.
 *
 * Extraction treats the archive as hostile. The whole archive is refused,
 * with a message naming the entry, when an entry has an absolute path, a
 * ".." component, or control characters in its name; when it is a
 * device, a FIFO or a socket; when a path appears twice; when a symbolic
 * link is absolute, climbs with ".." anywhere but at its start, or
 * resolves outside the top-level directory it is in; when a hard link
 * names a path outside its own top-level directory; when a top-level
 * entry is not a directory (except a ".guild-nocopy" marker, which Guild
 * writes into exports); or when the limits (entries, bytes) are passed.
 * Because links may only climb before they descend, and may never climb
 * out of their top-level directory, no chain of links leads out of it.
 * Nothing is written outside dest (libarchive's secure-extraction checks
 * are on as well), and set-id bits and owners are never restored.
 */
#ifndef GUILD_RUNARCHIVE_H
#define GUILD_RUNARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "strvec.h"

enum runarchive_format {
	RUNARCHIVE_NONE,	/* not an archive name: a directory */
	RUNARCHIVE_TAR,		/* .tar */
	RUNARCHIVE_TGZ,		/* .tar.gz, .tgz */
	RUNARCHIVE_ZIP,		/* .zip */
};

/* The format a file name asks for, by extension (any case). */
enum runarchive_format	runarchive_format_for(const char *path);

/*
 * What becomes of a symbolic link met while writing an archive: the hook
 * is given its path on disk, its path in the archive (NAME/...) and its
 * target, and says keep it, keep it pointing to *to instead (a malloc'd
 * target), store what it points to in its place (following every link
 * below that too), or leave it out (the hook has said why).
 */
enum runarchive_link_action {
	RUNARCHIVE_LINK_KEEP,
	RUNARCHIVE_LINK_REWRITE,
	RUNARCHIVE_LINK_FOLLOW,
	RUNARCHIVE_LINK_OMIT,
};

struct runarchive_links {
	enum runarchive_link_action (*fn)(void *arg, const char *disk,
	    const char *rel, const char *target, char **to);
	void	*arg;
};

/* How deep links may lead into links when they are followed. */
#define RUNARCHIVE_MAX_FOLLOW	32

/*
 * Write an archive of base/names[i] for each name, stored as names[i]/...
 * in the given format. It is written to a temporary file beside path and
 * renamed into place when complete, so there is never a partial archive;
 * path must not exist. Symbolic links that extraction would refuse (see
 * above; a link into another run is kept when that run is among names)
 * are left out, each with a warning (warnx_core): they point to files
 * outside the runs, which the archive could not carry anyway. links, when
 * not NULL, is asked about each link first.
 */
int	runarchive_create(const char *path, enum runarchive_format,
	    const char *base, const struct strvec *names,
	    const struct runarchive_links *links, char **cause);

struct runarchive_limits {
	uint64_t	max_entries;	/* 0: RUNARCHIVE_MAX_ENTRIES */
	uint64_t	max_bytes;	/* file data written; 0: no limit */
};

#define RUNARCHIVE_MAX_ENTRIES	1000000
#define RUNARCHIVE_MAX_PATH	4096	/* bytes in an entry's path */

/*
 * Extract the archive at path (tar, optionally gzip-, bzip2- or
 * xz-compressed, or zip, recognised by content) into dest, an existing
 * empty directory. The top-level names found are added to top (sorted,
 * ".guild-nocopy" left out). On error, dest may hold part of the archive:
 * the caller removes it.
 */
int	runarchive_extract(const char *path, const char *dest,
	    const struct runarchive_limits *, struct strvec *top,
	    char **cause);

/*
 * Whether a symbolic link at entry path `path` (relative, inside a
 * top-level directory) with target `target` passes the rules above and
 * stays in its own top-level directory.
 */
int	runarchive_link_ok(const char *path, const char *target);

/*
 * The same check, also accepting a link into another top-level directory:
 * 0 refused, 1 inside its own, 2 into the top-level directory named by
 * *top_len bytes at *top (a pointer into target).
 */
int	runarchive_link_check(const char *path, const char *target,
	    const char **top, size_t *top_len);

/*
 * A zip file written entry by entry (a Python wheel): into a temporary
 * file beside path, renamed over path by runarchive_zip_commit() (which
 * frees z either way); runarchive_zip_abort() removes it. Entries are
 * regular files with the given permission bits and time.
 */
struct runarchive_zip;
struct runarchive_zip *runarchive_zip_new(const char *path, char **cause);
int	runarchive_zip_add(struct runarchive_zip *, const char *name,
	    const void *buf, size_t len, unsigned mode, time_t mtime,
	    char **cause);
int	runarchive_zip_commit(struct runarchive_zip *, char **cause);
void	runarchive_zip_abort(struct runarchive_zip *);

#endif
