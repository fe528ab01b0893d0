/*
 * dirscan.c: directories listed by getdents64 into a buffer of our own
 * where there is one: fdopendir() costs an fstat and two fcntl calls of
 * its own, per directory, on top of ours.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dirscan.h"

#ifdef HAVE_GETDENTS64
#define DIRSCAN_BUF	32768

struct dirscan {
	int		 fd;
	size_t		 pos, len;
	bool		 end;
	/* struct dirent64 records, 8-byte aligned as the kernel writes them. */
	union {
		char		 b[DIRSCAN_BUF];
		uint64_t	 align;
	} u;
};
#else
struct dirscan {
	int		 fd;
	DIR		*d;
};
#endif

static bool
dots(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

struct dirscan *
dirscan_openat(int pfd, const char *name, struct stat *st)
{
	struct dirscan	*ds;
	int		 fd, saved;

	if ((fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, st) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	ds = xmalloc(sizeof *ds);
	ds->fd = fd;
#ifdef HAVE_GETDENTS64
	ds->pos = ds->len = 0;
	ds->end = false;
#else
	if ((ds->d = fdopendir(fd)) == NULL) {
		saved = errno;
		close(fd);
		free(ds);
		errno = saved;
		return NULL;
	}
#endif
	return ds;
}

int
dirscan_fd(const struct dirscan *ds)
{
	return ds->fd;
}

const char *
dirscan_next(struct dirscan *ds, unsigned char *type)
{
#ifdef HAVE_GETDENTS64
	struct dirent64	*de;
	ssize_t		 n;

	for (;;) {
		if (ds->pos >= ds->len) {
			if (ds->end)
				return NULL;
			n = getdents64(ds->fd, ds->u.b, sizeof ds->u.b);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				ds->end = true;
				return NULL;
			}
			ds->pos = 0;
			ds->len = (size_t)n;
		}
		de = (struct dirent64 *)(void *)(ds->u.b + ds->pos);
		ds->pos += de->d_reclen;
		if (!dots(de->d_name)) {
			*type = de->d_type;
			return de->d_name;
		}
	}
#else
	struct dirent	*de;

	while ((de = readdir(ds->d)) != NULL) {
		if (!dots(de->d_name)) {
			*type = de->d_type;
			return de->d_name;
		}
	}
	return NULL;
#endif
}

void
dirscan_close(struct dirscan *ds)
{
	if (ds == NULL)
		return;
#ifdef HAVE_GETDENTS64
	close(ds->fd);
#else
	closedir(ds->d);
#endif
	free(ds);
}
