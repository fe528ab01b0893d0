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

/*
 * libarchive is linked from its static archive, and only the formats and
 * filters named here are registered (never archive_*_support_*_all): the
 * linker then keeps only their code (configure links with --gc-sections),
 * so guild carries no xar support, nor libxml2, ICU and libstdc++, which
 * it would bring. A format added here goes into configure.ac's
 * GUILD_ARCHIVE_CALLS too, which finds the libraries it needs.
 */

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
	/* "." itself (tar -C dir . writes "./"): the caller decides. */
	return count;
}

int
runarchive_link_check(const char *path, const char *target,
    const char **top, size_t *top_len)
{
	const char	*p;
	size_t		 n;
	int		 depth = 0;
	bool		 named = false, at_root = false;

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
			if (named || --depth < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && *p == '.')) {
			/* From the top, only into another top-level directory. */
			if (depth == 0 && !named) {
				at_root = true;
				if (top != NULL)
					*top = p;
				if (top_len != NULL)
					*top_len = n;
			}
			named = true;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (depth == 0 && !at_root)
		return 0;
	return at_root ? 2 : 1;
}

int
runarchive_link_ok(const char *path, const char *target)
{
	return runarchive_link_check(path, target, NULL, NULL) == 1;
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

/* One extraction: the archive read, the disk written, what was seen. */
struct extractor {
	const char			*path;	/* the archive */
	const struct runarchive_limits	*lim;
	char				*root;	/* dest, resolved */
	struct archive			*in, *out;
	struct pathset			 seen;	/* every entry path */
	struct pathset			 tops;	/* top-level names */
	struct strvec			 names;	/* the same, in order */
	struct strvec			 cross;	/* links to other tops: */
						/* path, target, top */
	struct strbuf			 rel, target, full, e1;
	uint64_t			 entries, bytes;
};

/*
 * Check an entry (its path in x->rel, normalised, with ncomp components)
 * and point it at its place under the root. Returns its type, 0 for an
 * entry to skip, or -1 with cause.
 */
static int
check_entry(struct extractor *x, struct archive_entry *entry, int ncomp,
    char **cause)
{
	const char	*path = x->path, *rel = x->rel.buf, *why, *link, *to;
	unsigned	 type, perm;

	type = archive_entry_filetype(entry);
	link = archive_entry_hardlink(entry);
	if (link != NULL)
		type = AE_IFREG;
	if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
		return set_cause(cause, "%s: entry '%s' is a %s", path, rel,
		    type_name(type));
	if (ncomp == 1 && type != AE_IFDIR) {
		if (strcmp(rel, NOCOPY_MARKER) == 0 && type == AE_IFREG &&
		    link == NULL)
			return 0;
		return set_cause(cause, "%s: top-level entry '%s' is not a "
		    "directory", path, rel);
	}
	if (pathset_add(&x->seen, rel, type) != 0)
		return set_cause(cause, "%s: entry '%s' appears more than once",
		    path, rel);
	strbuf_reset(&x->target);
	strbuf_add(&x->target, rel, top_len(rel));
	if (pathset_add(&x->tops, x->target.buf, AE_IFDIR) == 0)
		strvec_push(&x->names, x->target.buf);

	if (type == AE_IFLNK) {
		const char	*top;
		size_t		 top_n;
		int		 r = 0;

		to = archive_entry_symlink(entry);
		if (to == NULL || (r = runarchive_link_check(rel, to, &top,
		    &top_n)) == 0)
			return set_cause(cause, "%s: symbolic link '%s' -> "
			    "'%s' points outside its run", path, rel,
			    esc(&x->e1, to));
		/* Into another run: one the archive must hold (checked last). */
		if (r == 2) {
			strvec_push(&x->cross, rel);
			strvec_push(&x->cross, to);
			strbuf_reset(&x->target);
			strbuf_add(&x->target, top, top_n);
			strvec_push(&x->cross, x->target.buf);
		}
	}
	if (link != NULL) {
		if (norm_path(link, &x->target, &why) == -1 ||
		    top_len(x->target.buf) != top_len(rel) ||
		    strncmp(x->target.buf, rel, top_len(rel)) != 0 ||
		    pathset_get(&x->seen, x->target.buf) != AE_IFREG)
			return set_cause(cause, "%s: hard link '%s' -> '%s' "
			    "points outside its run", path, rel,
			    esc(&x->e1, link));
		strbuf_reset(&x->full);
		strbuf_addf(&x->full, "%s/%s", x->root, x->target.buf);
		archive_entry_copy_hardlink(entry, x->full.buf);
	}

	strbuf_reset(&x->full);
	strbuf_addf(&x->full, "%s/%s", x->root, rel);
	archive_entry_copy_pathname(entry, x->full.buf);
	perm = archive_entry_perm(entry) & 0777;
	/* We must be able to write into, and later remove, what we made. */
	perm |= type == AE_IFDIR ? 0700 : 0600;
	archive_entry_set_perm(entry, perm);
	archive_entry_set_uid(entry, getuid());
	archive_entry_set_gid(entry, getgid());
	return (int)type;
}

/* Copy the current entry's data to disk, within the byte limit. */
static int
copy_data(struct extractor *x, char **cause)
{
	const void	*buf;
	size_t		 size;
	la_int64_t	 offset;
	int		 r;

	for (;;) {
		r = archive_read_data_block(x->in, &buf, &size, &offset);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return set_cause(cause, "%s: entry '%s': %s", x->path,
			    x->rel.buf, archive_error_string(x->in));
		x->bytes += size;
		if (x->lim != NULL && x->lim->max_bytes != 0 &&
		    x->bytes > x->lim->max_bytes)
			return set_cause(cause, "%s: more than %llu bytes of "
			    "data", x->path,
			    (unsigned long long)x->lim->max_bytes);
		if (archive_write_data_block(x->out, buf, size, offset) !=
		    ARCHIVE_OK)
			return set_cause(cause, "%s: entry '%s': %s", x->path,
			    x->rel.buf, archive_error_string(x->out));
	}
}

/* Read and write the next entry: 1 done, 0 at the end, -1 with cause. */
static int
extract_next(struct extractor *x, uint64_t max_entries, char **cause)
{
	struct archive_entry	*entry;
	const char		*name, *why;
	int			 ncomp, type, r;

	r = archive_read_next_header(x->in, &entry);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return set_cause(cause, "%s: %s", x->path,
		    archive_error_string(x->in));
	if (++x->entries > max_entries)
		return set_cause(cause, "%s: more than %llu entries", x->path,
		    (unsigned long long)max_entries);
	if ((name = archive_entry_pathname(entry)) == NULL)
		return set_cause(cause, "%s: entry %llu has no usable name",
		    x->path, (unsigned long long)x->entries);
	if ((ncomp = norm_path(name, &x->rel, &why)) == -1)
		return set_cause(cause, "%s: entry '%s': %s", x->path,
		    esc(&x->e1, name), why);
	/* The archive's own root, as "tar -C dir ." writes it. */
	if (ncomp == 0 && archive_entry_filetype(entry) == AE_IFDIR &&
	    archive_entry_hardlink(entry) == NULL) {
		archive_read_data_skip(x->in);
		return 1;
	}
	if (ncomp == 0)
		return set_cause(cause, "%s: entry '%s': empty path", x->path,
		    esc(&x->e1, name));
	if ((type = check_entry(x, entry, ncomp, cause)) == -1)
		return -1;
	if (type == 0) {
		archive_read_data_skip(x->in);
		return 1;
	}
	if (archive_write_header(x->out, entry) != ARCHIVE_OK)
		return set_cause(cause, "%s: entry '%s': %s", x->path,
		    x->rel.buf, archive_error_string(x->out));
	if (type == AE_IFREG && archive_entry_hardlink(entry) == NULL &&
	    copy_data(x, cause) == -1)
		return -1;
	if (archive_write_finish_entry(x->out) != ARCHIVE_OK)
		return set_cause(cause, "%s: entry '%s': %s", x->path,
		    x->rel.buf, archive_error_string(x->out));
	return 1;
}

int
runarchive_extract(const char *path, const char *dest,
    const struct runarchive_limits *lim, struct strvec *top, char **cause)
{
	struct extractor	 x = {
		.path = path, .lim = lim, .names = STRVEC_INIT,
		.cross = STRVEC_INIT,
		.rel = STRBUF_INIT, .target = STRBUF_INIT,
		.full = STRBUF_INIT, .e1 = STRBUF_INIT,
	};
	uint64_t		 max_entries;
	size_t			 i;
	int			 r, rc = -1;

	max_entries = lim != NULL && lim->max_entries != 0 ?
	    lim->max_entries : RUNARCHIVE_MAX_ENTRIES;
	if ((x.root = realpath(dest, NULL)) == NULL)
		return set_cause(cause, "%s: %s", dest, strerror(errno));

	x.in = archive_read_new();
	archive_read_support_format_tar(x.in);
	archive_read_support_format_zip(x.in);
	archive_read_support_filter_gzip(x.in);
	archive_read_support_filter_bzip2(x.in);
	archive_read_support_filter_xz(x.in);
	x.out = archive_write_disk_new();
	/*
	 * Our own checks come first; libarchive's refuse writing through a
	 * symbolic link or with "..", in case one of ours has a hole.
	 * Neither owners nor permission extras (set-id, sticky) are kept.
	 */
	archive_write_disk_set_options(x.out, ARCHIVE_EXTRACT_TIME |
	    ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_NO_OVERWRITE);

	if (archive_read_open_filename(x.in, path, 65536) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", path,
		    archive_error_string(x.in));
		goto out;
	}
	while ((r = extract_next(&x, max_entries, cause)) == 1)
		;
	if (r == -1)
		goto out;
	for (i = 0; i + 2 < x.cross.n; i += 3)
		if (pathset_get(&x.tops, x.cross.v[i + 2]) == 0) {
			set_cause(cause, "%s: symbolic link '%s' -> '%s' points "
			    "outside its run", path, x.cross.v[i],
			    esc(&x.e1, x.cross.v[i + 1]));
			goto out;
		}
	/* Directory times are set here, after their contents. */
	if (archive_write_close(x.out) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", dest,
		    archive_error_string(x.out));
		goto out;
	}
	strvec_sort(&x.names);
	for (i = 0; i < x.names.n; i++)
		strvec_push(top, x.names.v[i]);
	rc = 0;
out:
	archive_read_free(x.in);
	archive_write_free(x.out);
	pathset_free(&x.seen);
	pathset_free(&x.tops);
	strbuf_release(&x.rel);
	strbuf_release(&x.target);
	strbuf_release(&x.full);
	strbuf_release(&x.e1);
	strvec_clear(&x.names);
	strvec_clear(&x.cross);
	free(x.root);
	return rc;
}

/* Creation. */

struct creator {
	struct archive			*a;
	const char			*archive_path;
	const struct strvec		*names;
	const struct runarchive_links	*links;
	char				 buf[65536];
};

/* The directories above an entry, to notice followed links that loop. */
struct dirchain {
	dev_t			 dev;
	ino_t			 ino;
	const struct dirchain	*up;
};

static int	add_tree(struct creator *, const char *, const char *, int,
		    const struct dirchain *, char **);

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_dir_children(struct creator *c, const char *disk, const char *rel,
    int follow, const struct dirchain *chain, char **cause)
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

		rc = add_tree(c, kd, kr, follow, chain, cause);
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

/* Whether a link kept in the archive passes extraction's rules. */
static bool
link_travels(const struct creator *c, const char *rel, const char *to)
{
	const char	*top;
	size_t		 n, i;

	switch (runarchive_link_check(rel, to, &top, &n)) {
	case 1:
		return true;
	case 2:
		for (i = 0; i < c->names->n; i++)
			if (strlen(c->names->v[i]) == n &&
			    strncmp(c->names->v[i], top, n) == 0)
				return true;
		return false;
	default:
		return false;
	}
}

/*
 * A link: decide what goes into the archive. Returns 1 to store the link
 * (its target in *to), 2 to store what it points to (st filled), 0 to
 * leave it out, -1 with cause.
 */
static int
add_link(struct creator *c, const char *disk, const char *rel, int follow,
    char **to, struct stat *st, char **cause)
{
	enum runarchive_link_action	 act = RUNARCHIVE_LINK_KEEP;
	struct strbuf			 e1 = STRBUF_INIT, e2 = STRBUF_INIT;
	char				*other = NULL;
	int				 rc = 1;

	if ((*to = path_readlink(disk)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return set_cause(cause, "%s: %s", disk, strerror(errno));
	}
	if (follow > 0)
		act = RUNARCHIVE_LINK_FOLLOW;
	else if (c->links != NULL)
		act = c->links->fn(c->links->arg, disk, rel, *to, &other);
	switch (act) {
	case RUNARCHIVE_LINK_OMIT:
		rc = 0;
		break;
	case RUNARCHIVE_LINK_FOLLOW:
		if (follow >= RUNARCHIVE_MAX_FOLLOW) {
			warnx_core("leaving out %s: links lead to links too "
			    "deep", esc(&e1, rel));
			rc = 0;
		} else if (stat(disk, st) == -1) {
			warnx_core("leaving out %s: it links to '%s', which "
			    "does not exist", esc(&e1, rel), esc(&e2, *to));
			rc = 0;
		} else
			rc = 2;
		break;
	case RUNARCHIVE_LINK_REWRITE:
		free(*to);
		*to = other;
		other = NULL;
		/* FALLTHROUGH */
	case RUNARCHIVE_LINK_KEEP:
		if (!link_travels(c, rel, *to)) {
			warnx_core("leaving out %s: it links to '%s', outside "
			    "the run", esc(&e1, rel), esc(&e2, *to));
			rc = 0;
		}
		break;
	}
	free(other);
	strbuf_release(&e1);
	strbuf_release(&e2);
	if (rc != 1) {
		free(*to);
		*to = NULL;
	}
	return rc;
}

static int
add_tree(struct creator *c, const char *disk, const char *rel, int follow,
    const struct dirchain *chain, char **cause)
{
	struct archive_entry	*e;
	struct stat		 st;
	struct strbuf		 e1 = STRBUF_INIT;
	struct dirchain		 here;
	const struct dirchain	*up;
	char			*to = NULL;
	int			 fd = -1, rc = 0, r;

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
	if (S_ISLNK(st.st_mode)) {
		if ((r = add_link(c, disk, rel, follow, &to, &st, cause)) <= 0)
			return r;
		if (r == 2)
			follow++;
	}
	if (S_ISDIR(st.st_mode) && follow > 0) {
		for (up = chain; up != NULL; up = up->up)
			if (up->dev == st.st_dev && up->ino == st.st_ino) {
				warnx_core("leaving out %s: its links loop",
				    esc(&e1, rel));
				strbuf_release(&e1);
				return 0;
			}
	}
	if (S_ISREG(st.st_mode)) {
		if ((fd = open(disk, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
		    (follow > 0 ? 0 : O_NOFOLLOW))) == -1) {
			if (errno == ENOENT)
				return 0;
			return set_cause(cause, "%s: %s", disk, strerror(errno));
		}
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			return set_cause(cause, "%s: changed while being read",
			    disk);
		}
	} else if (!S_ISDIR(st.st_mode) && to == NULL) {
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
	else if (S_ISDIR(st.st_mode)) {
		here.dev = st.st_dev;
		here.ino = st.st_ino;
		here.up = chain;
		rc = add_dir_children(c, disk, rel, follow, &here, cause);
	}
	archive_entry_free(e);
	if (fd != -1)
		close(fd);
	free(to);
	return rc;
}

int
runarchive_create(const char *path, enum runarchive_format format,
    const char *base, const struct strvec *names,
    const struct runarchive_links *links, char **cause)
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
	c->names = names;
	c->links = links;
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
		int	 r = add_tree(c, disk, names->v[i], 0, NULL, cause);

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

/* ---------------------------------------------------------------- */
/* Zip files made entry by entry (Python wheels). */

struct runarchive_zip {
	struct archive	*a;
	char		*path;
	char		*tmp;
	int		 fd;
};

struct runarchive_zip *
runarchive_zip_new(const char *path, char **cause)
{
	struct runarchive_zip	*z;

	z = xcalloc(1, sizeof *z);
	z->path = xstrdup(path);
	z->tmp = xasprintf("%s.tmp-XXXXXX", path);
	if ((z->fd = mkstemp(z->tmp)) == -1) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		free(z->tmp);
		free(z->path);
		free(z);
		return NULL;
	}
	z->a = archive_write_new();
	archive_write_set_format_zip(z->a);
	if (archive_write_open_fd(z->a, z->fd) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", path, archive_error_string(z->a));
		runarchive_zip_abort(z);
		return NULL;
	}
	return z;
}

int
runarchive_zip_add(struct runarchive_zip *z, const char *name,
    const void *buf, size_t len, unsigned mode, time_t mtime, char **cause)
{
	struct archive_entry	*e = archive_entry_new();
	int			 rc = 0;

	archive_entry_copy_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, mode & 0777);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(z->a, e) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(z->a, buf, len) < 0))
		rc = set_cause(cause, "%s: %s: %s", z->path, name,
		    archive_error_string(z->a));
	archive_entry_free(e);
	return rc;
}

void
runarchive_zip_abort(struct runarchive_zip *z)
{
	if (z == NULL)
		return;
	archive_write_free(z->a);
	if (z->fd != -1)
		close(z->fd);
	unlink(z->tmp);
	free(z->tmp);
	free(z->path);
	free(z);
}

int
runarchive_zip_commit(struct runarchive_zip *z, char **cause)
{
	int	fd, rc = -1;

	if (archive_write_close(z->a) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", z->path,
		    archive_error_string(z->a));
		goto out;
	}
	/* A failed fsync leaves z->fd for runarchive_zip_abort to close. */
	if (fsync(z->fd) == -1) {
		set_cause(cause, "%s: %s", z->path, strerror(errno));
		goto out;
	}
	fd = z->fd;
	z->fd = -1;
	if (close(fd) == -1) {
		set_cause(cause, "%s: %s", z->path, strerror(errno));
		goto out;
	}
	chmod(z->tmp, 0666 & ~process_umask());
	if (rename(z->tmp, z->path) == -1) {
		set_cause(cause, "%s: %s", z->path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	runarchive_zip_abort(z);
	return rc;
}
