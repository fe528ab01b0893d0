/*
 * clone-runs.c: make N genuine run directories from runs "guild run"
 * made, for bench/runs.sh.
 *
 *	clone-runs RUNS_DIR N NOW_US TEMPLATE_RUN_DIR...
 *
 * Every clone is a whole run directory in Guild's format: its .guild has
 * the template's files, with a new id, its own timestamps (NOW_US for the
 * newest, then a minute apart, with some jitter), flags, label, exit
 * status and scalar values. Files that are the same in every run (the
 * source snapshot, output, cmd, env, ...) are hard links to the
 * template's, which a reader cannot tell from copies and which keeps 100,000
 * runs within a few gigabytes. Every tenth run is from the second template
 * (another operation) when there is one.
 *
 * With CLONE_EVENTS set in the environment, every clone also gets a
 * TensorBoard event file in logs/train/ and one at its root (links to the
 * template's own event file in .guild), as a run of Keras or PyTorch has.
 *
 * Standalone on purpose: it only needs a C compiler.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "clone-runs: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* Attrs written per clone; everything else is linked. */
static const char *const own[] = {
	"attrs/id", "attrs/initialized", "attrs/started", "attrs/stopped",
	"attrs/label", "attrs/flags", "attrs/user_flags", "attrs/exit_status",
	"scalars.tsv", "LOCK", "LOCK.start", "PENDING", "STAGED",
};

struct file {
	char	*rel;		/* relative to .guild */
	int	 is_dir;
	char	*src;		/* what clones link to (a copy once the
				   template has as many links as allowed) */
};

struct tmpl {
	char		*guild;		/* TEMPLATE/.guild */
	struct file	*files;
	size_t		 n, alloc;
	char		*scalars;	/* the template's scalars.tsv */
};

static int
is_own(const char *rel)
{
	size_t	i;

	for (i = 0; i < sizeof own / sizeof own[0]; i++) {
		if (strcmp(rel, own[i]) == 0)
			return 1;
	}
	return 0;
}

static void
add(struct tmpl *t, const char *rel, int is_dir)
{
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64;
		t->files = realloc(t->files, t->alloc * sizeof *t->files);
		if (t->files == NULL)
			die("out of memory");
	}
	t->files[t->n].rel = strdup(rel);
	t->files[t->n].is_dir = is_dir;
	t->files[t->n].src = NULL;
	t->n++;
}

static void
walk(struct tmpl *t, const char *rel)
{
	char		 path[8192], sub[4096];
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;

	snprintf(path, sizeof path, "%s%s%s", t->guild, *rel ? "/" : "", rel);
	if ((d = opendir(path)) == NULL)
		die("%s: %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		snprintf(path, sizeof path, "%s/%s", t->guild, sub);
		if (lstat(path, &st) == -1)
			die("%s: %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			add(t, sub, 1);
			walk(t, sub);
		} else if (!is_own(sub))
			add(t, sub, 0);
	}
	closedir(d);
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: cannot read", path);
	fclose(f);
	return buf;
}

static void
put(int dfd, const char *rel, const char *fmt, ...)
{
	char	buf[8192];
	va_list	ap;
	int	fd, n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if ((fd = openat(dfd, rel, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC,
	    0644)) == -1)
		die("%s: %s", rel, strerror(errno));
	if (write(fd, buf, (size_t)n) != n)
		die("%s: short write", rel);
	close(fd);
}

/* Copy src to dfd/rel (when src has too many links already). */
static void
copy(const char *src, int dfd, const char *rel)
{
	char	buf[65536];
	ssize_t	n;
	int	in, out;

	if ((in = open(src, O_RDONLY|O_CLOEXEC)) == -1)
		die("%s: %s", src, strerror(errno));
	if ((out = openat(dfd, rel, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC,
	    0644)) == -1)
		die("%s: %s", rel, strerror(errno));
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			die("%s: short write", rel);
	}
	close(in);
	close(out);
}

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The template's scalars with every value scaled (columns: step key value time). */
static void
put_scalars(int dfd, const char *text, double scale)
{
	char	 out[65536];
	size_t	 o = 0;
	const char *p = text, *nl;

	while (*p != '\0' && o < sizeof out - 256) {
		char	line[1024], *f[4], *save = NULL, *tok;
		size_t	len, k = 0;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + len;
		if (line[0] == '#' || line[0] == '\0') {
			o += (size_t)snprintf(out + o, sizeof out - o, "%s\n",
			    line);
			continue;
		}
		for (tok = strtok_r(line, "\t", &save); tok && k < 4;
		    tok = strtok_r(NULL, "\t", &save))
			f[k++] = tok;
		if (k < 4)
			continue;
		o += (size_t)snprintf(out + o, sizeof out - o,
		    "%s\t%s\t%.6g\t%s\n", f[0], f[1], strtod(f[2], NULL) * scale,
		    f[3]);
	}
	put(dfd, "scalars.tsv", "%.*s", (int)o, out);
}

/* The template's own event file in .guild, linked into the clone twice. */
static void
add_events(struct tmpl *t, int rfd, const char *id)
{
	static const char *const dest[] = {
		"logs/train/events.out.tfevents.1700000000.bench.1.0",
		"events.out.tfevents.1700000000.bench.1.1",
	};
	char	path[4096];
	size_t	k, i;
	int	dfd;

	for (k = 0; k < t->n; k++)
		if (strncmp(t->files[k].rel, "events.out.tfevents.", 20) == 0)
			break;
	if (k == t->n)
		die("no event file in %s", t->guild);
	snprintf(path, sizeof path, "%s/logs", id);
	mkdirat(rfd, path, 0755);
	snprintf(path, sizeof path, "%s/logs/train", id);
	mkdirat(rfd, path, 0755);
	if ((dfd = openat(rfd, id, O_RDONLY|O_DIRECTORY)) == -1)
		die("%s: %s", id, strerror(errno));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", t->guild,
		    t->files[k].rel);
		if (linkat(AT_FDCWD, path, dfd, dest[i], 0) == -1)
			copy(path, dfd, dest[i]);
	}
	close(dfd);
}

int
main(int argc, char **argv)
{
	struct tmpl	*tm;
	long long	 n, i, now;
	size_t		 k, ntm;
	char		 id[33], path[4096];
	int		 rfd;

	if (argc < 5)
		die("usage: clone-runs RUNS_DIR N NOW_US TEMPLATE...");
	n = atoll(argv[2]);
	now = atoll(argv[3]);
	ntm = (size_t)(argc - 4);
	tm = calloc(ntm, sizeof *tm);
	for (k = 0; k < ntm; k++) {
		snprintf(path, sizeof path, "%s/.guild", argv[4 + k]);
		tm[k].guild = strdup(path);
		walk(&tm[k], "");
		snprintf(path, sizeof path, "%s/.guild/scalars.tsv",
		    argv[4 + k]);
		tm[k].scalars = slurp(path);
	}
	if ((rfd = open(argv[1], O_RDONLY|O_DIRECTORY)) == -1)
		die("%s: %s", argv[1], strerror(errno));
	rng ^= (uint64_t)now;
	for (i = 0; i < n; i++) {
		struct tmpl	*t = &tm[ntm > 1 && i % 10 == 3 ? 1 : 0];
		long long	 started = now - i * 60000000LL -
				    (long long)(next() % 30000000);
		int		 epochs = 1 + (int)(next() % 20), gfd;
		double		 lr = (double)(1 + next() % 1000) / 10000.0;
		uint64_t	 r = next();
		int		 exit_status = r % 100 < 95 ? 0 :
				    r % 100 < 99 ? 1 : -15;

		for (k = 0; k < 32; k++)
			id[k] = "0123456789abcdef"[next() & 15];
		id[12] = '4';
		id[16] = "89ab"[next() & 3];
		id[32] = '\0';
		if (mkdirat(rfd, id, 0755) == -1)
			die("%s: %s", id, strerror(errno));
		snprintf(path, sizeof path, "%s/.guild", id);
		if (mkdirat(rfd, path, 0755) == -1)
			die("%s: %s", path, strerror(errno));
		if ((gfd = openat(rfd, path, O_RDONLY|O_DIRECTORY)) == -1)
			die("%s: %s", path, strerror(errno));
		if (mkdirat(gfd, "attrs", 0755) == -1 && errno != EEXIST)
			die("attrs: %s", strerror(errno));
		for (k = 0; k < t->n; k++) {
			if (t->files[k].is_dir) {
				if (mkdirat(gfd, t->files[k].rel, 0755) == -1 &&
				    errno != EEXIST)
					die("%s: %s", t->files[k].rel,
					    strerror(errno));
				continue;
			}
			if (t->files[k].src == NULL) {
				snprintf(path, sizeof path, "%s/%s", t->guild,
				    t->files[k].rel);
				t->files[k].src = strdup(path);
			}
			if (linkat(AT_FDCWD, t->files[k].src, gfd,
			    t->files[k].rel, 0) == 0)
				continue;
			if (errno != EMLINK)
				die("link %s: %s", t->files[k].src,
				    strerror(errno));
			/* A new copy, which the next clones link to. */
			copy(t->files[k].src, gfd, t->files[k].rel);
			free(t->files[k].src);
			snprintf(path, sizeof path, "%s/%s/.guild/%s",
			    argv[1], id, t->files[k].rel);
			t->files[k].src = strdup(path);
		}
		put(gfd, "attrs/id", "%s\n", id);
		put(gfd, "attrs/initialized", "%lld\n", started - 50000);
		put(gfd, "attrs/started", "%lld\n", started);
		put(gfd, "attrs/stopped", "%lld\n", started + 2000000 +
		    (long long)(next() % 60000000));
		put(gfd, "attrs/exit_status", "%d\n", exit_status);
		put(gfd, "attrs/label", "epochs=%d lr=%g\n", epochs, lr);
		put(gfd, "attrs/flags", "epochs: %d\nlr: %g\n", epochs, lr);
		put(gfd, "attrs/user_flags", "epochs: %d\nlr: %g\n", epochs,
		    lr);
		put_scalars(gfd, t->scalars, (double)(1 + next() % 1000) /
		    500.0);
		close(gfd);
		if (getenv("CLONE_EVENTS") != NULL)
			add_events(t, rfd, id);
	}
	close(rfd);
	return 0;
}
