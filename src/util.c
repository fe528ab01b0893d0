/* util.c: file-system, time and text helpers. */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "strbuf.h"
#include "strvec.h"
#include "util.h"

char *
path_join(const char *a, const char *b)
{
	size_t	la = strlen(a);

	size_t	lb, sep;
	char	*p;

	if (*b == '/' || la == 0)
		return xstrdup(b);
	/* Hot (a run directory's walk joins every name): no printf. */
	lb = strlen(b);
	sep = a[la - 1] == '/' ? 0 : 1;
	p = xmalloc(la + sep + lb + 1);
	memcpy(p, a, la);
	if (sep)
		p[la] = '/';
	memcpy(p + la + sep, b, lb + 1);
	return p;
}

char *
path_absolute(const char *path)
{
	struct strbuf	 in = STRBUF_INIT, out = STRBUF_INIT;
	char		*cwd, *p, *seg, *save;

	if (*path != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL)
			cwd = xstrdup("/");
		strbuf_addf(&in, "%s/%s", cwd, path);
		free(cwd);
	} else
		strbuf_addstr(&in, path);
	p = in.buf;
	for (seg = strtok_r(p, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char	*slash = strrchr(out.buf, '/');

			if (slash != NULL)
				strbuf_setlen(&out, (size_t)(slash - out.buf));
			continue;
		}
		strbuf_addch(&out, '/');
		strbuf_addstr(&out, seg);
	}
	if (out.len == 0)
		strbuf_addch(&out, '/');
	strbuf_release(&in);
	return strbuf_detach(&out, NULL);
}

char *
path_abbrev_home(const char *path)
{
	const char	*home = getenv("HOME");
	size_t		 len;

	if (home == NULL || *home == '\0' || strcmp(home, "/") == 0)
		return xstrdup(path);
	len = strlen(home);
	while (len > 1 && home[len - 1] == '/')
		len--;
	if (strncmp(path, home, len) == 0 &&
	    (path[len] == '/' || path[len] == '\0'))
		return xasprintf("~%s", path + len);
	return xstrdup(path);
}

char *
path_which(const char *name)
{
	const char	*path = getenv("PATH"), *p;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 && path_is_file(name) ?
		    path_absolute(name) : NULL;
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; ) {
		size_t	 n = strcspn(p, ":");
		char	*dir = n == 0 ? xstrdup(".") : xstrndup(p, n);
		char	*full = path_join(dir, name);

		free(dir);
		if (access(full, X_OK) == 0 && path_is_file(full))
			return full;
		free(full);
		if (p[n] == '\0')
			return NULL;
		p += n + 1;
	}
}

bool
path_exists(const char *path)
{
	struct stat	st;

	return lstat(path, &st) == 0;
}

bool
path_is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
path_is_file(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
mkdir_p(const char *path, unsigned mode, char **cause)
{
	char	*copy, *p;

	if (path_is_dir(path))
		return 0;
	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(copy, (mode_t)mode) == -1 && errno != EEXIST) {
			set_cause(cause, "%s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	if (!path_is_dir(path))
		return set_cause(cause, "%s: not a directory", path);
	return 0;
}

int
file_open_regular(int dfd, const char *path, unsigned flags, struct stat *st,
    char **cause)
{
	struct stat	 sb;
	int		 fd, oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

	if (st == NULL)
		st = &sb;
	if (flags & FILE_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	/*
	 * O_NONBLOCK: opening a FIFO without a writer would wait forever.
	 * (Reads of a regular file ignore it.)
	 */
	if ((fd = openat(dfd, path, oflags)) == -1) {
		if (errno == ELOOP && (flags & FILE_NOFOLLOW)) {
			errno = EINVAL;
			return set_cause(cause, "%s: not a regular file", path);
		}
		return set_cause(cause, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, st) == -1) {
		int	saved = errno;

		close(fd);
		errno = saved;
		return set_cause(cause, "%s: %s", path, strerror(saved));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return set_cause(cause, "%s: not a regular file", path);
	}
	return fd;
}

/* A read failed: close, drop what was read, and say why. */
static int
read_failed(int fd, struct strbuf *sb, size_t start, const char *path,
    char **cause)
{
	int	saved = errno;

	close(fd);
	strbuf_setlen(sb, start);
	errno = saved;
	return set_cause(cause, "%s: %s", path, strerror(saved));
}
int
file_read_regular(int dfd, const char *path, unsigned flags, size_t max,
    struct strbuf *sb, struct stat *st, char **cause)
{
	struct stat	 sbuf;
	size_t		 start = sb->len, want, got;
	ssize_t		 n;
	int		 fd;

	if (st == NULL)
		st = &sbuf;
	if ((fd = file_open_regular(dfd, path, flags, st, cause)) == -1)
		return -1;
	if (max != 0 && st->st_size > 0 && (uintmax_t)st->st_size > max)
		goto too_big;
	/* One read when the size is right, as it is unless being written. */
	want = st->st_size > 0 ? (size_t)st->st_size + 1 : 256;
	for (;;) {
		got = sb->len - start;
		if (max != 0 && got + want > max + 1)
			want = max + 1 - got;
		strbuf_grow(sb, want);
		n = read(fd, sb->buf + sb->len, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return read_failed(fd, sb, start, path, cause);
		if (n == 0)
			break;
		strbuf_setlen(sb, sb->len + (size_t)n);
		got = sb->len - start;
		if (max != 0 && got > max)
			goto too_big;
		if ((size_t)n < want && got >= (size_t)st->st_size)
			break;
		want = 8192;
	}
	close(fd);
	return 0;

too_big:
	close(fd);
	strbuf_setlen(sb, start);
	errno = EFBIG;
	return set_cause(cause, "%s: larger than %zu bytes", path, max);
}

int
file_read_regular_from(int dfd, const char *path, unsigned flags,
    uint64_t offset, struct strbuf *sb, char **cause)
{
	struct stat	 st;
	size_t		 start = sb->len, want;
	ssize_t		 n;
	int		 fd;

	if ((fd = file_open_regular(dfd, path, flags, &st, cause)) == -1)
		return -1;
	while (st.st_size > 0 && offset < (uint64_t)st.st_size) {
		want = (size_t)((uint64_t)st.st_size - offset);
		strbuf_grow(sb, want);
		n = pread(fd, sb->buf + sb->len, want, (off_t)offset);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return read_failed(fd, sb, start, path, cause);
		if (n == 0)
			break;
		strbuf_setlen(sb, sb->len + (size_t)n);
		offset += (uint64_t)n;
	}
	close(fd);
	return 0;
}

/*
 * Empty the directory open as fd (closed here), at depth. Entries are
 * named relative to it and nothing is opened without O_NOFOLLOW, so an
 * entry swapped for a symbolic link is removed as a link, never entered.
 */
static int
rm_contents(int fd, const char *path, unsigned depth, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	int		 sub, rc = 0;

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return set_cause(cause, "%s: %s", path, strerror(errno));
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		const char	*name = de->d_name;
		char		*subpath;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) {
			if (unlinkat(dirfd(d), name, 0) == 0 || errno == ENOENT)
				continue;
			if (errno != EISDIR && errno != EPERM) {
				rc = set_cause(cause, "%s/%s: %s", path, name,
				    strerror(errno));
				continue;
			}
			/* Replaced by a directory since readdir. */
		}
		sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub == -1) {
			/* Not a directory (any more): a file or a link. */
			if ((errno == ENOTDIR || errno == ELOOP) &&
			    unlinkat(dirfd(d), name, 0) == 0)
				continue;
			if (errno == ENOENT)
				continue;
			rc = set_cause(cause, "%s/%s: %s", path, name,
			    strerror(errno));
			continue;
		}
		subpath = path_join(path, name);
		if (depth + 1 >= RM_RF_MAX_DEPTH) {
			close(sub);
			rc = set_cause(cause, "%s: more than %d levels deep",
			    subpath, RM_RF_MAX_DEPTH);
		} else if (rm_contents(sub, subpath, depth + 1, cause) == -1)
			rc = -1;
		else if (unlinkat(dirfd(d), name, AT_REMOVEDIR) == -1 &&
		    errno != ENOENT)
			rc = set_cause(cause, "%s: %s", subpath,
			    strerror(errno));
		free(subpath);
	}
	if (errno != 0 && de == NULL)
		rc = set_cause(cause, "%s: %s", path, strerror(errno));
	closedir(d);
	return rc;
}

int
rm_rf(const char *path, char **cause)
{
	int	fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno != ENOTDIR && errno != ELOOP)
			return set_cause(cause, "%s: %s", path,
			    strerror(errno));
		/* A file, or a link (to a directory or not): itself only. */
		if (unlink(path) == -1 && errno != ENOENT)
			return set_cause(cause, "%s: %s", path,
			    strerror(errno));
		return 0;
	}
	if (rm_contents(fd, path, 0, cause) == -1)
		return -1;
	if (rmdir(path) == -1 && errno != ENOENT)
		return set_cause(cause, "%s: %s", path, strerror(errno));
	return 0;
}

/*
 * The umask, read without changing it: umask(2) can only be read by
 * setting it, and a second thread (the index scan has some) creating a
 * file in between would get the wrong mode. Linux shows it in
 * /proc/self/status since 4.7; elsewhere the set-and-restore pair is the
 * only way, done once. guild never changes its umask, so once is enough.
 */
mode_t
process_umask(void)
{
	static int	 known;
	static mode_t	 mask;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	unsigned	 m;

	if (known)
		return mask;
	if ((f = fopen("/proc/self/status", "re")) != NULL) {
		while (getline(&line, &cap, f) != -1) {
			if (sscanf(line, "Umask: %o", &m) == 1) {
				mask = (mode_t)(m & 0777);
				known = 1;
				break;
			}
		}
		free(line);
		fclose(f);
	}
	if (!known) {
		mask = umask(022);
		umask(mask);
		known = 1;
	}
	return mask;
}

int
write_file_atomic(const char *path, const void *data, size_t len, char **cause)
{
	char		*tmp;
	int		 fd, saved;
	const char	*p = data, *slash;
	size_t		 left = len;

	/*
	 * A hidden name, so that a crash between create and rename leaves
	 * nothing that looks like an attribute to Guild AI or to us.
	 */
	slash = strrchr(path, '/');
	if (slash != NULL)
		tmp = xasprintf("%.*s/.%s.tmp.XXXXXX", (int)(slash - path), path,
		    slash + 1);
	else
		tmp = xasprintf(".%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	while (left > 0) {
		ssize_t	n = write(fd, p, left);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		left -= (size_t)n;
	}
	/* mkostemp makes it 0600; an attr is an ordinary file. */
	if (fchmod(fd, 0666 & ~process_umask()) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	return 0;

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return set_cause(cause, "%s: %s", path, strerror(saved));
}

int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
natcmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char	*sa, *sb;
			size_t		 la, lb;
			int		 c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (sa = a; isdigit((unsigned char)*a); a++)
				;
			for (sb = b; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(sa, sb, la)) != 0)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static pthread_once_t ctype_once = PTHREAD_ONCE_INIT;

static void
ctype_from_environment(void)
{
	const char	*cur = setlocale(LC_CTYPE, NULL);

	if (cur != NULL && strcmp(cur, "C") == 0)
		setlocale(LC_CTYPE, "");
}

void
locale_ctype(void)
{
	pthread_once(&ctype_once, ctype_from_environment);
}

size_t
utf8_width(const char *s)
{
	mbstate_t	st;
	size_t		w = 0, n, left;
	wchar_t		wc;

	/*
	 * ASCII is a column a byte (a control byte too: wcwidth's -1 counts
	 * as 1), and a character of its own in every locale's encoding: no
	 * mbrtowc() per byte for it ("guild runs" measures every cell of its
	 * table: a fifth of its instructions).
	 */
	while (*s != '\0' && (unsigned char)*s < 0x80) {
		w++;
		s++;
	}
	if (*s == '\0')
		return w;
	locale_ctype();
	left = strlen(s);
	memset(&st, 0, sizeof st);
	while (left > 0) {
		n = mbrtowc(&wc, s, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			w++;
			s++;
			left--;
			continue;
		}
		if (n == 0)
			break;
		int cw = wcwidth(wc);
		w += cw < 0 ? 1 : (size_t)cw;
		s += n;
		left -= n;
	}
	return w;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ends_with(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

void
log_linef(log_line_fn log, void *arg, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (log == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	log(s, arg);
	free(s);
}

char *
str_trim(const char *s)
{
	static const char	space[] = " \t\r\n";
	size_t			n;

	s += strspn(s, space);
	n = strlen(s);
	while (n > 0 && strchr(space, s[n - 1]) != NULL)
		n--;
	return xstrndup(s, n);
}

char *
path_readlink(const char *path)
{
	char	*to = NULL;
	ssize_t	 n;
	size_t	 cap = 256;

	for (;;) {
		to = xrealloc(to, cap);
		if ((n = readlink(path, to, cap)) == -1) {
			free(to);
			return NULL;
		}
		if ((size_t)n < cap)
			break;
		cap *= 2;
	}
	to[n] = '\0';
	return to;
}

int
dir_names_sorted(const char *dir, struct strvec *names)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strvec_push(names, de->d_name);
	closedir(d);
	strvec_sort(names);
	return 0;
}
