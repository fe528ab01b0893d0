/*
 * fuzz-tfevents.c: libFuzzer target for the TensorBoard event file
 * reader (tfevents_read, and scalars_summary_read, which reads a Guild
 * AI run's scalars from its event files).
 *
 * Records carry CRCs, which random bytes never match; so unless bit 0 of
 * the first byte asks for the bytes as they are, the input is framed
 * here: [length byte][payload] records, each written with its length and
 * both checksums right, so the event decoder sees the payloads. Bit 1
 * cuts the file short inside its last record (a writer still at work).
 *
 * The file is also read as it would be while being written: its first
 * half, then the rest from where that stopped (scalars_summary_update);
 * the summary must count what a read of the whole file counts.
 */
#include "common.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "scalars.h"
#include "strbuf.h"
#include "tfevents.h"
#include "util.h"

static char	*root, *run_dir, *path;

static void
cleanup(void)
{
	if (root != NULL)
		rm_rf(root, NULL);
	free(root);
	free(run_dir);
	free(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	(void)argc;
	(void)argv;
	if (root != NULL)
		return 0;
	warn_set_sink(fuzz_discard, NULL);
	root = xasprintf("%s/fuzz-tfevents.XXXXXX", tmp != NULL ? tmp :
	    "/tmp");
	if (mkdtemp(root) == NULL)
		abort();
	atexit(cleanup);
	run_dir = xasprintf("%s/run", root);
	dir = xasprintf("%s/.guild", run_dir);
	if (mkdir_p(dir, 0777, NULL) == -1)
		abort();
	path = xasprintf("%s/events.out.tfevents.1700000000.fuzz", dir);
	free(dir);
	return 0;
}

static void
put_le(struct strbuf *sb, uint64_t v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

static void
frame(struct strbuf *sb, const uint8_t *data, size_t size)
{
	unsigned char	head[8];
	size_t		at = 0, n;
	int		i;

	while (at < size) {
		n = data[at++];
		if (n > size - at)
			n = size - at;
		for (i = 0; i < 8; i++)
			head[i] = (unsigned char)((uint64_t)n >> (8 * i));
		strbuf_add(sb, head, 8);
		put_le(sb, tfevents_mask_crc(tfevents_crc32c(head, 8)), 4);
		strbuf_add(sb, data + at, n);
		put_le(sb, tfevents_mask_crc(tfevents_crc32c(data + at, n)), 4);
		at += n;
	}
}

static int
on_event(const struct tfevents_event *ev, void *arg)
{
	size_t	i;

	(*(long long *)arg)++;
	FUZZ_ASSERT(ev->nvalues == 0 || (ev->tags != NULL &&
	    ev->values != NULL));
	for (i = 0; i < ev->nvalues; i++) {
		FUZZ_ASSERT(ev->tags[i] != NULL);
		(void)strlen(ev->tags[i]);
		(void)isnan(ev->values[i]);
	}
	if (ev->file_version != NULL)
		(void)strlen(ev->file_version);
	return 0;
}

static void
put_file(const char *buf, size_t len)
{
	int	fd;

	/* In place, as a writer appends: the same inode. */
	if ((fd = open(path, O_WRONLY | O_CREAT, 0666)) == -1 ||
	    pwrite(fd, buf, len, 0) != (ssize_t)len || close(fd) == -1)
		abort();
}

static void
incremental(void)
{
	struct scalars_summary	 whole = SCALARS_SUMMARY_INIT;
	struct scalars_summary	 part = SCALARS_SUMMARY_INIT;
	struct scalars_sources	 src = SCALARS_SOURCES_INIT;
	const struct scalar_stats *st;
	char			*buf;
	ssize_t			 len;
	size_t			 i;
	int			 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		abort();
	buf = xmalloc(1 << 20);
	len = read(fd, buf, 1 << 20);
	close(fd);
	if (len < 0)
		abort();
	if (scalars_summary_read(run_dir, 0, &whole, NULL) == -1)
		goto out;
	if (truncate(path, 0) == -1)
		abort();
	put_file(buf, (size_t)len / 2);
	if (scalars_summary_update(run_dir, 0, &part, &src, true, NULL) == -1)
		goto out;
	put_file(buf, (size_t)len);
	if (scalars_summary_update(run_dir, 0, &part, &src, true, NULL) == -1)
		goto out;
	FUZZ_ASSERT(part.n == whole.n);
	for (i = 0; i < whole.n; i++) {
		st = scalars_summary_find(&part, whole.v[i].key);
		FUZZ_ASSERT(st != NULL && st->count == whole.v[i].count);
	}
	/* Nothing new: nothing read. */
	FUZZ_ASSERT(scalars_summary_update(run_dir, 0, &part, &src, true,
	    NULL) == 0);
out:
	scalars_summary_release(&whole);
	scalars_summary_release(&part);
	scalars_sources_release(&src);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct scalars_summary	 sum;
	char			*cause = NULL;
	unsigned		 sel;
	long long		 n, seen = 0;
	int			 fd;

	if (root == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0)
		return 0;
	sel = data[0];
	if (sel & 1)
		strbuf_add(&sb, data + 1, size - 1);
	else
		frame(&sb, data + 1, size - 1);
	if ((sel & 2) && sb.len > 0)
		sb.len -= 1 + sel % (sb.len < 16 ? sb.len : 16);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1 ||
	    write(fd, sb.buf, sb.len) != (ssize_t)sb.len || close(fd) == -1)
		abort();
	strbuf_release(&sb);

	n = tfevents_read(path, on_event, &seen, &cause);
	FUZZ_ASSERT(n == -1 ? cause != NULL : cause == NULL && n == seen);
	free(cause);
	cause = NULL;
	if (scalars_summary_read(run_dir, SCALARS_SERIES, &sum, &cause) == 0)
		scalars_summary_release(&sum);
	free(cause);
	cause = NULL;
	incremental();
	return 0;
}
