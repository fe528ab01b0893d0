/*
 * util.h: small file-system, time and text helpers shared by the core.
 */
#ifndef GUILD_UTIL_H
#define GUILD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "a" + "/" + "b", without doubling slashes. Caller frees. */
char	*path_join(const char *a, const char *b);
/* Absolute, normalised (., .., //) form of path relative to the cwd. */
char	*path_absolute(const char *path);
/* Replace a leading $HOME with "~". Caller frees. */
char	*path_abbrev_home(const char *path);
/*
 * An executable regular file named name in $PATH (a name with a '/' is
 * taken as it is; an empty $PATH entry is "."), or NULL. Caller frees.
 */
char	*path_which(const char *name);
bool	 path_exists(const char *);
bool	 path_is_dir(const char *);
bool	 path_is_file(const char *);
/* The target of the symbolic link path (any length), or NULL with errno. */
char	*path_readlink(const char *path);
/* The entries of dir but "." and "..", sorted (strcmp); -1 with errno. */
struct strvec;
int	 dir_names_sorted(const char *dir, struct strvec *names);

/*
 * Files of a run directory are untrusted input: an operation, an archive
 * or another user can leave a FIFO, a device, a symbolic link or a huge
 * file where an attr or a log is expected. Every reader of a run file
 * goes through these two, which never block and read only regular files.
 *
 * file_open_regular opens path (relative to dfd, or AT_FDCWD) read-only
 * with O_NONBLOCK and O_NOCTTY, and with FILE_NOFOLLOW refuses a symbolic
 * link as the last component. Anything but a regular file is refused
 * ("PATH: not a regular file", errno EINVAL). st (may be NULL) receives
 * its stat. -1 with errno (ENOENT when missing) and cause "PATH: ...".
 *
 * file_read_regular appends the whole file to sb, refusing one of more
 * than max bytes (0: no limit) with "PATH: larger than MAX bytes" (errno
 * EFBIG) before reading it; sb is unchanged on failure.
 */
#define FILE_NOFOLLOW		0x1
/* Attrs, opref, LOCK: one value each; generous for flags with many values. */
#define FILE_ATTR_MAX		(1024 * 1024)
/* A manifest: a line per source file and dependency. */
#define FILE_MANIFEST_MAX	(64 * 1024 * 1024)
struct stat;
struct strbuf;
int	 file_open_regular(int dfd, const char *path, unsigned flags,
	    struct stat *st, char **cause);
int	 file_read_regular(int dfd, const char *path, unsigned flags,
	    size_t max, struct strbuf *sb, struct stat *st, char **cause);
/*
 * The same from byte offset on, up to the size the file had when opened
 * (a writer's later additions are for the next read), without a limit.
 */
int	 file_read_regular_from(int dfd, const char *path, unsigned flags,
	    uint64_t offset, struct strbuf *sb, char **cause);

/*
 * The process's umask (read once, without changing it where the system
 * allows), for files that are created 0600 and then given the mode an
 * ordinary new file would have.
 */
mode_t	 process_umask(void);

/* write(2) all of buf, again after EINTR; -1 with errno set. */
int	 write_all(int fd, const void *buf, size_t len);

/* mkdir -p; -1 with cause. */
int	 mkdir_p(const char *path, unsigned mode, char **cause);
/*
 * rm -rf. Never follows a symbolic link, even one swapped in for a
 * directory while it runs: the tree is walked through directory
 * descriptors (openat O_NOFOLLOW|O_DIRECTORY, unlinkat), so nothing
 * outside path is ever removed. Trees deeper than RM_RF_MAX_DEPTH are
 * refused (one descriptor per level). -1 with cause.
 */
#define RM_RF_MAX_DEPTH		256
int	 rm_rf(const char *path, char **cause);
/*
 * Write a whole file atomically: a hidden temporary file in the same
 * directory, renamed over path, so readers see the old file or the new
 * one, never a part. Its mode is 0666 less the umask, as for any new
 * file. (No fsync: attrs are rewritten often, and a crash
 * loses at most the newest value, never leaves a torn one.)
 */
int	 write_file_atomic(const char *path, const void *data, size_t len,
	    char **cause);

/* Microseconds and milliseconds since the epoch (wall clock). */
int64_t	 now_us(void);
/* Monotonic milliseconds. */
uint64_t mono_ms(void);

/*
 * Natural ordering: digit runs compare by value ("run2" < "run10"),
 * otherwise bytes.
 */
int	 natcmp(const char *, const char *);

/* Display width of a UTF-8 string (wcwidth per character; invalid = 1). */
/*
 * The character set (LC_CTYPE) from the environment, as Python (so Guild
 * AI) takes it, set once, on the first string with a non-ASCII byte: a
 * locale is files to read and map (4 page faults and 8 system calls of a
 * start that should cost nothing), and most commands print ASCII only.
 * A program that set a locale itself (the view, a unit test) keeps it.
 * Thread-safe. guild formats numbers and times itself: no other category
 * is ever set.
 */
void	 locale_ctype(void);
size_t	 utf8_width(const char *);


bool	 str_starts_with(const char *s, const char *prefix);
bool	 str_ends_with(const char *s, const char *suffix);
/* A copy of s without leading and trailing spaces, tabs, CRs and LFs. */
char	*str_trim(const char *s);

/*
 * Progress lines for whoever started a long piece of work (deps and
 * steps take one: "Resolving ..."): log gets the formatted line, or
 * nothing happens when log is NULL.
 */
typedef void (*log_line_fn)(const char *line, void *arg);
void	 log_linef(log_line_fn log, void *arg, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
