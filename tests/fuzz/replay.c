/*
 * replay.c: run a fuzz target over every file of its corpus, without
 * libFuzzer, so `make check` (any compiler, no sanitizer needed) catches a
 * regression of an input the fuzzer once found. Linked with one
 * fuzz-NAME.c; the corpus is $top_srcdir/tests/fuzz/FUZZ_CORPUS, or the
 * directories and files named as arguments. Speaks TAP: one test per
 * corpus, which fails by crashing (FUZZ_ASSERT traps) like the fuzzer.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

/* Weak, so targets without a fixture need not define it. */
#pragma weak LLVMFuzzerInitialize

static int
run_file(const char *path)
{
	FILE		*f;
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[8192];
	size_t		 n;
	uint8_t		*copy;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	/* An exact-size copy, so reading past the input is caught. */
	copy = xmalloc(sb.len > 0 ? sb.len : 1);
	memcpy(copy, sb.buf, sb.len);
	LLVMFuzzerTestOneInput(copy, sb.len);
	free(copy);
	strbuf_release(&sb);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; -1 when dir is unreadable. */
static long
run_dir(const char *dir)
{
	struct strvec	 files = STRVEC_INIT;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;
	size_t		 i;
	long		 count = 0;

	if ((d = opendir(dir)) == NULL) {
		printf("# %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			strvec_push(&files, path);
		free(path);
	}
	closedir(d);
	if (files.n > 1)
		qsort(files.v, files.n, sizeof *files.v, name_cmp);
	for (i = 0; i < files.n; i++) {
		if (run_file(files.v[i]) == -1)
			count = -1;
		else if (count >= 0)
			count++;
	}
	strvec_clear(&files);
	return count;
}

int
main(int argc, char **argv)
{
	const char	*top = getenv("top_srcdir");
	char		*dir;
	struct stat	 st;
	long		 n;
	int		 i, failed = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		printf("1..%d\n", argc - 1);
		for (i = 1; i < argc; i++) {
			if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
				n = run_dir(argv[i]);
			else
				n = run_file(argv[i]) == 0 ? 1 : -1;
			printf("%sok %d - %s: %ld inputs\n", n < 0 ? "not " :
			    "", i, argv[i], n);
			failed |= n < 0;
		}
		return failed;
	}
	dir = xasprintf("%s/tests/fuzz/%s", top != NULL ? top : ".",
	    FUZZ_CORPUS);
	n = run_dir(dir);
	printf("1..1\n%sok 1 - %s: %ld inputs replayed\n", n <= 0 ? "not " :
	    "", FUZZ_CORPUS, n);
	free(dir);
	return n <= 0;
}
