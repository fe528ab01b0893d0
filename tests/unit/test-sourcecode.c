/* test-sourcecode.c: digests and the source code snapshot. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "digest.h"
#include "guildfile.h"
#include "run.h"
#include "sourcecode.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"

static char		*tmp;
static struct strvec	 warnings = STRVEC_INIT;

static void
collect(const char *msg, void *arg)
{
	(void)arg;
	strvec_push(&warnings, msg);
}

static bool
warned(const char *needle)
{
	size_t	i;

	for (i = 0; i < warnings.n; i++)
		if (strstr(warnings.v[i], needle) != NULL)
			return true;
	return false;
}

static void
write_bytes(const char *dir, const char *rel, const void *data, size_t len,
    mode_t mode)
{
	char	*p = path_join(dir, rel), *slash;
	int	 fd;

	slash = strrchr(p, '/');
	*slash = '\0';
	mkdir_p(p, 0777, NULL);
	*slash = '/';
	fd = open(p, O_WRONLY|O_CREAT|O_TRUNC, 0644);
	if (fd == -1 || write(fd, data, len) != (ssize_t)len)
		diag("cannot write %s", p);
	if (fd != -1) {
		fchmod(fd, mode);
		close(fd);
	}
	free(p);
}

static void
wfile(const char *dir, const char *rel, const char *text)
{
	write_bytes(dir, rel, text, strlen(text), 0644);
}

static char *
slurp(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL;

	if (strbuf_read_file(&sb, path, &cause) == -1) {
		free(cause);
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static char *
join_files(const struct strvec *sv)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, sv->v[i]);
	}
	return strbuf_detach(&sb, NULL);
}

static void
test_digest(void)
{
	unsigned char	*big;
	char		*h, *p, *cause = NULL;
	struct digest	*d;
	size_t		 i;

	h = digest_buf(DIGEST_MD5, "", 0);
	is_str(h, "d41d8cd98f00b204e9800998ecf8427e", "md5 of nothing");
	free(h);
	h = digest_buf(DIGEST_SHA1, "abc", 3);
	is_str(h, "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1 abc");
	free(h);
	h = digest_buf(DIGEST_SHA256, "abc", 3);
	is_str(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "sha256 abc");
	free(h);
	d = digest_new(DIGEST_MD5);
	digest_update(d, "a", 1);
	digest_update(d, "bc", 2);
	h = digest_end(d);
	is_str(h, "900150983cd24fb0d6963f7d28e17f72", "md5 in pieces");
	free(h);
	is_int((long long)digest_hex_len(DIGEST_SHA256), 64, "sha256 hex length");

	/*
	 * python3: big = bytes(i % 251 for i in range(200000));
	 * hashlib.md5(big), sha1, sha256
	 */
	big = xmalloc(200000);
	for (i = 0; i < 200000; i++)
		big[i] = (unsigned char)(i % 251);
	write_bytes(tmp, "big.bin", big, 200000, 0644);
	free(big);
	p = path_join(tmp, "big.bin");
	h = digest_file(DIGEST_MD5, p, &cause);
	is_str(h, "415d6e662118c229c6ad3f950c24702a", "md5 of a file");
	free(h);
	h = digest_file(DIGEST_SHA1, p, &cause);
	is_str(h, "4fa3b414b52f18a8b007acc492540659f310282d", "sha1 of a file");
	free(h);
	h = digest_file(DIGEST_SHA256, p, &cause);
	is_str(h, "e24bc62381f1224fbbb74688663f8f97"
	    "43b9680b193edd666835e97b06e730eb", "sha256 of a file");
	free(h);
	unlink(p);
	if (!ok(digest_file(DIGEST_MD5, p, &cause) == NULL && cause != NULL &&
	    str_ends_with(cause, ": No such file or directory"),
	    "missing file: error"))
		diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
	free(p);
}

static void
test_text(void)
{
	static const unsigned char latin1[] = "caf\xe9 cr\xe8me\n";
	static const unsigned char nul[] = "abc\0def";
	unsigned char	 noise[600];
	char		*p;
	size_t		 i;

	wfile(tmp, "t/plain", "hello\n");
	wfile(tmp, "t/utf8", "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93\n");
	write_bytes(tmp, "t/latin1", latin1, sizeof latin1 - 1, 0644);
	write_bytes(tmp, "t/nul", nul, sizeof nul - 1, 0644);
	for (i = 0; i < sizeof noise; i++)
		noise[i] = (unsigned char)(0x80 + (i * 37) % 128);
	write_bytes(tmp, "t/noise", noise, sizeof noise, 0644);
	for (i = 0; i < sizeof noise; i++)
		noise[i] = (unsigned char)(1 + i % 7);
	write_bytes(tmp, "t/control", noise, sizeof noise, 0644);
	wfile(tmp, "t/empty", "");
	wfile(tmp, "t/image.png", "not really an image\n");
	write_bytes(tmp, "t/data.csv", nul, sizeof nul - 1, 0644);

#define T(name, want) do {						\
	p = path_join(tmp, "t/" name);					\
	ok(sourcecode_is_text_file(p) == (want), "%s is %s", name,	\
	    (want) ? "text" : "binary");				\
	free(p);							\
} while (0)
	T("plain", true);
	T("utf8", true);
	T("latin1", true);
	T("empty", true);
	T("nul", false);
	T("noise", false);
	T("control", false);
	T("image.png", false);
	T("data.csv", true);
	T("missing", false);
#undef T
}

/*
 * The project used by most tests:
 *
 *	guild.yml README.md train.py .hiddenfile.py weights.dat
 *	exact.txt (1 MiB) big.txt (1 MiB + 1) notes.png link-in -> train.py
 *	link-out -> outside, sub/util.py sub/deeper/z.sh (0755)
 *	excluded dirs: .hidden .git __pycache__ build dist pkg.egg-info
 *	venv (bin/activate) nocopy (.guild-nocopy)
 */
static char *
make_project(void)
{
	static const unsigned char bin[] = "\x7f" "ELF\0\0\0\1\2\3";
	char	*proj = path_join(tmp, "proj"), *big, *p, *out;

	wfile(proj, "guild.yml", "train:\n  main: train\n");
	wfile(proj, "README.md", "# readme\n");
	wfile(proj, "train.py", "print('hi')\n");
	wfile(proj, ".hiddenfile.py", "x = 1\n");
	write_bytes(proj, "weights.dat", bin, sizeof bin - 1, 0644);
	big = xmalloc(SOURCECODE_MAX_FILE_SIZE + 1);
	memset(big, 'x', SOURCECODE_MAX_FILE_SIZE + 1);
	write_bytes(proj, "exact.txt", big, SOURCECODE_MAX_FILE_SIZE, 0644);
	write_bytes(proj, "big.txt", big, SOURCECODE_MAX_FILE_SIZE + 1, 0644);
	free(big);
	wfile(proj, "notes.png", "text in a png\n");
	wfile(proj, "sub/util.py", "def f(): pass\n");
	write_bytes(proj, "sub/deeper/z.sh", "echo z\n", 7, 0755);
	wfile(proj, ".hidden/x.py", "hidden\n");
	wfile(proj, ".git/config", "[core]\n");
	wfile(proj, "__pycache__/a.py", "cached\n");
	wfile(proj, "build/b.py", "built\n");
	wfile(proj, "dist/d.py", "dist\n");
	wfile(proj, "pkg.egg-info/PKG-INFO", "info\n");
	wfile(proj, "venv/bin/activate", "# venv\n");
	wfile(proj, "venv/lib/v.py", "venv\n");
	wfile(proj, "nocopy/.guild-nocopy", "");
	wfile(proj, "nocopy/n.py", "nocopy\n");

	out = path_join(tmp, "outside.py");
	wfile(tmp, "outside.py", "outside\n");
	p = path_join(proj, "link-out");
	if (symlink(out, p) == -1)
		diag("symlink: %s", strerror(errno));
	free(p);
	free(out);
	p = path_join(proj, "link-in");
	if (symlink("train.py", p) == -1)
		diag("symlink: %s", strerror(errno));
	free(p);
	p = path_join(proj, "sub/loop");
	if (symlink("..", p) == -1)
		diag("symlink: %s", strerror(errno));
	free(p);
	return proj;
}

static int	 nrun;

/* Snapshot proj into a new run dir; returns the sorted file list. */
static char *
snap(const char *proj, const struct sourcecode_spec *model,
    const struct sourcecode_spec *op, struct sourcecode_result *res,
    char **rundir)
{
	char	*cause = NULL;

	*rundir = xasprintf("%s/run%d", tmp, nrun++);
	mkdir_p(*rundir, 0777, NULL);
	strvec_clear(&warnings);
	if (sourcecode_snapshot(proj, model, op, "train", *rundir, res,
	    &cause) == -1) {
		diag("snapshot: %s", cause);
		free(cause);
		return xstrdup("(error)");
	}
	return join_files(&res->files);
}

static void
test_default(const char *proj)
{
	struct sourcecode_result res;
	struct stat	 st;
	char		*files, *run, *p, *s, *want, *sha;
	size_t		 i;

	files = snap(proj, NULL, NULL, &res, &run);
	is_str(files, ".hiddenfile.py README.md exact.txt guild.yml link-in "
	    "sub/deeper/z.sh sub/util.py train.py", "default selection");
	is_str(res.dest, ".guild/sourcecode", "default dest");
	ok(warned("Skipping potential source code file") &&
	    warned("big.txt because it's too big") &&
	    warned("for the 'train' operation"), "too big: warned");
	is_int((long long)warnings.n, 1, "one warning");
	for (i = 0; i < warnings.n; i++)
		diag("warning: %s", warnings.v[i]);

	p = xasprintf("%s/.guild/sourcecode/sub/deeper/z.sh", run);
	ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0750,
	    "mode preserved, less the umask (027)");
	s = slurp(p);
	is_str(s, "echo z\n", "content copied");
	free(s);
	free(p);
	p = xasprintf("%s/.guild/sourcecode/link-in", run);
	ok(lstat(p, &st) == 0 && S_ISREG(st.st_mode),
	    "a link inside the project is copied as a file");
	free(p);

	/* Manifest: walk order (files, then subdirectories), sha1 of each. */
	p = xasprintf("%s/.guild/manifest", run);
	s = slurp(p);
	free(p);
	sha = digest_buf(DIGEST_SHA1, "x = 1\n", 6);
	want = xasprintf("s .guild/sourcecode/.hiddenfile.py %s .hiddenfile.py\n",
	    sha);
	ok(s != NULL && str_starts_with(s, want), "manifest first line");
	free(want);
	free(sha);
	sha = digest_buf(DIGEST_SHA1, "echo z\n", 7);
	want = xasprintf("s .guild/sourcecode/sub/deeper/z.sh %s "
	    "sub/deeper/z.sh\n", sha);
	ok(s != NULL && str_ends_with(s, want),
	    "manifest last line: a directory's files before its subdirs");
	free(want);
	free(sha);
	want = NULL;
	{
		size_t	lines = 0;
		char	*q;

		for (q = s; q != NULL && *q != '\0'; q++)
			lines += *q == '\n';
		is_int((long long)lines, 8, "a manifest line per file");
	}
	free(s);
	ok(res.digest != NULL && strlen(res.digest) == 32, "digest set");
	sourcecode_result_clear(&res);
	free(files);
	free(run);
}

static struct select_rule *
add_rule(struct sourcecode_spec *spec, bool include, enum select_match m,
    const char *pattern)
{
	struct select_rule	*r;

	spec->set = true;
	spec->digest = true;
	spec->rules = xreallocarray(spec->rules, spec->nrules + 1,
	    sizeof *spec->rules);
	r = &spec->rules[spec->nrules++];
	memset(r, 0, sizeof *r);
	r->include = include;
	r->match = m;
	strvec_push(&r->patterns, pattern);
	return r;
}

static void
spec_clear(struct sourcecode_spec *spec)
{
	size_t	i;

	for (i = 0; i < spec->nrules; i++)
		strvec_clear(&spec->rules[i].patterns);
	free(spec->rules);
	memset(spec, 0, sizeof *spec);
	spec->digest = true;
}

static void
check(const char *proj, const struct sourcecode_spec *model,
    const struct sourcecode_spec *op, const char *want, const char *what)
{
	struct sourcecode_result res;
	char	*files, *run;

	files = snap(proj, model, op, &res, &run);
	is_str(files, want, "%s", what);
	sourcecode_result_clear(&res);
	free(files);
	rm_rf(run, NULL);
	free(run);
}

static void
test_rules(const char *proj)
{
	struct sourcecode_spec	 op, model;
	struct sourcecode_result res;
	char	*files, *run, *p, *s, *cause = NULL;

	memset(&op, 0, sizeof op);
	memset(&model, 0, sizeof model);
	spec_clear(&op);
	spec_clear(&model);

	add_rule(&op, true, SELECT_ANY, "*.dat");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/deeper/z.sh sub/util.py train.py weights.dat",
	    "include a binary by name");
	spec_clear(&op);

	add_rule(&op, false, SELECT_ANY, "sub");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in train.py", "exclude a directory by name (dir -> dir/*)");
	spec_clear(&op);

	add_rule(&op, false, SELECT_ANY, "*");
	add_rule(&op, true, SELECT_ANY, "*.py");
	check(proj, NULL, &op, ".hiddenfile.py sub/util.py train.py",
	    "string form: exclude *, include *.py");
	spec_clear(&op);

	add_rule(&op, false, SELECT_ANY, "sub/deeper/*");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/util.py train.py", "a pattern with '/' is a path");
	spec_clear(&op);

	add_rule(&op, false, SELECT_ANY, "/util.py");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/deeper/z.sh sub/util.py train.py",
	    "a leading '/' anchors at the root");
	spec_clear(&op);

	add_rule(&op, false, SELECT_TEXT, "*.md");
	check(proj, NULL, &op, ".hiddenfile.py exact.txt guild.yml link-in "
	    "sub/deeper/z.sh sub/util.py train.py", "exclude text *.md");
	spec_clear(&op);

	add_rule(&op, true, SELECT_BINARY, "*");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in notes.png sub/deeper/z.sh sub/util.py train.py "
	    "weights.dat", "include binaries");
	spec_clear(&op);

	add_rule(&op, true, SELECT_DIR, ".hidden");
	check(proj, NULL, &op, ".hidden/x.py .hiddenfile.py README.md "
	    "exact.txt guild.yml link-in sub/deeper/z.sh sub/util.py train.py",
	    "include a hidden dir");
	spec_clear(&op);

	add_rule(&op, false, SELECT_DIR, "deeper");
	check(proj, NULL, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/util.py train.py", "exclude a dir");
	spec_clear(&op);

	add_rule(&model, false, SELECT_ANY, "*.md");
	add_rule(&op, true, SELECT_ANY, "README.md");
	check(proj, &model, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/deeper/z.sh sub/util.py train.py",
	    "op rules come after model rules");
	check(proj, &model, NULL, ".hiddenfile.py exact.txt guild.yml "
	    "link-in sub/deeper/z.sh sub/util.py train.py", "model rules");
	spec_clear(&op);
	spec_clear(&model);

	op.set = true;
	op.disabled = true;
	files = snap(proj, NULL, &op, &res, &run);
	is_str(files, "", "sourcecode: no");
	ok(res.digest == NULL, "no digest");
	p = xasprintf("%s/.guild/manifest", run);
	ok(!path_exists(p), "no manifest");
	free(p);
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	spec_clear(&op);

	model.set = true;
	model.disabled = true;
	check(proj, &model, NULL, "", "model sourcecode: no");
	add_rule(&op, true, SELECT_ANY, "train.py");
	check(proj, &model, &op, ".hiddenfile.py README.md exact.txt guild.yml "
	    "link-in sub/deeper/z.sh sub/util.py train.py",
	    "model no, op rules: the op's rules apply");
	spec_clear(&op);
	spec_clear(&model);

	op.set = true;
	op.root = xstrdup("sub");
	op.dest = xstrdup("src");
	files = snap(proj, NULL, &op, &res, &run);
	is_str(files, "deeper/z.sh util.py", "root: sub");
	is_str(res.dest, "src", "dest: src");
	p = xasprintf("%s/.guild/manifest", run);
	s = slurp(p);
	ok(s != NULL && strstr(s, "s src/util.py ") != NULL &&
	    strstr(s, " sub/util.py\n") != NULL,
	    "manifest paths: run-relative and project-relative");
	free(s);
	free(p);
	p = xasprintf("%s/src/util.py", run);
	ok(path_is_file(p), "copied under dest");
	free(p);
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	free(op.dest);
	op.dest = xstrdup("../x");
	run = xasprintf("%s/runx", tmp);
	ok(sourcecode_snapshot(proj, NULL, &op, "train", run, &res,
	    &cause) == -1 && cause != NULL, "dest outside the run: error");
	free(cause);
	free(run);
	free(op.root);
	free(op.dest);
	op.root = op.dest = NULL;

	op.digest = false;
	files = snap(proj, NULL, &op, &res, &run);
	ok(res.files.n > 0 && res.digest == NULL, "digest: no");
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	spec_clear(&op);
}

static void
test_limit(void)
{
	struct sourcecode_result res;
	char	*proj = path_join(tmp, "many"), *name, *run, *files;
	int	 i;

	for (i = 0; i < 105; i++) {
		name = xasprintf("f%03d.txt", i);
		wfile(proj, name, "x\n");
		free(name);
	}
	wfile(proj, "data.bin", "binary by extension\n");
	files = snap(proj, NULL, NULL, &res, &run);
	is_int((long long)res.files.n, SOURCECODE_MAX_FILES, "100 files copied");
	ok(res.files.n == 100 && strcmp(res.files.v[0], "f000.txt") == 0 &&
	    strcmp(res.files.v[99], "f099.txt") == 0, "the first 100");
	is_int((long long)warnings.n, 1, "warned once");
	ok(warned("Found more than 100 source code files but will only copy "
	    "100 as a safety measure."), "the limit warning");
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	free(proj);
}

static void
test_digest_value(void)
{
	struct sourcecode_result res;
	char	*proj = path_join(tmp, "dig"), *run, *files, *h;
	static const char data[] =
	    "a.py\0print(1)\n\0c.sh\0echo\n\0sub/b.txt\0hello\n";

	wfile(proj, "a.py", "print(1)\n");
	wfile(proj, "sub/b.txt", "hello\n");
	wfile(proj, "c.sh", "echo\n");
	files = snap(proj, NULL, NULL, &res, &run);
	is_str(files, "a.py c.sh sub/b.txt", "digest project");
	/*
	 * python3: hashlib.md5(b"a.py\0print(1)\n\0c.sh\0echo\n\0"
	 *     b"sub/b.txt\0hello\n\0").hexdigest()
	 */
	is_str(res.digest, "f5bc31476b2462e925e62265454fe492",
	    "sourcecode_digest as Guild computes it");
	h = digest_buf(DIGEST_MD5, data, sizeof data);	/* with final NUL */
	is_str(h, res.digest, "same as path NUL bytes NUL, in order");
	free(h);
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	free(proj);
}

/*
 * An unreadable file is a warning. Root reads everything, so when root
 * the snapshot runs in a child as nobody.
 */
static void
test_unreadable(void)
{
	struct sourcecode_result res;
	char	*proj = path_join(tmp, "unread"), *run, *p, buf[256];
	int	 fds[2], status;
	ssize_t	 n;
	pid_t	 pid;

	wfile(proj, "ok.py", "ok\n");
	wfile(proj, "secret.py", "secret\n");
	wfile(proj, "secret", "secret\n");
	p = path_join(proj, "secret.py");
	chmod(p, 0);
	free(p);
	p = path_join(proj, "secret");
	chmod(p, 0);
	free(p);
	chmod(tmp, 0755);
	chmod(proj, 0755);
	run = path_join(tmp, "runu");
	mkdir_p(run, 0777, NULL);
	chmod(run, 0777);

	if (pipe(fds) == -1)
		return;
	if ((pid = fork()) == 0) {
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) == -1 ||
		    setuid(65534) == -1))
			_exit(2);
		strvec_clear(&warnings);
		if (sourcecode_snapshot(proj, NULL, NULL, NULL, run, &res,
		    NULL) == -1)
			_exit(3);
		snprintf(buf, sizeof buf, "%zu %d %d %zu", res.files.n,
		    warned("could not copy source code file") ||
		    warned("could not read source code file"),
		    warned("secret.py"), warnings.n);
		if (write(fds[1], buf, strlen(buf)) == -1)
			_exit(4);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	buf[n > 0 ? n : 0] = '\0';
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "snapshot with unreadable files succeeds (%d)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	is_str(buf, "1 1 1 2", "ok.py copied; both unreadable files warned");
	free(run);
	free(proj);
}

/* Copies keep the permission bits less the umask, never setuid/setgid. */
static void
test_modes(void)
{
	struct sourcecode_result res;
	struct stat	 st;
	char		*proj = xasprintf("%s/modes", tmp), *run, *files, *p;
	static const struct {
		const char	*name;
		mode_t		 mode, want;
	} f[] = {
		{ "setuid.sh", 04755, 0750 },
		{ "setgid.py", 02775, 0750 },
		{ "both.sh", 06777, 0750 },
		{ "plain.txt", 0666, 0640 },
		{ "private.txt", 0600, 0600 },
	};
	size_t		 i;

	for (i = 0; i < sizeof f / sizeof *f; i++)
		write_bytes(proj, f[i].name, "x\n", 2, f[i].mode);
	files = snap(proj, NULL, NULL, &res, &run);
	is_str(files, "both.sh plain.txt private.txt setgid.py setuid.sh",
	    "modes: all copied");
	for (i = 0; i < sizeof f / sizeof *f; i++) {
		p = xasprintf("%s/.guild/sourcecode/%s", run, f[i].name);
		if (stat(p, &st) == -1)
			st.st_mode = 0;
		ok((st.st_mode & 07777) == f[i].want,
		    "%s %04o is copied %04o (got %04o)", f[i].name,
		    (unsigned)f[i].mode, (unsigned)f[i].want,
		    (unsigned)(st.st_mode & 07777));
		free(p);
	}
	sourcecode_result_clear(&res);
	free(files);
	free(run);
	free(proj);
}

int
main(void)
{
	char	*proj;

	/* Before anything reads it: the copies' modes are checked under it. */
	umask(027);
	tmp = xstrdup("/tmp/test-sourcecode-XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	warn_set_sink(collect, NULL);
	test_digest();
	test_text();
	proj = make_project();
	test_default(proj);
	test_rules(proj);
	free(proj);
	test_limit();
	test_digest_value();
	test_unreadable();
	test_modes();

	strvec_clear(&warnings);
	rm_rf(tmp, NULL);
	free(tmp);
	return done_testing();
}
