/*
 * test-runarchive.c: run archives made and read back, and hostile archives
 * (written here by hand in ustar format) refused whole.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runarchive.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"

static char	 tmpdir[] = "/tmp/test-runarchive.XXXXXX";
static struct strbuf warnings = STRBUF_INIT;

static void
warn_sink(const char *msg, void *arg)
{
	(void)arg;
	strbuf_addf(&warnings, "%s\n", msg);
}

static char *
tpath(const char *rel)
{
	return path_join(tmpdir, rel);
}

static void
put_file(const char *rel, const char *text, unsigned mode)
{
	char	*p = tpath(rel), *slash;

	slash = strrchr(p, '/');
	*slash = '\0';
	mkdir_p(p, 0755, NULL);
	*slash = '/';
	write_file_atomic(p, text, strlen(text), NULL);
	chmod(p, mode);
	free(p);
}

static char *
slurp(const char *rel)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*p = tpath(rel);

	if (strbuf_read_file(&sb, p, NULL) == -1) {
		free(p);
		strbuf_release(&sb);
		return xstrdup("<missing>");
	}
	free(p);
	return strbuf_detach(&sb, NULL);
}

/* A hand-written ustar archive. */
struct tar {
	struct strbuf	data;
};

static void
tar_entry(struct tar *t, const char *name, char type, const char *linkname,
    const char *content)
{
	unsigned char	 h[512];
	size_t		 len = content != NULL ? strlen(content) : 0, i;
	unsigned	 sum = 0;

	memset(h, 0, sizeof h);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", type == '5' ? 0755 : 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)len);
	snprintf((char *)h + 136, 12, "%011o", 1500000000u);
	memset(h + 148, ' ', 8);
	h[156] = (unsigned char)type;
	if (linkname != NULL)
		snprintf((char *)h + 157, 100, "%s", linkname);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (i = 0; i < sizeof h; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	strbuf_add(&t->data, h, sizeof h);
	if (len > 0) {
		strbuf_add(&t->data, content, len);
		strbuf_addchars(&t->data, 0, (512 - len % 512) % 512);
	}
}

#define RUN_A	"0123456789abcdef0123456789abcdef"
#define RUN_B	"fedcba9876543210fedcba9876543210"

/* Write the archive, extract it into a fresh directory; returns the rc. */
static int
try_tar(struct tar *t, const struct runarchive_limits *lim, char **cause)
{
	char		*path = tpath("hostile.tar"), *dest = tpath("x");
	struct strvec	 top = STRVEC_INIT;
	int		 rc;

	strbuf_addchars(&t->data, 0, 1024);
	write_file_atomic(path, t->data.buf, t->data.len, NULL);
	rm_rf(dest, NULL);
	mkdir(dest, 0755);
	rc = runarchive_extract(path, dest, lim, &top, cause);
	strvec_clear(&top);
	strbuf_release(&t->data);
	free(path);
	free(dest);
	return rc;
}

/* The archive is refused, with a message that contains want. */
static void
refused(struct tar *t, const struct runarchive_limits *lim, const char *want,
    const char *name)
{
	char	*cause = NULL;
	int	 rc = try_tar(t, lim, &cause);

	ok(rc == -1 && cause != NULL && strstr(cause, want) != NULL,
	    "refused: %s (%s)", name, cause != NULL ? cause : "accepted");
	free(cause);
}

static void
test_link_rules(void)
{
	ok(runarchive_link_ok("r/a", "b"), "link to a sibling");
	ok(runarchive_link_ok("r/d/a", "../b/c"), "climb then descend");
	ok(runarchive_link_ok("r/d/a", ".."), "link to the run itself");
	ok(runarchive_link_ok("r/d/a", "./x/./y"), "dots are ignored");
	ok(!runarchive_link_ok("r/a", ".."), "link to above the run");
	ok(!runarchive_link_ok("r/d/a", "../../x"), "climbing out");
	ok(!runarchive_link_ok("r/a", "/etc/passwd"), "absolute target");
	ok(!runarchive_link_ok("r/a", ""), "empty target");
	ok(!runarchive_link_ok("r/d/a", "s/../x"), "climb after a name");
	ok(!runarchive_link_ok("a", "b"), "a top-level link");
	{
		const char	*top = NULL;
		size_t		 n = 0;

		ok(runarchive_link_check("r/d/a", "../../s/x", &top, &n) == 2 &&
		    n == 1 && *top == 's', "a link into another top");
		ok(runarchive_link_check("r/a", "../s/../t", &top, &n) == 0,
		    "into another top, then climbing");
		ok(runarchive_link_check("r/a", "..", &top, &n) == 0,
		    "to the top itself");
		ok(runarchive_link_check("r/a", "../../s", &top, &n) == 0,
		    "above the top");
		ok(runarchive_link_check("r/a", "b", &top, &n) == 1,
		    "inside its own");
	}
}

static void
test_roundtrip(enum runarchive_format fmt, const char *file)
{
	struct strvec	 names = STRVEC_INIT, top = STRVEC_INIT;
	struct stat	 st;
	char		*arch = tpath(file), *dest = tpath("out"), *cause = NULL;
	char		*p, *s, buf[256];
	ssize_t		 n;
	int		 rc;

	strvec_push(&names, RUN_A);
	strvec_push(&names, RUN_B);
	strbuf_reset(&warnings);
	rc = runarchive_create(arch, fmt, tmpdir, &names, NULL, &cause);
	ok(rc == 0, "%s: create (%s)", file, cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	ok(strstr(warnings.buf, "leaving out " RUN_A "/abs") != NULL &&
	    strstr(warnings.buf, "leaving out " RUN_A "/sub/link") == NULL,
	    "%s: links leaving the run are left out with a warning", file);
	ok(strstr(warnings.buf, "/sub/up") == NULL,
	    "%s: a link into another run of the archive is kept", file);
	rc = runarchive_create(arch, fmt, tmpdir, &names, NULL, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "exists") != NULL,
	    "%s: an existing file is not overwritten", file);
	free(cause);
	cause = NULL;

	rm_rf(dest, NULL);
	mkdir(dest, 0755);
	rc = runarchive_extract(arch, dest, NULL, &top, &cause);
	ok(rc == 0, "%s: extract (%s)", file, cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	ok(top.n == 2 && strcmp(top.v[0], RUN_A) == 0 &&
	    strcmp(top.v[1], RUN_B) == 0, "%s: top-level names", file);
	s = slurp("out/" RUN_A "/.guild/opref");
	is_str(s, "guildfile:x", "%s: file content", file);
	free(s);
	s = slurp("out/" RUN_B "/.guild/opref");
	is_str(s, "guildfile:y", "%s: second run", file);
	free(s);
	p = tpath("out/" RUN_A "/run.sh");
	ok(stat(p, &st) == 0 && (st.st_mode & 0100) != 0,
	    "%s: executable bit kept", file);
	ok(stat(p, &st) == 0 && st.st_mtime == 1500000000,
	    "%s: modification time kept", file);
	free(p);
	p = tpath("out/" RUN_A "/sub/link");
	n = readlink(p, buf, sizeof buf - 1);
	ok(n == 9 && memcmp(buf, "../run.sh", 9) == 0,
	    "%s: symbolic link kept as a link", file);
	free(p);
	p = tpath("out/" RUN_A "/abs");
	ok(lstat(p, &st) == -1 && errno == ENOENT,
	    "%s: the outside link is not there", file);
	free(p);
	p = tpath("out/" RUN_A "/sub/up");
	n = readlink(p, buf, sizeof buf - 1);
	ok(n == 38 && memcmp(buf, "../../" RUN_B, 38) == 0 &&
	    stat(p, &st) == 0 && S_ISDIR(st.st_mode),
	    "%s: the link into the other run resolves", file);
	free(p);
	p = tpath("out/" RUN_A "/empty");
	ok(stat(p, &st) == 0 && S_ISDIR(st.st_mode), "%s: empty directory",
	    file);
	free(p);

	strvec_clear(&names);
	strvec_clear(&top);
	free(arch);
	free(dest);
}

/*
 * fsync failing on demand (this definition is the one the library's
 * calls reach): runarchive_zip_commit must still close its file.
 */
static bool	fail_fsync;

int
fsync(int fd)
{
	if (fail_fsync) {
		errno = EIO;
		return -1;
	}
	return fdatasync(fd);
}

static void
test_zip_fsync_fails(void)
{
	struct runarchive_zip	*z;
	char			*path = tpath("fsync.zip"), *cause = NULL;
	int			 before, after, rc;

	before = open("/dev/null", O_RDONLY);
	close(before);
	if ((z = runarchive_zip_new(path, &cause)) == NULL) {
		ok(false, "runarchive_zip_new: %s", cause);
		free(cause);
		free(path);
		return;
	}
	runarchive_zip_add(z, "a", "x", 1, 0644, 0, NULL);
	fail_fsync = true;
	rc = runarchive_zip_commit(z, &cause);
	fail_fsync = false;
	ok(rc == -1 && cause != NULL && strstr(cause, strerror(EIO)) != NULL,
	    "a failed fsync fails the commit (%s)", cause ? cause : "no error");
	after = open("/dev/null", O_RDONLY);
	close(after);
	is_int(after, before, "and leaves no descriptor open");
	ok(access(path, F_OK) == -1, "nor an archive");
	free(cause);
	free(path);
}

int
main(void)
{
	struct tar			 t = { STRBUF_INIT };
	struct runarchive_limits	 lim;
	struct strvec			 top = STRVEC_INIT;
	struct timespec			 ts[2];
	char				*p, *cause = NULL, *s;
	int				 rc;

	if (mkdtemp(tmpdir) == NULL) {
		diag("mkdtemp: %s", strerror(errno));
		return 1;
	}
	warn_set_sink(warn_sink, NULL);

	is_int(runarchive_format_for("runs.tar"), RUNARCHIVE_TAR, ".tar");
	is_int(runarchive_format_for("x/runs.TAR.GZ"), RUNARCHIVE_TGZ, ".tar.gz");
	is_int(runarchive_format_for("runs.tgz"), RUNARCHIVE_TGZ, ".tgz");
	is_int(runarchive_format_for("runs.zip"), RUNARCHIVE_ZIP, ".zip");
	is_int(runarchive_format_for("runs"), RUNARCHIVE_NONE, "a directory");
	is_int(runarchive_format_for("runs.gz"), RUNARCHIVE_NONE, ".gz alone");
	test_link_rules();

	put_file(RUN_A "/.guild/opref", "guildfile:x", 0644);
	put_file(RUN_A "/run.sh", "#!/bin/sh\n", 0755);
	p = tpath(RUN_A "/run.sh");
	ts[0].tv_sec = ts[1].tv_sec = 1500000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, p, ts, 0);
	free(p);
	put_file(RUN_A "/sub/data.txt", "data", 0600);
	p = tpath(RUN_A "/sub/link");
	symlink("../run.sh", p);
	free(p);
	p = tpath(RUN_A "/sub/up");
	symlink("../../" RUN_B, p);
	free(p);
	p = tpath(RUN_A "/abs");
	symlink("/etc/passwd", p);
	free(p);
	p = tpath(RUN_A "/empty");
	mkdir(p, 0755);
	free(p);
	put_file(RUN_B "/.guild/opref", "guildfile:y", 0644);

	test_roundtrip(RUNARCHIVE_TGZ, "runs.tar.gz");
	test_roundtrip(RUNARCHIVE_TAR, "runs.tar");
	test_roundtrip(RUNARCHIVE_ZIP, "runs.zip");
	test_zip_fsync_fails();

	/* The hand-made writer is right: a good archive goes through. */
	tar_entry(&t, RUN_A "/", '5', NULL, NULL);
	tar_entry(&t, RUN_A "/.guild/opref", '0', NULL, "op");
	tar_entry(&t, "./" RUN_A "/f", '0', NULL, "f");
	tar_entry(&t, RUN_A "/hard", '1', RUN_A "/f", NULL);
	tar_entry(&t, RUN_A "/d/l", '2', "../f", NULL);
	tar_entry(&t, ".guild-nocopy", '0', NULL, "");
	cause = NULL;
	rc = try_tar(&t, NULL, &cause);
	ok(rc == 0, "a hand-made archive (%s)", cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	s = slurp("x/" RUN_A "/hard");
	is_str(s, "f", "hard link inside the run");
	free(s);
	p = tpath("x/.guild-nocopy");
	ok(access(p, F_OK) == -1, "the .guild-nocopy marker is skipped");
	free(p);

	/* What "tar -C dir ." writes, with a link between two runs. */
	tar_entry(&t, "./", '5', NULL, NULL);
	tar_entry(&t, "./" RUN_A "/", '5', NULL, NULL);
	tar_entry(&t, "./" RUN_A "/model/l", '2', "../../" RUN_B "/w", NULL);
	tar_entry(&t, "./" RUN_B "/w", '0', NULL, "w");
	cause = NULL;
	rc = try_tar(&t, NULL, &cause);
	ok(rc == 0, "'./' and a link into another run of the archive (%s)",
	    cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	s = slurp("x/" RUN_A "/model/l");
	is_str(s, "w", "the link resolves to the other run");
	free(s);
	tar_entry(&t, "./" RUN_A "/model/l", '2', "../../" RUN_B "/w", NULL);
	tar_entry(&t, RUN_A "/f", '0', NULL, "f");
	refused(&t, NULL, "points outside its run",
	    "a link into a run the archive does not hold");
	tar_entry(&t, ".", '0', NULL, "x");
	refused(&t, NULL, "empty path", "a file for the root");

	tar_entry(&t, "/" RUN_A "/x", '0', NULL, "x");
	refused(&t, NULL, "absolute path", "absolute path");
	tar_entry(&t, RUN_A "/../x", '0', NULL, "x");
	refused(&t, NULL, "'..'", "dot-dot component");
	tar_entry(&t, "../../etc/x", '0', NULL, "x");
	refused(&t, NULL, "'..'", "leading dot-dot");
	tar_entry(&t, RUN_A "/l", '2', "/etc/passwd", NULL);
	refused(&t, NULL, "points outside its run", "absolute symlink");
	tar_entry(&t, RUN_A "/d/l", '2', "../../x", NULL);
	refused(&t, NULL, "points outside its run", "symlink climbing out");
	tar_entry(&t, RUN_A "/s", '2', ".", NULL);
	tar_entry(&t, RUN_A "/t", '2', "s/../x", NULL);
	refused(&t, NULL, "points outside its run", "symlink chain");
	tar_entry(&t, RUN_A "/l", '2', "../" RUN_B, NULL);
	refused(&t, NULL, "points outside its run", "symlink to another run");
	tar_entry(&t, RUN_A "/d/l", '2', "..", NULL);
	tar_entry(&t, RUN_A "/d/l/x", '0', NULL, "x");
	refused(&t, NULL, "", "writing through a symlink");
	tar_entry(&t, RUN_B "/f", '0', NULL, "f");
	tar_entry(&t, RUN_A "/h", '1', RUN_B "/f", NULL);
	refused(&t, NULL, "hard link", "hard link to another run");
	tar_entry(&t, RUN_A "/h", '1', "/etc/passwd", NULL);
	refused(&t, NULL, "hard link", "hard link outside");
	tar_entry(&t, RUN_A "/h", '1', RUN_A "/../../x", NULL);
	refused(&t, NULL, "hard link", "hard link with dot-dot");
	tar_entry(&t, RUN_A "/null", '3', NULL, NULL);
	refused(&t, NULL, "character device", "character device");
	tar_entry(&t, RUN_A "/disk", '4', NULL, NULL);
	refused(&t, NULL, "block device", "block device");
	tar_entry(&t, RUN_A "/fifo", '6', NULL, NULL);
	refused(&t, NULL, "FIFO", "FIFO");
	tar_entry(&t, RUN_A "/f", '0', NULL, "1");
	tar_entry(&t, RUN_A "/./f", '0', NULL, "2");
	refused(&t, NULL, "more than once", "duplicate entry");
	tar_entry(&t, "README", '0', NULL, "hi");
	refused(&t, NULL, "not a directory", "top-level file");
	tar_entry(&t, "link", '2', RUN_A, NULL);
	refused(&t, NULL, "not a directory", "top-level symlink");
	tar_entry(&t, RUN_A "/bad\033[2Jname", '0', NULL, "x");
	refused(&t, NULL, "control character", "escape in a name");
	tar_entry(&t, RUN_A "/bad\033[2Jname", '0', NULL, "x");
	try_tar(&t, NULL, &cause);
	ok(cause != NULL && strchr(cause, '\033') == NULL &&
	    strstr(cause, "bad\\x1b[2Jname") != NULL,
	    "the name is escaped in the message: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tar_entry(&t, RUN_A "/l", '2', "/\033]0;x\007", NULL);
	try_tar(&t, NULL, &cause);
	ok(cause != NULL && strchr(cause, '\033') == NULL &&
	    strchr(cause, '\007') == NULL,
	    "so is a link target: %s", cause ? cause : "");
	free(cause);
	cause = NULL;

	memset(&lim, 0, sizeof lim);
	lim.max_entries = 3;
	tar_entry(&t, RUN_A "/1", '0', NULL, "1");
	tar_entry(&t, RUN_A "/2", '0', NULL, "2");
	tar_entry(&t, RUN_A "/3", '0', NULL, "3");
	ok(try_tar(&t, &lim, NULL) == 0, "entry limit: 3 of 3");
	tar_entry(&t, RUN_A "/1", '0', NULL, "1");
	tar_entry(&t, RUN_A "/2", '0', NULL, "2");
	tar_entry(&t, RUN_A "/3", '0', NULL, "3");
	tar_entry(&t, RUN_A "/4", '0', NULL, "4");
	refused(&t, &lim, "more than 3 entries", "entry limit");
	memset(&lim, 0, sizeof lim);
	lim.max_bytes = 10;
	tar_entry(&t, RUN_A "/1", '0', NULL, "123456");
	tar_entry(&t, RUN_A "/2", '0', NULL, "123456");
	refused(&t, &lim, "more than 10 bytes", "byte limit");

	/* Not an archive at all. */
	put_file("junk.tar", "this is not a tar file at all, not even close", 0644);
	p = tpath("junk.tar");
	s = tpath("x");
	rm_rf(s, NULL);
	mkdir(s, 0755);
	rc = runarchive_extract(p, s, NULL, &top, &cause);
	ok(rc == -1 && cause != NULL && str_starts_with(cause, p) &&
	    cause[strlen(p)] == ':', "junk is an error, naming it (%s)",
	    cause != NULL ? cause : "");
	free(cause);
	free(p);
	free(s);
	strvec_clear(&top);

	/* Mode bits: set-id and sticky are dropped. */
	tar_entry(&t, RUN_A "/x", '0', NULL, "x");
	t.data.buf[100 + 3] = '4';	/* 04644: set-uid */
	{
		unsigned	 sum = 0;
		size_t		 i;
		unsigned char	*h = (unsigned char *)t.data.buf;

		memset(h + 148, ' ', 8);
		for (i = 0; i < 512; i++)
			sum += h[i];
		snprintf((char *)h + 148, 8, "%06o", sum);
		h[155] = ' ';
	}
	ok(try_tar(&t, NULL, NULL) == 0, "a set-uid file is extracted");
	{
		struct stat	 st;

		p = tpath("x/" RUN_A "/x");
		ok(stat(p, &st) == 0 && (st.st_mode & 07000) == 0,
		    "without its set-uid bit");
		free(p);
	}

	strbuf_release(&warnings);
	rm_rf(tmpdir, NULL);
	return done_testing();
}
