/*
 * fuzz-archive.c: libFuzzer target for extracting run archives
 * (runarchive_extract: tar, compressed tar, zip, all hostile).
 *
 * The input is written to a file in a temporary sandbox and extracted
 * into SANDBOX/a/b/dest. Whether it succeeds or not, nothing may appear
 * anywhere in the sandbox but under dest, nothing under dest may be other
 * than a directory, a regular file or a symbolic link, no set-id bit may
 * be set, and no symbolic link may resolve outside dest.
 *
 * Tar headers carry a checksum that random bytes never match: unless bit
 * 0 of the first byte asks for the bytes as they are, the input is read
 * as a tar whose header checksums are fixed here before extraction.
 */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "runarchive.h"
#include "strvec.h"
#include "util.h"

static char	*root, *input, *dest, *dest_real;

static void
cleanup(void)
{
	if (root != NULL)
		rm_rf(root, NULL);
	free(root);
	free(input);
	free(dest);
	free(dest_real);
}

static void
make_dest(void)
{
	if (mkdir_p(dest, 0777, NULL) == -1)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (root != NULL)
		return 0;
	warn_set_sink(fuzz_discard, NULL);
	root = xasprintf("%s/fuzz-archive.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(root) == NULL)
		abort();
	atexit(cleanup);
	input = xasprintf("%s/in", root);
	dest = xasprintf("%s/a/b/dest", root);
	make_dest();
	if ((dest_real = realpath(dest, NULL)) == NULL)
		abort();
	return 0;
}

/* Fix the checksum of every tar header, following the entry sizes. */
static void
fix_tar(unsigned char *p, size_t size)
{
	size_t		off = 0, i, len;
	unsigned	sum;
	int		zero;

	while (off + 512 <= size) {
		for (i = 0, zero = 1; i < 512 && zero; i++)
			zero = p[off + i] == 0;
		if (zero) {
			off += 512;
			continue;
		}
		memset(p + off + 148, ' ', 8);
		for (i = 0, sum = 0; i < 512; i++)
			sum += p[off + i];
		snprintf((char *)p + off + 148, 8, "%06o", sum & 0777777);
		p[off + 155] = ' ';
		for (i = 124, len = 0; i < 136 && p[off + i] >= '0' &&
		    p[off + i] <= '7'; i++)
			len = len * 8 + (size_t)(p[off + i] - '0');
		if (len > size)
			break;
		off += 512 + (len + 511) / 512 * 512;
	}
}

/* The names in dir, which must be exactly want (or fewer). */
static void
only(const char *dir, const char *want1, const char *want2)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (strcmp(de->d_name, want1) != 0 &&
		    (want2 == NULL || strcmp(de->d_name, want2) != 0))
			fprintf(stderr, "written outside dest: %s/%s\n", dir,
			    de->d_name);
		FUZZ_ASSERT(strcmp(de->d_name, want1) == 0 ||
		    (want2 != NULL && strcmp(de->d_name, want2) == 0));
	}
	closedir(d);
}

static int
check_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	char	*real;
	size_t	 n = strlen(dest_real);

	(void)flag;
	(void)ftw;
	FUZZ_ASSERT(S_ISDIR(st->st_mode) || S_ISREG(st->st_mode) ||
	    S_ISLNK(st->st_mode));
	FUZZ_ASSERT((st->st_mode & (S_ISUID | S_ISGID)) == 0);
	if (S_ISLNK(st->st_mode) && (real = realpath(path, NULL)) != NULL) {
		if (strncmp(real, dest_real, n) != 0 ||
		    (real[n] != '/' && real[n] != '\0'))
			fprintf(stderr, "link %s leads to %s\n", path, real);
		FUZZ_ASSERT(strncmp(real, dest_real, n) == 0 &&
		    (real[n] == '/' || real[n] == '\0'));
		free(real);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runarchive_limits lim = { 64, 1 << 20 };
	struct strvec	 top = STRVEC_INIT;
	unsigned char	*buf;
	char		*cause = NULL, *dir;
	int		 fd, rc;
	size_t		 i;

	if (root == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0)
		return 0;
	buf = xmalloc(size);
	memcpy(buf, data + 1, size - 1);
	if (!(data[0] & 1))
		fix_tar(buf, size - 1);
	if ((fd = open(input, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1 ||
	    write(fd, buf, size - 1) != (ssize_t)(size - 1) || close(fd) == -1)
		abort();
	free(buf);

	rc = runarchive_extract(input, dest, &lim, &top, &cause);
	FUZZ_ASSERT((rc == -1) == (cause != NULL));
	for (i = 0; i < top.n; i++) {
		FUZZ_ASSERT(strchr(top.v[i], '/') == NULL);
		FUZZ_ASSERT(strcmp(top.v[i], "..") != 0 &&
		    strcmp(top.v[i], ".") != 0);
	}
	free(cause);
	strvec_clear(&top);

	only(root, "in", "a");
	dir = xasprintf("%s/a", root);
	only(dir, "b", NULL);
	free(dir);
	dir = xasprintf("%s/a/b", root);
	only(dir, "dest", NULL);
	free(dir);
	nftw(dest, check_entry, 16, FTW_PHYS);

	FUZZ_ASSERT(rm_rf(dest, NULL) == 0);
	make_dest();
	return 0;
}
