/* runarchive.c: create and safely extract run archives with libarchive. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "runarchive.h"
#include "strbuf.h"
#include "util.h"

#define NOCOPY_MARKER	".guild-nocopy"

enum runarchive_format
runarchive_format_for(const char *path)
{
	size_t	len = strlen(path);

#define ENDS(s) (len >= sizeof(s) - 1 && \
	strcasecmp(path + len - (sizeof(s) - 1), (s)) == 0)
	if (ENDS(".tar.gz") || ENDS(".tgz"))
		return RUNARCHIVE_TGZ;
	if (ENDS(".tar"))
		return RUNARCHIVE_TAR;
	if (ENDS(".zip"))
		return RUNARCHIVE_ZIP;
#undef ENDS
	return RUNARCHIVE_NONE;
}

/*
 * Normalise an entry path: "./" prefixes, "." and empty components go;
 * absolute paths, ".." and control characters are refused. Returns the
 * number of components, or -1 with a reason in *why.
 */
static int
norm_path(const char *in, struct strbuf *out, const char **why)
{
	const char	*p = in, *q;
	size_t		 n;
	int		 count = 0;

	strbuf_reset(out);
	if (*in == '/') {
		*why = "absolute path";
		return -1;
	}
	for (q = in; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f) {
			*why = "control character in the name";
			return -1;
		}
	if (q - in > RUNARCHIVE_MAX_PATH) {
		*why = "path too long";
		return -1;
	}
	while (*p != '\0') {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			*why = "'..' in the path";
			return -1;
		}
		if (n > NAME_MAX) {
			*why = "name too long";
			return -1;
		}
		if (n > 0 && !(n == 1 && *p == '.')) {
			if (out->len > 0)
				strbuf_addch(out, '/');
			strbuf_add(out, p, n);
			count++;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (count == 0)
		*why = "empty path";
	return count == 0 ? -1 : count;
}

int
runarchive_link_ok(const char *path, const char *target)
{
	const char	*p;
	size_t		 n;
	int		 depth = 0;
	bool		 named = false;

	if (*target == '\0' || *target == '/' || *path == '/')
		return 0;
	/* Depth of the directory holding the link. */
	for (p = path; *p != '\0'; ) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (n > 0 && !(n == 1 && *p == '.'))
			depth++;
		p += n;
		if (*p == '/')
			p++;
	}
	depth--;
	if (depth < 1)
		return 0;
	for (p = target; *p != '\0'; ) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* Climbing after descending could go through a link. */
			if (named || --depth < 1)
				return 0;
		} else if (n > 0 && !(n == 1 && *p == '.'))
			named = true;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* A set of entry paths with their types, for duplicates and hard links. */
struct pathset {
	char		**keys;
	unsigned	 *types;
	size_t		  n, cap;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ull;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static size_t
pathset_slot(const struct pathset *ps, const char *key)
{
	size_t	i = (size_t)hash_str(key) & (ps->cap - 1);

	while (ps->keys[i] != NULL && strcmp(ps->keys[i], key) != 0)
		i = (i + 1) & (ps->cap - 1);
	return i;
}

/* Returns the type of an existing key (0 if new, then added). */
static unsigned
pathset_add(struct pathset *ps, const char *key, unsigned type)
{
	size_t	i, j, oldcap;
	char	**oldkeys;
	unsigned *oldtypes;

	if (ps->cap == 0 || (ps->n + 1) * 2 > ps->cap) {
		oldcap = ps->cap;
		oldkeys = ps->keys;
		oldtypes = ps->types;
		ps->cap = oldcap == 0 ? 64 : oldcap * 2;
		ps->keys = xcalloc(ps->cap, sizeof *ps->keys);
		ps->types = xcalloc(ps->cap, sizeof *ps->types);
		for (i = 0; i < oldcap; i++) {
			if (oldkeys[i] == NULL)
				continue;
			j = pathset_slot(ps, oldkeys[i]);
			ps->keys[j] = oldkeys[i];
			ps->types[j] = oldtypes[i];
		}
		free(oldkeys);
		free(oldtypes);
	}
	i = pathset_slot(ps, key);
	if (ps->keys[i] != NULL)
		return ps->types[i];
	ps->keys[i] = xstrdup(key);
	ps->types[i] = type;
	ps->n++;
	return 0;
}

static unsigned
pathset_get(const struct pathset *ps, const char *key)
{
	size_t	i;

	if (ps->cap == 0)
		return 0;
	i = pathset_slot(ps, key);
	return ps->keys[i] != NULL ? ps->types[i] : 0;
}

static void
pathset_free(struct pathset *ps)
{
	size_t	i;

	for (i = 0; i < ps->cap; i++)
		free(ps->keys[i]);
	free(ps->keys);
	free(ps->types);
}

static const char *
type_name(unsigned type)
{
	switch (type) {
	case AE_IFCHR:
		return "character device";
	case AE_IFBLK:
		return "block device";
	case AE_IFIFO:
		return "FIFO";
	case AE_IFSOCK:
		return "socket";
	default:
		return "special file";
	}
}

/*
 * A name for a message: archives are untrusted, so control characters are
 * written as \xNN instead of reaching the terminal.
 */
static const char *
esc(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	for (; s != NULL && *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			strbuf_addf(sb, "\\x%02x", (unsigned char)*s);
		else
			strbuf_addch(sb, *s);
	}
	return sb->buf;
}

/* Length of the first component of a normalised path. */
static size_t
top_len(const char *path)
{
	return strcspn(path, "/");
}

int
runarchive_extract(const char *path, const char *dest,
    const struct runarchive_limits *lim, struct strvec *top, char **cause)
{
	struct archive		*in, *out;
	struct archive_entry	*entry;
	struct pathset		 seen = { NULL, NULL, 0, 0 };
	struct pathset		 tops = { NULL, NULL, 0, 0 };
	struct strbuf		 rel = STRBUF_INIT, target = STRBUF_INIT;
	struct strbuf		 full = STRBUF_INIT;
	struct strbuf		 e1 = STRBUF_INIT;
	struct strvec		 names = STRVEC_INIT;
	const char		*name, *why, *link;
	const void		*buf;
	char			*root;
	size_t			 size, i;
	la_int64_t		 offset;
	uint64_t		 entries = 0, bytes = 0, max_entries;
	unsigned		 type, perm;
	int			 ncomp, r, rc = -1;

	max_entries = lim != NULL && lim->max_entries != 0 ?
	    lim->max_entries : RUNARCHIVE_MAX_ENTRIES;
	if ((root = realpath(dest, NULL)) == NULL)
		return set_cause(cause, "%s: %s", dest, strerror(errno));

	in = archive_read_new();
	archive_read_support_format_tar(in);
	archive_read_support_format_zip(in);
	archive_read_support_filter_gzip(in);
	archive_read_support_filter_bzip2(in);
	archive_read_support_filter_xz(in);
	out = archive_write_disk_new();
	/*
	 * Our own checks come first; libarchive's refuse writing through a
	 * symbolic link or with "..", in case one of ours has a hole.
	 * Neither owners nor permission extras (set-id, sticky) are kept.
	 */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME |
	    ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_NO_OVERWRITE);

	if (archive_read_open_filename(in, path, 65536) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", path, archive_error_string(in));
		goto out;
	}
	for (;;) {
		r = archive_read_next_header(in, &entry);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			set_cause(cause, "%s: %s", path,
			    archive_error_string(in));
			goto out;
		}
		if (++entries > max_entries) {
			set_cause(cause, "%s: more than %llu entries", path,
			    (unsigned long long)max_entries);
			goto out;
		}
		if ((name = archive_entry_pathname(entry)) == NULL) {
			set_cause(cause, "%s: entry %llu has no usable name",
			    path, (unsigned long long)entries);
			goto out;
		}
		if ((ncomp = norm_path(name, &rel, &why)) == -1) {
			set_cause(cause, "%s: entry '%s': %s", path,
			    esc(&e1, name), why);
			goto out;
		}
		type = archive_entry_filetype(entry);
		link = archive_entry_hardlink(entry);
		if (link != NULL)
			type = AE_IFREG;
		if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
			set_cause(cause, "%s: entry '%s' is a %s", path, rel.buf,
			    type_name(type));
			goto out;
		}
		if (ncomp == 1 && type != AE_IFDIR) {
			if (strcmp(rel.buf, NOCOPY_MARKER) == 0 &&
			    type == AE_IFREG && link == NULL) {
				archive_read_data_skip(in);
				continue;
			}
			set_cause(cause, "%s: top-level entry '%s' is not a "
			    "directory", path, rel.buf);
			goto out;
		}
		if (pathset_add(&seen, rel.buf, type) != 0) {
			set_cause(cause, "%s: entry '%s' appears more than once",
			    path, rel.buf);
			goto out;
		}
		strbuf_reset(&target);
		strbuf_add(&target, rel.buf, top_len(rel.buf));
		if (pathset_add(&tops, target.buf, AE_IFDIR) == 0)
			strvec_push(&names, target.buf);

		if (type == AE_IFLNK) {
			const char	*to = archive_entry_symlink(entry);

			if (to == NULL || !runarchive_link_ok(rel.buf, to)) {
				set_cause(cause, "%s: symbolic link '%s' -> '%s' "
				    "points outside its run", path, rel.buf,
				    esc(&e1, to));
				goto out;
			}
		}
		if (link != NULL) {
			if (norm_path(link, &target, &why) == -1 ||
			    top_len(target.buf) != top_len(rel.buf) ||
			    strncmp(target.buf, rel.buf, top_len(rel.buf)) != 0 ||
			    pathset_get(&seen, target.buf) != AE_IFREG) {
				set_cause(cause, "%s: hard link '%s' -> '%s' "
				    "points outside its run", path, rel.buf,
				    esc(&e1, link));
				goto out;
			}
			strbuf_reset(&full);
			strbuf_addf(&full, "%s/%s", root, target.buf);
			archive_entry_copy_hardlink(entry, full.buf);
		}

		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", root, rel.buf);
		archive_entry_copy_pathname(entry, full.buf);
		perm = archive_entry_perm(entry) & 0777;
		/* We must be able to write into, and later remove, what we made. */
		perm |= type == AE_IFDIR ? 0700 : 0600;
		archive_entry_set_perm(entry, perm);
		archive_entry_set_uid(entry, getuid());
		archive_entry_set_gid(entry, getgid());

		if (archive_write_header(out, entry) != ARCHIVE_OK) {
			set_cause(cause, "%s: entry '%s': %s", path, rel.buf,
			    archive_error_string(out));
			goto out;
		}
		if (type == AE_IFREG && link == NULL) {
			for (;;) {
				r = archive_read_data_block(in, &buf, &size,
				    &offset);
				if (r == ARCHIVE_EOF)
					break;
				if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
					set_cause(cause, "%s: entry '%s': %s",
					    path, rel.buf,
					    archive_error_string(in));
					goto out;
				}
				bytes += size;
				if (lim != NULL && lim->max_bytes != 0 &&
				    bytes > lim->max_bytes) {
					set_cause(cause, "%s: more than %llu "
					    "bytes of data", path,
					    (unsigned long long)lim->max_bytes);
					goto out;
				}
				if (archive_write_data_block(out, buf, size,
				    offset) != ARCHIVE_OK) {
					set_cause(cause, "%s: entry '%s': %s",
					    path, rel.buf,
					    archive_error_string(out));
					goto out;
				}
			}
		}
		if (archive_write_finish_entry(out) != ARCHIVE_OK) {
			set_cause(cause, "%s: entry '%s': %s", path, rel.buf,
			    archive_error_string(out));
			goto out;
		}
	}
	/* Directory times are set here, after their contents. */
	if (archive_write_close(out) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", dest, archive_error_string(out));
		goto out;
	}
	strvec_sort(&names);
	for (i = 0; i < names.n; i++)
		strvec_push(top, names.v[i]);
	rc = 0;
out:
	archive_read_free(in);
	archive_write_free(out);
	pathset_free(&seen);
	pathset_free(&tops);
	strbuf_release(&rel);
	strbuf_release(&target);
	strbuf_release(&full);
	strbuf_release(&e1);
	strvec_clear(&names);
	free(root);
	return rc;
}

/* Creation. */

struct creator {
	struct archive		*a;
	const char		*archive_path;
	char			 buf[65536];
};

static int
add_tree(struct creator *c, const char *disk, const char *rel, char **cause);

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_dir_children(struct creator *c, const char *disk, const char *rel,
    char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct strvec	 kids = STRVEC_INIT;
	size_t		 i;
	int		 rc = 0;

	if ((d = opendir(disk)) == NULL) {
		if (errno == ENOENT && strchr(rel, '/') != NULL)
			return 0;
		return set_cause(cause, "%s: %s", disk, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strvec_push(&kids, de->d_name);
	}
	closedir(d);
	/* Sorted, so the same runs make the same archive listing. */
	if (kids.n > 1)
		qsort(kids.v, kids.n, sizeof *kids.v, name_cmp);
	for (i = 0; i < kids.n && rc == 0; i++) {
		char	*kd = path_join(disk, kids.v[i]);
		char	*kr = xasprintf("%s/%s", rel, kids.v[i]);

		rc = add_tree(c, kd, kr, cause);
		free(kd);
		free(kr);
	}
	strvec_clear(&kids);
	return rc;
}

static int
add_file_data(struct creator *c, int fd, const char *disk, off_t size,
    char **cause)
{
	ssize_t	n;
	off_t	left = size;

	/* A file still growing (a running run) is cut at its listed size. */
	while (left > 0) {
		n = read(fd, c->buf, left < (off_t)sizeof c->buf ?
		    (size_t)left : sizeof c->buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return set_cause(cause, "%s: %s", disk, strerror(errno));
		if (n == 0)
			break;
		if (archive_write_data(c->a, c->buf, (size_t)n) < 0)
			return set_cause(cause, "%s: %s", c->archive_path,
			    archive_error_string(c->a));
		left -= n;
	}
	return 0;
}

static int
add_tree(struct creator *c, const char *disk, const char *rel, char **cause)
{
	struct archive_entry	*e;
	struct stat		 st;
	struct strbuf		 e1 = STRBUF_INIT, e2 = STRBUF_INIT;
	char			*to = NULL;
	ssize_t			 n;
	size_t			 cap = 256;
	int			 fd = -1, rc = 0;

	/*
	 * A running run's files come and go (attributes are replaced
	 * through temporary files): one gone since its directory was read
	 * is left out. Only the run directory itself must be there.
	 */
	if (lstat(disk, &st) == -1) {
		if (errno == ENOENT && strchr(rel, '/') != NULL)
			return 0;
		return set_cause(cause, "%s: %s", disk, strerror(errno));
	}
	if (strlen(rel) > RUNARCHIVE_MAX_PATH)
		return set_cause(cause, "%s: path too long", disk);
	if (S_ISREG(st.st_mode)) {
		if ((fd = open(disk, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK)) == -1) {
			if (errno == ENOENT)
				return 0;
			return set_cause(cause, "%s: %s", disk, strerror(errno));
		}
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			return set_cause(cause, "%s: changed while being read",
			    disk);
		}
	} else if (S_ISLNK(st.st_mode)) {
		for (;;) {
			to = xrealloc(to, cap);
			if ((n = readlink(disk, to, cap)) == -1) {
				free(to);
				if (errno == ENOENT)
					return 0;
				return set_cause(cause, "%s: %s", disk,
				    strerror(errno));
			}
			if ((size_t)n < cap)
				break;
			cap *= 2;
		}
		to[n] = '\0';
		if (!runarchive_link_ok(rel, to)) {
			warnx_core("leaving out %s: it links to '%s', outside "
			    "the run", esc(&e1, rel), esc(&e2, to));
			strbuf_release(&e1);
			strbuf_release(&e2);
			free(to);
			return 0;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		warnx_core("leaving out %s: not a file, directory or link",
		    esc(&e1, rel));
		strbuf_release(&e1);
		return 0;
	}
	e = archive_entry_new();
	archive_entry_copy_stat(e, &st);
	archive_entry_copy_pathname(e, rel);
	archive_entry_set_perm(e, st.st_mode & 0777);
	if (to != NULL)
		archive_entry_copy_symlink(e, to);
	if (!S_ISREG(st.st_mode))
		archive_entry_set_size(e, 0);
	if (archive_write_header(c->a, e) != ARCHIVE_OK) {
		rc = set_cause(cause, "%s: %s: %s", c->archive_path, rel,
		    archive_error_string(c->a));
	} else if (fd != -1)
		rc = add_file_data(c, fd, disk, st.st_size, cause);
	else if (S_ISDIR(st.st_mode))
		rc = add_dir_children(c, disk, rel, cause);
	archive_entry_free(e);
	if (fd != -1)
		close(fd);
	free(to);
	return rc;
}

int
runarchive_create(const char *path, enum runarchive_format format,
    const char *base, const struct strvec *names, char **cause)
{
	struct creator	*c;
	struct stat	 st;
	char		*tmp;
	size_t		 i;
	int		 fd, rc = -1;

	if (lstat(path, &st) == 0)
		return set_cause(cause, "%s exists", path);
	if (format == RUNARCHIVE_NONE)
		return set_cause(cause, "%s: not an archive name (.tar, "
		    ".tar.gz, .tgz or .zip)", path);
	tmp = xasprintf("%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->archive_path = path;
	c->a = archive_write_new();
	switch (format) {
	case RUNARCHIVE_ZIP:
		archive_write_set_format_zip(c->a);
		break;
	case RUNARCHIVE_TGZ:
		archive_write_add_filter_gzip(c->a);
		/* FALLTHROUGH */
	default:
		archive_write_set_format_pax_restricted(c->a);
		break;
	}
	if (archive_write_open_fd(c->a, fd) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", path, archive_error_string(c->a));
		goto out;
	}
	for (i = 0; i < names->n; i++) {
		char	*disk = path_join(base, names->v[i]);
		int	 r = add_tree(c, disk, names->v[i], cause);

		free(disk);
		if (r == -1)
			goto out;
	}
	if (archive_write_close(c->a) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", path, archive_error_string(c->a));
		goto out;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		set_cause(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	/* mkstemp makes it 0600; an archive is an ordinary file. */
	chmod(tmp, 0666 & ~process_umask());
	if (rename(tmp, path) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(c->a);
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	free(c);
	return rc;
}
