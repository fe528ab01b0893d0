/*
 * runfiles.c: the files of a run for publish and api (runfiles.h).
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run.h"
#include "runfiles.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

struct walk {
	enum run_files_walk	 kind;
	const struct strvec	*skip;
	struct run_files	*out;
	struct strvec		 seen;	/* real paths of directories entered */
};

static void
add_file(struct walk *w, const char *rel, const char *path, bool link)
{
	struct run_file	*f;
	struct stat	 st;

	if (w->skip != NULL && strvec_find(w->skip, rel) != -1)
		return;
	XGROW(w->out->v, w->out->alloc, w->out->n + 1);
	f = &w->out->v[w->out->n++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(rel);
	f->link = link;
	f->size = -1;
	if (stat(path, &st) == 0) {
		f->exists = true;
		f->regular = S_ISREG(st.st_mode);
		f->dir = S_ISDIR(st.st_mode);
		f->size = (int64_t)st.st_size;
		f->mtime_us = (int64_t)st.st_mtim.tv_sec * 1000000 +
		    st.st_mtim.tv_nsec / 1000;
	}
}

/* Enter a directory once per real path, so a link loop ends. */
static bool
first_visit(struct walk *w, const char *path)
{
	char	*real;

	if ((real = realpath(path, NULL)) == NULL)
		return false;
	if (strvec_find(&w->seen, real) != -1) {
		free(real);
		return false;
	}
	strvec_push_nodup(&w->seen, real);
	return true;
}

static void
walk_dir(struct walk *w, const char *dir, const char *rel)
{
	struct strvec	 names = STRVEC_INIT;
	struct stat	 lst, st;
	size_t		 i;

	if (dir_names_sorted(dir, &names) == -1)
		return;
	for (i = 0; i < names.n; i++) {
		const char	*name = names.v[i];
		char		*path = path_join(dir, name);
		char		*r = *rel != '\0' ? xasprintf("%s/%s", rel, name) :
				    xstrdup(name);
		bool		 is_link, is_dir;

		if (lstat(path, &lst) == -1)
			goto next;
		is_link = S_ISLNK(lst.st_mode);
		is_dir = is_link ? stat(path, &st) == 0 && S_ISDIR(st.st_mode) :
		    S_ISDIR(lst.st_mode);
		if (w->kind == RUN_FILES_API) {
			if (is_link || S_ISREG(lst.st_mode))
				add_file(w, r, path, is_link);
			else if (is_dir && !(*rel == '\0' &&
			    strcmp(name, ".guild") == 0))
				walk_dir(w, path, r);
		} else if (is_dir) {
			if (strcmp(name, ".guild") != 0 && first_visit(w, path))
				walk_dir(w, path, r);
		} else
			add_file(w, r, path, is_link);
next:
		free(path);
		free(r);
	}
	strvec_clear(&names);
}

static int
file_cmp(const void *a, const void *b)
{
	return natcmp(((const struct run_file *)a)->path,
	    ((const struct run_file *)b)->path);
}

int
run_files_list(const char *run_dir, enum run_files_walk kind,
    const struct strvec *skip, struct run_files *out, char **cause)
{
	struct walk	w;
	DIR		*d;

	if ((d = opendir(run_dir)) == NULL)
		return set_cause(cause, "%s: %s", run_dir, strerror(errno));
	closedir(d);
	memset(&w, 0, sizeof w);
	w.kind = kind;
	w.skip = skip;
	w.out = out;
	first_visit(&w, run_dir);
	walk_dir(&w, run_dir, "");
	strvec_clear(&w.seen);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, file_cmp);
	return 0;
}

void
run_files_release(struct run_files *fs)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		free(fs->v[i].path);
	free(fs->v);
	memset(fs, 0, sizeof *fs);
}

/* The op attr's sourcecode dest, or NULL. */
static char *
op_sourcecode_dest(const char *run_dir)
{
	struct run	*run;
	struct value	*op = NULL, *sc, *dest;
	char		*s = NULL;

	if ((run = run_open(run_dir, NULL)) == NULL)
		return NULL;
	if (run_attr_read(run, "op", &op, NULL) == 0 && op != NULL &&
	    (sc = value_map_get(op, "sourcecode")) != NULL &&
	    (dest = value_map_get(sc, "dest")) != NULL &&
	    dest->type == VALUE_STRING && *dest->u.s != '\0')
		s = xstrdup(dest->u.s);
	value_free(op);
	run_free(run);
	return s;
}

void
run_sourcecode(const char *run_dir, char **root, struct strvec *files)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *dest;
	const char	*p;

	if ((dest = op_sourcecode_dest(run_dir)) == NULL) {
		path = path_join(run_dir, ".guild/sourcecode");
		dest = xstrdup(path_is_dir(path) ? ".guild/sourcecode" : ".");
		free(path);
	}
	/* "dest: ./src" and "dest: src/" name the same directory. */
	while (str_starts_with(dest, "./") && dest[2] != '\0')
		memmove(dest, dest + 2, strlen(dest + 2) + 1);
	while (strlen(dest) > 1 && dest[strlen(dest) - 1] == '/')
		dest[strlen(dest) - 1] = '\0';
	*root = dest;

	path = path_join(run_dir, ".guild/manifest");
	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &sb, NULL, NULL) == 0) {
		for (p = sb.buf; *p != '\0'; ) {
			size_t		 n = strcspn(p, "\n");
			char		*line = xstrndup(p, n);
			struct strvec	 f = STRVEC_INIT;

			if (shlex_split(line, &f, NULL) == 0 && f.n >= 2 &&
			    strcmp(f.v[0], "s") == 0 &&
			    strvec_find(files, f.v[1]) == -1)
				strvec_push(files, f.v[1]);
			strvec_clear(&f);
			free(line);
			p += n + (p[n] == '\n');
		}
	}
	strvec_sort(files);
	strbuf_release(&sb);
	free(path);
}

void
run_command_text(struct strbuf *sb, const struct value *cmd)
{
	struct strbuf	arg = STRBUF_INIT;
	size_t		i;

	if (cmd == NULL || cmd->type != VALUE_LIST)
		return;
	for (i = 0; i < cmd->u.list.n; i++) {
		strbuf_reset(&arg);
		value_format_py(&arg, cmd->u.list.v[i], false);
		if (i > 0)
			strbuf_addch(sb, ' ');
		if (arg.len == 0 || strchr(arg.buf, ' ') != NULL)
			strbuf_addf(sb, "\"%s\"", arg.buf);
		else
			strbuf_addstr(sb, arg.buf);
	}
	strbuf_release(&arg);
}
